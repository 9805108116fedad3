"""The SNMP client against a real snmpsim over UDP: GET, walks equal to the recording, v1/v2c/v3, errors."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent.config import SnmpCredential
from probes.snmp import snmprec
from probes.snmp.client import SnmpClient
from probes.snmp.data import oid
from probes.snmp.inspect import SWEEP_OIDS, standard_plan

V3 = dict(version="3", user="simulator", auth_protocol="MD5", auth_key="auctoritas", priv_protocol="DES",
          priv_key="privatus")


def run(coro):
    return asyncio.run(coro)


def test_get_v2c_and_v1_with_missing_objects(snmpsim):
    host, port = snmpsim

    async def go():
        async with SnmpClient(timeout_s=1, retries=1) as client:
            out = {}
            for version in ("2c", "1"):
                s = await client.session(host, port, SnmpCredential(version=version, community="junos_ex4600mp"))
                out[version] = await client.get(s, SWEEP_OIDS)
            return out

    got = run(go())
    for version in ("2c", "1"):
        assert got[version].outcome == "ok", got[version].error
        assert got[version].values[oid("1.3.6.1.2.1.1.2.0")] == "1.3.6.1.4.1.2636.1.1.1.4.63.9"
        assert got[version].values[oid("1.3.6.1.2.1.1.1.0")] == "hostname.example.org"
        # sysServices is not in this recording: v2c says noSuchInstance, v1 says noSuchName; both just omit it
        assert oid("1.3.6.1.2.1.1.7.0") not in got[version].values


def test_walks_return_exactly_the_recording(snmpsim, recordings_dir: Path):
    """Every object under the inspection plan's roots comes back over UDP with the recorded value."""
    host, port = snmpsim
    roots = [r for sub in standard_plan() for r in sub.roots]
    names = ["junos_ex4600mp", "ciscosb", "routeros_rb433gl", "cyberpower_pr2200rt2uc", "procurve"]

    async def go():
        async with SnmpClient(timeout_s=1, retries=1) as client:
            results = {}
            for name in names:
                s = await client.session(host, port, SnmpCredential(version="2c", community=name))
                results[name] = await client.walk(s, roots)
            return results

    results = run(go())
    for name in names:
        walked = results[name]
        assert walked.complete, (name, walked.errors)
        recorded = _load(recordings_dir / f"{name}.snmprec")
        expected = {k: v for r in roots for k, v in recorded.walk(r)}
        assert expected, name
        assert _stripped(walked.values) == _stripped(expected), name


def _load(path: Path):
    """The recording as SNMP sends it (the reader turns hex IpAddress values, '64x', into dotted quads)."""
    return snmprec.load(path)


def _stripped(values):
    """snmpsim drops trailing spaces of text values when it reads a recording; compare without them."""
    return {k: v.rstrip() if isinstance(v, str) else v for k, v in values.items()}


def test_v1_walk_uses_getnext(snmpsim, recordings_dir: Path):
    host, port = snmpsim
    root = oid("1.3.6.1.2.1.2.2.1.2")

    async def go():
        async with SnmpClient(timeout_s=1, retries=1) as client:
            s = await client.session(host, port, SnmpCredential(version="1", community="ciscosb"))
            return await client.walk(s, [root]), s

    walked, _session = run(go())
    recorded = snmprec.load(recordings_dir / "ciscosb.snmprec")
    assert walked.values == dict(recorded.walk(root))
    assert walked.requests == len(walked.values) + 1  # one GETNEXT per row, one past the end


