#!/usr/bin/env bash
# Builds the C tests against include/zoomlive.h with -std=c99 -Wall -Wextra
# -Wpedantic -Werror and runs them against the emulator: plain, under
# AddressSanitizer + UBSan, and under valgrind (no leaks, no errors).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bin=${ZOOMLIVE_BIN:-$root/target/debug/zoomlive}
libdir=$(dirname "${ZOOMLIVE_LIB:-$root/target/debug/libzoomlive.so}")
out=target/c
mkdir -p "$out"
if ! command -v valgrind >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
fi
CFLAGS=(-std=c99 -Wall -Wextra -Wpedantic -Werror -g -Iinclude)
LDFLAGS=(-L"$libdir" -Wl,-rpath,"$libdir" -lzoomlive -lpthread)
for t in test_capi test_reliability; do
  cc "${CFLAGS[@]}" "tests/c/$t.c" -o "$out/$t" "${LDFLAGS[@]}"
  cc "${CFLAGS[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer \
    "tests/c/$t.c" -o "$out/${t}_asan" "${LDFLAGS[@]}"
done
# The header must also compile as C++ (extern "C", no C-only constructs).
if command -v c++ >/dev/null; then
  echo '#include "zoomlive.h"
int main() { return zoomlive_version() ? 0 : 1; }' >"$out/cpp_check.cpp"
  c++ -std=c++11 -Wall -Wextra -Werror -Iinclude "$out/cpp_check.cpp" -o "$out/cpp_check" "${LDFLAGS[@]}"
  "$out/cpp_check"
fi

emu_out=$(mktemp)
"$bin" emulator --bind 127.0.0.1:0 >"$emu_out" &
emu_pid=$!
trap 'kill $emu_pid 2>/dev/null; rm -f "$emu_out"' EXIT
for _ in $(seq 100); do [ -s "$emu_out" ] && break; sleep 0.05; done
url=$(head -1 "$emu_out")

echo "== C tests (plain)"
"$out/test_capi" "$url"
"$out/test_reliability" "$url"
echo "== C tests (AddressSanitizer + UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
"$out/test_capi_asan" "$url"
# Fewer calls under the sanitizers and valgrind: they are 10-50x slower.
"$out/test_reliability_asan" "$url" 8 100 200
if command -v valgrind >/dev/null; then
  echo "== C tests (valgrind)"
  vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
      --show-leak-kinds=definite,indirect)
  "${vg[@]}" "$out/test_capi" "$url"
  ZOOMLIVE_SKIP_RSS=1 "${vg[@]}" "$out/test_reliability" "$url" 8 20 100
else
  echo "SKIPPED: valgrind is not installed (run as root to install it)"
  [ "${ZOOMLIVE_REQUIRE_ALL:-0}" = 1 ] && exit 1
fi
