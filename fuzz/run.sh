#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS seconds each (default 60): `make fuzz`;
# `make test` runs it with 5 seconds as a smoke test. cargo-fuzz is the pinned build
# that `make deps` (scripts/deps.sh) puts in target/tools. libFuzzer's sanitizer flags
# are unstable options: RUSTC_BOOTSTRAP=1 lets this project's stable toolchain accept
# them.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
tools=../target/tools
# The pinned version is set once, in scripts/deps.sh.
want=$(sed -n 's/^CARGO_FUZZ_VERSION=//p' ../scripts/deps.sh)
if ! "$tools/bin/cargo-fuzz" --version 2>/dev/null | grep -qF "$want"; then
  echo "no cargo-fuzz $want in target/tools: run 'make deps' (it builds the pinned one)" >&2
  exit 1
fi
export RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=../target/fuzz
mkdir -p ../target/fuzz/corpus
for target in error_body retry_after validators capi; do
  echo "== fuzz $target (${seconds}s)"
  corpus=../target/fuzz/corpus/$target
  mkdir -p "$corpus"
  log=../target/fuzz/$target.log
  if ! "$tools/bin/cargo-fuzz" run --fuzz-dir . "$target" "$corpus" -- \
      -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "fuzz target $target failed (full log: target/fuzz/$target.log)" >&2
    exit 1
  fi
  grep -E "^stat::number_of_executed_units" "$log" || true
done
echo "fuzz: all targets ran clean"
