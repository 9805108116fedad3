"""`schoolnet wifi`: what the air says about each access point (standard, Wave 2, bands, maximum rates).

Sources, best first: a live nl80211 scan keeping the raw elements (``--iface``, needs a Wi-Fi adapter), a
monitor-mode capture (``--pcap``), or saved `iw dev IF scan` text (``--iw-dump``, last resort).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import click

from agent.errors import UsageError
from agent.options import Options


def _rate_rule(opts: Options) -> tuple[str, dict[str, float], float]:
    """(reading, per-band figures, aggregate figure) from the criteria profile's Wi-Fi rate rule."""
    reading, per_band, aggregate = "aggregate", {"2.4": 1300.0, "5": 5300.0}, 1267.0
    try:
        from agent.paths import CRITERIA_DIR

        name = opts.config().agent.criteria_profile
        path = Path(name) if Path(name).is_file() else CRITERIA_DIR / f"{name}.toml"
        profile = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return reading, per_band, aggregate
    for rule in profile.get("rules", []):
        if rule.get("metric") == "wifi_max_rate_mbps":
            reading = str(rule.get("reading", reading))
            if isinstance(rule.get("per_band"), dict):
                per_band = {str(k): float(v) for k, v in rule["per_band"].items()}
            if isinstance(rule.get("threshold"), (int, float)):
                aggregate = float(rule["threshold"])
    return reading, per_band, aggregate


def _observations(opts: Options, iface: str | None, pcap: str | None, iw_dump: str | None, iw_ver: str | None) -> Any:
    from probes.wifi import AirScan, access_points

    chosen = [x for x in (iface, pcap, iw_dump) if x]
    if len(chosen) > 1:
        raise UsageError("give only one of --iface, --pcap, --iw-dump")
    scan = AirScan()
    if pcap:
        from probes.wifi.pcap import read_capture

        path = Path(pcap)
        if not path.is_file():
            raise UsageError(f"{pcap}: no such file")
        try:
            result = read_capture(path)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if not result.frames:  # nothing at all could be read: an error; anything read is a result with warnings
            why = f": {result.warnings[0]}" if result.warnings else ""
            raise UsageError(f"{pcap}: no frame could be read{why}")
        scan.method = f"pcap {path.name}: {result.frames} frames, {result.management_frames} beacons/probe responses"
        scan.warnings = list(result.warnings)
        scan.access_points = access_points(result.observations)
        return scan
    if iw_dump:
        from probes.wifi.iwscan import parse_iw_scan, read_iw_dump

        path = Path(iw_dump)
        if not path.is_file():
            raise UsageError(f"{iw_dump}: no such file")
        text = read_iw_dump(path)
        if not text.strip():
            raise UsageError(f"{iw_dump}: empty file")
        parsed = parse_iw_scan(text, iw_ver)
        if not parsed.observations:
            raise UsageError(f"{iw_dump}: no 'BSS xx:xx:..' block: not `iw dev IF scan` output")
        scan.method = f"iw {parsed.iw_version or '(version unknown)'} scan text {path.name} (last resort)"
        scan.warnings = list(parsed.warnings)
        scan.access_points = access_points(parsed.observations)
        return scan
    from probes.wifi import live

    if iface:
        if not (live.SYS_NET / iface).exists():
            raise UsageError(f"{iface}: no such network interface")
        if iface not in live.wireless_interfaces():
            raise UsageError(f"{iface}: not a Wi-Fi interface (no {live.SYS_NET}/{iface}/wireless)")
        found = live.scan(iface)
        scan.method, scan.warnings = f"{found.method} on {iface}", list(found.warnings)
        scan.access_points = access_points(found.observations)
        return scan
    from probes.wifi import scan_air_report

    return scan_air_report(opts.config())


def _verdict(ap: Any, reading: str, per_band: dict[str, float], aggregate: float) -> dict[str, Any]:
    from dataclasses import asdict

    from probes.wifi.verdict import speed_readings

    readings = {r.reading: asdict(r) for r in speed_readings(ap, per_band, aggregate)}
    return {
        "generation": ap.generation,
        "wave2": ap.wave2,
        "dual_band": ap.dual_band,
        "max_rate_mbps_by_band": ap.max_rate_mbps_by_band,
        "aggregate_mbps": ap.aggregate_mbps,
        "marketing_class": ap.marketing_class,
        "rate_reading_used": reading,
        "rate_readings": readings,
        "disagreements": list(ap.disagreements),
    }


