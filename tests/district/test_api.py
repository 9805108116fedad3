"""API v1 against a real uvicorn server, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.district.bundles import make_bundle, public_b64, resign
from tests.district.conftest import Server, run_cli


def post(server: Server, token: str, body: object, **headers: str) -> httpx.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    hdrs = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers}
    return httpx.post(server.url + "/api/v1/bundles", content=data, headers=hdrs, timeout=30)


def test_health_and_openapi(server: Server) -> None:
    health = httpx.get(server.url + "/api/v1/health").json()
    assert health["status"] == "ok" and health["database"] == "ok"
    spec = httpx.get(server.url + "/openapi.json").json()
    assert {"/api/v1/enroll", "/api/v1/bundles", "/api/v1/schools", "/api/v1/health"} <= set(spec["paths"])


def test_enrollment_code_is_one_time_and_key_is_checked(server: Server) -> None:
    code = run_cli("enroll", "E-1", "--name", "Trường Tiểu học Lê Lợi", db=server.db).stdout.strip()
    bad = httpx.post(server.url + "/api/v1/enroll", json={"code": code, "public_key": "bm90LWEta2V5"})
    assert bad.status_code == 422 and "public_key" in bad.json()["detail"]
    key = Ed25519PrivateKey.generate()
    wrong_school = httpx.post(
        server.url + "/api/v1/enroll", json={"code": code, "public_key": public_b64(key), "school_id": "E-2"}
    )
    assert wrong_school.status_code == 403 and "E-1" in wrong_school.json()["detail"]
    ok = httpx.post(server.url + "/api/v1/enroll", json={"code": code.lower(), "public_key": public_b64(key)})
    assert ok.status_code == 201, ok.text
    assert ok.json()["school_id"] == "E-1" and ok.json()["token"].startswith("sntok_")
    again = httpx.post(server.url + "/api/v1/enroll", json={"code": code, "public_key": public_b64(key)})
    assert again.status_code == 403 and "enrollment code" in again.json()["detail"]


def test_upload_is_idempotent_and_conflicts_are_409(server: Server) -> None:
    token, key = server.enroll("U-1")
    bundle = make_bundle("U-1", key=key)
    first = post(server, token, bundle)
    assert first.status_code == 201, first.text
    second = post(server, token, bundle)
    assert second.status_code == 201 and second.json() == first.json()
    listed = httpx.get(server.url + "/api/v1/schools/U-1/bundles", headers={"Authorization": f"Bearer {token}"})
    assert [b["bundle_id"] for b in listed.json()] == [bundle["bundle_id"]]
    changed = make_bundle("U-1", key=key, bundle_id=bundle["bundle_id"], download_mbps=999.0)
    conflict = post(server, token, changed)
    assert conflict.status_code == 409 and bundle["bundle_id"] in conflict.json()["detail"]
    stored = httpx.get(server.url + f"/api/v1/bundles/{bundle['bundle_id']}", headers=server.staff_auth())
    assert stored.json() == bundle


def test_concurrent_duplicates_are_stored_once(server: Server) -> None:
    token, key = server.enroll("U-2")
    bundle = make_bundle("U-2", key=key)
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def send() -> None:
        r = post(server, token, bundle)
        with lock:
            answers.append(r)

    threads = [threading.Thread(target=send) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {r.status_code for r in answers} == {201}
    assert len({r.text for r in answers}) == 1
    school = httpx.get(server.url + "/api/v1/schools/U-2", headers=server.staff_auth()).json()
    assert school["bundle_count"] == 1 and school["latest_bundle_id"] == bundle["bundle_id"]


def test_bad_uploads_get_precise_4xx(server: Server) -> None:
    token, key = server.enroll("B-1")
    other_token, other_key = server.enroll("B-2")
    good = make_bundle("B-1", key=key)

    r = httpx.post(server.url + "/api/v1/bundles", json=good)
    assert r.status_code == 401 and "bearer" in r.json()["detail"]
    assert post(server, "sntok_nope", good).status_code == 401
    r = post(server, token, b'{"bundle_id": ')
    assert r.status_code == 400 and "not JSON" in r.json()["detail"] and "line 1" in r.json()["detail"]
    r = post(server, token, b"\xff\xfe")
    assert r.status_code == 400 and "UTF-8" in r.json()["detail"]
    r = post(server, token, good, **{"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = post(server, token, [1, 2])
    assert r.status_code == 422 and "JSON object" in r.json()["detail"]

    broken = resign({**good, "devices": [{"ip": 5}]}, key)
    r = post(server, token, broken)
    assert r.status_code == 422 and "devices/0" in r.json()["detail"] and r.json()["problems"]

    r = post(server, other_token, make_bundle("B-1", key=other_key))
    assert r.status_code == 403 and "B-2" in r.json()["detail"] and "B-1" in r.json()["detail"]

    r = post(server, token, make_bundle("B-1", key=other_key))
    assert r.status_code == 422 and "enrolled key" in r.json()["detail"]

    tampered = {**good, "agent_version": "9.9.9"}
    r = post(server, token, tampered)
    assert r.status_code == 422 and "signature" in r.json()["detail"]

    unsigned = {k: v for k, v in good.items() if k != "signature"}
    r = post(server, token, unsigned)
    assert r.status_code == 422 and "not signed" in r.json()["detail"]

    big = b'{"bundle_id": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    r = post(server, token, big)
    assert r.status_code == 413 and "limit" in r.json()["detail"]

    r = post(server, token, json.dumps(good).replace('"agent_version": "0.1.0"', '"agent_version": NaN').encode())
    assert r.status_code == 400 and "NaN" in r.json()["detail"]
    surrogate = json.dumps(good).replace('"agent_version": "0.1.0"', '"agent_version": "\\ud800"').encode()
    r = post(server, token, surrogate)
    assert r.status_code == 422 and "Unicode" in r.json()["detail"]
    nul = resign({**good, "bundle_id": "a\u0000b"}, key)
    r = post(server, token, nul)
    assert r.status_code == 422 and "NUL" in r.json()["detail"]

    listed = httpx.get(server.url + "/api/v1/schools/B-1/bundles", headers=server.staff_auth()).json()
    assert listed == []
    for path in ("/api/v1/schools/%00", "/api/v1/bundles/x%00y", "/api/v1/schools?ward=%00"):
        assert httpx.get(server.url + path, headers=server.staff_auth()).status_code in (200, 400, 404), path
    assert httpx.get(server.url + "/api/v1/schools", auth=("a\u0000b", "x")).status_code in (400, 401)


def test_reads_are_scoped(server: Server) -> None:
    token, key = server.enroll("R-1", ward="Phường Đa Kao")
    other_token, _ = server.enroll("R-2")
    assert post(server, token, make_bundle("R-1", key=key, statuses=("pass",) * 5)).status_code == 201
    assert httpx.get(server.url + "/api/v1/schools").status_code == 401
    bad = httpx.get(server.url + "/api/v1/schools", auth=("canbo", "wrong-password"))
    assert bad.status_code == 401
    everyone = httpx.get(server.url + "/api/v1/schools", headers=server.staff_auth()).json()
    assert {"R-1", "R-2"} <= {s["id"] for s in everyone}
    own = httpx.get(server.url + "/api/v1/schools", headers={"Authorization": f"Bearer {token}"}).json()
    assert [s["id"] for s in own] == ["R-1"] and own[0]["overall"] == "pass"
    hidden = httpx.get(server.url + "/api/v1/schools/R-1", headers={"Authorization": f"Bearer {other_token}"})
    assert hidden.status_code == 404
    by_ward = httpx.get(
        server.url + "/api/v1/schools", params={"ward": "Phường Đa Kao"}, headers=server.staff_auth()
    ).json()
    assert [s["id"] for s in by_ward] == ["R-1"]
    r = httpx.get(server.url + "/api/v1/schools", params={"status": "maybe"}, headers=server.staff_auth())
    assert r.status_code == 422 and "status" in r.json()["detail"]


def test_latest_verdict_follows_the_district_receive_time(server: Server) -> None:
    token, key = server.enroll("L-1")
    first = make_bundle("L-1", key=key, finished_at="2026-11-21T08:30:00Z", statuses=("fail",) * 5)
    # the school's clock went back: its next audit claims an older date, but the district received it later
    second = make_bundle("L-1", key=key, finished_at="2026-10-01T08:30:00Z", statuses=("pass",) * 5)
    assert post(server, token, first).status_code == 201
    assert post(server, token, second).status_code == 201
    school = httpx.get(server.url + "/api/v1/schools/L-1", headers=server.staff_auth()).json()
    assert school["latest_bundle_id"] == second["bundle_id"] and school["overall"] == "pass"
    assert school["bundle_count"] == 2
    listed = httpx.get(server.url + "/api/v1/schools/L-1/bundles", headers=server.staff_auth()).json()
    assert [b["bundle_id"] for b in listed] == [second["bundle_id"], first["bundle_id"]]  # newest received first
    # an audit dated two days ahead is stored and flagged, but never becomes the school's result
    future = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ahead = make_bundle("L-1", key=key, finished_at=future, statuses=("fail",) * 5)
    receipt = post(server, token, ahead)
    assert receipt.status_code == 201 and receipt.json()["clock_skew_s"] > 86400
    school = httpx.get(server.url + "/api/v1/schools/L-1", headers=server.staff_auth()).json()
    assert school["latest_bundle_id"] == second["bundle_id"] and school["bundle_count"] == 3
    stored = httpx.get(server.url + "/api/v1/schools/L-1/bundles", headers=server.staff_auth()).json()
    assert stored[0]["bundle_id"] == ahead["bundle_id"] and stored[0]["clock_skew_s"] > 86400


def test_timestamps_are_checked_and_skew_is_flagged(server: Server) -> None:
    token, key = server.enroll("TS-1")
    for bad in ("yesterday", "2026-13-40T99:00:00Z", "2026-11-20T08:30:00"):
        doc = resign({**make_bundle("TS-1", key=key), "finished_at": bad}, key)
        r = post(server, token, doc)
        assert r.status_code == 422 and "finished_at" in r.json()["detail"], (bad, r.text)
    backwards = resign({**make_bundle("TS-1", key=key), "started_at": "2026-11-20T09:00:00Z"}, key)
    r = post(server, token, backwards)
    assert r.status_code == 422 and "started_at" in r.json()["detail"]
    # the agent says what its clock read when it sent the upload: 20 minutes ahead is flagged
    ahead = (datetime.now(UTC) + timedelta(minutes=20)).isoformat(timespec="seconds")
    r = post(server, token, make_bundle("TS-1", key=key), **{"X-Schoolnet-Sent-At": ahead})
    assert r.status_code == 201 and 1100 < r.json()["clock_skew_s"] < 1300
    fine = datetime.now(UTC).isoformat(timespec="seconds")
    r = post(server, token, make_bundle("TS-1", key=key), **{"X-Schoolnet-Sent-At": fine})
    assert r.status_code == 201 and "clock_skew_s" not in r.json()


@pytest.mark.parametrize("size", [1, 3])
def test_speed_endpoints(sqlite_server: Server, size: int) -> None:
    url = sqlite_server.url + "/speed"
    data = httpx.get(f"{url}/garbage.php", params={"ckSize": size, "r": "0.1"}, timeout=30)
    assert data.status_code == 200 and len(data.content) == size * 1024 * 1024
    assert "no-store" in data.headers["cache-control"]
    assert len(set(data.content[:4096])) > 200  # random, not compressible filler
    up = httpx.post(f"{url}/empty.php", content=b"\0" * (size * 1024 * 1024), timeout=30)
    assert up.status_code == 200 and up.content == b""
    assert up.headers["x-received-bytes"] == str(size * 1024 * 1024)
    assert httpx.options(f"{url}/empty.php").status_code == 200
    assert len(httpx.get(f"{url}/garbage.php", params={"ckSize": "1.9"}).content) == 1024 * 1024
    assert httpx.get(f"{url}/empty.php").status_code == 200
    assert httpx.get(f"{url}/getIP.php").json()["processedString"] == "127.0.0.1"
    assert httpx.get(f"{url}/backend/garbage.php", params={"ckSize": "nonsense"}).status_code == 200
