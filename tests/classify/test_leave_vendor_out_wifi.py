"""Leave-one-vendor-out for model, role and Wi-Fi generation on the shared recordings (APs and Wi-Fi routers).

For each vendor, the catalogs are rebuilt in memory without that vendor's rows: "no exact rows" drops its
exact model rows in models.toml and access_points/ (families stay), "no rows at all" drops families too.
Then that vendor's recordings are classified and their Wi-Fi facts derived again. ``-s`` prints the table that
docs/classification.md quotes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest

from probes import classify as classify_module
from probes.catalog import ModelIndex
from probes.wifi import catalog as ap_catalog
from probes.wifi.snmp_radios import radios_from_snmp
from tests.classify.test_accuracy import expected_role
from tests.classify.test_generalisation import MODES, _rows, vendor_key

GENERATIONS = ("n", "ac", "ax", "be")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def model_right(found: str | None, label: str | None) -> bool:
    if not found or not label:
        return False
    words = [_norm(w) for w in re.split(r"[\s()/,]+", label) if len(_norm(w)) >= 3]
    return any(w and (w in _norm(found) or _norm(found) in w) for w in words)


def label_generation(label: dict[str, Any]) -> str | None:
    std = (label.get("wifi_standard") or "").split("-")[0].split(" ")[0]
    return std if std in GENERATIONS else None


def _ap_rows(mode: str, key: str) -> tuple[Any, Any]:
    rows, families = ap_catalog.load(), ap_catalog.load_families()
    if mode in ("no exact rows", "no rows at all"):
        rows = tuple(r for r in rows if vendor_key(r.vendor) != key)
    if mode == "no rows at all":
        families = tuple(f for f in families if vendor_key(f[0].vendor) != key)
    return rows, families


def leave_vendor_out(snmp: Any, labels: dict[str, Any], monkeypatch: pytest.MonkeyPatch
                     ) -> dict[str, dict[str, list[int]]]:
    """vendor -> mode -> [files, model right, role right, generation known, generation right]."""
    wifi = {n: lab for n, lab in labels.items() if lab["role"] == "ap" or label_generation(lab)}
    by_vendor: dict[str, list[str]] = defaultdict(list)
    for name, label in wifi.items():
        by_vendor[vendor_key(label["vendor"])].append(name)
    table: dict[str, dict[str, list[int]]] = {}
    for key, names in sorted(by_vendor.items()):
        table[key] = {}
        for mode in MODES:
            index = ModelIndex(_rows(mode, key))
            rows, families = _ap_rows(mode, key)
            monkeypatch.setattr(classify_module, "models", lambda index=index: index)
            monkeypatch.setattr(ap_catalog, "load", lambda path=None, rows=rows: rows)
            monkeypatch.setattr(ap_catalog, "load_families", lambda path=None, families=families: families)
            counts = [0, 0, 0, 0, 0]
            for name in names:
                label, data = labels[name], snmp(name)
                c = classify_module.classify("192.0.2.1", data)
                facts = radios_from_snmp(data, c.vendor, c.model).wifi
                gen = label_generation(label)
                counts[0] += 1
                counts[1] += model_right(c.model, label.get("model"))
                counts[2] += c.role is expected_role(label)
                counts[3] += gen is not None
                counts[4] += gen is not None and facts is not None and facts.standard == gen
            table[key][mode] = counts
            monkeypatch.undo()
    return table


def test_leave_vendor_out_model_role_generation(snmp: Any, labels: dict[str, Any],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    table = leave_vendor_out(snmp, labels, monkeypatch)
    assert table
    totals = {m: [sum(v[m][i] for v in table.values()) for i in range(5)] for m in MODES}
    print("\nleave-vendor-out on APs and Wi-Fi routers: model / role / Wi-Fi generation right")
    print("| vendor | files | " + " | ".join(MODES) + " |\n|---|---|" + "---|" * len(MODES))
    for key, row in table.items():
        print(f"| {key} | {row['full'][0]} | " +
              " | ".join(f"{row[m][1]} / {row[m][2]} / {row[m][4]} of {row[m][3]}" for m in MODES) + " |")
    print("| **all** | " + str(totals["full"][0]) + " | " + " | ".join(
        f"{t[1]} / {t[2]} / {t[4]} of {t[3]} ({100 * t[4] / max(t[3], 1):.0f} % gen.)"
        for t in (totals[m] for m in MODES)) + " |")
    full, no_exact = totals["full"], totals["no exact rows"]
    assert full[3] >= 15 and full[4] >= 0.9 * full[3]   # generation right on >= 90 % with the catalog
    assert full[2] >= 0.95 * full[0]                   # role
    assert no_exact[4] >= 4  # measured over the air or by vendor MIB; the rest is an honest unknown (docs)
    assert no_exact[1] >= 0.8 * no_exact[0]             # the model comes from the device, not from our rows
