"""Reading and writing the values of customer fields (``customer_fields``) as spreadsheets hold
them: units in headers and cells, numbers typed as text, codes by their short forms, dates,
yes/no, phones. Pure functions: no Qt, no database."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from keyacct_desktop.domain.customer_fields import (
    FALSE_VALUES,
    INDUSTRY_DIVISION_RANGES,
    INDUSTRY_DIVISIONS,
    NONE_VALUES,
    TRUE_VALUES,
    CustomerField,
)
from keyacct_desktop.domain.enums import (
    Industry,
)

#: Units a header or cell may carry, by the stored unit: factor to the stored unit.
UNITS: dict[str, dict[str, float]] = {
    "kWh": {
        "kwh": 1,
        "千瓦时": 1,
        "度": 1,
        "万kwh": 1e4,
        "万千瓦时": 1e4,
        "万度": 1e4,
        "mwh": 1e3,
        "兆瓦时": 1e3,
        "gwh": 1e6,
        "亿kwh": 1e8,
        "亿千瓦时": 1e8,
    },
    "kVA": {"kva": 1, "千伏安": 1, "mva": 1e3, "兆伏安": 1e3, "万kva": 1e4, "万千伏安": 1e4},
    "kV": {"kv": 1, "千伏": 1, "v": 1e-3, "伏": 1e-3},
    "kW": {"kw": 1, "千瓦": 1, "mw": 1e3, "兆瓦": 1e3},
    "元": {"元": 1, "万元": 1e4, "亿元": 1e8},
}


_ALL_UNITS = sorted({u for table in UNITS.values() for u in table}, key=len, reverse=True)


_CELL_UNIT_RE = re.compile(
    "^(?P<number>[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:e[-+]?\\d+)?)\\s*(?P<unit>"
    + "|".join(re.escape(u) for u in _ALL_UNITS)
    + "|%)?$",
    re.IGNORECASE,
)


def fold(text: object) -> str:
    """Full-width digits, letters and punctuation to their plain forms; blanks removed."""
    if text is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def header_key(text: object) -> str:
    """A header as compared with the aliases: folded, without brackets, colons and slashes."""
    return re.sub(r"[()\[\]{}:/、\\_\-*·.]", "", fold(text)).lower()


def split_header(text: object) -> tuple[str, str]:
    """``年用电量(万千瓦时)`` → (``年用电量``, ``万千瓦时``); the unit is "" when none is given."""
    folded = fold(text)
    match = re.match(r"^(?P<name>.*?)[(\[](?:单位[:]?)?(?P<unit>[^()\[\]]*)[)\]]$", folded)
    if match:
        unit = match.group("unit")
        if unit.lower() in _ALL_UNITS or unit == "%":
            return match.group("name"), unit
        return folded, ""
    lower = folded.lower()
    for unit in (*_ALL_UNITS, "%"):
        if lower.endswith(unit) and len(folded) > len(unit):
            return folded[: -len(unit)], folded[-len(unit) :]
    return folded, ""


def unit_factor(spec: CustomerField, unit: str) -> float | None:
    """The factor from ``unit`` to the field's stored unit (None: not a unit of this field)."""
    if not unit:
        return 1.0
    if spec.kind == "rate":
        return 0.01 if unit == "%" else None
    return UNITS.get(spec.unit, {}).get(unit.lower())


class ValueProblem(ValueError):
    """A cell that cannot be read; the message says why, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def _nominal_kv(value: float) -> float:
    """380 V is the 0.4 kV level and 220 V the 0.22 kV one, as rosters write them."""
    return {0.38: 0.4, 0.4: 0.4, 0.22: 0.22}.get(round(value, 3), value)


def parse_number(spec: CustomerField, value: object, factor: float = 1.0) -> float | None:
    """A number from a cell: text with separators, full-width digits and units is accepted."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"{spec.zh}“{value}”不是数字", f"{spec.en} {value!r} is not a number")
    if isinstance(value, int | float):
        number = float(value) * factor
        if spec.percent_of_one and factor == 1.0 and abs(number) > 1.5:
            number /= 100  # 98.5 in a column without a unit is a percentage
        return _finish(spec, number, value)
    text = fold(value).replace(",", "").replace("，", "")
    if spec.key == "voltage_kv":
        text = re.sub(r"^(?:交流|AC|ac|直流|DC)", "", text)
    if spec.kind == "rate" and text.endswith("%"):
        return _finish(spec, _float(spec, text[:-1], value) / 100, value)
    match = _CELL_UNIT_RE.match(text)
    if not match:
        raise ValueProblem(f"{spec.zh}“{value}”不是数字", f"{spec.en} {value!r} is not a number")
    number = _float(spec, match.group("number"), value)
    unit = match.group("unit")
    if unit:
        cell_factor = unit_factor(spec, unit)
        if cell_factor is None:
            raise ValueProblem(
                f"{spec.zh}“{value}”的单位不对(应为 {spec.unit})",
                f"{spec.en} {value!r}: wrong unit (expected {spec.unit})",
            )
        number *= cell_factor
    else:
        number *= factor
        if spec.percent_of_one and factor == 1.0 and abs(number) > 1.5:
            number /= 100
    return _finish(spec, number, value)


