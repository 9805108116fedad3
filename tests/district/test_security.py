"""The collector under attack: bounded validation, rate limits and lockout, sessions, CSRF and headers,
roles and revocation, the audit log, key rotation, attachments, safe exports (real uvicorn on 127.0.0.1)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.district.bundles import make_bundle, public_b64, resign
from tests.district.conftest import STAFF_PASSWORD, STAFF_USER, Server, run_cli, start_server


def post(server: Server, token: str, body: object, **headers: str) -> httpx.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    hdrs = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers}
    return httpx.post(server.url + "/api/v1/bundles", content=data, headers=hdrs, timeout=60)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def web_login(client: httpx.Client, user: str = STAFF_USER, password: str = STAFF_PASSWORD) -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": user, "password": password, "csrf": token})


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with tight limits (speed, enrolment, lockout) to run into."""
    srv = start_server(
        f"sqlite:///{tmp_path_factory.mktemp('strict')}/district.db",
        DISTRICT_SPEED_MAX_MIB="2",
        DISTRICT_SPEED_PER_MINUTE="5",
        DISTRICT_LOCKOUT_AFTER="3",
        DISTRICT_MAX_BUNDLE_BYTES=str(4 * 1024 * 1024),
    )
    yield srv
    srv.stop()


# --------------------------------------------------------------------------- 1. resource limits


def test_hostile_bundles_are_bounded_and_health_keeps_answering(server: Server) -> None:
    token, key = server.enroll("H-1")
    hostile = b'{"warnings":[' + b",".join([b"1"] * (512 * 1024)) + b"]}"  # 1 MiB of the probe's payload
    health: list[int] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            health.append(httpx.get(server.url + "/api/v1/health", timeout=10).status_code)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        answers = [post(server, token, hostile) for _ in range(3)]
    finally:
        done.set()
        poller.join()
    for r in answers:
        assert r.status_code == 422, r.text
        assert "524288 items (at most 10000)" in r.json()["detail"] and len(r.json()["problems"]) == 1
    assert health and set(health) == {200}

    # within the bounds but wrong everywhere: only the first 20 problems come back
    wrong = resign({**make_bundle("H-1", key=key), "warnings": [1] * 5000}, key)
    r = post(server, token, wrong)
    assert r.status_code == 422 and len(r.json()["problems"]) == 20
    assert all(p.startswith("warnings/") for p in r.json()["problems"])
    deep = b'{"a":' * 40 + b"1" + b"}" * 40
    r = post(server, token, deep)
    assert r.status_code == 422 and "nested deeper than 32" in r.json()["detail"]
    long_text = resign({**make_bundle("H-1", key=key), "agent_version": "x" * 70000}, key)
    r = post(server, token, long_text)
    assert r.status_code == 422 and "70000 characters" in r.json()["detail"]


