#!/usr/bin/env bash
# `make demo`: the legacy programs' operations (examples/README.md) against the local
# Zoom emulator, first with the zoomlive command line tool, then with the C example
# (examples/c/livestream.c) through libzoomlive, and finally what the emulator received.
#
# Uses $ZOOMLIVE_BIN and $ZOOMLIVE_LIB when set (the Makefile sets them), else
# target/debug/. Needs python3 (to show the JSON) and, for the C part, cc (`make demo`
# runs `scripts/deps.sh demo` for both).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/.." && pwd)}
BIN=${ZOOMLIVE_BIN:-$ROOT/target/debug/zoomlive}
LIB=${ZOOMLIVE_LIB:-$ROOT/target/debug/libzoomlive.so}
OUT=$ROOT/target/demo
cd "$ROOT"
export ZOOMLIVE_ROOT=$ROOT ZOOMLIVE_BIN=$BIN
# shellcheck source=../scripts/emulator.sh
. scripts/emulator.sh

# --- start the emulator (any free port; it is stopped when this script exits) ----------
start_emulator "$OUT"
URL=$EMULATOR_URL
echo "== emulator at $URL"

# The emulator's own fake token (it accepts it by default); a real token would come
# from your configuration, never from the command line.
export ZOOM_ACCESS_TOKEN='eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef'
export ZOOM_BASE_URL=$URL/v2

run() { # prints the command (never the token), then runs it
  local line='$ zoomlive' a
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./:=+-]+$ ]]; then line+=" $a"; else line+=" '$a'"; fi
  done
  echo "$line"
  "$BIN" "$@"
}

echo
echo "== the command line tool: the legacy programs' operations with the values they meant to send"
# Legacy program 004 (Delphi): where the meeting streams to (the key from the environment).
ZOOM_STREAM_KEY=officia run meeting-update 68423085 --stream-url aute \
  --page-url 'https://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi'
# Legacy programs 001-003 (C#, Ruby, SQL Server): start the meeting's live stream with settings.
run meeting-status 68423085 start \
  --settings '{"active_speaker_name":false,"display_name":"dolore ullamco irur"}'
# Legacy program 000 (FoxPro): start the webinar's live stream with settings.
run --output json webinar-status 91234567890 start \
  --settings '{"active_speaker_name":false,"display_name":"reprehender"}'
# What the Chilkat code really sent is refused before anything goes out (exit 3).
echo "\$ zoomlive meeting-status 68423085 start --settings 'start{...}'   # as the legacy code sent it"
rc=0
"$BIN" meeting-status 68423085 start \
  --settings 'start{"active_speaker_name":false,"display_name":"dolore ullamco irur"}' || rc=$?
echo "(exit $rc)"
# Stop both, so that the C example can start them again with settings.
run meeting-status 68423085 stop
run webinar-status 91234567890 stop

echo
echo "== the C example through libzoomlive (examples/c/livestream.c)"
if command -v cc >/dev/null && [ -e "$LIB" ]; then
  LIBDIR=$(dirname "$LIB")
  cc -std=c99 -Wall -Iinclude examples/c/livestream.c -L"$LIBDIR" -lzoomlive \
    -Wl,-rpath,"$LIBDIR" -o "$OUT/livestream"
  "$OUT/livestream"
else
  echo "(skipped: needs cc and $LIB)"
fi

echo
echo "== what the emulator received (GET $URL/_emulator/requests; tokens redacted)"
python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' \
  "$URL/_emulator/requests" | python3 -m json.tool
