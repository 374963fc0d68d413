#!/usr/bin/env bash
# Proof of the C ABI from real non-C consumers, against the emulator over loopback:
#   c       examples/c/livestream.c built with cc -Werror and run (its success and
#           failure paths)
#   delphi  Free Pascal in Delphi mode: tests/consumers/delphi/ConsumerTest.dpr through
#           the example unit examples/delphi/ZoomLive.pas, then the example program
#   csharp  Mono P/Invoke: tests/consumers/csharp/ConsumerTest.cs with the example's
#           declarations, the example program, and the SQLCLR wrapper compiled
#   ruby    the ffi gem: tests/consumers/ruby/consumer_test.rb through
#           examples/ruby/zoomlive.rb, then the example script
#
# The toolchains come from `make deps` (scripts/deps.sh); a consumer whose toolchain is
# missing prints "SKIPPED: <consumer>: <reason>", which is a failure when
# ZOOMLIVE_REQUIRE_ALL=1 (as .ci/run sets). Build outputs go under target/consumers/.
# Ends with "consumers: N passed, M failed"; exits 1 on any failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/../.." && pwd)}
export ZOOMLIVE_ROOT=$ROOT
BIN=${ZOOMLIVE_BIN:-$ROOT/target/debug/zoomlive}
LIB=${ZOOMLIVE_LIB:-$ROOT/target/debug/libzoomlive.so}
LIBDIR=$(dirname "$LIB")
OUT=$ROOT/target/consumers
cd "$ROOT"
# shellcheck source=../../scripts/emulator.sh
. scripts/emulator.sh

passed=0
failed=0
skipped=0
pass() { passed=$((passed + 1)); echo "  ok - $*"; }
fail() { failed=$((failed + 1)); echo "  FAILED - $*"; }
skip() {
  skipped=$((skipped + 1))
  echo "SKIPPED: $1: $2"
}
# Adds a consumer program's own "NAME: N passed, M failed" line to the totals.
count_from() {
  local log=$1 name=$2 rc=$3 line
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" "$log" | tail -1 || true)
  if [ -z "$line" ]; then
    fail "$name: the test program ended (exit $rc) without its summary line"
    tail -20 "$log" | sed 's/^/    /'
    return
  fi
  local p f
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.*, ([0-9]+) failed/\1/' <<<"$line")
  passed=$((passed + p))
  failed=$((failed + f))
  grep -E '^not ok' "$log" | sed 's/^/    /' || true
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    fail "$name: exit status $rc"
  fi
  echo "  $line"
}

for f in "$BIN" "$LIB" include/zoomlive.h; do
  if ! [ -e "$f" ]; then
    echo "missing $f: run 'cargo build --features cli' (or 'make build') first" >&2
    exit 1
  fi
done
HEADER_VERSION=$(sed -n 's/^#define ZOOMLIVE_VERSION "\(.*\)"$/\1/p' include/zoomlive.h)

# --- toolchains (installed by `make deps`) --------------------------------------------
have_ffi() { command -v ruby >/dev/null && ruby -e 'require "ffi"' 2>/dev/null; }
have_sqlclr() { [ -e /usr/lib/mono/4.5/System.Data.dll ]; }

# --- the emulator -------------------------------------------------------------------
mkdir -p "$OUT"
# A fresh token per run: the emulator accepts it, the consumers pass it to the library
# and check that it shows up nowhere. It is never printed.
TOKEN="consumer-test-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export ZOOM_ACCESS_TOKEN=$TOKEN ZOOMLIVE_HEADER_VERSION=$HEADER_VERSION
start_emulator "$OUT" --token "$TOKEN"
URL=$EMULATOR_URL
export ZOOM_BASE_URL=$URL/v2
echo "emulator at $URL; zoomlive $HEADER_VERSION from $LIB"

emu() { python3 "$here/emulator_log.py" "$URL" "$@"; }
MEETING_STATUS='[{"method":"PATCH","path":"/v2/meetings/68423085/livestream/status","status":204,
  "fields":{"action":"start","settings":"{\"active_speaker_name\":false,\"display_name\":\"dolore ullamco irur\"}"}}]'
