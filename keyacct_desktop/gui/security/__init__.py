"""Sign-in, idle lock, sign-out and restore-from-backup windows (i18n area ``security``)."""
