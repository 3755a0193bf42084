"""设置 dialog, generated from the options declared in :mod:`keyacct_desktop.settings`.

Each group is a tab; each declared option gets an editor chosen by the type of its default
(text, whole number, mapping of whole numbers, list of dates) or a special editor where a
plain one would invite mistakes (language choice, logo file). Saving validates everything
first (:mod:`settings_rules`) and then writes the settings file once, atomically.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.domain.enums import ImportantGrade, label
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.desktop.settings_rules import DICT_RANGES, INT_RANGES, validate
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.settings import OPTIONS, Settings

CONTEXT = "SettingsDialog"

#: (group key, tab title, option keys) in the order the dialog shows them.
GROUPS: list[tuple[str, str, list[str]]] = [
    (
        "server",
        QT_TRANSLATE_NOOP("SettingsDialog", "Server"),
        ["sync.server_url", "sync.username", "sync.interval_seconds"],
    ),
    (
        "letterhead",
        QT_TRANSLATE_NOOP("SettingsDialog", "Letterhead"),
        [
            "letterhead.company",
            "letterhead.department",
            "letterhead.address",
            "letterhead.hotline",
            "letterhead.logo_path",
        ],
    ),
    (
        "visits",
        QT_TRANSLATE_NOOP("SettingsDialog", "Visit frequencies"),
        ["visits.class_frequency_days", "visits.grade_frequency_days"],
    ),
    (
        "limits",
        QT_TRANSLATE_NOOP("SettingsDialog", "Time limits"),
        ["limits.warn_within_workdays", "limits.working_days", "limits.customer_terms"],
    ),
    (
        "calendar",
        QT_TRANSLATE_NOOP("SettingsDialog", "Holiday calendar"),
        ["calendar.holidays", "calendar.extra_workdays"],
    ),
    (
        "language",
        QT_TRANSLATE_NOOP("SettingsDialog", "Language and units"),
        ["ui.language", "ui.consumption_unit"],
    ),
    (
        "security",
        QT_TRANSLATE_NOOP("SettingsDialog", "Idle lock"),
        ["security.idle_lock_minutes"],
    ),
]

#: Short labels of the options shown (the declared description becomes the tooltip).
LABELS: dict[str, str] = {
    "sync.server_url": QT_TRANSLATE_NOOP("SettingsDialog", "Server address"),
    "sync.username": QT_TRANSLATE_NOOP("SettingsDialog", "Account name"),
    "sync.interval_seconds": QT_TRANSLATE_NOOP("SettingsDialog", "Sync every (seconds)"),
    "letterhead.company": QT_TRANSLATE_NOOP("SettingsDialog", "Company"),
    "letterhead.department": QT_TRANSLATE_NOOP("SettingsDialog", "Department"),
    "letterhead.address": QT_TRANSLATE_NOOP("SettingsDialog", "Address"),
    "letterhead.hotline": QT_TRANSLATE_NOOP("SettingsDialog", "Service hotline"),
    "letterhead.logo_path": QT_TRANSLATE_NOOP("SettingsDialog", "Logo (PNG or JPEG)"),
    "visits.class_frequency_days": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Visit every N days, by class"
    ),
    "visits.grade_frequency_days": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Visit every N days, by important-user grade"
    ),
    "limits.warn_within_workdays": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Warn when working days left"
    ),
    "limits.working_days": QT_TRANSLATE_NOOP("SettingsDialog", "Time limits (working days)"),
    "limits.customer_terms": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Terms told to the customer (not counted down)"
    ),
    "calendar.holidays": QT_TRANSLATE_NOOP("SettingsDialog", "Public holidays"),
    "calendar.extra_workdays": QT_TRANSLATE_NOOP("SettingsDialog", "Weekend working days (调休)"),
    "ui.language": QT_TRANSLATE_NOOP("SettingsDialog", "User interface language"),
    "ui.consumption_unit": QT_TRANSLATE_NOOP("SettingsDialog", "Consumption shown in"),
    "security.idle_lock_minutes": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Lock after idle minutes (0 = never)"
    ),
}

#: Labels of the keys inside ``limits.working_days``.
LIMIT_LABELS: dict[str, str] = {
    "plan_reply_hv_single": QT_TRANSLATE_NOOP("SettingsDialog", "Plan reply, HV single source"),
    "plan_reply_hv_dual": QT_TRANSLATE_NOOP("SettingsDialog", "Plan reply, HV dual source"),
    "plan_reply_lv": QT_TRANSLATE_NOOP("SettingsDialog", "Plan reply, LV"),
    "plan_reply_residential": QT_TRANSLATE_NOOP("SettingsDialog", "Plan reply, residential"),
    "design_review": QT_TRANSLATE_NOOP("SettingsDialog", "Design review"),
    "mid_check": QT_TRANSLATE_NOOP("SettingsDialog", "Mid-construction check"),
    "completion_check": QT_TRANSLATE_NOOP("SettingsDialog", "Completion check"),
    "energising": QT_TRANSLATE_NOOP("SettingsDialog", "Metering and energising"),
    "energising_residential": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Metering and energising, residential"
    ),
    "utility_total_hv_single": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Total utility time, HV single source"
    ),
    "utility_total_hv_dual": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Total utility time, HV dual source"
    ),
    "utility_total_lv": QT_TRANSLATE_NOOP("SettingsDialog", "Total utility time, LV"),
}

#: Labels of the keys inside ``limits.customer_terms`` (the unit is part of the label).
TERM_LABELS: dict[str, str] = {
    "mid_check_request_days": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Ask for the mid-construction check ahead (days)"
    ),
    "reduction_notice_days": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Apply for a capacity reduction ahead (days)"
    ),
    "reduction_min_months": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Capacity reduction, shortest (months)"
    ),
    "reduction_max_years": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Capacity reduction, longest (years)"
    ),
    "suspension_notice_days": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Apply for a suspension ahead (days)"
    ),
    "suspension_times_per_year": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Suspensions per calendar year, at most"
    ),
    "suspension_min_days": QT_TRANSLATE_NOOP("SettingsDialog", "Each suspension, shortest (days)"),
    "suspension_max_months_per_year": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Suspension per year in total, longest (months)"
    ),
    "temp_swap_months_up_to_10kv": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Temporary transformer swap up to 10 kV (months)"
    ),
    "temp_swap_months_from_35kv": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Temporary transformer swap from 35 kV (months)"
    ),
    "temp_removal_max_months": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Temporary removal, longest (months)"
    ),
    "temporary_supply_max_months": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Temporary supply, longest (months)"
    ),
}

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class OptionEditor(QWidget):
    """An editor for one setting: ``value()`` reads it, ``set_value()`` shows one."""

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_editor(self) -> None:
        self.setFocus()


class TextEditor(OptionEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def value(self) -> str:
        return self.edit.text().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setText(str(value))

    def focus_editor(self) -> None:
        self.edit.setFocus()
        self.edit.selectAll()


class FileEditor(TextEditor):
    """A path with a Browse button (letterhead logo)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browse = QPushButton(self.tr("Browse…"))
        self.browse.clicked.connect(self.choose)
        self.layout().addWidget(self.browse)

    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the letterhead logo"),
            self.value(),
            self.tr("Images (*.png *.jpg *.jpeg)"),
        )
        if path:
            self.edit.setText(path)


