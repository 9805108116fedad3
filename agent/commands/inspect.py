"""`schoolnet inspect HOST`: ask one device over SNMP what it is; print one Device (``--json``) or a summary."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

import click

from agent.errors import RuntimeFailure, UsageError
from agent.options import Options

AUTH_PROTOCOLS = ["MD5", "SHA", "SHA224", "SHA256", "SHA384", "SHA512"]
PRIV_PROTOCOLS = ["DES", "3DES", "AES128", "AES192", "AES256"]


def _resolve(host: str) -> str:
    try:
        return str(ipaddress.IPv4Address(host))
    except ValueError:
        pass
    try:
        return str(socket.getaddrinfo(host, None, socket.AF_INET)[0][4][0])
    except (OSError, IndexError):
        raise UsageError(f"{host!r} is not an IPv4 address or a resolvable host name") from None


def _credentials(opts: Options, community: str | None, snmp_version: str, v3: dict[str, Any]) -> list[Any]:
    from pydantic import ValidationError

    from agent.config import SnmpCredential

    if community is not None and v3["user"]:
        raise UsageError("give either --community or --v3-user, not both")
    try:
        if community is not None:
            return [SnmpCredential(version=snmp_version, community=community)]  # type: ignore[arg-type]
        if v3["user"]:
            return [
                SnmpCredential(
                    version="3",
                    user=v3["user"],
                    auth_protocol=v3["auth_proto"] or ("SHA256" if v3["auth_key"] else "none"),
                    auth_key=v3["auth_key"] or "",
                    priv_protocol=v3["priv_proto"] or ("AES128" if v3["priv_key"] else "none"),
                    priv_key=v3["priv_key"] or "",
                    context=v3["context"] or "",
                )
            ]
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UsageError(str(first["msg"]).removeprefix("Value error, ")) from None
    creds = list(opts.config().snmp.credentials)
    if not creds:
        raise UsageError("no SNMP credential: give --community C or --v3-user U ... (or list snmp.credentials)")
    return creds


@click.command(name="inspect")
@click.argument("host")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="UDP port (default: scan.snmp_port, 161).")
@click.option("--community", default=None, help="SNMP v1/v2c community (default: the configured credentials).")
@click.option("--snmp-version", type=click.Choice(["1", "2c"]), default="2c", show_default=True)
@click.option("--v3-user", default=None, help="SNMPv3 user name.")
@click.option("--v3-auth-proto", type=click.Choice(AUTH_PROTOCOLS), default=None, help="default SHA256 with a key")
@click.option("--v3-auth-key", default=None, help="SNMPv3 authentication pass phrase (8+ characters).")
@click.option("--v3-priv-proto", type=click.Choice(PRIV_PROTOCOLS), default=None, help="default AES128 with a key")
@click.option("--v3-priv-key", default=None, help="SNMPv3 privacy pass phrase (8+ characters).")
@click.option("--v3-context", default=None, help="SNMPv3 context name.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(0.1, 60), default=None, help="Seconds per request.")
@click.option("--retries", type=click.IntRange(0, 10), default=None, help="Retries per request.")
@click.option("--budget", "budget_s", type=click.FloatRange(1, 3600), default=None, help="Time limit for the device.")
@click.option("--json", "as_json", is_flag=True, help="Print the Device as JSON on stdout.")
@click.pass_obj
def cli(
    opts: Options,
    host: str,
    port: int | None,
    community: str | None,
    snmp_version: str,
    v3_user: str | None,
    v3_auth_proto: str | None,
    v3_auth_key: str | None,
    v3_priv_proto: str | None,
    v3_priv_key: str | None,
    v3_context: str | None,
    timeout_s: float | None,
    retries: int | None,
    budget_s: float | None,
    as_json: bool,
) -> None:
    """Inspect HOST over SNMP: role, vendor, model, ports and speeds, LLDP neighbours, radios.

    Without --community/--v3-user the configured credentials are tried in order.
    Exit 3 when the device does not answer (the Device is still printed with the reason).
    """
    v3 = {
        "user": v3_user,
        "auth_proto": v3_auth_proto,
        "auth_key": v3_auth_key,
        "priv_proto": v3_priv_proto,
        "priv_key": v3_priv_key,
        "context": v3_context,
    }
    creds = _credentials(opts, community, snmp_version, v3)
    ip = _resolve(host)
    scan = opts.config().scan
    from probes.discovery import inspect_one_with_aps

    device = None
    aps: tuple[Any, ...] = ()
    for cred in creds:
        device, aps = asyncio.run(
            inspect_one_with_aps(
                ip,
                port or scan.snmp_port,
                cred,
                timeout_s=timeout_s or scan.snmp_timeout_s,
                retries=scan.snmp_retries if retries is None else retries,
                budget_s=budget_s or scan.device_budget_s,
                test_default_community=scan.test_default_community,
            )
        )
        if device.snmp_status not in ("timeout", "auth_error"):
            break
    assert device is not None
    if as_json or opts.as_json:
        from agent.model import to_jsonable

        doc = to_jsonable(device)
        if aps:  # a controller: each AP it lists, judged like any AP (its own `wifi` object)
            doc["aps"] = [to_jsonable(ap) for ap in aps]
        opts.emit_json(doc)
    else:
        _summary(opts, device)
        for ap in aps:
            wifi = ap.wifi
            std = f"802.11{wifi.standard} ({wifi.provenance})" if wifi and wifi.standard else "?"
            click.echo(f"  AP {ap.mac or ap.ip or '?'}  {ap.model or '?'}  {std}")
    if device.snmp_status in ("timeout", "auth_error"):
        raise RuntimeFailure(
            opts.text(
                f"{ip} không trả lời SNMP với thông tin đã cho ({device.snmp_status})",
                f"{ip} did not answer SNMP with the given credentials ({device.snmp_status})",
            )
        )


def _summary(opts: Options, device: Any) -> None:
    t = opts.text
    rows = [
        (t("Địa chỉ", "Address"), device.ip),
        (t("Vai trò", "Role"), f"{device.role} ({device.role_confidence:.2f})"),
        (t("Hãng / mẫu", "Vendor / model"), f"{device.vendor or '?'} / {device.model or '?'}"),
        ("sysDescr", (device.sys_descr or "")[:100]),
        ("sysObjectID", device.sys_object_id or ""),
        (t("Cổng nhanh nhất (đang chạy)", "Fastest up port"), _mbps(device.max_port_speed_mbps)),
        (t("Khả năng cổng", "Port capability"), _mbps(device.max_port_capability_mbps)),
        (t("Sóng Wi-Fi", "Radios"), str(len(device.radios))),
        ("Wi-Fi", _wifi_line(device.wifi)),
        (t("Hàng xóm LLDP/CDP", "LLDP/CDP neighbours"), str(len(device.lldp_neighbors))),
        ("SNMP", f"{device.snmp_status} {device.snmp_version or ''}".strip()),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        click.echo(f"{key:<{width}}  {value}")
    up = [i for i in device.interfaces if i.physical and i.oper_up]
    if up:
        click.echo(t("Cổng vật lý đang chạy:", "Physical ports up:"))
        for i in up:
            click.echo(f"  {i.name:<24} {_mbps(i.speed_mbps)}")
    for text in device.hygiene:
        click.echo(f"  ! {text.get(opts.lang)}")
    for b in device.basis:
        click.echo(f"  [{b.source}] {b.key} = {b.value} {b.note}".rstrip())
    for err in device.errors:
        click.echo(f"  ! {err}", err=True)


def _mbps(value: int | None) -> str:
    if value is None:
        return "?"
    return f"{value // 1000} Gbit/s" if value >= 1000 and value % 1000 == 0 else f"{value} Mbit/s"


def _wifi_line(wifi: Any) -> str:
    if wifi is None or not wifi.standard:
        return "?"
    wave2 = {True: ", Wave 2", False: ", not Wave 2"}.get(wifi.wave2, "")
    bands = "/".join(wifi.bands_ghz) + " GHz" if wifi.bands_ghz else "bands ?"
    flag = ", unverified" if wifi.provenance == "catalog" and not wifi.verified else ""
    return f"802.11{wifi.standard}{wave2}, {bands} ({wifi.provenance}{flag})"
