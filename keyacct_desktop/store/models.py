"""Synced domain entities of KeyAcct (the 大客户档案 and everything around it).

Enumerated columns store the stable codes of :mod:`keyacct_desktop.domain.enums`.
Times typed by the user (visit times, outage windows) are local wall-clock time (Beijing);
``created_at``/``updated_at`` are UTC.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyacct_desktop.store.base import Base, Frozen, Synced

# --------------------------------------------------------------------------- people and places


class User(Synced, Base):
    """A person who uses KeyAcct: account manager, supervisor or administrator.

    Accounts are created on the server; devices receive a read-only copy.
    """

    __tablename__ = "user"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="manager")
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Park(Synced, Base):
    """An industrial park (园区)."""

    __tablename__ = "park"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    district: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class Grid(Synced, Base):
    """A service grid (网格): a set of pooled customers served by one manager."""

    __tablename__ = "grid"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)

    manager: Mapped[User | None] = relationship()


class WorkCalendarYear(Synced, Base):
    """One year of the province's working-day calendar (法定节假日 and 调休 workdays).

    Kept by an administrator on the server (``keyacct-server calendar``) and downloaded by
    every device; a year here replaces the bundled ``resources/calendar/cn-YYYY.json``.
    ``status`` is ``official`` (the State Council's notice) or ``estimated`` (every deadline
    counted over it prints "按预估日历计算"). Its id derives from the year
    (:func:`calendar_year_id`), so two administrators never create two rows for one year.
    """

    __tablename__ = "work_calendar"

    year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(16), default="estimated")
    source: Mapped[str | None] = mapped_column(Text)
    holidays: Mapped[list[str]] = mapped_column(JSON, default=list)
    extra_workdays: Mapped[list[str]] = mapped_column(JSON, default=list)


#: The namespace of :func:`calendar_year_id`.
CALENDAR_NAMESPACE = uuid.UUID("6c1f0b8e-3a51-4f0e-9a55-1d2b6b0c2a17")


def calendar_year_id(year: int) -> uuid.UUID:
    """The one id of a calendar year, the same on the server and on every device."""
    return uuid.uuid5(CALENDAR_NAMESPACE, f"work_calendar/{year}")


# --------------------------------------------------------------------------- the customer file


class Customer(Synced, Base):
    """A large customer's profile (大客户档案)."""

    __tablename__ = "customer"

    account_no: Mapped[str] = mapped_column(String(32), unique=True)  # 户号
    name: Mapped[str] = mapped_column(String(200), index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)  # 统一社会信用代码
    address: Mapped[str | None] = mapped_column(String(300))
    park_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("park.id"), index=True)
    grid_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("grid.id"), index=True)
    manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"), index=True)

    industry: Mapped[str | None] = mapped_column(String(1))  # GB/T 4754 section A–T
    industry_detail: Mapped[str | None] = mapped_column(String(200))  # products / sub-industry
    voltage_kv: Mapped[float | None] = mapped_column(Float)
    capacity_kva: Mapped[float | None] = mapped_column(Float)  # contracted capacity
    annual_kwh: Mapped[float | None] = mapped_column(Float)
    annual_profit_yuan: Mapped[float | None] = mapped_column(Float)  # profit contribution
    tariff: Mapped[str | None] = mapped_column(String(32))
    metering: Mapped[str | None] = mapped_column(String(16))
    important_grade: Mapped[str | None] = mapped_column(String(16))
    load_grade: Mapped[str | None] = mapped_column(String(16))
    emergency_power: Mapped[str | None] = mapped_column(String(200))  # self-provided source
    emergency_power_kw: Mapped[float | None] = mapped_column(Float)

    # credit and arrears risk
    credit_rating: Mapped[str | None] = mapped_column(String(8))
    recovery_rate: Mapped[float | None] = mapped_column(Float)  # 电费回收率, 0–1
    on_time_rate: Mapped[float | None] = mapped_column(Float)  # 缴费准时率, 0–1
    overdue_count: Mapped[int] = mapped_column(Integer, default=0)  # last 12 months
    overdue_days_max: Mapped[int] = mapped_column(Integer, default=0)
    violation_count: Mapped[int] = mapped_column(Integer, default=0)  # 窃电/违章用电
    high_energy: Mapped[bool] = mapped_column(Boolean, default=False)
    consumption_growth: Mapped[float | None] = mapped_column(Float)  # year on year, fraction
    operating_trouble: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_updated_on: Mapped[date | None]  # when the indicators above were last updated

    # pool and pyramid
    pool_status: Mapped[str] = mapped_column(String(16), default="pooled", index=True)
    pool_note: Mapped[str | None] = mapped_column(Text)
    lead_source: Mapped[str | None] = mapped_column(String(200))  # e.g. 园区项目备案
    pooled_on: Mapped[date | None]
    pyramid_class: Mapped[str | None] = mapped_column(String(1), index=True)
    pyramid_override: Mapped[str | None] = mapped_column(String(1))
    pyramid_override_reason: Mapped[str | None] = mapped_column(Text)

    status: Mapped[str] = mapped_column(String(16), default="active")
    notes: Mapped[str | None] = mapped_column(Text)

    park: Mapped[Park | None] = relationship()
    grid: Mapped[Grid | None] = relationship()
    manager: Mapped[User | None] = relationship()
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Contact.name"
    )
    power_sources: Mapped[list[PowerSource]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="PowerSource.source_no"
    )

    @property
    def effective_class(self) -> str | None:
        """The pyramid class in force: a manual override beats the computed class."""
        return self.pyramid_override or self.pyramid_class


