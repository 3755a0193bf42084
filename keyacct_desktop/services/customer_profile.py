"""The customer file (大客户档案): every profile field checked before anything is written.

``check`` returns all problems at once — which field and why, in Chinese and English — so the
editor can mark every faulty field; ``save`` refuses to write anything while any remain.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from keyacct_desktop.domain.codes import (
    CodeError,
    validate_landline,
    validate_mobile,
    validate_uscc,
)
from keyacct_desktop.domain.enums import (
    VOLTAGE_LEVELS_KV,
    ContactRole,
    CreditRating,
    ImportantGrade,
    Industry,
    LoadGrade,
    MeteringMethod,
    PoolStatus,
    TariffCategory,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Contact, Customer

ACCOUNT_NO_RE = re.compile(r"^\d{6,16}$")


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
    tariff: str = ""
    metering: str = ""
    important_grade: str = ""
    load_grade: str = ""
    credit_rating: str = ""
    pool_status: str = "pooled"
    notes: str = ""
    contacts: list[ContactForm] = field(default_factory=list)


def _code(enum: type, value: str, name: str, zh: str, problems: list[FieldProblem]) -> None:
    if value and value not in {m.value for m in enum}:
        problems.append(
            FieldProblem(
                name, f"{zh}“{value}”不是可选值", f"{name} {value!r} is not one of the choices"
            )
        )


def check(form: ProfileForm, store: Store | None = None) -> list[FieldProblem]:
    """Every problem of the form (empty when it may be saved)."""
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
        if contact.role not in {r.value for r in ContactRole}:
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
                tariff=c.tariff or "",
                metering=c.metering or "",
                important_grade=c.important_grade or "",
                load_grade=c.load_grade or "",
                credit_rating=c.credit_rating or "",
                pool_status=c.pool_status,
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
                    )
                    for k in c.contacts
                ],
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
            for name in (
                "address",
                "industry",
                "industry_detail",
                "tariff",
                "metering",
                "important_grade",
                "load_grade",
                "credit_rating",
                "notes",
            ):
                setattr(customer, name, getattr(form, name).strip() or None)
            for name in (
                "park_id",
                "grid_id",
                "manager_id",
                "voltage_kv",
                "capacity_kva",
                "annual_kwh",
            ):
                setattr(customer, name, getattr(form, name))
            customer.pool_status = form.pool_status
            kept = {c.id for c in form.contacts if c.id}
            for existing in list(customer.contacts):
                if existing.id not in kept:
                    customer.contacts.remove(existing)
                    session.delete(existing)
            by_id = {c.id: c for c in customer.contacts}
            for contact in form.contacts:
                target = by_id.get(contact.id) if contact.id else None
                if target is None:
                    target = Contact(name=contact.name.strip())
                    customer.contacts.append(target)
                target.name = contact.name.strip()
                target.role = contact.role
                target.title = contact.title.strip() or None
                target.mobile = validate_mobile(contact.mobile) if contact.mobile.strip() else None
                target.landline = (
                    validate_landline(contact.landline) if contact.landline.strip() else None
                )
                target.last_verified = contact.last_verified
            return customer.id
