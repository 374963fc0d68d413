#!/usr/bin/env bash
# The Delphi unit under Windows: examples/delphi/ZoomLive.pas with the consumer test
# (tests/consumers/delphi/ConsumerTest.dpr) and the example program
# (examples/delphi/UpdateLiveStream.dpr), compiled with Free Pascal (Delphi mode) for
# i386-win32 against the stdcall x86 DLL and for x86_64-win64 against the x64 DLL, run
# under Wine against the emulator. Called by scripts/windows/test.sh, which has started
# the emulator (URL as $1, accepting $ZOOM_ACCESS_TOKEN), selected the Wine prefix and
# built the DLLs. Ends with "windows-delphi: N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/../.." && pwd)}
cd "$ROOT"
. scripts/windows/wine.sh
URL=$1
OUT=$ROOT/target/windows/test/delphi
export ZOOM_BASE_URL=$URL/v2
export ZOOMLIVE_HEADER_VERSION
ZOOMLIVE_HEADER_VERSION=$(sed -n 's/^#define ZOOMLIVE_VERSION "\(.*\)"$/\1/p' include/zoomlive.h)
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
emu() { python3 tests/consumers/emulator_log.py "$URL" "$@"; }
MEETING_UPDATE='[{"method":"PATCH","path":"/v2/meetings/68423085/livestream","status":204,
  "fields":{"stream_url":"aute","stream_key":"***","page_url":"https://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi"}}]'

if ! bash scripts/windows/fpc.sh >"$ROOT/target/windows/test/fpc.log" 2>&1; then
  fail "the Free Pascal Windows cross compilers and units (scripts/windows/fpc.sh)"
  tail -5 "$ROOT/target/windows/test/fpc.log" | sed 's/^/    /'
  echo "windows-delphi: $passed passed, $failed failed"
  exit 1
fi
pass "Free Pascal cross compilers for i386-win32 and x86_64-win64 (scripts/windows/fpc.sh)"

declare -A DLL=([i386-win32]=target/windows/i686/zoomlive.dll [x86_64-win64]=target/windows/x86_64/zoomlive.dll)
for t in i386-win32 x86_64-win64; do
  d=$OUT/$t
  rm -rf "$d" && mkdir -p "$d"
  cp "${DLL[$t]}" "$d/zoomlive.dll" # beside the program, where Windows looks first
  for src in tests/consumers/delphi/ConsumerTest.dpr examples/delphi/UpdateLiveStream.dpr; do
    name=$(basename "$src" .dpr)
    if bash scripts/windows/fpc.sh compile "$t" "$src" "$d" -Fuexamples/delphi -Futests/consumers/delphi \
      >"$d/$name.build.log" 2>&1; then
      pass "$t: $src compiles with examples/delphi/ZoomLive.pas"
    else
      fail "$t: $src does not compile"
      grep -E 'Error|Fatal' "$d/$name.build.log" | head -10 | sed 's/^/    /'
    fi
  done
  if [ -e "$d/ConsumerTest.exe" ]; then
    rc=0
    wine_run "$d/ConsumerTest.exe" "$URL" >"$d/test.log" 2>"$d/test.err" || rc=$?
    line=$(grep -aE '^delphi: [0-9]+ passed, [0-9]+ failed' "$d/test.log" | tr -d '\r')
    grep -aE '^not ok' "$d/test.log" | sed 's/^/    /'
    if [ "$rc" -eq 0 ] && [ -n "$line" ] && grep -qE ', 0 failed$' <<<"$line"; then
      pass "$t: ConsumerTest.exe under Wine: $line"
    else
      fail "$t: ConsumerTest.exe under Wine (exit $rc): ${line:-no summary line}"
      tail -10 "$d/test.log" "$d/test.err" | sed 's/^/    /'
    fi
    ! grep -qF "$ZOOM_ACCESS_TOKEN" "$d/test.log" && pass "$t: the token appears nowhere in its output" \
      || fail "$t: the token appears in the output"
  fi
  if [ -e "$d/UpdateLiveStream.exe" ]; then
    emu reset
    rc=0
    wine_run "$d/UpdateLiveStream.exe" >"$d/example.log" 2>"$d/example.err" || rc=$?
    if [ "$rc" -eq 0 ] && tr -d '\r' <"$d/example.log" | grep -qx 'Success.'; then
      pass "$t: UpdateLiveStream.exe: exit 0 and Success."
    else
      fail "$t: UpdateLiveStream.exe: exit $rc"
      sed 's/^/    /' "$d/example.log"
    fi
    emu expect "$MEETING_UPDATE" && pass "$t: the emulator received the example's request" \
      || fail "$t: the example's request log"
    emu reset
    rc=0
    wine_run "$d/UpdateLiveStream.exe" 999999 >"$d/example-404.log" 2>&1 || rc=$?
    log=$(tr -d '\r' <"$d/example-404.log")
    if [ "$rc" -ne 0 ] && grep -qx 'Failed.' <<<"$log" && grep -q 'Response Status Code = 404' <<<"$log" \
      && grep -q 'Zoom error code = 3001' <<<"$log" && ! grep -qF "$ZOOM_ACCESS_TOKEN" <<<"$log"; then
      pass "$t: UpdateLiveStream.exe 999999: exit $rc, HTTP 404, Zoom code 3001, Failed., no token"
    else
      fail "$t: UpdateLiveStream.exe 999999: exit $rc"
      sed 's/^/    /' <<<"$log"
    fi
  fi
done
echo "windows-delphi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
