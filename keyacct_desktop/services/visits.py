"""Visit logs: what was seen and asked on a visit, its demands referred on, and drafts.

A visit is edited as a :class:`VisitForm` (plain data). ``save`` validates everything first and
then writes the visit, its new referrals, attachments and the removal of its autosaved draft in
one transaction, so a visit is either saved whole or not at all. The editor autosaves its form
every few seconds into the local ``draft`` table; after a crash or a kill the draft is offered
again on the next start.

A draft stays small: photos and the signature go into the sealed, content-addressed attachment
folder (``security.files.AttachmentFiles``) once, when attached or signed, and the draft holds
only their SHA-256. Saving the visit records those same files as ``Attachment`` rows; a file
that no draft and no attachment refers to any more (a signature drawn over, a discarded draft)
is deleted.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, exists, func, or_, select

from keyacct_desktop.domain.enums import BackOfficeTeam, DemandType, ReferralState
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.security.files import AttachmentFiles, StoredFile
from keyacct_desktop.services.referrals import NewReferral, ReferralService, check_new
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import Draft
from keyacct_desktop.store.models import Attachment, Customer, Referral, User, Visit

if TYPE_CHECKING:  # printing imports ReportLab: only a report needs it, not drafts or forms
    from keyacct_desktop.printing.visits import VisitReportData

SCORE_FIELDS = ("score_reliability", "score_billing", "score_service")
TEXT_FIELDS = (
    "place",
    "purpose",
    "findings_reliability",
    "findings_power_quality",
    "findings_equipment",
    "findings_safety",
    "consumption_outlook",
    "advice",
    "comments",
    "complaints",
)
DRAFT_KIND = "visit"
SIGNATURE_NAME = "客户签名.png"


@dataclass
class DemandForm:
    """A demand or complaint raised on the visit; saved as a referral to ``team``."""

    description: str
    team: str
    demand_type: str = "other"
    kind: str = "demand"
    owner_name: str = ""
    due_on: str = ""  # ISO date; empty = the default time limit


@dataclass
class VisitForm:
    """Everything the visit editor edits, as plain JSON-friendly values (autosaved as is)."""

    customer_id: str = ""
    visit_id: str = ""  # a new visit gets its id when the form is made, so its draft has a key
    started_at: str = ""  # ISO datetime
    ended_at: str = ""
    place: str = ""
    our_participants: list[str] = field(default_factory=list)
    customer_attendees: list[str] = field(default_factory=list)
    purpose: str = ""
    findings_reliability: str = ""
    findings_power_quality: str = ""
    findings_equipment: str = ""
    findings_safety: str = ""
    consumption_outlook: str = ""
    advice: str = ""
    score_reliability: int | None = None
    score_billing: int | None = None
    score_service: int | None = None
    comments: str = ""
    complaints: str = ""
    demands: list[DemandForm] = field(default_factory=list)
    signature_sha256: str = ""  # the PNG drawn by the customer, in the attachment folder
    photos: list[tuple[str, str]] = field(default_factory=list)  # (file name, SHA-256): new
    attached: list[str] = field(default_factory=list)  # names of files the saved visit has

    def __post_init__(self) -> None:
        if not self.visit_id:
            self.visit_id = str(uuid.uuid4())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VisitForm:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["demands"] = [DemandForm(**d) for d in known.get("demands", [])]
        known["photos"] = [tuple(p) for p in known.get("photos", [])]
        return cls(**known)

    def file_refs(self) -> set[str]:
        """SHA-256 of every file in the attachment folder this form refers to."""
        refs = {sha for _name, sha in self.photos}
        if self.signature_sha256:
            refs.add(self.signature_sha256)
        return refs

    @property
    def draft_key(self) -> str:
        """``visit:<uuid>``: one draft per visit, kept when the customer is changed mid-edit."""
        return f"visit:{self.visit_id}"


@dataclass(frozen=True)
class VisitDraft:
    """A draft as offered: ``cancelled`` when its editor was cancelled and the draft kept on
    purpose, not left by a crash or kill (only those are offered at the next start)."""

    key: str
    form: VisitForm
    updated_at: datetime
    customer_name: str
    cancelled: bool = False


#: Payload key marking a draft kept on purpose (the editor was cancelled, "keep as draft").
CANCELLED_KEY = "cancelled"


def _texts(visit: Visit) -> dict[str, Any]:
    """The free-text fields of a saved visit ("" for a blank one), as ``VisitForm`` keywords."""
    return {name: getattr(visit, name) or "" for name in TEXT_FIELDS}


def _datetime(value: str, field_name: str, zh: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise UserError(
            f"请填写正确的{zh}", f"enter a valid {field_name}", field=field_name
        ) from None


def validate(form: VisitForm, today: date | None = None) -> None:
    """Refuse a visit that cannot be saved, naming the field and why."""
    if not form.customer_id:
        raise UserError("请选择走访的客户", "choose the customer visited", field="customer")
    started = _datetime(form.started_at, "started_at", "走访开始时间")
    if started.date() > (today or date.today()):
        raise UserError(
            "走访时间不能晚于今天", "a visit cannot be in the future", field="started_at"
        )
    if form.ended_at:
        ended = _datetime(form.ended_at, "ended_at", "结束时间")
        if ended < started:
            raise UserError(
                "结束时间早于开始时间", "the visit ends before it starts", field="ended_at"
            )
    if not form.purpose.strip():
        raise UserError("请填写走访目的", "enter the purpose of the visit", field="purpose")
    if not [p for p in form.our_participants if p.strip()]:
        raise UserError("请填写我方参加人员", "enter who of us took part", field="our_participants")
    for name in SCORE_FIELDS:
        value = getattr(form, name)
        if value is not None and not (isinstance(value, int) and 1 <= value <= 5):
            raise UserError("满意度评分应为 1–5 分", "satisfaction scores are 1 to 5", field=name)
    for number, demand in enumerate(form.demands, start=1):
        try:
            check_new(
                NewReferral(
                    uuid.UUID(form.customer_id),
                    demand.team,
                    demand.description,
                    demand.kind,
                    demand.demand_type,
                )
            )
            if demand.due_on:
                date.fromisoformat(demand.due_on)
        except UserError as error:
            raise UserError(
                f"第 {number} 条诉求:{error.message_zh}",
                f"demand {number}: {error.message_en}",
                field=f"demands.{number}.{error.field}",
            ) from None
        except ValueError:
            raise UserError(
                f"第 {number} 条诉求:办理期限日期无效",
                f"demand {number}: invalid due date",
                field=f"demands.{number}.due_on",
            ) from None


class VisitLogService:
    def __init__(
        self, store: Store, settings: object, files: AttachmentFiles | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self.files = files
        self.referrals = ReferralService(store, settings)

    # --- saving -----------------------------------------------------------------------------

    def save(
        self, form: VisitForm, *, complete: bool = True, today: date | None = None
    ) -> uuid.UUID:
        """Validate, then write visit + new referrals + attachments, and drop the draft."""
        validate(form, today)
        if (form.photos or form.signature_sha256) and self.files is None:
            raise UserError("附件文件夹不可用", "no attachment folder to keep files in")
        visit_key = uuid.UUID(form.visit_id)
        with self.store.read() as session:  # a signature the visit has already is kept as is
            current_signature = session.scalar(
                select(Attachment.sha256)
                .join(Visit, Visit.signature_id == Attachment.id)
                .where(Visit.id == visit_key)
            )
        stored_photos: list[StoredFile] = []
        signature: StoredFile | None = None
        if self.files is not None:  # files are read back and checked before anything is written
            stored_photos = [self.files.stored(name, sha) for name, sha in form.photos]
            if form.signature_sha256 and form.signature_sha256 != current_signature:
                signature = self.files.stored(SIGNATURE_NAME, form.signature_sha256)
        customer_id = uuid.UUID(form.customer_id)
        with self.store.begin() as session:
            if session.get(Customer, customer_id) is None:
                raise UserError("找不到该客户", "customer not found", field="customer")
            visit = session.get(Visit, uuid.UUID(form.visit_id))
            if visit is None:  # a new visit keeps the id its form (and draft) had
                visit = Visit(
                    id=uuid.UUID(form.visit_id),
                    customer_id=customer_id,
                    started_at=datetime.fromisoformat(form.started_at),
                )
                session.add(visit)
            visit.customer_id = customer_id
            visit.started_at = datetime.fromisoformat(form.started_at)
            visit.ended_at = datetime.fromisoformat(form.ended_at) if form.ended_at else None
            visit.our_participants = [p.strip() for p in form.our_participants if p.strip()]
            visit.customer_attendees = [p.strip() for p in form.customer_attendees if p.strip()]
            for name in TEXT_FIELDS:
                setattr(visit, name, getattr(form, name).strip() or None)
            for name in SCORE_FIELDS:
                setattr(visit, name, getattr(form, name))
            if complete:
                visit.status = "completed"
                visit.completed_at = visit.completed_at or utcnow()
            session.flush()
            for demand in form.demands:
                self.referrals.add(
                    session,
                    NewReferral(
                        customer_id,
                        demand.team,
                        demand.description,
                        demand.kind,
                        demand.demand_type,
                        demand.owner_name or None,
                        date.fromisoformat(demand.due_on) if demand.due_on else None,
                        visit.id,
                    ),
                    today,
                )
            for stored in stored_photos:
                session.add(self._attachment(visit, stored, "photo"))
            current = session.get(Attachment, visit.signature_id) if visit.signature_id else None
            if signature is not None and (current is None or current.sha256 != signature.sha256):
                record = self._attachment(visit, signature, "signature")  # signed (again)
                session.add(record)
                session.flush()
                visit.signature_id = record.id
            session.execute(delete(Draft).where(Draft.key == form.draft_key))
            return visit.id

    @staticmethod
    def _attachment(visit: Visit, stored: Any, kind: str) -> Attachment:
        return Attachment(
            owner_table="visit",
            owner_id=visit.id,
            customer_id=visit.customer_id,
            kind=kind,
            filename=stored.filename,
            mime=stored.mime,
            size=stored.size,
            sha256=stored.sha256,
        )

    # --- reading ----------------------------------------------------------------------------

    def form(self, visit_id: uuid.UUID) -> VisitForm:
        """A saved visit as a form (demands already referred are not repeated).

        The signature is referred to by its SHA-256 (its file may not be on this computer yet).
        """
        with self.store.read() as session:
            visit = session.get(Visit, visit_id)
            if visit is None:
                raise UserError("找不到该走访记录", "visit not found")
            form = VisitForm(
                customer_id=str(visit.customer_id),
                visit_id=str(visit.id),
                started_at=visit.started_at.isoformat(timespec="minutes"),
                ended_at=visit.ended_at.isoformat(timespec="minutes") if visit.ended_at else "",
                our_participants=list(visit.our_participants or []),
                customer_attendees=list(visit.customer_attendees or []),
                **_texts(visit),
                **{name: getattr(visit, name) for name in SCORE_FIELDS},
                signature_sha256=(
                    session.scalar(
                        select(Attachment.sha256).where(Attachment.id == visit.signature_id)
                    )
                    or ""
                    if visit.signature_id
                    else ""
                ),
                attached=list(
                    session.scalars(
                        select(Attachment.filename)
                        .where(
                            Attachment.owner_table == "visit",
                            Attachment.owner_id == visit_id,
                            Attachment.kind == "photo",
                        )
                        .order_by(Attachment.created_at)
                    )
                ),
            )
        return form

    def signature(self, visit_id: uuid.UUID) -> bytes | None:
        if self.files is None:
            return None
        with self.store.read() as session:
            visit = session.get(Visit, visit_id)
            record = (
                session.get(Attachment, visit.signature_id)
                if visit and visit.signature_id
                else None
            )
            sha = record.sha256 if record else None
        if sha is None:
            return None
        try:
            return self.files.get(sha)
        except UserError:
            return None  # not synced to this laptop yet

    def referrals_of(self, visit_id: uuid.UUID) -> list[Referral]:
        with self.store.read() as session:
            return list(session.scalars(select(Referral).where(Referral.visit_id == visit_id)))

    # --- drafts -----------------------------------------------------------------------------

    def keep_file(self, filename: str, data: bytes) -> str:
        """Check and store a photo or signature for a form (once per content); its SHA-256.

        Call before the form that refers to it is autosaved: the file is on disk (sealed,
        fsynced) before any draft points at it.
        """
        if self.files is None:
            raise UserError("附件文件夹不可用", "no attachment folder to keep files in")
        return self.files.put(filename, data).sha256

    def file(self, sha256: str) -> bytes | None:
        """The content of a file a form refers to, or ``None`` if it is not on this computer."""
        if self.files is None or not sha256:
            return None
        try:
            return self.files.get(sha256)
        except (UserError, ValueError):
            return None

    def autosave(self, form: VisitForm, *, cancelled: bool = False) -> None:
        """Keep the editor's state; one row per visit being edited, replaced every time.

        The payload is the form's text and references: photos and signature are not in it.
        ``cancelled``: the user cancelled the editor and kept the draft, so the next start
        does not offer it as left by a crash (the next autosave, editing again, clears it).
        """
        payload = form.to_json()
        if cancelled:
            payload[CANCELLED_KEY] = True
        with self.store.begin() as session:
            draft = session.get(Draft, form.draft_key)
            if draft is None:
                dropped: set[str] = set()
                session.add(Draft(key=form.draft_key, kind=DRAFT_KIND, payload=payload))
            else:
                dropped = VisitForm.from_json(draft.payload).file_refs() - form.file_refs()
                draft.payload = payload
                draft.updated_at = utcnow()
        self._forget_files(dropped)

    def drafts(self) -> list[VisitDraft]:
        """Autosaved visits that were never saved (e.g. the app was killed), newest first."""
        with self.store.read() as session:
            rows = session.scalars(
                select(Draft).where(Draft.kind == DRAFT_KIND).order_by(Draft.updated_at.desc())
            ).all()
            result = []
            for row in rows:
                form = VisitForm.from_json(self._upgraded(row.payload))
                customer = (
                    session.get(Customer, uuid.UUID(form.customer_id)) if form.customer_id else None
                )
                result.append(
                    VisitDraft(
                        row.key,
                        form,
                        row.updated_at,
                        customer.name if customer else "—",
                        bool(row.payload.get(CANCELLED_KEY)),
                    )
                )
            return result

    def _upgraded(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A draft from before files were kept by reference (hex content in the payload)."""
        legacy_signature = payload.get("signature_png")
        legacy_photos = [p for p in payload.get("photos", []) if len(p[1]) != 64]
        if not legacy_signature and not legacy_photos:
            return payload
        payload = dict(payload)
        payload.pop("signature_png", None)
        photos = []
        for name, ref in payload.get("photos", []):
            if len(ref) != 64:
                try:
                    ref = self.keep_file(name, bytes.fromhex(ref))
                except (UserError, ValueError):
                    continue
            photos.append([name, ref])
        payload["photos"] = photos
        if legacy_signature:
            with contextlib.suppress(UserError, ValueError):
                payload["signature_sha256"] = self.keep_file(
                    SIGNATURE_NAME, bytes.fromhex(legacy_signature)
                )
        return payload

    def _forget_files(self, refs: set[str]) -> None:
        """Delete the files among ``refs`` that no visit attachment and no draft refers to."""
        if self.files is None or not refs:
            return
        with self.store.read() as session:
            for payload in session.scalars(select(Draft.payload).where(Draft.kind == DRAFT_KIND)):
                refs -= VisitForm.from_json(payload).file_refs()
            unused = [
                sha
                for sha in refs
                if not session.scalar(select(exists().where(Attachment.sha256 == sha)))
            ]
        for sha in unused:
            self.files.discard(sha)

    def has_draft(self, key: str) -> bool:
        """Whether a draft is kept under ``key`` (``VisitForm.draft_key``)."""
        with self.store.read() as session:
            return session.get(Draft, key) is not None

    def discard_draft(self, key: str) -> None:
        """Delete a draft, and the photos and signature only it referred to."""
        with self.store.begin() as session:
            draft = session.get(Draft, key)
            refs = VisitForm.from_json(draft.payload).file_refs() if draft else set()
            session.execute(delete(Draft).where(Draft.key == key))
        self._forget_files(refs)


