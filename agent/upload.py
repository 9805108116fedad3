"""Spool and upload: every bundle is written to the spool first and leaves it only on the district's 2xx.

The spool (``config.agent.spool_path``) holds ``<bundle_id>.json`` (the bundle, written atomically) and,
once an upload was tried, ``<bundle_id>.state.json`` (attempts, the last error, and whether the district
refused it for good). :func:`flush` posts each waiting bundle with retries, exponential backoff and jitter;
a permanent refusal (a 4xx other than 401/408/429) is kept, marked with the district's reason, and not
retried until named explicitly. :func:`status` lists what is waiting and why.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from agent.errors import UsageError
from agent.files import atomic_write

if TYPE_CHECKING:
    import requests

    from agent.config import Config
    from agent.model import EvidenceBundle
    from agent.progress import Progress

BUNDLES_PATH = "/api/v1/bundles"
ATTACHMENTS_PATH = "/api/v1/attachments/"
SENT_AT_HEADER = "X-Schoolnet-Sent-At"
log = logging.getLogger("agent.upload")
TRANSIENT_4XX = frozenset({401, 408, 425, 429})
_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _file_stem(bundle_id: str) -> str:
    stem = _SAFE.sub("_", bundle_id)[:120]
    if not stem or stem.startswith("."):
        stem = "b" + stem
    return stem


@dataclass(frozen=True)
class SpoolEntry:
    """One bundle waiting in the spool."""

    bundle_id: str
    path: Path
    size: int
    queued_at: str
    attempts: int = 0
    last_attempt_at: str | None = None
    last_error: str | None = None
    rejected: bool = False
    missing: list[str] = field(default_factory=list, compare=False)  # attachments the receipt asked for

    @property
    def state(self) -> str:
        if self.rejected:
            return "rejected"
        return "retrying" if self.attempts else "waiting"

    def jsonable(self) -> dict[str, Any]:
        return {
            "bundle_id": self.bundle_id,
            "path": str(self.path),
            "size": self.size,
            "queued_at": self.queued_at,
            "state": self.state,
            "attempts": self.attempts,
            "last_attempt_at": self.last_attempt_at,
            "last_error": self.last_error,
        }


@dataclass
class FlushResult:
    sent: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    waiting: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.waiting


class Spool:
    """The spool directory of one agent."""

    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)

    def bundle_path(self, bundle_id: str) -> Path:
        return self.dir / f"{_file_stem(bundle_id)}.json"

    def state_path(self, bundle_id: str) -> Path:
        return self.dir / f"{_file_stem(bundle_id)}.state.json"

    def add(self, data: bytes, bundle_id: str) -> Path:
        """Write the bundle bytes atomically (an existing identical file is left as is)."""
        path = self.bundle_path(bundle_id)
        if path.exists() and path.read_bytes() == data:
            return path
        try:
            atomic_write(path, data, 0o600)
        except OSError as exc:
            raise UsageError(f"{self.dir}: cannot write to the spool: {exc.strerror}") from None
        self.state_path(bundle_id).unlink(missing_ok=True)
        return path

    def read_state(self, bundle_id: str) -> dict[str, Any]:
        try:
            data = json.loads(self.state_path(bundle_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_state(self, bundle_id: str, state: dict[str, Any]) -> None:
        atomic_write(self.state_path(bundle_id), json.dumps(state, ensure_ascii=False).encode("utf-8"), 0o600)

    def remove(self, bundle_id: str) -> None:
        self.bundle_path(bundle_id).unlink(missing_ok=True)
        self.state_path(bundle_id).unlink(missing_ok=True)

    def entries(self) -> list[SpoolEntry]:
        if not self.dir.is_dir():
            return []
        out = []
        for path in sorted(self.dir.glob("*.json")):
            if path.name.endswith(".state.json") or path.name.startswith("."):
                continue
            bundle_id = _bundle_id_of(path) or path.stem
            state = self.read_state(bundle_id)
            stat = path.stat()
            queued = state.get("queued_at") or datetime.fromtimestamp(stat.st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            out.append(
                SpoolEntry(
                    bundle_id=bundle_id,
                    path=path,
                    size=stat.st_size,
                    queued_at=str(queued),
                    attempts=int(state.get("attempts", 0)),
                    last_attempt_at=state.get("last_attempt_at"),
                    last_error=state.get("last_error"),
                    rejected=bool(state.get("rejected", False)),
                )
            )
        out.sort(key=lambda e: (e.queued_at, e.bundle_id))
        return out


def _bundle_id_of(path: Path) -> str | None:
    try:
        doc = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    value = doc.get("bundle_id") if isinstance(doc, dict) else None
    return str(value) if value else None


def spool(config: Config) -> Spool:
    return Spool(config.agent.spool_path)


def spool_bundle(config: Config, bundle: EvidenceBundle | dict[str, Any] | bytes | Path) -> Path:
    """Put a bundle (model object, document, raw bytes or a file) in the spool before any upload."""
    from agent.model import EvidenceBundle
    from agent.signing import canonical

    if isinstance(bundle, Path):
        try:
            data = bundle.read_bytes()
        except OSError as exc:
            raise UsageError(f"{bundle}: cannot read: {exc.strerror}") from None
    elif isinstance(bundle, bytes):
        data = bundle
    elif isinstance(bundle, EvidenceBundle):
        from agent.model import to_jsonable

        data = canonical(to_jsonable(bundle))
    else:
        data = canonical(bundle)
    try:
        doc = json.loads(data)
    except ValueError:
        raise UsageError(f"{bundle if isinstance(bundle, Path) else 'bundle'}: not JSON") from None
    if not isinstance(doc, dict) or not doc.get("bundle_id"):
        raise UsageError(f"{bundle if isinstance(bundle, Path) else 'bundle'}: no bundle_id (not an evidence bundle)")
    store = spool(config)
    path = store.add(data, str(doc["bundle_id"]))
    state = store.read_state(str(doc["bundle_id"]))
    if "queued_at" not in state:
        store.write_state(str(doc["bundle_id"]), {**state, "queued_at": _now()})
    return path


def status(config: Config) -> list[SpoolEntry]:
    """What is waiting in the spool, and why (the last error of each bundle)."""
    return spool(config).entries()


# --------------------------------------------------------------------------- sending


def _loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_transport(url: str, insecure_http: bool = False) -> str | None:
    """Refuse to send a token over plain http to another machine; the warning to show when it is allowed.

    ``https://`` and plain http to this machine (127.0.0.0/8, ::1, localhost) pass silently. Plain http
    elsewhere raises :class:`UsageError` unless ``insecure_http`` (``--insecure-http`` or
    ``district.insecure_http = true``), and then the returned warning must be shown.
    """
    parts = urlsplit(url)
    if parts.scheme != "http" or _loopback(parts.hostname or ""):
        return None
    message = (
        f"{url}: plain http sends the upload token and the evidence unencrypted; "
        "anyone on the path can read the token and upload as this school"
    )
    if not insecure_http:
        raise UsageError(message + " (use https://, or --insecure-http / district.insecure_http = true to accept it)")
    return "WARNING: " + message


def reset_rejected(config: Config) -> int:
    """After re-enrolment every bundle the district refused gets another try (e.g. signed with the old key)."""
    store = spool(config)
    count = 0
    for entry in store.entries():
        if entry.rejected:
            state = store.read_state(entry.bundle_id)
            state["rejected"] = False
            state["last_error"] = f"retry after re-enrolment (was: {state.get('last_error', '')})"[:400]
            store.write_state(entry.bundle_id, state)
            count += 1
    return count


def _session(config: Config) -> requests.Session:
    import requests

    district = config.district
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {district.token}"
    session.headers["Content-Type"] = "application/json"
    session.headers["User-Agent"] = "schoolnet-audit-agent"
    if district.ca_file and not Path(district.ca_file).is_file():
        raise UsageError(f"district.ca_file: {district.ca_file}: no such file")
    return session


def _transport(config: Config) -> dict[str, Any]:
    """verify/proxies for each request: passed per call, because requests lets $REQUESTS_CA_BUNDLE and
    $HTTPS_PROXY override a Session's own settings (psf/requests#3829)."""
    district = config.district
    options: dict[str, Any] = {"verify": str(district.ca_file) if district.ca_file else True}
    if district.proxy:
        options["proxies"] = {"http": district.proxy, "https": district.proxy}
    return options