def test_v3_auth_priv_and_credential_errors(snmpsim):
    host, port = snmpsim

    async def go():
        async with SnmpClient(timeout_s=0.5, retries=0) as client:
            good = await client.session(host, port, SnmpCredential(**V3, context="routeros_wifi"))
            bad_user = await client.session(host, port, SnmpCredential(**{**V3, "user": "nobody"}, context="ciscosb"))
            bad_community = await client.session(host, port, SnmpCredential(version="2c", community="no-such-device"))
            out = [await client.get(s, SWEEP_OIDS) for s in (good, bad_user, bad_community)]
        # a second set of keys for the same user needs its own client (pysnmp keeps one key set per user name)
        async with SnmpClient(timeout_s=0.5, retries=0) as client:
            bad_key = await client.session(
                host, port, SnmpCredential(**{**V3, "auth_key": "wrongwrong"}, context="ciscosb")
            )
            out.insert(2, await client.get(bad_key, SWEEP_OIDS))
        return out

    good, bad_user, bad_key, bad_community = run(go())
    assert good.outcome == "ok" and good.values[oid("1.3.6.1.2.1.1.2.0")] == "1.3.6.1.4.1.14988.1"
    assert bad_user.outcome == "auth" and "UnknownUserName" in bad_user.error
    assert bad_key.outcome == "auth"
    assert bad_community.outcome == "timeout"


def test_sweep_tries_credentials_in_order_and_moves_past_v3_errors(snmpsim):
    """Wrong v3 user and wrong community first: the address still answers to the third credential."""
    from probes.snmp.sweep import sweep

    host, port = snmpsim
    creds = [
        SnmpCredential(**{**V3, "user": "auditor-x"}, context="ciscosb"),
        SnmpCredential(version="2c", community="wrong-community"),
        SnmpCredential(version="2c", community="ciscosb"),
    ]
    silent = ["127.0.0.2", "127.0.0.3"]  # nothing listens there: timeouts

    async def go():
        async with SnmpClient(timeout_s=0.3, retries=0) as client:
            return await sweep(client, [host, *silent], creds, port=port)

    result = run(go())
    assert set(result.hits) == {host}
    hit = result.hits[host]
    assert hit.credential_index == 2
    assert hit.values[oid("1.3.6.1.2.1.1.2.0")].startswith("1.3.6.1.4.1.9.")
    assert result.v3_capable == {host}
    for ip in silent:
        assert result.misses[ip].outcome == "timeout"
        # both communities were tried; the v3 credential only where an SNMPv3 engine answered the probe
        assert len(result.misses[ip].errors) == 2


def test_duplicate_v3_user_names_are_reported_not_mixed(snmpsim):
    from probes.snmp.sweep import sweep

    host, port = snmpsim
    creds = [
        SnmpCredential(**V3, context="ciscosb"),
        SnmpCredential(**{**V3, "priv_key": "another-key"}, context="ciscosb"),
    ]

    async def go():
        async with SnmpClient(timeout_s=0.5, retries=0) as client:
            return await sweep(client, [host], creds, port=port)

    result = run(go())
    assert host in result.hits
    assert any("only the first is used" in w for w in result.warnings)


def test_a_request_the_agent_never_answers_loses_only_those_columns(snmpsim, recordings_dir: Path):
    """The windows recording holds a malformed OID that makes snmpsim drop any GETNEXT past 1.3.6.1.4.1.311:
    like a real agent with a faulty MIB handler. The entity walk fails; the interface walk still succeeds."""
    host, port = snmpsim
    if_root, ent_root = oid("1.3.6.1.2.1.2.2.1.2"), oid("1.3.6.1.2.1.47.1.1.1.1.2")

    async def go():
        async with SnmpClient(timeout_s=0.3, retries=0) as client:
            s = await client.session(host, port, SnmpCredential(version="2c", community="windows_svr_2019_1809"))
            bad = await client.walk(s, [ent_root])
            good = await client.walk(s, [if_root])
            return bad, good, s

    bad, good, session = run(go())
    assert not bad.complete and "although the device answers other requests" in bad.errors[0]
    assert not session.dead
    recorded = snmprec.load(recordings_dir / "windows_svr_2019_1809.snmprec")
    assert good.complete and good.values == dict(recorded.walk(if_root))
