"""Visit editor, signature pad and referral dialogs (the GUI of ``keyacct_desktop.fieldwork``)."""
