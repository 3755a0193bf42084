"""Data quality of the customer file: a score per customer and what is missing or invalid.

Score = share of checks passed, 0–100. Checks: required profile fields present, every value valid
(the editor's rules), phone numbers in normal form, at least one contact verified within
``STALE_CONTACT_DAYS`` (a stale number makes an outage notice miss the customer), and, for an
important power user, the supply its grade needs (independent sources from different
substations, self-provided emergency power): the same rule and the same setting
(``plan.required_sources``) as the supply-plan handout checks.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from keyacct_desktop.domain.plan_rules import PROFILE, PlanRules, check_sources
from keyacct_desktop.services.customer_profile import ContactForm, ProfileForm, check
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer

STALE_CONTACT_DAYS = 365
#: Profile fields a complete file has (field, Chinese name, English name).
EXPECTED = (
    ("uscc", "统一社会信用代码", "USCC"),
    ("address", "用电地址", "address"),
    ("park_id", "园区", "park"),
    ("industry", "行业", "industry"),
    ("voltage_kv", "电压等级", "voltage"),
    ("capacity_kva", "合同容量", "capacity"),
    ("annual_kwh", "年用电量", "annual consumption"),
    ("tariff", "电价类别", "tariff"),
    ("credit_rating", "信用等级", "credit rating"),
)


#: Kinds of problem the report filters by: code -> (Chinese, English).
KINDS: dict[str, tuple[str, str]] = {
    "missing": ("缺少必要信息", "missing fields"),
    "invalid": ("取值或格式错误", "invalid values"),
    "no_contact": ("没有联系人", "no contact"),
    "stale_contact": ("联系人一年内未核实", "contacts not verified within a year"),
    "supply": ("重要用户电源配置不足", "important user's supply short of its grade"),
}


@dataclass(frozen=True)
class QualityRow:
    customer_id: uuid.UUID
    account_no: str
    name: str
    score: int
    issues: tuple[str, ...]  # in the user's language
    kinds: frozenset[str] = frozenset()  # codes of KINDS


def assess(
    customer: Customer, today: date, language: str = "zh_CN", rules: PlanRules | None = None
) -> QualityRow:
    """``rules``: the configured plan rules (default: the shipped settings)."""
    english = language.startswith("en")
    rules = rules or PlanRules.from_settings(Settings())
    issues: list[str] = []
    checks = 0
    for name, zh, en in EXPECTED:
        checks += 1
        if getattr(customer, name) in (None, ""):
            issues.append(f"missing {en}" if english else f"缺少{zh}")
    form = ProfileForm(
        account_no=customer.account_no,
        name=customer.name,
        uscc=customer.uscc or "",
        voltage_kv=customer.voltage_kv,
        capacity_kva=customer.capacity_kva,
        annual_kwh=customer.annual_kwh,
        industry=customer.industry or "",
        tariff=customer.tariff or "",
        metering=customer.metering or "",
        important_grade=customer.important_grade or "",
        load_grade=customer.load_grade or "",
        credit_rating=customer.credit_rating or "",
        pool_status=customer.pool_status,
        contacts=[
            ContactForm(k.name, k.role, "", k.mobile or "", k.landline or "")
            for k in customer.contacts
        ],
    )
    checks += 1
    problems = [
        p for p in check(form) if not (p.field == "voltage_kv" and customer.voltage_kv is None)
    ]
    if problems:
        issues += [p.en if english else p.zh for p in problems]
    checks += 1
    if not customer.contacts:
        issues.append("no contact" if english else "没有联系人")
    checks += 1
    verified = [k.last_verified for k in customer.contacts if k.last_verified]
    if not verified or max(verified) < today - timedelta(days=STALE_CONTACT_DAYS):
        issues.append("no contact verified within a year" if english else "联系人电话一年内未核实")
    supply = check_sources(
        rules,
        customer.important_grade,
        [source.substation or "" for source in customer.power_sources],
        customer.emergency_power or "",
        PROFILE,
    )
    if customer.important_grade:  # only important users have this check to pass
        checks += 1
    issues += [w.message("en" if english else "zh") for w in supply]
    failed = (
        bool(supply)
        + sum(1 for name, *_ in EXPECTED if getattr(customer, name) in (None, ""))
        + bool(problems)
    )
    failed += (not customer.contacts) + (
        not verified or max(verified) < today - timedelta(days=STALE_CONTACT_DAYS)
    )
    score = round(100 * (checks - failed) / checks)
    kinds = {
        "missing": any(getattr(customer, name) in (None, "") for name, *_ in EXPECTED),
        "invalid": bool(problems),
        "no_contact": not customer.contacts,
        "stale_contact": bool(customer.contacts)
        and (not verified or max(verified) < today - timedelta(days=STALE_CONTACT_DAYS)),
        "supply": bool(supply),
    }
    return QualityRow(
        customer.id,
        customer.account_no,
        customer.name,
        score,
        tuple(issues),
        frozenset(k for k, v in kinds.items() if v),
    )


def quality_report(
    store: Store,
    *,
    below: int = 101,
    today: date | None = None,
    language: str = "zh_CN",
    kind: str | None = None,
    settings: object | None = None,
) -> list[QualityRow]:
    """Customers scoring below ``below`` (and with a problem of ``kind``), worst first.

    ``settings``: the app's settings (``plan.required_sources``); default the shipped ones.
    """
    today = today or date.today()
    rules = PlanRules.from_settings(settings if settings is not None else Settings())
    with store.read() as session:
        customers = session.scalars(
            select(Customer).options(
                selectinload(Customer.contacts), selectinload(Customer.power_sources)
            )
        ).all()
        rows = [assess(c, today, language, rules) for c in customers]
    rows = [r for r in rows if r.score < below and (kind is None or kind in r.kinds)]
    rows.sort(key=lambda r: (r.score, r.account_no))
    return rows
