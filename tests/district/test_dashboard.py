"""The dashboard in headless Chromium (Debian's chromium through Playwright), plus its exports."""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.district.bundles import make_bundle
from tests.district.conftest import STAFF_PASSWORD, STAFF_USER, Server, start_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASS_RGB, FAIL_RGB = (198, 239, 206), (255, 199, 206)


def _post(server: Server, token: str, bundle: dict) -> None:
    r = httpx.post(
        server.url + "/api/v1/bundles",
        content=json.dumps(bundle),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert r.status_code == 201, r.text


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(f"sqlite:///{tmp_path_factory.mktemp('dash')}/district.db")
    token, key = srv.enroll("THCS-01", "Trường THCS Nguyễn Du", ward="Phường Bến Nghé")
    srv.bundles = []  # type: ignore[attr-defined]
    for day, down in ((1, 310.0), (8, 450.5), (15, 640.0), (22, 905.0)):
        bundle = make_bundle(
            "THCS-01", key=key, finished_at=f"2026-11-{day:02d}T08:30:00Z", download_mbps=down, upload_mbps=down / 2
        )
        _post(srv, token, bundle)
        srv.bundles.append(bundle)  # type: ignore[attr-defined]
    token, key = srv.enroll("TH-02", "Trường Tiểu học Lê Văn Tám", ward="Phường Đa Kao")
    _post(srv, token, make_bundle("TH-02", key=key, statuses=("pass",) * 5, ward="Phường Đa Kao"))
    srv.enroll("MN-03", "Trường Mầm non Hoa Sen", ward="Phường Đa Kao")  # enrolled, never uploaded
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def test_login_matrix_filters_language_and_school_page(seeded: Server, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page.goto(seeded.url + "/dashboard")
    assert "/login" in page.url
    page.fill("#username", STAFF_USER)
    page.fill("#password", "sai-mat-khau")
    page.click("#login-button")
    assert page.locator("#login-error").inner_text() == "Sai tên đăng nhập hoặc mật khẩu."
    page.fill("#username", STAFF_USER)
    page.fill("#password", STAFF_PASSWORD)
    page.click("#login-button")
    page.wait_for_selector("#matrix")
    assert page.url.endswith("/dashboard")
    assert page.locator("#matrix tbody tr").count() == 3
    assert "Kết quả chung" in page.locator("#matrix thead").inner_text()
    row = page.locator('tr[data-school="THCS-01"]')
    assert row.locator("td.st-fail").count() >= 2  # the router criterion and the overall verdict
    assert "ngày trước" in row.inner_text() or "hôm nay" in row.inner_text() or "giờ trước" in row.inner_text()
    never = page.locator('tr[data-school="MN-03"]')
    assert "chưa gửi" in never.inner_text() and never.locator("td.stale").count() == 1
    colour = page.eval_on_selector('tr[data-school="TH-02"] td.st-pass', "e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(198, 239, 206)"

    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    _check_screenshot(shot)

    page.select_option("#f-status", "fail")
    page.click("#f-apply")
    page.wait_for_load_state()
    assert [r.get_attribute("data-school") for r in page.locator("#matrix tbody tr").all()] == ["THCS-01"]
    page.goto(seeded.url + "/dashboard?ward=Phường Đa Kao")
    assert page.locator("#matrix tbody tr").count() == 2
    page.check("#f-stale")
    page.click("#f-apply")
    page.wait_for_load_state()
    assert [r.get_attribute("data-school") for r in page.locator("#matrix tbody tr").all()] == ["MN-03"]

    page.click("#lang-toggle")
    page.wait_for_load_state()
    assert "Overall" in page.locator("#matrix thead").inner_text()
    page.goto(seeded.url + "/dashboard")  # the choice sticks (cookie)
    assert "Last upload" in page.locator("#matrix thead").inner_text()

    page.click('tr[data-school="THCS-01"] a')
    page.wait_for_selector("#trend svg")
    assert page.locator("#school-name").inner_text().startswith("Trường THCS Nguyễn Du")
    assert page.locator("#trend polyline").count() == 2
    assert page.locator("#trend circle").count() == 8
    assert page.locator("#history tr").count() == 5  # header + 4 audits
    assert page.locator("#devices tr").count() == 7  # header + 6 devices
    page.screenshot(path=str(tmp_path / "school.png"), full_page=True)
    with page.expect_download() as download_info:
        page.locator("a.report-link").first.click()
    report = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "THCS-01" in report and "1.2-router" in report and "<table" in report
    from agent.signing import digest

    latest = seeded.bundles[-1]  # type: ignore[attr-defined]
    assert digest(latest) in report  # rendered by the reports package, which prints the bundle's SHA-256

    keep = os.environ.get("SCHOOLNET_KEEP_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "dashboard.png")
        shutil.copy(tmp_path / "school.png", Path(keep) / "school.png")
    page.close()


def _check_screenshot(path: Path) -> None:
    """The PNG shows a real matrix: wide enough, with pass-green and fail-red cells painted."""
    from PIL import Image

    with Image.open(path) as img:
        assert img.width >= 1000 and img.height >= 300
        colours = {c for _, c in img.convert("RGB").getcolors(maxcolors=1 << 20) or []}
    assert PASS_RGB in colours and FAIL_RGB in colours


def test_exports_for_the_reporting_form(seeded: Server) -> None:
    with httpx.Client(base_url=seeded.url) as client:
        assert client.get("/export.csv").status_code == 303  # login first
        login = client.post("/login", data={"username": STAFF_USER, "password": STAFF_PASSWORD})
        assert login.status_code == 303
        csv_bytes = client.get("/export.csv").content
        assert csv_bytes.startswith("\ufeff".encode())  # Excel reads the Vietnamese correctly
        lines = csv_bytes.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("STT,Mã trường,Tên trường,Phường/xã")
        assert any(line.startswith("1,THCS-01,Trường THCS Nguyễn Du") for line in lines)
        assert "Không đạt" in lines[1] and "905.0" in lines[1]
        xlsx = client.get("/export.xlsx", params={"lang": "en", "ward": "Phường Đa Kao"}).content
        bundle_id = seeded.bundles[0]["bundle_id"]  # type: ignore[attr-defined]
        pdf = client.get(f"/schools/THCS-01/bundles/{bundle_id}/report", params={"format": "pdf"}, timeout=120)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert client.get("/schools/THCS-01/bundles/nope/report").status_code == 404
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("No.", "School code", "School name", "Ward")
    assert [r[1] for r in rows[1:]] == ["MN-03", "TH-02"]
    assert rows[2][-1] == "Pass" and rows[1][-1] == "No data"
