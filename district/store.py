"""Operations on the store, shared by the API, the dashboard and the CLI (each takes a Session)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from district import security
from district.db import Bundle, School, Setting, User, aware, utcnow
from district.signature import check_signature, decode_public_key, key_id
from district.summary import Assessor, summarise

SCHOOL_ID_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


class StoreError(Exception):
    """A request the store refuses: ``status`` is the HTTP status, the message says why in one line."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []


def check_school_id(school_id: str) -> str:
    if not school_id or len(school_id) > 64 or not set(school_id) <= SCHOOL_ID_CHARS:
        raise StoreError(400, f"school id {school_id!r}: use 1-64 letters, digits, '-', '_' or '.'")
    return school_id


# --------------------------------------------------------------------------- enrollment


def issue_enroll_code(
    session: Session, school_id: str, name: str, ward: str = "", district: str = "", days: int = 14
) -> str:
    """Create (or update) a school and give it a fresh one-time enrollment code; returns the code."""
    check_school_id(school_id)
    if not name.strip():
        raise StoreError(400, "the school needs a name")
    school = session.get(School, school_id)
    if school is None:
        school = School(id=school_id, name=name.strip(), ward=ward.strip(), district=district.strip())
        school.created_at = utcnow()
        school.bundle_count = 0
        session.add(school)
    else:
        school.name = name.strip()
        if ward:
            school.ward = ward.strip()
        if district:
            school.district = district.strip()
    code = security.new_enroll_code()
    school.enroll_code_hash = security.sha256_hex(code)
    school.enroll_code_expires = utcnow() + timedelta(days=days)
    session.commit()
    return code


@dataclass
class Enrolled:
    school_id: str
    name: str
    token: str
    key_id: str


def redeem_code(session: Session, code: str, public_key: str, school_id: str | None = None) -> Enrolled:
    """Trade a one-time code and the agent's public key for an upload token (the old token stops working)."""
    try:
        raw = decode_public_key(public_key)
    except ValueError as exc:
        raise StoreError(422, f"public_key: {exc}") from None
    code_hash = security.sha256_hex(security.normalise_code(code))
    school = session.scalar(select(School).where(School.enroll_code_hash == code_hash))
    expires = aware(school.enroll_code_expires) if school else None
    if school is None or expires is None or expires < utcnow():
        raise StoreError(403, "unknown, used or expired enrollment code (ask the district for a new one)")
    if school_id and school_id != school.id:
        raise StoreError(403, f"this enrollment code is for school {school.id}, not {school_id}")
    token = security.new_token()
    school.public_key = _b64(raw)
    school.key_id = key_id(raw)
    school.token_hash = security.sha256_hex(token)
    school.enroll_code_hash = None
    school.enroll_code_expires = None
    school.enrolled_at = utcnow()
    session.commit()
    return Enrolled(school.id, school.name, token, school.key_id)


def _b64(raw: bytes) -> str:
    import base64

    return base64.b64encode(raw).decode("ascii")


def school_for_token(session: Session, token: str) -> School | None:
    if not token:
        return None
    return session.scalar(select(School).where(School.token_hash == security.sha256_hex(token)))


# --------------------------------------------------------------------------- bundles


_SQLITE_WRITES = threading.Lock()

# the upload path's statements, built once (building them per request costs more than running them)
_Q_TOKEN = select(School.id, School.public_key).where(School.token_hash == bindparam("h"))
_Q_EXISTING = select(Bundle.bundle_id, Bundle.school_id, Bundle.received_at, Bundle.sha256, Bundle.signature).where(
    Bundle.bundle_id == bindparam("bid")
)
_INSERT_BUNDLE = insert(Bundle)
_COUNT_UPLOAD = (
    update(School)
    .where(School.id == bindparam("sid"))
    .values(bundle_count=School.bundle_count + 1, last_upload_at=bindparam("now"))
)
_LATEST = (
    update(School)
    .where(School.id == bindparam("sid"))
    .where(or_(School.latest_finished_at.is_(None), School.latest_finished_at <= bindparam("fin")))
    .values(latest_bundle_id=bindparam("bid"), latest_finished_at=bindparam("fin"), latest_summary=bindparam("summ"))
)


@dataclass(frozen=True)
class Uploader:
    """The school an upload token belongs to, and the key it enrolled."""

    school_id: str
    public_key: str | None


def uploader_for_token(session: Session, token: str) -> Uploader | None:
    if not token:
        return None
    row = session.execute(_Q_TOKEN, {"h": security.sha256_hex(token)}).first()
    return Uploader(row[0], row[1]) if row else None


def _iso(value: datetime | None) -> str | None:
    value = aware(value)
    return value.isoformat().replace("+00:00", "Z") if value else None


def receipt(bundle: Bundle) -> dict[str, Any]:
    """The answer to an upload; the same bundle again gets exactly this again."""
    return {
        "bundle_id": bundle.bundle_id,
        "school_id": bundle.school_id,
        "received_at": _iso(bundle.received_at),
        "sha256": bundle.sha256,
        "status": "stored",
    }


