"""``capacity_mbps``: routers and switches against a port/throughput threshold.

Bases, each with its provenance: ``port_capability`` (the fastest physical port: measured from IF-MIB /
ENTITY-MIB, or the model's catalog row), ``port_speed`` (the fastest negotiated speed, measured),
``throughput`` (the catalog's routing throughput), and for switches ``access_ports`` (what the ports people
plug into can do: a Fast-Ethernet switch with two gigabit uplinks fails, whatever its fastest port).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from agent.model import Basis, Device, Finding, Interface, Provenance, Role, Status, Text
from assessment.catalog import ModelFacts
from assessment.metrics.common import NONE_FOUND, snmp_unknown
from assessment.profile import Rule
from assessment.registry import Context, Metric, register
from assessment.text import T, label, mbps, speed_class

_ROLES = {"router": (Role.ROUTER, Role.FIREWALL), "switch": (Role.SWITCH,)}
_WHAT = {"port_capability": T("khả năng cổng", "port capability"),
         "port_speed": T("tốc độ cổng đang chạy", "negotiated port speed"),
         "throughput": T("thông lượng theo catalog", "catalog throughput"),
         "access_ports": T("cổng truy cập", "access ports")}


@dataclass(frozen=True)
class Known:
    basis: str
    value: int
    provenance: Provenance
    verified: bool | None = None

    @property
    def what(self) -> Text:
        return _WHAT[self.basis]


def _model_row(ctx: Context, device: Device) -> ModelFacts | None:
    if not device.model:
        return None
    try:
        return ctx.catalog.device_model(device.model, device.vendor)
    except (OSError, ValueError):
        return None


def _measured_capability(device: Device) -> int | None:
    """The port capability the device itself reported (IF-MIB / ENTITY-MIB), not a catalog row's."""
    values = [int(b.value) for b in device.basis
              if b.source == "snmp" and b.value.isdigit() and ("fastest physical port" in b.key or "ENTITY" in b.key)]
    return max(values) if values else None


def _uplink_ports(device: Device) -> set[str]:
    """Ports with an LLDP/CDP neighbour that is a bridge or router (the switch's uplinks and trunks)."""
    return {n.local_port for n in device.lldp_neighbors
            if set(n.enabled_capabilities or n.capabilities) & {"bridge", "router"}}


def access_ports(device: Device) -> tuple[list[Interface], list[Interface]]:
    """(access ports with a known speed, uplink ports): physical ports split by LLDP neighbours and speed.

    Without LLDP, the ports faster than the most common speed count as uplinks (two SFP cages on a 24-port
    switch); ports of the most common speed and slower are the access ports.
    """
    ports = [i for i in device.interfaces if i.physical and i.speed_mbps]
    uplinks = _uplink_ports(device)
    up = [i for i in ports if i.name in uplinks or i.alias in uplinks]
    rest = [i for i in ports if i not in up]
    if rest and not up:
        common = Counter(i.speed_mbps for i in rest).most_common(1)[0][0] or 0
        if sum(1 for i in rest if i.speed_mbps == common) * 2 > len(rest):
            up = [i for i in rest if (i.speed_mbps or 0) > common]
            rest = [i for i in rest if i not in up]
    return rest, up


def known_values(rule: Rule, device: Device, ctx: Context) -> list[Known]:
    row = _model_row(ctx, device)
    out: list[Known] = []
    for name in rule.bases:
        if name == "port_capability":
            measured = _measured_capability(device)
            if measured is not None:
                out.append(Known(name, measured, "measured"))
            cat = row.port_capability_mbps if row is not None else None
            if row is not None and cat and (measured is None or cat > measured):
                out.append(Known(name, cat, row.provenance, row.verified))
        elif name == "port_speed" and device.max_port_speed_mbps:
            out.append(Known(name, int(device.max_port_speed_mbps), "measured"))
        elif name == "throughput" and row is not None and row.throughput_mbps:
            out.append(Known(name, row.throughput_mbps, row.provenance, row.verified))
    return out


def _basis(known: list[Known], device: Device, row: ModelFacts | None) -> tuple[Basis, ...]:
    basis = tuple(Basis(source="snmp" if k.provenance == "measured" else "catalog", key=k.basis, value=str(k.value),
                        note=k.provenance) for k in known)
    if row is not None:
        basis += (row.basis,)
    return basis + tuple(b for b in device.basis if b.source == "snmp")[:6]


