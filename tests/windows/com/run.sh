#!/usr/bin/env bash
# The COM face under Wine (`make test-com`, part of `make test`): zoomlive.dll as the
# OLE Automation server ZoomLive.Client, in both bitnesses, against the emulator, for
# each variant of the DLL:
#   win10   target/windows/{i686,x86_64}: in a prefix with the bcryptprimitives stand-in
#           (Wine 8.0 lacks that DLL; every Windows 10 has it)
#   win7    target/windows/win7-{i686,x86_64}: in the same prefix WITHOUT the stand-in,
#           as on Windows 7 (its imports are checked by scripts/windows/build.sh: no
#           combase.dll; its COM functions come from ole32.dll); the control: the
#           Windows 10 DLL cannot even be registered there
#
#   tests/windows/com/run.sh [win10] [win7]     (default: both; ZOOMLIVE_WIN7=0: win10)
#   ZOOMLIVE_COM_DLLS=DIR tests/windows/com/run.sh [win10] [win7]
#       the DLLs of an unpacked release zip instead (DIR/x86, DIR/x64, DIR/win7-x86,
#       DIR/win7-x64; scripts/windows/dist-test.sh): nothing built, no lint, labels
#       "zip-..."; logs in ZOOMLIVE_COM_OUT (default target/windows/com)
#
# For each variant:
#   register   regsvr32 (machine-wide) for the x64 DLL and, from syswow64, the x86 one:
#              the CLSID in each registry view, ThreadingModel=Both, the shared ProgIDs
#   client     tests/windows/com/client.vbs with cscript //nologo, 64-bit (system32) and
#              32-bit (syswow64): every method and property, the seeds' calls, Last*,
#              ids as numbers, two objects, DISP_E_UNKNOWNNAME / DISP_E_BADPARAMCOUNT;
#              then the emulator's log: the seeds' fields, a non-ASCII display name intact
#   batch      tests/windows/com/batch.vbs, both bitnesses: RunBatch over a FoxPro-style
#              CSV, its status, the Batch* counts, the results file, a refused row
#   trace      tests/windows/com/trace.vbs, both bitnesses: LastTrace after a success, a
#              failure and a refused argument, TraceFile, Doctor
#   dispatch   tests/windows/com/dispatch.c (MinGW, both bitnesses) through IDispatch:
#              ids as VT_I8/VT_UI4/VT_DECIMAL/VT_R8/by reference, a missing optional
#              argument, the exact HRESULTs, four threads on one object, DllCanUnloadNow
#   unregister regsvr32 /u of one bitness keeps the shared ProgIDs and the other one
#              working; the second removes them (CreateObject then fails)
#   user       regsvr32 /n /i:user writes the per-user keys (HKCU) and nothing in HKLM;
#              /u /n /i:user removes them. (Wine 8 does not merge HKCU\Software\Classes
#              into HKCR, so CreateObject cannot see a per-user registration there; Windows
#              does. Checked by the keys.)
# A variant whose contract fails is run once more (see the loop at the end).
# and once, when it builds: lint, cargo clippy -D warnings for both Windows targets
# (Linux never compiles src/com/).
#
# Uses the Windows suite's private Wine (scripts/windows/wine.sh, installed by
# scripts/windows-deps.sh) in a prefix of its own (target/wine/com-prefix), and the DLLs
# scripts/windows/build.sh writes (built once: a later build.sh finds them fresh).
# Prints "ok"/"not ok" lines and ends with "com: N passed, M failed"; exits 1 on any
# failure. Missing tools are a failure under ZOOMLIVE_REQUIRE_ALL=1, a skip otherwise.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/../../.." && pwd)}
export ZOOMLIVE_ROOT=$ROOT
cd "$ROOT"
OUT=${ZOOMLIVE_COM_OUT:-$ROOT/target/windows/com}
mkdir -p "$OUT"
. scripts/emulator.sh
. scripts/windows/wine.sh