def _human(opts: Options, ap: Any, verdict: dict[str, Any]) -> None:
    t = opts.text
    wave = {True: t("có", "yes"), False: t("không", "no"), None: t("chưa rõ", "unknown")}[ap.wave2]
    bands = " + ".join(ap.bands_ghz) or "-"
    rates = ", ".join(f"{b} GHz {v:g}" for b, v in ap.max_rate_mbps_by_band.items()) or "-"
    opts.info(f"{ap.name}  [{ap.model or t('không rõ mẫu', 'model unknown')}]")
    opts.info(
        f"  {t('thế hệ', 'generation')}: {ap.generation or '-'}   Wave 2: {wave}   {t('băng tần', 'bands')}: {bands}"
    )
    klass = f" ({ap.marketing_class})" if ap.marketing_class else ""
    total = f"{t('tổng', 'aggregate')} {ap.aggregate_mbps}{klass}"
    opts.info(f"  {t('tốc độ PHY tối đa', 'max PHY rate')}: {rates} Mbit/s; {total}")
    for name, r in verdict["rate_readings"].items():
        used = " *" if name == verdict["rate_reading_used"] else ""
        ok = {True: t("đạt", "meets"), False: t("không đạt", "below"), None: "?"}[r["meets"]]
        opts.info(f"  {t('cách đọc', 'reading')} {name}{used}: {r['reaches']} vs {r['threshold']} -> {ok}")
    for d in ap.disagreements:
        opts.info(f"  {t('MÂU THUẪN', 'DISAGREEMENT')}: {d}")
    for radio in ap.bssids:
        opts.info(
            f"    {radio.bssid}  {radio.band_ghz or '?'} GHz  {radio.freq_mhz or '?'} MHz  {radio.standard}"
            f"  NSS {radio.max_nss or '?'}  {radio.max_rate_mbps or '?'} Mbit/s  {radio.ssid or ''}"
        )


@click.command(name="wifi")
@click.option("--iface", metavar="IF", help="Scan live on this Wi-Fi interface (nl80211; root for a fresh scan).")
@click.option("--pcap", "pcap", metavar="FILE", help="Read beacons from a monitor-mode pcap/pcapng capture.")
@click.option("--iw-dump", metavar="FILE", help="Parse saved `iw dev IF scan` output (last resort).")
@click.option("--iw-version", metavar="VER", help="The iw version that printed --iw-dump (e.g. 5.19).")
@click.option("--json", "as_json", is_flag=True, help="Print the access points as JSON on stdout.")
@click.pass_obj
def cli(
    opts: Options, iface: str | None, pcap: str | None, iw_dump: str | None, iw_version: str | None, as_json: bool
) -> None:
    """Read Wi-Fi beacons: standard, Wave 2 (MU-MIMO bit), bands and maximum rates of each access point."""
    from agent.progress import Progress

    progress = Progress(enabled=opts.verbosity >= 0)
    progress.start(opts.text("Đọc Wi-Fi", "Reading Wi-Fi"))
    scan = _observations(opts, iface, pcap, iw_dump, iw_version)
    progress.done(opts.text(f"{len(scan.access_points)} AP", f"{len(scan.access_points)} access points"))
    reading, per_band, aggregate = _rate_rule(opts)
    if scan.method:
        opts.info(opts.text(f"Nguồn: {scan.method}", f"Source: {scan.method}"))
    for warning in dict.fromkeys(" ".join(str(w).split()) for w in scan.warnings):  # one line per problem
        opts.info(opts.text(f"Cảnh báo: {warning}", f"Warning: {warning}"))
    out = []
    for ap in scan.access_points:
        verdict = _verdict(ap, reading, per_band, aggregate)
        if as_json or opts.as_json:
            from agent.model import to_jsonable

            item = to_jsonable(ap)
            item["verdict"] = verdict
            out.append(item)
        else:
            _human(opts, ap, verdict)
    if not scan.access_points:
        opts.info(opts.text("Không nghe thấy điểm truy cập nào.", "No access point heard."))
    if as_json or opts.as_json:
        opts.emit_json(out)
