#!/usr/bin/env bash
# Builds the zoomlive wheel (debug profile, abi3) into target/wheels, installs it into
# .venv, then runs the pytest suite against the installed package (never the source
# tree), mypy.stubtest on the stubs, and mypy --strict on the package and on
# examples/python/async_livestream.py. Exits non-zero on failure.
#
# Expects .venv from `make deps` (scripts/deps.sh). ZOOMLIVE_BIN (the CLI, for the emulator)
# and ZOOMLIVE_LIB (the C ABI cdylib) default to the debug builds of `make build`.
set -euo pipefail

ROOT="${ZOOMLIVE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
export ZOOMLIVE_ROOT="$ROOT"
export ZOOMLIVE_BIN="${ZOOMLIVE_BIN:-$ROOT/target/debug/zoomlive}"
export ZOOMLIVE_LIB="${ZOOMLIVE_LIB:-$ROOT/target/debug/libzoomlive.so}"
VENV="$ROOT/.venv"
cd "$ROOT"

if [ ! -x "$VENV/bin/maturin" ]; then
    echo "run.sh: $VENV has no maturin; run 'make deps' first" >&2
    exit 2
fi
if [ ! -x "$ZOOMLIVE_BIN" ] || [ ! -f "$ZOOMLIVE_LIB" ]; then
    echo "run.sh: building the CLI and the C library (cargo build --features cli)"
    cargo build --features cli
fi

# The wheel is built for the explicit host target so that its artifacts land in
# target/<triple>/debug and never replace target/debug/libzoomlive.so (the C ABI
# library, built with other features, that the C and ctypes tests load).
HOST="$(rustc -vV | sed -n 's/^host: //p')"
WHEELS="$ROOT/target/wheels"
STAMP="$(mktemp)"
trap 'rm -f "$STAMP"' EXIT
"$VENV/bin/maturin" build --quiet --target "$HOST" --interpreter "$VENV/bin/python" \
    --out "$WHEELS"
WHEEL="$(find "$WHEELS" -maxdepth 1 -name 'zoomlive-*.whl' -newer "$STAMP" | head -n 1)"
if [ -z "$WHEEL" ]; then
    echo "run.sh: maturin built no wheel into $WHEELS" >&2
    exit 1
fi
echo "run.sh: installing $(basename "$WHEEL")"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    --force-reinstall --no-deps "$WHEEL"

# From tests/python with importlib mode: python/ (the source tree) is never on
# sys.path, so the tests exercise the installed wheel; so do stubtest and mypy.
cd "$ROOT/tests/python"
"$VENV/bin/pytest" --import-mode=importlib -p no:cacheprovider --rootdir . -q "$@"
# stubtest also holds _async.pyi to the signatures AsyncClient copies from the compiled
# Client at run time, so a keyword added to the sync client must be added to both stubs.
"$VENV/bin/python" -m mypy.stubtest zoomlive._zoomlive zoomlive._async
# The package's own Python (errors, __init__) against the stubs, strictly.
"$VENV/bin/python" -m mypy --strict --no-incremental -p zoomlive
# _async.py itself, which its stub hides from the line above: the installed package's
# Python files with the compiled module's stub only.
IMPL="$(mktemp -d)"
trap 'rm -f "$STAMP"; rm -rf "$IMPL"' EXIT
PACKAGE="$("$VENV/bin/python" -c 'import os, zoomlive; print(os.path.dirname(zoomlive.__file__))')"
mkdir "$IMPL/zoomlive"
cp "$PACKAGE"/*.py "$PACKAGE/_zoomlive.pyi" "$PACKAGE/py.typed" "$IMPL/zoomlive/"
(cd "$IMPL" && "$VENV/bin/python" -m mypy --strict --no-incremental -p zoomlive)
# The asyncio example, as a user's program typed against the installed package.
"$VENV/bin/python" -m mypy --strict --no-incremental "$ROOT/examples/python/async_livestream.py"
echo "run.sh: the Python suite and stubtest passed"
