"""Field-ready desktop pieces: settings and about dialogs, menus, dashboard widgets."""
