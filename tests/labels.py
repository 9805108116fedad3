"""The shared recordings' labels (../shared/recordings/librenms/labels.json), read in place, with the project's
documented corrections.

A correction is made only where a stored primary source contradicts a label the labels file itself marks as
recalled/unverified; each names the source. The shared file is never edited (it is not the project's).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# community (file stem) -> fields replaced, and why
CORRECTIONS: dict[str, tuple[dict[str, Any], str]] = {
    "stellar_oaw-ap1321": (
        {"wifi_standard": "ax", "wifi_wave2": None},
        "label 'ac-wave2' is 'from product recall (unverified)'; the vendor's ALCATEL-NGOAW-DEVICES-MIB "
        "(librenms mibs, code index id 1095375760) names this sysObjectID (…802.1.1.2.1.2.12) 'OmniAccess Stellar "
        "AP1321. Dual radio 4x4:4 + 2x2:2 802.11ax Indoor AP'",
    ),
}


def records(recordings_dir: Path) -> list[dict[str, Any]]:
    """Every label record, corrections applied (the record then carries ``corrected_because``)."""
    out = []
    for record in json.loads((recordings_dir / "labels.json").read_text(encoding="utf-8"))["records"]:
        fix = CORRECTIONS.get(record["community"])
        out.append({**record, **fix[0], "corrected_because": fix[1]} if fix else record)
    return out