def test_upload_without_content_type_is_415(server: Server) -> None:
    token, key = server.enroll("H-2")
    body = json.dumps(make_bundle("H-2", key=key)).encode()
    r = httpx.post(server.url + "/api/v1/bundles", content=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 415 and "missing" in r.json()["detail"]


def test_speed_endpoints_are_capped_and_rate_limited(strict: Server) -> None:
    url = strict.url + "/speed"
    big = httpx.get(f"{url}/garbage.php", params={"ckSize": "1024"}, timeout=30)
    assert big.status_code == 200 and len(big.content) == 2 * 1024 * 1024  # capped at DISTRICT_SPEED_MAX_MIB
    codes = [httpx.get(f"{url}/getIP.php").status_code for _ in range(8)]
    assert codes[:4] == [200] * 4 and codes[-1] == 429
    limited = httpx.get(f"{url}/empty.php")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert httpx.get(strict.url + "/api/v1/health").status_code == 200  # only the speed paths are limited


# --------------------------------------------------------------------------- 2. authentication


def test_lockout_per_account_with_a_clear_message(strict: Server) -> None:
    run_cli("user", "add", "nhanvien", "--password-stdin", db=strict.db, stdin="mat-khau-nhan-vien\n")
    for _ in range(2):
        assert httpx.get(strict.url + "/api/v1/schools", auth=("nhanvien", "sai")).status_code == 401
    third = httpx.get(strict.url + "/api/v1/schools", auth=("nhanvien", "sai"))
    assert third.status_code == 429 and "too many failed logins" in third.json()["detail"]
    assert int(third.headers["retry-after"]) > 60
    # the right password does not help while locked, on the API nor on the login form
    right = httpx.get(strict.url + "/api/v1/schools", auth=("nhanvien", "mat-khau-nhan-vien"))
    assert right.status_code == 429
    with httpx.Client(base_url=strict.url) as client:
        page = web_login(client, "nhanvien", "mat-khau-nhan-vien")
        assert page.status_code == 429 and "tạm khoá" in page.text
    # other accounts are not affected
    assert httpx.get(strict.url + "/api/v1/schools", headers=strict.staff_auth()).status_code == 200
    listed = run_cli("user", "list", db=strict.db).stdout
    assert re.search(r"^nhanvien\tadmin\t.*\tlocked until", listed, re.M), listed


def test_login_and_enrolment_are_rate_limited_per_address(tmp_path: Path) -> None:
    srv = start_server(
        f"sqlite:///{tmp_path}/district.db", DISTRICT_LOGIN_PER_MINUTE="3", DISTRICT_ENROLL_PER_MINUTE="2"
    )
    try:
        codes = [httpx.get(srv.url + "/api/v1/schools", auth=(f"u{i}", "x")).status_code for i in range(5)]
        assert codes[:3] == [401] * 3 and codes[3:] == [429, 429]
        with httpx.Client(base_url=srv.url) as client:
            page = web_login(client)
            assert page.status_code == 429 and "Quá nhiều lần đăng nhập" in page.text
        key = public_b64(Ed25519PrivateKey.generate())
        tries = [
            httpx.post(srv.url + "/api/v1/enroll", json={"code": "AAAA-BBBB", "public_key": key}).status_code
            for _ in range(3)
        ]
        assert tries == [403, 403, 429]
    finally:
        srv.stop()


def test_unknown_and_known_users_cost_one_scrypt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from district import migrate, security, store
    from district.db import make_engine, sessions

    engine = make_engine(f"sqlite:///{tmp_path}/d.db")
    migrate.upgrade(engine)
    with sessions(engine)() as session:
        store.add_user(session, "canbo", "mat-khau-dai-du")
        security.dummy_hash()
        calls: list[int] = []
        real = hashlib.scrypt

        def counting(*args: object, **kwargs: object) -> bytes:
            calls.append(1)
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(hashlib, "scrypt", counting)
        for name, password in (("nobody", "x"), ("canbo", "wrong-password"), ("canbo", "mat-khau-dai-du")):
            calls.clear()
            with contextlib.suppress(store.StoreError):
                store.login(session, name, password)
            assert len(calls) == 1, (name, len(calls))


def test_a_session_ends_at_logout_and_at_a_password_change(server: Server) -> None:
    run_cli("user", "add", "tam", "--password-stdin", db=server.db, stdin="mat-khau-cua-tam\n")
    with httpx.Client(base_url=server.url) as client:
        assert web_login(client, "tam", "mat-khau-cua-tam").status_code == 303
        stolen = dict(client.cookies)
        page = client.get("/dashboard")
        assert page.status_code == 200
        assert client.get("/logout").status_code == 405  # logout only by POST
        assert client.post("/logout", data={"csrf": "wrong"}).status_code == 403
        assert client.post("/logout", data={"csrf": csrf_of(page.text)}).status_code == 303
    with httpx.Client(base_url=server.url, cookies=stolen) as replay:
        again = replay.get("/dashboard")
        assert again.status_code == 303 and again.headers["location"].startswith("/login")
        assert replay.get("/api/v1/schools").status_code == 401

    with httpx.Client(base_url=server.url) as client:
        assert web_login(client, "tam", "mat-khau-cua-tam").status_code == 303
        stolen = dict(client.cookies)
        assert httpx.get(server.url + "/api/v1/schools", auth=("tam", "mat-khau-cua-tam")).status_code == 200
        run_cli("user", "add", "tam", "--password-stdin", db=server.db, stdin="mat-khau-moi-cua-tam\n")
        assert client.get("/dashboard").status_code == 303
    with httpx.Client(base_url=server.url, cookies=stolen) as replay:
        assert replay.get("/dashboard").status_code == 303
    # the remembered Basic header retires at once too
    assert httpx.get(server.url + "/api/v1/schools", auth=("tam", "mat-khau-cua-tam")).status_code == 401
    assert httpx.get(server.url + "/api/v1/schools", auth=("tam", "mat-khau-moi-cua-tam")).status_code == 200
    run_cli("user", "remove", "tam", db=server.db)
    assert httpx.get(server.url + "/api/v1/schools", auth=("tam", "mat-khau-moi-cua-tam")).status_code == 401
    assert "tam\t" not in run_cli("user", "list", db=server.db).stdout
    assert run_cli("user", "remove", "tam", db=server.db, check=False).returncode == 2


# --------------------------------------------------------------------------- 3. web security


def test_csrf_origin_and_security_headers(sqlite_server: Server) -> None:
    with httpx.Client(base_url=sqlite_server.url) as client:
        no_token = client.post("/login", data={"username": STAFF_USER, "password": STAFF_PASSWORD})
        assert no_token.status_code == 403 and "hết hạn" in no_token.text
        token = csrf_of(client.get("/login").text)
        cross = client.post(
            "/login",
            data={"username": STAFF_USER, "password": STAFF_PASSWORD, "csrf": token},
            headers={"Origin": "http://evil.example"},
        )
        assert cross.status_code == 403 and "Origin" in cross.json()["detail"]
        same = client.post(
            "/login",
            data={"username": STAFF_USER, "password": STAFF_PASSWORD, "csrf": token},
            headers={"Origin": sqlite_server.url},
        )
        assert same.status_code == 303
        for path in ("/dashboard", "/login", "/api/v1/health", "/speed/getIP.php", "/openapi.json", "/nope"):
            headers = client.get(path).headers
            csp = headers["content-security-policy"]
            assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp, path
            assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff", path
            assert headers["referrer-policy"] == "same-origin", path
        page = client.get("/dashboard").text
        assert "<script" not in page and page.count('name="csrf"') >= 1


# --------------------------------------------------------------------------- roles, revocation, audit log


def test_roles_revocation_and_the_audit_log(server: Server) -> None:
    token, key = server.enroll("RV-1")
    run_cli("user", "add", "xem", "--role", "viewer", "--password-stdin", db=server.db, stdin="chi-xem-thoi-nhe\n")
    viewer = ("xem", "chi-xem-thoi-nhe")
    assert httpx.get(server.url + "/api/v1/schools/RV-1", auth=viewer).status_code == 200
    denied = httpx.post(server.url + "/api/v1/schools/RV-1/revoke", auth=viewer)
    assert denied.status_code == 403 and "admin" in denied.json()["detail"]
    assert post(server, token, make_bundle("RV-1", key=key)).status_code == 201
    with httpx.Client(base_url=server.url) as client:
        assert web_login(client, "xem", "chi-xem-thoi-nhe").status_code == 303
        assert client.get("/export.csv").status_code == 200
        assert client.get("/audit").status_code == 403
        assert "revoke-button" not in client.get("/schools/RV-1").text
    with httpx.Client(base_url=server.url) as client:
        assert web_login(client).status_code == 303
        school_page = client.get("/schools/RV-1").text
        assert "revoke-button" in school_page
        done = client.post("/schools/RV-1/revoke", data={"csrf": csrf_of(school_page)})
        assert done.status_code == 303 and "revoked=1" in done.headers["location"]
        assert "Đã thu hồi mã" in client.get("/dashboard").text
        log = client.get("/audit").text
    r = post(server, token, make_bundle("RV-1", key=key))
    assert r.status_code == 401 and "revoked" in r.json()["detail"]
    expected = (("revoke_token", STAFF_USER), ("export", "xem"), ("enroll_code", "cli"), ("enrolled", "school:RV-1"))
    for action, actor in expected:
        assert re.search(rf"<td>{re.escape(actor)}[^<]*</td><td>{action}</td><td>(RV-1|csv)</td>", log), action
    cli_log = run_cli("audit", "--limit", "500", db=server.db).stdout
    assert re.search(r"\tcanbo\trevoke_token\tRV-1\t", cli_log)
    assert run_cli("revoke", "RV-1", db=server.db, check=False).returncode == 2  # no active token left


# --------------------------------------------------------------------------- 12.4: key rotation keeps history


def test_rotated_key_is_accepted_within_the_grace_window(server: Server) -> None:
    token, old_key = server.enroll("KR-1")
    before = make_bundle("KR-1", key=old_key)  # spooled before the rotation, not yet sent
    new_token, new_key = server.enroll("KR-1")
    assert post(server, token, before).status_code == 401  # the old token is gone
    r = post(server, new_token, before)
    assert r.status_code == 201, r.text
    assert post(server, new_token, make_bundle("KR-1", key=new_key)).status_code == 201
    stranger = make_bundle("KR-1", key=Ed25519PrivateKey.generate())
    assert post(server, new_token, stranger).status_code == 422
    listed = httpx.get(server.url + "/api/v1/schools/KR-1/bundles", headers=server.staff_auth()).json()
    from agent.signing import key_id

    assert {b["signed_by"] for b in listed} == {key_id(old_key.public_key()), key_id(new_key.public_key())}


def test_no_grace_means_old_keys_are_refused(tmp_path: Path) -> None:
    srv = start_server(f"sqlite:///{tmp_path}/district.db", DISTRICT_KEY_GRACE_DAYS="0")
    try:
        _, old_key = srv.enroll("KR-2")
        new_token, _ = srv.enroll("KR-2")
        r = post(srv, new_token, make_bundle("KR-2", key=old_key))
        assert r.status_code == 422 and "signature" in r.json()["detail"]
    finally:
        srv.stop()


# --------------------------------------------------------------------------- attachments


def test_declared_attachments_are_content_addressed_and_size_limited(strict: Server) -> None:
    token, key = strict.enroll("AT-1")
    data = "Hợp đồng Internet 1 Gbps — VNPT".encode() * 100
    sha = hashlib.sha256(data).hexdigest()
    declared = {"name": "hop-dong.pdf", "sha256": sha, "size": len(data), "media_type": "application/pdf"}
    bundle = resign({**make_bundle("AT-1", key=key), "attachments": [declared]}, key)
    receipt = post(strict, token, bundle)
    assert receipt.status_code == 201 and receipt.json()["attachments_missing"] == [sha]
    put = "/api/v1/attachments/"
    auth = {"Authorization": f"Bearer {token}"}
    wrong = httpx.put(strict.url + put + sha, content=data + b"x", headers=auth)
    assert wrong.status_code == 422 and "SHA-256" in wrong.json()["detail"]
    other = b"not declared"
    undeclared = httpx.put(strict.url + put + hashlib.sha256(other).hexdigest(), content=other, headers=auth)
    assert undeclared.status_code == 404
    assert httpx.put(strict.url + put + sha, content=data).status_code == 401
    ok = httpx.put(strict.url + put + sha, content=data, headers=auth)
    assert ok.status_code == 201 and ok.json() == {"sha256": sha, "size": len(data), "status": "stored"}
    again = post(strict, token, resign({**make_bundle("AT-1", key=key), "attachments": [declared]}, key))
    assert again.json()["attachments_missing"] == []
    got = httpx.get(strict.url + put + sha, headers=strict.staff_auth())
    assert got.status_code == 200 and got.content == data
    assert httpx.get(strict.url + put + sha, headers=auth).status_code == 403  # staff only
    big = httpx.put(strict.url + put + "0" * 64, content=b"\0" * (11 * 1024 * 1024), headers=auth)
    assert big.status_code == 413


# --------------------------------------------------------------------------- 4 and 5: exports and the matrix


def test_exports_neutralise_formulas_and_the_profile_owns_the_columns(tmp_path: Path) -> None:
    from agent.paths import CRITERIA_DIR

    profile = tmp_path / "district-profile.toml"
    text = (CRITERIA_DIR / "hcmc-956-2024.toml").read_text(encoding="utf-8")
    profile.write_text(text.replace('vi = "Router ≥ 10 Gbps"', 'vi = "=1+1 Router"', 1), encoding="utf-8")
    srv = start_server(f"sqlite:///{tmp_path}/district.db", "--profile", str(profile))
    try:
        token, key = srv.enroll("INJ-1")
        run_cli("enroll", "INJ-1", "--name", '=HYPERLINK("http://evil.example","bấm")', "--ward", "@Phường", db=srv.db)
        doc = make_bundle("INJ-1", key=key)
        doc["criteria"][0]["title"] = {"vi": "BỊ ĐỔI TÊN", "en": "RETITLED"}  # a school's bundle tries to retitle
        assert post(srv, token, resign(doc, key)).status_code == 201
        with httpx.Client(base_url=srv.url) as client:
            assert web_login(client).status_code == 303
            page = client.get("/dashboard").text
            assert "BỊ ĐỔI TÊN" not in page and "RETITLED" not in page and "1.2.1" in page
            csv_text = client.get("/export.csv").content.decode("utf-8-sig")
            xlsx = client.get("/export.xlsx").content
    finally:
        srv.stop()
    import csv

    rows = list(csv.reader(io.StringIO(csv_text)))
    assert "'1.2.1 =1+1 Router" not in rows[0] and "1.2.1 =1+1 Router" in rows[0]  # starts with 1: harmless
    line = next(r for r in rows if r[1] == "INJ-1")
    assert line[2] == "'=HYPERLINK(\"http://evil.example\",\"bấm\")" and line[3] == "'@Phường"
    assert "BỊ ĐỔI TÊN" not in csv_text
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx)).active
    cells = {c.value: c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells["'=HYPERLINK(\"http://evil.example\",\"bấm\")"] == "s"
    assert not any(v.startswith(("=", "+", "-", "@")) for v in cells)


def test_export_header_neutralised_and_bad_profile_is_bad_input(tmp_path: Path) -> None:
    from agent.paths import CRITERIA_DIR

    profile = tmp_path / "p.toml"
    text = (CRITERIA_DIR / "hcmc-956-2024.toml").read_text(encoding="utf-8")
    text = text.replace('indicator = "1.2.1"\n', "", 1).replace('vi = "Router ≥ 10 Gbps"', 'vi = "-2+3"', 1)
    profile.write_text(text, encoding="utf-8")
    db = f"sqlite:///{tmp_path}/d.db"
    run_cli("enroll", "S-1", "--name", "Trường THCS A", db=db)
    out = run_cli("export", "--profile", str(profile), db=db).stdout
    header = out.lstrip("\ufeff").splitlines()[0].split(",")
    assert "'-2+3" in header
    bad = run_cli("serve", "--profile", str(tmp_path / "missing.toml"), db=db, check=False)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "profile" in bad.stderr


# --------------------------------------------------------------------------- the agent refuses plain http


def test_agent_refuses_plain_http_off_loopback(tmp_path: Path) -> None:
    from agent import upload
    from agent.errors import UsageError
    from tests.district.conftest import agent_config

    assert upload.check_transport("https://cds.pgd.example.vn") is None
    assert upload.check_transport("http://127.0.0.1:8080") is None and upload.check_transport("http://[::1]:80") is None
    with pytest.raises(UsageError, match="--insecure-http"):
        upload.check_transport("http://10.73.0.1:8080")
    warning = upload.check_transport("http://10.73.0.1:8080", insecure_http=True)
    assert warning and warning.startswith("WARNING") and "token" in warning
    config = agent_config(tmp_path, "http://192.0.2.1:8080", "sntok_x", "S-1")
    upload.spool_bundle(config, make_bundle("S-1", key=Ed25519PrivateKey.generate()))
    with pytest.raises(UsageError, match="plain http"):
        upload.flush(config)
    assert len(upload.status(config)) == 1  # nothing was sent, nothing lost
