#!/usr/bin/env bash
# Creates .venv (at the repo root) with what the Python tests need: maturin to build
# the wheel, pytest to run the tests, mypy for stubtest. Idempotent: when everything is
# already installed it returns in well under a second, without touching the network.
set -euo pipefail

ROOT="${ZOOMLIVE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    echo "venv.sh: creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi

# One cheap probe: are the tools there already?
if "$VENV/bin/python" -c 'import maturin, pytest, mypy.stubtest' 2>/dev/null \
    && [ -x "$VENV/bin/maturin" ]; then
    exit 0
fi

echo "venv.sh: installing maturin, pytest and mypy into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "maturin>=1.9,<2" "pytest>=8" "mypy>=1.10"
