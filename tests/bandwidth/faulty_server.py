"""A LibreSpeed server that misbehaves on purpose (lab fault tests): ``--mode stall|short|long``.

- stall: garbage.php bodies stop flowing ``--after`` seconds after the first download started (connections stay
  open, nothing more is sent).
- short: Content-Length declares the full size, 2 MiB are sent, then the connection is closed.
- long: Content-Length declares 2 MiB, 3 MiB are sent.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time

from probes.bandwidth import server as srv

MODE = "stall"
AFTER_S = 1.5
_first: list[float] = []


class FaultyHandler(srv.SpeedHandler):
    def send_data(self, nbytes: int, ctype: str) -> None:
        if MODE == "long":
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(2 * srv.MIB))
            self.end_headers()
            super().write_body(3 * srv.MIB)
            return
        super().send_data(nbytes, ctype)

    def write_body(self, nbytes: int) -> None:
        if MODE == "short":
            super().write_body(min(nbytes, 2 * srv.MIB))
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if MODE == "stall":
            if not _first:
                _first.append(time.monotonic())
            sock = self.connection
            sent = 0
            while sent < nbytes:
                if time.monotonic() - _first[0] >= AFTER_S:
                    time.sleep(60)  # hold the connection, send nothing
                    return
                n = min(srv.MIB, nbytes - sent)
                sock.sendall(srv._VIEW[:n])
                sent += n
            return
        super().write_body(nbytes)


def main() -> int:
    global MODE, AFTER_S
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["stall", "short", "long"], required=True)
    p.add_argument("--after", type=float, default=1.5)
    p.add_argument("--bind", required=True)
    args = p.parse_args()
    MODE, AFTER_S = args.mode, args.after
    return srv.main(["--bind", args.bind], handler=FaultyHandler)


if __name__ == "__main__":
    sys.exit(main())
