"""SNMP client on pysnmp 7 (asyncio): one engine, numeric OIDs, GET and bounded walks.

The client speaks pysnmp's native command generators with raw OIDs (no MIB lookups, which cost
more than the network on a LAN). Every request is bounded: a timeout and retry count per target,
a limit on requests in flight for the whole run, and for walks a deadline, a row limit per subtree
and a total per device. Whatever goes wrong on the wire comes back as data (an ``outcome`` and an
``error`` text), never as an exception: a broken device must not end the run.

Walks use GETBULK (SNMPv2c/v3) over several table columns at once and fall back to GETNEXT when
an agent fails at GETBULK; tooBig shrinks the request; OIDs that do not increase end the column.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from agent.config import SnmpCredential
from probes.snmp.data import Oid, Value, dotted

Outcome = Literal["ok", "timeout", "auth", "error"]

# errorIndication class names that mean "these credentials are not accepted here": try the next one.
_AUTH_ERRORS = frozenset(
    {
        "UnknownUserName",
        "WrongDigest",
        "DecryptionError",
        "UnknownSecurityName",
        "UnsupportedSecurityLevel",
        "AuthenticationFailure",
        "AuthenticationError",
        "NotInTimeWindow",
        "UnknownEngineID",
        "NoEncryption",
        "NoAuthentication",
        "UnknownCommunityName",
        "UnsupportedAuthProtocol",
        "UnsupportedPrivProtocol",
        "NoSuchContext",
        "NoAccessEntry",
        "NotInView",
        "NoSuchView",
        "NoGroupName",
    }
)
INITIAL_WINDOW = 16  # variables in a walk's first GETBULK
_TOO_BIG = 1  # errorStatus tooBig
_NO_SUCH_NAME = 2  # errorStatus noSuchName (SNMPv1)


class _Missing:
    """noSuchObject / noSuchInstance / endOfMibView: the agent has nothing there."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def clean_octets(raw: bytes) -> Value:
    """An OCTET STRING as str when it is clean text, else bytes (the same rule as the snmprec reader)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    stripped = text.rstrip("\x00")
    if all(ch.isprintable() or ch in "\r\n\t" for ch in stripped):
        return stripped
    return raw


def convert(value: Any) -> Value | _Missing:
    """A pysnmp value as a plain Python value (see :mod:`probes.snmp.data`)."""
    from pyasn1.type import univ
    from pysnmp.proto import rfc1902, rfc1905

    if isinstance(value, (rfc1905.NoSuchObject, rfc1905.NoSuchInstance, rfc1905.EndOfMibView)):
        return MISSING
    if isinstance(value, univ.Null):
        return None
    if isinstance(value, rfc1902.IpAddress):
        raw = bytes(value)
        return socket.inet_ntoa(raw) if len(raw) == 4 else raw
    if isinstance(value, univ.ObjectIdentifier):
        return dotted(tuple(value))
    if isinstance(value, univ.Integer):
        return int(value)
    if isinstance(value, univ.OctetString):
        return clean_octets(bytes(value))
    return str(value)


# --------------------------------------------------------------------------- credentials


def auth_data(cred: SnmpCredential) -> Any:
    """The pysnmp authentication object for one configured credential."""
    from pysnmp.hlapi.v3arch.asyncio import auth

    if cred.version in ("1", "2c"):
        return auth.CommunityData(cred.community, mpModel=0 if cred.version == "1" else 1)
    auth_protocols = {
        "none": auth.USM_AUTH_NONE,
        "MD5": auth.USM_AUTH_HMAC96_MD5,
        "SHA": auth.USM_AUTH_HMAC96_SHA,
        "SHA224": auth.USM_AUTH_HMAC128_SHA224,
        "SHA256": auth.USM_AUTH_HMAC192_SHA256,
        "SHA384": auth.USM_AUTH_HMAC256_SHA384,
        "SHA512": auth.USM_AUTH_HMAC384_SHA512,
    }
    # AES192/256: the Blumenthal key extension, as net-snmp's "AES192"/"AES256" (Cisco's variant differs).
    priv_protocols = {
        "none": auth.USM_PRIV_NONE,
        "DES": auth.USM_PRIV_CBC56_DES,
        "3DES": auth.USM_PRIV_CBC168_3DES,
        "AES128": auth.USM_PRIV_CFB128_AES,
        "AES192": auth.USM_PRIV_CFB192_AES_BLUMENTHAL,
        "AES256": auth.USM_PRIV_CFB256_AES_BLUMENTHAL,
    }
    return auth.UsmUserData(
        cred.user,
        authKey=cred.auth_key or None,
        privKey=cred.priv_key or None,
        authProtocol=auth_protocols[cred.auth_protocol],
        privProtocol=priv_protocols[cred.priv_protocol],
    )


# --------------------------------------------------------------------------- results


@dataclass
class Reply:
    """One request's answer: the outcome, and the variable bindings when there are any."""

    outcome: Outcome
    error: str = ""
    error_status: int = 0
    error_index: int = 0
    varbinds: list[tuple[Oid, Any]] = field(default_factory=list)


