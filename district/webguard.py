"""Browser-facing protections: security headers on every answer, an Origin check on form posts, CSRF tokens.

- Every response gets Content-Security-Policy (no scripts, no framing, forms only to this site),
  X-Frame-Options DENY, X-Content-Type-Options nosniff and Referrer-Policy same-origin.
- A POST/PUT/PATCH/DELETE outside ``/api/`` and ``/speed/`` whose Origin (or, without it, Referer) names another
  host is refused with 403 before any handler runs.
- Each form carries the session's CSRF token (:func:`csrf_token`), checked by :func:`check_csrf`.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# the interactive API docs load Swagger UI from its CDN
DOCS_CSP = (
    "default-src 'none'; img-src 'self' data: https://fastapi.tiangolo.com; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; script-src 'unsafe-inline' https://cdn.jsdelivr.net; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    b"x-frame-options": b"DENY",
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
}
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXEMPT = ("/api/", "/speed/")  # token-authenticated or anonymous endpoints: no ambient cookie authority


def _host_of(value: str) -> str | None:
    parts = urlsplit(value)
    return parts.netloc.lower() if parts.scheme and parts.netloc else None


class WebGuard:
    """ASGI middleware: the headers above on every response, and the cross-origin check on form posts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if scope.get("method") in UNSAFE and not path.startswith(EXEMPT):
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
            source = headers.get("origin") or headers.get("referer") or ""
            host = headers.get("host", "").lower()
            if source and source != "null" and _host_of(source) != host:
                response = JSONResponse({"detail": "cross-site form post refused (Origin does not match)"}, 403)
                await response(scope, receive, self._headers(send, path))
                return
            if source == "null":
                response = JSONResponse({"detail": "form post from an opaque origin refused"}, 403)
                await response(scope, receive, self._headers(send, path))
                return
        await self.app(scope, receive, self._headers(send, path))

    @staticmethod
    def _headers(send: Send, path: str) -> Send:
        csp = (DOCS_CSP if path in ("/docs", "/redoc") else CSP).encode()

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS.items() if k not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", csp))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        return wrapped


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: Any) -> bool:
    expected = request.session.get("csrf")
    return (
        isinstance(expected, str)
        and isinstance(submitted, str)
        and bool(submitted)
        and hmac.compare_digest(expected.encode(), submitted.encode())
    )
