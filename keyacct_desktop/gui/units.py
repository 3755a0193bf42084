"""One unit for electricity consumption across the app, chosen in the settings.

Utilities count large customers' consumption in 万千瓦时 (10,000 kWh); some prefer plain kWh.
Every list, chart and dialog that shows a consumption asks here (``ui.consumption_unit``),
so the customer list and 首页 never disagree again (the list said MWh, 首页 万千瓦时).
Values are stored in kWh whatever is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

SETTING = "ui.consumption_unit"
#: unit -> kWh per displayed unit
FACTORS = {"wan_kwh": 10_000.0, "kwh": 1.0}


def unit(settings: Any) -> str:
    value = str(settings.get(SETTING)) if settings is not None else "wan_kwh"
    return value if value in FACTORS else "wan_kwh"


def unit_names() -> dict[str, str]:
    """The choices, in the UI language (for the settings dialog)."""
    return {
        "wan_kwh": QCoreApplication.translate("Units", "10,000 kWh"),
        "kwh": QCoreApplication.translate("Units", "kWh"),
    }


def unit_label(settings: Any) -> str:
    """The unit's name for headers and axes: 万千瓦时 or 千瓦时."""
    return unit_names()[unit(settings)]


def in_unit(kwh: float, settings: Any) -> float:
    return kwh / FACTORS[unit(settings)]


def format_consumption(kwh: float | None, settings: Any) -> str:
    """A consumption in the chosen unit: 万千瓦时 with one decimal, kWh whole."""
    if kwh is None:
        return ""
    if unit(settings) == "kwh":
        return f"{kwh:,.0f}"
    return f"{kwh / FACTORS['wan_kwh']:,.1f}"


def with_unit(text: str, settings: Any) -> str:
    """``"Annual consumption (%1)"`` with the unit put in."""
    return text.replace("%1", unit_label(settings))
