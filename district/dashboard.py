"""The district dashboard: login, the schools x criteria matrix, a page per school, exports (server-rendered)."""

from __future__ import annotations

import importlib
import json
import logging
import tempfile
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
from district.api import DB
from district.chart import trend_svg
from district.db import Bundle, School, utcnow
from district.i18n import SYMBOLS, pick, translator

log = logging.getLogger("district")
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
router = APIRouter(include_in_schema=False)


class LoginRequired(Exception):
    def __init__(self, target: str) -> None:
        self.target = target


def lang_of(request: Request) -> str:
    return pick(request.query_params.get("lang") or request.cookies.get("lang"))


def staff(request: Request) -> str:
    user = request.session.get("user")
    if not isinstance(user, str):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return user


STAFF = Annotated[str, Depends(staff)]


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    lang = lang_of(request)
    params = dict(request.query_params)
    params["lang"] = "en" if lang == "vi" else "vi"
    context = {
        "lang": lang,
        "t": translator(lang),
        "symbols": SYMBOLS,
        "user": request.session.get("user"),
        "toggle_url": request.url.path + "?" + urlencode(params),
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
    return render(request, "login.html", {"next": _safe_next(next), "error": False})


@router.post("/login")
def login(
    request: Request,
    session: DB,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/dashboard",
) -> Response:
    if username and password and store.check_user(session, username, password):
        request.session.clear()
        request.session["user"] = username
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "error": True}, status_code=401)


@router.api_route("/logout", methods=["GET", "POST"])
def logout(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _filters(request: Request) -> dict[str, Any]:
    q = request.query_params
    status = q.get("status", "")
    return {
        "ward": q.get("ward", "")[:200],
        "status": status if status in ("pass", "fail", "unknown", "none") else "",
        "stale": q.get("stale", "") in ("1", "on", "true"),
    }


def _rows(request: Request, session: Session) -> tuple[list[store.SchoolRow], dict[str, Any]]:
    f = _filters(request)
    stale_days = request.app.state.settings.stale_days
    rows = store.list_schools(
        session, ward=f["ward"], status=f["status"], stale_days=stale_days if f["stale"] else None
    )
    return rows, f


@router.get("/dashboard")
def dashboard(request: Request, session: DB, user: STAFF) -> HTMLResponse:
    rows, f = _rows(request, session)
    lang = lang_of(request)
    t = translator(lang)
    now = utcnow()
    stale_days = request.app.state.settings.stale_days
    columns = export.criteria_columns(rows)
    table = []
    for row in rows:
        crit = row.summary.get("criteria", {})
        age = row.age_days(now)
        table.append(
            {
                "id": row.id,
                "href": "/schools/" + quote(row.id, safe=""),
                "name": row.name,
                "ward": row.ward,
                "cells": [crit.get(cid, "none") if row.summary else "none" for cid, _ in columns],
                "overall": row.overall,
                "age": age_text(t, row.last_upload_at, now),
                "stale": age is None or age > stale_days,
                "last": row.last_upload_at.strftime("%Y-%m-%d %H:%M UTC") if row.last_upload_at else "",
            }
        )
    query = urlencode({k: ("1" if v is True else v) for k, v in f.items() if v})
    return render(
        request,
        "dashboard.html",
        {
            "rows": table,
            "columns": [(cid, titles.get(lang, cid)) for cid, titles in columns],
            "wards": store.wards(session),
            "filters": f,
            "stale_days": stale_days,
            "export_query": query,
        },
    )


@router.get("/export.csv")
def export_csv(request: Request, session: DB, user: STAFF) -> Response:
    rows, _ = _rows(request, session)
    return Response(
        export.to_csv(rows, lang_of(request)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="schoolnet-schools.csv"'},
    )


@router.get("/export.xlsx")
def export_xlsx(request: Request, session: DB, user: STAFF) -> Response:
    rows, _ = _rows(request, session)
    return Response(
        export.to_xlsx(rows, lang_of(request)),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="schoolnet-schools.xlsx"'},
    )


@router.get("/schools/{school_id}")
def school_page(request: Request, school_id: str, session: DB, user: STAFF) -> HTMLResponse:
    school = session.get(School, school_id)
    if school is None:
        raise HTTPException(404, f"no school {school_id!r}")
    lang = lang_of(request)
    t = translator(lang)
    bundles = store.school_bundles(session, school_id, limit=200)
    history = []
    for b in bundles:
        summary = json.loads(b.summary)
        history.append({"bundle": b, "summary": summary})
    points = [
        (h["bundle"].finished_at, h["summary"].get("download_mbps"), h["summary"].get("upload_mbps"))
        for h in reversed(history[:60])
    ]
    chart = trend_svg(points, {"title": t("bandwidth_trend"), "download": t("download"), "upload": t("upload")})
    latest = None
    if school.latest_bundle_id:
        latest = session.scalar(select(Bundle).where(Bundle.bundle_id == school.latest_bundle_id))
    doc = json.loads(latest.document) if latest else {}
    row = store.school_row(school)
    columns = export.criteria_columns([row])
    return render(
        request,
        "school.html",
        {
            "school": row,
            "history": history,
            "chart": chart,
            "devices": doc.get("devices", []),
            "latest": latest,
            "columns": [(cid, titles.get(lang, cid)) for cid, titles in columns],
            "age": age_text(t, row.last_upload_at, utcnow()),
            "quote": lambda s: quote(s, safe=""),
        },
    )


def _bundle_for(session: Session, school_id: str, bundle_id: str) -> Bundle:
    found = session.scalar(select(Bundle).where(Bundle.bundle_id == bundle_id))
    if found is None or found.school_id != school_id:
        raise HTTPException(404, f"no bundle {bundle_id!r} for school {school_id!r}")
    return found


@router.get("/schools/{school_id}/bundles/{bundle_id}/evidence.json")
def evidence_download(school_id: str, bundle_id: str, session: DB, user: STAFF) -> Response:
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
    found = _bundle_for(session, school_id, bundle_id)
    doc = json.loads(found.document)
    lang = lang_of(request)
    fmt = "pdf" if request.query_params.get("format") == "pdf" else "html"
    name = f"report-{quote(bundle_id, safe='')}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    try:
        data = render_report(doc, lang, fmt)
    except Exception:  # a renderer problem must not hide the evidence: fall back to the built-in page
        log.exception("report for bundle %s could not be rendered by the reports package", bundle_id)
        data = None
    if data is not None:
        return Response(data, media_type=MEDIA[fmt], headers=headers)
    if fmt == "pdf":
        raise HTTPException(404, "no PDF report here (it needs the reports package with WeasyPrint); take the HTML one")
    response = render(request, "report.html", {"doc": doc, "bundle": found})
    response.headers.update({"Content-Disposition": f'attachment; filename="report-{quote(bundle_id, safe="")}.html"'})
    return response
