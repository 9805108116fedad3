"""The district dashboard: login, the schools x criteria matrix, a page per school, exports (server-rendered)."""

from __future__ import annotations

import importlib
import json
import logging
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session

from district import export, store
from district.api import DB, client_address
from district.chart import trend_svg
from district.db import Bundle, School, User, utcnow
from district.i18n import LEVELS, SYMBOLS, pick, school_level, translator, vn_time, vn_time_text
from district.matrix import Matrix
from district.webguard import check_csrf, csrf_token

log = logging.getLogger("district")
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
router = APIRouter(include_in_schema=False)


class LoginRequired(Exception):
    def __init__(self, target: str) -> None:
        self.target = target


def lang_of(request: Request) -> str:
    return pick(request.query_params.get("lang") or request.cookies.get("lang"))


def staff(request: Request, session: DB) -> User:
    """The logged-in staff user (a live session row: logout and a password change end it at once)."""
    sid = request.session.get("sid")
    user = store.session_user(session, sid) if isinstance(sid, str) else None
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return user


STAFF = Annotated[User, Depends(staff)]


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    lang = lang_of(request)
    params = dict(request.query_params)
    params["lang"] = "en" if lang == "vi" else "vi"
    context = {
        "lang": lang,
        "t": translator(lang),
        "symbols": SYMBOLS,
        "user": context.pop("user", None),
        "csrf": csrf_token(request),
        "toggle_url": request.url.path + "?" + urlencode(params),
        "vn_time": vn_time,
        "vn_time_text": vn_time_text,
        **context,
    }
    response = TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)
    if request.query_params.get("lang") in ("vi", "en"):
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def age_text(t: Any, last: datetime | None, now: datetime) -> str:
    if last is None:
        return str(t("never"))
    hours = (now - last).total_seconds() / 3600
    if hours < 1:
        return str(t("today"))
    if hours < 24:
        return str(t("hours_ago", n=int(hours)))
    return str(t("days_ago", n=int(hours // 24)))


def _safe_next(target: str) -> str:
    safe = target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target
    return target if safe and target.isprintable() else "/dashboard"


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = "/dashboard") -> HTMLResponse:
    return render(request, "login.html", {"next": _safe_next(next), "error": ""})


@router.post("/login")
def login(
    request: Request,
    session: DB,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/dashboard",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    t = translator(lang_of(request))
    target = _safe_next(next)
    if not check_csrf(request, csrf):
        return render(request, "login.html", {"next": target, "error": t("form_expired")}, status_code=403)
    settings = request.app.state.settings
    wait = request.app.state.login_limiter.hit("ip:" + client_address(request))
    if wait:
        error = t("rate_limited", n=int(wait) + 1)
        response = render(request, "login.html", {"next": target, "error": error}, status_code=429)
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    try:
        user = store.login(session, username, password, settings.lockout_after, settings.lockout_minutes)
    except store.LockedOut as exc:
        error = t("locked_out", n=max(1, (exc.seconds + 59) // 60))
        response = render(request, "login.html", {"next": target, "error": error}, status_code=429)
        response.headers["Retry-After"] = str(exc.seconds)
        return response
    except store.StoreError:
        return render(request, "login.html", {"next": target, "error": t("login_failed")}, status_code=401)
    request.session.clear()
    request.session["sid"] = store.open_session(session, user.username)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, session: DB, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    if not check_csrf(request, csrf):
        raise HTTPException(403, "missing or wrong CSRF token")
    sid = request.session.get("sid")
    if isinstance(sid, str):
        store.close_session(session, sid)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


SORTS = ("ward", "name", "overall", "last")
STATUSES = ("pass", "fail", "unknown", "none")
_WORST_FIRST = {"fail": 0, "unknown": 1, "none": 2, "pass": 3, "not_applicable": 4}


def _filters(request: Request, matrix: Matrix) -> dict[str, Any]:
    q = request.query_params
    status, cstatus, level = q.get("status", ""), q.get("cstatus", ""), q.get("level", "")
    criterion, sort = q.get("criterion", ""), q.get("sort", "")
    return {
        "ward": q.get("ward", "")[:200],
        "status": status if status in STATUSES else "",
        "stale": q.get("stale", "") in ("1", "on", "true"),
        "level": level if level in LEVELS else "",
        "criterion": criterion if matrix.column(criterion) else "",
        "cstatus": cstatus if cstatus in (*STATUSES, "not_applicable") else "",
        "q": q.get("q", "")[:100].strip(),
        "sort": sort if sort in SORTS else "",
    }


def enrolment_state(row: store.SchoolRow) -> str:
    if row.token_revoked and not row.enrolled:
        return "revoked"
    if not row.enrolled:
        return "not_enrolled"
    return "never_uploaded" if row.bundle_count == 0 else "uploading"


def _cell(row: store.SchoolRow, cid: str) -> str:
    return str(row.summary.get("criteria", {}).get(cid, "none")) if row.summary else "none"


def _rows(request: Request, session: Session) -> tuple[list[store.SchoolRow], dict[str, Any]]:
    matrix: Matrix = request.app.state.matrix
    f = _filters(request, matrix)
    stale_days = request.app.state.settings.stale_days
    rows = store.list_schools(
        session, ward=f["ward"], status=f["status"], stale_days=stale_days if f["stale"] else None
    )
    if f["level"]:
        rows = [r for r in rows if school_level(r.id, r.name) == f["level"]]
    if f["criterion"] and f["cstatus"]:
        rows = [r for r in rows if _cell(r, f["criterion"]) == f["cstatus"]]
    if f["q"]:
        needle = f["q"].casefold()
        rows = [r for r in rows if needle in r.name.casefold() or needle in r.id.casefold()]
    if f["sort"] == "name":
        rows.sort(key=lambda r: (r.name.casefold(), r.id))
    elif f["sort"] == "overall":
        rows.sort(key=lambda r: (_WORST_FIRST.get(r.overall, 2), r.ward, r.id))
    elif f["sort"] == "last":
        rows.sort(key=lambda r: (r.last_upload_at is not None, r.last_upload_at or utcnow(), r.id))
    return rows, f


def criterion_counts(rows: list[store.SchoolRow], matrix: Matrix) -> dict[str, dict[str, Any]]:
    """Per criterion: how many schools pass, fail, are unknown, have no data, and by provenance if known."""
    out: dict[str, dict[str, Any]] = {}
    for column in matrix.columns:
        counts: Counter[str] = Counter()
        provenance: Counter[str] = Counter()
        for row in rows:
            counts[_cell(row, column.id)] += 1
            prov = (row.summary.get("provenance") or {}).get(column.id) if row.summary else None
            if isinstance(prov, str):
                provenance[prov] += 1
        out[column.id] = {"status": dict(counts), "provenance": dict(provenance)}
    return out


@router.get("/dashboard")
def dashboard(request: Request, session: DB, user: STAFF) -> HTMLResponse:
    rows, f = _rows(request, session)
    matrix: Matrix = request.app.state.matrix
    lang = lang_of(request)
    t = translator(lang)
    now = utcnow()
    stale_days = request.app.state.settings.stale_days
    table = []
    for row in rows:
        age = row.age_days(now)
        provenance = row.summary.get("provenance") or {} if row.summary else {}
        table.append(
            {
                "id": row.id,
                "href": "/schools/" + quote(row.id, safe=""),
                "name": row.name,
                "ward": row.ward,
                "level": school_level(row.id, row.name),
                "cells": [(_cell(row, c.id), provenance.get(c.id, "")) for c in matrix.columns],
                "overall": row.overall,
                "state": enrolment_state(row),
                "age": age_text(t, row.last_upload_at, now),
                "stale": age is None or age > stale_days,
                "last": vn_time(row.last_upload_at),
                "skew": row.summary.get("clock_skew_s") if row.summary else None,
            }
        )
    overall = Counter(r.overall for r in rows)
    latest = max((r for r in rows if r.last_upload_at), key=lambda r: r.last_upload_at or now, default=None)
    query = urlencode({k: ("1" if v is True else v) for k, v in f.items() if v})
    return render(
        request,
        "dashboard.html",
        {
            "user": user,
            "rows": table,
            "columns": [(c.id, c.label(lang), c.title.get(lang, c.id)) for c in matrix.columns],
            "counts": criterion_counts(rows, matrix),
            "overall_counts": overall,
            "latest": latest,
            "latest_age": age_text(t, latest.last_upload_at if latest else None, now),
            "wards": store.wards(session),
            "levels": LEVELS,
            "filters": f,
            "stale_days": stale_days,
            "export_query": query,
            "profile": matrix.profile_id,
        },
    )


def _export(request: Request, session: Session, user: User, fmt: str) -> Response:
    rows, f = _rows(request, session)
    matrix: Matrix = request.app.state.matrix
    lang = lang_of(request)
    data = export.to_csv(rows, lang, matrix) if fmt == "csv" else export.to_xlsx(rows, lang, matrix)
    filters = ", ".join(f"{k}={v}" for k, v in f.items() if v) or "all"
    store.record(session, user.username, "export", fmt, f"{len(rows)} schools; {filters}")
    session.commit()
    media = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    return Response(
        data, media_type=media, headers={"Content-Disposition": f'attachment; filename="schoolnet-schools.{fmt}"'}
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/export.csv")
def export_csv(request: Request, session: DB, user: STAFF) -> Response:
    return _export(request, session, user, "csv")


@router.get("/export.xlsx")
def export_xlsx(request: Request, session: DB, user: STAFF) -> Response:
    return _export(request, session, user, "xlsx")


@router.get("/audit")
def audit_page(request: Request, session: DB, user: STAFF) -> HTMLResponse:
    if user.role != "admin":
        raise HTTPException(403, "the audit log is for admin accounts")
    return render(request, "audit.html", {"user": user, "entries": store.audit_log(session, 500)})


def device_problems(doc: dict[str, Any], matrix: Matrix, lang: str) -> list[dict[str, Any]]:
    """Which device (or the school) fails or is unknown on which criterion, and why."""
    devices = {str(d.get("ip")): d for d in doc.get("devices") or () if isinstance(d, dict)}
    out = []
    for finding in doc.get("findings") or ():
        status = str(finding.get("status"))
        if status not in ("fail", "unknown"):
            continue
        cid = str(finding.get("criterion_id"))
        column = matrix.column(cid)
        subject = str(finding.get("subject", ""))
        device = devices.get(subject) or devices.get(subject.rsplit(" ", 1)[-1])
        out.append(
            {
                "criterion": column.label(lang) if column else cid,
                "subject": subject,
                "device": " ".join(str(device.get(k) or "") for k in ("vendor", "model")).strip() if device else "",
                "role": str(device.get("role", "")) if device else "",
                "status": status,
                "measured": finding.get("measured") or "",
                "threshold": finding.get("threshold") or "",
                "reason": (finding.get("reason") or {}).get(lang, ""),
                "remedy": (finding.get("remedy") or {}).get(lang, ""),
            }
        )
    out.sort(key=lambda p: (p["status"] != "fail", p["criterion"]))
    return out


@router.get("/schools/{school_id}")
def school_page(request: Request, school_id: str, session: DB, user: STAFF) -> HTMLResponse:
    school = session.get(School, school_id)
    if school is None:
        raise HTTPException(404, f"no school {school_id!r}")
    matrix: Matrix = request.app.state.matrix
    lang = lang_of(request)
    t = translator(lang)
    bundles = store.school_bundles(session, school_id, limit=200)
    history = []
    for b in bundles:
        summary = json.loads(b.summary)
        history.append({"bundle": b, "summary": summary})
    points = [
        (vn_time_text(h["bundle"].finished_at), h["summary"].get("download_mbps"), h["summary"].get("upload_mbps"))
        for h in reversed(history[:60])
    ]
    chart = trend_svg(points, {"title": t("bandwidth_trend"), "download": t("download"), "upload": t("upload")})
    latest = None
    if school.latest_bundle_id:
        latest = session.scalar(select(Bundle).where(Bundle.bundle_id == school.latest_bundle_id))
    doc = json.loads(latest.document) if latest else {}
    row = store.school_row(school)
    declared = store.declared_attachments(doc)
    held = store.have_attachments(session, sorted(declared))
    return render(
        request,
        "school.html",
        {
            "user": user,
            "school": row,
            "state": enrolment_state(row),
            "level": school_level(row.id, row.name),
            "history": history,
            "chart": chart,
            "devices": doc.get("devices", []),
            "problems": device_problems(doc, matrix, lang),
            "disagreements": row.summary.get("disagreements") or [],
            "provenance": row.summary.get("provenance") or {},
            "attachments": [{**a, "held": h in held} for h, a in declared.items()],
            "latest": latest,
            "columns": [(c.id, c.label(lang), c.title.get(lang, c.id)) for c in matrix.columns],
            "age": age_text(t, row.last_upload_at, utcnow()),
            "max_skew": request.app.state.settings.max_skew_s,
            "revoked": request.query_params.get("revoked") == "1",
            "quote": lambda s: quote(s, safe=""),
        },
    )


@router.post("/schools/{school_id}/revoke")
def revoke_form(
    request: Request, school_id: str, session: DB, user: STAFF, csrf: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    if not check_csrf(request, csrf):
        raise HTTPException(403, "missing or wrong CSRF token")
    if user.role != "admin":
        raise HTTPException(403, "revoking a token needs an admin account")
    try:
        store.revoke_token(session, school_id, user.username)
    except store.StoreError as exc:
        raise HTTPException(exc.status, exc.message) from None
    return RedirectResponse(f"/schools/{quote(school_id, safe='')}?revoked=1", status_code=303)


def _bundle_for(session: Session, school_id: str, bundle_id: str) -> Bundle:
    found = session.scalar(select(Bundle).where(Bundle.bundle_id == bundle_id))
    if found is None or found.school_id != school_id:
        raise HTTPException(404, f"no bundle {bundle_id!r} for school {school_id!r}")
    return found


@router.get("/schools/{school_id}/bundles/{bundle_id}/evidence.json")
def evidence_download(school_id: str, bundle_id: str, session: DB, user: STAFF) -> Response:
    """The signed bundle exactly as uploaded."""
    found = _bundle_for(session, school_id, bundle_id)
    return Response(
        found.document,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="evidence-{quote(bundle_id, safe="")}.json"'},
    )


def render_report(doc: dict[str, Any], lang: str, fmt: str = "html") -> bytes | None:
    """The school's report from the ``reports`` package (HTML or PDF); None when that package is absent."""
    try:
        reports = importlib.import_module("reports")
    except ImportError:
        return None
    from agent.model import EvidenceBundle, from_jsonable
    from agent.signing import digest

    bundle = from_jsonable(EvidenceBundle, doc)
    if fmt == "html":
        from reports.html import render_html

        return render_html(bundle, lang, digest(doc)).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="district-report-") as tmp:
        target = reports.render(bundle, fmt, lang, Path(tmp) / f"report.{fmt}", digest(doc))
        return Path(target).read_bytes()


MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@router.get("/schools/{school_id}/bundles/{bundle_id}/report")
def report(request: Request, school_id: str, bundle_id: str, session: DB, user: STAFF) -> Response:
    """The report as a page (``?download=1`` or ``format=pdf`` to save it)."""
    found = _bundle_for(session, school_id, bundle_id)
    doc = json.loads(found.document)
    lang = lang_of(request)
    fmt = "pdf" if request.query_params.get("format") == "pdf" else "html"
    name = f"report-{quote(bundle_id, safe='')}.{fmt}"
    kind = "attachment" if fmt == "pdf" or request.query_params.get("download") == "1" else "inline"
    headers = {"Content-Disposition": f'{kind}; filename="{name}"'}
    try:
        data = render_report(doc, lang, fmt)
    except Exception:  # a renderer problem must not hide the evidence: fall back to the built-in page
        log.exception("report for bundle %s could not be rendered by the reports package", bundle_id)
        data = None
    if data is not None:
        return Response(data, media_type=MEDIA[fmt], headers=headers)
    if fmt == "pdf":
        raise HTTPException(404, "no PDF report here (it needs the reports package with WeasyPrint); take the HTML one")
    response = render(request, "report.html", {"doc": doc, "bundle": found, "user": user})
    response.headers.update(headers)
    return response


@router.get("/schools/{school_id}/attachments/{sha256}")
def attachment_download(school_id: str, sha256: str, session: DB, user: STAFF) -> Response:
    """A declared attachment of the school, under its declared name."""
    from district.db import Attachment

    declared = store.school_declares(session, school_id, sha256) if len(sha256) == 64 else None
    found = session.get(Attachment, sha256.lower()) if declared else None
    if declared is None or found is None:
        raise HTTPException(404, f"no attachment {sha256!r} for school {school_id!r}")
    name = quote(str(declared.get("name") or sha256), safe="")
    return Response(
        found.data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )
