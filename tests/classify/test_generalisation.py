"""Leave-vendor-out: how much of the role accuracy survives without the catalog rows written for a vendor.

For each vendor in labels.json (grouped by first word: 'Cisco' covers Cisco and Cisco Meraki), the model
table is rebuilt in memory without (a) that vendor's exact model rows (names / sysObjectIDs; family
patterns stay) and (b) every row of that vendor, families included; then that vendor's recordings are
classified again. ``-s`` prints the table that docs/classification.md quotes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest

from probes import classify as classify_module
from probes.catalog import ModelIndex, ModelRow, models
from tests.classify.test_accuracy import expected_role

MODES = ("full", "no exact rows", "no rows at all")


def vendor_key(vendor: str) -> str:
    return re.split(r"[\s(]", vendor.strip())[0].lower()


def _rows(mode: str, key: str) -> tuple[ModelRow, ...]:
    rows = models().rows
    if mode == "no exact rows":
        return tuple(r for r in rows if not (vendor_key(r.vendor) == key and not r.pattern))
    if mode == "no rows at all":
        return tuple(r for r in rows if vendor_key(r.vendor) != key)
    return rows


def leave_vendor_out(snmp: Any, labels: dict[str, Any], monkeypatch: pytest.MonkeyPatch
                     ) -> dict[str, dict[str, tuple[int, int]]]:
    """vendor key -> mode -> (correct roles, recordings)."""
    by_vendor: dict[str, list[str]] = defaultdict(list)
    for name, label in labels.items():
        by_vendor[vendor_key(label["vendor"])].append(name)
    table: dict[str, dict[str, tuple[int, int]]] = {}
    for key, names in sorted(by_vendor.items()):
        table[key] = {}
        for mode in MODES:
            index = ModelIndex(_rows(mode, key))
            monkeypatch.setattr(classify_module, "models", lambda index=index: index)
            ok = sum(classify_module.classify("192.0.2.1", snmp(n)).role is expected_role(labels[n]) for n in names)
            table[key][mode] = (ok, len(names))
    monkeypatch.undo()
    return table


def test_leave_vendor_out(snmp: Any, labels: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    table = leave_vendor_out(snmp, labels, monkeypatch)
    totals = {m: sum(v[m][0] for v in table.values()) for m in MODES}
    print("\nleave-vendor-out role accuracy (that vendor's recordings only)")
    print("| vendor | files | " + " | ".join(MODES) + " |\n|---|---|" + "---|" * len(MODES))
    for key, row in table.items():
        print(f"| {key} | {row['full'][1]} | " + " | ".join(str(row[m][0]) for m in MODES) + " |")
    print(f"| **all** | {len(labels)} | " + " | ".join(f"{totals[m]} ({100 * totals[m] / len(labels):.0f} %)"
                                                     for m in MODES) + " |")
    assert totals["full"] == len(labels)
    # families carry the decisions: dropping a vendor's exact rows must not cost a role
    assert totals["no exact rows"] >= len(labels) - 1
    # without any model row of the vendor, fingerprints, vendor MIBs and generic signals still hold most
    assert totals["no rows at all"] >= 0.75 * len(labels)
