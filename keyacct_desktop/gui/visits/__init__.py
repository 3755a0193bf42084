"""Visit editor, signature pad and referral dialogs (the GUI of ``services.visits`` and ``services.referrals``)."""
