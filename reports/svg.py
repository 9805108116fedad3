"""Inline SVG pictures for the report: the LLDP/CDP topology and the bandwidth chart."""

from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from agent.model import BandwidthResult, Device, EvidenceBundle, Role
from reports.i18n import ROLE, label, pick

ROLE_COLOUR = {
    "router": "#1f4e79", "firewall": "#7b2d26", "switch": "#2e6b3a", "access_point": "#8a5a00",
    "wireless_controller": "#8a5a00", "printer": "#555555", "other": "#555555", "unknown": "#777777",
}
WIDTH = 680
MAX_NODES = 40
INFRA_ROLES = {"router", "firewall", "switch", "wireless_controller"}
SHORT_ROLE = {**ROLE, "access_point": ("AP", "AP"), "wireless_controller": ("WLC", "WLC")}


@dataclass
class Node:
    key: str
    title: str
    sub: str
    role: str
    known: bool = True
    level: int = 0
    x: float = 0.0
    y: float = 0.0


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)


def _mac(text: str | None) -> str:
    digits = re.sub(r"[^0-9a-f]", "", (text or "").lower())
    return digits if len(digits) == 12 else ""


def _resolve(devices: list[Device], mgmt: str | None, name: str, chassis: str) -> Device | None:
    for d in devices:
        if mgmt and d.ip == mgmt:
            return d
    for d in devices:
        if name and d.sys_name and d.sys_name.casefold() == name.casefold():
            return d
    mac = _mac(chassis)
    if mac:
        for d in devices:
            if mac in {_mac(d.mac), *(_mac(i.mac) for i in d.interfaces)}:
                return d
    return None


_PORT_ABBREVIATIONS = (
    (r"(?i)^hundredgig\w*?ethernet\s*", "Hu"), (r"(?i)^fortygig\w*?ethernet\s*", "Fo"),
    (r"(?i)^twentyfivegig\w*?ethernet\s*", "Twe"), (r"(?i)^tengig\w*?ethernet\s*", "Te"),
    (r"(?i)^gigabit\s*ethernet\s*", "Gi"), (r"(?i)^fast\s*ethernet\s*", "Fa"), (r"(?i)^ethernet\s*", "Eth"),
)


def port_name(text: str) -> str:
    """Short interface names as network people write them: gigabitEthernet 1/0/11 -> Gi1/0/11."""
    for pattern, short in _PORT_ABBREVIATIONS:
        new = re.sub(pattern, short, text.strip())
        if new != text.strip():
            return new
    return text.strip()


def _short(text: str, n: int = 20) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def graph(bundle: EvidenceBundle) -> Graph:
    """Devices and the links their LLDP/CDP neighbour tables describe."""
    g = Graph()
    devices = list(bundle.devices)

    def node_for(d: Device) -> str:
        if d.ip not in g.nodes:
            g.nodes[d.ip] = Node(d.ip, _short(d.model or d.sys_name or d.ip), d.ip, d.role.value)
        return d.ip

    for d in devices:
        for n in d.lldp_neighbors:
            other = _resolve(devices, n.remote_mgmt_address, n.remote_system_name, n.remote_chassis_id)
            a = node_for(d)
            if other is not None:
                b = node_for(other)
            else:
                b = "n:" + (n.remote_system_name or n.remote_chassis_id or n.remote_mgmt_address or "?")
                if b not in g.nodes:
                    caps = set(n.enabled_capabilities or n.capabilities)
                    role = ("router" if "router" in caps else "access_point" if "wlanAccessPoint" in caps
                            else "switch" if "bridge" in caps else "unknown")
                    g.nodes[b] = Node(b, _short(n.remote_system_name or n.remote_chassis_id or "?"),
                                      n.remote_mgmt_address or "", role, known=False)
            if a == b:
                continue
            ports = g.edges.setdefault((a, b) if a < b else (b, a), {})
            if n.local_port:
                ports.setdefault(a, _short(port_name(n.local_port), 14))
            remote = n.remote_port or n.remote_port_description
            if remote and b.startswith("n:"):
                ports.setdefault(b, _short(port_name(remote), 14))
    return g