@dataclass
class GetResult:
    outcome: Outcome
    values: dict[Oid, Value] = field(default_factory=dict)
    error: str = ""


@dataclass
class WalkResult:
    """What a walk collected. ``complete`` is false when a limit, a timeout or a fault cut it short."""

    values: dict[Oid, Value] = field(default_factory=dict)
    complete: bool = True
    errors: list[str] = field(default_factory=list)
    requests: int = 0


@dataclass
class Session:
    """One device with one credential; remembers what the device could take."""

    host: str
    port: int
    credential: SnmpCredential
    auth: Any
    target: str
    context: bytes
    timeout_s: float
    retries: int
    bulk: bool
    max_repetitions: int
    max_columns: int = 64
    consecutive_timeouts: int = 0
    dead: bool = False
    varbinds_total: int = 0
    requests: int = 0

    @property
    def version(self) -> str:
        return self.credential.version


@dataclass(frozen=True)
class Limits:
    """Bounds for walks: rows per subtree, variables per device, variables per request."""

    max_rows: int = 20_000
    max_device_varbinds: int = 200_000
    max_varbinds_per_pdu: int = 60


# --------------------------------------------------------------------------- per-host targets without the LCD

# pysnmp keeps targets in an instrumented SNMP-TARGET-MIB: adding one costs ~9 ms and invalidates its lookup
# cache, so a /24 sweep spent seconds of CPU configuring targets. Instead, one target is configured per
# credential (a template) and every host gets a "virtual" target name that resolves to the template's
# parameters with the host's address. Only names registered here are affected.
_VIRTUAL_TARGETS: dict[str, tuple[Any, ...]] = {}


def _install_target_hook() -> None:
    from pysnmp.entity.rfc3413 import config as target_config

    original = target_config.get_target_info
    if getattr(original, "schoolnet_hook", False):
        return

    def get_target_info(engine: Any, name: Any) -> Any:
        info = _VIRTUAL_TARGETS.get(name) if isinstance(name, str) else None
        return info if info is not None else original(engine, name)

    get_target_info.schoolnet_hook = True  # type: ignore[attr-defined]
    target_config.get_target_info = get_target_info


# --------------------------------------------------------------------------- the client


