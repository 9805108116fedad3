"""The audit orchestrator: probes -> assessment -> signed bundle -> reports -> spool/upload.

Each probe is called directly through its contract (``probes.host.probe_host()``,
``probes.discovery.run_discovery``, ``probes.wifi.scan_air``, ``probes.bandwidth.measure``); the verdicts come
from the assessment core (:mod:`assessment`). A probe that fails becomes a warning in the bundle and the run
goes on; only a broken config, profile or state directory stops it.
"""

from __future__ import annotations

import re
import shutil
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import assessment
from agent import __version__, evidence, logs, schedule, signing
from agent.bundle_io import write_bundle
from agent.catalogs import shipped as shipped_catalog
from agent.config import Config
from agent.errors import RuntimeFailure
from agent.model import (
    AirAccessPoint,
    BandwidthResult,
    Device,
    EvidenceBundle,
    Finding,
    Host,
    Room,
    School,
    Status,
    from_jsonable,
    to_jsonable,
)
from agent.progress import NullProgress, Progress

RUN_DIR_RE = re.compile(r"^\d{8}-\d{6}(-\d+)?$")
T = TypeVar("T")


@dataclass
class RunOptions:
    out_dir: Path | None = None
    upload: bool = True
    skip_bandwidth: bool = False
    skip_wifi: bool = False
    skip_discovery: bool = False
    scheduled: bool = False  # the timer's run: bandwidth only inside [bandwidth] window (agent.schedule)
    formats: tuple[str, ...] = ("html", "pdf", "csv")
    lang: str | None = None


@dataclass
class RunResult:
    bundle: EvidenceBundle
    run_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # not in the bundle (reports, upload)
    uploaded: str = ""
    overall: Status = Status.UNKNOWN


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _probe(name: str, call: Callable[[], T], warnings: list[str], default: T, secrets: list[str]) -> T:
    """Run one probe; any failure becomes a warning (with where it happened) and ``default``."""
    try:
        return call()
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a broken probe never ends the run
        message = f"{name} failed: {type(exc).__name__}: {exc}"
        tb = traceback.extract_tb(exc.__traceback__)
        if tb:
            message += f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})"
        warnings.append(redact_text(message, secrets))
        return default


def _host() -> Host:
    from probes.host import probe_host

    return probe_host()


def _discover(config: Config, progress: Progress) -> list[Device]:
    from probes.discovery import run_discovery

    return run_discovery(config, progress)


def _air(config: Config) -> list[AirAccessPoint]:
    from probes.wifi import scan_air

    return scan_air(config)


def _bandwidth(config: Config, host: Host | None, progress: Progress, target_mbps: float) -> list[BandwidthResult]:
    from probes.bandwidth import measure

    return measure(config, host, progress, target_mbps=target_mbps)


def internet_target(profile: assessment.Profile) -> float:
    """The line rate the profile's Internet rule asks for (what "limited by this machine" is measured against)."""
    rates = [r.number for r in profile.rules if r.metric == "internet_goodput_mbps" and not r.informational]
    return max(rates) if rates else 1000.0