class Contact(Synced, Base):
    """A person at the customer; ``last_verified`` tells how fresh the phone number is."""

    __tablename__ = "contact"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="general")
    title: Mapped[str | None] = mapped_column(String(64))
    mobile: Mapped[str | None] = mapped_column(String(20))
    landline: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(120))
    last_verified: Mapped[date | None]
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class PowerSource(Synced, Base):
    """One supply circuit of a customer (电源): substation, line and bay, main or backup."""

    __tablename__ = "power_source"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    source_no: Mapped[int] = mapped_column(Integer, default=1)
    role: Mapped[str] = mapped_column(String(8), default="main")
    voltage_kv: Mapped[float | None] = mapped_column(Float)
    capacity_kva: Mapped[float | None] = mapped_column(Float)
    substation: Mapped[str | None] = mapped_column(String(100), index=True)
    line: Mapped[str | None] = mapped_column(String(100), index=True)
    bay: Mapped[str | None] = mapped_column(String(64))
    line_type: Mapped[str | None] = mapped_column(String(16))

    customer: Mapped[Customer] = relationship(back_populates="power_sources")


class PyramidChange(Synced, Base):
    """History of a customer's A/B/C/D class: computed changes and manual overrides."""

    __tablename__ = "pyramid_change"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    old_class: Mapped[str | None] = mapped_column(String(1))
    new_class: Mapped[str | None] = mapped_column(String(1))
    basis: Mapped[str] = mapped_column(String(32))  # consumption / profit / manual
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime]


# --------------------------------------------------------------------------- visits and the 1+N loop


class PlannedVisit(Synced, Base):
    """A visit the manager intends to make on a given day."""

    __tablename__ = "planned_visit"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"), index=True)
    planned_on: Mapped[date] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(Text)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"))


class Visit(Synced, Base):
    """A visit log. Single-author; once completed it changes only through amendments."""

    __tablename__ = "visit"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    place: Mapped[str | None] = mapped_column(String(200))
    our_participants: Mapped[list[str]] = mapped_column(default=list)
    customer_attendees: Mapped[list[str]] = mapped_column(default=list)
    purpose: Mapped[str | None] = mapped_column(Text)
    findings_reliability: Mapped[str | None] = mapped_column(Text)  # outages, sags
    findings_power_quality: Mapped[str | None] = mapped_column(Text)  # harmonics, flicker
    findings_equipment: Mapped[str | None] = mapped_column(Text)
    findings_safety: Mapped[str | None] = mapped_column(Text)
    consumption_outlook: Mapped[str | None] = mapped_column(Text)
    advice: Mapped[str | None] = mapped_column(Text)
    score_reliability: Mapped[int | None] = mapped_column(Integer)  # 1–5
    score_billing: Mapped[int | None] = mapped_column(Integer)
    score_service: Mapped[int | None] = mapped_column(Integer)
    comments: Mapped[str | None] = mapped_column(Text)
    complaints: Mapped[str | None] = mapped_column(Text)
    signature_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("attachment.id"))
    completed_at: Mapped[datetime | None]

    customer: Mapped[Customer] = relationship()