def _float(spec: CustomerField, text: str, value: object) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueProblem(
            f"{spec.zh}“{value}”不是数字", f"{spec.en} {value!r} is not a number"
        ) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueProblem(f"{spec.zh}“{value}”不是数字", f"{spec.en} {value!r} is not a number")
    return number


def _finish(spec: CustomerField, number: float, value: object) -> float:
    if number != number or abs(number) == float("inf"):
        raise ValueProblem(f"{spec.zh}“{value}”不是数字", f"{spec.en} {value!r} is not a number")
    if spec.key == "voltage_kv":
        return _nominal_kv(number)
    return number if number.is_integer() else round(number, 6)  # 386.91 万 → 3869100, not …0005


def parse_int(spec: CustomerField, value: object) -> int | None:
    number = parse_number(spec, value)
    if number is None:
        return None
    if not float(number).is_integer() or number < 0:
        raise ValueProblem(
            f"{spec.zh}“{value}”应为不小于 0 的整数",
            f"{spec.en} {value!r} must be a whole number ≥ 0",
        )
    return int(number)


def parse_code(spec: CustomerField, value: object) -> str:
    """The stored code of an enumeration from a code, label or utility short form."""
    return _code_of(spec, value if isinstance(value, str) else str(value))


@lru_cache(maxsize=4096)
def _code_of(spec: CustomerField, value: str) -> str:
    """Rosters repeat a handful of values in every row: each is worked out once."""
    assert spec.enum is not None
    text = fold(value)
    if not text:
        return ""
    for candidate in (text, text.upper()):
        if candidate in spec.values:  # before NONE_VALUES: 是否入池 = 否 is not pooled
            return spec.values[candidate]
    if text in NONE_VALUES:
        return ""
    plain = re.sub(r"[、,,()]", "", text)
    for member in spec.enum:
        labels = (member.value, fold(member.zh), member.en)
        if text in labels or text.lower() in (member.en.lower(), member.value.lower()):
            return member.value
        if plain == re.sub(r"[、,,()]", "", fold(member.zh)):
            return member.value
    if plain in spec.values:
        return spec.values[plain]
    if spec.enum is Industry:
        section = industry_section(text)
        if section is not None:
            return section
    raise ValueProblem(f"{spec.zh}“{value}”无法识别", f"unknown {spec.en.lower()} {value!r}")


def industry_section(text: str) -> str | None:
    """The section of a division name or code ("化学原料和化学制品制造业", "26", "C2614",
    "C 制造业"), or ``None``."""
    plain = re.sub(r"[、,,()()\s]", "", text)
    for section, names in INDUSTRY_DIVISIONS.items():
        if plain in names:
            return section
    code = re.fullmatch(r"([A-Ta-t])?(\d{2})\d{0,2}", plain)
    if code:
        division = int(code.group(2))
        for section, first, last in INDUSTRY_DIVISION_RANGES:
            if first <= division <= last:
                return section
    if text[:1].isascii() and text[:1].isalpha() and text[:1].upper() in INDUSTRY_DIVISIONS:
        return text[:1].upper()  # "C 制造业", "C13"
    return None


def industry_division(text: str) -> str | None:
    """The division name a cell names (for the detail), or ``None`` for a section or a code."""
    plain = re.sub(r"[、,,()()\s]", "", fold(text))
    return plain if any(plain in names for names in INDUSTRY_DIVISIONS.values()) else None


def parse_bool(spec: CustomerField, value: object) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = fold(value).lower()
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    raise ValueProblem(
        f"{spec.zh}“{value}”应为 是/否", f"{spec.en} {value!r} must be yes or no (是/否)"
    )


_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(spec: CustomerField, value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 80000:
        return _EXCEL_EPOCH + timedelta(days=int(value))  # an Excel serial day number
    text = fold(value)
    match = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\D.*)?$", text)
    if match is None:
        match = re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise ValueProblem(
        f"{spec.zh}“{value}”不是日期(应为 年-月-日,如 2026-03-01)",
        f"{spec.en} {value!r} is not a date (use e.g. 2026-03-01)",
    )


def text_value(value: object) -> str:
    """A text cell as the user sees it: numbers stored by Excel lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()


def account_value(value: object) -> str:
    """户号 as text: leading zeros kept, Excel's ``3.107e9`` and full-width digits undone."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return fold(value).replace("'", "")


PHONE_SPLIT_RE = re.compile(r"[;；,，/、]|\s{2,}")


def split_phones(value: object) -> list[str]:
    """Every number of a phone cell ("139…/0591-…"); full-width digits folded."""
    text = text_value(value)
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text)
    parts = [p.strip() for p in PHONE_SPLIT_RE.split(text)]
    return [re.sub(r"\s+", "", p) for p in parts if p.strip()]


def export_value(spec: CustomerField, value: object) -> object:
    """A stored value as an export writes it: codes as their Chinese label, yes/no as 是/否."""
    if value is None or value == "":
        return None
    if spec.kind == "code" and spec.enum is not None:
        try:
            return spec.enum(str(value)).zh
        except ValueError:
            return value
    if spec.kind == "bool":
        return "是" if value else "否"
    return value