class IntEditor(OptionEditor):
    def __init__(self, low: int = 0, high: int = 1_000_000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spin = QSpinBox()
        self.spin.setRange(low, high)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        layout.addStretch(1)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value))

    def focus_editor(self) -> None:
        self.spin.setFocus()


class ChoiceEditor(OptionEditor):
    def __init__(self, choices: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        for key, text in choices.items():
            self.combo.addItem(text, key)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)

    def value(self) -> str:
        return str(self.combo.currentData())

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))

    def focus_editor(self) -> None:
        self.combo.setFocus()


class IntMapEditor(OptionEditor):
    """A mapping of names to whole numbers (visit frequencies, time limits)."""

    def __init__(
        self, labels: dict[str, str], low: int, high: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for key, text in labels.items():
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setObjectName(key)
            self.spins[key] = spin
            form.addRow(text, spin)

    def value(self) -> dict[str, int]:
        return {key: spin.value() for key, spin in self.spins.items()}

    def set_value(self, value: Any) -> None:
        for key, number in dict(value).items():
            if key in self.spins:
                self.spins[key].setValue(int(number))

    def focus_editor(self) -> None:
        next(iter(self.spins.values())).setFocus()


class DateListEditor(OptionEditor):
    """A sorted list of dates with a date picker to add and a button to remove."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setMinimumHeight(150)
        self.picker = QDateEdit()
        self.picker.setCalendarPopup(True)
        self.picker.setDisplayFormat("yyyy-MM-dd")
        self.picker.setDate(QDate.currentDate())
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.add_button.clicked.connect(self.add_picked)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.picker)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def value(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def set_value(self, value: Any) -> None:
        self.list.clear()
        self.list.addItems(sorted(str(v) for v in value))

    def add_date(self, day: date) -> None:
        values = set(self.value())
        values.add(day.isoformat())
        self.set_value(values)

    def add_picked(self) -> None:
        picked = self.picker.date()
        self.add_date(date(picked.year(), picked.month(), picked.day()))

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def focus_editor(self) -> None:
        self.list.setFocus()


def make_editor(key: str, language: str) -> OptionEditor:
    """The editor for a declared option, chosen by key where special, else by default type."""
    default = OPTIONS[key].default
    if key == "ui.language":
        return ChoiceEditor(LANGUAGE_NAMES)
    if key == "ui.consumption_unit":
        from keyacct_desktop.gui.units import unit_names

        return ChoiceEditor(unit_names())
    if key == "letterhead.logo_path":
        return FileEditor()
    if key == "visits.class_frequency_days":
        low, high, _ = DICT_RANGES[key]
        template = QCoreApplication.translate("SettingsDialog", "Class %1")
        labels = {code: template.replace("%1", code) for code in default}
        return IntMapEditor(labels, low, high)
    if key == "visits.grade_frequency_days":
        low, high, _ = DICT_RANGES[key]
        return IntMapEditor({g: label(ImportantGrade(g), language) for g in default}, low, high)
    if key == "limits.working_days":
        low, high, _ = DICT_RANGES[key]
        return IntMapEditor({k: _tr(LIMIT_LABELS.get(k, k)) for k in default}, low, high)
    if key == "limits.customer_terms":
        low, high, _ = DICT_RANGES[key]
        return IntMapEditor({k: _tr(TERM_LABELS.get(k, k)) for k in default}, low, high)
    if isinstance(default, list):
        return DateListEditor()
    if isinstance(default, int) and not isinstance(default, bool):
        low, high, _ = INT_RANGES.get(key, (0, 1_000_000, ""))
        return IntEditor(low, high)
    return TextEditor()


class SettingsDialog(QDialog):
    """Edit the declared settings, grouped in tabs; Save validates, then writes once.

    Attributes:
        settings: the settings being edited (saved to its file on Save).
        editors: the editor of each shown option, by key.
        pages: the tab of each group, by group key.

    Signals:
        saved(list): the keys whose values changed, after a successful save.
    """

    saved = Signal(list)

    def __init__(self, settings: Settings, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.language = language
        self.setWindowTitle(self.tr("Settings"))
        fit_to_screen(self, 640, 560)
        self.tabs = QTabWidget()
        self.editors: dict[str, OptionEditor] = {}
        self.pages: dict[str, QWidget] = {}
        self._group_of: dict[str, str] = {}
        for group, title, keys in GROUPS:
            page = QWidget()
            form = QFormLayout(page)
            for key in keys:
                editor = make_editor(key, language)
                editor.setObjectName(key)
                editor.setToolTip(self._tooltip(key, language))
                editor.set_value(settings.get(key))
                self.editors[key] = editor
                self._group_of[key] = group
                form.addRow(_tr(LABELS.get(key, key)), editor)
            if group == "language":
                note = QLabel(self.tr("A new language applies when KeyAcct is started again."))
                note.setWordWrap(True)
                form.addRow(note)
            if group == "server":
                note = QLabel(
                    self.tr(
                        "The device token is kept in the system keyring; sign in on the "
                        "Sync page to get one."
                    )
                )
                note.setWordWrap(True)
                form.addRow(note)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.pages[group] = scroll
            self.tabs.addTab(scroll, _tr(title))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).setText(
            self.tr("Defaults for this tab")
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            self.restore_tab_defaults
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

    def _tooltip(self, key: str, language: str) -> str:
        """What the setting is and its default, in the UI's language (never the raw key).

        The declared description is English: the Chinese UI shows the translated label.
        """
        text = OPTIONS[key].description if language.startswith("en") else _tr(LABELS.get(key, key))
        default = OPTIONS[key].default
        if isinstance(default, bool):
            default = self.tr("on") if default else self.tr("off")
        if isinstance(default, str | int | float) and default != "":
            text = self.tr("%1 (default: %2)").replace("%1", text).replace("%2", str(default))
        return text

    def values(self) -> dict[str, Any]:
        """What the editors show now, by setting key."""
        return {key: editor.value() for key, editor in self.editors.items()}

    def restore_tab_defaults(self) -> None:
        current = self.tabs.currentWidget()
        for key, editor in self.editors.items():
            if self.pages[self._group_of[key]] is current:
                editor.set_value(OPTIONS[key].default)

    def show_field(self, key: str) -> None:
        """Bring the editor of ``key`` to the front (after a validation error)."""
        if key in self.editors:
            self.tabs.setCurrentWidget(self.pages[self._group_of[key]])
            self.editors[key].focus_editor()

    def save(self) -> bool:
        """Validate every value, then write the settings file once; ``False`` on a problem."""
        values = self.values()
        try:
            validate(values)
        except UserError as error:
            self.show_field(error.field or "")
            show_error(self, error, self.language)
            return False
        changed = [key for key, value in values.items() if value != self.settings.get(key)]
        previous = {key: self.settings.get(key) for key in changed}
        try:
            for key in changed:
                self.settings.set(key, values[key])
            self.settings.save()
        except (OSError, UserError) as error:
            for key, value in previous.items():  # keep memory and file in agreement
                self.settings.set(key, value)
            if isinstance(error, OSError):
                error = UserError(f"设置无法保存:{error}", f"the settings cannot be saved: {error}")
            show_error(self, error, self.language)
            return False
        self.saved.emit(changed)
        self.accept()
        return True