def _existing(session: Session, bundle_id: str, signature: str, school_id: str) -> dict[str, Any] | None:
    """The receipt of an already stored ``bundle_id``; StoreError 409 when its content differs.

    Ed25519 signatures are deterministic, so the same signed content under the same key has the same
    signature value: comparing it (after verification) compares the content without re-encoding 50 KB.
    """
    row = session.execute(_Q_EXISTING, {"bid": bundle_id}).first()
    if row is None:
        return None
    if row.signature != signature or row.school_id != school_id:
        raise StoreError(409, f"bundle_id {bundle_id!r} is already stored with different content")
    return {
        "bundle_id": row.bundle_id,
        "school_id": row.school_id,
        "received_at": _iso(row.received_at),
        "sha256": row.sha256,
        "status": "stored",
    }


def validate_document(doc: Any) -> list[str]:
    from district.validation import validate

    return validate(doc)


def ingest(session: Session, school: Uploader, doc: Any, text: str, judge: Assessor | None = None) -> dict[str, Any]:
    """Check, re-assess (with the district's ``judge``) and store one bundle; idempotent on bundle_id.

    Raises StoreError.
    """
    if not isinstance(doc, dict):
        raise StoreError(422, f"the bundle must be a JSON object, got {type(doc).__name__}")
    problems = validate_document(doc)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StoreError(422, f"the bundle does not match the evidence schema: {problems[0]}{more}", problems)
    bundle_id = str(doc["bundle_id"])
    if not bundle_id or len(bundle_id) > 128:
        raise StoreError(422, "bundle_id: must have 1-128 characters")
    claimed = str(doc["school"].get("id", ""))
    if claimed != school.school_id:
        raise StoreError(
            403, f"this token belongs to school {school.school_id}; it cannot upload for school {claimed!r}"
        )
    if not school.public_key:
        raise StoreError(403, f"school {school.school_id} has no enrolled key")
    for field_name in ("bundle_id", "started_at", "finished_at"):
        if "\x00" in str(doc[field_name]):
            raise StoreError(422, f"{field_name}: must not contain NUL characters")
    try:
        reason = check_signature(doc, school.public_key)
    except (ValueError, UnicodeError) as exc:  # e.g. a lone surrogate that cannot be encoded as UTF-8
        reason = f"the bundle cannot be put in canonical form ({type(exc).__name__}): not valid Unicode text"
    if reason:
        raise StoreError(422, f"signature: {reason}")
    signature = str(doc["signature"]["value"])
    previous = _existing(session, bundle_id, signature, school.school_id)
    if previous is not None:
        return previous
    data = text.encode("utf-8")
    now = utcnow()
    finished = str(doc["finished_at"])[:40]
    try:
        summary = json.dumps(summarise(doc, judge))  # ASCII escapes: no NUL or surrogate reaches the database
    except ValueError as exc:  # pydantic's ValidationError: the inputs do not parse as the model
        raise StoreError(422, f"the bundle's inputs cannot be assessed: {str(exc).splitlines()[0][:200]}") from None
    values = {
        "bundle_id": bundle_id,
        "school_id": school.school_id,
        "received_at": now,
        "started_at": str(doc["started_at"])[:40],
        "finished_at": finished,
        "sha256": hashlib.sha256(data).hexdigest(),
        "signature": signature,
        "size": len(data),
        "summary": summary,
        "document": text,
    }
    is_sqlite = session.get_bind().dialect.name == "sqlite"
    try:
        with _SQLITE_WRITES if is_sqlite else contextlib.nullcontext():
            session.execute(_INSERT_BUNDLE, values)
            session.execute(_COUNT_UPLOAD, {"sid": school.school_id, "now": now})
            session.execute(_LATEST, {"sid": school.school_id, "fin": finished, "bid": bundle_id, "summ": summary})
            session.commit()
    except IntegrityError:  # the same bundle_id arrived concurrently
        session.rollback()
        previous = _existing(session, bundle_id, signature, school.school_id)
        if previous is None:
            raise
        return previous
    return {
        "bundle_id": bundle_id,
        "school_id": school.school_id,
        "received_at": _iso(now),
        "sha256": values["sha256"],
        "status": "stored",
    }


# --------------------------------------------------------------------------- staff and settings


def add_user(session: Session, username: str, password: str) -> None:
    username = username.strip()
    if not username or len(username) > 100 or any(ch.isspace() for ch in username):
        raise StoreError(400, f"username {username!r}: 1-100 characters, no spaces")
    if len(password) < 8:
        raise StoreError(400, "the password needs at least 8 characters")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, password_hash=security.hash_password(password), created_at=utcnow())
        session.add(user)
    else:
        user.password_hash = security.hash_password(password)
    session.commit()


