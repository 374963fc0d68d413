#!/usr/bin/env bash
# `make bench`: builds what the benchmarks need (one release build of the library and
# the bench binary, the C client, the release wheel into .venv), then runs
# benches/bench.py, which prints the table and writes target/bench/results.json,
# benches/tls_bench.py (the TLS rows; target/bench/tls_results.json) and
# benches/async_bench.py (the asyncio rows: zoomlive.AsyncClient next to
# httpx.AsyncClient; target/bench/async_results.json).
# benches/batch_bench.py (the batch rows; target/bench/batch_results.json).
#
# Environment: BENCH_N (calls per run, default 2000), BENCH_N_CONCURRENT (default 6000),
# BENCH_REPS (runs per row, default 3), BENCH_TLS_N (cold one-shot runs per TLS row, default 20),
# BENCH_ASYNC_N (calls per asyncio run, default 1000), BENCH_ASYNC_C (their concurrency, 16).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/target/bench"
VENV="$ROOT/.venv"
mkdir -p "$OUT/lib" "$OUT/wheels"
T0=$SECONDS

# Tools: a C compiler, curl, strip and nm, and .venv with maturin plus the libraries
# compared against (requests, urllib3, httpx with sniffio; uvloop for the asyncio rows);
# `make deps` (scripts/deps.sh) installs them.
missing=()
for tool in cc curl strip nm "$VENV/bin/maturin"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
"$VENV/bin/python" -c 'import requests, urllib3, httpx, sniffio' 2>/dev/null ||
    missing+=("requests/urllib3/httpx/sniffio in $VENV")
if [ "${#missing[@]}" -gt 0 ]; then
    echo "run.sh: missing ${missing[*]}: run 'make deps' first" >&2
    exit 2
fi

# One release build: the library (libzoomlive.so with the default C ABI feature) and
# the bench binary (server, raw-socket floor, Rust client). Bench binaries are not
# copied out of deps/, so cargo's JSON messages say where it is.
echo "run.sh: cargo build --release --lib --bench zoomlive_bench"
cargo build --release --lib --bench zoomlive_bench --message-format=json-render-diagnostics \
    >"$OUT/cargo-messages.json"
BIN="$("$VENV/bin/python" -c '
import json, sys
for line in open(sys.argv[1]):
    if line.startswith("{"):
        m = json.loads(line)
        if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "zoomlive_bench" and m.get("executable"):
            print(m["executable"])
' "$OUT/cargo-messages.json" | tail -n 1)"
if [ -z "$BIN" ]; then
    echo "run.sh: cargo reported no zoomlive_bench executable" >&2
    exit 1
fi
# A private copy of the C library: target/release/libzoomlive.so is shared with other
# builds (other features) that may replace it.
cp "$ROOT/target/release/libzoomlive.so" "$OUT/lib/libzoomlive.so"
if ! nm -D --defined-only "$OUT/lib/libzoomlive.so" | grep -q ' zoomlive_client_new$'; then
    echo "run.sh: target/release/libzoomlive.so has no C ABI" >&2
    exit 1
fi

# The C client, through the header and the .so; the launcher that reads a client's
# peak RSS.
cc -O2 -std=c99 -Wall -Wextra -Werror -I "$ROOT/include" "$ROOT/benches/c/bench_capi.c" \
    -L "$OUT/lib" -lzoomlive -Wl,-rpath,"$OUT/lib" -o "$OUT/bench_capi"
cc -O2 -std=c99 -Wall -Wextra -Werror "$ROOT/benches/c/rss_launch.c" -o "$OUT/rss_launch"
# The one-shot C client of the TLS rows.
cc -O2 -std=c99 -Wall -Wextra -Werror -I "$ROOT/include" "$ROOT/benches/c/once.c" \
    -L "$OUT/lib" -lzoomlive -Wl,-rpath,"$OUT/lib" -o "$OUT/once"
# The CLI (release), for the TLS rows; after the copy above, which it may replace.
echo "run.sh: cargo build --release --features cli --bin zoomlive"
cargo build --quiet --release --features cli --bin zoomlive
cp "$ROOT/target/release/zoomlive" "$OUT/zoomlive"

# The release wheel. Built for the explicit host target so that its artifacts land in
# target/<triple>/release and never replace target/release/libzoomlive.so (the C
# library, other features).
HOST="$(rustc -vV | sed -n 's/^host: //p')"
echo "run.sh: maturin build --release"
rm -f "$OUT"/wheels/zoomlive-*.whl
"$VENV/bin/maturin" build --quiet --release --target "$HOST" --interpreter "$VENV/bin/python" \
    --out "$OUT/wheels"
WHEEL="$(ls "$OUT"/wheels/zoomlive-*.whl | head -n 1)"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    --force-reinstall --no-deps "$WHEEL"
BUILD_SECONDS=$((SECONDS - T0))
echo "run.sh: built in ${BUILD_SECONDS}s; measuring"

"$VENV/bin/python" "$ROOT/benches/bench.py" --bin "$BIN" --capi "$OUT/bench_capi" \
    --so "$OUT/lib/libzoomlive.so" --launcher "$OUT/rss_launch" --wheel "$WHEEL" --out "$OUT" \
    --build-seconds "$BUILD_SECONDS"
# The TLS rows: cold one-shot calls, round trips counted by a delaying relay, warm
# keep-alive calls (benches/tls_bench.py; target/bench/tls_results.json).
"$VENV/bin/python" "$ROOT/benches/tls_bench.py" --bin "$BIN" --once "$OUT/once" \
    --cli "$OUT/zoomlive" --capi "$OUT/bench_capi" --out "$OUT"
# The trace row: what recording a call's trace costs a warm call (benches/trace_bench.py;
# target/bench/trace_results.json).
"$VENV/bin/python" "$ROOT/benches/trace_bench.py" --bin "$BIN" --out "$OUT"
# The asyncio rows: 1,000 calls through zoomlive.AsyncClient and httpx.AsyncClient at the
# same concurrency, against the emulator (benches/async_bench.py;
# target/bench/async_results.json).
"$VENV/bin/python" "$ROOT/benches/async_bench.py" --cli "$OUT/zoomlive" --out "$OUT"
# The batch rows (issue 20 §5): 400 status operations against the emulator with
# --qps 20 --latency-ms 80 (benches/batch_bench.py; target/bench/batch_results.json).
"$VENV/bin/python" "$ROOT/benches/batch_bench.py" --cli "$OUT/zoomlive" --out "$OUT"
echo "run.sh: make bench took $((SECONDS - T0))s"
