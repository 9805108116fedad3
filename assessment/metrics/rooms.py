"""``room_coverage`` and ``classroom_ratio``: the rooms the config lists.

A device is in a room by its sysLocation (measured over SNMP) or because the room's ``devices`` list names it
(declared). Projector and Internet per classroom are declared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.model import Basis, Device, Finding, Provenance, Role, Room, Status, Text
from assessment.profile import Rule
from assessment.registry import Context, Metric, register
from assessment.text import T, label

SCHOOL = "school"
_NET = (Role.ACCESS_POINT, Role.SWITCH, Role.ROUTER)


def room_devices(room: Room, devices: Sequence[Device]) -> tuple[list[tuple[Device, bool]], list[str]]:
    """([(device located in the room, whether by sysLocation)], listed entries that matched no device)."""
    wanted = [w.strip().casefold() for w in room.devices if w.strip()]
    name = room.name.strip().casefold()
    found: list[tuple[Device, bool]] = []
    for d in devices:
        loc = (d.sys_location or "").strip().casefold()
        by_location = bool(name and loc and re.search(r"(^|[^\w])" + re.escape(name) + r"($|[^\w])", loc))
        if d.ip.casefold() in wanted or (loc and loc in wanted) or by_location:
            found.append((d, by_location or (bool(loc) and loc in wanted)))
    missing = [w for w in wanted
               if not any(w in (d.ip.casefold(), (d.sys_location or "").casefold()) for d, _ in found)]
    return found, missing


def coverage(rule: Rule, room: Room, ctx: Context) -> Finding:
    found, missing = room_devices(room, ctx.inputs.devices)
    net = [(d, loc) for d, loc in found if d.role in _NET]
    basis = tuple(Basis(source="snmp" if loc else "declared", key="sysLocation" if loc else "rooms.devices",
                        value=d.sys_location or d.ip, note=label(d)) for d, loc in found)
    subject = f"room:{room.name}"
    if net:
        names = ", ".join(label(d) for d, _ in net)
        prov: Provenance = "measured" if any(loc for _, loc in net) else "declared"
        return Finding(rule.id, subject, Status.PASS, names, "AP/switch", basis, provenance=prov,
                       declared=prov == "declared",
                       reason=T(f"{room.name}: có {names}.", f"{room.name}: has {names}."))
    if missing:
        return Finding(rule.id, subject, Status.UNKNOWN, None, "AP/switch", basis,
                       reason=T(f"{room.name}: thiết bị {', '.join(missing)} không tìm thấy trên mạng.",
                                f"{room.name}: listed device(s) {', '.join(missing)} not found on the network."),
                       remedy=T("Kiểm tra thiết bị đã bật và trả lời SNMP.",
                                "Check the device is on and answers SNMP."))
    return Finding(rule.id, subject, Status.FAIL, None, "AP/switch", basis, provenance="measured",
                   reason=T(f"{room.name}: không có AP hay switch nào được xác định trong phòng.",
                            f"{room.name}: no AP or switch is located in this room."),
                   remedy=T(f"Lắp AP/cổng mạng cho {room.name}, hoặc đặt sysLocation của thiết bị là '{room.name}' / "
                            "liệt kê địa chỉ trong [[rooms]] devices.",
                            f"Provide an AP/network port for {room.name}, or set the device's sysLocation to "
                            f"'{room.name}' / list its address under [[rooms]] devices."))


def classroom(rule: Rule, room: Room, ctx: Context) -> Finding:
    subject = f"room:{room.name}"
    cover = coverage(rule, room, ctx)
    internet = room.internet if room.internet is not None else (True if cover.status == Status.PASS else None)
    basis = (Basis(source="declared", key="projector", value=str(room.projector)),
             Basis(source="declared" if room.internet is not None else "snmp", key="internet", value=str(internet)),
             *cover.basis)
    shown = f"projector={room.projector}, internet={internet}"
    kw = {"provenance": "declared", "declared": True}
    if room.projector and internet:
        return Finding(rule.id, subject, Status.PASS, shown, "projector + Internet", basis, **kw,  # type: ignore[arg-type]
                       reason=T(f"{room.name}: có thiết bị trình chiếu và Internet.",
                                f"{room.name}: has projection equipment and Internet."))
    if room.projector is False or internet is False:
        lack = T("thiết bị trình chiếu" if room.projector is False else "Internet",
                 "projection equipment" if room.projector is False else "Internet")
        return Finding(rule.id, subject, Status.FAIL, shown, "projector + Internet", basis, **kw,  # type: ignore[arg-type]
                       reason=T(f"{room.name}: thiếu {lack.vi}.", f"{room.name}: lacks {lack.en}."),
                       remedy=T(f"Trang bị {lack.vi} cho {room.name}.", f"Equip {room.name} with {lack.en}."))
    return Finding(rule.id, subject, Status.UNKNOWN, shown, "projector + Internet", basis,
                   reason=T(f"{room.name}: chưa khai báo đủ (máy chiếu/Internet).",
                            f"{room.name}: not fully declared (projector/Internet)."),
                   remedy=T(f"Điền projector = true/false và internet = true/false cho '{room.name}' trong [[rooms]].",
                            f"Set projector = true/false and internet = true/false for '{room.name}' under [[rooms]]."))


def classroom_summary(rule: Rule, rooms: list[Finding], ctx: Context) -> Finding:
    from assessment.aggregate import summarise

    n = len(rooms)
    if not n:
        return summarise(rule, rooms, T("phòng", "rooms"), _NO_ROOMS)
    ok = sum(1 for f in rooms if f.status == Status.PASS)
    unknown = sum(1 for f in rooms if f.status == Status.UNKNOWN)
    need = rule.number
    basis = tuple(Basis(source="rule", key=f.subject, value=f.status.value) for f in rooms)
    shown = f"{ok}/{n} = {ok / n:.0%}"
    thr = f"≥ {need:.0%}"
    if ok / n >= need:
        return Finding(rule.id, SCHOOL, Status.PASS, shown, thr, basis, provenance="declared", declared=True,
                       reason=T(f"{ok}/{n} phòng học đáp ứng.", f"{ok}/{n} classrooms qualify."))
    if (ok + unknown) / n >= need:
        return Finding(rule.id, SCHOOL, Status.UNKNOWN, shown, thr, basis,
                       reason=T(f"{unknown} phòng chưa khai báo đủ.", f"{unknown} room(s) not fully declared."),
                       remedy=next((f.remedy for f in rooms if f.status == Status.UNKNOWN), None))
    return Finding(rule.id, SCHOOL, Status.FAIL, shown, thr, basis, provenance="declared", declared=True,
                   reason=T(f"Chỉ {ok}/{n} phòng học đáp ứng.", f"Only {ok}/{n} classrooms qualify."),
                   remedy=next((f.remedy for f in rooms if f.status == Status.FAIL), None))


_NO_ROOMS = T("Liệt kê các phòng học trong mục [[rooms]] của tệp cấu hình.",
              "List the classrooms under [[rooms]] in the config file.")


def _upgrade(rule: Rule, finding: Finding) -> Text:
    return T("Đặt sysLocation của thiết bị theo tên phòng để vị trí được đọc qua SNMP.",
             "Set the devices' sysLocation to the room name so the location is read over SNMP.")


register(Metric("room_coverage", lambda rule, ctx: [coverage(rule, r, ctx) for r in ctx.inputs.rooms],
                upgrade=_upgrade))
register(Metric("classroom_ratio", lambda rule, ctx: [classroom(rule, r, ctx) for r in ctx.inputs.rooms],
                summary=classroom_summary, upgrade=_upgrade))
NO_ROOMS = _NO_ROOMS
