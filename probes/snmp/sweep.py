"""The SNMP sweep: one asyncio pass over every address in scope, trying each credential in order.

Each address gets one GET of sysDescr, sysObjectID, sysUpTime, sysName and sysServices. The
credentials are tried in the configured order, one stage per credential over the addresses that
have not answered yet (so a silent /24 costs about ``credentials x (retries + 1) x timeout``).
An SNMPv3 "unknown user", "wrong digest" or decryption report counts as an answer from a live agent
but not as success: the address moves on to the next credential. Requests in flight are bounded
by the client's concurrency.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from agent.config import SnmpCredential
from agent.progress import Progress
from probes.snmp.client import Session, SnmpClient
from probes.snmp.data import Oid, Value
from probes.snmp.inspect import SWEEP_OIDS


@dataclass
class Hit:
    """An address that answered with one of the credentials."""

    ip: str
    session: Session
    values: dict[Oid, Value]
    credential_index: int


@dataclass
class Miss:
    """An address that did not answer any credential. ``auth_errors`` means an agent is there."""

    ip: str
    outcome: str = "timeout"
    errors: list[str] = field(default_factory=list)

    @property
    def agent_seen(self) -> bool:
        return self.outcome == "auth"


@dataclass
class SweepResult:
    hits: dict[str, Hit] = field(default_factory=dict)
    misses: dict[str, Miss] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    conflicts: list[SnmpCredential] = field(default_factory=list)  # v3 credentials left out (same user name)
    v3_capable: set[str] = field(default_factory=set)


OnHit = Callable[[Hit], Awaitable[None] | None]


def _tlv(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def _int(value: int) -> bytes:
    return _tlv(0x02, value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True))


def v3_discovery_message(msg_id: int = 1) -> bytes:
    """An SNMPv3 engine-discovery request (RFC 3414 4, RFC 5343): no user, no keys, reportable, empty GET.

    Any SNMPv3 engine answers it with a usmStatsUnknownEngineIDs report carrying its engine ID.
    """
    usm = _tlv(0x30, _tlv(0x04, b"") + _int(0) + _int(0) + _tlv(0x04, b"") + _tlv(0x04, b"") + _tlv(0x04, b""))
    header = _tlv(0x30, _int(msg_id) + _int(65507) + _tlv(0x04, b"\x04") + _int(3))
    pdu = _tlv(0xA0, _int(msg_id) + _int(0) + _int(0) + _tlv(0x30, b""))
    scoped = _tlv(0x30, _tlv(0x04, b"") + _tlv(0x04, b"") + pdu)
    return _tlv(0x30, _int(3) + header + _tlv(0x04, usm) + scoped)


def _is_v3(data: bytes) -> bool:
    # SEQUENCE { INTEGER 3, ... }: the version is the first element
    if len(data) < 5 or data[0] != 0x30:
        return False
    i = 2 if data[1] < 0x80 else 2 + (data[1] & 0x7F)
    return data[i : i + 3] == b"\x02\x01\x03"


async def v3_engines(
    addresses: Sequence[str], port: int = 161, *, timeout_s: float = 1.0, retries: int = 1
) -> set[str]:
    """The addresses where an SNMPv3 engine answers a discovery request (no credential is sent)."""
    loop = asyncio.get_running_loop()
    found: set[str] = set()
    wanted = set(addresses)

    class Listener(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
            if addr[0] in wanted and addr[1] == port and _is_v3(data):
                found.add(addr[0])

        def error_received(self, exc: Exception) -> None:  # ICMP unreachable and the like: just no answer
            pass

    transport, _ = await loop.create_datagram_endpoint(Listener, local_addr=("0.0.0.0", 0))
    try:
        message = v3_discovery_message(0x5C4E)
        for _attempt in range(retries + 1):
            for ip in addresses:
                if ip not in found:
                    transport.sendto(message, (ip, port))
            deadline = loop.time() + timeout_s
            while loop.time() < deadline and len(found) < len(wanted):
                await asyncio.sleep(0.05)
            if len(found) == len(wanted):
                break
    finally:
        transport.close()
    return found


async def sweep(
    client: SnmpClient,
    addresses: Sequence[str],
    credentials: Sequence[SnmpCredential],
    *,
    port: int = 161,
    progress: Progress | None = None,
    on_hit: OnHit | None = None,
    skip: Callable[[str], bool] | None = None,
    before_stage: Callable[[], Awaitable[None]] | None = None,
    v3_gate: bool = True,
    lang: str = "en",
) -> SweepResult:
    """Find the SNMP agents among ``addresses``. ``on_hit`` runs as each one answers (to start inspecting early).

    ``skip(ip)`` may say, between credential stages, that an address is known to be absent (no ARP reply);
    ``before_stage()`` is awaited before every stage after the first (to let the ARP sweep finish).
    With ``v3_gate``, SNMPv3 credentials are only tried where an SNMPv3 engine answered a probe from an
    engine-discovery request (sent alongside the first stage, see :func:`v3_engines`).
    """
    result = SweepResult()
    pending = list(dict.fromkeys(addresses))
    for ip in pending:
        result.misses[ip] = Miss(ip, "not_tried" if not credentials else "timeout")
    usable: list[tuple[int, SnmpCredential]] = []
    for index, cred in enumerate(credentials):
        conflict = client.register(cred)
        if conflict:
            result.warnings.append(conflict)
            result.conflicts.append(cred)
            continue
        usable.append((index, cred))

    async def probe(ip: str, index: int, cred: SnmpCredential) -> None:
        session = await client.session(ip, port, cred)
        got = await client.get(session, SWEEP_OIDS)
        miss = result.misses[ip]
        if got.outcome == "ok" and got.values:
            hit = Hit(ip, session, got.values, index)
            result.hits[ip] = hit
            del result.misses[ip]
            if progress:
                progress.advance(note=ip)
            if on_hit is not None:
                maybe = on_hit(hit)
                if maybe is not None:
                    await maybe
            return
        if got.outcome == "ok":
            got.error = "empty answer"
            got.outcome = "error"
        miss.errors.append(f"{cred.label}: {got.error}")
        if got.outcome == "auth" or miss.outcome != "auth":
            miss.outcome = got.outcome
        if progress:
            progress.advance()

    v3_probe: asyncio.Task[set[str]] | None = None
    if v3_gate and any(cred.version == "3" for _, cred in usable):

        async def probe_v3() -> set[str]:
            capable = await v3_engines(pending, port, timeout_s=client.timeout_s, retries=client.retries)
            for ip in capable:
                result.v3_capable.add(ip)
                miss = result.misses.get(ip)
                if miss is not None and miss.outcome != "auth":
                    miss.outcome = "auth"  # an SNMP engine is there, whatever the credentials say
            return capable

        v3_probe = asyncio.create_task(probe_v3())

    for stage, (index, cred) in enumerate(usable):
        if stage and before_stage is not None and cred.version != "3":
            await before_stage()  # (v3 stages are gated by the engine probe instead)
        todo = [ip for ip in pending if ip not in result.hits]
        if stage and skip is not None:
            todo = [ip for ip in todo if not skip(ip)]
        if cred.version == "3" and v3_probe is not None:
            capable = await v3_probe
            todo = [ip for ip in todo if ip in capable]
        if not todo:
            continue
        if progress:
            title = "Quét SNMP" if lang == "vi" else "SNMP sweep"
            progress.start(f"{title} {stage + 1}/{len(usable)} ({cred.label})", total=len(todo))
        await asyncio.gather(*(probe(ip, index, cred) for ip in todo))
        if progress:
            progress.done(f"{len(result.hits)} " + ("thiết bị SNMP" if lang == "vi" else "SNMP agent(s)"))
    if v3_probe is not None:
        await v3_probe
    return result
