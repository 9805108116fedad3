"""Robustness: a misbehaving SNMP agent ends as data on that device; the run goes on; work stays bounded."""

from __future__ import annotations

import asyncio

import pytest

from agent.config import SnmpCredential
from probes.snmp.client import Limits, SnmpClient
from probes.snmp.inspect import inspect_session

from .badagent import OK_MIB, BadAgent, addresses
from .conftest import free_udp_port

CRED = SnmpCredential(version="2c", community="whatever")


def inspect(mode: str, *, limits: Limits | None = None, budget_s: float = 5.0, timeout_s: float = 0.3):
    port = free_udp_port()
    modes = addresses([mode])
    (ip,) = modes

    async def go():
        async with SnmpClient(timeout_s=timeout_s, retries=0, limits=limits) as client:
            session = await client.session(ip, port, CRED)
            return await inspect_session(client, session, budget_s=budget_s, extras=False), session

    with BadAgent(modes, port) as agent:
        result, session = asyncio.run(go())
        return result, session, agent.counts[ip]


def test_good_agent_is_read_completely():
    result, _session, _count = inspect("ok")
    assert result.complete and not result.errors
    assert set(OK_MIB) <= set(result.data.values)
    assert result.data.get("1.3.6.1.2.1.31.1.1.1.15.2") == 1000
    assert result.data.get("1.3.6.1.2.1.1.1.0") == "BadAgent test device"


def test_oids_that_do_not_increase_end_the_walk():
    result, _session, count = inspect("loop")
    assert not result.complete
    assert any("OID not increasing" in e for e in result.errors)
    assert count < 40  # each walk stops at its first reply


def test_endless_table_stops_at_the_row_limit_with_bounded_memory():
    limits = Limits(max_rows=300, max_device_varbinds=2000, max_varbinds_per_pdu=60)
    result, session, _count = inspect("endless", limits=limits, budget_s=30)
    assert not result.complete
    assert any("row limit (300)" in e or "variable limit" in e for e in result.errors)
    assert session.varbinds_total <= limits.max_device_varbinds
    assert len(result.data) <= limits.max_device_varbinds + 10  # + the GET


def test_endless_table_stops_at_the_time_budget():
    result, _session, _count = inspect("endless", budget_s=1.0)
    assert not result.complete
    assert any("time budget" in e or "limit" in e for e in result.errors)


def test_wrong_value_types_are_kept_as_data():
    result, _session, _count = inspect("types")
    assert not result.complete  # reported, not hidden
    assert any("wrong value type for sysObjectID" in e for e in result.errors)
    assert any("wrong value type for ifHighSpeed (2 of 2)" in e for e in result.errors)
    data = result.data
    assert data.get("1.3.6.1.2.1.1.1.0") == 42  # sysDescr sent as an INTEGER
    assert isinstance(data.get("1.3.6.1.2.1.1.2.0"), bytes)  # sysObjectID sent as an OCTET STRING
    assert data.get("1.3.6.1.2.1.31.1.1.1.15.1") == "fast"
    assert data.get("1.3.6.1.2.1.2.2.1.8.1") == "1.2.3.4"


def test_toobig_shrinks_the_requests_until_they_pass():
    result, session, _count = inspect("toobig")
    assert result.complete, result.errors
    assert set(OK_MIB) <= set(result.data.values)
    assert not session.bulk and session.max_columns == 1


def test_silence_in_the_middle_of_a_walk_is_partial_with_the_reason():
    result, session, _count = inspect("silent")
    assert not result.complete and session.dead
    assert any("stopped answering" in e for e in result.errors)
    assert result.data.get("1.3.6.1.2.1.1.2.0") == "1.3.6.1.4.1.99999.1"  # what came before is kept


def test_malformed_replies_lose_only_the_walks():
    result, session, _count = inspect("malformed")
    assert not result.complete and not session.dead
    assert any("although the device answers other requests" in e for e in result.errors)


def test_garbage_only_is_a_timeout():
    result, _session, _count = inspect("garbage")
    assert result.outcome == "timeout" and len(result.data) == 0


@pytest.mark.parametrize("budget", [2.0])
def test_discovery_goes_on_past_every_bad_agent(budget):
    """One discovery over all the bad agents: each becomes data on its own device, the good one is whole."""
    from agent.config import Config
    from probes.discovery import discover

    port = free_udp_port()
    modes = addresses(["ok", "loop", "endless", "types", "toobig", "silent", "malformed", "garbage"])
    by_mode = {m: ip for ip, m in modes.items()}
    config = Config.model_validate(
        {
            "scan": {"snmp_port": port, "snmp_timeout_s": 0.3, "snmp_retries": 0, "device_budget_s": budget,
                     "arp": False, "follow_lldp": False},
            "snmp": {"credentials": [{"version": "2c", "community": "whatever"}]},
        }
    )
    with BadAgent(modes, port):
        result = asyncio.run(discover(config, addresses=list(modes)))
    devices = {d.ip: d for d in result.devices}
    assert by_mode["garbage"] not in devices
    assert devices[by_mode["ok"]].snmp_status == "ok"
    assert devices[by_mode["ok"]].sys_object_id == "1.3.6.1.4.1.99999.1"
    for mode in ("loop", "endless", "silent", "malformed"):
        d = devices[by_mode[mode]]
        assert d.snmp_status == "partial", (mode, d.errors)
        assert d.errors, mode
    types = devices[by_mode["types"]]
    assert types.snmp_status == "partial" and any("wrong value type" in e for e in types.errors)
    toobig = devices[by_mode["toobig"]]
    assert toobig.sys_object_id == "1.3.6.1.4.1.99999.1"
    # one variable per request is slow: within a 2 s budget it may end partial, but only for lack of time
    if toobig.snmp_status != "ok":  # partial, and then only for lack of time: the error must say so
        assert toobig.errors and all("time budget" in e for e in toobig.errors), toobig.errors
