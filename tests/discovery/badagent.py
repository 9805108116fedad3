"""A misbehaving SNMPv2c agent for robustness tests (asyncio UDP on loopback; pysnmp's proto API for BER).

One :class:`BadAgent` listens on several loopback addresses, one behaviour per address:

* ``ok``        a small, correct MIB (system group + a 2-port ifTable/ifXTable);
* ``loop``      GETNEXT/GETBULK answer with the requested OID itself (OIDs that do not increase);
* ``endless``   GETNEXT/GETBULK always answer with a next OID inside the requested subtree (an endless table);
* ``types``     every value has the wrong type (sysObjectID as bytes, ifHighSpeed as text, ...);
* ``toobig``    GETBULK and multi-variable GETNEXT always answer tooBig;
* ``silent``    answers the GET and the first few walk requests, then nothing;
* ``malformed`` GET answered; walk requests answered with bytes that are not SNMP;
* ``garbage``   every request answered with bytes that are not SNMP.

Any community is accepted. Use as a context manager; ``counts[address]`` tells how many requests came in.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api, rfc1902, rfc1905

P = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]

SYS_OID = (1, 3, 6, 1, 4, 1, 99999, 1)


def _ok_mib() -> dict[tuple[int, ...], Any]:
    mib: dict[tuple[int, ...], Any] = {
        (1, 3, 6, 1, 2, 1, 1, 1, 0): rfc1902.OctetString(b"BadAgent test device"),
        (1, 3, 6, 1, 2, 1, 1, 2, 0): rfc1902.ObjectIdentifier(SYS_OID),
        (1, 3, 6, 1, 2, 1, 1, 3, 0): rfc1902.TimeTicks(12345),
        (1, 3, 6, 1, 2, 1, 1, 5, 0): rfc1902.OctetString(b"bad-agent"),
        (1, 3, 6, 1, 2, 1, 2, 1, 0): rfc1902.Integer32(2),
    }
    for i in (1, 2):
        mib[(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, i)] = rfc1902.OctetString(f"eth{i}".encode())
        mib[(1, 3, 6, 1, 2, 1, 2, 2, 1, 3, i)] = rfc1902.Integer32(6)
        mib[(1, 3, 6, 1, 2, 1, 2, 2, 1, 5, i)] = rfc1902.Gauge32(1_000_000_000)
        mib[(1, 3, 6, 1, 2, 1, 2, 2, 1, 7, i)] = rfc1902.Integer32(1)
        mib[(1, 3, 6, 1, 2, 1, 2, 2, 1, 8, i)] = rfc1902.Integer32(1)
        mib[(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, i)] = rfc1902.OctetString(f"eth{i}".encode())
        mib[(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15, i)] = rfc1902.Gauge32(1000)
    return mib


def _types_mib() -> dict[tuple[int, ...], Any]:
    mib = _ok_mib()
    mib[(1, 3, 6, 1, 2, 1, 1, 1, 0)] = rfc1902.Integer32(42)
    mib[(1, 3, 6, 1, 2, 1, 1, 2, 0)] = rfc1902.OctetString(b"\xff\xfe not an oid")
    mib[(1, 3, 6, 1, 2, 1, 1, 5, 0)] = rfc1902.ObjectIdentifier((1, 3, 6))
    for i in (1, 2):
        mib[(1, 3, 6, 1, 2, 1, 2, 2, 1, 3, i)] = rfc1902.OctetString(b"ethernet")
        mib[(1, 3, 6, 1, 2, 1, 2, 2, 1, 5, i)] = rfc1902.Counter64(2**63)
        mib[(1, 3, 6, 1, 2, 1, 2, 2, 1, 8, i)] = rfc1902.IpAddress("1.2.3.4")
        mib[(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, i)] = rfc1902.Integer32(-5)
        mib[(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15, i)] = rfc1902.OctetString(b"fast")
    return mib


OK_MIB = _ok_mib()
GARBAGE = b"\x30\x84\xff\xff\xff\xff\x02\x01" + b"\x00" * 8


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, agent: BadAgent, address: str, mode: str) -> None:
        self.agent, self.address, self.mode = agent, address, mode
        self.mib = _types_mib() if mode == "types" else OK_MIB
        self.keys = sorted(self.mib)
        self.handed: set[tuple[int, ...]] = set()
        self.walks = 0
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.agent.counts[self.address] += 1
        try:
            reply = self.respond(data)
        except Exception:
            return
        if reply is not None and self.transport is not None:
            self.transport.sendto(reply, addr)

    # -- behaviour

    def _next(self, key: tuple[int, ...]) -> tuple[tuple[int, ...], Any]:
        for k in self.keys:
            if k > key:
                return k, self.mib[k]
        return key, rfc1905.endOfMibView

    def _endless_next(self, key: tuple[int, ...]) -> tuple[tuple[int, ...], Any]:
        nxt = (*key[:-1], key[-1] + 1) if key in self.handed else (*key, 1)
        if len(self.handed) < 1_000_000:
            self.handed.add(nxt)
        return nxt, rfc1902.Integer32(len(self.handed))

    def respond(self, data: bytes) -> bytes | None:
        mode = self.mode
        if mode == "garbage":
            return GARBAGE
        msg, _ = decoder.decode(data, asn1Spec=P.Message())
        pdu = P.apiMessage.get_pdu(msg)
        rsp = P.apiMessage.get_response(msg)
        rsp_pdu = P.apiMessage.get_pdu(rsp)
        request = [tuple(o) for o, _ in P.apiPDU.get_varbinds(pdu)]
        if pdu.isSameTypeWith(P.GetRequestPDU()):
            if mode == "silent" and self.walks >= 3:
                return None
            out = [(o, self.mib.get(o, rfc1905.noSuchInstance)) for o in request]
            P.apiPDU.set_varbinds(rsp_pdu, out)
            return bytes(encoder.encode(rsp))
        bulk = pdu.isSameTypeWith(P.GetBulkRequestPDU())
        if not bulk and not pdu.isSameTypeWith(P.GetNextRequestPDU()):
            return None
        self.walks += 1
        if mode == "silent" and self.walks > 3:
            return None
        if mode == "malformed":
            return GARBAGE
        if mode == "toobig" and (bulk or len(request) > 1):
            P.apiPDU.set_error_status(rsp_pdu, 1)
            P.apiPDU.set_error_index(rsp_pdu, 0)
            P.apiPDU.set_varbinds(rsp_pdu, [(o, rfc1902.Null("")) for o in request])
            return bytes(encoder.encode(rsp))
        reps = int(P.apiBulkPDU.get_max_repetitions(pdu)) if bulk else 1
        cursors = list(request)
        out = []
        for _ in range(max(1, reps)):
            for i, cursor in enumerate(cursors):
                if mode == "loop":
                    key, value = cursor, rfc1902.Integer32(1)
                elif mode == "endless":
                    key, value = self._endless_next(cursor)
                else:
                    key, value = self._next(cursor)
                cursors[i] = key
                out.append((key, value))
        P.apiPDU.set_varbinds(rsp_pdu, out)
        return bytes(encoder.encode(rsp))


class BadAgent:
    """Run the misbehaving agents in a background thread: ``modes`` maps a loopback address to a behaviour."""

    def __init__(self, modes: Mapping[str, str], port: int) -> None:
        self.modes = dict(modes)
        self.port = port
        self.counts: Counter[str] = Counter()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()
        self._transports: list[asyncio.BaseTransport] = []

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            for address, mode in self.modes.items():
                transport, _ = await self._loop.create_datagram_endpoint(
                    lambda a=address, m=mode: _Protocol(self, a, m), local_addr=(address, self.port)
                )
                self._transports.append(transport)
            self._ready.set()

        self._loop.run_until_complete(start())
        self._loop.run_forever()

    def __enter__(self) -> BadAgent:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("bad agent did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        def stop() -> None:
            for t in self._transports:
                t.close()
            self._loop.stop()

        self._loop.call_soon_threadsafe(stop)
        self._thread.join(10)
        self._loop.close()


def addresses(modes: Iterator[str] | list[str], first: int = 2) -> dict[str, str]:
    """Loopback addresses 127.0.0.<first>... for the given modes."""
    return {f"127.0.0.{first + i}": mode for i, mode in enumerate(modes)}
