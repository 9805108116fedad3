"""Accuracy over all 64 real recordings against labels.json (issue 3 item 12).

Prints a table (role, vendor, model, negotiated speed, port capability) and asserts role >= 90 %.
Label roles map to agent.model.Role: ap -> access_point, controller -> wireless_controller, router with
subrole firewall -> firewall, other with subrole printer -> printer. ``-s`` shows the table.
"""

from __future__ import annotations

import re
import time
from typing import Any

from agent.model import Role
from probes.classify import Classification

_ROLE = {"ap": Role.ACCESS_POINT, "controller": Role.WIRELESS_CONTROLLER, "router": Role.ROUTER,
         "switch": Role.SWITCH, "other": Role.OTHER}


def expected_role(label: dict[str, Any]) -> Role:
    if label["role"] == "router" and label["subrole"] == "firewall":
        return Role.FIREWALL
    if label["role"] == "other" and label["subrole"] == "printer":
        return Role.PRINTER
    return _ROLE[label["role"]]


def _norm(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def vendor_ok(got: str | None, want: str | None) -> bool:
    if not got or not want:
        return got == want
    first = re.split(r"[\s(]", got.strip())[0].lower()
    return first in want.lower() or re.split(r"[\s(]", want.strip())[0].lower() in got.lower()


def model_ok(got: str | None, want: str | None) -> bool:
    """The same model when one normalised name contains the other, or a model-like token is shared."""
    if not want:
        return got is None
    if not got:
        return False
    for g, w in ((_norm(got), _norm(want)), (_norm(got.split(" (")[0]), _norm(want.split(" (")[0]))):
        if g and w and (g in w or w in g):
            return True
    tokens = {_norm(t) for t in re.split(r"[\s(),]+", got) if re.search(r"\d", t) and len(_norm(t)) >= 4}
    return any(t in w for t in tokens)


def score(classified: Any, labels: dict[str, Any]) -> tuple[dict[str, tuple[int, int]], list[str], float]:
    counts = {k: [0, 0] for k in ("role", "vendor", "model", "negotiated", "capability")}
    misses: list[str] = []
    started = time.perf_counter()
    results: dict[str, Classification] = {name: classified(name) for name in labels}
    seconds = time.perf_counter() - started
    for name, label in sorted(labels.items()):
        c = results[name]
        checks = {
            "role": (c.role is expected_role(label), f"{c.role.value} vs {expected_role(label).value}"),
            "vendor": (vendor_ok(c.vendor, label["vendor"]), f"{c.vendor} vs {label['vendor']}"),
            "model": (model_ok(c.model, label["model"]), f"{c.model} vs {label['model']}"),
            "negotiated": (c.max_port_speed_mbps == label["observed_max_phys_eth_up_mbps"],
                           f"{c.max_port_speed_mbps} vs {label['observed_max_phys_eth_up_mbps']}"),
        }
        if label["max_port_capability_mbps"] is not None:
            checks["capability"] = (c.max_port_capability_mbps == label["max_port_capability_mbps"],
                                    f"{c.max_port_capability_mbps} vs {label['max_port_capability_mbps']}")
        for key, (ok, text) in checks.items():
            counts[key][1] += 1
            counts[key][0] += int(ok)
            if not ok:
                misses.append(f"{name}: {key} {text}")
    return {k: (v[0], v[1]) for k, v in counts.items()}, misses, seconds


def test_accuracy_over_all_recordings(classified: Any, labels: dict[str, Any]) -> None:
    counts, misses, seconds = score(classified, labels)
    print(f"\nclassification accuracy over {len(labels)} real recordings ({seconds * 1000:.0f} ms in total)")
    print("| measure | correct | of | accuracy |\n|---|---|---|---|")
    for key, (ok, total) in counts.items():
        print(f"| {key} | {ok} | {total} | {100 * ok / total:.1f} % |")
    print("misses:\n  " + "\n  ".join(misses) if misses else "misses: none")
    role_ok, role_total = counts["role"]
    assert role_total == len(labels) == 64
    assert role_ok / role_total >= 0.90
    assert counts["negotiated"][0] / counts["negotiated"][1] >= 0.90