class VisitAmendment(Synced, Base):
    """A correction to a completed visit log: the old and new value of one field, and why."""

    __tablename__ = "visit_amendment"

    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True
    )
    field_name: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[Any | None] = mapped_column(JSON)
    new_value: Mapped[Any | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))


class VisitReview(Synced, Base):
    """The business specialist's (业务专员) review of a completed visit report: a quality
    rating (:class:`~keyacct_desktop.domain.enums.ReviewRating`) and comments the manager reads.

    Written on the server's web console by a specialist or an administrator only; a device
    receives it with the visit (it is visible to whoever sees the visit). One per visit: its id
    is derived from the visit's (:func:`visit_review_id`), so a second review of the same visit
    edits the first instead of breaking the unique key.
    """

    __tablename__ = "visit_review"

    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), unique=True
    )
    reviewer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    rating: Mapped[str] = mapped_column(String(16))
    comments: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime]  # UTC


VISIT_REVIEW_NAMESPACE = uuid.UUID("0b7d3c52-52a4-4f0e-8d7e-4c1c8a3b9e21")


def visit_review_id(visit_id: uuid.UUID) -> uuid.UUID:
    """The one id of a visit's review everywhere (UUID5 of the visit's id)."""
    return uuid.uuid5(VISIT_REVIEW_NAMESPACE, str(visit_id))


class Attachment(Synced, Base):
    """A photo, signature or document; the bytes are content-addressed by SHA-256."""

    __tablename__ = "attachment"

    owner_table: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[uuid.UUID] = mapped_column(index=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # photo / signature / document
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    note: Mapped[str | None] = mapped_column(Text)


class Referral(Synced, Base):
    """A demand or complaint referred to a back-office team (the "N") and followed to closure."""

    __tablename__ = "referral"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="demand")  # demand / complaint
    demand_type: Mapped[str] = mapped_column(String(32), default="other")
    description: Mapped[str] = mapped_column(Text)
    team: Mapped[str] = mapped_column(String(32), index=True)
    owner_name: Mapped[str | None] = mapped_column(String(64))
    due_on: Mapped[date | None] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    customer_feedback: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    #: The day the demand or complaint was registered (on the web, on a visit, by phone);
    #: None for referrals made before device migration 0017. The specialist's dashboard
    #: counts complaints by this day's month.
    registered_on: Mapped[date | None]

    customer: Mapped[Customer] = relationship()


class ReferralEvent(Synced, Base):
    """One state change of a referral (append-only history)."""

    __tablename__ = "referral_event"

    referral_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime]


# --------------------------------------------------------------------------- issued documents


class Checklist(Frozen, Synced, Base):
    """A one-shot notification (一次性告知书) for one customer and business case."""

    __tablename__ = "checklist"
    __mutable_after_issue__: ClassVar[frozenset[str]] = frozenset({"status", "superseded_by_id"})

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    business_type: Mapped[str] = mapped_column(String(32))
    template_version: Mapped[str | None] = mapped_column(String(32))
    number: Mapped[str | None] = mapped_column(String(40), unique=True)  # assigned at issue
    version_no: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("checklist.id"))
    superseded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("checklist.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    accepted_on: Mapped[date | None]  # 受理日期: start of the time limits
    case_note: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[datetime | None]
    issued_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    snapshot: Mapped[dict[str, Any] | None]  # the frozen content as printed

    customer: Mapped[Customer] = relationship()
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="checklist",
        cascade="all, delete-orphan",
        order_by="ChecklistItem.position",
        foreign_keys="ChecklistItem.checklist_id",
    )


