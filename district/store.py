"""Operations on the store, shared by the API, the dashboard and the CLI (each takes a Session)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from district import security
from district.db import (
    Attachment,
    AuditEntry,
    Bundle,
    School,
    SchoolKey,
    Setting,
    StaffSession,
    User,
    aware,
    utcnow,
)
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
    session: Session,
    school_id: str,
    name: str,
    ward: str = "",
    district: str = "",
    days: int = 14,
    actor: str = "cli",
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
    record(session, actor, "enroll_code", school_id, f"code valid {days} days")
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
    now = utcnow()
    new_key = _b64(raw)
    if school.public_key and school.public_key != new_key:  # a rotation: the old key verifies for a grace window
        session.execute(
            update(SchoolKey)
            .where(SchoolKey.school_id == school.id, SchoolKey.retired_at.is_(None), SchoolKey.public_key != new_key)
            .values(retired_at=now)
        )
    known = session.scalar(select(SchoolKey).where(SchoolKey.school_id == school.id, SchoolKey.public_key == new_key))
    if known is None:
        session.add(SchoolKey(school_id=school.id, public_key=new_key, key_id=key_id(raw), created_at=now))
    else:
        known.retired_at = None
    school.public_key = new_key
    school.key_id = key_id(raw)
    school.token_hash = security.sha256_hex(token)
    school.token_revoked_at = None
    school.enroll_code_hash = None
    school.enroll_code_expires = None
    school.enrolled_at = now
    record(session, f"school:{school.id}", "enrolled", school.id, f"key {school.key_id}")
    session.commit()
    return Enrolled(school.id, school.name, token, school.key_id)


def revoke_token(session: Session, school_id: str, actor: str) -> None:
    """The school's upload token stops working now (re-enrol with a new code to get another)."""
    school = session.get(School, school_id)
    if school is None:
        raise StoreError(404, f"no school {school_id!r}")
    if school.token_hash is None:
        raise StoreError(409, f"school {school_id} has no active upload token")
    school.token_hash = None
    school.token_revoked_at = utcnow()
    record(session, actor, "revoke_token", school_id, "")
    session.commit()


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
# the district's own receive time orders bundles (a school's clock cannot reorder them)
_LATEST = (
    update(School)
    .where(School.id == bindparam("sid"))
    .where(or_(School.latest_received_at.is_(None), School.latest_received_at <= bindparam("now")))
    .values(
        latest_bundle_id=bindparam("bid"),
        latest_finished_at=bindparam("fin"),
        latest_summary=bindparam("summ"),
        latest_received_at=bindparam("now"),
    )
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


def validate_document(doc: Any, limits: Any = None) -> list[str]:
    from district.validation import validate

    return validate(doc, limits)


def parse_timestamp(value: Any, name: str) -> datetime:
    """An ISO 8601 timestamp with a UTC offset; StoreError 422 for anything else."""
    text = str(value)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise StoreError(422, f"{name}: {text[:60]!r} is not an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        raise StoreError(422, f"{name}: {text[:60]!r} has no UTC offset (write e.g. 2026-11-20T08:30:00Z)")
    return parsed.astimezone(UTC)


@dataclass(frozen=True)
class IngestOptions:
    """What the server knows besides the document: limits, the agent's clock, skew and key-grace policy."""

    limits: Any = None
    sent_at: str | None = None  # the agent's clock when it sent the upload (X-Schoolnet-Sent-At)
    max_skew_s: int = 600
    key_grace_days: int = 30
    judge: Assessor | None = None  # the district's pinned profile and catalog (default: hcmc-956-2024)


def _skew(finished: datetime, now: datetime, sent_at: str | None) -> int | None:
    """Seconds the agent's clock runs ahead (+) or behind (-) the district's, when it can be told."""
    if sent_at:
        try:
            sent = datetime.fromisoformat(sent_at)
        except ValueError:
            sent = None
        if sent is not None and sent.tzinfo is not None:
            return int((sent - now).total_seconds())
    ahead = (finished - now).total_seconds()
    return int(ahead) if ahead > 0 else None


def _verify(session: Session, school: Uploader, doc: dict[str, Any], grace_days: int) -> str:
    """The key id the bundle verifies under (the enrolled key, or a retired one inside the grace window)."""
    assert school.public_key
    try:
        reason = check_signature(doc, school.public_key)
    except (ValueError, UnicodeError) as exc:  # e.g. a lone surrogate that cannot be encoded as UTF-8
        raise StoreError(
            422, f"signature: the bundle cannot be put in canonical form ({type(exc).__name__}): not valid Unicode text"
        ) from None
    if reason is None:
        return key_id(decode_public_key(school.public_key))
    claimed = str((doc.get("signature") or {}).get("key_id", ""))[:100]
    cutoff = utcnow() - timedelta(days=grace_days)
    for old in session.scalars(
        select(SchoolKey).where(SchoolKey.school_id == school.school_id, SchoolKey.retired_at.is_not(None))
    ):
        retired = aware(old.retired_at)
        if retired is None or retired < cutoff or (claimed and old.key_id != claimed):
            continue
        if check_signature(doc, old.public_key) is None:
            return old.key_id
    raise StoreError(422, f"signature: {reason}")


def ingest(
    session: Session, school: Uploader, doc: Any, text: str, options: IngestOptions | None = None
) -> dict[str, Any]:
    """Check, re-assess (with the district's ``options.judge``) and store one bundle; idempotent on bundle_id.

    Raises StoreError.
    """
    options = options or IngestOptions()
    if not isinstance(doc, dict):
        raise StoreError(422, f"the bundle must be a JSON object, got {type(doc).__name__}")
    problems = validate_document(doc, options.limits)
    if problems:
        more = f" (and {len(problems) - 1} more shown)" if len(problems) > 1 else ""
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
    started = parse_timestamp(doc["started_at"], "started_at")
    finished = parse_timestamp(doc["finished_at"], "finished_at")
    if started > finished:
        raise StoreError(422, "started_at: later than finished_at")
    signed_by = _verify(session, school, doc, options.key_grace_days)
    signature = str(doc["signature"]["value"])
    previous = _existing(session, bundle_id, signature, school.school_id)
    if previous is not None:
        return previous
    data = text.encode("utf-8")
    now = utcnow()
    skew = _skew(finished, now, options.sent_at)
    future = (finished - now).total_seconds() > options.max_skew_s
    finished_text = str(doc["finished_at"])[:40]
    try:
        summary_doc = summarise(doc, options.judge)
    except ValueError as exc:  # pydantic's ValidationError: the inputs do not parse as the model
        raise StoreError(422, f"the bundle's inputs cannot be assessed: {str(exc).splitlines()[0][:200]}") from None
    if skew is not None and abs(skew) > options.max_skew_s:
        summary_doc["clock_skew_s"] = skew
    summary = json.dumps(summary_doc)  # ASCII escapes: no NUL or surrogate reaches the database
    values = {
        "bundle_id": bundle_id,
        "school_id": school.school_id,
        "received_at": now,
        "started_at": str(doc["started_at"])[:40],
        "finished_at": finished_text,
        "sha256": hashlib.sha256(data).hexdigest(),
        "signature": signature,
        "size": len(data),
        "summary": summary,
        "document": text,
        "clock_skew_s": skew,
        "key_id": signed_by,
    }
    is_sqlite = session.get_bind().dialect.name == "sqlite"
    try:
        with _SQLITE_WRITES if is_sqlite else contextlib.nullcontext():
            session.execute(_INSERT_BUNDLE, values)
            session.execute(_COUNT_UPLOAD, {"sid": school.school_id, "now": now})
            if not future:  # a bundle dated in the future never pins the school's result
                session.execute(
                    _LATEST,
                    {"sid": school.school_id, "fin": finished_text, "bid": bundle_id, "summ": summary, "now": now},
                )
            session.commit()
    except IntegrityError:  # the same bundle_id arrived concurrently
        session.rollback()
        previous = _existing(session, bundle_id, signature, school.school_id)
        if previous is None:
            raise
        return previous
    answer = {
        "bundle_id": bundle_id,
        "school_id": school.school_id,
        "received_at": _iso(now),
        "sha256": values["sha256"],
        "status": "stored",
    }
    if skew is not None and abs(skew) > options.max_skew_s:
        answer["clock_skew_s"] = skew
    return answer


# --------------------------------------------------------------------------- attachments


def declared_attachments(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The attachments a bundle declares, by SHA-256."""
    out = {}
    for att in doc.get("attachments") or ():
        if isinstance(att, dict) and isinstance(att.get("sha256"), str):
            out[att["sha256"].lower()] = att
    return out


def school_declares(session: Session, school_id: str, sha256: str) -> dict[str, Any] | None:
    """The declaration of ``sha256`` in one of the school's stored bundles (newest first), if any."""
    needle = sha256.lower()
    for (document,) in session.execute(
        select(Bundle.document).where(Bundle.school_id == school_id).order_by(Bundle.received_at.desc()).limit(50)
    ):
        if needle not in document:
            continue
        found = declared_attachments(json.loads(document)).get(needle)
        if found:
            return found
    return None


def store_attachment(session: Session, school_id: str, sha256: str, data: bytes) -> dict[str, Any]:
    """Keep a declared attachment once by its SHA-256 (which must match the bytes and a stored declaration)."""
    sha256 = sha256.lower()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise StoreError(422, f"the body's SHA-256 is {actual}, not {sha256}")
    declared = school_declares(session, school_id, sha256)
    if declared is None:
        raise StoreError(404, f"no stored bundle of school {school_id} declares attachment {sha256}")
    if isinstance(declared.get("size"), int) and declared["size"] != len(data):
        raise StoreError(422, f"the declaration says {declared['size']} bytes; the body has {len(data)}")
    if session.get(Attachment, sha256) is None:
        session.add(Attachment(sha256=sha256, size=len(data), data=data, created_at=utcnow()))
        try:
            session.commit()
        except IntegrityError:  # the same content arrived concurrently
            session.rollback()
    return {"sha256": sha256, "size": len(data), "status": "stored"}


def have_attachments(session: Session, hashes: list[str]) -> set[str]:
    if not hashes:
        return set()
    return set(session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(hashes))))


# --------------------------------------------------------------------------- staff and settings


ROLES = ("viewer", "admin")


def record(session: Session, actor: str, action: str, target: str = "", detail: str = "") -> None:
    """Add an audit-log entry (committed with the caller's transaction)."""
    session.add(AuditEntry(at=utcnow(), actor=actor[:100], action=action[:40], target=target[:200], detail=detail))


def audit_log(session: Session, limit: int = 200) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


def add_user(session: Session, username: str, password: str, role: str = "admin", actor: str = "cli") -> None:
    """Add a staff account or set a new password (which ends every session of that account)."""
    username = username.strip()
    if not username or len(username) > 100 or any(ch.isspace() for ch in username):
        raise StoreError(400, f"username {username!r}: 1-100 characters, no spaces")
    if len(password) < 8:
        raise StoreError(400, "the password needs at least 8 characters")
    if role not in ROLES:
        raise StoreError(400, f"role {role!r}: one of {', '.join(ROLES)}")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, password_hash=security.hash_password(password), created_at=utcnow(), role=role)
        user.failed_logins = 0
        session.add(user)
        record(session, actor, "user_add", username, f"role {role}")
    else:
        user.password_hash = security.hash_password(password)
        user.role = role
        user.failed_logins = 0
        user.locked_until = None
        session.execute(delete(StaffSession).where(StaffSession.username == username))
        record(session, actor, "user_password", username, f"role {role}; sessions ended")
    session.commit()


