#!/usr/bin/env bash
# Set up (as root: system packages too), then lint, type-check and run the whole test suite.
# This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy agent assessment probes reports district lab
.venv/bin/python -m pytest "$@"
