"""API v1: enrollment, bundle upload, reads for schools and bundles, health (OpenAPI at /openapi.json)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from district import store
from district.db import Attachment, Bundle, School

router = APIRouter(prefix="/api/v1")

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for code, desc in {
        400: "Bad request",
        401: "Missing or unknown credentials",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict",
        413: "Body too large",
        415: "Not JSON",
        422: "Invalid content",
        429: "Too many attempts (see Retry-After)",
    }.items()
}


class Problem(BaseModel):
    detail: str = Field(description="what is wrong, in one line")
    problems: list[str] = Field(default_factory=list, description="every problem found, one line each")


class EnrollRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=64, description="the one-time enrollment code")
    public_key: str = Field(
        min_length=1, max_length=200, description="the agent's Ed25519 public key, base64 (raw 32 bytes)"
    )
    school_id: str | None = Field(default=None, max_length=64, description="optional: the school the agent expects")


class EnrollResponse(BaseModel):
    school_id: str
    name: str
    token: str = Field(description="the upload token (shown once; stored hashed)")
    key_id: str


class Receipt(BaseModel):
    bundle_id: str
    school_id: str
    received_at: str | None
    sha256: str
    status: str
    clock_skew_s: int | None = Field(
        default=None, description="present when the agent's clock is off by more than the allowed skew (seconds)"
    )
    attachments_missing: list[str] = Field(
        default_factory=list, description="SHA-256 of declared attachments the district does not hold yet"
    )


class AttachmentReceipt(BaseModel):
    sha256: str
    size: int
    status: str


class VerdictOut(BaseModel):
    criterion_id: str
    status: str  # the district's own verdict (its pinned profile and catalog)
    provenance: str | None  # measured | catalog | catalog_verified | inferred | declared
    school_status: str | None  # what the school's bundle claimed ("not_assessed" when its profile lacks it)


class DisagreementOut(BaseModel):
    criterion_id: str
    school_status: str
    district_status: str
    reason: str  # why the district decided as it did (English; the dashboard shows Vietnamese)


class SchoolOut(BaseModel):
    id: str
    name: str
    ward: str
    district: str
    enrolled: bool
    last_upload_at: str | None
    bundle_count: int
    latest_bundle_id: str | None
    overall: str
    criteria: dict[str, str]
    download_mbps: float | None
    upload_mbps: float | None
    devices: int | None
    school_overall: str | None = None
    profile: str | None = None
    verdicts: list[VerdictOut] = []
    disagreements: list[DisagreementOut] = []


class BundleOut(Receipt):
    signed_by: str | None
    started_at: str
    finished_at: str
    size: int
    overall: str | None
    criteria: dict[str, str]
    download_mbps: float | None
    upload_mbps: float | None
    devices: int | None


class Health(BaseModel):
    status: str
    database: str
    version: str


def db(request: Request) -> Any:
    session = request.app.state.sessions()
    try:
        yield session
    finally:
        session.close()


DB = Annotated[Session, Depends(db)]


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


_BASIC_CACHE: dict[str, tuple[str, str, float]] = {}
_BASIC_TTL_S = 60.0


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


def too_many(wait: float, message: str) -> HTTPException:
    return HTTPException(429, message, headers={"Retry-After": str(max(1, int(wait + 0.999)))})


def _basic_user(request: Request, session: Session) -> store.User | None:
    """The staff user of a Basic header. A verified header is remembered for a minute (scrypt is slow on
    purpose) but only while the account's password hash is unchanged, so a password change or removal
    retires it at once. Verifications are rate-limited per address and count towards the account lockout."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    fingerprint = hashlib.sha256(header.encode("utf-8", "surrogateescape")).hexdigest()
    cached = _BASIC_CACHE.get(fingerprint)
    if cached and cached[2] > time.monotonic():
        user = session.scalar(select(store.User).where(store.User.username == cached[0]))
        if user is not None and hashlib.sha256(user.password_hash.encode()).hexdigest() == cached[1]:
            return user
        _BASIC_CACHE.pop(fingerprint, None)
    try:
        name, _, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise HTTPException(401, "malformed Basic credentials") from None
    settings = request.app.state.settings
    wait = request.app.state.login_limiter.hit("ip:" + client_address(request))
    if wait:
        raise too_many(wait, f"too many login attempts from this address: try again in {int(wait) + 1} s")
    try:
        user = store.login(session, name, password, settings.lockout_after, settings.lockout_minutes)
    except store.LockedOut as exc:
        raise too_many(exc.seconds, exc.message) from None
    except store.StoreError:
        raise HTTPException(401, "wrong username or password", headers={"WWW-Authenticate": "Basic"}) from None
    if len(_BASIC_CACHE) > 256:
        _BASIC_CACHE.clear()
    digest = hashlib.sha256(user.password_hash.encode()).hexdigest()
    _BASIC_CACHE[fingerprint] = (user.username, digest, time.monotonic() + _BASIC_TTL_S)
    return user