def _reason(response: requests.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    text = str(detail) if detail else (response.text or "").strip().splitlines()[0:1]
    if isinstance(text, list):
        text = text[0] if text else ""
    return f"HTTP {response.status_code}: {str(text)[:300] or response.reason}"


def _receipt_error(response: requests.Response, bundle_id: str) -> str | None:
    """A 2xx counts only as the district's receipt for this bundle (not, say, a captive portal's page)."""
    try:
        receipt = response.json()
    except ValueError:
        receipt = None
    if isinstance(receipt, dict) and receipt.get("bundle_id") == bundle_id:
        return None
    return f"HTTP {response.status_code} but not a receipt for this bundle (a proxy or portal in the way?)"


def _retry_after(response: requests.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: half the exponential step plus a random share of the other half."""
    step = min(cap, base * (2 ** max(0, attempt - 1)))
    return step / 2 + (rng or random).uniform(0, step / 2)


class _Stop(Exception):
    """The district cannot take uploads now (unreachable or token refused): keep the rest for later."""


def flush(
    config: Config,
    progress: Progress | None = None,
    bundles: Iterable[str] | None = None,
    *,
    base_delay: float = 1.0,
    max_delay: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
    insecure_http: bool = False,
) -> FlushResult:
    """Post every waiting bundle (or only ``bundles``, by id, including rejected ones) to the district.

    Plain http to another machine is refused unless ``insecure_http`` or ``district.insecure_http``.
    After each receipt the declared attachments the district lacks are sent (``PUT /api/v1/attachments/``).
    """
    import requests

    district = config.district
    if not district.url:
        raise UsageError("district.url is not set (enroll with `schoolnet config init --enroll URL CODE`)")
    if not district.token:
        raise UsageError("district.token is not set (enroll with `schoolnet config init --enroll URL CODE`)")
    warning = check_transport(district.url, insecure_http or bool(getattr(district, "insecure_http", False)))
    store = spool(config)
    entries = store.entries()
    if bundles is not None:
        wanted = list(bundles)
        known = {e.bundle_id for e in entries}
        missing = [b for b in wanted if b not in known]
        if missing:
            raise UsageError(f"bundle {missing[0]!r} is not in the spool ({store.dir})")
        entries = [e for e in entries if e.bundle_id in wanted]
    else:
        entries = [e for e in entries if not e.rejected]
    result = FlushResult()
    if warning:
        log.warning("%s", warning)
        result.warnings.append(warning)
    if progress:
        progress.start("upload", total=len(entries))
    session = _session(config)
    transport = _transport(config)
    url = district.url + BUNDLES_PATH
    timeout = (min(10.0, district.timeout_s), district.timeout_s)
    stopped: str | None = None
    try:
        for entry in entries:
            if stopped:
                result.waiting.append((entry.bundle_id, stopped))
                continue
            try:
                outcome = _send_one(
                    session, url, timeout, store, entry, district.max_attempts, base_delay, max_delay, sleep, transport
                )
                if outcome is None and entry.missing:
                    result.warnings += send_attachments(config, session, timeout, transport, entry.missing)
            except _Stop as exc:
                stopped = str(exc)
                result.waiting.append((entry.bundle_id, stopped))
                continue
            if outcome is None:
                result.sent.append(entry.bundle_id)
            else:
                result.rejected.append((entry.bundle_id, outcome))
            if progress:
                progress.advance(note=entry.bundle_id)
    except requests.exceptions.InvalidURL as exc:
        raise UsageError(f"district.url: {exc}") from None
    finally:
        session.close()
        if progress:
            progress.done(f"{len(result.sent)} sent, {len(result.rejected)} rejected, {len(result.waiting)} waiting")
    return result


def _send_one(
    session: requests.Session,
    url: str,
    timeout: tuple[float, float],
    store: Spool,
    entry: SpoolEntry,
    max_attempts: int,
    base_delay: float,
    max_delay: float,
    sleep: Callable[[float], None],
    transport: dict[str, Any],
) -> str | None:
    """None when the district acknowledged the bundle; the reason when it refused it for good."""
    import requests

    try:
        data = entry.path.read_bytes()
    except FileNotFoundError:  # sent by a concurrent flush
        return None
    state = store.read_state(entry.bundle_id)
    state.setdefault("queued_at", entry.queued_at)
    for attempt in range(1, max_attempts + 1):
        response = None
        try:
            headers = {SENT_AT_HEADER: datetime.now(UTC).isoformat(timespec="seconds")}  # lets the district see skew
            response = session.post(url, data=data, timeout=timeout, headers=headers, **transport)
            error = _receipt_error(response, entry.bundle_id) if response.status_code < 300 else _reason(response)
        except requests.exceptions.SSLError as exc:
            error = f"TLS: {_short(exc)}"
        except requests.exceptions.ProxyError as exc:
            error = f"proxy: {_short(exc)}"
        except requests.exceptions.Timeout:
            error = f"timed out after {timeout[1]:g} s"
        except requests.exceptions.ConnectionError as exc:
            error = f"cannot connect: {_short(exc)}"
        except requests.exceptions.RequestException as exc:
            error = f"{type(exc).__name__}: {_short(exc)}"
        state["attempts"] = int(state.get("attempts", 0)) + 1
        state["last_attempt_at"] = _now()
        if error is None:
            assert response is not None
            entry.missing[:] = _missing_attachments(response)
            store.remove(entry.bundle_id)
            return None
        state["last_error"] = error
        code = response.status_code if response is not None else None
        if code is not None and 400 <= code < 500 and code not in TRANSIENT_4XX:
            state["rejected"] = True
            store.write_state(entry.bundle_id, state)
            return error
        state["rejected"] = False
        store.write_state(entry.bundle_id, state)
        if code == 401:
            raise _Stop(f"{error} (enroll again: `schoolnet config init --enroll URL CODE`)")
        if attempt == max_attempts:
            raise _Stop(error)
        delay = _retry_after(response)
        sleep(min(max_delay, delay) if delay is not None else backoff_delay(attempt, base_delay, max_delay))
    raise _Stop("no attempt made")


def _short(exc: BaseException) -> str:
    text = str(exc)
    match = re.search(
        r"\[Errno -?\d+\] ([^')\]]+)|(Connection refused|Connection reset by peer|Remote end closed connection)", text
    )
    if match:
        return (match.group(1) or match.group(2)).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _missing_attachments(response: requests.Response) -> list[str]:
    try:
        receipt = response.json()
    except ValueError:
        return []
    missing = receipt.get("attachments_missing") if isinstance(receipt, dict) else None
    return [str(h) for h in missing if isinstance(h, str) and re.fullmatch(r"[0-9a-f]{64}", h)] if missing else []


def attachment_file(config: Config, sha256: str) -> Path | None:
    """The stored copy of a declared attachment (``<state>/evidence/files/<sha[:16]>-<name>``), if present."""
    from agent.evidence import evidence_dir

    for path in sorted((evidence_dir(config) / "files").glob(f"{sha256[:16]}-*")):
        return path
    return None


def send_attachments(
    config: Config,
    session: requests.Session,
    timeout: tuple[float, float],
    transport: dict[str, Any],
    hashes: list[str],
) -> list[str]:
    """PUT each attachment the district asked for; one warning per attachment that could not be sent."""
    import hashlib

    import requests

    warnings = []
    for sha in hashes:
        path = attachment_file(config, sha)
        if path is None:
            warnings.append(f"attachment {sha[:16]}: not found in the evidence store; the district lacks it")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            warnings.append(f"attachment {path.name}: changed since it was declared; not sent")
            continue
        try:
            response = session.put(
                config.district.url + ATTACHMENTS_PATH + sha,
                data=data,
                timeout=timeout,
                headers={"Content-Type": "application/octet-stream"},
                **transport,
            )
        except requests.exceptions.RequestException as exc:
            warnings.append(f"attachment {path.name}: {type(exc).__name__}: {_short(exc)}")
            continue
        if response.status_code >= 300:
            warnings.append(f"attachment {path.name}: {_reason(response)}")
    return warnings
