"""The Internet test measures the Internet: speedtest.net first, the district's server as a labelled second opinion,
every result naming its server, its network and its role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agent.config import parse
from probes.bandwidth import DISTRICT_NETWORK, measure, targets_for
from probes.bandwidth import server as srv


@pytest.fixture()
def local_server() -> Iterator[str]:
    running = srv.start(["127.0.0.1:0"])
    yield "http://{}:{}".format(*running.addresses[0])
    running.stop()


def test_default_order_is_the_internet_first_then_the_district() -> None:
    config = parse({})
    assert config.bandwidth.engines == ["speedtest", "http"]
    assert config.bandwidth.speedtest_servers == 3
    (st,) = targets_for(config, "speedtest")
    assert (st.server, st.count, st.role) == ("", 3, "internet")  # the 3 nearest speedtest.net servers


def test_district_fallback_is_a_second_opinion() -> None:
    config = parse({"district": {"url": "https://cds.pgd.example.vn"}})
    (http,) = targets_for(config, "http")
    assert http.server == "https://cds.pgd.example.vn/speed"
    assert (http.role, http.network) == ("district", DISTRICT_NETWORK)
    assert "not the Internet" in http.network


def test_configured_servers_keep_their_role_and_network() -> None:
    config = parse({"bandwidth": {"speedtest_servers": 5, "servers": [
        {"engine": "http", "url": "https://speed.sgddt.example.vn", "role": "internet", "network": "VNPT (IDC)"},
        {"engine": "iperf3", "host": "iperf.pgd.example.vn"},
        {"engine": "speedtest", "server_id": "9903"},
        {"engine": "speedtest"},
    ]}})
    (http,) = targets_for(config, "http")
    assert (http.role, http.network) == ("internet", "VNPT (IDC)")
    (iperf,) = targets_for(config, "iperf3")
    assert iperf.role == "district"
    one, nearest = targets_for(config, "speedtest")
    assert (one.server, one.count, one.role) == ("9903", 1, "internet")  # a fixed id: that one server
    assert (nearest.server, nearest.count) == ("", 5)


def test_bad_role_is_a_one_line_config_error() -> None:
    from agent.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        parse({"bandwidth": {"servers": [{"engine": "http", "url": "http://x", "role": "isp"}]}})
    assert len(info.value.problems) == 1 and "bandwidth.servers[0].role" in info.value.problems[0]


def test_results_carry_role_and_network(local_server: str) -> None:
    config = parse({"bandwidth": {"engines": ["http"], "duration_s": 1, "streams": 2, "servers": [
        {"engine": "http", "url": local_server, "name": "district LibreSpeed"}]}})
    results = measure(config, None, None, directions=("download",))
    assert len(results) == 1
    (r,) = results
    assert r.error is None and r.mbps is not None and r.mbps > 0
    assert (r.server, r.role, r.network) == (local_server, "district", DISTRICT_NETWORK)


def test_an_engine_that_cannot_run_still_says_its_role() -> None:
    config = parse({"bandwidth": {"engines": ["http"]}})  # no server and no district: nothing to measure
    results = measure(config, None, None)
    assert [r.direction for r in results] == ["download", "upload"]
    assert all(r.error and "no server configured" in r.error and r.role == "district" for r in results)