class Reader:
    """Who is reading: district staff (session cookie or Basic) see everything; a school's token sees its own."""

    def __init__(self, staff: str | None, school_id: str | None, role: str = "viewer") -> None:
        self.staff = staff
        self.school_id = school_id
        self.role = role

    def may_read(self, school_id: str) -> bool:
        return self.staff is not None or self.school_id == school_id


def reader(request: Request, session: DB) -> Reader:
    sid = request.session.get("sid") if "session" in request.scope else None
    staff = store.session_user(session, sid) if isinstance(sid, str) else None
    if staff is not None:
        return Reader(staff.username, None, staff.role)
    staff = _basic_user(request, session)
    if staff is not None:
        return Reader(staff.username, None, staff.role)
    token = bearer(request)
    if token:
        school = store.school_for_token(session, token)
        if school is None:
            raise HTTPException(401, "unknown upload token (enroll again)", headers={"WWW-Authenticate": "Bearer"})
        return Reader(None, school.id)
    raise HTTPException(
        401, "log in, or send Basic credentials or a school's bearer token", headers={"WWW-Authenticate": "Basic"}
    )


READER = Annotated[Reader, Depends(reader)]


@router.get("/health", response_model=Health, tags=["health"])
def health(request: Request, session: DB) -> Any:
    """Liveness and database reachability."""
    from district import __version__

    try:
        session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # the answer is about the database; it must not fail itself
        return JSONResponse({"status": "degraded", "database": type(exc).__name__, "version": __version__}, 503)
    return {"status": "ok", "database": database, "version": __version__}


@router.post("/enroll", response_model=EnrollResponse, status_code=201, responses=ERRORS, tags=["enrollment"])
def enroll(body: EnrollRequest, request: Request, session: DB) -> Any:
    """Trade a one-time enrollment code and the agent's public key for an upload token (rate-limited)."""
    wait = request.app.state.enroll_limiter.hit("ip:" + client_address(request))
    if wait:
        raise too_many(wait, f"too many enrollment attempts from this address: try again in {int(wait) + 1} s")
    try:
        result = store.redeem_code(session, body.code, body.public_key, body.school_id)
    except store.StoreError as exc:
        raise HTTPException(exc.status, exc.message) from None
    return {"school_id": result.school_id, "name": result.name, "token": result.token, "key_id": result.key_id}


