#!/usr/bin/env bash
# Generates include/zoomlive.h with cbindgen (the pinned build `make deps` puts in
# target/tools), with the version defines taken from Cargo.toml.
#   header.sh write   rewrite the header
#   header.sh check   fail when the committed header differs from a fresh one, or
#                     its version defines differ from Cargo.toml
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-check}
case $mode in write | check) ;; *)
  echo "usage: scripts/header.sh write|check" >&2
  exit 2
  ;;
esac
# The pinned version is set once, in scripts/deps.sh.
want=$(sed -n 's/^CBINDGEN_VERSION=//p' scripts/deps.sh)
cbindgen=target/tools/bin/cbindgen
if ! "$cbindgen" --version 2>/dev/null | grep -qF "$want"; then
  echo "no cbindgen $want in target/tools: run 'make deps' (it builds the pinned one)" >&2
  exit 1
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
IFS=. read -r major minor patch <<<"${version%%-*}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sed -e "s/@VERSION@/$version/" -e "s/@MAJOR@/$major/" -e "s/@MINOR@/$minor/" \
    -e "s/@PATCH@/$patch/" cbindgen.toml >"$out/cbindgen.toml"
# The exports are written through the ffi_fn! macro (for the stdcall switch), so
# cbindgen reads the macro-expanded crate; RUSTC_BOOTSTRAP lets stable rustc expand.
RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/cbindgen \
  "$cbindgen" --config "$out/cbindgen.toml" --quiet --output "$out/zoomlive.h" .
if [ "$mode" = write ]; then
  cp "$out/zoomlive.h" include/zoomlive.h
  echo "wrote include/zoomlive.h (zoomlive $version)"
  exit 0
fi
if ! diff -u include/zoomlive.h "$out/zoomlive.h"; then
  echo "include/zoomlive.h is stale: run 'make header' and commit it" >&2
  exit 1
fi
grep -q "^#define ZOOMLIVE_VERSION \"$version\"$" include/zoomlive.h ||
  { echo "include/zoomlive.h: ZOOMLIVE_VERSION is not $version (Cargo.toml)" >&2; exit 1; }
echo "include/zoomlive.h is current (zoomlive $version)"
