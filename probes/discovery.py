"""Find the devices on the school LAN and say what each one is.

One run: scope (configured or attached subnets, capped) -> ARP sweep (in a thread, rate-bounded)
and the SNMP sweep (one asyncio pass, credentials in order) side by side -> inspection of every
responder as soon as it answers (bounded concurrency, per-device time budget) -> classification,
ports, LLDP/CDP neighbours, radios -> LLDP/CDP management addresses followed while in scope ->
hygiene signals -> topology (which port each device hangs on). Devices that fail become data
(``snmp_status`` partial/timeout/auth_error with ``errors``), never exceptions.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from agent.config import Config, SnmpCredential
from agent.model import Basis, Device, Host, Radio, Text
from agent.progress import Progress
from probes.snmp.client import Session, SnmpClient
from probes.snmp.data import SnmpData
from probes.snmp.inspect import SYS_DESCR, SYS_LOCATION, SYS_NAME, SYS_OBJECT_ID, Inspection, inspect_session
from probes.snmp.sweep import Hit, Miss, sweep

ARP_REPLY_WAIT_S = 0.5  # after the last request: hosts on the link answer ARP within milliseconds


@dataclass
class Discovery:
    """Everything one discovery run produced."""

    devices: list[Device] = field(default_factory=list)
    host: Host | None = None
    addresses: int = 0
    arp_available: bool | None = None
    warnings: list[Text] = field(default_factory=list)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds from the start when each phase ended


# --------------------------------------------------------------------------- one device


def _snmp_status(inspection: Inspection) -> str:
    if inspection.complete and not inspection.errors:
        return "ok"
    walked = len(inspection.data) > 5
    if inspection.timed_out and not walked:
        return "timeout"
    return "partial"


def _radios(result: Any) -> tuple[tuple[Radio, ...], tuple[Device, ...]]:
    """(radios, per-AP child devices) from ``radios_from_snmp`` (a pair, or an object with radios/aps)."""
    if result is None:
        return (), ()
    if hasattr(result, "radios"):
        children = getattr(result, "children", None) or getattr(result, "aps", None) or ()
        return tuple(result.radios), tuple(children)
    if isinstance(result, tuple) and len(result) == 2 and all(isinstance(x, (tuple, list)) for x in result):
        return tuple(result[0]), tuple(result[1])
    return tuple(result), ()


def device_from_snmp(
    ip: str,
    data: SnmpData,
    *,
    snmp_status: str = "ok",
    snmp_version: str | None = None,
    errors: Sequence[str] = (),
    found_by: Sequence[str] = ("snmp",),
    mac: str | None = None,
) -> tuple[Device, tuple[Device, ...]]:
    """Classify what SNMP said about one device: (the device, child devices such as a controller's APs).

    A fault in any classifier is recorded in ``errors``; the device is kept with what is known.
    """
    from probes import oui
    from probes.classify import classify
    from probes.snmp.lldp import neighbors
    from probes.snmp.ports import interfaces, negotiated_max_mbps
    from probes.wifi.snmp_radios import radios_from_snmp

    problems = list(errors)
    fields: dict[str, Any] = {}
    try:
        c = classify(ip, data)
        fields.update(
            role=c.role,
            role_confidence=c.role_confidence,
            vendor=c.vendor,
            model=c.model,
            os_family=c.os_family,
            firmware=c.firmware,
            serial=c.serial,
            basis=tuple(c.basis),
            max_port_capability_mbps=c.max_port_capability_mbps,
            throughput_mbps=c.throughput_mbps,
        )
    except Exception as exc:
        problems.append(f"classification failed: {type(exc).__name__}: {exc}")
    try:
        ifaces = interfaces(data)
        fields.update(interfaces=ifaces, max_port_speed_mbps=negotiated_max_mbps(ifaces))
    except Exception as exc:
        problems.append(f"interface table unreadable: {type(exc).__name__}: {exc}")
    try:
        fields["lldp_neighbors"] = tuple(neighbors(data, tuple(fields.get("interfaces", ()))))
    except Exception as exc:
        problems.append(f"LLDP/CDP tables unreadable: {type(exc).__name__}: {exc}")
    children: tuple[Device, ...] = ()
    try:
        result = radios_from_snmp(data, fields.get("vendor"), fields.get("model"))
        radios, children = _radios(result)
        fields["radios"] = radios
        fields["wifi"] = getattr(result, "wifi", None)  # WifiFacts: vendor MIB > catalog row > family rule
    except Exception as exc:
        problems.append(f"radio tables unreadable: {type(exc).__name__}: {exc}")
    device = Device(
        ip=ip,
        mac=mac,
        mac_vendor=oui.vendor(mac),
        sys_name=data.text(SYS_NAME),
        sys_descr=data.text(SYS_DESCR),
        sys_object_id=data.text(SYS_OBJECT_ID),
        sys_location=data.text(SYS_LOCATION),
        snmp_status=snmp_status,  # type: ignore[arg-type]
        snmp_version=snmp_version,
        found_by=tuple(found_by),
        errors=tuple(problems),
        **fields,
    )
    return device, tuple(replace(ch, parent=ch.parent or ip) for ch in children)


def _version_label(cred: SnmpCredential) -> str:
    return "v3" if cred.version == "3" else f"v{cred.version}"


# --------------------------------------------------------------------------- the run


class _Run:
    def __init__(self, config: Config, progress: Progress | None, client: SnmpClient, lang: str = "vi") -> None:
        self.config = config
        self.lang = lang
        self.progress = progress
        self.client = client
        self.inspections: dict[str, tuple[Hit, Inspection]] = {}
        self._gate = asyncio.Semaphore(config.scan.inspect_concurrency)
        self._tasks: list[asyncio.Task[None]] = []

    def on_hit(self, hit: Hit) -> None:
        self._tasks.append(asyncio.create_task(self._inspect(hit)))

    async def _inspect(self, hit: Hit) -> None:
        async with self._gate:
            try:
                inspection = await inspect_session(
                    self.client, hit.session, known=hit.values, budget_s=self.config.scan.device_budget_s
                )
            except Exception as exc:  # the last line of defence: the device stays, with the reason
                data = SnmpData()
                data.update(hit.values)
                inspection = Inspection(data, complete=False, errors=[f"inspection failed: {exc!r}"])
        self.inspections[hit.ip] = (hit, inspection)
        if self.progress and self._reporting:
            self.progress.advance(note=hit.ip)

    _reporting = False

    async def finish(self) -> None:
        pending = [t for t in self._tasks if not t.done()]
        if self.progress:
            self._reporting = True
            title = "Đọc chi tiết thiết bị (SNMP)" if self.lang == "vi" else "SNMP inspection"
            self.progress.start(title, total=len(self._tasks))
            self.progress.advance(len(self._tasks) - len(pending))
        while self._tasks:
            tasks, self._tasks = self._tasks, []
            await asyncio.gather(*tasks)
        if self.progress:
            self.progress.done(f"{len(self.inspections)} " + ("thiết bị" if self.lang == "vi" else "device(s)"))
            self._reporting = False


async def discover(
    config: Config,
    progress: Progress | None = None,
    *,
    host: Host | None = None,
    addresses: Sequence[str] | None = None,
    lang: str | None = None,
) -> Discovery:
    """The async core of :func:`run_discovery` (``addresses`` overrides the scope, for tests and the lab).

    ``lang`` ('vi'/'en', default the config's) is the language of the progress lines.
    """
    import time

    from probes import arp, hygiene, topology
    from probes.host import probe_host
    from probes.scope import build_scope

    started = time.monotonic()
    scan = config.scan
    lang = lang or config.agent.language
    host = host or probe_host()
    scope = build_scope(scan, host)
    out = Discovery(host=host, warnings=list(scope.notes))
    targets = list(addresses) if addresses is not None else list(scope.addresses)
    out.addresses = len(targets)
    credentials = list(config.snmp.credentials)
    if not credentials:
        out.warnings.append(
            Text(
                "Chưa khai báo thông tin SNMP (snmp.credentials): chỉ tìm thiết bị bằng ARP, "
                "không biết thiết bị là gì.",
                "No SNMP credentials configured (snmp.credentials): devices are found by ARP only, not identified.",
            )
        )

    arp_result: arp.ArpResult | None = None
    arp_task: asyncio.Future[arp.ArpResult] | None = None
    if scan.arp and addresses is None:
        wanted = set(targets)
        by_iface = {k: [ip for ip in v if ip in wanted] for k, v in scope.on_link().items()}
        arp_task = asyncio.ensure_future(
            arp.arp_sweep_async(by_iface, rate_pps=scan.arp_rate_pps, timeout_s=ARP_REPLY_WAIT_S)
        )

    def skip(ip: str) -> bool:
        """Between credential stages: an on-link address that did not answer ARP is not there."""
        if arp_task is None or not arp_task.done() or arp_task.exception() is not None:
            return False
        result = arp_task.result()
        return result.available and not result.errors and scope.interface_for(ip) is not None and ip not in result.hosts

    async def arp_done() -> None:
        """Before a later credential stage: give the ARP sweep a moment to finish, so absent hosts are skipped."""
        if arp_task is not None and not arp_task.done():
            await asyncio.wait([arp_task], timeout=scan.snmp_timeout_s * 2)

    async with SnmpClient(
        timeout_s=scan.snmp_timeout_s, retries=scan.snmp_retries, concurrency=scan.concurrency
    ) as client:
        run = _Run(config, progress, client, lang)
        swept = await sweep(
            client,
            targets,
            credentials,
            port=scan.snmp_port,
            progress=progress,
            on_hit=run.on_hit,
            skip=skip,
            before_stage=arp_done,
            lang=lang,
        )
        out.phases["sweep"] = round(time.monotonic() - started, 3)
        for cred in swept.conflicts:
            out.warnings.append(
                Text(
                    f"Bỏ qua {cred.label}: một thông tin SNMPv3 trước đó đã dùng tên người dùng {cred.user!r} "
                    "với khoá khác (chỉ dùng thông tin đầu tiên).",
                    f"Skipped {cred.label}: an earlier SNMPv3 credential uses user name {cred.user!r} with other "
                    "keys (only the first is used).",
                )
            )
        await run.finish()
        out.phases["inspection"] = round(time.monotonic() - started, 3)

        if scan.follow_lldp:
            await _follow_neighbours(run, swept, scope.contains, credentials, scan.snmp_port, progress)

        if arp_task is not None:
            try:
                arp_result = await arp_task
            except Exception as exc:
                arp_result = arp.ArpResult(available=False, errors=[f"ARP sweep failed: {exc}"])
            out.arp_available = arp_result.available
            if arp_result.note:
                out.warnings.append(arp_result.note)
            for err in arp_result.errors:
                out.warnings.append(Text(f"Quét ARP lỗi: {err}", err))
            out.phases["arp"] = round(time.monotonic() - started, 3)
        macs = arp_result.hosts if arp_result else {}

        devices: list[Device] = []
        for ip, (hit, inspection) in run.inspections.items():
            device, children = device_from_snmp(
                ip,
                inspection.data,
                snmp_status=_snmp_status(inspection),
                snmp_version=_version_label(hit.session.credential),
                errors=inspection.errors,
                found_by=("snmp", "arp") if ip in macs else ("snmp",),
                mac=macs.get(ip),
            )
            devices.append(device)
            devices.extend(children)
        devices += _unidentified(swept.misses.values(), macs)

        signals = await hygiene.check(
            client,
            [d for d in devices if d.snmp_status != "not_tried" and d.parent is None],
            {ip: hit.session for ip, (hit, _) in run.inspections.items()},
            test_default_community=scan.test_default_community,
            port=scan.snmp_port,
            v3_capable=swept.v3_capable if any(c.version == "3" for c in credentials) else None,
        )
        devices = [replace(d, hygiene=d.hygiene + tuple(signals.get(d.ip, ()))) for d in devices]
        out.phases["hygiene"] = round(time.monotonic() - started, 3)

    devices = topology.attach(devices)
    out.devices = sorted(devices, key=_sort_key)
    out.seconds = time.monotonic() - started
    return out


def _unidentified(misses: Iterable[Miss], macs: dict[str, str]) -> list[Device]:
    """Addresses whose SNMP agent refused every credential, and addresses that answered ARP only."""
    from probes import oui

    out: list[Device] = []
    for miss in misses:
        mac = macs.get(miss.ip)
        if miss.agent_seen:
            out.append(
                Device(
                    ip=miss.ip,
                    mac=mac,
                    mac_vendor=oui.vendor(mac),
                    snmp_status="auth_error",
                    found_by=("snmp", "arp") if mac else ("snmp",),
                    errors=tuple(miss.errors),
                    basis=(Basis("snmp", "credentials", "refused", "an SNMP agent answered but refused them all"),),
                )
            )
        elif mac:
            out.append(
                Device(
                    ip=miss.ip,
                    mac=mac,
                    mac_vendor=oui.vendor(mac),
                    snmp_status="no_response" if miss.outcome != "not_tried" else "not_tried",
                    found_by=("arp",),
                    errors=tuple(miss.errors),
                )
            )
    return out


async def _follow_neighbours(
    run: _Run,
    swept: Any,
    in_scope: Any,
    credentials: Sequence[SnmpCredential],
    port: int,
    progress: Progress | None,
) -> None:
    """Sweep again, with the full timeout, the management addresses neighbours advertise (while in scope)."""
    from probes.snmp.lldp import neighbors

    asked: set[str] = set(swept.hits) | set(run.inspections)
    for _round in range(3):
        wanted: list[str] = []
        for _ip, (_hit, inspection) in list(run.inspections.items()):
            try:
                found = neighbors(inspection.data)
            except Exception:
                continue
            for n in found:
                addr = n.remote_mgmt_address
                if addr and addr not in asked and in_scope(addr):
                    wanted.append(addr)
                    asked.add(addr)
        if not wanted:
            return
        again = await sweep(
            run.client, wanted, credentials, port=port, progress=progress, on_hit=run.on_hit, lang=run.lang
        )
        for ip, miss in again.misses.items():
            swept.misses.setdefault(ip, miss)
        for ip in again.hits:
            swept.misses.pop(ip, None)
        await run.finish()


def _sort_key(device: Device) -> tuple[int, int, str]:
    try:
        return (0, int(ipaddress.IPv4Address(device.ip)), device.parent or "")
    except ValueError:
        return (1, 0, device.ip)


def run_discovery(config: Config, progress: Progress | None = None) -> list[Device]:
    """Find and identify the devices in scope (see the module docstring). Never raises for a bad device."""
    return asyncio.run(discover(config, progress)).devices


async def inspect_one_with_aps(
    host: str,
    port: int,
    credential: SnmpCredential,
    *,
    timeout_s: float,
    retries: int,
    budget_s: float,
    test_default_community: bool = False,
) -> tuple[Device, tuple[Device, ...]]:
    """Inspect one address with one credential (the ``inspect`` verb), hygiene signals included, plus the APs a
    controller lists (each with ``parent`` = ``host``)."""
    from probes import hygiene

    async with SnmpClient(timeout_s=timeout_s, retries=retries) as client:
        session: Session = await client.session(host, port, credential)
        inspection = await inspect_session(client, session, budget_s=budget_s)
        if len(inspection.data) == 0:
            return Device(
                ip=host,
                snmp_status="auth_error" if inspection.outcome == "auth" else "timeout",
                snmp_version=_version_label(credential),
                found_by=("snmp",),
                errors=tuple(inspection.errors),
            ), ()
        device, children = device_from_snmp(
            host,
            inspection.data,
            snmp_status=_snmp_status(inspection),
            snmp_version=_version_label(credential),
            errors=inspection.errors,
        )
        signals = await hygiene.check(
            client, [device], {host: session}, test_default_community=test_default_community, port=port
        )
        return replace(device, hygiene=tuple(signals.get(host, ()))), children