def _layout(g: Graph) -> tuple[float, float]:
    adj: dict[str, list[str]] = {k: [] for k in g.nodes}
    for a, b in g.edges:
        adj[a].append(b)
        adj[b].append(a)
    routers = [k for k, n in g.nodes.items() if n.role in (Role.ROUTER.value, Role.FIREWALL.value) and n.known]
    order = sorted(g.nodes, key=lambda k: (-len(adj[k]), k))
    root = max(routers, key=lambda k: len(adj[k])) if routers else (order[0] if order else None)
    levels: dict[str, int] = {}
    rows: list[list[str]] = []
    for start in ([root] if root else []) + order:
        if start in levels:
            continue
        base = len(rows)
        levels[start] = base
        queue = deque([start])
        while queue:
            k = queue.popleft()
            for nb in sorted(adj[k]):
                if nb not in levels:
                    levels[nb] = levels[k] + 1
                    queue.append(nb)
        for k, lv in levels.items():
            while len(rows) <= lv:
                rows.append([])
            if k not in rows[lv]:
                rows[lv].append(k)
    # wrap wide rows
    wrapped: list[list[str]] = []
    for row in rows:
        for i in range(0, len(row), 5):
            wrapped.append(row[i : i + 5])
    y = 30.0
    for row in wrapped:
        step = WIDTH / (len(row) + 1)
        for i, k in enumerate(row):
            g.nodes[k].x, g.nodes[k].y = step * (i + 1), y
        y += 90
    return WIDTH, y - 90 + 21


def topology(bundle: EvidenceBundle, lang: str) -> tuple[Markup | None, int]:
    """(the SVG, how many devices have no LLDP link); None when there is nothing to draw."""
    g = graph(bundle)
    if not g.edges:
        return None, len(bundle.devices)
    linked = {k for e in g.edges for k in e}
    if len(linked) > MAX_NODES:  # a big campus: draw the infrastructure only
        infra = {k for k in linked if g.nodes[k].role in INFRA_ROLES}
        g.edges = {e: p for e, p in g.edges.items() if e[0] in infra and e[1] in infra}
        linked = {k for e in g.edges for k in e}
        if not g.edges or len(linked) > MAX_NODES:
            return None, len(bundle.devices)
    g.nodes = {k: n for k, n in g.nodes.items() if k in linked}
    width, height = _layout(g)
    bw, bh = 132, 42
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height + 8:.0f}" '
           f'width="100%" style="max-height:120mm" role="img" aria-label="{escape(label("topology", lang))}" '
           'class="topology">']
    for (a, b), ports in g.edges.items():
        na, nb = g.nodes[a], g.nodes[b]
        top, bottom = (na, nb) if na.y <= nb.y else (nb, na)
        x1, y1, x2, y2 = top.x, top.y + bh / 2, bottom.x, bottom.y - bh / 2
        if top.y == bottom.y:
            x1, y1, x2, y2 = top.x, top.y, bottom.x, bottom.y
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#888" stroke-width="1.5"/>')
        for key, port in ports.items():
            f = 0.45 if g.nodes[key] is top else 0.8
            mx, my = x1 + (x2 - x1) * f, y1 + (y2 - y1) * f + 3
            out.append(f'<text x="{mx + 4:.1f}" y="{my:.1f}" font-size="8" fill="#555">{escape(port)}</text>')
    for n in g.nodes.values():
        colour = ROLE_COLOUR.get(n.role, "#777")
        dash = "" if n.known else ' stroke-dasharray="4 3"'
        fill = "#ffffff" if n.known else "#f4f4f4"
        out.append(f'<rect x="{n.x - bw / 2:.1f}" y="{n.y - bh / 2:.1f}" width="{bw}" height="{bh}" rx="5" '
                   f'fill="{fill}" stroke="{colour}" stroke-width="2"{dash}/>')
        out.append(f'<rect x="{n.x - bw / 2:.1f}" y="{n.y - bh / 2:.1f}" width="6" height="{bh}" rx="2" '
                   f'fill="{colour}"/>')
        out.append(f'<text x="{n.x + 3:.1f}" y="{n.y - 4:.1f}" font-size="10" font-weight="bold" '
                   f'text-anchor="middle" fill="#111">{escape(n.title)}</text>')
        role = pick(SHORT_ROLE.get(n.role, ROLE["unknown"]), lang)
        sub = f"{n.sub} · {role}" if n.sub else role
        out.append(f'<text x="{n.x + 3:.1f}" y="{n.y + 10:.1f}" font-size="8" text-anchor="middle" '
                   f'fill="#333">{escape(_short(sub, 26))}</text>')
    out.append("</svg>")
    return Markup("".join(out)), len(bundle.devices) - len([k for k in linked if not k.startswith("n:")])


