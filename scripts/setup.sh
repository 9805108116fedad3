#!/usr/bin/env bash
# Set up schoolnet-audit on a fresh Debian/Ubuntu machine (as root):
# system packages, a virtualenv in .venv with the project and its test/district/report extras.
# Idempotent: safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  iproute2 iputils-ping procps python3-venv nftables util-linux            # network namespaces, veth, tc
  snmp snmpd                              # net-snmp clients and a real agent for the lab
  iperf3 nmap iw                          # reference tools (bandwidth, discovery bench), Wi-Fi scans
  ieee-data                               # the IEEE OUI registry (MAC -> vendor)
  postgresql                              # district store at scale (tests)
  chromium poppler-utils fonts-dejavu-core fonts-noto-core  # report/dashboard rendering and checks
  systemd                                 # systemd-analyze for the unit checks
  debhelper dpkg-dev lintian fakeroot python3-pil  # building and checking the Debian package (tests/ops/test_deb.py)
)

if [ "$(id -u)" -eq 0 ]; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "setup: not root: skipping system packages (${APT_PACKAGES[*]})" >&2
fi

# snmpsim drops root to `nobody`, so it needs a venv that `nobody` can read (not under /root).
SNMPSIM_VENV=${SCHOOLNET_SNMPSIM_VENV:-/opt/schoolnet-snmpsim}
if [ "$(id -u)" -eq 0 ] && [ ! -x "$SNMPSIM_VENV/bin/snmpsim-command-responder" ]; then
  echo "setup: building the snmpsim venv at $SNMPSIM_VENV"
  /usr/bin/python3 -m venv "$SNMPSIM_VENV"
  "$SNMPSIM_VENV/bin/pip" install -q 'snmpsim>=1.2,<2' 'pysmi>=2,<3' 'cryptography>=42'
fi

# The system Python (not one under /root) so the unprivileged service user can run the installed agent.
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=${PYTHON:-python3}; fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
echo "setup: ready (.venv/bin/schoolnet)"
