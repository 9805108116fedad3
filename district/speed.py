"""Speed-test endpoints with LibreSpeed's paths, so schools can measure to the district.

Semantics as docs/bandwidth.md specifies them: ``garbage.php?ckSize=N`` streams N MiB
(N = int(float(ckSize)) clamped to 1..``DISTRICT_SPEED_MAX_MIB`` (100, the LibreSpeed client's own size);
missing or not a number -> 4) of incompressible data from one random
buffer made at start-up; ``empty.php`` reads an upload of any size, drops it and answers empty with
``X-Received-Bytes``; ``getIP.php`` answers ``{"processedString": <client ip>, "rawIspInfo": ""}``; ``OPTIONS``
answers 200. Each client address gets ``DISTRICT_SPEED_PER_MINUTE`` requests a minute (a token bucket),
then 429 with Retry-After. The same paths are served under ``/speed/`` and ``/speed/backend/`` (LibreSpeed's layout).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

CHUNK = 1024 * 1024
MAX_CHUNKS = 1024
DEFAULT_CHUNKS = 4
_BUFFER = os.urandom(CHUNK)

NO_CACHE = {
    "Cache-Control": "no-store, no-cache, must-revalidate, max-age=0",
    "Pragma": "no-cache",
    "Access-Control-Allow-Origin": "*",
}

router = APIRouter(include_in_schema=False)


def _chunks(value: str | None, cap: int = MAX_CHUNKS) -> int:
    try:
        n = int(float(value)) if value is not None else DEFAULT_CHUNKS
    except (ValueError, OverflowError):
        n = DEFAULT_CHUNKS
    return max(1, min(n, cap, MAX_CHUNKS))


async def _garbage(n: int) -> AsyncIterator[bytes]:
    view = memoryview(_BUFFER)
    for _ in range(n):
        yield bytes(view)


def garbage(request: Request) -> StreamingResponse:
    n = _chunks(request.query_params.get("ckSize"), request.app.state.settings.speed_max_mib)
    headers = {
        **NO_CACHE,
        "Content-Description": "File Transfer",
        "Content-Disposition": "attachment; filename=random.dat",
        "Content-Transfer-Encoding": "binary",
        "Content-Length": str(n * CHUNK),
    }
    return StreamingResponse(_garbage(n), media_type="application/octet-stream", headers=headers)


async def empty(request: Request) -> Response:
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
    return Response(b"", headers={**NO_CACHE, "Connection": "keep-alive", "X-Received-Bytes": str(received)})


def options(request: Request) -> Response:
    return Response(
        b"",
        headers={
            **NO_CACHE,
            "Allow": "GET, POST, OPTIONS",
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Content-Encoding",
        },
    )


def get_ip(request: Request) -> JSONResponse:
    client = request.client.host if request.client else ""
    return JSONResponse({"processedString": client, "rawIspInfo": ""}, headers=NO_CACHE)


for prefix in ("/speed", "/speed/backend"):
    router.add_api_route(f"{prefix}/garbage.php", garbage, methods=["GET"])
    router.add_api_route(f"{prefix}/empty.php", empty, methods=["GET", "POST", "PUT"])
    router.add_api_route(f"{prefix}/getIP.php", get_ip, methods=["GET"])
    for name in ("garbage.php", "empty.php", "getIP.php"):
        router.add_api_route(f"{prefix}/{name}", options, methods=["OPTIONS"])


class SpeedLimit:
    """ASGI middleware: a per-address request budget on ``/speed/`` (429 with Retry-After past it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith("/speed/"):
            client = scope.get("client") or ("?", 0)
            wait = scope["app"].state.speed_limiter.hit(str(client[0]))
            if wait:
                response = JSONResponse(
                    {"detail": f"speed-test rate limit for this address: retry in {int(wait) + 1} s"},
                    status_code=429,
                    headers={**NO_CACHE, "Retry-After": str(int(wait) + 1)},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
