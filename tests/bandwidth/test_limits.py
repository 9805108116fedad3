"""Know the limits: NIC-capped, Wi-Fi, CPU and method limits make the verdict unknown; impossible results are
rejected."""

from __future__ import annotations

from agent.model import Address, BandwidthResult, Host, Nic
from probes.bandwidth import limits
from probes.bandwidth.limits import LocalLink


def _r(mbps: float | None, **kw: object) -> BandwidthResult:
    return BandwidthResult(engine="http", server="http://x", direction="download", mbps=mbps,
                           confidence="medium", **kw)  # type: ignore[arg-type]


WIRED_100 = LocalLink("eth0", "wired", 100, 1500, 4)
WIRED_1G = LocalLink("eth0", "wired", 1000, 1500, 4)
WIFI = LocalLink("wlan0", "wireless", None, 1500, 4)
VETH = LocalLink("veth0", "virtual", 10000, 1500, 2)


def test_nic_capped_result_is_limited_not_failed() -> None:
    out = limits.apply(_r(94.0), WIRED_100)
    assert out.limited_by == "nic"
    assert out.mbps == 94.0 and out.local_link_mbps == 100
    assert any("measured 94 Mbit/s on a 100 Mbit/s NIC (eth0): the Internet line cannot be judged" in w
               for w in out.warnings)
    assert out.confidence == "low"


def test_slow_result_on_slow_nic_is_not_nic_limited() -> None:
    out = limits.apply(_r(30.0), WIRED_100)  # far below what the NIC carries: the bottleneck is elsewhere
    assert out.limited_by is None


def test_result_above_local_link_is_rejected() -> None:
    out = limits.apply(_r(3313.0), WIRED_1G)
    assert out.mbps is None and out.confidence == "none"
    assert out.error and "measurement fault" in out.error and "3313" in out.error


def test_result_just_at_ceiling_is_kept() -> None:
    out = limits.apply(_r(945.0), WIRED_1G)  # within 3 % above the 941 ceiling: measurement noise
    assert out.mbps == 945.0 and out.error is None and out.limited_by is None
    assert out.line_rate_mbps is not None and abs(out.line_rate_mbps - 1003.8) < 0.2


def test_wifi_below_threshold_is_limited() -> None:
    assert limits.apply(_r(400.0), WIFI).limited_by == "wifi"
    assert limits.apply(_r(920.0), WIFI).limited_by is None  # a pass over Wi-Fi still shows the line


def test_cpu_and_method_limits_only_matter_below_threshold() -> None:
    assert limits.apply(_r(600.0, limited_by="cpu"), WIRED_1G).limited_by == "cpu"
    assert limits.apply(_r(930.0, limited_by="cpu"), WIRED_1G).limited_by is None
    assert limits.apply(_r(600.0, limited_by="method"), WIRED_1G).limited_by == "method"
    assert limits.apply(_r(930.0, limited_by="burst"), WIRED_1G).limited_by == "burst"  # a burst is never a rate


def test_virtual_link_speed_is_no_ceiling() -> None:
    out = limits.apply(_r(20000.0), VETH)
    assert out.mbps == 20000.0 and out.error is None


def test_target_changes_threshold() -> None:
    assert limits.apply(_r(94.0), WIRED_100, target_mbps=100).limited_by is None  # 94 >= 0.97 x 94.1


def test_errors_pass_through() -> None:
    out = limits.apply(BandwidthResult(engine="http", server="", direction="upload", mbps=None, error="x"), WIRED_1G)
    assert out.error == "x" and out.local_link_mbps == 1000


def test_precheck_messages() -> None:
    assert any(w.startswith("nic-slow:") for w in limits.precheck(WIRED_100))
    assert not limits.precheck(WIRED_1G)
    assert any(w.startswith("wifi:") for w in limits.precheck(WIFI))
    assert any(w.startswith("cpu-small:") for w in limits.precheck(LocalLink("eth0", "wired", 1000, 1500, 1)))


def test_cpu_bound() -> None:
    assert limits.cpu_bound(1.8, None, 2.0, 1)
    assert not limits.cpu_bound(0.5, 0.3, 2.0, 2)
    assert limits.cpu_bound(0.5, 0.97, 2.0, 2)


def test_local_link_uses_host_model_for_loopback_route() -> None:
    host = Host(hostname="t", cpu_count=8, nics=(
        Nic(name="lo", kind="loopback", is_up=True, addresses=(Address("ipv4", "127.0.0.1", 8),)),
    ))
    link = limits.local_link("127.0.0.1", 80, host)
    assert link.nic == "lo" and link.kind == "loopback" and link.cpu_count == 8
    assert link.ceiling_mbps is None


def test_local_link_without_host_uses_psutil() -> None:
    link = limits.local_link("127.0.0.1", 80)
    assert link.nic == "lo" and link.kind == "loopback"
