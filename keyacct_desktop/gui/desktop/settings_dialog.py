"""设置 dialog, generated from the options declared in :mod:`keyacct_desktop.settings`.

Each declared group is a tab; each option with a group gets its declared label, help as the
tooltip (source texts of the declarations, translated here in the context ``Settings``), and an editor chosen by its declaration: the type of its default (text, on/off,
whole number, decimal, mapping of numbers with the declared item labels, list of dates or
years), its choices, its range, or a file chooser (logo, CA certificate). Saving validates everything
first (:mod:`settings_rules`) and then writes the settings file once, atomically.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
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

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.desktop.settings_rules import validate
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.settings import GROUPS as SETTING_GROUPS
from keyacct_desktop.settings import OPTIONS, Settings, options_of
from keyacct_desktop.settings.options import CONTEXT as SETTINGS_CONTEXT

CONTEXT = "SettingsDialog"

#: (group key, tab title, option keys) in the order the dialog shows them: every declared
#: option with a group (``keyacct_desktop.settings``), none listed here by hand.
GROUPS: list[tuple[str, str, list[str]]] = [
    (group, title, [option.key for option in options_of(group)])
    for group, title in SETTING_GROUPS.items()
    if options_of(group)
]


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
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.edit)

    def value(self) -> str:
        return self.edit.text().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setText(str(value))

    def focus_editor(self) -> None:
        self.edit.setFocus()
        self.edit.selectAll()


class FileEditor(TextEditor):
    """A path with a Browse button (letterhead logo, CA certificate)."""

    def __init__(self, title: str, filter: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._filter = filter
        self.browse = QPushButton(self.tr("Browse…"))
        self.browse.clicked.connect(self.choose)
        self.row.addWidget(self.browse)

    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self._title, self.value(), self._filter)
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


class BoolEditor(OptionEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addStretch(1)

    def value(self) -> bool:
        return self.check.isChecked()

    def set_value(self, value: Any) -> None:
        self.check.setChecked(bool(value))

    def focus_editor(self) -> None:
        self.check.setFocus()


def _decimal_spin(low: float, high: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setDecimals(3 if high <= 10 else 2)
    spin.setRange(low, high)
    spin.setSingleStep(0.05 if high <= 10 else 1.0)
    return spin


class FloatEditor(OptionEditor):
    def __init__(self, low: float, high: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spin = _decimal_spin(low, high)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        layout.addStretch(1)

    def value(self) -> float:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(float(value))

    def focus_editor(self) -> None:
        self.spin.setFocus()


class IntMapEditor(OptionEditor):
    """A mapping of names to numbers (visit frequencies, time limits, tariffs): a whole-number
    or decimal box per item, by the type of the item's default."""

    def __init__(
        self,
        labels: dict[str, str],
        low: float,
        high: float,
        parent: QWidget | None = None,
        decimals: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self.spins: dict[str, QSpinBox | QDoubleSpinBox] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for key, text in labels.items():
            spin: QSpinBox | QDoubleSpinBox
            if key in decimals:
                spin = _decimal_spin(low, high)
            else:
                spin = QSpinBox()
                spin.setRange(int(low), int(min(high, 2**31 - 1)))
            spin.setObjectName(key)
            self.spins[key] = spin
            form.addRow(text, spin)

    def value(self) -> dict[str, Any]:
        return {key: spin.value() for key, spin in self.spins.items()}

    def set_value(self, value: Any) -> None:
        for key, number in dict(value).items():
            spin = self.spins.get(key)
            if isinstance(spin, QDoubleSpinBox):
                spin.setValue(float(number))
            elif spin is not None:
                spin.setValue(int(number))

    def focus_editor(self) -> None:
        next(iter(self.spins.values())).setFocus()


class FloatListEditor(OptionEditor):
    """A fixed number of decimals side by side (the pyramid's cut-offs)."""

    def __init__(self, count: int, low: float, high: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spins = [_decimal_spin(low, high) for _ in range(count)]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for spin in self.spins:
            layout.addWidget(spin)
        layout.addStretch(1)

    def value(self) -> list[float]:
        return [spin.value() for spin in self.spins]

    def set_value(self, value: Any) -> None:
        for spin, number in zip(self.spins, list(value), strict=False):
            spin.setValue(float(number))

    def focus_editor(self) -> None:
        self.spins[0].setFocus()


class YearsEditor(TextEditor):
    """Years typed as "2026, 2027"; a word that is not a number is handed on as text, for the
    check to name it."""

    def value(self) -> list[Any]:  # type: ignore[override]
        words = self.edit.text().replace("，", ",").replace(",", " ").split()
        return [int(word) if word.isdigit() else word for word in words]

    def set_value(self, value: Any) -> None:
        self.edit.setText(", ".join(str(year) for year in value))


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


def translated(source: str) -> str:
    """A text of the settings declarations in the UI's language (the installed translators)."""
    return QCoreApplication.translate(SETTINGS_CONTEXT, source)


def make_editor(key: str) -> OptionEditor:
    """The editor for a declared option, chosen by its type, choices and items."""
    option = OPTIONS[key]
    default = option.default
    low = option.low if option.low is not None else 0
    high = option.high if option.high is not None else 1_000_000
    if option.choices is not None:
        return ChoiceEditor({k: translated(text) for k, text in option.choices.items()})
    if key == "letterhead.logo_path":
        return FileEditor(
            QCoreApplication.translate("SettingsDialog", "Choose the letterhead logo"),
            QCoreApplication.translate("SettingsDialog", "Images (*.png *.jpg *.jpeg)"),
        )
    if key == "sync.ca_file":
        return FileEditor(
            QCoreApplication.translate("SettingsDialog", "Choose the CA certificate"),
            QCoreApplication.translate("SettingsDialog", "Certificates (*.pem *.crt)"),
        )
    if isinstance(default, bool):
        return BoolEditor()
    if isinstance(default, dict):
        labels = {k: translated(option.items[k]) if k in option.items else k for k in default}
        decimals = frozenset(k for k, v in default.items() if isinstance(v, float))
        return IntMapEditor(labels, low, high, decimals=decimals)
    if isinstance(default, list) and default and isinstance(default[0], float):
        return FloatListEditor(len(default), low, high)
    if isinstance(default, list) and option.low is not None:
        return YearsEditor()
    if isinstance(default, list):
        return DateListEditor()
    if isinstance(default, float):
        return FloatEditor(low, high)
    if isinstance(default, int):
        return IntEditor(int(low), int(high))
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
        fit_to_screen(self, 780, 600)
        self.tabs = QTabWidget()
        self.editors: dict[str, OptionEditor] = {}
        self.pages: dict[str, QWidget] = {}
        self._group_of: dict[str, str] = {}
        for group, title, keys in GROUPS:
            page = QWidget()
            form = QFormLayout(page)
            for key in keys:
                editor = make_editor(key)
                editor.setObjectName(key)
                editor.setToolTip(self._tooltip(key))
                editor.set_value(settings.get(key))
                self.editors[key] = editor
                self._group_of[key] = group
                form.addRow(translated(OPTIONS[key].label), editor)
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
            self.tabs.addTab(scroll, translated(title))

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

    def _tooltip(self, key: str) -> str:
        """What the setting does and its default, in the UI's language (never the raw key)."""
        text = translated(OPTIONS[key].help)
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