def _access(rule: Rule, device: Device, need: float, thr: str, basis: tuple[Basis, ...]) -> Finding | None:
    """The access-port reading for a switch (None when the ports' speeds are not known).

    The access ports' capability is their most common speed (a port that links at 100 Mbit/s to a printer
    does not make a gigabit switch slow; a Fast-Ethernet switch's ports are all 100 Mbit/s, whatever its
    gigabit uplinks can do).
    """
    access, up = access_ports(device)
    if not access:
        return None
    speeds = Counter(i.speed_mbps or 0 for i in access)
    common = max(speeds.items(), key=lambda kv: (kv[1], kv[0]))[0]
    slow = [i for i in access if (i.speed_mbps or 0) < need]
    shown = ", ".join(f"{n}× {mbps(s)}" for s, n in sorted(speeds.items(), key=lambda kv: -kv[0]))
    uplinks = ", ".join(f"{i.name} {mbps(i.speed_mbps)}" for i in up[:4]) or "-"
    basis = (Basis("snmp", "access ports (IF-MIB speed of physical ports without a switch/router neighbour)",
                   shown, f"{len(access)} access ports; most common {common} Mbit/s"),
             Basis("snmp", "uplinks", uplinks, "LLDP/CDP neighbours, or ports faster than the common speed"),
             *basis)
    many = [n for n in device.lldp_neighbors if n.local_port and not n.enabled_capabilities]
    note = T("", "")
    if len({n.local_port for n in many}) < len(many):
        note = T(" Một số cổng có nhiều địa chỉ MAC phía sau: có thể có switch không quản lý, chưa kiểm tra được.",
                 " Some ports have several MACs behind them: an unmanaged switch may sit there and cannot be "
                 "verified.")
    if slow and common >= need:
        note = T(f" {len(slow)} cổng đang chạy chậm hơn (thiết bị phía sau chỉ hỗ trợ tốc độ thấp hơn).{note.vi}",
                 f" {len(slow)} port(s) currently link slower (the device behind them negotiates less).{note.en}")
    if common < need:
        return Finding(rule.id, device.ip, Status.FAIL, f"access ports {mbps(common)} ({len(slow)}/{len(access)} "
                       f"< {mbps(need)})", thr, basis, provenance="measured",
                       reason=T(f"{label(device)}: cổng truy cập chạy {mbps(common)} ({len(slow)}/{len(access)} cổng "
                                f"chậm hơn {mbps(need)}: {shown}); cổng uplink: {uplinks}.{note.vi}",
                                f"{label(device)}: access ports run at {mbps(common)} ({len(slow)}/{len(access)} "
                                f"ports below {mbps(need)}: {shown}); uplinks: {uplinks}.{note.en}"),
                       remedy=T(f"Thay {label(device)} bằng switch có mọi cổng truy cập ≥ {speed_class(need)}.",
                                f"Replace {label(device)} with a switch whose access ports are all "
                                f"≥ {speed_class(need)}."))
    return Finding(rule.id, device.ip, Status.PASS, f"access ports {mbps(common)}", thr, basis,
                   provenance="measured",
                   reason=T(f"{label(device)}: cổng truy cập {mbps(common)} ≥ {mbps(need)} ({shown}); uplink: "
                            f"{uplinks}.{note.vi}",
                            f"{label(device)}: access ports {mbps(common)} ≥ {mbps(need)} ({shown}); uplinks: "
                            f"{uplinks}.{note.en}"))


def judge(rule: Rule, device: Device, ctx: Context) -> Finding:
    need = rule.number
    thr = f"≥ {mbps(need)}"
    known = known_values(rule, device, ctx)
    basis = _basis(known, device, _model_row(ctx, device))
    if rule.applies_to == "switch" and "access_ports" in rule.bases:
        found = _access(rule, device, need, thr, basis)
        if found is not None:
            return found
    passing = [k for k in known if k.value >= need]
    if passing:
        best = min(passing, key=lambda k: (k.provenance != "measured", -k.value))
        return Finding(rule.id, device.ip, Status.PASS, f"{mbps(best.value)} ({best.what.en})", thr, basis,
                       provenance=best.provenance, verified=best.verified,
                       reason=T(f"{label(device)}: {best.what.vi} {mbps(best.value)} ≥ {mbps(need)}.",
                                f"{label(device)}: {best.what.en} {mbps(best.value)} ≥ {mbps(need)}."))
    strong = [k for k in known if k.basis != "port_speed"]
    if not strong and known and "port_speed" in rule.bases and list(rule.bases) != ["port_speed"]:
        value = known[0].value
        model = device.model or device.sys_object_id or device.ip
        return Finding(rule.id, device.ip, Status.UNKNOWN, f"{mbps(value)} (negotiated)", thr, basis,
                       reason=T(f"{label(device)} đang chạy ở {mbps(value)} nhưng chưa biết khả năng tối đa của cổng.",
                                f"{label(device)} runs at {mbps(value)} but the ports' maximum capability is unknown."),
                       remedy=T(f"Thêm mẫu {model} vào config/catalog/ (kèm nguồn) để biết cổng/thông lượng tối đa.",
                                f"Add model {model} to config/catalog/ (with a source) so its maximum port "
                                "speed/throughput is known."))
    if not known:
        why, fix = snmp_unknown(device, T("tốc độ cổng", "port speeds"))
        return Finding(rule.id, device.ip, Status.UNKNOWN, None, thr, basis, why, fix)
    best = max(known, key=lambda k: k.value)
    model = device.model or device.ip
    kind = T("router", "router") if rule.applies_to == "router" else T("switch", "switch")
    return Finding(rule.id, device.ip, Status.FAIL, f"{mbps(best.value)} ({best.what.en})", thr, basis,
                   provenance=best.provenance, verified=best.verified,
                   reason=T(f"{label(device)}: {best.what.vi} tối đa {mbps(best.value)} < {mbps(need)}.",
                            f"{label(device)}: best {best.what.en} {mbps(best.value)} < {mbps(need)}."),
                   remedy=T(f"{model} chỉ đạt {mbps(best.value)}: thay bằng {kind.vi} có cổng hoặc thông lượng "
                            f"≥ {speed_class(need)}.",
                            f"{model} tops out at {mbps(best.value)}: replace it with a {kind.en} with a port or "
                            f"throughput of at least {speed_class(need)}."))


def subjects(rule: Rule, ctx: Context) -> list[Finding]:
    return [judge(rule, d, ctx) for d in ctx.inputs.devices if d.role in _ROLES[rule.applies_to]]


def upgrade(rule: Rule, finding: Finding) -> Text:
    return T("Bật SNMP đọc IF-MIB/ENTITY-MIB trên thiết bị để tốc độ cổng được đo trực tiếp.",
             "Enable SNMP read access to IF-MIB/ENTITY-MIB on the device so its port speeds are measured directly.")


register(Metric("capacity_mbps", subjects, upgrade=upgrade))
__all__ = ["NONE_FOUND", "access_ports", "judge"]
