"""Liveness by ARP: who answers on each directly attached subnet, at a bounded packet rate (scapy).

ARP needs raw sockets (CAP_NET_RAW). Without them the sweep says so and discovery goes on with
SNMP alone. Packets are spaced at ``1 / rate_pps`` seconds; replies are matched by scapy's ``srp``.
Only addresses on this machine's own links are asked (ARP does not cross routers).

Discovery runs the sweep in a child process (:func:`arp_sweep_async`): scapy handles every packet on
the interface in Python, which in a thread would slow the SNMP sweep. ``python -m probes.arp IFACE RATE
IP...`` runs one sweep and prints JSON (also used by tests inside network namespaces).
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from agent.model import Text


@dataclass
class ArpResult:
    available: bool
    hosts: dict[str, str] = field(default_factory=dict)  # ip -> MAC (aa:bb:cc:dd:ee:ff)
    sent: int = 0
    note: Text | None = None
    errors: list[str] = field(default_factory=list)


NO_RAW = Text(
    "Không có quyền CAP_NET_RAW nên không quét ARP được; tiếp tục chỉ với SNMP (chạy bằng root hoặc cấp "
    "quyền: setcap cap_net_raw+ep cho trình thông dịch Python).",
    "No CAP_NET_RAW, so no ARP sweep; continuing with SNMP only (run as root or grant cap_net_raw to the "
    "Python interpreter).",
)


def can_raw() -> bool:
    """True when this process may open raw packet sockets (CAP_NET_RAW)."""
    family = getattr(socket, "AF_PACKET", None)
    if family is None:
        return False
    try:
        sock = socket.socket(family, socket.SOCK_RAW, socket.htons(0x0806))
    except OSError:
        return False
    sock.close()
    return True


def arp_sweep(by_iface: Mapping[str, Sequence[str]], *, rate_pps: int = 200, timeout_s: float = 1.0) -> ArpResult:
    """ARP every address on its interface, at most ``rate_pps`` requests per second in total."""
    if not by_iface:
        return ArpResult(available=True)
    if not can_raw():
        return ArpResult(available=False, note=NO_RAW)
    from scapy.layers.l2 import ARP, Ether
    from scapy.sendrecv import srp

    result = ArpResult(available=True)
    interval = 1.0 / max(1, rate_pps)
    for iface, ips in by_iface.items():
        if not ips:
            continue
        packets = [Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=ip) for ip in ips]
        try:
            answered, _ = srp(packets, iface=iface, timeout=timeout_s, inter=interval, verbose=0, retry=0)
        except (OSError, ValueError) as exc:
            result.errors.append(f"ARP on {iface}: {exc}")
            continue
        result.sent += len(packets)
        wanted = set(ips)
        for _sent, reply in answered:
            ip = str(reply[ARP].psrc)
            if ip in wanted:
                result.hosts[ip] = str(reply[ARP].hwsrc).lower()
    return result


async def arp_sweep_async(
    by_iface: Mapping[str, Sequence[str]], *, rate_pps: int = 200, timeout_s: float = 1.0
) -> ArpResult:
    """:func:`arp_sweep` in a child process, so scapy's packet handling does not slow the SNMP sweep
    (it would hold the interpreter lock in a thread) and can use another CPU core."""
    import asyncio

    if not by_iface or not any(by_iface.values()):
        return ArpResult(available=True)
    if not can_raw():
        return ArpResult(available=False, note=NO_RAW)
    request = json.dumps(
        {"by_iface": {k: list(v) for k, v in by_iface.items()}, "rate": rate_pps, "timeout": timeout_s}
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "probes.arp",
        "-",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate(request.encode())
    try:
        data = json.loads(out.decode())
    except ValueError:
        tail = err.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        return ArpResult(available=True, errors=[f"ARP sweep failed: {tail[0]}"])
    note = Text(**data["note"]) if data.get("note") else None
    return ArpResult(data["available"], data["hosts"], data["sent"], note, data["errors"])


def main(argv: Sequence[str]) -> int:
    if argv == ["-"]:
        request = json.load(sys.stdin)
        result = arp_sweep(request["by_iface"], rate_pps=int(request["rate"]), timeout_s=float(request["timeout"]))
        json.dump(asdict(result), sys.stdout)
        sys.stdout.write("\n")
        return 0
    if len(argv) < 3:
        print(
            "usage: python -m probes.arp IFACE RATE_PPS IP...  |  python -m probes.arp - < request.json",
            file=sys.stderr,
        )
        return 2
    iface, rate, ips = argv[0], int(argv[1]), list(argv[2:])
    result = arp_sweep({iface: ips}, rate_pps=rate)
    out = asdict(result)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