def load_report(service: VisitLogService, visit_id: uuid.UUID) -> VisitReportData:
    """What the visit report (``printing.visits``) prints, read from the store."""
    from keyacct_desktop.printing.visits import VisitReportData

    form = service.form(visit_id)
    with service.store.read() as session:
        visit = session.get(Visit, visit_id)
        customer = session.get(Customer, visit.customer_id) if visit is not None else None
        if visit is None or customer is None:  # deleted since form() read it
            raise UserError("找不到该走访记录", "visit not found")
        name, account, address = customer.name, customer.account_no, customer.address or ""
        user = (session.get(User, visit.manager_id) if visit.manager_id else None) or (
            customer.manager
        )
        manager = {"name": user.display_name, "phone": user.phone or ""} if user else {}
        signed = visit.ended_at or visit.started_at  # signed on the spot, at the visit
        completed = visit.status == "completed"
        photo_rows = session.execute(
            select(Attachment.filename, Attachment.sha256)
            .where(
                Attachment.owner_table == "visit",
                Attachment.owner_id == visit_id,
                Attachment.kind == "photo",
            )
            .order_by(Attachment.created_at)
        ).all()
    photos: list[tuple[str, bytes]] = []
    for filename, sha in photo_rows:
        if service.files is None:
            break
        try:
            photos.append((filename, service.files.get(sha)))
        except UserError:
            continue  # not synced to this laptop yet: the report says how many are missing
    referrals = [
        (
            ("投诉" if r.kind == "complaint" else DemandType(r.demand_type).zh),
            r.description,
            BackOfficeTeam(r.team).zh,
            ReferralState(r.state).zh,
            r.due_on.strftime("%Y-%m-%d") if r.due_on else "",
        )
        for r in service.referrals_of(visit_id)
    ]
    signature = service.signature(visit_id)
    return VisitReportData(
        visit_id,
        name,
        account,
        address,
        form.to_json(),
        referrals,
        signature,
        manager,
        photos,
        signed.date() if signature is not None and signed else None,
        completed,
    )


