"""Settings, declared once with their defaults (after Picard's ``options.py``).

Every option the app reads is listed in :data:`OPTIONS`; the settings file stores only the
values a user or administrator changed. The file is JSON in the data directory, written
atomically, so a crash never leaves half a settings file. No Qt here: services read
settings too (visit frequencies, time limits, holiday calendar).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keyacct_desktop.domain.billing import DEFAULT_BASIC_CHARGE, DEFAULT_CAPACITY_ADVICE
from keyacct_desktop.domain.economics import (
    DEFAULT_ARREARS_RISK,
    DEFAULT_CREDIT_RATINGS,
    DEFAULT_CREDIT_SCORE,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.workdays import DEFAULT_EXTRA_WORKDAYS_2026, DEFAULT_HOLIDAYS_2026

SETTINGS_FILENAME = "settings.json"


@dataclass(frozen=True)
class Option:
    """A declared setting: its key, default value and a one-line description."""

    key: str
    default: Any
    description: str


OPTIONS: dict[str, Option] = {}


def declare(key: str, default: Any, description: str) -> Option:
    if key in OPTIONS:
        raise ValueError(f"setting {key!r} declared twice")
    option = Option(key, default, description)
    OPTIONS[key] = option
    return option


# --- user interface
declare("ui.language", "zh_CN", "UI language: zh_CN (default) or en")
declare("ui.stretch_strings", False, "Pad UI strings to test layouts for longer translations")
declare("ui.consumption_unit", "wan_kwh", "Unit of consumption shown: wan_kwh (万千瓦时) or kwh")
declare("ui.columns", {}, "Table columns each user hid: {user: {table: [column names]}}")
# --- letterhead of printed documents
declare("letterhead.company", "国网示范供电公司", "Company name printed on every document")
declare("letterhead.department", "大客户服务中心", "Issuing department")
declare("letterhead.address", "示范市电力路 1 号", "Address line on documents")
declare("letterhead.hotline", "95598", "Service hotline printed on documents")
declare(
    "documents.verify_base_url",
    "",
    "Public address of the central server's verification page (https://…); the QR code of a "
    "document opens <address>/verify/<number>. Empty: the QR holds number and code only",
)
declare("letterhead.logo_path", "", "Optional logo image (PNG) for the letterhead")
# --- sync
declare("sync.server_url", "", "Central server URL; empty means work offline only")
declare("sync.username", "", "Account name on the central server")
declare("sync.interval_seconds", 300, "Background sync period when online")
declare(
    "sync.ca_file", "", "CA certificate (PEM) to trust for the server's TLS; empty = system CAs"
)
declare(
    "sync.allow_http",
    False,
    "Allow plain http:// to a server on another computer (trusted test networks only)",
)
declare(
    "sync.user_id", "", "Server user id of the signed-in account (whose data this folder holds)"
)
declare("sync.after_edit_seconds", 15, "Sync this many seconds after a local edit (0 = timer only)")
declare("sync.max_backoff_seconds", 900, "Longest wait between retries while the server is down")
# --- security
declare("security.idle_lock_minutes", 15, "Lock the app after this many idle minutes (0 = never)")
declare("security.min_passphrase_length", 8, "Shortest passphrase accepted for a new store key")
declare("security.attachment_max_mb", 20, "Largest attachment accepted, in MB")
declare("backup.keep", 10, "How many rotating backups of the local store to keep")
declare("backup.interval_hours", 24, "Take an automatic backup on start/exit if the last is older")
# --- referrals to the back office
declare(
    "referrals.due_workdays",
    {"demand": 5, "complaint": 1},
    "Working days a team has to answer, by kind (complaints: contact within 1 working day)",
)
# --- visits (frequencies in days per pyramid class and per important-customer grade)
declare(
    "visits.class_frequency_days",
    {"A": 30, "B": 60, "C": 90, "D": 180},
    "Visit every N days by pyramid class",
)
declare(
    "visits.grade_frequency_days",
    {"special": 15, "first": 30, "second": 60, "temporary": 30},
    "Visit every N days by important-customer grade (the shorter of class and grade wins)",
)
# --- pyramid classification
declare(
    "pyramid.basis",
    "consumption",
    "Classify by the last 12 months' 'consumption' (kWh), 'revenue' or 'profit' (yuan)",
)
declare(
    "pyramid.cost_per_kwh",
    0.45,
    "Average purchase and grid cost per kWh (yuan): profit = revenue - kWh x this",
)
declare("pyramid.reevaluate_months", 12, "Remind to re-evaluate the pyramid after N months")
declare(
    "pyramid.cumulative_cutoffs",
    [0.5, 0.8, 0.95],
    "Cumulative-share cut-offs for A/B/C; the rest is D",
)
# --- working-day calendar and service time limits (State Grid commitments; configurable)
declare(
    "calendar.holidays",
    list(DEFAULT_HOLIDAYS_2026),
    "Public holidays (YYYY-MM-DD) that are not working days",
)
declare(
    "calendar.extra_workdays",
    list(DEFAULT_EXTRA_WORKDAYS_2026),
    "Weekend days that are working days (调休)",
)
declare(
    "calendar.official_years",
    [],
    "Years whose official notice the administrator entered above: their days replace the "
    "bundled data (other years: bundled files in resources/calendar, or an estimate)",
)
declare("limits.warn_within_workdays", 3, "Warn when a time limit has this many working days left")
declare(
    "limits.working_days",
    {
        "plan_reply_hv_single": 15,
        "plan_reply_hv_dual": 30,
        "plan_reply_lv": 7,
        "plan_reply_residential": 3,
        "design_review": 10,
        "mid_check": 5,
        "completion_check": 5,
        "energising": 5,
        "energising_residential": 3,
        "utility_total_hv_single": 22,
        "utility_total_hv_dual": 32,
        "utility_total_lv": 6,
    },
    "Utility time limits in working days, by key (templates refer to these keys)",
)
declare(
    "limits.customer_terms",
    {
        "mid_check_request_days": 3,
        "reduction_notice_days": 5,
        "reduction_min_months": 6,
        "reduction_max_years": 2,
        "suspension_notice_days": 5,
        "suspension_times_per_year": 2,
        "suspension_min_days": 15,
        "suspension_max_months_per_year": 6,
        "temp_swap_months_up_to_10kv": 2,
        "temp_swap_months_from_35kv": 3,
        "temp_removal_max_months": 6,
        "temporary_supply_max_months": 6,
    },
    "Rules told to the customer (lead times, durations, counts; the unit is in the key): "
    "printed on checklists, never counted down as utility deadlines",
)
# --- technical plan handout rules
declare(
    "plan.validity_months", {"hv": 12, "lv": 3}, "Validity of a supply plan in months (HV / LV)"
)
declare(
    "plan.required_sources",
    {"special": 3, "first": 2, "second": 2, "temporary": 1},
    "Independent power sources required per important-customer grade",
)
declare(
    "plan.power_factor",
    {
        "hv_industrial_over_kva": 160,
        "hv_industrial": 0.90,
        "other_from_kva": 100,
        "other": 0.85,
        "agriculture": 0.80,
    },
    "Power-factor standards and the capacity thresholds they apply from",
)
# --- customer economics: basic charge, credit, arrears (every figure configurable)
declare(
    "billing.basic_charge",
    dict(DEFAULT_BASIC_CHARGE),
    "Basic charge: capacity_price 元/kVA·月, demand_price 元/kW·月, demand_floor_share "
    "(declared demand at least this share of capacity), demand_tolerance (excess above it "
    "billed excess_factor times), declared_step_kw",
)
declare(
    "billing.capacity_advice",
    dict(DEFAULT_CAPACITY_ADVICE),
    "Load-rate thresholds of the 减容/暂停/增容 advice and the months of history it needs",
)
declare(
    "credit.score",
    dict(DEFAULT_CREDIT_SCORE),
    "Credit score: start points and the deduction (and cap) per indicator",
)
declare(
    "credit.ratings", dict(DEFAULT_CREDIT_RATINGS), "Lowest score of each credit rating (else C)"
)
declare(
    "arrears.risk",
    dict(DEFAULT_ARREARS_RISK),
    "Arrears risk: high/medium from these overdue days or amounts (yuan)",
)
declare(
    "history.sharp_change",
    0.3,
    "首页 lists customers whose last 3 months' kWh changed more than this share year on year",
)
declare("arrears.pay_within_days", 10, "A payment reminder asks for payment within N days")
declare(
    "arrears.suspension_notice_days",
    7,
    "Written notice given this many days before supply is suspended for arrears (provincial)",
)

# --- outage notices
declare("outage.planned_notice_days", 7, "A planned outage must be notified this many days ahead")
declare(
    "outage.temporary_notice_hours", 24, "A temporary outage must be notified this many hours ahead"
)
declare(
    "outage.repair_arrival_minutes",
    {"urban": 45, "rural": 90, "remote": 120},
    "Repair commitment printed on fault-outage notices: minutes until the crew arrives "
    "(城区 / 农村 / 边远地区)",
)
declare(
    "outage.delivery_min_days",
    3,
    "A planned outage's notice delivered less than this many days before it is refused "
    "unless the manager confirms it was late",
)
declare("outage.remind_minutes", 30, "Remind customers this many minutes before the outage")


class SettingsError(UserError):
    """The settings file is unreadable or a value has the wrong type."""


class Settings:
    """The values in force: declared defaults overlaid with the saved changes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._values: dict[str, Any] = {}
        if path is not None and path.exists():
            self._values = self._load(path)

    @staticmethod
    def _load(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SettingsError(
                f"设置文件 {path} 无法读取:{exc}",
                f"settings file {path} cannot be read: {exc}",
            ) from exc
        if not isinstance(data, dict):
            raise SettingsError(f"设置文件 {path} 格式不对", f"settings file {path} is malformed")
        # Unknown keys (from a newer version) are kept so that a downgrade loses nothing.
        return data

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        value = self._values.get(key, option.default)
        if option.default is not None and not isinstance(value, type(option.default)):
            return option.default
        return value

    def set(self, key: str, value: Any) -> None:
        option = OPTIONS[key]
        if option.default is not None and not isinstance(value, type(option.default)):
            raise SettingsError(
                f"设置项 {key} 的值类型不对",
                f"setting {key} needs a {type(option.default).__name__}",
            )
        if value == option.default:
            self._values.pop(key, None)
        else:
            self._values[key] = value

    def __iter__(self) -> Iterator[str]:
        return iter(OPTIONS)

    def save(self) -> None:
        """Write atomically: a temp file in the same folder, then rename over the old one."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self._values, handle, ensure_ascii=False, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    @classmethod
    def in_dir(cls, directory: Path) -> Settings:
        return cls(directory / SETTINGS_FILENAME)
