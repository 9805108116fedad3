"""What the assessment judges: one run's findings as plain data, from a run or from a signed bundle."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.model import (
    AirAccessPoint,
    BandwidthResult,
    Declaration,
    Device,
    EvidenceBundle,
    Host,
    Room,
    School,
)


@dataclass(frozen=True)
class Inputs:
    """Everything one run found, as the assessment needs it (no verdicts)."""

    devices: tuple[Device, ...] = ()
    air: tuple[AirAccessPoint, ...] = ()
    measurements: tuple[BandwidthResult, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    host: Host | None = None
    school: School | None = None
    rooms: tuple[Room, ...] = ()
    skipped: dict[str, str] = field(default_factory=dict)  # probe -> why (e.g. "wifi": "--skip-wifi")
    school_ssids: tuple[str, ...] = ()  # [wifi] ssids: networks the school says are its own

    @classmethod
    def of(cls, bundle: EvidenceBundle) -> Inputs:
        """The inputs a bundle carries (its own findings are ignored: they are the school's claim)."""
        return cls(
            devices=bundle.devices, air=bundle.air, measurements=bundle.measurements,
            declarations=bundle.declarations, host=bundle.host, school=bundle.school, rooms=bundle.rooms,
            skipped=dict(bundle.skipped), school_ssids=bundle.school_ssids,
        )


def declared(inputs: Inputs, key: str) -> Declaration | None:
    """The latest non-empty declaration for ``key`` (later entries win)."""
    found = None
    for decl in inputs.declarations:
        if decl.key == key and decl.value.strip():
            found = decl
    return found