async def _read_body(request: Request, limit: int) -> bytes:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise HTTPException(413, f"the body has {int(length)} bytes; the limit is {limit}")
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise HTTPException(413, f"the body is larger than the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _upload(app_state: Any, token: str, raw: bytes, sent_at: str | None) -> tuple[int, dict[str, Any]]:
    session: Session = app_state.sessions()
    settings = app_state.settings
    try:
        school = store.uploader_for_token(session, token)
        if school is None:
            return 401, {"detail": "unknown or revoked upload token (enroll the agent again)"}
        try:
            text_body = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return 400, {"detail": f"the body is not UTF-8 (byte {exc.start})"}
        try:
            doc = json.loads(text_body, parse_constant=_no_constants)
        except ValueError as exc:
            if not isinstance(exc, json.JSONDecodeError):
                return 400, {"detail": f"the body is not JSON: {exc}"}
            return 400, {"detail": f"the body is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"}
        except RecursionError:
            return 400, {"detail": "the body is not JSON: nested too deeply"}
        options = store.IngestOptions(
            limits=app_state.limits,
            sent_at=sent_at,
            max_skew_s=settings.max_skew_s,
            key_grace_days=settings.key_grace_days,
            judge=app_state.assessor,
        )
        try:
            answer = store.ingest(session, school, doc, text_body, options)
        except store.StoreError as exc:
            session.rollback()
            return exc.status, {"detail": exc.message, "problems": exc.problems}
        declared = sorted(store.declared_attachments(doc))
        answer["attachments_missing"] = sorted(set(declared) - store.have_attachments(session, declared))
        return 201, answer
    finally:
        session.close()


@router.post(
    "/bundles",
    status_code=201,
    response_model=Receipt,
    responses=ERRORS,
    tags=["bundles"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A signed evidence bundle (JSON Schema: /api/v1/schema/evidence.json)",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "security": [{"bearer": []}],
    },
)
async def upload_bundle(request: Request) -> Any:
    """Store one signed bundle. Idempotent on bundle_id: the same bundle again gets the same answer."""
    token = bearer(request)
    if not token:
        raise HTTPException(
            401, "missing bearer token (Authorization: Bearer <upload token>)", headers={"WWW-Authenticate": "Bearer"}
        )
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise HTTPException(415, f"content type {ctype or 'missing'!r}: send Content-Type: application/json")
    raw = await _read_body(request, request.app.state.settings.max_bundle_bytes)
    sent_at = request.headers.get("x-schoolnet-sent-at", "")[:40] or None
    # parse, bounds, schema, signature and store run in worker threads (a few at a time), never on the event
    # loop: a hostile body costs bounded time there and /health keeps answering
    status, body = await anyio.to_thread.run_sync(
        _upload, request.app.state, token, raw, sent_at, limiter=request.app.state.upload_limiter
    )
    if status == 401:
        raise HTTPException(401, body["detail"], headers={"WWW-Authenticate": "Bearer"})
    return JSONResponse(body, status_code=status)


_SHA256 = "^[0-9a-fA-F]{64}$"


@router.put(
    "/attachments/{sha256}",
    status_code=201,
    response_model=AttachmentReceipt,
    responses=ERRORS,
    tags=["bundles"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The attachment's bytes; its SHA-256 must be the path and be declared by a stored bundle",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        },
        "security": [{"bearer": []}],
    },
)
async def put_attachment(request: Request, sha256: Annotated[str, Path(pattern=_SHA256)]) -> Any:
    """Store a declared attachment once, by content (size-limited; the school's bundle must declare it)."""
    token = bearer(request)
    if not token:
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    raw = await _read_body(request, request.app.state.settings.max_attachment_bytes)

    def work() -> tuple[int, dict[str, Any]]:
        session: Session = request.app.state.sessions()
        try:
            school = store.uploader_for_token(session, token)
            if school is None:
                return 401, {"detail": "unknown or revoked upload token"}
            try:
                return 201, store.store_attachment(session, school.school_id, sha256, raw)
            except store.StoreError as exc:
                session.rollback()
                return exc.status, {"detail": exc.message}
        finally:
            session.close()

    status, body = await anyio.to_thread.run_sync(work, limiter=request.app.state.upload_limiter)
    if status == 401:
        raise HTTPException(401, body["detail"], headers={"WWW-Authenticate": "Bearer"})
    return JSONResponse(body, status_code=status)


@router.get("/attachments/{sha256}", responses=ERRORS, tags=["bundles"])
def get_attachment(sha256: Annotated[str, Path(pattern=_SHA256)], who: READER, session: DB) -> Any:
    """A stored attachment (staff only), served as a download."""
    if who.staff is None:
        raise HTTPException(403, "attachments are for district staff")
    found = session.get(Attachment, sha256.lower())
    if found is None:
        raise HTTPException(404, f"no attachment {sha256}")
    return Response(
        found.data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{found.sha256}"'},
    )


@router.post("/schools/{school_id}/revoke", status_code=204, responses=ERRORS, tags=["schools"])
def revoke(school_id: str, who: READER, session: DB) -> Response:
    """Revoke the school's upload token (admin staff); the agent must enroll again with a new code."""
    if who.staff is None or who.role != "admin":
        raise HTTPException(403, "revoking a token needs an admin account")
    try:
        store.revoke_token(session, school_id, who.staff)
    except store.StoreError as exc:
        raise HTTPException(exc.status, exc.message) from None
    return Response(status_code=204)


@router.get("/schema/evidence.json", tags=["bundles"])
def evidence_schema() -> Any:
    """The evidence bundle JSON Schema the uploads are checked against."""
    from agent import schema

    return schema.shipped()


@router.get("/schools", response_model=list[SchoolOut], responses=ERRORS, tags=["schools"])
def schools(
    who: READER,
    session: DB,
    ward: Annotated[str, Query(max_length=200)] = "",
    status: Annotated[str, Query(pattern="^(|pass|fail|unknown|none)$")] = "",
    stale_days: Annotated[int | None, Query(ge=0, le=36500)] = None,
) -> Any:
    """Every school (a school's token sees only itself) with its latest verdicts."""
    rows = store.list_schools(session, ward=ward, status=status, stale_days=stale_days)
    return [r.jsonable() for r in rows if who.may_read(r.id)]


def _school(session: Session, who: Reader, school_id: str) -> School:
    school = session.get(School, school_id)
    if school is None or not who.may_read(school_id):
        raise HTTPException(404, f"no school {school_id!r}")
    return school


@router.get("/schools/{school_id}", response_model=SchoolOut, responses=ERRORS, tags=["schools"])
def school(school_id: str, who: READER, session: DB) -> Any:
    return store.school_row(_school(session, who, school_id)).jsonable()


@router.get("/schools/{school_id}/bundles", response_model=list[BundleOut], responses=ERRORS, tags=["bundles"])
def bundles(
    school_id: str,
    who: READER,
    session: DB,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Any:
    """The school's bundles, newest first (metadata and verdicts, not the full documents)."""
    _school(session, who, school_id)
    return [store.bundle_meta(b) for b in store.school_bundles(session, school_id, limit, offset)]


@router.get("/bundles/{bundle_id}", responses=ERRORS, tags=["bundles"])
def bundle(bundle_id: str, who: READER, session: DB) -> Any:
    """One stored bundle, exactly as it was uploaded."""
    found = session.scalar(select(Bundle).where(Bundle.bundle_id == bundle_id))
    if found is None or not who.may_read(found.school_id):
        raise HTTPException(404, f"no bundle {bundle_id!r}")
    return Response(found.document, media_type="application/json")
