"""Run in the client namespace: the http engine's upload, and per sampler interval the engine's byte count
(``tcpi_bytes_acked`` of every stream) next to the NIC's ``tx_bytes`` over the very same interval.

``python -m tests.bandwidth.upload_probe DEV URL DURATION`` prints JSON {mbps, warnings, steady, rows}; each row is
[t_s, engine_mbps, nic_tx_bytes, seconds]. Used by test_lab_bandwidth.py to check that the upload count is what
actually left the machine, whatever the machine's load.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from probes.bandwidth.http_engine import HttpEngine
from probes.bandwidth.interface import Settings, Target


def main(dev: str, url: str, duration: float) -> None:
    stat = Path(f"/sys/class/net/{dev}/statistics/tx_bytes")
    rows: list[list[float]] = []
    last = [time.monotonic(), float(stat.read_text())]

    def on_sample(direction: str, mbps: float) -> None:  # called right after the engine read its counters
        now, tx = time.monotonic(), float(stat.read_text())
        rows.append([round(now - start, 3), mbps, tx - last[1], now - last[0]])
        last[0], last[1] = now, tx

    start = time.monotonic()
    engine = HttpEngine(watch_nic=dev)
    (result,) = engine.measure(Target(server=url), Settings(duration_s=duration, directions=("upload",)), on_sample)
    print(json.dumps({"mbps": result.mbps, "warnings": list(result.warnings), "steady": result.duration_s,
                      "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
