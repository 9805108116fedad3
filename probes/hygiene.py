"""Security hygiene signals, read-only: default community, SNMP without v3, cleartext management.

* ``public``: one GET (v2c and v1) of sysObjectID, only when ``scan.test_default_community`` is on.
* v1/v2c without v3: devices that answered a community get one SNMPv3 engine-discovery request
  (RFC 3414/5343: no user, no keys); a v3 engine answers with a report, a v1/v2c-only agent stays silent.
  No credential is guessed.
* telnet/http vs ssh/https: a TCP connect to ports 23, 80, 22 and 443, closed at once, never a login.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence

from agent.config import SnmpCredential
from agent.model import Device, Text
from probes.snmp.client import Session, SnmpClient
from probes.snmp.inspect import SYS_OBJECT_ID

DEFAULT_COMMUNITY = "public"
PORTS = {"telnet": 23, "http": 80, "ssh": 22, "https": 443}
CONNECT_TIMEOUT_S = 1.5
MAX_CONNECTS = 32


async def answers_default_community(client: SnmpClient, ip: str, port: int) -> str | None:
    """'v2c' or 'v1' when ``ip`` answers community ``public`` (None otherwise)."""
    for version in ("2c", "1"):
        cred = SnmpCredential(version=version, community=DEFAULT_COMMUNITY)
        session = await client.session(ip, port, cred, retries=0)
        got = await client.get(session, [SYS_OBJECT_ID])
        if got.outcome == "ok" and got.values:
            return f"v{version}"
    return None


async def speaks_v3(client: SnmpClient, ip: str, port: int) -> bool:
    """True when an SNMPv3 engine answers an engine-discovery request (RFC 5343; no credential is sent)."""
    from probes.snmp.sweep import v3_engines

    return ip in await v3_engines([ip], port, timeout_s=client.timeout_s, retries=client.retries)


async def tcp_open(ip: str, port: int, timeout_s: float = CONNECT_TIMEOUT_S) -> bool:
    """A TCP connect and an immediate close: is anything listening?"""
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(ip, port), timeout_s)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


def _management_texts(ip: str, open_ports: Mapping[str, bool]) -> list[Text]:
    out = []
    if open_ports.get("telnet"):
        out.append(
            Text(
                "Mở quản trị bằng telnet (cổng 23, mật khẩu truyền dạng rõ): hãy tắt telnet, dùng SSH.",
                "Telnet management is open (port 23, passwords in clear text): turn telnet off, use SSH.",
            )
        )
    if open_ports.get("http") and not open_ports.get("https"):
        out.append(
            Text(
                "Trang quản trị chỉ có HTTP (cổng 80, không mã hoá): hãy bật HTTPS và tắt HTTP.",
                "Web management over HTTP only (port 80, unencrypted): enable HTTPS and turn HTTP off.",
            )
        )
    elif open_ports.get("http"):
        out.append(
            Text(
                "Trang quản trị còn mở HTTP (cổng 80) bên cạnh HTTPS: nên chuyển hẳn sang HTTPS.",
                "Web management still answers HTTP (port 80) next to HTTPS: redirect to HTTPS only.",
            )
        )
    return out


async def check(
    client: SnmpClient,
    devices: Sequence[Device],
    sessions: Mapping[str, Session],
    *,
    test_default_community: bool = False,
    port: int = 161,
    v3_capable: set[str] | None = None,
    ports: Mapping[str, int] = PORTS,
) -> dict[str, list[Text]]:
    """Hygiene texts per device IP (read-only probes; see the module docstring).

    ``v3_capable``: addresses already known to speak SNMPv3 (from the sweep's probe; None = probe here).
    """
    out: dict[str, list[Text]] = {}
    gate = asyncio.Semaphore(MAX_CONNECTS)
    if v3_capable is None:  # one engine-discovery round for every device that answered a community
        from probes.snmp.sweep import v3_engines

        community = [d.ip for d in devices if (s := sessions.get(d.ip)) is not None and s.version in ("1", "2c")]
        v3_capable = await v3_engines(community, port, timeout_s=client.timeout_s, retries=client.retries)

    async def one(device: Device) -> None:
        ip = device.ip
        texts: list[Text] = []
        async with gate:
            if test_default_community:
                version = await answers_default_community(client, ip, port)
                if version:
                    texts.append(
                        Text(
                            f"Thiết bị trả lời community mặc định 'public' (SNMP {version}): hãy đổi hoặc tắt.",
                            f"The device answers the default community 'public' (SNMP {version}): "
                            "change or disable it.",
                        )
                    )
            session = sessions.get(ip)
            if session is not None and session.version in ("1", "2c") and ip not in v3_capable:
                texts.append(
                    Text(
                        f"Chỉ có SNMP v{session.version} (community gửi dạng rõ), không có SNMPv3: "
                        "hãy bật SNMPv3 (SHA-2 + AES) và tắt v1/v2c.",
                        f"Only SNMP v{session.version} (community sent in clear text), no SNMPv3: "
                        "enable SNMPv3 (SHA-2 + AES) and turn v1/v2c off.",
                    )
                )
            if session is not None:
                names = list(ports)
                states = await asyncio.gather(*(tcp_open(ip, ports[n]) for n in names))
                texts += _management_texts(ip, dict(zip(names, states, strict=True)))
        if texts:
            out[ip] = texts

    await asyncio.gather(*(one(d) for d in devices))
    return out
