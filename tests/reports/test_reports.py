"""Reports from a bundle: HTML in headless Chromium, the PDF through pdftotext/pdftoppm, CSV and XLSX."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent import bundle_io, signing
from agent.model import EvidenceBundle, to_jsonable
from reports import render
from reports.html import render_html
from tests.assess.bundles import lab_bundle

VI = ["Báo cáo kiểm tra hạ tầng mạng trường học", "Kết quả theo tiêu chí", "Không đạt", "Đạt",
      "Wi-Fi chuẩn 802.11ac Wave 2 trở lên", "Trường THCS Nguyễn Du", "Việc cần làm", "khai báo",
      "Sơ đồ kết nối", "Băng thông Internet", "Phụ lục: căn cứ của từng kết luận"]
EN = ["School network infrastructure audit report", "Results by criterion", "Fail", "Pass",
      "Wi-Fi 802.11ac Wave 2 or newer", "What to do", "declared", "Appendix: the basis of every verdict"]


@pytest.fixture(scope="module")
def bundle_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("bundle")
    return bundle_io.write_bundle(tmp / "evidence.json", lab_bundle(tmp / "signing.key"))


@pytest.fixture(scope="module")
def bundle(bundle_file: Path) -> EvidenceBundle:
    return bundle_io.read_bundle(bundle_file)


@pytest.fixture(scope="module")
def digest(bundle_file: Path) -> str:
    return signing.digest(json.loads(bundle_file.read_bytes()))


def test_html_is_self_contained_and_bilingual(bundle: EvidenceBundle, digest: str) -> None:
    vi = render_html(bundle, "vi")
    en = render_html(bundle, "en")
    for text in VI:
        assert text in vi, text
    for text in EN:
        assert text in en, text
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert digest in vi and vi.count(digest) >= 2  # the page footer and the meta tag
    # nothing fetched from elsewhere: no external scripts, styles, fonts or images
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", vi)
    assert "<script" not in vi and "<link" not in vi and "@import" not in vi
    assert vi.count("<svg") == 2  # topology + bandwidth chart
    assert "✘" in vi and "✔" in vi and "s-fail" in vi and "s-pass" in vi  # symbol AND colour
    # every verdict's raw basis is in the appendix
    assert "VHT Capabilities bit 19 (MU Beamformer)" in vi and "port_capability" in vi


def test_topology_has_every_lldp_link(bundle: EvidenceBundle) -> None:
    from reports.svg import graph

    g = graph(bundle)
    assert set(g.edges) == {("10.66.0.1", "10.66.0.2"), ("10.66.0.11", "10.66.0.2"), ("10.66.0.12", "10.66.0.2")}
    assert g.edges[("10.66.0.11", "10.66.0.2")] == {"10.66.0.2": "Gi1/0/11"}


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("chromium is not installed (apt-get install -y chromium)")


def test_html_renders_in_headless_chromium(bundle: EvidenceBundle, digest: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    render(bundle, "html", "vi", page, digest)
    base = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*base, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Báo cáo kiểm tra hạ tầng mạng trường học" in dom.stdout and digest in dom.stdout
    pdf = tmp_path / "chromium.pdf"
    shot = tmp_path / "screen.png"
    subprocess.run([*base, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()], capture_output=True,
                   timeout=120, check=True)
    subprocess.run([*base, f"--screenshot={shot}", "--window-size=900,1300", page.as_uri()], capture_output=True,
                   timeout=120, check=True)
    assert shot.stat().st_size > 20_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for needle in ("Báo cáo kiểm tra hạ tầng mạng trường học", "Trường THCS Nguyễn Du", "Không đạt"):
        assert needle in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.92 x 842.88" in info or "595 x 842" in info or "A4" in info  # printed on A4


def _pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for i in range(1, count + 1)]


@pytest.mark.parametrize(("lang", "needles"), [("vi", VI), ("en", EN)])
def test_pdf_text_and_pages(bundle: EvidenceBundle, digest: str, tmp_path: Path, lang: str,
                            needles: list[str]) -> None:
    pdf = render(bundle, "pdf", lang, tmp_path / "report.pdf", digest)
    pages = _pages(pdf)
    assert len(pages) >= 3
    text = "\n".join(pages)
    for needle in needles:
        assert needle in text, needle
    for i, page in enumerate(pages, 1):  # school, date, version and the bundle's SHA-256 on every page
        assert digest in page.replace("\n", ""), f"page {i} lacks the digest"
        assert "Trường THCS Nguyễn Du" in page and "schoolnet-audit 0.1.0" in page
        assert f"{i} / {len(pages)}" in page
    date = "24/11/2026 15:40" if lang == "vi" else "2026-11-24 15:40"
    assert all(date in p for p in pages)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(pages) and all(p.stat().st_size > 3000 for p in pngs)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89" in info  # A4 in points
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu" in fonts or "Noto" in fonts


def test_csv_inventory(bundle: EvidenceBundle, tmp_path: Path) -> None:
    path = render(bundle, "csv", "vi", tmp_path / "inventory.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read the Vietnamese right
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert [r["ip"] for r in rows] == [d.ip for d in bundle.devices]
    eap = next(r for r in rows if r["model"] == "EAP115")
    assert eap["wifi_standard"] == "n" and eap["wifi_bands_ghz"] == "2.4" and eap["sys_location"] == "Phòng 102"
    assert "1.2-wifi-standard=fail" in eap["verdicts"]
    router = next(r for r in rows if r["role"] == "router")
    assert router["max_port_capability_mbps"] == "10000" and "1.2-router=pass" in router["verdicts"]


def test_xlsx(bundle: EvidenceBundle, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = render(bundle, "xlsx", "vi", tmp_path / "inventory.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["Kết quả theo tiêu chí", "Thiết bị mạng"]
    summary = wb["Kết quả theo tiêu chí"]
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["1.2-wifi-standard"][2] == "✘ Không đạt" and rows["1.2-router"][3] == "pass"
    fill = summary.cell(row=[c.value for c in summary["A"]].index("1.2-wifi-standard") + 1, column=3).fill
    assert fill.fgColor.rgb.endswith("FBE4E2")
    findings = wb["Phụ lục"]
    assert findings.max_row == len(bundle.findings) + 1


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # no config: no enrolled key (this machine's own key, if any, must not decide the test)
    return subprocess.run([sys.executable, "-m", "agent.cli", "--config", str(cwd / "none.toml"), *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def test_report_command(bundle_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "evidence.json"
    copy.write_bytes(bundle_file.read_bytes())
    done = _cli("report", str(copy), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Phụ lục" in (tmp_path / "report.html").read_text(encoding="utf-8")
    en = _cli("--lang", "en", "report", str(copy), "--format", "pdf", "-o", str(tmp_path / "r.pdf"), cwd=tmp_path)
    assert en.returncode == 0, en.stderr
    assert "Results by criterion" in "\n".join(_pages(tmp_path / "r.pdf"))
    out = _cli("report", str(copy), "--format", "csv", "-o", "-", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("ip,mac,")
    assert _cli("report", str(copy), "--format", "pdf", "-o", "-", cwd=tmp_path).returncode == 2
    doc = json.loads(copy.read_bytes())
    doc["school"]["name"] = "Trường giả"
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(signing.canonical(doc))
    refused = _cli("report", str(tampered), cwd=tmp_path)
    assert refused.returncode == 2 and "changed after signing" in refused.stderr
    assert refused.stderr.count("\n") == 1
    forced = _cli("report", str(tampered), "--no-verify", "-o", str(tmp_path / "forced.html"), cwd=tmp_path)
    assert forced.returncode == 0
    assert "chưa ký" in (tmp_path / "forced.html").read_text(encoding="utf-8")
    assert to_jsonable(bundle_io.read_bundle(copy))["school"]["name"] == "Trường THCS Nguyễn Du"


def test_big_networks_draw_the_infrastructure_only(bundle: EvidenceBundle) -> None:
    from dataclasses import replace

    from agent.model import Device, LldpNeighbor, Role
    from reports.svg import topology

    aps = tuple(Device(ip=f"10.66.2.{i}", model="EAP225", role=Role.ACCESS_POINT) for i in range(1, 60))
    switch = replace(bundle.devices[1], lldp_neighbors=(
        *bundle.devices[1].lldp_neighbors,
        *(LldpNeighbor(local_port=f"Gi1/0/{i}", remote_mgmt_address=d.ip) for i, d in enumerate(aps))))
    big = replace(bundle, devices=(bundle.devices[0], switch, *aps))
    svg, _ = topology(big, "vi")
    assert svg is not None and "TL-SG3428" in svg and "EAP225" not in svg