MEETING_UPDATE='{"method":"PATCH","path":"/v2/meetings/68423085/livestream","status":204,
  "fields":{"stream_url":"aute","stream_key":"***","page_url":"https://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi"},
  "stored":{"stream_key":"officia"}}'
WEBINAR_STATUS='{"method":"PATCH","path":"/v2/webinars/91234567890/livestream/status","status":204,
  "fields":{"action":"start","settings":"{\"active_speaker_name\":false,\"display_name\":\"reprehender\"}"}}'
NOT_FOUND='[{"path":"/v2/meetings/999999/livestream/status","status":404}]'

# Runs an example program on a fresh emulator: it must succeed (exit 0, "Success.")
# and the emulator must have received SPEC.
example_ok() {
  local name=$1 spec=$2 log=$OUT/$1.log
  shift 2
  emu reset
  if "$@" >"$log" 2>&1 && grep -qx 'Success.' "$log"; then
    pass "$name: exit 0 and Success."
  else
    fail "$name: did not succeed"
    sed 's/^/    /' "$log"
  fi
  if emu expect "$spec"; then pass "$name: the emulator received what the seed meant to send"; else fail "$name: request log"; fi
}
# Runs an example program for an unknown id: it must fail the way its seed does
# (status code, Zoom's answer, "Failed.", a non-zero exit) without showing the token.
example_fails() {
  local name=$1 spec=$2 log=$OUT/$1.log rc
  shift 2
  emu reset
  rc=0
  "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] && grep -qx 'Failed.' "$log" && grep -q 'Response Status Code = 404' "$log" \
    && grep -q 'Zoom error code = 3001' "$log" && ! grep -qF "$TOKEN" "$log"; then
    pass "$name: exit $rc, shows HTTP 404, Zoom code 3001 and Failed., not the token"
  else
    fail "$name: exit $rc; expected the seed's failure report"
    sed 's/^/    /' "$log"
  fi
  if emu expect "$spec"; then pass "$name: the emulator received the request"; else fail "$name: request log"; fi
}

# --- C: the example ---------------------------------------------------------------------
echo "c:"
mkdir -p "$OUT/c"
if command -v cc >/dev/null; then
  if cc -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude examples/c/livestream.c \
    -L"$LIBDIR" -lzoomlive -Wl,-rpath,"$LIBDIR" -o "$OUT/c/livestream" 2>"$OUT/c/build.log"; then
    pass "c: examples/c/livestream.c builds with -std=c99 -Wall -Wextra -Wpedantic -Werror"
    example_ok c-example "[$MEETING_UPDATE, ${MEETING_STATUS:1:-1}, $WEBINAR_STATUS]" "$OUT/c/livestream"
    example_fails c-example-unknown '[{"path":"/v2/meetings/999999/livestream","status":404}]' \
      "$OUT/c/livestream" 999999
  else
    fail "c: examples/c/livestream.c does not build"
    sed 's/^/    /' "$OUT/c/build.log"
  fi
else
  skip c "no C compiler (cc)"
fi

# --- Delphi mode (Free Pascal) ------------------------------------------------------
echo "delphi:"
if command -v fpc >/dev/null; then
  D=$OUT/delphi
  mkdir -p "$D/units"
  fpc_build() { # SOURCE: builds into target/consumers/delphi, errors shown on failure
    fpc -Mdelphi -vew -Fuexamples/delphi -Futests/consumers/delphi -Fl"$LIBDIR" \
      -FE"$D" -FU"$D/units" "$1" >"$D/build.log" 2>&1
  }
  if fpc_build tests/consumers/delphi/ConsumerTest.dpr; then
    rc=0
    LD_LIBRARY_PATH=$LIBDIR "$D/ConsumerTest" "$URL" >"$D/test.log" 2>&1 || rc=$?
    count_from "$D/test.log" delphi "$rc"
  else
    fail "delphi: ConsumerTest.dpr does not build"
    sed 's/^/    /' "$D/build.log"
  fi
  if fpc_build examples/delphi/UpdateLiveStream.dpr; then
    pass "delphi: examples/delphi/UpdateLiveStream.dpr builds"
    example_ok delphi-example "[$MEETING_UPDATE]" env LD_LIBRARY_PATH="$LIBDIR" "$D/UpdateLiveStream"
    example_fails delphi-example-unknown '[{"path":"/v2/meetings/999999/livestream","status":404}]' \
      env LD_LIBRARY_PATH="$LIBDIR" "$D/UpdateLiveStream" 999999
  else
    fail "delphi: examples/delphi/UpdateLiveStream.dpr does not build"
    sed 's/^/    /' "$D/build.log"
  fi
