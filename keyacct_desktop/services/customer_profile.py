"""The customer file (大客户档案): every profile field checked before anything is written.

``check`` returns all problems at once — which field and why, in Chinese and English — so the
editor can mark every faulty field; ``save`` refuses to write anything while any remain.

Pool entry (入池): a prospect or a customer under evaluation enters the pool only with an
evaluation note; the day it entered is kept (``pooled_on``). Only pooled customers have a grid.
``status`` gives what the editor shows beside the form: the class in force and its history, and
the arrears/credit risk flags.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import select

from keyacct_desktop.domain.codes import (
    CodeError,
    validate_landline,
    validate_mobile,
    validate_uscc,
)
from keyacct_desktop.domain.customer_fields import CUSTOMER_TEXT_FIELDS, CUSTOMER_VALUE_FIELDS
from keyacct_desktop.domain.enums import (
    VOLTAGE_LEVELS_KV,
    ContactRole,
    CreditRating,
    ImportantGrade,
    Industry,
    LineType,
    LoadGrade,
    MeteringMethod,
    PoolStatus,
    SourceRole,
    TariffCategory,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import (
    Contact,
    Customer,
    Grid,
    PowerSource,
    PyramidChange,
    User,
)

ACCOUNT_NO_RE = re.compile(r"^\d{6,16}$")
#: Upper bounds of the editor's fields, checked for every save and import: a roster's 99999
#: in a MVA column (10⁸ kVA) is refused rather than clipped by the editor on the next save.
MAX_CAPACITY_KVA = 10_000_000
MAX_ANNUAL_KWH = 1e13


@dataclass(frozen=True)
class FieldProblem:
    field: str  # e.g. "uscc", "contacts.2.mobile"
    zh: str
    en: str


@dataclass
class ContactForm:
    name: str = ""
    role: str = "general"
    title: str = ""
    mobile: str = ""
    landline: str = ""
    last_verified: date | None = None
    id: uuid.UUID | None = None
    email: str = ""
    is_primary: bool = False  # the contact documents print (联系人)


@dataclass
class SourceForm:
    """A power source (电源): substation, line and bay, main or backup."""

    source_no: int = 1
    role: str = "main"
    voltage_kv: float | None = None
    capacity_kva: float | None = None
    substation: str = ""
    line: str = ""
    bay: str = ""
    line_type: str = ""
    id: uuid.UUID | None = None


@dataclass
class ProfileForm:
    """Everything the editor edits; text as typed, codes as stored."""

    id: uuid.UUID | None = None
    account_no: str = ""
    name: str = ""
    uscc: str = ""
    address: str = ""
    park_id: uuid.UUID | None = None
    grid_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    industry: str = ""
    industry_detail: str = ""
    voltage_kv: float | None = None
    capacity_kva: float | None = None
    annual_kwh: float | None = None
    annual_profit_yuan: float | None = None
    tariff: str = ""
    metering: str = ""
    important_grade: str = ""
    load_grade: str = ""
    credit_rating: str = ""
    emergency_power: str = ""  # self-provided emergency source, e.g. 柴油发电机
    emergency_power_kw: float | None = None
    # credit and arrears indicators, copied from billing, with the day they were taken
    recovery_rate: float | None = None  # 电费回收率, 0–1
    on_time_rate: float | None = None  # 缴费准时率, 0–1
    overdue_count: int = 0
    overdue_days_max: int = 0
    violation_count: int = 0  # 窃电/违章用电
    high_energy: bool = False
    consumption_growth: float | None = None  # year on year, fraction
    operating_trouble: bool = False
    risk_updated_on: date | None = None
    pool_status: str = "pooled"
    pool_note: str = ""  # evaluation notes (入池评估)
    lead_source: str = ""  # where the prospect came from, e.g. 园区项目备案
    notes: str = ""
    contacts: list[ContactForm] = field(default_factory=list)
    power_sources: list[SourceForm] = field(default_factory=list)


@cache
def _codes(enum: type[Enum]) -> frozenset[str]:
    """The codes of an enumeration (checked for every row of a 50,000-row import)."""
    return frozenset(m.value for m in enum)


def _code(enum: type, value: str, name: str, zh: str, problems: list[FieldProblem]) -> None:
    if value and value not in _codes(enum):
        problems.append(
            FieldProblem(
                name, f"{zh}“{value}”不是可选值", f"{name} {value!r} is not one of the choices"
            )
        )


def new_form(store: Store, username: str = "") -> ProfileForm:
    """The form of a new customer, with the common case right: a manager's new customer is
    placed in the manager's own grid (the first by name when there are several) and assigned
    to them. The server refuses a manager's new customer outside their grids, so a "(none)"
    default only produced refusals after the next sync (issue 14)."""
    form = ProfileForm()
    if not username:
        return form
    with store.read() as session:
        me = session.execute(select(User.id, User.role).where(User.username == username)).first()
        if me is None or me.role != "manager":
            return form
        grid = session.scalar(
            select(Grid.id).where(Grid.manager_id == me.id).order_by(Grid.name).limit(1)
        )
    form.manager_id = me.id
    form.grid_id = grid
    return form


def check(
    form: ProfileForm, store: Store | None = None, *, new_in_pool_needs_note: bool = False
) -> list[FieldProblem]:
    """Every problem of the form (empty when it may be saved).

    ``new_in_pool_needs_note``: a customer created in the editor directly in the pool needs its
    evaluation notes, like one moved into the pool later (imports of existing rosters do not).
    """
    problems: list[FieldProblem] = []
    if not ACCOUNT_NO_RE.match(form.account_no.strip()):
        problems.append(
            FieldProblem("account_no", "户号应为 6–16 位数字", "the account no. has 6–16 digits")
        )
    if not form.name.strip():
        problems.append(FieldProblem("name", "请填写客户名称", "enter the customer's name"))
    if form.uscc.strip():
        try:
            validate_uscc(form.uscc)
        except CodeError as error:
            problems.append(FieldProblem("uscc", error.message_zh, error.message_en))
    if form.voltage_kv is None:
        problems.append(
            FieldProblem("voltage_kv", "请选择供电电压等级", "choose the supply voltage")
        )
    elif form.voltage_kv not in VOLTAGE_LEVELS_KV:
        problems.append(
            FieldProblem(
                "voltage_kv",
                f"电压等级 {form.voltage_kv:g} kV 不是标准等级",
                f"{form.voltage_kv:g} kV is not a standard voltage level",
            )
        )
    if form.capacity_kva is not None and form.capacity_kva <= 0:
        problems.append(
            FieldProblem(
                "capacity_kva", "合同容量必须大于 0", "the contracted capacity must be positive"
            )
        )
    if form.annual_kwh is not None and form.annual_kwh < 0:
        problems.append(
            FieldProblem(
                "annual_kwh", "年用电量不能为负数", "annual consumption cannot be negative"
            )
        )
    for name, zh, en, limit, unit in (
        ("capacity_kva", "合同容量", "the contracted capacity", MAX_CAPACITY_KVA, "kVA"),
        ("annual_kwh", "年用电量", "annual consumption", MAX_ANNUAL_KWH, "kWh"),
    ):
        value = getattr(form, name)
        if value is not None and value > limit:
            problems.append(
                FieldProblem(
                    name,
                    f"{zh} {value:,.0f} {unit} 超过上限 {limit:,.0f} {unit},请检查数值和单位",
                    f"{en} {value:,.0f} {unit} is above {limit:,.0f} {unit}: check the value "
                    "and its unit",
                )
            )
    for enum, name, zh in (
        (Industry, "industry", "行业门类"),
        (TariffCategory, "tariff", "电价类别"),
        (MeteringMethod, "metering", "计量方式"),
        (ImportantGrade, "important_grade", "重要客户等级"),
        (LoadGrade, "load_grade", "负荷等级"),
        (CreditRating, "credit_rating", "信用等级"),
        (PoolStatus, "pool_status", "入池状态"),
    ):
        _code(enum, getattr(form, name), name, zh, problems)
    if form.grid_id is not None and form.pool_status != "pooled":
        problems.append(
            FieldProblem(
                "grid_id",
                "只有已入池的客户才能划入网格",
                "only pooled customers are placed in a grid",
            )
        )
    problems += _indicator_problems(form)
    if sum(1 for c in form.contacts if c.is_primary) > 1:
        problems.append(
            FieldProblem(
                "contacts.1.is_primary",
                "只能有一位主要联系人",
                "only one contact can be the primary contact",
            )
        )
    for number, contact in enumerate(form.contacts, start=1):
        prefix = f"contacts.{number}"
        if not contact.name.strip():
            problems.append(
                FieldProblem(
                    f"{prefix}.name",
                    f"第 {number} 位联系人没有姓名",
                    f"contact {number} has no name",
                )
            )
        if not (contact.mobile.strip() or contact.landline.strip()):
            problems.append(
                FieldProblem(
                    f"{prefix}.mobile",
                    f"第 {number} 位联系人至少要有一个电话",
                    f"contact {number} needs a phone number",
                )
            )
        for kind, validator in (("mobile", validate_mobile), ("landline", validate_landline)):
            value = getattr(contact, kind).strip()
            if value:
                try:
                    validator(value)
                except CodeError as error:
                    problems.append(
                        FieldProblem(
                            f"{prefix}.{kind}",
                            f"第 {number} 位联系人:{error.message_zh}",
                            f"contact {number}: {error.message_en}",
                        )
                    )
        if contact.role not in _codes(ContactRole):
            problems.append(
                FieldProblem(
                    f"{prefix}.role",
                    f"第 {number} 位联系人角色无效",
                    f"contact {number}: invalid role",
                )
            )
        if contact.last_verified and contact.last_verified > date.today():
            problems.append(
                FieldProblem(
                    f"{prefix}.last_verified",
                    f"第 {number} 位联系人的核实日期晚于今天",
                    f"contact {number}: verified in the future",
                )
            )
    problems += _source_problems(form.power_sources)
    if (
        new_in_pool_needs_note
        and form.id is None
        and form.pool_status == PoolStatus.POOLED
        and not form.pool_note.strip()
    ):
        problems.append(
            FieldProblem(
                "pool_note",
                "入池前请填写评估意见",
                "write the evaluation notes before the customer enters the pool",
            )
        )
    if store is not None and form.id is not None and form.pool_status == PoolStatus.POOLED:
        with store.read() as session:
            before = session.scalar(select(Customer.pool_status).where(Customer.id == form.id))
        if before not in (None, PoolStatus.POOLED) and not form.pool_note.strip():
            problems.append(
                FieldProblem(
                    "pool_note",
                    "入池前请填写评估意见",
                    "write the evaluation notes before the customer enters the pool",
                )
            )
    if store is not None and ACCOUNT_NO_RE.match(form.account_no.strip()):
        with store.read() as session:
            other = session.scalar(
                select(Customer.id).where(Customer.account_no == form.account_no.strip())
            )
        if other is not None and other != form.id:
            problems.append(
                FieldProblem(
                    "account_no",
                    f"户号 {form.account_no} 已被其他客户使用",
                    "another customer has this account no.",
                )
            )
    return problems


def _indicator_problems(form: ProfileForm) -> list[FieldProblem]:
    """Emergency power and the credit/arrears indicators: rates 0–100 %, counts ≥ 0."""
    problems: list[FieldProblem] = []
    for name, zh, en in (
        ("recovery_rate", "电费回收率", "the recovery rate"),
        ("on_time_rate", "缴费准时率", "the on-time payment rate"),
    ):
        value = getattr(form, name)
        if value is not None and not 0 <= value <= 1:
            problems.append(
                FieldProblem(name, f"{zh}应在 0–100% 之间", f"{en} must be between 0 and 100 %")
            )
    if form.consumption_growth is not None and form.consumption_growth < -1:
        problems.append(
            FieldProblem(
                "consumption_growth",
                "用电增长率不能低于 -100%",
                "consumption growth cannot be below -100 %",
            )
        )
    for name, zh, en in (
        ("overdue_count", "逾期次数", "the overdue count"),
        ("overdue_days_max", "最长逾期天数", "the longest overdue days"),
        ("violation_count", "窃电违章次数", "the theft/violation count"),
    ):
        if getattr(form, name) < 0:
            problems.append(FieldProblem(name, f"{zh}不能为负数", f"{en} cannot be negative"))
    if form.emergency_power_kw is not None and form.emergency_power_kw <= 0:
        problems.append(
            FieldProblem(
                "emergency_power_kw",
                "应急电源容量必须大于 0",
                "the emergency power capacity must be positive",
            )
        )
    if form.risk_updated_on and form.risk_updated_on > date.today():
        problems.append(
            FieldProblem(
                "risk_updated_on",
                "信用指标更新日期晚于今天",
                "the indicators are dated in the future",
            )
        )
    return problems


def _source_problems(sources: list[SourceForm]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    seen: set[int] = set()
    for number, source in enumerate(sources, start=1):
        prefix = f"power_sources.{number}"
        zh = f"第 {number} 路电源"
        if source.source_no < 1 or source.source_no in seen:
            problems.append(
                FieldProblem(
                    f"{prefix}.source_no",
                    f"{zh}:电源编号应为不重复的正整数",
                    f"source {number}: the source no. must be a positive number used once",
                )
            )
        seen.add(source.source_no)
        if source.role not in {r.value for r in SourceRole}:
            problems.append(
                FieldProblem(
                    f"{prefix}.role",
                    f"{zh}:请选择主供或备供",
                    f"source {number}: choose main or backup",
                )
            )
        if source.voltage_kv is None:
            problems.append(
                FieldProblem(
                    f"{prefix}.voltage_kv",
                    f"{zh}:请选择电压等级",
                    f"source {number}: choose the voltage",
                )
            )
        elif source.voltage_kv not in VOLTAGE_LEVELS_KV:
            problems.append(
                FieldProblem(
                    f"{prefix}.voltage_kv",
                    f"{zh}:电压等级 {source.voltage_kv:g} kV 不是标准等级",
                    f"source {number}: {source.voltage_kv:g} kV is not a standard voltage level",
                )
            )
        if source.capacity_kva is not None and source.capacity_kva <= 0:
            problems.append(
                FieldProblem(
                    f"{prefix}.capacity_kva",
                    f"{zh}:容量必须大于 0",
                    f"source {number}: the capacity must be positive",
                )
            )
        if not source.substation.strip():
            problems.append(
                FieldProblem(
                    f"{prefix}.substation",
                    f"{zh}:请填写电源变电站",
                    f"source {number}: enter the substation",
                )
            )
        if not source.line.strip():
            problems.append(
                FieldProblem(
                    f"{prefix}.line",
                    f"{zh}:请填写供电线路",
                    f"source {number}: enter the supply line",
                )
            )
        if source.line_type and source.line_type not in {t.value for t in LineType}:
            problems.append(
                FieldProblem(
                    f"{prefix}.line_type",
                    f"{zh}:线路类型只能是架空或电缆",
                    f"source {number}: the line is overhead or cable",
                )
            )
    if sources and not any(s.role == SourceRole.MAIN for s in sources):
        problems.append(
            FieldProblem(
                "power_sources.1.role",
                "至少要有一路主供电源",
                "at least one source must be the main supply",
            )
        )
    return problems


@dataclass(frozen=True)
class ClassChange:
    changed_at: datetime
    old_class: str | None
    new_class: str | None
    basis: str  # consumption / profit / manual
    reason: str | None


@dataclass(frozen=True)
class ProfileStatus:
    """What the editor shows beside the form (read-only)."""

    pyramid_class: str | None  # the class in force (override first)
    computed_class: str | None
    override_reason: str | None
    pooled_on: date | None
    risk_flags: tuple[tuple[str, str], ...]  # (zh, en) per flag
    class_history: tuple[ClassChange, ...]


#: Overdue days (longest in the last 12 months) from which arrears count as a risk flag.
RISK_OVERDUE_DAYS = 30


def risk_flags(customer: Any) -> tuple[tuple[str, str], ...]:
    """Every arrears/credit risk indicator of a customer (a ``Customer`` or any object with its
    risk fields), as (zh, en) badge texts.

    The reasons of the risk rule (``overview.risk_reasons``: credit, recovery, punctuality,
    repeated arrears, violations, operating trouble) plus long overdue days and high-energy
    industry, which make a customer worth watching.
    """
    from keyacct_desktop.services.overview import RISK_REASON_LABELS, risk_reasons

    flags = [RISK_REASON_LABELS[code] for code in risk_reasons(customer)]
    if (customer.overdue_days_max or 0) >= RISK_OVERDUE_DAYS:
        flags.append(
            (
                f"欠费最长 {customer.overdue_days_max} 天",
                f"arrears up to {customer.overdue_days_max} days",
            )
        )
    if customer.high_energy:
        flags.append(("高耗能行业", "high-energy industry"))
    return tuple(flags)


class ProfileService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def load(self, customer_id: uuid.UUID) -> ProfileForm:
        with self.store.read() as session:
            c = session.get(Customer, customer_id)
            if c is None:
                raise UserError("找不到该客户", "customer not found")
            return ProfileForm(
                id=c.id,
                account_no=c.account_no,
                name=c.name,
                uscc=c.uscc or "",
                address=c.address or "",
                park_id=c.park_id,
                grid_id=c.grid_id,
                manager_id=c.manager_id,
                industry=c.industry or "",
                industry_detail=c.industry_detail or "",
                voltage_kv=c.voltage_kv,
                capacity_kva=c.capacity_kva,
                annual_kwh=c.annual_kwh,
                annual_profit_yuan=c.annual_profit_yuan,
                tariff=c.tariff or "",
                metering=c.metering or "",
                important_grade=c.important_grade or "",
                load_grade=c.load_grade or "",
                credit_rating=c.credit_rating or "",
                emergency_power=c.emergency_power or "",
                emergency_power_kw=c.emergency_power_kw,
                recovery_rate=c.recovery_rate,
                on_time_rate=c.on_time_rate,
                overdue_count=c.overdue_count or 0,
                overdue_days_max=c.overdue_days_max or 0,
                violation_count=c.violation_count or 0,
                high_energy=bool(c.high_energy),
                consumption_growth=c.consumption_growth,
                operating_trouble=bool(c.operating_trouble),
                risk_updated_on=c.risk_updated_on,
                pool_status=c.pool_status,
                pool_note=c.pool_note or "",
                lead_source=c.lead_source or "",
                notes=c.notes or "",
                contacts=[
                    ContactForm(
                        k.name,
                        k.role,
                        k.title or "",
                        k.mobile or "",
                        k.landline or "",
                        k.last_verified,
                        k.id,
                        k.email or "",
                        bool(k.is_primary),
                    )
                    for k in c.contacts
                ],
                power_sources=[
                    SourceForm(
                        p.source_no,
                        p.role,
                        p.voltage_kv,
                        p.capacity_kva,
                        p.substation or "",
                        p.line or "",
                        p.bay or "",
                        p.line_type or "",
                        p.id,
                    )
                    for p in c.power_sources
                ],
            )

    def status(self, customer_id: uuid.UUID) -> ProfileStatus:
        with self.store.read() as session:
            c = session.get(Customer, customer_id)
            if c is None:
                raise UserError("找不到该客户", "customer not found")
            history = tuple(
                ClassChange(h.changed_at, h.old_class, h.new_class, h.basis, h.reason)
                for h in session.scalars(
                    select(PyramidChange)
                    .where(PyramidChange.customer_id == customer_id)
                    .order_by(PyramidChange.changed_at.desc(), PyramidChange.created_at.desc())
                )
            )
            return ProfileStatus(
                c.pyramid_override or c.pyramid_class,
                c.pyramid_class,
                c.pyramid_override_reason if c.pyramid_override else None,
                c.pooled_on,
                risk_flags(c),
                history,
            )

    def save(self, form: ProfileForm) -> uuid.UUID:
        """Write the profile and its contacts in one transaction, or nothing at all."""
        problems = check(form, self.store)
        if problems:
            raise UserError(
                "以下字段有误,未保存:\n" + "\n".join(p.zh for p in problems),
                "not saved; fix these fields: " + "; ".join(p.en for p in problems),
                field=problems[0].field,
            )
        with self.store.begin() as session:
            customer = session.get(Customer, form.id) if form.id else None
            if customer is None:
                customer = Customer(
                    id=form.id or uuid.uuid4(),
                    account_no=form.account_no.strip(),
                    name=form.name.strip(),
                )
                session.add(customer)
            customer.account_no = form.account_no.strip()
            customer.name = form.name.strip()
            customer.uscc = validate_uscc(form.uscc) if form.uscc.strip() else None
            for name in CUSTOMER_TEXT_FIELDS:
                setattr(customer, name, getattr(form, name).strip() or None)
            for name in ("park_id", "grid_id", "manager_id", *CUSTOMER_VALUE_FIELDS):
                setattr(customer, name, getattr(form, name))
            if form.pool_status == PoolStatus.POOLED and customer.pool_status != PoolStatus.POOLED:
                customer.pooled_on = date.today()  # enters the pool now
            elif form.pool_status != PoolStatus.POOLED:
                customer.pooled_on = None
            customer.pool_status = form.pool_status
            for contact, target in _matched_children(
                session, customer.contacts, form.contacts, lambda c: Contact(name=c.name.strip())
            ):
                target.name = contact.name.strip()
                target.role = contact.role
                target.title = contact.title.strip() or None
                target.mobile = validate_mobile(contact.mobile) if contact.mobile.strip() else None
                target.landline = (
                    validate_landline(contact.landline) if contact.landline.strip() else None
                )
                target.last_verified = contact.last_verified
                target.email = contact.email.strip() or None
                target.is_primary = contact.is_primary
            for source, record in _matched_children(
                session, customer.power_sources, form.power_sources, lambda _s: PowerSource()
            ):
                record.source_no = source.source_no
                record.role = source.role
                record.voltage_kv = source.voltage_kv
                record.capacity_kva = source.capacity_kva
                record.substation = source.substation.strip()
                record.line = source.line.strip()
                record.bay = source.bay.strip() or None
                record.line_type = source.line_type or None
            return customer.id


def _matched_children(
    session: Any, children: list[Any], forms: list[Any], make: Callable[[Any], Any]
) -> list[tuple[Any, Any]]:
    """Pair each form row with its record: records no form keeps are deleted, new rows created.

    Contacts and power sources are edited as whole tables in the editor; this keeps the
    collection in step with the table in one place.
    """
    kept = {f.id for f in forms if f.id}
    for existing in list(children):
        if existing.id not in kept:
            children.remove(existing)
            session.delete(existing)
    by_id = {record.id: record for record in children}
    pairs = []
    for row in forms:
        record = by_id.get(row.id) if row.id else None
        if record is None:
            record = make(row)
            children.append(record)
        pairs.append((row, record))
    return pairs
