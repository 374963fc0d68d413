#!/usr/bin/env bash
# Builds the C tests against include/zoomlive.h with -std=c99 -Wall -Wextra
# -Wpedantic -Werror and runs them against the emulator: plain, under
# AddressSanitizer + UBSan, and under valgrind (no leaks, no errors). valgrind comes
# from `make deps`; without it that pass is SKIPPED (a failure when
# ZOOMLIVE_REQUIRE_ALL=1).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export ZOOMLIVE_ROOT=${ZOOMLIVE_ROOT:-$root}
libdir=$(dirname "${ZOOMLIVE_LIB:-$root/target/debug/libzoomlive.so}")
out=target/c
mkdir -p "$out"
# shellcheck source=../../scripts/emulator.sh
. scripts/emulator.sh

CFLAGS=(-std=c99 -Wall -Wextra -Wpedantic -Werror -g -Iinclude)
LDFLAGS=(-L"$libdir" -Wl,-rpath,"$libdir" -lzoomlive -lpthread)
for t in test_capi test_reliability test_hostile test_trace test_batch; do
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
else
  echo "SKIPPED: the C++ header check: no c++ compiler (make deps installs g++)"
  if [ "${ZOOMLIVE_REQUIRE_ALL:-0}" = 1 ]; then exit 1; fi
fi

# The hostile echoing server of test_hostile (issue 10 §1), killed on exit.
echo_pid=
trap '[ -z "$echo_pid" ] || kill "$echo_pid" 2>/dev/null || true' EXIT
python3 tests/common/echo_server.py >"$out/echo.out" 2>"$out/echo.err" &
echo_pid=$!
for _ in $(seq 100); do
  [ -s "$out/echo.out" ] && break
  sleep 0.1
done
echo_url=$(head -n1 "$out/echo.out")
case $echo_url in http://127.0.0.1:*) ;; *)
  echo "the echo server did not start: $(cat "$out/echo.err")" >&2; exit 1 ;;
esac

start_emulator "$out"
url=$EMULATOR_URL

echo "== C tests (plain)"
"$out/test_capi" "$url"
"$out/test_batch" "$url"
"$out/test_reliability" "$url"
"$out/test_hostile" "$echo_url"
"$out/test_trace" "$url"
echo "== C tests (AddressSanitizer + UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
"$out/test_capi_asan" "$url"
"$out/test_batch_asan" "$url"
# Fewer calls under the sanitizers and valgrind: they are 10-50x slower.
"$out/test_reliability_asan" "$url" 8 100 200
"$out/test_hostile_asan" "$echo_url"
"$out/test_trace_asan" "$url"
if command -v valgrind >/dev/null; then
  echo "== C tests (valgrind)"
  vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
      --show-leak-kinds=definite,indirect)
  "${vg[@]}" "$out/test_capi" "$url"
  "${vg[@]}" "$out/test_batch" "$url"
  ZOOMLIVE_SKIP_RSS=1 "${vg[@]}" "$out/test_reliability" "$url" 8 20 100
  "${vg[@]}" "$out/test_hostile" "$echo_url"
  "${vg[@]}" "$out/test_trace" "$url"
else
  echo "SKIPPED: the valgrind pass: valgrind is not installed (make deps installs it)"
  if [ "${ZOOMLIVE_REQUIRE_ALL:-0}" = 1 ]; then exit 1; fi
fi