else
  skip delphi "Free Pascal (fpc) is not installed (make deps installs it)"
fi

# --- C# (Mono) ------------------------------------------------------------------------
echo "csharp:"
if command -v mcs >/dev/null && command -v mono >/dev/null; then
  S=$OUT/csharp
  mkdir -p "$S"
  if mcs -nologo -warnaserror -main:ConsumerTest -out:"$S/ConsumerTest.exe" \
    examples/csharp/UpdateLiveStreamStatus.cs tests/consumers/csharp/ConsumerTest.cs >"$S/build.log" 2>&1; then
    rc=0
    LD_LIBRARY_PATH=$LIBDIR mono "$S/ConsumerTest.exe" "$URL" >"$S/test.log" 2>&1 || rc=$?
    count_from "$S/test.log" csharp "$rc"
  else
    fail "csharp: ConsumerTest.cs does not build"
    sed 's/^/    /' "$S/build.log"
  fi
  if mcs -nologo -warnaserror -out:"$S/UpdateLiveStreamStatus.exe" examples/csharp/UpdateLiveStreamStatus.cs \
    >"$S/build-example.log" 2>&1; then
    pass "csharp: examples/csharp/UpdateLiveStreamStatus.cs builds"
    example_ok csharp-example "$MEETING_STATUS" env LD_LIBRARY_PATH="$LIBDIR" mono "$S/UpdateLiveStreamStatus.exe"
    example_fails csharp-example-unknown "$NOT_FOUND" \
      env LD_LIBRARY_PATH="$LIBDIR" mono "$S/UpdateLiveStreamStatus.exe" 999999
  else
    fail "csharp: examples/csharp/UpdateLiveStreamStatus.cs does not build"
    sed 's/^/    /' "$S/build-example.log"
  fi
  # The SQL Server example's SQLCLR wrapper, against Mono's System.Data (it runs only
  # inside SQL Server; building it proves its declarations and SqlServer API use).
  if have_sqlclr; then
    if mcs -nologo -warnaserror -target:library -r:System.Data.dll -out:"$S/ZoomLiveSql.dll" \
      examples/sqlserver/ZoomLiveSql.cs >"$S/build-sqlclr.log" 2>&1; then
      pass "csharp: examples/sqlserver/ZoomLiveSql.cs (SQLCLR) builds"
    else
      fail "csharp: examples/sqlserver/ZoomLiveSql.cs (SQLCLR) does not build"
      sed 's/^/    /' "$S/build-sqlclr.log"
    fi
  else
    skip sqlclr "Mono's System.Data is not installed (make deps installs it)"
  fi
else
  skip csharp "Mono (mcs, mono) is not installed (make deps installs them)"
fi

# --- Ruby (ffi) -----------------------------------------------------------------------
echo "ruby:"
if have_ffi; then
  R=$OUT/ruby
  mkdir -p "$R"
  rc=0
  ZOOMLIVE_LIB=$LIB ruby tests/consumers/ruby/consumer_test.rb "$URL" >"$R/test.log" 2>&1 || rc=$?
  count_from "$R/test.log" ruby "$rc"
  example_ok ruby-example "$MEETING_STATUS" env ZOOMLIVE_LIB="$LIB" ruby examples/ruby/update_live_stream_status.rb
  example_fails ruby-example-unknown "$NOT_FOUND" \
    env ZOOMLIVE_LIB="$LIB" ruby examples/ruby/update_live_stream_status.rb 999999
else
  skip ruby "Ruby with the ffi gem is not installed (make deps installs them)"
fi

# --- summary --------------------------------------------------------------------------
if [ "$skipped" -gt 0 ] && [ "${ZOOMLIVE_REQUIRE_ALL:-0}" = 1 ]; then
  echo "ZOOMLIVE_REQUIRE_ALL=1: $skipped consumer(s) skipped, which counts as failure"
  failed=$((failed + skipped))
fi
echo "consumers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