def remove_user(session: Session, username: str, actor: str = "cli") -> None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise StoreError(404, f"no user {username!r}")
    session.delete(user)
    session.execute(delete(StaffSession).where(StaffSession.username == username))
    record(session, actor, "user_remove", username, "")
    session.commit()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


class LockedOut(StoreError):
    def __init__(self, seconds: int) -> None:
        minutes = max(1, (seconds + 59) // 60)
        super().__init__(429, f"too many failed logins for this account: try again in {minutes} min")
        self.seconds = seconds


def check_user(session: Session, username: str, password: str) -> bool:
    """Verify a password (one scrypt either way, so unknown and known names take the same time)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        security.verify_password(password, security.dummy_hash())
        return False
    return security.verify_password(password, user.password_hash)


def login(session: Session, username: str, password: str, lockout_after: int = 5, lockout_minutes: int = 15) -> User:
    """The user for a correct password; StoreError 401 otherwise, LockedOut (429) while the account is locked."""
    user = session.scalar(select(User).where(User.username == username))
    now = utcnow()
    locked = aware(user.locked_until) if user else None
    if user is None:
        security.verify_password(password, security.dummy_hash())
        raise StoreError(401, "wrong username or password")
    if locked and locked > now:
        security.verify_password(password, security.dummy_hash())  # same time as a check
        raise LockedOut(int((locked - now).total_seconds()))
    if security.verify_password(password, user.password_hash):
        if user.failed_logins or user.locked_until:
            user.failed_logins = 0
            user.locked_until = None
            session.commit()
        return user
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= lockout_after:
        user.locked_until = now + timedelta(minutes=lockout_minutes)
        user.failed_logins = 0
        record(session, username, "locked_out", username, f"{lockout_after} failed logins")
        session.commit()
        raise LockedOut(lockout_minutes * 60)
    session.commit()
    raise StoreError(401, "wrong username or password")


def open_session(session: Session, username: str, hours: float = 12) -> str:
    """A new dashboard session id (the cookie carries it; the store keeps its hash)."""
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        StaffSession(
            id_hash=security.sha256_hex(sid), username=username, created_at=now, expires_at=now + timedelta(hours=hours)
        )
    )
    session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    record(session, username, "login", username, "")
    session.commit()
    return sid


def session_user(session: Session, sid: str) -> User | None:
    """The staff user of a live session id; None when logged out, expired, or the password changed since."""
    if not sid:
        return None
    row = session.get(StaffSession, security.sha256_hex(sid))
    if row is None or (aware(row.expires_at) or utcnow()) < utcnow():
        return None
    return session.scalar(select(User).where(User.username == row.username))


def close_session(session: Session, sid: str) -> None:
    row = session.get(StaffSession, security.sha256_hex(sid)) if sid else None
    if row is not None:
        record(session, row.username, "logout", row.username, "")
        session.delete(row)
        session.commit()


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
    token_revoked: bool = False

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
        token_revoked=school.token_revoked_at is not None,
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
        School.token_revoked_at.is_not(None),
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
            token_revoked=bool(r[9]),
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
        .order_by(Bundle.received_at.desc(), Bundle.id.desc())
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
        "clock_skew_s": bundle.clock_skew_s,
        "signed_by": bundle.key_id,
    }