# --------------------------------------------------------------------------- lists


#: One visit in the list: started, customer, purpose, the three scores, status, id.
VisitRow = tuple[datetime, str, str | None, int | None, int | None, int | None, str, uuid.UUID]
#: One completed visit of the trend: started, the three scores, complaints, customer.
TrendRow = tuple[datetime, int | None, int | None, int | None, str | None, str]


def _search(words: list[str]) -> list[Any]:
    """Conditions of the visit search: every word in the customer, purpose or place."""
    conditions = []
    for word in words:
        pattern = f"%{word}%"
        conditions.append(
            or_(
                Customer.name.like(pattern),
                Visit.purpose.like(pattern),
                Visit.place.like(pattern),
            )
        )
    return conditions


def count_visits(store: Store, words: list[str]) -> int:
    """How many visits match every word of a search."""
    with store.read() as session:
        total = session.scalar(
            select(func.count())
            .select_from(Visit)
            .join(Customer, Customer.id == Visit.customer_id)
            .where(*_search(words))
        )
    return total or 0


def visit_page(store: Store, words: list[str], offset: int, limit: int) -> list[VisitRow]:
    """One page of the visits matching a search, newest first."""
    statement = (
        select(
            Visit.started_at,
            Customer.name,
            Visit.purpose,
            Visit.score_reliability,
            Visit.score_billing,
            Visit.score_service,
            Visit.status,
            Visit.id,
        )
        .join(Customer, Customer.id == Visit.customer_id)
        .where(*_search(words))
        .order_by(Visit.started_at.desc(), Visit.id)
        .offset(offset)
        .limit(limit)
    )
    with store.read() as session:
        return list(session.execute(statement).tuples())


def completed_visits(
    store: Store, customer_id: uuid.UUID | None = None, grid_id: uuid.UUID | None = None
) -> list[TrendRow]:
    """The completed visits of one customer, one grid or all, newest first (the trend)."""
    statement = (
        select(
            Visit.started_at,
            Visit.score_reliability,
            Visit.score_billing,
            Visit.score_service,
            Visit.complaints,
            Customer.name,
        )
        .join(Customer, Customer.id == Visit.customer_id)
        .where(Visit.status == "completed")
        .order_by(Visit.started_at.desc())
    )
    if customer_id is not None:
        statement = statement.where(Visit.customer_id == customer_id)
    elif grid_id is not None:
        statement = statement.where(Customer.grid_id == grid_id)
    with store.read() as session:
        return list(session.execute(statement).tuples())
