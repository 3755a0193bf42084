"""Every setting the app reads, declared once (the dialog, the checks on save and
docs/SETTINGS.md are generated from these declarations)."""

from __future__ import annotations

from keyacct_desktop.domain.defaults import (
    DEFAULT_ARREARS_RISK,
    DEFAULT_BASIC_CHARGE,
    DEFAULT_CAPACITY_ADVICE,
    DEFAULT_CREDIT_RATINGS,
    DEFAULT_CREDIT_SCORE,
    DEFAULT_DUE_WORKDAYS,
    DEFAULT_EXTRA_WORKDAYS_2026,
    DEFAULT_HOLIDAYS_2026,
)
from keyacct_desktop.settings.options import QT_TRANSLATE_NOOP, declare

#: Item labels of the mappings by important-customer grade (the texts of
#: ``domain.enums.ImportantGrade``, written out for pyside6-lupdate; tests/test_settings_upgrade.py compares).
_GRADES = {
    "special": QT_TRANSLATE_NOOP("Settings", "Special-grade important user"),
    "first": QT_TRANSLATE_NOOP("Settings", "First-grade important user"),
    "second": QT_TRANSLATE_NOOP("Settings", "Second-grade important user"),
    "temporary": QT_TRANSLATE_NOOP("Settings", "Temporary important user"),
}


