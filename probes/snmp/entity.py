"""ENTITY-MIB entPhysicalTable: chassis model/serial/firmware and the modules and ports it lists.

Some agents fill entPhysicalModelName with junk ('0x0029' on RouterOS, 'N/A', empty); those values are
dropped. Stacks and virtual chassis list several chassis: the first (lowest index) is the primary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from probes.catalog import interface_rules
from probes.snmp.data import SnmpData, as_text

ENT_PHYSICAL = "1.3.6.1.2.1.47.1.1.1.1"
_COLS = {
    "descr": 2,
    "class": 5,
    "name": 7,
    "hardware_rev": 8,
    "firmware_rev": 9,
    "software_rev": 10,
    "serial": 11,
    "mfg_name": 12,
    "model_name": 13,
}
#: ENTITY-MIB columns the inspection must walk.
ENTITY_COLUMNS = tuple(f"{ENT_PHYSICAL}.{n}" for n in _COLS.values())

CLASS_CHASSIS = 3
CLASS_MODULE = 9
CLASS_PORT = 10
CLASS_STACK = 11

_JUNK = re.compile(r"^(0x[0-9a-f]*|n/?a|none|null|unknown|not available|default|-+|\.+|0+|\s*)$", re.IGNORECASE)


def clean(value: str | None) -> str | None:
    """A useful ENTITY text value, or None for junk ('0x0029', 'N/A', '', '0')."""
    if value is None:
        return None
    value = value.strip()
    return None if _JUNK.match(value) else value


@dataclass(frozen=True)
class PhysicalEntity:
    index: int
    cls: int | None
    descr: str | None = None
    name: str | None = None
    model: str | None = None
    serial: str | None = None
    firmware: str | None = None
    software: str | None = None
    hardware_rev: str | None = None
    vendor: str | None = None

    @property
    def firmware_text(self) -> str | None:
        return self.software or self.firmware


def entities(data: SnmpData) -> tuple[PhysicalEntity, ...]:
    cols = {key: data.column(f"{ENT_PHYSICAL}.{num}") for key, num in _COLS.items()}
    indexes = sorted({idx for col in cols.values() for idx in col if len(idx) == 1})
    result = []
    for idx in indexes:
        cls_value = cols["class"].get(idx)

        def text(key: str, idx: tuple[int, ...] = idx) -> str | None:
            return clean(as_text(cols[key].get(idx)))

        result.append(
            PhysicalEntity(
                index=idx[0],
                cls=cls_value if isinstance(cls_value, int) else None,
                descr=text("descr"),
                name=text("name"),
                model=text("model_name"),
                serial=text("serial"),
                firmware=text("firmware_rev"),
                software=text("software_rev"),
                hardware_rev=text("hardware_rev"),
                vendor=text("mfg_name"),
            )
        )
    return tuple(result)


def chassis(data: SnmpData) -> tuple[PhysicalEntity, ...]:
    """Chassis entries (class 3), primary first; stacks (class 11) count when no chassis is listed."""
    ents = entities(data)
    found = tuple(e for e in ents if e.cls == CLASS_CHASSIS)
    return found or tuple(e for e in ents if e.cls == CLASS_STACK)


def modules(data: SnmpData) -> tuple[PhysicalEntity, ...]:
    """Pluggable modules (class 9) with a model or description (uplink cards, transceivers)."""
    return tuple(e for e in entities(data) if e.cls == CLASS_MODULE and (e.model or e.descr))


def ports(data: SnmpData) -> tuple[PhysicalEntity, ...]:
    return tuple(e for e in entities(data) if e.cls == CLASS_PORT)


def model_candidates(data: SnmpData) -> tuple[tuple[str, str], ...]:
    """(value, where) pairs worth looking up in the model table: chassis models first, then modules."""
    out: list[tuple[str, str]] = []
    for ent in chassis(data):
        if ent.model:
            out.append((ent.model, f"entPhysicalModelName.{ent.index}"))
    for ent in chassis(data):
        if ent.name:
            out.append((ent.name, f"entPhysicalName.{ent.index}"))
        if ent.descr:
            out.append((ent.descr, f"entPhysicalDescr.{ent.index}"))
    return tuple(out)


def speed_hint_mbps(data: SnmpData) -> tuple[int | None, str | None]:
    """The fastest cage a chassis, module or port entry names ('4SFP+ Module' -> 10000), and which entry."""
    hints = interface_rules().entity_speed_hints
    best: tuple[int | None, str | None] = (None, None)
    for ent in entities(data):
        if ent.cls not in (CLASS_CHASSIS, CLASS_MODULE, CLASS_PORT):
            continue
        for text in (ent.model, ent.descr):
            for hint in hints:
                if text and hint.matches(text):
                    if best[0] is None or hint.mbps > best[0]:
                        best = (hint.mbps, f"entPhysicalDescr/ModelName.{ent.index} '{text}'")
                    break
    return best
