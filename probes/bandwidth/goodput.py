"""Line rate <-> TCP goodput arithmetic, and the pass tolerance.

A "1 Gbit/s" Ethernet line carries at most ``rate x (MTU - 52) / (MTU + 38)`` of TCP payload with IPv4 and
TCP timestamps: 1448 payload bytes per 1538 bytes on the wire (preamble 8 + header 14 + FCS 4 + gap 12 = 38
bytes of framing; IPv4 20 + TCP 20 + timestamps 12 = 52 bytes of headers). That is 941 Mbit/s for 1 GbE and
9.41 Gbit/s for 10 GbE at MTU 1500. A Linux ``tbf`` qdisc on a veth counts only the 14-byte L2 header, so the
goodput through it is ``rate x 1448 / 1514`` = 0.956 x rate.
"""

from __future__ import annotations

ETH_FRAMING = 38  # preamble + SFD 8, header 14, FCS 4, inter-frame gap 12
L2_HEADER = 14
IPV4_TCP_TS = 52  # IPv4 20 + TCP 20 + timestamp option 12
IPV6_TCP_TS = 72  # IPv6 40 + TCP 20 + timestamp option 12
DEFAULT_MTU = 1500
DEFAULT_TOLERANCE = 0.97  # pass when the median goodput >= 97 % of the goodput ceiling


def _headers(ipv6: bool, timestamps: bool) -> int:
    return (IPV6_TCP_TS if ipv6 else IPV4_TCP_TS) - (0 if timestamps else 12)


def goodput_factor(mtu: int = DEFAULT_MTU, *, ipv6: bool = False, timestamps: bool = True) -> float:
    """TCP payload per byte of Ethernet wire time (0.9415 at MTU 1500, IPv4, timestamps)."""
    if mtu < 576:
        raise ValueError(f"MTU {mtu} is below the IPv4 minimum of 576")
    return (mtu - _headers(ipv6, timestamps)) / (mtu + ETH_FRAMING)


def goodput_ceiling(
    line_rate_mbps: float, mtu: int = DEFAULT_MTU, *, ipv6: bool = False, timestamps: bool = True
) -> float:
    """The most TCP goodput (Mbit/s) a line of ``line_rate_mbps`` can carry: 941.5 for 1000 at MTU 1500."""
    return line_rate_mbps * goodput_factor(mtu, ipv6=ipv6, timestamps=timestamps)


def line_rate(goodput_mbps: float, mtu: int = DEFAULT_MTU, *, ipv6: bool = False, timestamps: bool = True) -> float:
    """The Ethernet line rate a measured goodput implies: goodput x (MTU + 38) / (MTU - 52)."""
    return goodput_mbps / goodput_factor(mtu, ipv6=ipv6, timestamps=timestamps)


def tbf_goodput(rate_mbps: float, mtu: int = DEFAULT_MTU) -> float:
    """Expected TCP goodput through ``tc tbf rate R`` on a veth: R x (MTU - 52) / (MTU + 14) = 0.956 x R."""
    return rate_mbps * (mtu - IPV4_TCP_TS) / (mtu + L2_HEADER)


def pass_threshold(nominal_mbps: float, tolerance: float = DEFAULT_TOLERANCE, mtu: int = DEFAULT_MTU) -> float:
    """The median goodput a line of ``nominal_mbps`` must reach to pass: 0.97 x 941.5 = 913 for 1 Gbit/s."""
    if not 0 < tolerance <= 1:
        raise ValueError(f"tolerance {tolerance} must be in (0, 1]")
    return tolerance * goodput_ceiling(nominal_mbps, mtu)


def meets(
    median_mbps: float | None, nominal_mbps: float, tolerance: float = DEFAULT_TOLERANCE, mtu: int = DEFAULT_MTU
) -> bool | None:
    """Whether a measured median goodput shows a line of ``nominal_mbps``; None when nothing was measured."""
    if median_mbps is None:
        return None
    return median_mbps >= pass_threshold(nominal_mbps, tolerance, mtu)


def within(value: float, reference: float, tolerance: float = 0.03) -> bool:
    """True when ``value`` is within +-``tolerance`` (relative) of ``reference``."""
    return reference > 0 and abs(value - reference) <= tolerance * reference
