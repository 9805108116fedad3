"""Every AP catalog row must be physically possible: rates within what its standard and streams allow.

The ceilings are the IEEE PHY maxima per spatial stream (shared/reference/criteria-and-wifi.md §2): 802.11n
150 Mbit/s (40 MHz, short GI); 802.11ac 433.3 (80 MHz) or 866.7 (160 MHz) on 5 GHz, and 200 on 2.4 GHz for the
vendor 256-QAM extension many ac APs ship; 802.11ax 286.8 on 2.4 GHz (40 MHz), 1201 (160 MHz) on 5/6 GHz;
802.11be 344 on 2.4 GHz, 1441 on 5 GHz (160 MHz), 2882 on 6 GHz (320 MHz). A row beyond them is a typo.
"""

from __future__ import annotations

import re
from dataclasses import replace

from probes.wifi import catalog

PER_STREAM: dict[tuple[str, str], float] = {
    ("n", "2.4"): 150.0, ("n", "5"): 150.0,
    ("ac", "2.4"): 200.0, ("ac", "5"): 866.7,
    ("ax", "2.4"): 286.8, ("ax", "5"): 1201.0, ("ax", "6"): 1201.0,
    ("be", "2.4"): 344.2, ("be", "5"): 1441.2, ("be", "6"): 2882.4,
}
MAX_STREAMS = 8
CLASS_STANDARD = {"N": "n", "AC": "ac", "AX": "ax", "BE": "be"}


def check(rows: tuple[catalog.ApModel, ...]) -> list[str]:
    """One line per impossible fact in ``rows``."""
    problems = []
    for row in rows:
        if row.standard not in ("n", "ac", "ax", "be"):
            problems.append(f"{row.id}: standard {row.standard!r}")
        if not set(row.bands) <= {"2.4", "5", "6"} or not row.bands:
            problems.append(f"{row.id}: bands {row.bands}")
        if row.wave2 and row.standard != "ac":
            problems.append(f"{row.id}: wave2 on a {row.standard} row")
        if "6" in row.bands and row.standard in ("n", "ac"):
            problems.append(f"{row.id}: 6 GHz needs 802.11ax or newer")
        for band, rate in row.rates.items():
            if band not in row.bands:
                problems.append(f"{row.id}: rate for {band} GHz, a band it does not have")
            streams = row.streams.get(band, MAX_STREAMS if band == "6" else 4)
            std = row.standard
            ceiling = PER_STREAM.get((std, band), 0.0) * streams
            if not 0 < rate <= ceiling + 0.5:
                problems.append(f"{row.id}: {rate} Mbit/s on {band} GHz > {ceiling:.0f} ({std}, {streams} streams)")
        for band, streams in row.streams.items():
            if not 1 <= streams <= MAX_STREAMS:
                problems.append(f"{row.id}: {streams} streams on {band} GHz")
        prefix = re.match(r"^(AC|AX|BE|N)\d", row.marketing_class or "")
        if prefix and CLASS_STANDARD[prefix.group(1)] != row.standard:
            problems.append(f"{row.id}: class {row.marketing_class} but standard {row.standard}")
    return problems


def test_rows_are_physically_possible() -> None:
    rows = catalog.load()
    assert len(rows) >= 100
    assert check(rows) == []


def test_the_check_catches_typos() -> None:
    good = catalog.ApModel(id="x", vendor="X", models=("X1",), standard="ac", bands=("2.4", "5"), source="s",
                           confidence="low", verified=False, wave2=True, rates={"2.4": 300, "5": 866.7},
                           streams={"2.4": 2, "5": 2}, marketing_class="AC1200")
    assert check((good,)) == []
    bad = (
        replace(good, id="n-fast", standard="n", wave2=None, marketing_class="N600"),  # 866.7 on 2 n streams
        replace(good, id="ax-wave2", standard="ax", marketing_class="AX1800", rates={"2.4": 573.5, "5": 1201}),
        replace(good, id="ac-6ghz", bands=("2.4", "5", "6")),
        replace(good, id="class", marketing_class="AX3000"),
    )
    assert [line.split(":")[0] for line in check(bad)] == ["n-fast", "ax-wave2", "ac-6ghz", "class"]