def redact_text(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    return text


def redact(bundle: EvidenceBundle, secrets: list[str]) -> tuple[EvidenceBundle, int]:
    """Mask any config secret that slipped into probe output (defence in depth); returns the count masked."""
    if not secrets:
        return bundle, 0
    count = 0

    def walk(node: Any) -> Any:
        nonlocal count
        if isinstance(node, str):
            masked = redact_text(node, secrets)
            count += masked != node
            return masked
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        return node

    document = walk(to_jsonable(bundle))
    return (from_jsonable(EvidenceBundle, document), count) if count else (bundle, 0)


def rooms_of(config: Config) -> tuple[Room, ...]:
    return tuple(Room(r.name, r.students, r.projector, r.internet, tuple(r.devices)) for r in config.rooms)


def school_of(config: Config) -> School:
    s = config.school
    return School(id=s.id, name=s.name, district=s.district, ward=s.ward, students=s.students)


def run_dir_for(out: Path, stamp: datetime) -> Path:
    base = stamp.strftime("%Y%m%d-%H%M%S")
    path, n = out / base, 1
    while path.exists():
        n += 1
        path = out / f"{base}-{n}"
    return path


def prune(out: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` run directories under ``out``."""
    runs = sorted((p for p in out.iterdir() if p.is_dir() and RUN_DIR_RE.match(p.name)), key=lambda p: p.name)
    removed = runs[:-keep] if keep > 0 else runs
    for p in removed:
        shutil.rmtree(p, ignore_errors=True)
    return removed


def collect(config: Config, options: RunOptions, progress: Progress,
            target_mbps: float = 1000.0) -> tuple[assessment.Inputs, list[str]]:
    """Run the probes; returns what they found and the warnings."""
    warnings: list[str] = []
    secrets = config.secrets()
    skipped: dict[str, str] = {}

    progress.start("Máy này / this machine")
    host: Host | None = _probe("probes.host.probe_host", _host, warnings, None, secrets)
    progress.done(host.hostname if host else "?")

    devices: list[Device] = []
    if options.skip_discovery:
        skipped["discovery"] = "skipped"
    else:
        progress.start("Dò thiết bị / discovery")
        devices = list(_probe("probes.discovery.run_discovery", lambda: _discover(config, progress), warnings,
                              list[Device](), secrets) or [])
        progress.done(f"{len(devices)} thiết bị / devices")

    air: list[AirAccessPoint] = []
    if options.skip_wifi:
        skipped["wifi"] = "--skip-wifi"
    elif not config.wifi.scan:
        skipped["wifi"] = "wifi.scan = false"
    else:
        progress.start("Quét Wi-Fi / Wi-Fi scan")
        air = list(_probe("probes.wifi.scan_air", lambda: _air(config), warnings, list[AirAccessPoint](),
                          secrets) or [])
        progress.done(f"{len(air)} AP")

    measurements: list[BandwidthResult] = []
    if options.skip_bandwidth:
        skipped["bandwidth"] = "--skip-bandwidth"
    elif why := schedule.bandwidth_allowed(config, datetime.now(UTC), options.scheduled):
        skipped["bandwidth"] = why
        warnings.append(f"bandwidth not measured: {why}")
    else:
        progress.start("Đo băng thông / bandwidth")
        measurements = list(_probe("probes.bandwidth.measure",
                                   lambda: _bandwidth(config, host, progress, target_mbps), warnings,
                                   list[BandwidthResult](), secrets) or [])
        progress.done(f"{len(measurements)} kết quả / results")

    decls, _ = evidence.collect(config)
    inputs = assessment.Inputs(
        devices=tuple(devices), air=tuple(air), measurements=tuple(measurements), declarations=tuple(decls),
        host=host, school=school_of(config), rooms=rooms_of(config), skipped=skipped,
        school_ssids=tuple(config.wifi.ssids),
    )
    return inputs, warnings


def build_bundle(config: Config, profile: assessment.Profile, inputs: assessment.Inputs,
                 findings: tuple[Finding, ...], warnings: list[str], started_at: str) -> EvidenceBundle:
    _, attachments = evidence.collect(config)
    return EvidenceBundle(
        bundle_id=str(uuid.uuid4()),
        school=school_of(config),
        agent_version=__version__,
        started_at=started_at,
        finished_at=now(),
        host=inputs.host,
        devices=inputs.devices,
        air=inputs.air,
        measurements=inputs.measurements,
        findings=tuple(findings),
        declarations=inputs.declarations,
        attachments=attachments,
        criteria_profile=f"{profile.id}@{profile.version}" if profile.version else profile.id,
        warnings=tuple(warnings),
        criteria=profile.criteria(),
        rooms=inputs.rooms,
        skipped=dict(inputs.skipped),
        school_ssids=inputs.school_ssids,
    )


def render_reports(bundle: EvidenceBundle, run_dir: Path, formats: tuple[str, ...], lang: str,
                   warnings: list[str]) -> dict[str, Path]:
    """Write the reports; a failing format is a warning (the signed bundle is already on disk)."""
    from reports import render

    files: dict[str, Path] = {}
    names = {"html": "report.html", "pdf": "report.pdf", "csv": "inventory.csv", "xlsx": "inventory.xlsx"}
    for fmt in formats:
        target = run_dir / names[fmt]
        try:
            render(bundle, fmt, lang, target)
            files[fmt] = target
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            warnings.append(f"report {fmt} not written: {type(exc).__name__}: {exc}")
    return files


def spool_and_upload(config: Config, path: Path, upload: bool, warnings: list[str],
                     progress: Progress | None = None) -> str:
    """Spool the bundle with agent.upload (always first), then flush it unless ``upload`` is false.

    Needs a district URL in the config; returns a short status ("" when there is no district).
    """
    if not config.district.url:
        return ""
    from agent.upload import flush, spool_bundle

    try:
        spool_bundle(config, path)
    except Exception as exc:
        warnings.append(redact_text(f"spool: {type(exc).__name__}: {exc}", config.secrets()))
        return ""
    if not upload:
        return "spooled"
    if not config.district.token:
        warnings.append("district.token is not set: the bundle waits in the spool (enroll, then `schoolnet upload`)")
        return "spooled"
    try:
        result = flush(config, progress)
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        warnings.append(redact_text(f"upload: {type(exc).__name__}: {exc} (the bundle stays in the spool)",
                                    config.secrets()))
        return "spooled"
    if result.rejected:
        warnings.append(redact_text(f"district refused: {result.rejected[0][1]}", config.secrets()))
        return "rejected"
    if result.waiting:
        warnings.append(redact_text(f"upload waiting: {result.waiting[0][1]}", config.secrets()))
        return "spooled"
    return "sent"


def run_audit(config: Config, options: RunOptions, progress: Progress | None = None) -> RunResult:
    """One whole audit. Raises only for a broken profile, key or output directory."""
    progress = progress or NullProgress()
    profile = assessment.load(config.agent.criteria_profile)
    key = signing.load_or_create_key(config.agent.key_path)
    started_dt = datetime.now(UTC)
    started_at = started_dt.isoformat(timespec="seconds")
    logs.set_context(run_id=run_dir_for(Path(""), started_dt).name, school_id=config.school.id or None)

    inputs, warnings = collect(config, options, progress, internet_target(profile))
    verdict = assessment.assess(inputs, profile, shipped_catalog())
    bundle = build_bundle(config, profile, inputs, verdict.findings, warnings, started_at)
    bundle, masked = redact(bundle, config.secrets())
    if masked:
        bundle = replace(bundle, warnings=(*bundle.warnings, f"{masked} secret value(s) in probe output were masked"))
    bundle = signing.sign(bundle, key)

    out = options.out_dir or config.agent.out_path
    run_dir = run_dir_for(out, started_dt)
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        bundle_path = write_bundle(run_dir / "evidence.json", bundle)
    except OSError as exc:
        raise RuntimeFailure(f"{run_dir}: cannot write the evidence: {exc.strerror} (choose another --out)") from None
    result = RunResult(bundle=bundle, run_dir=run_dir, files={"evidence": bundle_path})
    result.failed = list(verdict.failed)
    result.overall = verdict.overall

    progress.start("Báo cáo / reports")
    lang = options.lang or config.agent.language
    result.files.update(render_reports(bundle, run_dir, options.formats, lang, result.warnings))
    progress.done(", ".join(p.name for p in result.files.values()))
    prune(out, config.agent.keep_runs)
    result.uploaded = spool_and_upload(config, bundle_path, options.upload, result.warnings, progress)
    return result
