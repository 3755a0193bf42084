"""Issued documents: one-shot checklists, technical plan handouts and outage notices.

Every document goes draft → issued. Issuing assigns a number, freezes a snapshot of the
content and records its SHA-256 hash; from then on the store refuses content changes
(``store/guards.py``). A correction is a new version that references the one it replaces.
Numbers embed part of the document's UUID, so two offline laptops never hand out the same one.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyacct_desktop.domain.checklist_templates import (
    TemplateLibrary,
    load_templates,
)
from keyacct_desktop.domain.deadlines import (
    GENERIC_KEYS,
    SupplyCase,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import resources_dir
from keyacct_desktop.settings import OPTIONS
from keyacct_desktop.store.models import (
    Customer,
    PowerSource,
)

TEMPLATE_DIR = resources_dir() / "templates" / "checklists"


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a document's content."""
    canonical = json.dumps(
        content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def document_number(prefix: str, document_id: uuid.UUID, on: date) -> str:
    return f"{prefix}{on:%Y%m%d}-{document_id.hex[:6].upper()}"


#: Folder under the data directory where an administrator puts edited or added templates.
OVERRIDE_SUBDIR = Path("templates") / "checklists"


@cache
def _library(
    directories: tuple[Path, ...],
    limits: frozenset[str],
    terms: frozenset[str],
    _stamp: tuple[Any, ...],
) -> TemplateLibrary:
    return load_templates(directories, set(limits), terms)


def _configured(settings: Any, key: str) -> dict[str, int]:
    """A dict setting over its declared default, so a settings file saved by an older version
    (without the keys added since) still names every figure the templates use."""
    return {**OPTIONS[key].default, **settings.get(key)}


def utility_limits(settings: Any) -> dict[str, int]:
    """The utility's time limits in working days, by key (``limits.working_days``)."""
    return _configured(settings, "limits.working_days")


def customer_terms(settings: Any) -> dict[str, int]:
    """Figures told to the customer, never counted down (``limits.customer_terms``)."""
    return _configured(settings, "limits.customer_terms")


def template_library(settings: Any, directory: Path = TEMPLATE_DIR) -> TemplateLibrary:
    """The bundled templates, overridden by ``<data dir>/templates/checklists/*.toml``.

    Reloaded when any template file changes, so an administrator's edit shows without a restart.
    """
    directories = [directory]
    settings_path = getattr(settings, "path", None)
    if settings_path is not None and (settings_path.parent / OVERRIDE_SUBDIR).is_dir():
        directories.append(settings_path.parent / OVERRIDE_SUBDIR)
    stamp = tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        for folder in directories
        for path in sorted(folder.glob("*.toml"))
    )
    return _library(
        tuple(directories),
        frozenset(utility_limits(settings)) | GENERIC_KEYS,
        frozenset(customer_terms(settings)),
        stamp,
    )


def _manager(customer: Customer) -> dict[str, str]:
    """Who the customer calls: their account manager (or the grid's), name and phone."""
    user = customer.manager or (customer.grid.manager if customer.grid else None)
    if user is None:
        return {}
    return {"name": user.display_name, "phone": user.phone or ""}


def _with_manager(header: dict[str, Any], customer: Customer) -> dict[str, Any]:
    """A frozen header from before managers were printed gets today's manager to call."""
    if header.get("manager"):
        return header
    return {**header, "manager": _manager(customer)}


def _customer_header(customer: Customer) -> dict[str, Any]:
    return {
        "manager": _manager(customer),
        "id": str(customer.id),
        "name": customer.name,
        "account_no": customer.account_no,
        "uscc": customer.uscc,
        "address": customer.address,
        "voltage_kv": customer.voltage_kv,
        "capacity_kva": customer.capacity_kva,
        "industry": customer.industry,
        "tariff": customer.tariff,
        "important_grade": customer.important_grade,
        "contacts": [
            {"name": c.name, "role": c.role, "mobile": c.mobile, "landline": c.landline}
            for c in customer.contacts
        ],
    }


def supply_case(session: Session, customer: Customer) -> SupplyCase:
    """The customer's case for the time limits: voltage, number of power sources, type."""
    count = len(
        session.scalars(select(PowerSource.id).where(PowerSource.customer_id == customer.id)).all()
    )
    return SupplyCase.of_customer(customer, count)


def _get(session: Session, model: Any, document_id: uuid.UUID, what_zh: str, what_en: str) -> Any:
    row = session.get(model, document_id)
    if row is None:
        raise UserError(f"找不到{what_zh}:{document_id}", f"{what_en} not found: {document_id}")
    return row


def _require_draft(document: Any) -> None:
    if document.status != "draft":
        raise UserError(
            f"文书 {document.number} 已出具,不能修改;如需更正请出具新版本",
            f"document {document.number} is issued and cannot be changed; issue a new version instead",
        )


# A versioned document (a checklist, a supply plan) is issued once, frozen, and corrected by a
# new version with the same number that supersedes it.


def freeze(
    session: Session,
    document: Any,
    content: dict[str, Any],
    now: datetime,
    issued_by: uuid.UUID | None,
) -> None:
    """Issue a numbered draft: the hash of its frozen ``content``, when and by whom; the
    version it corrects (``supersedes_id``) is marked as superseded by it."""
    document.content_hash = content_hash(content)
    document.issued_at = now
    document.issued_by = issued_by
    document.status = "issued"
    if document.supersedes_id is not None:
        previous: Any = session.get(type(document), document.supersedes_id)
        previous.status = "superseded"
        previous.superseded_by_id = document.id


def start_correction(
    session: Session,
    model: Any,
    document_id: uuid.UUID,
    names: tuple[str, str, str, str],
    copy: Callable[[Any], dict[str, Any]],
) -> tuple[Any, Any]:
    """The old version and a new draft correcting it (added to the session): same customer
    and acceptance date, the next version number, and the fields ``copy(old)`` returns.

    ``names``: the document as ``_get`` names it (zh, en), then as the refusal names it.
    Only an issued version that nothing superseded yet can be corrected."""
    what_zh, what_en, short_zh, short_en = names
    old = _get(session, model, document_id, what_zh, what_en)
    if old.status != "issued":
        raise UserError(
            f"只有已出具且未被替代的{short_zh}才能更正",
            f"only an issued, current {short_en} can be corrected",
        )
    new = model(
        customer_id=old.customer_id,
        version_no=old.version_no + 1,
        supersedes_id=old.id,
        accepted_on=old.accepted_on,
        **copy(old),
    )
    session.add(new)
    return old, new