class SnmpClient:
    """Asynchronous SNMP client with one pysnmp engine for the whole run.

    ``concurrency`` bounds the requests in flight across every device; ``timeout_s`` and
    ``retries`` apply to each request. Use as ``async with SnmpClient(...) as client``.
    """

    def __init__(
        self,
        *,
        timeout_s: float = 1.0,
        retries: int = 1,
        concurrency: int = 256,
        max_repetitions: int = 25,
        limits: Limits | None = None,
    ) -> None:
        self.timeout_s = timeout_s
        self.retries = retries
        self.max_repetitions = max_repetitions
        self.limits = limits or Limits()
        self._concurrency = concurrency
        self._slots: asyncio.Semaphore | None = None
        self._engine: Any = None
        self._lcd: Any = None
        self._templates: dict[tuple[str, ...], asyncio.Future[tuple[Any, ...]]] = {}
        self._names: dict[tuple[Any, ...], str] = {}
        self._auth: dict[tuple[str, ...], Any] = {}
        self._v3_users: dict[str, SnmpCredential] = {}

    # -- lifecycle

    async def __aenter__(self) -> SnmpClient:
        self._open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def _open(self) -> None:
        if self._engine is None:
            from pysnmp.entity.engine import SnmpEngine
            from pysnmp.hlapi.v3arch.asyncio.lcd import CommandGeneratorLcdConfigurator

            _install_target_hook()
            self._engine = SnmpEngine()
            self._lcd = CommandGeneratorLcdConfigurator()
            self._slots = asyncio.Semaphore(self._concurrency)

    def close(self) -> None:
        for name in self._names.values():
            _VIRTUAL_TARGETS.pop(name, None)
        self._names.clear()
        self._templates.clear()
        if self._engine is not None:
            try:
                self._engine.close_dispatcher()
            finally:
                self._engine = None

    # -- sessions

    async def _template(self, auth: Any, context: bytes, host: str, port: int) -> tuple[Any, ...]:
        """Configure one LCD target for a credential and read back its parameters."""
        from pysnmp.entity.rfc3413 import config as target_config
        from pysnmp.hlapi.v3arch.asyncio import UdpTransportTarget

        target = await UdpTransportTarget.create((host, port), timeout=self.timeout_s, retries=self.retries)
        addr_name, _ = self._lcd.configure(self._engine, auth, target, context)
        info: tuple[Any, ...] = tuple(target_config.get_target_info(self._engine, addr_name))
        return info

    def register(self, cred: SnmpCredential) -> str | None:
        """Accept a credential for this run; say why not when it clashes with an earlier one.

        pysnmp keeps one key set per SNMPv3 user name, so two v3 credentials with the same user name
        and different keys cannot be used side by side: the first one wins.
        """
        if cred.version != "3":
            return None
        seen = self._v3_users.setdefault(cred.user, cred)
        if _cred_key(seen)[2:7] == _cred_key(cred)[2:7]:  # same keys (the context may differ)
            return None
        return f"{cred.label}: another v3 credential already uses user name {cred.user!r}; only the first is used"

    async def session(
        self,
        host: str,
        port: int,
        cred: SnmpCredential,
        *,
        timeout_s: float | None = None,
        retries: int | None = None,
    ) -> Session:
        self._open()
        timeout = self.timeout_s if timeout_s is None else timeout_s
        tries = self.retries if retries is None else retries
        cred_key = _cred_key(cred)
        auth = self._auth.get(cred_key)
        if auth is None:
            auth = auth_data(cred)
            self._auth[cred_key] = auth
        pending = self._templates.get(cred_key)
        if pending is None:  # one template per credential, even when many sessions start at once
            pending = asyncio.ensure_future(self._template(auth, cred.context.encode(), host, port))
            self._templates[cred_key] = pending
        template = await pending
        name_key = (cred_key, host, port, timeout, tries)
        target = self._names.get(name_key)
        if target is None:
            target = f"schoolnet-{id(self):x}-{len(self._names)}"
            address = type(template[1])((host, port)).set_local_address(template[1].get_local_address())
            _VIRTUAL_TARGETS[target] = (template[0], address, int(timeout * 100), tries, *template[4:])
            self._names[name_key] = target
        return Session(
            host=host,
            port=port,
            credential=cred,
            auth=auth,
            target=target,
            timeout_s=timeout,
            retries=tries,
            context=cred.context.encode(),
            bulk=cred.version != "1",
            max_repetitions=self.max_repetitions,
        )

    # -- one request

    async def request(
        self, session: Session, kind: Literal["get", "next", "bulk"], oids: Sequence[Oid], *, repetitions: int = 0
    ) -> Reply:
        """Send one GET/GETNEXT/GETBULK and wait for its answer (bounded by timeout x tries)."""
        from pyasn1.type import univ
        from pysnmp.entity.rfc3413 import cmdgen
        from pysnmp.error import PySnmpError
        from pysnmp.proto import rfc1902

        self._open()
        assert self._slots is not None
        loop = asyncio.get_running_loop()
        async with self._slots:
            future: asyncio.Future[tuple[Any, Any, Any, Any]] = loop.create_future()

            def done(_engine: Any, _handle: Any, indication: Any, status: Any, index: Any, vbs: Any, _ctx: Any) -> None:
                if not future.done():
                    future.set_result((indication, status, index, vbs))

            varbinds = [(rfc1902.ObjectName(o), univ.Null("")) for o in oids]
            try:
                addr_name = session.target
                if kind == "get":
                    cmdgen.GetCommandGenerator().send_varbinds(
                        self._engine, addr_name, None, session.context, varbinds, done
                    )
                elif kind == "next":
                    cmdgen.NextCommandGeneratorSingleRun().send_varbinds(
                        self._engine, addr_name, None, session.context, varbinds, done
                    )
                else:
                    cmdgen.BulkCommandGeneratorSingleRun().send_varbinds(
                        self._engine, addr_name, None, session.context, 0, repetitions, varbinds, done
                    )
            except (PySnmpError, ValueError) as exc:
                return Reply("error", f"cannot send request: {exc}")
            session.requests += 1
            limit = session.timeout_s * (session.retries + 1) + 5.0
            try:
                indication, status, index, vbs = await asyncio.wait_for(future, limit)
            except TimeoutError:
                return Reply("timeout", "no SNMP response (engine did not report back)")
        if indication:
            name = type(indication).__name__
            if name == "RequestTimedOut":
                return Reply("timeout", "no SNMP response before timeout")
            outcome: Outcome = "auth" if name in _AUTH_ERRORS else "error"
            return Reply(outcome, f"{name}: {indication}")
        pairs = [(tuple(name), value) for name, value in vbs]
        return Reply("ok", error_status=int(status or 0), error_index=int(index or 0), varbinds=pairs)

    # -- GET

    async def get(self, session: Session, oids: Sequence[Oid]) -> GetResult:
        """GET several OIDs in one request. Missing objects are left out; SNMPv1 noSuchName drops the OID."""
        wanted = list(oids)
        for _ in range(len(wanted) + 1):
            if not wanted:
                return GetResult("ok")
            reply = await self.request(session, "get", wanted)
            self._note(session, reply)
            if reply.outcome != "ok":
                return GetResult(reply.outcome, error=reply.error)
            if reply.error_status == _NO_SUCH_NAME and 0 < reply.error_index <= len(wanted):
                del wanted[reply.error_index - 1]
                continue
            if reply.error_status:
                return GetResult("error", error=f"agent error {_status_name(reply.error_status)}")
            values: dict[Oid, Value] = {}
            for key, raw in reply.varbinds:
                value = convert(raw)
                if not isinstance(value, _Missing):
                    values[key] = value
            return GetResult("ok", values)
        return GetResult("error", error="agent rejected every requested OID")

    # -- walks

    async def walk(
        self, session: Session, roots: Iterable[Oid], *, deadline: float | None = None, first_only: bool = False
    ) -> WalkResult:
        """Walk several subtrees side by side (one request carries a column of each), within limits.

        ``first_only`` reads just the first object under each root (to learn which subtrees exist).
        """
        result = WalkResult()
        columns = [_Column(tuple(root)) for root in roots]
        limits = self.limits
        # variables per GETBULK: start small (most tables are short, and overshoot past a column's end is
        # decoded for nothing), double while rows keep coming, up to the limit
        window = min(INITIAL_WINDOW, limits.max_varbinds_per_pdu)
        while True:
            active = [c for c in columns if not c.done]
            if not active:
                break
            if session.dead:
                result.complete = False
                result.errors.append(f"skipped {_names(active)}: the device stopped answering")
                break
            if deadline is not None and time.monotonic() >= deadline:
                result.complete = False
                result.errors.append(f"time budget used up before {_names(active)} was read")
                break
            if session.varbinds_total >= limits.max_device_varbinds:
                result.complete = False
                result.errors.append(f"device variable limit ({limits.max_device_varbinds}) reached")
                break
            batch = active[: session.max_columns]
            used_bulk = session.bulk
            if used_bulk:
                reps = max(1, min(session.max_repetitions, window // len(batch)))
                if first_only:
                    reps = 1
                reply = await self.request(session, "bulk", [c.cursor for c in batch], repetitions=reps)
            else:
                reply = await self.request(session, "next", [c.cursor for c in batch])
            result.requests += 1
            self._note(session, reply)
            if reply.outcome == "timeout":
                again, used_bulk = await self._after_timeout(session, batch, result, used_bulk)
                if again is None:
                    continue
                reply = again
            if not self._handle_fault(session, reply, batch, result, used_bulk):
                continue
            self._take(session, reply, batch, result, 1 if first_only else limits.max_rows)
            window = min(window * 2, limits.max_varbinds_per_pdu)
        return result

    async def _after_timeout(
        self, session: Session, batch: list[_Column], result: WalkResult, used_bulk: bool
    ) -> tuple[Reply | None, bool]:
        """A walk request went unanswered: find out whether GETBULK, these OIDs or the whole device is the trouble.

        Returns a reply to carry on with (and whether it was GETBULK), or None when the columns were given up.
        """
        cursors = [c.cursor for c in batch]
        if used_bulk and not session.dead:
            retry = await self.request(session, "next", cursors)
            result.requests += 1
            self._note(session, retry)
            if retry.outcome != "timeout":
                if retry.outcome == "ok" and not retry.error_status:
                    session.bulk = False  # this agent answers GETNEXT but not GETBULK: GETNEXT from here on
                return retry, False
        where = _names(batch)
        rows = sum(c.rows for c in batch)
        result.complete = False
        for column in batch:
            column.done = True
        if not session.dead:
            alive = await self.request(session, "get", [(1, 3, 6, 1, 2, 1, 1, 3, 0)])  # sysUpTime.0
            result.requests += 1
            if alive.outcome == "timeout":
                session.dead = True
        if session.dead:
            result.errors.append(f"no answer while reading {where} (after {rows} rows): the device stopped answering")
        else:
            result.errors.append(
                f"no answer for {where} (after {rows} rows) although the device answers other requests"
            )
        return None, used_bulk

    def _handle_fault(
        self, session: Session, reply: Reply, batch: list[_Column], result: WalkResult, used_bulk: bool
    ) -> bool:
        """Deal with a failed request. True when the reply carries data to take."""
        where = _names(batch)
        if reply.outcome != "ok":
            for column in batch:
                column.done = True
            result.complete = False
            result.errors.append(f"reading {where}: {reply.error}")
            return False
        if reply.error_status == _TOO_BIG:
            if used_bulk and session.max_repetitions > 1:
                session.max_repetitions = max(1, session.max_repetitions // 2)
            elif len(batch) > 1:
                session.max_columns = max(1, len(batch) // 2)
            elif used_bulk:
                session.bulk = False
            else:
                batch[0].done = True
                result.complete = False
                result.errors.append(f"reading {where}: tooBig even for one variable")
            return False
        if reply.error_status:
            if used_bulk:
                session.bulk = False  # GETBULK refused (genErr and the like): GETNEXT from here on
                return False
            index = reply.error_index
            if reply.error_status == _NO_SUCH_NAME and 0 < index <= len(batch):
                batch[index - 1].done = True  # SNMPv1: the end of the MIB view for that column
                return False
            for column in batch:
                column.done = True
            result.complete = False
            result.errors.append(f"reading {where}: agent error {_status_name(reply.error_status)}")
            return False
        if not reply.varbinds:
            for column in batch:
                column.done = True
            result.complete = False
            result.errors.append(f"reading {where}: empty response")
            return False
        return True

    def _take(self, session: Session, reply: Reply, batch: list[_Column], result: WalkResult, max_rows: int) -> None:
        width = len(batch)
        for position, (key, raw) in enumerate(reply.varbinds):
            column = batch[position % width]
            if column.done:
                continue
            value = convert(raw)
            if isinstance(value, _Missing) or key[: len(column.root)] != column.root:
                column.done = True
                continue
            if key <= column.cursor:
                column.done = True
                result.complete = False
                result.errors.append(
                    f"OID not increasing in {dotted(column.root)}: {dotted(key)} after {dotted(column.cursor)}"
                )
                continue
            if session.varbinds_total >= self.limits.max_device_varbinds:
                for c in batch:
                    c.done = True
                result.complete = False
                result.errors.append(f"device variable limit ({self.limits.max_device_varbinds}) reached")
                return
            column.cursor = key
            column.rows += 1
            result.values[key] = value
            session.varbinds_total += 1
            if column.rows >= max_rows:
                column.done = True
                if max_rows > 1:
                    result.complete = False
                    result.errors.append(f"row limit ({max_rows}) reached in {dotted(column.root)}")

    @staticmethod
    def _note(session: Session, reply: Reply) -> None:
        if reply.outcome == "timeout":
            session.consecutive_timeouts += 1
        else:
            session.consecutive_timeouts = 0


@dataclass
class _Column:
    root: Oid
    cursor: Oid = ()
    rows: int = 0
    done: bool = False

    def __post_init__(self) -> None:
        if not self.cursor:
            self.cursor = self.root


_STATUS = {
    1: "tooBig",
    2: "noSuchName",
    3: "badValue",
    4: "readOnly",
    5: "genErr",
    6: "noAccess",
    16: "authorizationError",
}


def _cred_key(cred: SnmpCredential) -> tuple[str, ...]:
    return (
        cred.version,
        cred.community,
        cred.user,
        cred.auth_protocol,
        cred.auth_key,
        cred.priv_protocol,
        cred.priv_key,
        cred.context,
    )


def _status_name(status: int) -> str:
    return _STATUS.get(status, f"status {status}")


def _names(columns: Sequence[_Column]) -> str:
    roots = [dotted(c.root) for c in columns]
    return roots[0] if len(roots) == 1 else f"{roots[0]} (+{len(roots) - 1} columns)"