def _number(text: str | None) -> float | None:
    m = re.search(r"(\d[\d ]*(?:\.\d+)?)", text or "")
    return float(m.group(1).replace(" ", "")) if m else None


def _nice_step(raw: float) -> float:
    """A round tick step (1, 2, 2.5 or 5 x 10^k) at least ``raw``."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def pass_line(bundle: EvidenceBundle) -> float | None:
    """The goodput an Internet criterion requires (from its school-level finding)."""
    internet = {c.id for c in bundle.criteria if c.applies_to == "internet"}
    for f in bundle.findings:
        if f.criterion_id in internet and f.subject == "school" and f.threshold and "goodput" in f.threshold:
            return _number(f.threshold)
    return None


def bandwidth_chart(bundle: EvidenceBundle, lang: str) -> Markup | None:
    """Horizontal bars per measurement (median, p10–p90 whisker) with the pass line."""
    results: list[BandwidthResult] = [r for r in bundle.measurements if r.mbps is not None]
    if not results:
        return None
    line = pass_line(bundle)
    step = _nice_step(max([r.p90_mbps or r.mbps or 0.0 for r in results] + [line or 0.0]) * 1.08 / 5)
    ticks = 5
    while step * ticks < max([r.p90_mbps or r.mbps or 0.0 for r in results] + [line or 0.0]) * 1.04:
        ticks += 1
    top = step * ticks
    left, right, bar, gap = 190, 20, 18, 10
    plot = WIDTH - left - right
    height = 30 + len(results) * (bar + gap) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
           f'aria-label="{escape(label("bandwidth", lang))}" class="chart">']
    for i in range(ticks + 1):  # grid
        v = step * i
        x = left + plot * i / ticks
        out.append(f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height - 25}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 10}" font-size="9" text-anchor="middle" fill="#555">'
                   f'{v:,.0f}</text>'.replace(",", " "))
    out.append(f'<text x="{WIDTH - right}" y="12" font-size="9" text-anchor="end" fill="#555">Mbit/s</text>')
    for i, r in enumerate(results):
        y = 24 + i * (bar + gap)
        colour = "#2f6fa7" if r.direction == "download" else "#3c9a8f"
        name = f"{r.engine} · {label(r.direction, lang)}"
        out.append(f'<text x="{left - 6}" y="{y + bar / 2 + 3:.1f}" font-size="9" text-anchor="end" fill="#222">'
                   f'{escape(name)}</text>')
        w = plot * (r.mbps or 0.0) / top
        opacity = "0.45" if r.limited_by or r.error else "1"
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}" opacity="{opacity}"/>')
        if r.p10_mbps is not None and r.p90_mbps is not None:
            x1, x2 = left + plot * r.p10_mbps / top, left + plot * r.p90_mbps / top
            cy = y + bar / 2
            out.append(f'<line x1="{x1:.1f}" y1="{cy}" x2="{x2:.1f}" y2="{cy}" stroke="#111" stroke-width="1"/>'
                       f'<line x1="{x1:.1f}" y1="{cy - 4}" x2="{x1:.1f}" y2="{cy + 4}" stroke="#111"/>'
                       f'<line x1="{x2:.1f}" y1="{cy - 4}" x2="{x2:.1f}" y2="{cy + 4}" stroke="#111"/>')
        if w > 40:
            out.append(f'<text x="{left + 5}" y="{y + bar - 5}" font-size="9" font-weight="bold" fill="#fff">'
                       f'{(r.mbps or 0):.0f}</text>')
        else:
            out.append(f'<text x="{left + w + 4:.1f}" y="{y + bar - 5}" font-size="9" fill="#111">'
                       f'{(r.mbps or 0):.0f}</text>')
    if line:
        x = left + plot * line / top
        out.append(f'<line x1="{x:.1f}" y1="16" x2="{x:.1f}" y2="{height - 25}" stroke="#b3261e" '
                   f'stroke-width="1.5" stroke-dasharray="5 3"/>')
        out.append(f'<text x="{x - 4:.1f}" y="14" font-size="9" text-anchor="end" fill="#b3261e">'
                   f'{escape(label("pass_line", lang))} {line:.0f}</text>')
    out.append("</svg>")
    return Markup("".join(out))
