"""Enrollment: send this agent's public key with the district's one-time code, keep the upload token.

Used by ``schoolnet config init --enroll URL CODE``. The token is written into the config file, which
stays mode 0600; comments and layout of the file are kept.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.errors import RuntimeFailure, UsageError
from agent.files import atomic_write

ENROLL_PATH = "/api/v1/enroll"


@dataclass(frozen=True)
class Enrollment:
    school_id: str
    school_name: str
    key_id: str
    url: str
    retried: int = 0  # refused bundles in the spool that get another try with the new enrolment
    warning: str | None = None  # set when the token travelled over plain http (--insecure-http)


def _toml_string(value: str) -> str:
    import tomli_w

    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def set_toml_value(text: str, table: str, key: str, value: str) -> str:
    """``text`` with ``[table] key = "value"`` set, keeping every comment and the rest of the layout."""
    lines = text.splitlines(keepends=True)
    header = re.compile(r"^\s*\[\s*" + re.escape(table) + r"\s*\]\s*(#.*)?$")
    any_header = re.compile(r"^\s*\[")
    assign = re.compile(r"^(\s*" + re.escape(key) + r"\s*=\s*)(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^#\s]*)(\s*(#.*)?)$")
    rendered = _toml_string(value)
    start = next((i for i, line in enumerate(lines) if header.match(line.rstrip("\r\n"))), None)
    if start is None:
        sep = "" if not text or text.endswith("\n") else "\n"
        return f"{text}{sep}\n[{table}]\n{key} = {rendered}\n"
    end = next((i for i in range(start + 1, len(lines)) if any_header.match(lines[i])), len(lines))
    for i in range(start + 1, end):
        body = lines[i].rstrip("\r\n")
        match = assign.match(body)
        if match:
            newline = lines[i][len(body) :]
            lines[i] = f"{match.group(1)}{rendered}{match.group(3)}{newline or chr(10)}"
            return "".join(lines)
    lines.insert(start + 1, f"{key} = {rendered}\n")
    return "".join(lines)


def _post(config: Any, url: str, payload: dict[str, Any]) -> dict[str, Any]:
    import requests

    district = config.district
    verify: str | bool = True
    if district.ca_file:
        if not Path(district.ca_file).is_file():
            raise UsageError(f"district.ca_file: {district.ca_file}: no such file")
        verify = str(district.ca_file)
    proxies = {"http": district.proxy, "https": district.proxy} if district.proxy else None
    try:
        response = requests.post(
            url + ENROLL_PATH, json=payload, timeout=(10, district.timeout_s), verify=verify, proxies=proxies
        )
    except requests.exceptions.SSLError:
        raise RuntimeFailure(f"{url}: TLS certificate not trusted (set district.ca_file for a private CA)") from None
    except requests.exceptions.RequestException as exc:
        raise RuntimeFailure(f"{url}: cannot reach the district ({type(exc).__name__})") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code >= 400:
        detail = body.get("detail") if isinstance(body, dict) else None
        why = detail or response.reason
        raise UsageError(f"the district refused the enrollment: HTTP {response.status_code}: {why}")
    if not isinstance(body, dict) or not body.get("token") or not body.get("school_id"):
        raise RuntimeFailure(f"{url}: the answer is not an enrollment receipt (is this the district server?)")
    return body


def enroll(config_path: Path, url: str, code: str, insecure_http: bool = False) -> Enrollment:
    """Enroll this agent with the district at ``url`` using the one-time ``code``.

    The signing key (``agent.key_path``) is made if missing; the returned upload token and ``url`` are written
    into ``config_path`` (mode 0600). Bundles the district had refused get another try (a key rotation makes
    the district accept bundles signed before it, within its grace window). Plain http to another machine is
    refused unless ``insecure_http`` (or ``district.insecure_http`` in the config). Returns what the district
    said, never the token.
    """
    from agent import config as config_mod
    from agent.signing import load_or_create_key, public_b64
    from agent.upload import check_transport, reset_rejected

    config_path = Path(config_path)
    url = url.strip().rstrip("/")
    if not url.startswith(("https://", "http://")):
        raise UsageError(f"{url!r} is not an http(s) URL")
    if not code.strip():
        raise UsageError("the enrollment code is empty")
    config = config_mod.load(config_path, required=True)
    warning = check_transport(url, insecure_http or config.district.insecure_http)
    key = load_or_create_key(config.agent.key_path)
    payload: dict[str, Any] = {"code": code.strip(), "public_key": public_b64(key.public_key())}
    if config.school.id:
        payload["school_id"] = config.school.id
    body = _post(config, url, payload)
    text = config_path.read_text(encoding="utf-8")
    text = set_toml_value(text, "district", "url", url)
    text = set_toml_value(text, "district", "token", str(body["token"]))
    if not config.school.id:
        text = set_toml_value(text, "school", "id", str(body["school_id"]))
    if not config.school.name and body.get("name"):
        text = set_toml_value(text, "school", "name", str(body["name"]))
    written = tomllib.loads(text)
    if written.get("district", {}).get("token") != body["token"]:
        raise RuntimeFailure(f"{config_path}: could not record the token in the config file")
    new_config = config_mod.parse(written, str(config_path))
    atomic_write(config_path, text.encode("utf-8"), mode=0o600)
    retried = reset_rejected(new_config)
    return Enrollment(
        str(body["school_id"]), str(body.get("name", "")), str(body.get("key_id", "")), url, retried, warning
    )
