"""The dashboard in headless Chromium (Debian's chromium through Playwright), plus its exports."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.district.bundles import make_bundle, resign
from tests.district.conftest import STAFF_PASSWORD, STAFF_USER, Server, run_cli, start_server

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


ATTACHMENT = "Hợp đồng Internet cáp quang 1 Gbps".encode() * 50


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(f"sqlite:///{tmp_path_factory.mktemp('dash')}/district.db")
    token, key = srv.enroll("THCS-01", "Trường THCS Nguyễn Du", ward="Phường Bến Nghé")
    srv.bundles = []  # type: ignore[attr-defined]
    sha = hashlib.sha256(ATTACHMENT).hexdigest()
    for day, down in ((1, 310.0), (8, 450.5), (15, 640.0), (22, 905.0)):
        bundle = make_bundle(
            "THCS-01", key=key, finished_at=f"2026-11-{day:02d}T08:30:00Z", download_mbps=down, upload_mbps=down / 2
        )
        if day == 22:  # the router finding names its device; the bundle declares an attachment
            bundle["findings"][0]["subject"] = "10.0.0.1"
            bundle["findings"][0]["reason"] = {"vi": "Cổng nhanh nhất 1 Gbps", "en": "Fastest port 1 Gbps"}
            bundle["attachments"] = [{"name": "hop-dong.pdf", "sha256": sha, "size": len(ATTACHMENT)}]
            bundle = resign(bundle, key)
        _post(srv, token, bundle)
        srv.bundles.append(bundle)  # type: ignore[attr-defined]
    put = httpx.put(
        srv.url + f"/api/v1/attachments/{sha}", content=ATTACHMENT, headers={"Authorization": f"Bearer {token}"}
    )
    assert put.status_code == 201, put.text
    token, key = srv.enroll("TH-02", "Trường Tiểu học Lê Văn Tám", ward="Phường Đa Kao")
    _post(srv, token, make_bundle("TH-02", key=key, statuses=("pass",) * 5, ward="Phường Đa Kao"))
    token, key = srv.enroll("THPT-04", "Trường THPT Trưng Vương", ward="Phường Bến Nghé")
    _post(srv, token, make_bundle("THPT-04", key=key, statuses=("pass", "pass", "unknown", "pass", "pass")))
    srv.enroll("MN-03", "Trường Mầm non Hoa Sen", ward="Phường Đa Kao")  # enrolled, never uploaded
    run_cli("enroll", "TH-05", "--name", "Trường Tiểu học Kim Đồng", "--ward", "Phường Đa Kao", db=srv.db)
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


def _login(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/dashboard")
    assert "/login" in page.url
    page.fill("#username", STAFF_USER)
    page.fill("#password", "sai-mat-khau")
    page.click("#login-button")
    assert page.locator("#login-error").inner_text() == "Sai tên đăng nhập hoặc mật khẩu."
    page.fill("#username", STAFF_USER)
    page.fill("#password", STAFF_PASSWORD)
    page.click("#login-button")
    page.wait_for_selector("#matrix")


def _ids(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.get_attribute("data-school") for r in page.locator("#matrix tbody tr").all()]


def _visible_without_scrolling(page, selector: str, height: int) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(selector).bounding_box()
    assert box is not None and box["height"] > 0, selector
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (selector, box)


def test_dashboard_for_the_officer(seeded: Server, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _login(page, seeded.url)
    assert page.url.endswith("/dashboard")
    assert sorted(_ids(page)) == ["MN-03", "TH-02", "TH-05", "THCS-01", "THPT-04"]

    # the overall result and the last upload are on screen at 1366 px without scrolling
    for selector in ("#summary", "#overall-fail", "#latest-upload", "#matrix thead"):
        _visible_without_scrolling(page, selector, 900)
    assert page.locator("#overall-fail").inner_text().startswith("✗ 1")
    assert page.locator("#overall-pass").inner_text().startswith("✓ 1")
    assert page.locator("#overall-none").inner_text().startswith("· 2")
    latest = page.locator("#latest-upload").inner_text()
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", latest), latest  # Vietnam time, one format

    # official numbering and short Vietnamese labels, counts per criterion
    router = page.locator('th[data-criterion="1.2-router"]').inner_text()
    assert router.startswith("1.2.1 Router ≥ 10 Gbps") and "✓2 ✗1 ?0 ·2" in router
    wifi = page.locator('th[data-criterion="1.2-wifi-standard"]').inner_text()
    assert "1.2.3" in wifi and "?1" in wifi
    assert "1.2-router" not in page.locator("#matrix thead").inner_text()

    # enrolled-never-uploaded apart from not enrolled, in Vietnamese
    assert page.locator('tr[data-school="MN-03"]').get_attribute("data-state") == "never_uploaded"
    assert "Đã đăng ký, chưa gửi" in page.locator('tr[data-school="MN-03"]').inner_text()
    assert "Chưa đăng ký" in page.locator('tr[data-school="TH-05"]').inner_text()
    title = page.locator('tr[data-school="TH-02"] td').last.get_attribute("title") or ""
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", title), title
    colour = page.eval_on_selector('tr[data-school="TH-02"] td.st-pass', "e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(198, 239, 206)"

    shot = tmp_path / "dashboard-1366x900.png"
    page.screenshot(path=str(shot))  # the viewport as the officer sees it, no scrolling
    _check_screenshot(shot, 1366, 900)

    # search, filter by level / ward / criterion + status, sort
    page.fill("#f-q", "nguyễn")
    page.click("#f-apply")
    page.wait_for_load_state()
    assert _ids(page) == ["THCS-01"]
    page.goto(seeded.url + "/dashboard?level=th")
    assert sorted(_ids(page)) == ["TH-02", "TH-05"]
    page.goto(seeded.url + "/dashboard")
    page.select_option("#f-criterion", "1.2-wifi-standard")
    page.select_option("#f-cstatus", "unknown")
    page.click("#f-apply")
    page.wait_for_load_state()
    assert _ids(page) == ["THPT-04"]
    page.goto(seeded.url + "/dashboard?ward=Phường Đa Kao&sort=name")
    assert _ids(page) == ["MN-03", "TH-05", "TH-02"]  # Mầm non, Tiểu học Kim Đồng, Tiểu học Lê Văn Tám
    page.goto(seeded.url + "/dashboard?sort=overall")
    assert _ids(page)[0] == "THCS-01"  # failing first
    page.goto(seeded.url + "/dashboard")
    page.select_option("#f-status", "fail")
    page.click("#f-apply")
    page.wait_for_load_state()
    assert _ids(page) == ["THCS-01"]
    page.goto(seeded.url + "/dashboard?ward=Phường Đa Kao")
    page.check("#f-stale")
    page.click("#f-apply")
    page.wait_for_load_state()
    assert sorted(_ids(page)) == ["MN-03", "TH-05"]

    page.click("#lang-toggle")
    page.wait_for_load_state()
    assert "Overall" in page.locator("#matrix thead").inner_text()
    assert "Not enrolled" in page.locator('tr[data-school="TH-05"]').inner_text()
    page.goto(seeded.url + "/dashboard")  # the choice sticks (cookie)
    assert "Last upload" in page.locator("#matrix thead").inner_text()
    page.goto(seeded.url + "/dashboard?lang=vi")

    # the school page: which device fails which criterion and why, history, attachments, the report as a page
    page.click('tr[data-school="THCS-01"] a')
    page.wait_for_selector("#trend svg")
    assert page.locator("#school-name").inner_text().startswith("Trường THCS Nguyễn Du")
    problems = page.locator("#problems").inner_text()
    assert "10.0.0.1" in problems and "1.2.1 Router ≥ 10 Gbps" in problems and "Cổng nhanh nhất 1 Gbps" in problems
    assert "Bộ định tuyến" in problems  # the device's role, translated
    assert page.locator("#trend polyline").count() == 2
    assert page.locator("#history tr").count() == 5  # header + 4 audits
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", page.locator("#history tr").nth(1).inner_text())
    assert page.locator("#devices tr").count() == 7  # header + 6 devices
    assert "Bộ chuyển mạch" in page.locator("#devices").inner_text()
    attachments = page.locator("#attachments").inner_text()
    assert "hop-dong.pdf" in attachments and "đã nhận" in attachments
    school_shot = tmp_path / "school-1366x900.png"
    page.screenshot(path=str(school_shot), full_page=True)
    page.locator("a.report-link").first.click()
    page.wait_for_load_state()
    from agent.signing import digest

    latest_bundle = seeded.bundles[-1]  # type: ignore[attr-defined]
    report = page.content()
    assert "THCS-01" in report and "<table" in report and digest(latest_bundle) in report
    page.go_back()
    with page.expect_download() as download_info:
        page.locator("#attachments a").first.click()
    assert Path(download_info.value.path()).read_bytes() == ATTACHMENT

    # the phone: 390 x 844, summary on screen, the table scrolls inside its box, not the page
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(seeded.url + "/dashboard")
    phone.wait_for_selector("#matrix")
    _visible_without_scrolling(phone, "#summary", 844)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    phone_shot = tmp_path / "dashboard-390x844.png"
    phone.screenshot(path=str(phone_shot))
    _check_screenshot(phone_shot, 390, 844)

    # logout is a POST from the page's form; the page after it is the login page
    page.goto(seeded.url + "/dashboard")
    page.click("#logout-button")
    page.wait_for_selector("#login-button")
    phone.goto(seeded.url + "/dashboard")  # the phone shared the cookie: its session ended too
    assert "/login" in phone.url

    keep = os.environ.get("SCHOOLNET_KEEP_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for path in (shot, school_shot, phone_shot):
            shutil.copy(path, Path(keep) / path.name)
    phone.close()
    page.close()


def _check_screenshot(path: Path, width: int, height: int) -> None:
    """The PNG is the viewport's size and shows a real matrix: pass-green and fail-red cells painted."""
    from PIL import Image

    with Image.open(path) as img:
        assert (img.width, img.height) == (width, height)
        colours = {c for _, c in img.convert("RGB").getcolors(maxcolors=1 << 20) or []}
    assert PASS_RGB in colours and FAIL_RGB in colours


def test_exports_for_the_reporting_form(seeded: Server) -> None:
    with httpx.Client(base_url=seeded.url) as client:
        assert client.get("/export.csv").status_code == 303  # login first
        form = client.get("/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf
        login = client.post("/login", data={"username": STAFF_USER, "password": STAFF_PASSWORD, "csrf": csrf.group(1)})
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
    assert [r[1] for r in rows[1:]] == ["MN-03", "TH-02", "TH-05"]
    assert rows[2][-1] == "Pass" and rows[1][-1] == "No data"