variants=("$@")
if [ ${#variants[@]} -eq 0 ]; then
  variants=(win10)
  [ "${ZOOMLIVE_WIN7:-1}" = 0 ] || variants+=(win7)
fi
for v in "${variants[@]}"; do
  case $v in win10 | win7) ;; *) echo "usage: $0 [win10] [win7]" >&2; exit 2 ;; esac
done

passed=0 failed=0 skipped=0
failures=() # this attempt's "not ok" lines
flaky=()    # those of a first attempt that was run again (below)
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); failures+=("$*"); echo "not ok - $*"; }
tally() { # LOG SUMMARY WHAT: prints LOG's "not ok" lines and adds its closing line
  # "SUMMARY: N passed, M failed" to the totals; without that line (a VBScript error,
  # a crash) WHAT failed, and the log's last lines are shown.
  local log=$1 summary=$2 what=$3 line
  grep -E '^not ok' "$log" | sed 's/^/    /'
  while IFS= read -r line; do failures+=("${line#not ok - }"); done < <(grep -E '^not ok' "$log")
  line=$(grep -E "^$summary: [0-9]+ passed, [0-9]+ failed$" "$log" | tail -1)
  if [ -z "$line" ]; then
    fail "$what ended without its summary line; last lines:"
    tail -5 "$log" | sed 's/^/    /'
    return
  fi
  passed=$((passed + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.*, ([0-9]+) failed.*/\1/' <<<"$line")))
  echo "  $line"
}
check() { # NAME COMMAND...: pass when the command succeeds
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
# Succeeds when the command fails: `check NAME fails has_key ...`.
fails() { ! "$@"; }
skip() {
  skipped=$((skipped + 1))
  echo "SKIPPED: $*"
  [ "${ZOOMLIVE_REQUIRE_ALL:-0}" = 1 ] && failed=$((failed + 1))
}
finish() {
  echo "  (com: $((SECONDS - t0)) s)"
  if [ ${#flaky[@]} -gt 0 ]; then
    echo "com: failed on a first attempt, then run again (its logs in $OUT/first-*):"
    printf '  flaky - %s\n' "${flaky[@]}"
  fi
  if [ ${#failures[@]} -gt 0 ]; then
    echo "com: what failed:"
    printf '  not ok - %s\n' "${failures[@]}"
  fi
  if [ "$skipped" -gt 0 ]; then echo "com: $passed passed, $failed failed, $skipped skipped"; else echo "com: $passed passed, $failed failed"; fi
  [ "$failed" -eq 0 ]
  exit
}
t0=$SECONDS
[ "${ZOOMLIVE_WIN7:-1}" = 0 ] && [ -z "${ZOOMLIVE_COM_DLLS:-}" ] && skip "the Windows 7 DLLs' COM object (ZOOMLIVE_WIN7=0)"

# --- tools, DLLs, prefix ---------------------------------------------------------------------
if ! [ -x "$WINE32" ] || ! [ -x "$WINE64" ] || ! command -v i686-w64-mingw32-gcc >/dev/null; then
  if ! bash scripts/windows-deps.sh; then
    skip "the COM suite: scripts/windows-deps.sh could not install Wine/MinGW (run as root)"
    finish
  fi
fi
# The DLL of each variant and architecture.
declare -A SRC
if [ -n "${ZOOMLIVE_COM_DLLS:-}" ]; then
  D=$ZOOMLIVE_COM_DLLS
  SRC=([win10:i686]=$D/x86/zoomlive.dll [win10:x86_64]=$D/x64/zoomlive.dll
    [win7:i686]=$D/win7-x86/zoomlive.dll [win7:x86_64]=$D/win7-x64/zoomlive.dll)
  TAG=zip-
else
  SRC=([win10:i686]=target/windows/i686/zoomlive.dll [win10:x86_64]=target/windows/x86_64/zoomlive.dll
    [win7:i686]=target/windows/win7-i686/zoomlive.dll [win7:x86_64]=target/windows/win7-x86_64/zoomlive.dll)
  TAG=
  # Both variants are built (as make test-windows builds them: then nothing is rebuilt),
  # so the control below has the Windows 10 DLL.
  build_variants=(win10)
  [[ " ${variants[*]} " == *" win7 "* ]] && build_variants+=(win7)
  if ! bash scripts/windows/build.sh "${build_variants[@]}" >"$OUT/build.log" 2>&1; then
    fail "scripts/windows/build.sh ${build_variants[*]} (the DLLs)"
    tail -20 "$OUT/build.log" | sed 's/^/    /'
    finish
  fi
  grep -E '^(==|  (exports|win7 imports)|    (ole32|oleaut32))' "$OUT/build.log" | sed 's/^/  /'
  # `make lint` runs on Linux, where src/com/ is not compiled: lint it for both Windows targets.
  for a in i686 x86_64; do
    if cargo clippy --quiet --lib --target "$a-pc-windows-gnu" -- -D warnings >"$OUT/clippy-$a.log" 2>&1; then
      pass "cargo clippy -D warnings for $a-pc-windows-gnu (src/com/)"
    else
      fail "cargo clippy -D warnings for $a-pc-windows-gnu"
      grep -E '^(error|warning)' -A6 "$OUT/clippy-$a.log" | head -30 | sed 's/^/    /'
    fi
  done
fi
# The DLLs' own checks: without the DLLs the contract cannot run (a lint failure alone
# does not stop it).
failed_before=$failed
for v in "${variants[@]}"; do
  for a in i686 x86_64; do
    dll=${SRC[$v:$a]}
    if ! [ -s "$dll" ]; then
      fail "no $dll"
      continue
    fi
    exports=$("$a-w64-mingw32-objdump" -p "$dll" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p')
    missing=$(for f in DllGetClassObject DllCanUnloadNow DllRegisterServer DllUnregisterServer DllInstall; do
      grep -qE "\] $f\$" <<<"$exports" || echo "$f"
    done)
    if [ -z "$missing" ]; then pass "$dll exports the five COM entry points (and every C function: build.sh)"; else fail "$dll lacks $missing"; fi
    if [ "$v" = win7 ]; then
      if "$a-w64-mingw32-objdump" -p "$dll" | grep -qiE 'DLL Name: (combase|api-ms-win-core-winrt)'; then
        fail "$dll imports combase.dll or a WinRT ApiSet (Windows 8+)"
      else
        pass "$dll imports no combase.dll: its COM functions come from $(
          "$a-w64-mingw32-objdump" -p "$dll" | grep -oiE 'DLL Name: (ole32|oleaut32)\.dll' | sed 's/DLL Name: //' | sort -u | tr '\n' ' ')"
      fi
    fi
  done
done
[ "$failed" -eq "$failed_before" ] || finish
for a in i686 x86_64; do
  "$a-w64-mingw32-gcc" -std=c11 -O1 -Wall -Wextra -Werror -static "$here/dispatch.c" \
    -o "$OUT/dispatch-$a.exe" -lole32 -loleaut32 -luuid \
    || { fail "tests/windows/com/dispatch.c does not build for $a"; finish; }
done
wine_build_standin >"$OUT/standin.log" 2>&1 || { fail "the bcryptprimitives stand-in does not build"; finish; }
PREFIX=$ROOT/target/wine/com-prefix
wine_prefix "$PREFIX" --standin || { fail "the Wine prefix ($PREFIX)"; finish; }
declare -A DIR=([i686]='C:\zoomlive\x86' [x86_64]='C:\zoomlive\x64')
declare -A ARCHLABEL=([i686]=x86 [x86_64]=x64)
declare -A LABEL
# 64-bit programs from system32, 32-bit ones from syswow64 (Wine hands each to its half).
declare -A SYS=([i686]='C:\windows\syswow64' [x86_64]='C:\windows\system32')
mkdir -p "$PREFIX/drive_c/zoomlive/x86" "$PREFIX/drive_c/zoomlive/x64" "$PREFIX/drive_c/zoomlive/tests"
cp "$here"/*.vbs "$OUT"/dispatch-*.exe examples/vbscript/meeting_livestream.vbs "$PREFIX/drive_c/zoomlive/tests/"
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

win() { timeout -k 10 "$WINE_TIMEOUT" "$WINE64" "$@" 2>>"$OUT/wine.err"; }
regsvr32() { # ARCH ARGS...: regsvr32 of that bitness on that DLL, silent
  local a=$1
  shift
  win "${SYS[$a]}\\regsvr32.exe" /s "$@" "${DIR[$a]}\\zoomlive.dll"
}
cscript() { # ARCH SCRIPT ARGS...
  local a=$1 script=$2
  shift 2
  win "${SYS[$a]}\\cscript.exe" //nologo "C:\\zoomlive\\tests\\$script" "$@" | tr -d '\r'
}
# reg query of KEY (HKLM\... or HKCU\...) in a view (64 or 32): exit 0 when it exists.
has_key() { win reg query "$1" /reg:"$2" >/dev/null 2>&1; }
value_of() { win reg query "$1" /ve /reg:"$2" 2>/dev/null | tr -d '\r' | sed -n 's/.*REG_SZ *//p' | head -1; }
CLSID='{32814CE1-F38D-41C6-8A02-098B52C9D1DA}'
declare -A VIEW=([i686]=32 [x86_64]=64)

# A second emulator answers a repeated start with 429 and Retry-After (LastRetryAfterMs).
start_emulator "$OUT/cooldown" --start-cooldown-ms 600000 --rate-limit-headers
COOLDOWN_URL=$EMULATOR_URL
# A third one refuses every call for missing scopes (LastMissingScopes).
start_emulator "$OUT/scopes" --missing-scope meeting:write:admin,meeting:write
SCOPES_URL=$EMULATOR_URL
start_emulator "$OUT"
echo "emulator: $EMULATOR_URL (429s: $COOLDOWN_URL)"

# contract VARIANT: the whole contract on that variant's two DLLs.
contract() {
  local v=$1 a L v_bits got tm log dlog line p f rc out k t t_variant=$SECONDS
  for a in i686 x86_64; do
    LABEL[$a]=$TAG${ARCHLABEL[$a]}
    [ "$v" = win7 ] && LABEL[$a]=${TAG}win7-${ARCHLABEL[$a]}
  done
  echo "== $v: ${SRC[$v:i686]} and ${SRC[$v:x86_64]}"
  # A clean start: nothing registered from an earlier run (of either variant).
  for a in x86_64 i686; do
    regsvr32 "$a" /u
    regsvr32 "$a" /u /n /i:user
  done
  if [ "$v" = win7 ]; then
    # Windows 7 has no bcryptprimitives.dll: neither has the prefix now.
    wine_prefix "$PREFIX" || { fail "the Wine prefix without the stand-in"; return; }
    check "win7: the prefix has no bcryptprimitives.dll (as Windows 7)" \
      test ! -e "$PREFIX/drive_c/windows/system32/bcryptprimitives.dll" -a ! -e "$PREFIX/drive_c/windows/syswow64/bcryptprimitives.dll"
    # The control: the Windows 10 x64 DLL does not even load there.
    if [ -s "${SRC[win10:x86_64]}" ]; then
      cp "${SRC[win10:x86_64]}" "$PREFIX/drive_c/zoomlive/x64/zoomlive.dll"
      check "control: regsvr32 of the Windows 10 x64 DLL fails in this prefix (no bcryptprimitives.dll)" \
        fails regsvr32 x86_64
      regsvr32 x86_64 /u
    fi
  else
    wine_prefix "$PREFIX" --standin || { fail "the Wine prefix with the stand-in"; return; }
  fi
  # The DLLs are copied in, so a rebuild during the run cannot change them.
  cp "${SRC[$v:i686]}" "$PREFIX/drive_c/zoomlive/x86/zoomlive.dll"
  cp "${SRC[$v:x86_64]}" "$PREFIX/drive_c/zoomlive/x64/zoomlive.dll"

  # --- register -------------------------------------------------------------------------------
  for a in x86_64 i686; do
    check "regsvr32 ${LABEL[$a]} (machine-wide) succeeds" regsvr32 "$a"
    v_bits=${VIEW[$a]}
    got=$(value_of "HKLM\\Software\\Classes\\CLSID\\$CLSID\\InprocServer32" "$v_bits")
    check "${LABEL[$a]}: InprocServer32 in the $v_bits-bit view is ${DIR[$a]}\\zoomlive.dll (got '$got')" \
      test "$got" = "${DIR[$a]}\\zoomlive.dll"
    tm=$(win reg query "HKLM\\Software\\Classes\\CLSID\\$CLSID\\InprocServer32" /v ThreadingModel /reg:"$v_bits" 2>/dev/null | tr -d '\r' | sed -n 's/.*REG_SZ *//p')
    check "${LABEL[$a]}: ThreadingModel=Both (got '$tm')" test "$tm" = Both
  done
  check "$v: ProgID ZoomLive.Client -> CLSID" test "$(value_of 'HKLM\Software\Classes\ZoomLive.Client\CLSID' 64)" = "$CLSID"
  check "$v: ProgID ZoomLive.Client.1 -> CLSID" test "$(value_of 'HKLM\Software\Classes\ZoomLive.Client.1\CLSID' 64)" = "$CLSID"
  check "$v: ZoomLive.Client\\CurVer = ZoomLive.Client.1" test "$(value_of 'HKLM\Software\Classes\ZoomLive.Client\CurVer' 64)" = ZoomLive.Client.1
  check "$v: nothing written per-user by a machine-wide registration" fails has_key "HKCU\\Software\\Classes\\ZoomLive.Client" 64

  # --- client, both bitnesses -------------------------------------------------------------------
  for a in x86_64 i686; do
    log=$OUT/client-${LABEL[$a]}.log
    t=$SECONDS
    curl -sf -X POST "$EMULATOR_URL/_emulator/reset" >/dev/null || true
    curl -sf -X POST "$COOLDOWN_URL/_emulator/reset" >/dev/null || true
    cscript "$a" client.vbs "$EMULATOR_URL" "${LABEL[$a]}" "$VERSION" "$COOLDOWN_URL" "$SCOPES_URL" >"$log"
    tally "$log" "com-${LABEL[$a]}" "client.vbs ${LABEL[$a]} ($((SECONDS - t)) s)"
    # What VBScript cannot pass: VT_I8, VT_DECIMAL, references, threads, exact HRESULTs.
    dlog=$OUT/dispatch-${LABEL[$a]}.log
    win "C:\\zoomlive\\tests\\dispatch-$a.exe" "$EMULATOR_URL" "${LABEL[$a]}" | tr -d '\r' >"$dlog"
    tally "$dlog" "com-dispatch-${LABEL[$a]}" "dispatch-$a.exe (${LABEL[$a]})"
    # What the emulator received from this run.
    curl -sf "$EMULATOR_URL/_emulator/requests" >"$OUT/requests-${LABEL[$a]}.json"
    if python3 - "$OUT/requests-${LABEL[$a]}.json" "${LABEL[$a]}" <<'PY'; then pass "${LABEL[$a]}: the emulator's log (seed fields, non-ASCII display name, no token)"; else fail "${LABEL[$a]}: the emulator's log"; fi
import json, sys
# The emulator's log shows a stream key as "***"; client.vbs reads the keys back by GET.
log, label = json.load(open(sys.argv[1])), sys.argv[2]
def sent(method, path, **fields):
    return any(r["method"] == method and r["path"] == path and
               all(r["fields"].get(k) == v for k, v in fields.items()) for r in log)
want = [
    ("PATCH", "/v2/webinars/91234567890/livestream/status",
     dict(action="start", settings='{"active_speaker_name":false,"display_name":"reprehender"}')),
    ("PATCH", "/v2/meetings/68423085/livestream/status",
     dict(action="start", settings='{"active_speaker_name":false,"display_name":"dolore ullamco irur"}')),
    ("PATCH", "/v2/meetings/68423085/livestream",
     dict(stream_url="aute", stream_key="***", page_url="https://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi")),
    ("PATCH", "/v2/meetings/68423085/livestream/status",
     dict(action="start", settings='{"display_name":"Caf\u00e9 \u20ac com-%s"}' % label)),
    ("PATCH", "/v2/meetings/68423085/livestream",
     dict(stream_url="rtmp://a.rtmp.youtube.com/live2", stream_key="***",
          page_url="https://example.com/live", resolution="1080p")),
]
ok = True
for method, path, fields in want:
    if not sent(method, path, **fields):
        print(f"    not received: {method} {path} {fields}")
        ok = False
text = json.dumps(log)
if "FAKE-ZOOM-TOKEN" in text or "start{" in text or "auteofficia" in text:
    print("    the log holds a token or a refused value")
    ok = False
sys.exit(0 if ok else 1)
PY
    # The trace: LastTrace, TraceFile (a file of its own, new each run), Doctor.
    tlog=$OUT/trace-${LABEL[$a]}.log
    rm -f "$PREFIX/drive_c/zoomlive/tests/trace-${LABEL[$a]}.txt"
    cscript "$a" trace.vbs "$EMULATOR_URL" "${LABEL[$a]}" "C:\\zoomlive\\tests\\trace-${LABEL[$a]}.txt" >"$tlog"
    tally "$tlog" "trace-${LABEL[$a]}" "trace.vbs ${LABEL[$a]}"
    # RunBatch and the Batch* counts (tests/windows/com/batch.vbs), on a fresh emulator state.
    blog=$OUT/batch-${LABEL[$a]}.log
    curl -sf -X POST "$EMULATOR_URL/_emulator/reset" >/dev/null || true
    cscript "$a" batch.vbs "$EMULATOR_URL" "${LABEL[$a]}" >"$blog"
    tally "$blog" "com-batch-${LABEL[$a]}" "batch.vbs ${LABEL[$a]}"
  done

  # --- the VBScript example, both bitnesses ----------------------------------------------------
  for a in x86_64 i686; do
    # A fresh emulator state: the example starts a stream the runs above may have left started.
    curl -sf -X POST "$EMULATOR_URL/_emulator/reset" >/dev/null || true
    out=$(ZOOM_ACCESS_TOKEN=eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef ZOOM_BASE_URL="$EMULATOR_URL/v2" \
      cscript "$a" meeting_livestream.vbs)
    rc=$?
    check "${LABEL[$a]}: examples/vbscript/meeting_livestream.vbs prints Success. (exit $rc)" \
      test "$(tail -1 <<<"$out")" = Success.
    out=$(ZOOM_ACCESS_TOKEN=eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef ZOOM_BASE_URL="$EMULATOR_URL/v2" \
      cscript "$a" meeting_livestream.vbs 1234567890)
    check "${LABEL[$a]}: the example with an unknown meeting prints 404 and Failed." \
      test "$(head -1 <<<"$out")/$(tail -1 <<<"$out")" = "Response Status Code = 404/Failed."
  done

  # --- unregister one bitness, then the other ----------------------------------------------------
  local x86=${LABEL[i686]} x64=${LABEL[x86_64]}
  check "regsvr32 /u $x86 succeeds" regsvr32 i686 /u
  check "$x86 unregistered: its CLSID key (32-bit view) is gone" fails has_key "HKLM\\Software\\Classes\\CLSID\\$CLSID" 32
  check "$x86 unregistered: the shared ProgID is kept for $x64" has_key 'HKLM\Software\Classes\ZoomLive.Client' 64
  got=$(cscript x86_64 create.vbs)
  check "$x86 unregistered: $x64 CreateObject still works (got '$got')" test "$got" = "created $VERSION"
  got=$(cscript i686 create.vbs)
  check "$x86 unregistered: $x86 CreateObject fails (got '$got')" test "${got%% *}" = not
  check "regsvr32 /u $x64 succeeds" regsvr32 x86_64 /u
  for k in "CLSID\\$CLSID" ZoomLive.Client ZoomLive.Client.1; do
    check "$v: both unregistered: HKLM\\Software\\Classes\\$k is gone" fails has_key "HKLM\\Software\\Classes\\$k" 64
  done
  got=$(cscript x86_64 create.vbs)
  check "$v: both unregistered: $x64 CreateObject fails (got '$got')" test "${got%% *}" = not
  # And the other order: x64 first keeps the ProgID for x86.
  regsvr32 x86_64 && regsvr32 i686
  check "regsvr32 /u $x64 ($x86 still registered) succeeds" regsvr32 x86_64 /u
  check "$x64 unregistered: the shared ProgID is kept for $x86" has_key 'HKLM\Software\Classes\ZoomLive.Client' 64
  got=$(cscript i686 create.vbs)
  check "$x64 unregistered: $x86 CreateObject still works (got '$got')" test "$got" = "created $VERSION"
  regsvr32 i686 /u
  check "$v: both unregistered again: the ProgID is gone" fails has_key "HKLM\\Software\\Classes\\ZoomLive.Client" 64

  # --- per-user ---------------------------------------------------------------------------------
  for a in x86_64 i686; do
    L=${LABEL[$a]} v_bits=${VIEW[$a]}
    check "$L: regsvr32 /n /i:user succeeds" regsvr32 "$a" /n /i:user
    got=$(value_of "HKCU\\Software\\Classes\\CLSID\\$CLSID\\InprocServer32" "$v_bits")
    check "$L per-user: HKCU InprocServer32 is ${DIR[$a]}\\zoomlive.dll (got '$got')" test "$got" = "${DIR[$a]}\\zoomlive.dll"
    check "$L per-user: HKCU ProgID -> CLSID" test "$(value_of 'HKCU\Software\Classes\ZoomLive.Client\CLSID' "$v_bits")" = "$CLSID"
    check "$L per-user: nothing in HKLM" fails has_key "HKLM\\Software\\Classes\\ZoomLive.Client" 64
    check "$L: regsvr32 /u /n /i:user succeeds" regsvr32 "$a" /u /n /i:user
    for k in "CLSID\\$CLSID" ZoomLive.Client ZoomLive.Client.1; do
      check "$L per-user removed: HKCU\\Software\\Classes\\$k" fails has_key "HKCU\\Software\\Classes\\$k" "$v_bits"
    done
  done
  check "$v: regsvr32 /n /i:bogus is refused" fails regsvr32 x86_64 /n /i:bogus
  echo "  ($v: $((SECONDS - t_variant)) s)"
}

# A variant whose contract fails is run once more, from a clean start: every step starts
# a Wine process, and one that fails to start or to reach the registry under load is not
# the DLL's fault. The suite fails when the second attempt fails too; what failed the
# first time is listed at the end either way, and its logs kept in $OUT/first-VARIANT.
for v in "${variants[@]}"; do
  before=("$passed" "$failed" "${#failures[@]}")
  contract "$v"
  if [ "$failed" -gt "${before[1]}" ]; then
    first=("${failures[@]:${before[2]}}")
    rm -rf "$OUT/first-$v" && mkdir -p "$OUT/first-$v"
    cp "$OUT"/*.log "$OUT/first-$v/" 2>/dev/null || true
    echo "== $v failed $((failed - before[1])) check(s): running its contract once more"
    passed=${before[0]} failed=${before[1]}
    failures=("${failures[@]:0:${before[2]}}")
    contract "$v"
    flaky+=("${first[@]/#/$v: }")
  fi
done
# The suite's prefix as the next run expects it.
wine_prefix "$PREFIX" --standin >/dev/null 2>&1 || true
finish
