"""The FastAPI application: API v1, dashboard, speed endpoints, one store."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from district import __version__, api, dashboard, migrate, security, speed, store
from district.db import make_engine, sessions
from district.matrix import Matrix
from district.ratelimit import RateLimiter
from district.settings import Settings
from district.summary import assessor
from district.validation import Limits
from district.webguard import WebGuard

log = logging.getLogger("district")


def _loc(loc: Any) -> str:
    return ".".join(str(p) for p in loc if p != "body" or len(loc) == 1)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app on ``settings.database_url`` (migrated to the newest schema first)."""
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    factory = sessions(engine)
    with factory() as session:
        secret = store.session_secret(session)

    app = FastAPI(
        title="schoolnet-audit district collector",
        version=__version__,
        description="Receives signed evidence bundles from school agents. See docs/district.md.",
    )
    app.state.settings = settings
    app.state.assessor = assessor(settings.profile)  # loads and checks the pinned profile at start
    app.state.engine = engine
    app.state.sessions = factory
    app.state.matrix = Matrix.of(app.state.assessor.profile)  # the pinned profile's columns and titles
    app.state.profile = app.state.matrix.profile
    app.state.limits = Limits(
        max_depth=settings.max_depth,
        max_items=settings.max_items,
        max_string=settings.max_string,
        max_problems=settings.max_problems,
    )
    import anyio

    app.state.upload_limiter = anyio.CapacityLimiter(max(1, settings.upload_threads))
    app.state.login_limiter = RateLimiter(settings.login_per_minute, 60.0)
    app.state.enroll_limiter = RateLimiter(settings.enroll_per_minute, 60.0)
    app.state.speed_limiter = RateLimiter(settings.speed_per_minute, 60.0)
    security.dummy_hash()  # made now, so the first unknown-user login costs what the others do
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie="schoolnet_district",
        max_age=12 * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(WebGuard)
    app.add_middleware(speed.SpeedLimit)
    app.include_router(api.router)
    app.include_router(dashboard.router)
    app.include_router(speed.router)

    @app.exception_handler(dashboard.LoginRequired)
    async def _login(request: Request, exc: dashboard.LoginRequired) -> RedirectResponse:
        from urllib.parse import quote

        return RedirectResponse("/login?next=" + quote(exc.target, safe=""), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        # only input can carry what the database refuses as data (a NUL character in a name, say)
        return JSONResponse({"detail": "the request holds characters the database cannot store (NUL?)"}, 400)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{_loc(e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in exc.errors()]
        detail = problems[0] if problems else "invalid request"
        return JSONResponse({"detail": detail, "problems": problems}, status_code=422)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Problem"] = api.Problem.model_json_schema()
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "a school's upload token"},
            "basic": {"type": "http", "scheme": "basic", "description": "a district staff account"},
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def factory() -> FastAPI:
    """Entry point for ``uvicorn --factory district.app:factory`` (settings from the environment)."""
    return create_app()
