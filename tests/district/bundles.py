"""Signed evidence bundles built from agent.model objects (fixtures for tests and bench/district_ingest)."""

from __future__ import annotations

import base64
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from agent.model import (
    BandwidthResult,
    Basis,
    Criterion,
    Declaration,
    Device,
    EvidenceBundle,
    Finding,
    Interface,
    Radio,
    Role,
    School,
    Status,
    Text,
    to_jsonable,
)
from agent.schema import shipped
from agent.signing import key_id, signed_bytes

CRITERIA = (
    ("1.2-router", "Router tối thiểu 10 Gbps", "Router of at least 10 Gbps"),
    ("1.2-switch", "Switch tối thiểu 1 Gbps", "Switches of at least 1 Gbps"),
    ("1.2-wifi-standard", "Wi-Fi chuẩn 802.11ac Wave 2 trở lên", "Wi-Fi 802.11ac Wave 2 or newer"),
    ("1.2-internet", "Đường truyền Internet tối thiểu 1 Gbps", "Internet connection of at least 1 Gbps"),
    ("1.2-security", "Có giải pháp an toàn thông tin mạng", "A network-security solution is in place"),
)


def public_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def resign(doc: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """A changed document signed again (to test content that is validly signed but otherwise wrong)."""
    from agent.signing import signed_bytes

    body = {k: v for k, v in doc.items() if k != "signature"}
    sig = dict(doc["signature"])
    sig["value"] = base64.b64encode(key.sign(signed_bytes(body))).decode("ascii")
    return {**body, "signature": sig}


def make_bundle(
    school_id: str,
    *,
    key: Ed25519PrivateKey,
    bundle_id: str | None = None,
    finished_at: str = "2026-11-20T08:30:00Z",
    devices: int = 6,
    download_mbps: float = 420.0,
    upload_mbps: float = 180.0,
    statuses: tuple[str, ...] = ("fail", "pass", "pass", "unknown", "pass"),
    ward: str = "Phường Bến Nghé",
    claimed: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """A signed bundle for ``school_id``; ``devices`` scales its size (about 2 KB per device).

    ``statuses`` are the school's claims for CRITERIA (router, switch, Wi-Fi, Internet, security); the inputs
    are built so the district's own assessment agrees with them (``claimed`` overrides the claims alone, to
    make a school that claims more than its evidence shows).
    """
    want = dict(zip([c for c, _, _ in CRITERIA], statuses, strict=False))
    devs = []
    for i in range(devices):
        role = (Role.ROUTER, Role.SWITCH, Role.ACCESS_POINT)[i % 3]
        status = want.get({Role.ROUTER: "1.2-router", Role.SWITCH: "1.2-switch"}.get(role, "1.2-wifi-standard"))
        port = {Role.ROUTER: {"pass": 10000, "fail": 1000}, Role.SWITCH: {"pass": 1000, "fail": 100}}.get(role, {})
        speed = port.get(status or "", 1000)
        ifaces = tuple(
            Interface(index=n, name=f"ge-0/0/{n}", type=6, oper_up=n % 2 == 0, speed_mbps=speed, physical=True)
            for n in range(4)
        )
        radios: tuple[Radio, ...] = ()
        if role is Role.ACCESS_POINT and status == "pass":
            radios = (Radio(band_ghz="2.4", standard="802.11n", max_rate_mbps=400.0),
                      Radio(band_ghz="5", standard="802.11ac", wave2=True, max_rate_mbps=866.7))
        elif role is Role.ACCESS_POINT and status == "fail":
            radios = (Radio(band_ghz="2.4", standard="802.11n", max_rate_mbps=300.0),)
        known = status in ("pass", "fail") or role is Role.ACCESS_POINT
        oid = Basis(source="snmp", key="1.3.6.1.2.1.1.2.0 sysObjectID", value="1.3.6.1.4.1.9.1.1")
        basis: tuple[Basis, ...] = (oid,)
        if known and role is not Role.ACCESS_POINT:
            basis += (Basis(source="snmp", key="IF-MIB fastest physical port (ge-0/0/0)", value=str(speed)),)
        devs.append(
            Device(
                ip=f"10.0.{i // 250}.{i % 250 + 1}",
                vendor="Cisco" if i % 2 else "TP-Link",
                model=f"Model-{i}",
                role=role,
                role_confidence=0.9,
                sys_descr=f"Thiết bị {i} — mô tả hệ thống",
                interfaces=ifaces if known else (),
                radios=radios,
                max_port_speed_mbps=speed if known else None,
                max_port_capability_mbps=speed if known else None,
                snmp_status="ok",
                basis=basis,
            )
        )
    internet = want.get("1.2-internet")
    down = {"pass": max(download_mbps, 950.0), "fail": min(download_mbps, 500.0)}.get(internet or "", download_mbps)
    limited = None if internet in ("pass", "fail") else "agent NIC 100 Mbit/s"
    security = {"pass": "FortiGate 60F", "fail": "không"}.get(want.get("1.2-security") or "")
    findings = tuple(
        Finding(
            criterion_id=cid,
            subject="school",
            status=Status(status),
            measured="x",
            threshold="y",
            reason=Text(vi="Lý do", en="Reason"),
        )
        for (cid, _, _), status in zip(CRITERIA, claimed or statuses, strict=False)
    )
    bundle = EvidenceBundle(
        bundle_id=bundle_id or str(uuid.uuid4()),
        school=School(id=school_id, name=f"Trường {school_id}", ward=ward),
        agent_version="0.1.0",
        started_at=finished_at.replace("08:30", "08:10"),
        finished_at=finished_at,
        devices=tuple(devs),
        measurements=(
            BandwidthResult(engine="http", server="district", direction="download", mbps=down, limited_by=limited),
            BandwidthResult(engine="http", server="district", direction="upload", mbps=upload_mbps),
        ),
        declarations=(Declaration("security_solution", security),) if security else (),
        findings=findings,
        criteria=tuple(Criterion(id=cid, title=Text(vi=vi, en=en)) for cid, vi, en in CRITERIA),
        criteria_profile="hcmc-956-2024",
    )
    return sign_document(to_jsonable(bundle), key)


def _prune(node: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """Drop members the shipped schema does not know (the model may run ahead of config/evidence.schema.json)."""
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    for alt in schema.get("anyOf", ()):
        if alt.get("type") == "null" and node is None:
            return node
        if "$ref" in alt or alt.get("type") in ("object", "array"):
            return _prune(node, alt, defs)
    if isinstance(node, dict) and "properties" in schema:
        props = schema["properties"]
        return {k: _prune(v, props[k], defs) for k, v in node.items() if k in props}
    if isinstance(node, list) and isinstance(schema.get("items"), dict):
        return [_prune(v, schema["items"], defs) for v in node]
    return node


def sign_document(document: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """Sign a bundle document as the agent does (agent.signing), after fitting it to the shipped schema."""
    schema = shipped()
    fitted = _prune({k: v for k, v in document.items() if k != "signature"}, schema, schema.get("$defs", {}))
    public = key.public_key()
    fitted["signature"] = {
        "algorithm": "ed25519",
        "key_id": key_id(public),
        "public_key": public_b64(key),
        "value": base64.b64encode(key.sign(signed_bytes(fitted))).decode("ascii"),
    }
    return fitted
