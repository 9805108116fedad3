#!/usr/bin/env bash
# Build the Debian package of the agent: dist/schoolnet-audit_<version>_<arch>.deb.
#   bash scripts/build-deb.sh [--lintian] [OUTDIR]
# Needs debhelper, dpkg-dev and python3-venv (scripts/setup.sh installs them); lintian for --lintian.
# The wheel is built with `python -m build` (the project's venv, else the system Python); pip fetches the
# dependencies into the package's private venv (PIP_INDEX_URL / PIP_FIND_LINKS are honoured).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LINTIAN=0
if [ "${1:-}" = "--lintian" ]; then LINTIAN=1; shift; fi
OUT=$(mkdir -p "${1:-$ROOT/dist}" && cd "${1:-$ROOT/dist}" && pwd)

die() { echo "build-deb: $*" >&2; exit 2; }
for tool in dpkg-buildpackage dh dpkg-parsechangelog; do
  command -v "$tool" >/dev/null || die "$tool is missing: apt-get install debhelper dpkg-dev"
done
/usr/bin/python3 -c 'import venv, ensurepip' 2>/dev/null || die "python3-venv is missing: apt-get install python3-venv"
[ "$LINTIAN" = 0 ] || command -v lintian >/dev/null || die "lintian is missing: apt-get install lintian"

VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' agent/__init__.py)
DEB_VERSION=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
[ "${DEB_VERSION%%-*}" = "$VERSION" ] \
  || die "packaging/debian/changelog is at $DEB_VERSION but the agent is $VERSION: add a changelog entry"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/schoolnet-deb.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
SRC=$WORK/schoolnet-audit-$VERSION
mkdir -p "$SRC"
# The project's files (tracked and new, never .venv, caches or build leftovers), then debian/ from packaging/.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf - | tar -xf - -C "$SRC"
else
  tar --exclude=.venv --exclude=dist --exclude=build --exclude=__pycache__ --exclude=.git -cf - . | tar -xf - -C "$SRC"
fi
rm -rf "$SRC/debian" && cp -a packaging/debian "$SRC/debian"

if [ -n "${PYTHON:-}" ]; then PY=$PYTHON; elif [ -x .venv/bin/python ]; then PY=$ROOT/.venv/bin/python; else PY=/usr/bin/python3; fi
(cd / && "$PY" -c 'import build') 2>/dev/null || die "$PY has no 'build' module: pip install build (or set PYTHON=)"
mkdir -p "$SRC/debian/wheels"
echo "build-deb: building the wheel ($PY -m build --wheel)"
(cd "$WORK" && "$PY" -m build --wheel --outdir "$SRC/debian/wheels" "$SRC" >"$WORK/wheel.log" 2>&1) \
  || { tail -20 "$WORK/wheel.log" >&2; die "the wheel did not build"; }
rm -rf "$SRC/build" "$SRC"/*.egg-info

echo "build-deb: dpkg-buildpackage (venv in /usr/lib/schoolnet-audit)"
(cd "$SRC" && dpkg-buildpackage -b -us -uc >"$WORK/build.log" 2>&1) \
  || { tail -40 "$WORK/build.log" >&2; die "dpkg-buildpackage failed (log above)"; }
DEB=$(ls "$WORK"/schoolnet-audit_*.deb)
cp "$DEB" "$OUT/"
echo "build-deb: $OUT/$(basename "$DEB")"

if [ "$LINTIAN" = 1 ]; then
  lintian --fail-on error --suppress-tags-from-file packaging/lintian-ignore "$OUT/$(basename "$DEB")" \
    || die "lintian found errors"
fi