# --- server and sync
declare(
    "sync.server_url",
    "",
    QT_TRANSLATE_NOOP("Settings", "Server address"),
    QT_TRANSLATE_NOOP("Settings", "Central server URL; empty means work offline only"),
    group="server",
)
declare(
    "sync.username",
    "",
    QT_TRANSLATE_NOOP("Settings", "Account name"),
    QT_TRANSLATE_NOOP("Settings", "Account name on the central server"),
    group="server",
)
declare(
    "sync.interval_seconds",
    300,
    QT_TRANSLATE_NOOP("Settings", "Sync every (seconds)"),
    QT_TRANSLATE_NOOP("Settings", "Background sync period when online"),
    group="server",
    low=30,
    high=86_400,
)
declare(
    "sync.after_edit_seconds",
    15,
    QT_TRANSLATE_NOOP("Settings", "Sync after an edit (seconds)"),
    QT_TRANSLATE_NOOP("Settings", "Sync this many seconds after a local edit (0 = timer only)"),
    group="server",
    low=0,
    high=3_600,
)
declare(
    "sync.max_backoff_seconds",
    900,
    QT_TRANSLATE_NOOP("Settings", "Longest retry wait while the server is down (seconds)"),
    QT_TRANSLATE_NOOP("Settings", "Longest wait between retries while the server is down"),
    group="server",
    low=30,
    high=86_400,
)
declare(
    "sync.ca_file",
    "",
    QT_TRANSLATE_NOOP("Settings", "CA certificate file (PEM)"),
    QT_TRANSLATE_NOOP(
        "Settings", "CA certificate (PEM) to trust for the server's TLS; empty = system CAs"
    ),
    group="server",
)
declare(
    "sync.allow_http",
    False,
    QT_TRANSLATE_NOOP("Settings", "Allow plain http to another computer"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Allow plain http:// to a server on another computer (trusted test networks only)",
    ),
)
declare(
    "sync.user_id",
    "",
    QT_TRANSLATE_NOOP("Settings", "Server user id of the signed-in account"),
    QT_TRANSLATE_NOOP(
        "Settings", "Server user id of the signed-in account (whose data this folder holds)"
    ),
)
# --- letterhead of printed documents
declare(
    "letterhead.company",
    "国网示范供电公司",
    QT_TRANSLATE_NOOP("Settings", "Company"),
    QT_TRANSLATE_NOOP("Settings", "Company name printed on every document"),
    group="letterhead",
)
declare(
    "letterhead.department",
    "大客户服务中心",
    QT_TRANSLATE_NOOP("Settings", "Department"),
    QT_TRANSLATE_NOOP("Settings", "Issuing department"),
    group="letterhead",
)
declare(
    "letterhead.address",
    "示范市电力路 1 号",
    QT_TRANSLATE_NOOP("Settings", "Address"),
    QT_TRANSLATE_NOOP("Settings", "Address line on documents"),
    group="letterhead",
)
declare(
    "letterhead.hotline",
    "95598",
    QT_TRANSLATE_NOOP("Settings", "Service hotline"),
    QT_TRANSLATE_NOOP("Settings", "Service hotline printed on documents"),
    group="letterhead",
)
declare(
    "letterhead.logo_path",
    "",
    QT_TRANSLATE_NOOP("Settings", "Logo (PNG or JPEG)"),
    QT_TRANSLATE_NOOP("Settings", "Optional logo image (PNG or JPEG) for the letterhead"),
    group="letterhead",
)
declare(
    "documents.verify_base_url",
    "",
    QT_TRANSLATE_NOOP("Settings", "Document verification address"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Public address of the central server's verification page (https://…); the QR code of a document opens <address>/verify/<number>. Empty: the QR holds number and code only",
    ),
    group="letterhead",
)
# --- visits (frequencies in days per pyramid class and per important-customer grade)
declare(
    "visits.class_frequency_days",
    {"A": 30, "B": 60, "C": 90, "D": 180},
    QT_TRANSLATE_NOOP("Settings", "Visit every N days, by class"),
    QT_TRANSLATE_NOOP("Settings", "Visit every N days by pyramid class"),
    group="visits",
    low=1,
    high=3650,
    items={
        "A": QT_TRANSLATE_NOOP("Settings", "Class A"),
        "B": QT_TRANSLATE_NOOP("Settings", "Class B"),
        "C": QT_TRANSLATE_NOOP("Settings", "Class C"),
        "D": QT_TRANSLATE_NOOP("Settings", "Class D"),
    },
)
declare(
    "visits.grade_frequency_days",
    {"special": 15, "first": 30, "second": 60, "temporary": 30},
    QT_TRANSLATE_NOOP("Settings", "Visit every N days, by important-user grade"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Visit every N days by important-customer grade (the shorter of class and grade wins)",
    ),
    group="visits",
    low=1,
    high=3650,
    items=_GRADES,
)
declare(
    "referrals.due_workdays",
    dict(DEFAULT_DUE_WORKDAYS),
    QT_TRANSLATE_NOOP("Settings", "Referral answer time (working days)"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Working days a team has to answer, by kind (complaints: contact within 1 working day)",
    ),
    group="visits",
    low=1,
    high=60,
    items={
        "demand": QT_TRANSLATE_NOOP("Settings", "Demand"),
        "complaint": QT_TRANSLATE_NOOP("Settings", "Complaint"),
    },
)
# --- working-day calendar and service time limits (State Grid commitments; configurable)
declare(
    "limits.warn_within_workdays",
    3,
    QT_TRANSLATE_NOOP("Settings", "Warn when working days left"),
    QT_TRANSLATE_NOOP("Settings", "Warn when a time limit has this many working days left"),
    group="limits",
    low=0,
    high=30,
)
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
    QT_TRANSLATE_NOOP("Settings", "Time limits (working days)"),
    QT_TRANSLATE_NOOP(
        "Settings", "Utility time limits in working days, by key (templates refer to these keys)"
    ),
    group="limits",
    low=1,
    high=365,
    items={
        "plan_reply_hv_single": QT_TRANSLATE_NOOP("Settings", "Plan reply, HV single source"),
        "plan_reply_hv_dual": QT_TRANSLATE_NOOP("Settings", "Plan reply, HV dual source"),
        "plan_reply_lv": QT_TRANSLATE_NOOP("Settings", "Plan reply, LV"),
        "plan_reply_residential": QT_TRANSLATE_NOOP("Settings", "Plan reply, residential"),
        "design_review": QT_TRANSLATE_NOOP("Settings", "Design review"),
        "mid_check": QT_TRANSLATE_NOOP("Settings", "Mid-construction check"),
        "completion_check": QT_TRANSLATE_NOOP("Settings", "Completion check"),
        "energising": QT_TRANSLATE_NOOP("Settings", "Metering and energising"),
        "energising_residential": QT_TRANSLATE_NOOP(
            "Settings", "Metering and energising, residential"
        ),
        "utility_total_hv_single": QT_TRANSLATE_NOOP(
            "Settings", "Total utility time, HV single source"
        ),
        "utility_total_hv_dual": QT_TRANSLATE_NOOP(
            "Settings", "Total utility time, HV dual source"
        ),
        "utility_total_lv": QT_TRANSLATE_NOOP("Settings", "Total utility time, LV"),
    },
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
    QT_TRANSLATE_NOOP("Settings", "Terms told to the customer (not counted down)"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Rules told to the customer (lead times, durations, counts; the unit is in the key): printed on checklists, never counted down as utility deadlines",
    ),
    group="limits",
    low=1,
    high=366,
    items={
        "mid_check_request_days": QT_TRANSLATE_NOOP(
            "Settings", "Ask for the mid-construction check ahead (days)"
        ),
        "reduction_notice_days": QT_TRANSLATE_NOOP(
            "Settings", "Apply for a capacity reduction ahead (days)"
        ),
        "reduction_min_months": QT_TRANSLATE_NOOP(
            "Settings", "Capacity reduction, shortest (months)"
        ),
        "reduction_max_years": QT_TRANSLATE_NOOP("Settings", "Capacity reduction, longest (years)"),
        "suspension_notice_days": QT_TRANSLATE_NOOP(
            "Settings", "Apply for a suspension ahead (days)"
        ),
        "suspension_times_per_year": QT_TRANSLATE_NOOP(
            "Settings", "Suspensions per calendar year, at most"
        ),
        "suspension_min_days": QT_TRANSLATE_NOOP("Settings", "Each suspension, shortest (days)"),
        "suspension_max_months_per_year": QT_TRANSLATE_NOOP(
            "Settings", "Suspension per year in total, longest (months)"
        ),
        "temp_swap_months_up_to_10kv": QT_TRANSLATE_NOOP(
            "Settings", "Temporary transformer swap up to 10 kV (months)"
        ),
        "temp_swap_months_from_35kv": QT_TRANSLATE_NOOP(
            "Settings", "Temporary transformer swap from 35 kV (months)"
        ),
        "temp_removal_max_months": QT_TRANSLATE_NOOP(
            "Settings", "Temporary removal, longest (months)"
        ),
        "temporary_supply_max_months": QT_TRANSLATE_NOOP(
            "Settings", "Temporary supply, longest (months)"
        ),
    },
)
# --- technical plan handout rules
declare(
    "plan.validity_months",
    {"hv": 12, "lv": 3},
    QT_TRANSLATE_NOOP("Settings", "Supply plan validity (months)"),
    QT_TRANSLATE_NOOP("Settings", "Validity of a supply plan in months (HV / LV)"),
    group="plans",
    low=1,
    high=60,
    items={
        "hv": QT_TRANSLATE_NOOP("Settings", "High voltage"),
        "lv": QT_TRANSLATE_NOOP("Settings", "Low voltage"),
    },
)
declare(
    "plan.required_sources",
    {"special": 3, "first": 2, "second": 2, "temporary": 1},
    QT_TRANSLATE_NOOP("Settings", "Power sources required by grade"),
    QT_TRANSLATE_NOOP(
        "Settings", "Independent power sources required per important-customer grade"
    ),
    group="plans",
    low=1,
    high=6,
    items=_GRADES,
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
    QT_TRANSLATE_NOOP("Settings", "Power-factor standards"),
    QT_TRANSLATE_NOOP(
        "Settings", "Power-factor standards and the capacity thresholds they apply from"
    ),
    group="plans",
    low=0,
    high=100_000,
    items={
        "hv_industrial_over_kva": QT_TRANSLATE_NOOP("Settings", "HV industrial users from (kVA)"),
        "hv_industrial": QT_TRANSLATE_NOOP("Settings", "HV industrial standard"),
        "other_from_kva": QT_TRANSLATE_NOOP("Settings", "Other users from (kVA)"),
        "other": QT_TRANSLATE_NOOP("Settings", "Other users' standard"),
        "agriculture": QT_TRANSLATE_NOOP("Settings", "Agriculture standard"),
    },
)
# --- outage notices
declare(
    "outage.planned_notice_days",
    7,
    QT_TRANSLATE_NOOP("Settings", "Planned outage notice (days ahead)"),
    QT_TRANSLATE_NOOP("Settings", "A planned outage must be notified this many days ahead"),
    group="outages",
    low=0,
    high=60,
)
declare(
    "outage.temporary_notice_hours",
    24,
    QT_TRANSLATE_NOOP("Settings", "Temporary outage notice (hours ahead)"),
    QT_TRANSLATE_NOOP("Settings", "A temporary outage must be notified this many hours ahead"),
    group="outages",
    low=0,
    high=240,
)
declare(
    "outage.repair_arrival_minutes",
    {"urban": 45, "rural": 90, "remote": 120},
    QT_TRANSLATE_NOOP("Settings", "Repair crew arrival (minutes)"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Repair commitment printed on fault-outage notices: minutes until the crew arrives (urban / rural / remote)",
    ),
    group="outages",
    low=1,
    high=1_440,
    items={
        "urban": QT_TRANSLATE_NOOP("Settings", "Urban"),
        "rural": QT_TRANSLATE_NOOP("Settings", "Rural"),
        "remote": QT_TRANSLATE_NOOP("Settings", "Remote"),
    },
)
declare(
    "outage.delivery_min_days",
    3,
    QT_TRANSLATE_NOOP("Settings", "Planned outage notice delivered at least (days)"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "A planned outage's notice delivered less than this many days before it is refused unless the manager confirms it was late",
    ),
    group="outages",
    low=0,
    high=60,
)
declare(
    "outage.remind_minutes",
    30,
    QT_TRANSLATE_NOOP("Settings", "Remind before the outage (minutes)"),
    QT_TRANSLATE_NOOP("Settings", "Remind customers this many minutes before the outage"),
    group="outages",
    low=0,
    high=1_440,
)
# --- pyramid classification and consumption
declare(
    "pyramid.basis",
    "consumption",
    QT_TRANSLATE_NOOP("Settings", "Pyramid classification by"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Classify by the last 12 months' 'consumption' (kWh), 'revenue' or 'profit' (yuan)",
    ),
    group="economics",
    choices={
        "consumption": QT_TRANSLATE_NOOP("Settings", "Consumption"),
        "revenue": QT_TRANSLATE_NOOP("Settings", "Revenue"),
        "profit": QT_TRANSLATE_NOOP("Settings", "Profit"),
    },
)
declare(
    "pyramid.cost_per_kwh",
    0.45,
    QT_TRANSLATE_NOOP("Settings", "Average cost per kWh (yuan)"),
    QT_TRANSLATE_NOOP(
        "Settings", "Average purchase and grid cost per kWh (yuan): profit = revenue - kWh x this"
    ),
    group="economics",
    low=0,
    high=10,
)
declare(
    "pyramid.reevaluate_months",
    12,
    QT_TRANSLATE_NOOP("Settings", "Re-evaluate the pyramid after (months)"),
    QT_TRANSLATE_NOOP("Settings", "Remind to re-evaluate the pyramid after N months"),
    group="economics",
    low=1,
    high=60,
)
declare(
    "pyramid.cumulative_cutoffs",
    [0.5, 0.8, 0.95],
    QT_TRANSLATE_NOOP("Settings", "A/B/C cumulative-share cut-offs"),
    QT_TRANSLATE_NOOP(
        "Settings", "Cumulative-share cut-offs for A/B/C (rising, 0–1); the rest is D"
    ),
    group="economics",
    low=0.01,
    high=1,
)
declare(
    "history.sharp_change",
    0.3,
    QT_TRANSLATE_NOOP("Settings", "Sharp change in consumption (share)"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "首页 lists customers whose last 3 months' kWh changed more than this share year on year",
    ),
    group="economics",
    low=0.01,
    high=10,
)
declare(
    "billing.basic_charge",
    dict(DEFAULT_BASIC_CHARGE),
    QT_TRANSLATE_NOOP("Settings", "Basic charge"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Basic charge: capacity_price 元/kVA·月, demand_price 元/kW·月, demand_floor_share (declared demand at least this share of capacity), demand_tolerance (excess above it billed excess_factor times), declared_step_kw",
    ),
    group="economics",
    low=0,
    high=10_000,
    items={
        "capacity_price": QT_TRANSLATE_NOOP("Settings", "Capacity price (yuan/kVA·month)"),
        "demand_price": QT_TRANSLATE_NOOP("Settings", "Demand price (yuan/kW·month)"),
        "demand_floor_share": QT_TRANSLATE_NOOP(
            "Settings", "Declared demand floor (share of capacity)"
        ),
        "demand_tolerance": QT_TRANSLATE_NOOP("Settings", "Demand tolerance"),
        "excess_factor": QT_TRANSLATE_NOOP("Settings", "Excess demand factor"),
        "declared_step_kw": QT_TRANSLATE_NOOP("Settings", "Declared demand step (kW)"),
    },
)
declare(
    "billing.capacity_advice",
    dict(DEFAULT_CAPACITY_ADVICE),
    QT_TRANSLATE_NOOP("Settings", "Capacity advice"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Load-rate thresholds of the 减容/暂停/增容 advice and the months of history it needs",
    ),
    group="economics",
    low=0,
    high=120,
    items={
        "min_months": QT_TRANSLATE_NOOP("Settings", "Months of history needed"),
        "reduce_below_load_rate": QT_TRANSLATE_NOOP(
            "Settings", "Advise a reduction below load rate"
        ),
        "reduce_target_load_rate": QT_TRANSLATE_NOOP(
            "Settings", "Target load rate after a reduction"
        ),
        "suspend_below_load_rate": QT_TRANSLATE_NOOP(
            "Settings", "Advise a suspension below load rate"
        ),
        "expand_from_load_rate": QT_TRANSLATE_NOOP("Settings", "Advise an increase from load rate"),
    },
)
# --- credit and arrears
declare(
    "credit.score",
    dict(DEFAULT_CREDIT_SCORE),
    QT_TRANSLATE_NOOP("Settings", "Credit score rules"),
    QT_TRANSLATE_NOOP(
        "Settings", "Credit score: start points and the deduction (and cap) per indicator"
    ),
    group="credit",
    low=-100,
    high=1_000,
    items={
        "start": QT_TRANSLATE_NOOP("Settings", "Start points"),
        "recovery_per_pct": QT_TRANSLATE_NOOP("Settings", "Per % of recovery rate missing"),
        "recovery_cap": QT_TRANSLATE_NOOP("Settings", "Recovery deduction cap"),
        "on_time_per_pct": QT_TRANSLATE_NOOP("Settings", "Per % of on-time payment missing"),
        "on_time_cap": QT_TRANSLATE_NOOP("Settings", "On-time deduction cap"),
        "overdue_per_count": QT_TRANSLATE_NOOP("Settings", "Per overdue payment"),
        "overdue_count_cap": QT_TRANSLATE_NOOP("Settings", "Overdue count cap"),
        "overdue_per_day": QT_TRANSLATE_NOOP("Settings", "Per overdue day"),
        "overdue_days_cap": QT_TRANSLATE_NOOP("Settings", "Overdue days cap"),
        "violation_each": QT_TRANSLATE_NOOP("Settings", "Per violation"),
        "violation_cap": QT_TRANSLATE_NOOP("Settings", "Violation cap"),
        "high_energy": QT_TRANSLATE_NOOP("Settings", "High-energy industry"),
        "operating_trouble": QT_TRANSLATE_NOOP("Settings", "Operating trouble"),
        "decline_below": QT_TRANSLATE_NOOP("Settings", "Consumption decline below (year on year)"),
        "decline": QT_TRANSLATE_NOOP("Settings", "Consumption decline"),
    },
)
declare(
    "credit.ratings",
    dict(DEFAULT_CREDIT_RATINGS),
    QT_TRANSLATE_NOOP("Settings", "Lowest score per credit rating"),
    QT_TRANSLATE_NOOP("Settings", "Lowest score of each credit rating (else C)"),
    group="credit",
    low=0,
    high=1_000,
)
declare(
    "arrears.risk",
    dict(DEFAULT_ARREARS_RISK),
    QT_TRANSLATE_NOOP("Settings", "Arrears risk thresholds"),
    QT_TRANSLATE_NOOP(
        "Settings", "Arrears risk: high/medium from these overdue days or amounts (yuan)"
    ),
    group="credit",
    low=0,
    high=100_000_000,
    items={
        "high_days": QT_TRANSLATE_NOOP("Settings", "High risk from overdue days"),
        "high_amount": QT_TRANSLATE_NOOP("Settings", "High risk from amount (yuan)"),
        "medium_days": QT_TRANSLATE_NOOP("Settings", "Medium risk from overdue days"),
        "medium_amount": QT_TRANSLATE_NOOP("Settings", "Medium risk from amount (yuan)"),
    },
)
declare(
    "arrears.pay_within_days",
    10,
    QT_TRANSLATE_NOOP("Settings", "Payment reminder: pay within (days)"),
    QT_TRANSLATE_NOOP("Settings", "A payment reminder asks for payment within N days"),
    group="credit",
    low=1,
    high=90,
)
declare(
    "arrears.suspension_notice_days",
    7,
    QT_TRANSLATE_NOOP("Settings", "Notice before suspending for arrears (days)"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Written notice given this many days before supply is suspended for arrears (provincial)",
    ),
    group="credit",
    low=1,
    high=60,
)
# --- working-day calendar
declare(
    "calendar.holidays",
    list(DEFAULT_HOLIDAYS_2026),
    QT_TRANSLATE_NOOP("Settings", "Public holidays"),
    QT_TRANSLATE_NOOP("Settings", "Public holidays (YYYY-MM-DD) that are not working days"),
    group="calendar",
)
declare(
    "calendar.extra_workdays",
    list(DEFAULT_EXTRA_WORKDAYS_2026),
    QT_TRANSLATE_NOOP("Settings", "Weekend working days (调休)"),
    QT_TRANSLATE_NOOP("Settings", "Weekend days that are working days (调休)"),
    group="calendar",
)
declare(
    "calendar.official_years",
    [],
    QT_TRANSLATE_NOOP("Settings", "Years entered from the official notice"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Years whose official notice the administrator entered above: their days replace the bundled data (other years: bundled files in resources/calendar, or an estimate)",
    ),
    group="calendar",
    low=2000,
    high=2100,
)
# --- user interface
declare(
    "ui.language",
    "zh_CN",
    QT_TRANSLATE_NOOP("Settings", "User interface language"),
    QT_TRANSLATE_NOOP("Settings", "UI language: zh_CN (default) or en"),
    group="language",
    # each language under its own name, whatever the UI language (not marked for translation)
    choices={"zh_CN": "简体中文", "en": "English"},
)
declare(
    "ui.consumption_unit",
    "wan_kwh",
    QT_TRANSLATE_NOOP("Settings", "Consumption shown in"),
    QT_TRANSLATE_NOOP("Settings", "Unit of consumption shown: 10,000 kWh (万千瓦时) or kWh"),
    group="language",
    choices={
        "wan_kwh": QT_TRANSLATE_NOOP("Settings", "10,000 kWh"),
        "kwh": QT_TRANSLATE_NOOP("Settings", "kWh"),
    },
)
declare(
    "ui.stretch_strings",
    False,
    QT_TRANSLATE_NOOP("Settings", "Stretch UI texts (layout check)"),
    QT_TRANSLATE_NOOP("Settings", "Pad UI strings to test layouts for longer translations"),
    group="language",
)
declare(
    "ui.columns",
    {},
    QT_TRANSLATE_NOOP("Settings", "Hidden table columns"),
    QT_TRANSLATE_NOOP("Settings", "Table columns each user hid: {user: {table: [column names]}}"),
)
# --- security and backup
declare(
    "security.idle_lock_minutes",
    15,
    QT_TRANSLATE_NOOP("Settings", "Lock after idle minutes (0 = never)"),
    QT_TRANSLATE_NOOP("Settings", "Lock the app after this many idle minutes (0 = never)"),
    group="security",
    low=0,
    high=480,
)
declare(
    "security.min_passphrase_length",
    8,
    QT_TRANSLATE_NOOP("Settings", "Shortest passphrase"),
    QT_TRANSLATE_NOOP("Settings", "Shortest passphrase accepted for a new store key"),
    group="security",
    low=8,
    high=128,
)
declare(
    "security.attachment_max_mb",
    20,
    QT_TRANSLATE_NOOP("Settings", "Largest attachment (MB)"),
    QT_TRANSLATE_NOOP("Settings", "Largest attachment accepted, in MB"),
    group="security",
    low=1,
    high=500,
)
declare(
    "backup.keep",
    10,
    QT_TRANSLATE_NOOP("Settings", "Backups kept"),
    QT_TRANSLATE_NOOP("Settings", "How many rotating backups of the local store to keep"),
    group="security",
    low=1,
    high=100,
)
declare(
    "backup.interval_hours",
    24,
    QT_TRANSLATE_NOOP("Settings", "Automatic backup every (hours)"),
    QT_TRANSLATE_NOOP("Settings", "Take an automatic backup on start/exit if the last is older"),
    group="security",
    low=1,
    high=24 * 30,
)