class ChecklistItem(Frozen, Synced, Base):
    """One material, step, rule or time limit of a checklist; frozen with its checklist."""

    __tablename__ = "checklist_item"
    #: Tracking after issue: receipt of a material, start and completion of a time-limited step.
    __mutable_after_issue__: ClassVar[frozenset[str]] = frozenset(
        {"received_on", "received_note", "started_on", "completed_on"}
    )
    __frozen_parent__: ClassVar[str | None] = "checklist"

    checklist_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("checklist.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(32))  # application / design / completion / …
    kind: Mapped[str] = mapped_column(String(16))  # material / step / rule / limit
    text: Mapped[str] = mapped_column(Text)
    time_limit_days: Mapped[int | None] = mapped_column(Integer)  # working days
    case_specific: Mapped[bool] = mapped_column(Boolean, default=False)
    received_on: Mapped[date | None]
    received_note: Mapped[str | None] = mapped_column(Text)
    #: How a utility time limit's clock starts: "acceptance" (the plan reply, from 受理日期) or
    #: "step" (when the step starts: the customer's request arrives or the previous step ends).
    #: None: not counted down (a stated commitment, a material, a rule told to the customer).
    clock: Mapped[str | None] = mapped_column(String(16))
    started_on: Mapped[date | None]  # the step's clock started (None: 未开始)
    completed_on: Mapped[date | None]  # the step was done: its clock stops

    checklist: Mapped[Checklist] = relationship(back_populates="items", foreign_keys=[checklist_id])


class SupplyPlan(Frozen, Synced, Base):
    """A technical plan handout (供电方案答复单); ``data`` holds the form, frozen at issue."""

    __tablename__ = "supply_plan"
    __mutable_after_issue__: ClassVar[frozenset[str]] = frozenset({"status", "superseded_by_id"})

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    application_no: Mapped[str | None] = mapped_column(String(40))  # 申请编号
    business_type: Mapped[str] = mapped_column(String(32), default="hv_new")
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    version_no: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("supply_plan.id"))
    superseded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("supply_plan.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    accepted_on: Mapped[date | None]
    valid_until: Mapped[date | None]
    issued_at: Mapped[datetime | None]
    issued_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    customer: Mapped[Customer] = relationship()


class OutageEvent(Frozen, Synced, Base):
    """A planned, temporary or fault outage affecting one or more customers."""

    __tablename__ = "outage_event"
    __mutable_after_issue__: ClassVar[frozenset[str]] = frozenset({"status"})

    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="planned")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    area: Mapped[str] = mapped_column(Text)
    substation: Mapped[str | None] = mapped_column(String(100))
    lines: Mapped[list[str]] = mapped_column(default=list)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    issued_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))

    notices: Mapped[list[OutageNotice]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class OutageNotice(Frozen, Synced, Base):
    """The notice one customer receives for an outage, with delivery and acknowledgement."""

    __tablename__ = "outage_notice"
    __table_args__ = (UniqueConstraint("event_id", "customer_id"),)
    __mutable_after_issue__: ClassVar[frozenset[str]] = frozenset(
        {
            "delivered_at",
            "delivery_method",
            "delivered_by",
            "acknowledged_at",
            "acknowledged_by",
            "reminded_at",
        }
    )
    __frozen_parent__: ClassVar[str | None] = "event"

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("outage_event.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str | None] = mapped_column(String(48), unique=True)
    delivered_at: Mapped[datetime | None]
    delivery_method: Mapped[str | None] = mapped_column(String(32))
    delivered_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    reminded_at: Mapped[datetime | None]

    event: Mapped[OutageEvent] = relationship(back_populates="notices")
    customer: Mapped[Customer] = relationship()


# --------------------------------------------------------------------------- economics


class CustomerMonth(Synced, Base):
    """One billing month of a customer, as exported by the marketing system (营销系统).

    The id is derived from customer and month (:func:`customer_month_id`), so two devices that
    import the same month write the same row instead of two rows that break the unique key.
    Money in yuan; ``None`` means the export did not give the figure.
    """

    __tablename__ = "customer_month"
    __table_args__ = (UniqueConstraint("customer_id", "month"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    kwh: Mapped[float | None] = mapped_column(Float)
    kwh_peak: Mapped[float | None] = mapped_column(Float)
    kwh_flat: Mapped[float | None] = mapped_column(Float)
    kwh_valley: Mapped[float | None] = mapped_column(Float)
    bill_yuan: Mapped[float | None] = mapped_column(Float)  # 应收电费
    basic_charge_yuan: Mapped[float | None] = mapped_column(Float)  # 基本电费
    billing_mode: Mapped[str | None] = mapped_column(String(16))  # capacity / demand
    declared_demand_kw: Mapped[float | None] = mapped_column(Float)
    max_demand_kw: Mapped[float | None] = mapped_column(Float)
    power_factor: Mapped[float | None] = mapped_column(Float)
    paid_yuan: Mapped[float | None] = mapped_column(Float)  # 实收电费
    arrears_yuan: Mapped[float | None] = mapped_column(Float)  # 欠费余额
    overdue_days: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(200))  # the file it came from


CUSTOMER_MONTH_NAMESPACE = uuid.UUID("6f0c1f4e-5b8e-4c61-9a57-19c0c0a7e513")


def customer_month_id(customer_id: uuid.UUID, month: str) -> uuid.UUID:
    """The one id of a customer's month on every device (UUID5 of customer id and month)."""
    return uuid.uuid5(CUSTOMER_MONTH_NAMESPACE, f"{customer_id}:{month}")


class ArrearsAction(Synced, Base):
    """A step taken to collect a customer's bill (电费回收): a call, a visit, a written reminder,
    an instalment or prepayment agreement, a guarantee or a deposit.

    ``instalments`` holds the agreed schedule, ``[{"due_on": "YYYY-MM-DD", "amount": 1000.0,
    "paid_on": null}]``; the reminders read it. ``amount_yuan`` is the sum owed, agreed or
    guaranteed; ``expires_on`` the end of a guarantee or deposit.
    """

    __tablename__ = "arrears_action"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    done_on: Mapped[date] = mapped_column(index=True)
    contact_name: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    amount_yuan: Mapped[float | None] = mapped_column(Float)
    expires_on: Mapped[date | None]
    instalments: Mapped[list[Any]] = mapped_column(default=list)
    notice_number: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))


# --------------------------------------------------------------------------- sync conflicts


class SyncConflict(Synced, Base):
    """A same-field clash: the value that lost is kept here for side-by-side review."""

    __tablename__ = "sync_conflict"

    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # No foreign key: a conflict record must outlive the customer (a delete that met an edit
    # is itself recorded as a conflict), so it never disappears by cascade (issue 14).
    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    field_name: Mapped[str] = mapped_column(String(64))
    kept_value: Mapped[Any | None] = mapped_column(JSON)
    lost_value: Mapped[Any | None] = mapped_column(JSON)
    lost_by: Mapped[str | None] = mapped_column(String(120))  # user @ device
    detected_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(String(16))  # kept / restored


Index("ix_customer_grid_class", Customer.grid_id, Customer.pyramid_class)

#: Synced models in foreign-key order: apply pulled rows in this order, delete in reverse.
SYNCED_MODELS: tuple[type[Synced], ...] = (
    User,
    Park,
    Grid,
    WorkCalendarYear,
    Customer,
    Contact,
    PowerSource,
    PyramidChange,
    Attachment,
    Visit,
    VisitAmendment,
    VisitReview,
    PlannedVisit,
    Referral,
    ReferralEvent,
    Checklist,
    ChecklistItem,
    SupplyPlan,
    CustomerMonth,
    ArrearsAction,
    OutageEvent,
    OutageNotice,
    SyncConflict,
)

MODEL_BY_TABLE: dict[str, type[Synced]] = {
    model.__tablename__: model  # type: ignore[attr-defined]
    for model in SYNCED_MODELS
}
