"""Two sections of the customer editor (大客户档案), each a widget of its own: the class and
risk box (class in force, setting it by hand, risk badges, class history) and the emergency
power and credit indicators. The editor reads and saves them with the rest of the profile."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.domain.customer_fields import field_label
from keyacct_desktop.domain.pyramid import PYRAMID_CLASSES
from keyacct_desktop.gui.widgets.dates import py_date
from keyacct_desktop.services.customer_profile import ProfileForm, ProfileStatus

#: A risk flag as a red badge.
_BADGE_STYLE = "QLabel { background: #c62828; color: white; border-radius: 8px; padding: 1px 8px; }"


class ClassStatusBox(QWidget):
    """The pyramid class in force, the controls to set it by hand, risk badges, history."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.class_label = QLabel()
        self.class_label.setWordWrap(True)
        self.risk_row = QHBoxLayout()
        self.risk_badges: list[QLabel] = []
        self.history = QListWidget()
        self.manual_class = QComboBox()
        for code in PYRAMID_CLASSES:
            self.manual_class.addItem(code, code)
        self.manual_reason = QLineEdit()
        self.manual_reason.setPlaceholderText(self.tr("Reason (required)"))
        self.set_class_button = QPushButton(self.tr("Set class by hand"))
        self.computed_class_button = QPushButton(self.tr("Use the computed class"))
        manual_row = QHBoxLayout()
        manual_row.addWidget(self.manual_class)
        manual_row.addWidget(self.manual_reason, 1)
        manual_row.addWidget(self.set_class_button)
        manual_row.addWidget(self.computed_class_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.class_label)
        layout.addLayout(manual_row)
        layout.addLayout(self.risk_row)
        layout.addWidget(QLabel(self.tr("Class changes")))
        layout.addWidget(self.history, 1)

    def show_status(self, status: ProfileStatus | None, *, editable: bool, english: bool) -> None:
        """The class in force with its history and the risk badges of an existing customer
        (``editable``); a new one has none yet."""
        for badge in self.risk_badges:
            self.risk_row.removeWidget(badge)
            badge.deleteLater()
        self.risk_badges = []
        self.history.clear()
        for widget in (
            self.manual_class,
            self.manual_reason,
            self.set_class_button,
            self.computed_class_button,
        ):
            widget.setEnabled(editable)
        if not editable or status is None:
            self.class_label.setText(self.tr("A new customer is classified on the next recompute."))
            return
        self.computed_class_button.setEnabled(status.override_reason is not None)
        text = self.tr("Class in force: %1").replace("%1", status.pyramid_class or "—")
        if status.override_reason:
            text += "  " + self.tr("(set by hand: %1)").replace("%1", status.override_reason)
        if status.pooled_on:
            text += "\n" + self.tr("In the pool since %1").replace(
                "%1", status.pooled_on.isoformat()
            )
        self.class_label.setText(text)
        for zh, en in status.risk_flags:
            badge = QLabel(en if english else zh)
            badge.setStyleSheet(_BADGE_STYLE)
            self.risk_badges.append(badge)
            self.risk_row.addWidget(badge)
        if not status.risk_flags:
            badge = QLabel(self.tr("No arrears or credit risk"))
            self.risk_badges.append(badge)
            self.risk_row.addWidget(badge)
        self.risk_row.addStretch(1)
        bases = {
            "consumption": self.tr("by consumption"),
            "profit": self.tr("by profit contribution"),
            "manual": self.tr("set by hand"),
        }
        for change in status.class_history:
            line = f"{change.changed_at:%Y-%m-%d %H:%M}  {change.old_class or '—'} → "
            line += f"{change.new_class or '—'}  {bases.get(change.basis, change.basis)}"
            self.history.addItem(line + (f": {change.reason}" if change.reason else ""))
        if not status.class_history:
            self.history.addItem(self.tr("No class changes yet."))


class SupplyAndCreditForm(QWidget):
    """Emergency power and the credit/arrears indicators, with the day they were taken."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        """Emergency power and the credit/arrears indicators with the day they were taken.

        Labels come from the field table (``domain.customer_fields``), as in imports/exports.
        """
        super().__init__(parent)
        self.emergency_power = QLineEdit()
        self.emergency_power.setPlaceholderText(self.tr("e.g. diesel generator"))
        self.indicators: dict[str, QDoubleSpinBox] = {}
        for name, suffix, minimum, maximum, decimals in (
            ("emergency_power_kw", " kW", -1, 1_000_000, 1),
            ("recovery_rate", " %", -1, 100, 2),
            ("on_time_rate", " %", -1, 100, 2),
            ("consumption_growth", " %", -101, 10_000, 2),
        ):
            spin = QDoubleSpinBox()
            spin.setRange(minimum, maximum)
            spin.setDecimals(decimals)
            spin.setSuffix(suffix)
            spin.setSpecialValueText(self.tr("(not set)"))
            spin.setValue(minimum)
            self.indicators[name] = spin
        self.counts: dict[str, QSpinBox] = {}
        for name in ("overdue_count", "overdue_days_max", "violation_count"):
            box = QSpinBox()
            box.setRange(0, 100_000)
            self.counts[name] = box
        self.flags: dict[str, QCheckBox] = {
            "high_energy": QCheckBox(),
            "operating_trouble": QCheckBox(),
        }
        self.risk_updated_on = QLineEdit()
        self.risk_updated_on.setPlaceholderText(self.tr("year-month-day, e.g. 2026-03-01"))
        form = QFormLayout(self)
        form.addRow(field_label("emergency_power", language), self.emergency_power)
        form.addRow(
            field_label("emergency_power_kw", language), self.indicators["emergency_power_kw"]
        )
        for name in ("recovery_rate", "on_time_rate"):
            form.addRow(field_label(name, language), self.indicators[name])
        for name, box in self.counts.items():
            form.addRow(field_label(name, language), box)
        form.addRow(
            field_label("consumption_growth", language), self.indicators["consumption_growth"]
        )
        for name, check_box in self.flags.items():
            form.addRow(field_label(name, language), check_box)
        form.addRow(field_label("risk_updated_on", language), self.risk_updated_on)

    def load(self, data: ProfileForm) -> None:
        self.emergency_power.setText(data.emergency_power)
        for name, spin in self.indicators.items():
            value = getattr(data, name)
            if value is not None and name != "emergency_power_kw":
                value = round(value * 100, 4)  # rates are kept as fractions, shown in %
            spin.setValue(spin.minimum() if value is None else value)
        for name, box in self.counts.items():
            box.setValue(getattr(data, name))
        for name, check_box in self.flags.items():
            check_box.setChecked(getattr(data, name))
        day = data.risk_updated_on
        self.risk_updated_on.setText(day.isoformat() if day else "")

    def values(self) -> dict[str, Any]:
        """The section's fields as the profile form keeps them (rates as fractions)."""
        values: dict[str, object] = {"emergency_power": self.emergency_power.text()}
        for name, spin in self.indicators.items():
            value = None if spin.value() == spin.minimum() else spin.value()
            if value is not None and name != "emergency_power_kw":
                value = round(value / 100, 6)
            values[name] = value
        values.update({name: box.value() for name, box in self.counts.items()})
        values.update({name: box.isChecked() for name, box in self.flags.items()})
        day = QDate.fromString(self.risk_updated_on.text().strip(), "yyyy-MM-dd")
        values["risk_updated_on"] = py_date(day) if day.isValid() else None
        return values