def check_user(session: Session, username: str, password: str) -> bool:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        security.verify_password(password, security.hash_password("timing-equaliser"))
        return False
    return security.verify_password(password, user.password_hash)


def setting(session: Session, key: str, make: Any) -> str:
    """A persistent setting (e.g. the session secret), created once with ``make()``."""
    row = session.get(Setting, key)
    if row is not None:
        return row.value
    session.add(Setting(key=key, value=make()))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
    row = session.get(Setting, key)
    assert row is not None
    return row.value


def session_secret(session: Session) -> str:
    return setting(session, "session_secret", lambda: secrets.token_urlsafe(48))


# --------------------------------------------------------------------------- reads


@dataclass
class SchoolRow:
    id: str
    name: str
    ward: str
    district: str
    enrolled: bool
    last_upload_at: datetime | None
    bundle_count: int
    latest_bundle_id: str | None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def overall(self) -> str:
        return str(self.summary.get("overall", "none")) if self.summary else "none"

    def age_days(self, now: datetime) -> float | None:
        return (now - self.last_upload_at).total_seconds() / 86400 if self.last_upload_at else None

    def jsonable(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "ward": self.ward,
            "district": self.district,
            "enrolled": self.enrolled,
            "last_upload_at": self.last_upload_at.isoformat().replace("+00:00", "Z") if self.last_upload_at else None,
            "bundle_count": self.bundle_count,
            "latest_bundle_id": self.latest_bundle_id,
            "overall": self.overall,
            "criteria": self.summary.get("criteria", {}),
            "download_mbps": self.summary.get("download_mbps"),
            "upload_mbps": self.summary.get("upload_mbps"),
            "devices": self.summary.get("devices"),
            "school_overall": self.summary.get("school_overall"),
            "profile": self.summary.get("profile"),
            "verdicts": [
                {"criterion_id": cid, "status": status,
                 "provenance": (self.summary.get("provenance") or {}).get(cid) or None,
                 "school_status": (self.summary.get("school_criteria") or {}).get(cid)}
                for cid, status in (self.summary.get("criteria") or {}).items()
            ],
            "disagreements": [
                {"criterion_id": d.get("criterion_id"), "school_status": d.get("school_status"),
                 "district_status": d.get("district_status"), "reason": (d.get("reason") or {}).get("en", "")}
                for d in self.summary.get("disagreements") or ()
            ],
        }


def school_row(school: School) -> SchoolRow:
    return SchoolRow(
        id=school.id,
        name=school.name,
        ward=school.ward or "",
        district=school.district or "",
        enrolled=school.token_hash is not None,
        last_upload_at=aware(school.last_upload_at),
        bundle_count=school.bundle_count or 0,
        latest_bundle_id=school.latest_bundle_id,
        summary=school.summary(),
    )


def list_schools(
    session: Session, *, ward: str = "", status: str = "", stale_days: int | None = None, now: datetime | None = None
) -> list[SchoolRow]:
    """Schools with their latest verdicts, filtered by ward, overall status and upload age."""
    query = select(
        School.id,
        School.name,
        School.ward,
        School.district,
        School.token_hash.is_not(None),
        School.last_upload_at,
        School.bundle_count,
        School.latest_bundle_id,
        School.latest_summary,
    ).order_by(School.ward, School.id)
    if ward:
        query = query.where(School.ward == ward)
    rows = [
        SchoolRow(
            id=r[0],
            name=r[1],
            ward=r[2] or "",
            district=r[3] or "",
            enrolled=bool(r[4]),
            last_upload_at=aware(r[5]),
            bundle_count=r[6] or 0,
            latest_bundle_id=r[7],
            summary=json.loads(r[8]) if r[8] else {},
        )
        for r in session.execute(query)
    ]
    if status:
        rows = [r for r in rows if r.overall == status]
    if stale_days is not None:
        now = now or utcnow()
        cutoff = now - timedelta(days=stale_days)
        rows = [r for r in rows if r.last_upload_at is None or r.last_upload_at < cutoff]
    return rows


def wards(session: Session) -> list[str]:
    return [w for w in session.scalars(select(School.ward).distinct().order_by(School.ward)) if w]


def school_bundles(session: Session, school_id: str, limit: int = 100, offset: int = 0) -> list[Bundle]:
    query = (
        select(Bundle)
        .where(Bundle.school_id == school_id)
        .order_by(Bundle.finished_at.desc(), Bundle.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def bundle_meta(bundle: Bundle) -> dict[str, Any]:
    summary = json.loads(bundle.summary)
    return {
        **receipt(bundle),
        "started_at": bundle.started_at,
        "finished_at": bundle.finished_at,
        "size": bundle.size,
        "overall": summary.get("overall"),
        "criteria": summary.get("criteria", {}),
        "download_mbps": summary.get("download_mbps"),
        "upload_mbps": summary.get("upload_mbps"),
        "devices": summary.get("devices"),
    }
