#!/usr/bin/env bash
# The Windows suite (`make test-windows`, part of `make test`): both DLLs in a Windows
# loader (Wine 8.0, private, see scripts/windows-deps.sh), against the emulator running
# on Linux.
#
#   host      tests/windows/host.c, MinGW, 32- and 64-bit: LoadLibrary, GetProcAddress by
#             plain name, calls through its own __stdcall pointer types (FoxPro's
#             DECLARE); every export, failures, the two-call buffer protocol, per-thread
#             last error, the emulator's log, the stack pointer around many calls
#   imports   each DLL imports only Windows system DLLs (no libgcc, libwinpthread)
#   tls       from inside Wine: an untrusted server refused, the extra CA file trusted
#   delphi    examples/delphi/ZoomLive.pas, the example program and the consumer test,
#             Free Pascal cross compilers for i386-win32 and x86_64-win64
#   win7      the Windows 7 variants loaded without the bcryptprimitives stand-in: their
#             imports, the full host suite (their COM object: make test-com)
#   dist      make dist's script, then its zip unpacked into an empty folder: files and
#             checksums, the host against each of its four DLLs, the COM contract on
#             them (tests/windows/com/run.sh with ZOOMLIVE_COM_DLLS); the Linux tarball's
#             CLI; the manylinux2014 wheel in a fresh venv
#
# Usage: scripts/windows/test.sh [PART...]   (default: all of them, in this order). All
# four DLLs are built first by scripts/windows/build.sh, once: make dist's own build.sh
# run then finds them fresh. ZOOMLIVE_WIN7=0 leaves the Windows 7 variants out, and with
# them dist, whose zip must hold them (skips; failures in CI).
# Prints "ok"/"not ok" lines and ends with "windows: N passed, M failed"; exits 1 on any
# failure. A part whose tools are missing is a failure under ZOOMLIVE_REQUIRE_ALL=1.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/../.." && pwd)}
export ZOOMLIVE_ROOT=$ROOT
cd "$ROOT"
OUT=$ROOT/target/windows/test
mkdir -p "$OUT"
. scripts/emulator.sh
. scripts/windows/wine.sh

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(host imports tls delphi win7 dist)
want() {
  local p
  for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done
  return 1
}

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
skip() {
  skipped=$((skipped + 1))
  echo "SKIPPED: $*"
  [ "${ZOOMLIVE_REQUIRE_ALL:-0}" = 1 ] && failed=$((failed + 1))
}
# Adds a program's own "NAME: N passed, M failed" to the totals.
count_from() {
  local log=$1 name=$2 rc=$3 line p f
  line=$(grep -aE "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1 | tr -d '\r')
  grep -aE '^not ok' "$log" | sed 's/^/    /'
  if [ -z "$line" ]; then
    fail "$name ended (exit $rc) without its summary line; last lines:"
    tail -15 "$log" | sed 's/^/    /'
    return
  fi
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.*, ([0-9]+) failed.*/\1/' <<<"$line")
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && fail "$name: exit status $rc"
  echo "  $line"
}
finish() {
  if [ "$skipped" -gt 0 ]; then echo "windows: $passed passed, $failed failed, $skipped skipped"; else echo "windows: $passed passed, $failed failed"; fi
  [ "$failed" -eq 0 ]
  exit
}
t0=$SECONDS
stamp() { echo "  ($1: $((SECONDS - t0)) s so far)"; }

# --- tools and builds --------------------------------------------------------------------
if ! [ -x "$WINE32" ] || ! command -v i686-w64-mingw32-gcc >/dev/null; then
  if ! bash scripts/windows-deps.sh; then
    skip "the Windows suite: scripts/windows-deps.sh could not install Wine/MinGW (run as root)"
    finish
  fi
fi
HEADER_VERSION=$(sed -n 's/^#define ZOOMLIVE_VERSION "\(.*\)"$/\1/p' include/zoomlive.h)

variants=(win10)
[ "${ZOOMLIVE_WIN7:-1}" = 0 ] || variants+=(win7)
echo "== building the DLLs (scripts/windows/build.sh ${variants[*]})"
if ! bash scripts/windows/build.sh "${variants[@]}" >"$OUT/build.log" 2>&1; then
  fail "scripts/windows/build.sh ${variants[*]} (cross-build, exports, stdcall, import libraries, Windows 7 imports)"
  tail -30 "$OUT/build.log" | sed 's/^/    /'
  finish
fi
grep -E '^(== |  (exports|calling convention|examples|win7 imports)|    (ole32|oleaut32))' "$OUT/build.log" | sed 's/^/  /'
pass "the DLLs cross-built (${variants[*]}); plain-name and COM exports; stdcall (ret N) on x86; the C example links"
stamp build

CFLAGS=(-std=c11 -O1 -Wall -Wextra -Werror -static)
for a in i686 x86_64; do
  "$a-w64-mingw32-gcc" "${CFLAGS[@]}" tests/windows/host.c -o "$OUT/host-$a.exe" -lws2_32 \
    || { fail "tests/windows/host.c does not build for $a"; finish; }
done
wine_build_standin >"$OUT/standin.log" 2>&1 || { fail "the bcryptprimitives stand-in does not build"; finish; }
if ! wine_prefix "$ROOT/target/wine/prefix" --standin; then
  fail "the Wine prefix (target/wine/prefix)"
  finish
fi
stamp prefix
declare -A DLL=([i686]=target/windows/i686/zoomlive.dll [x86_64]=target/windows/x86_64/zoomlive.dll)
declare -A ARCHNAME=([i686]=x86 [x86_64]=x64)
H=$(wine_path include/zoomlive.h)

# The host uses the wire captures' fake token; the Delphi programs a fresh one, which
# they check never shows up in their output.
ZOOM_ACCESS_TOKEN="windows-test-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export ZOOM_ACCESS_TOKEN
start_emulator "$OUT" --token "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef" --token "$ZOOM_ACCESS_TOKEN"
echo "emulator: $EMULATOR_URL"

# Runs the host for ARCH with the DLL at PATH and extra arguments; its log in LOG.
run_host() {
  local arch=$1 dll=$2 log=$3
  shift 3
  local rc=0
  wine_run "$OUT/host-$arch.exe" "$(wine_path "$dll")" "$@" >"$log" 2>"$log.err" || rc=$?
  count_from "$log" "windows-host-${ARCHNAME[$arch]}" "$rc"
}

# --- the C hosts ---------------------------------------------------------------------------
if want host; then
  for a in i686 x86_64; do
    echo "== the ${ARCHNAME[$a]} host (tests/windows/host.c) under Wine, ${DLL[$a]}"
    run_host "$a" "${DLL[$a]}" "$OUT/host-$a.log" "$EMULATOR_URL" "$H"
    grep -aE '^ok - ' "$OUT/host-$a.log" | sed 's/^/    /'
  done
  stamp host
fi

# --- imports -------------------------------------------------------------------------------
# Every DLL a Windows 7 SP1 / Server 2008 R2 or later has in System32 (ApiSet names too).
SYSTEM_DLLS='^(kernel32|rpcrt4|combase|ntdll|advapi32|ws2_32|bcrypt|bcryptprimitives|userenv|crypt32|secur32|ncrypt|ole32|oleaut32|user32|shell32|msvcrt|ucrtbase|api-ms-win-[a-z0-9-]+|synchronization|winhttp|propsys)\.dll$'
if want imports; then
  for a in i686 x86_64; do
    imports=$("$a-w64-mingw32-objdump" -p "${DLL[$a]}" | sed -n 's/^\s*DLL Name: //p' | sort -u)
    bad=$(grep -viE "$SYSTEM_DLLS" <<<"$imports" || true)
    if [ -z "$bad" ] && [ -n "$imports" ]; then
      pass "${ARCHNAME[$a]} DLL imports only system DLLs: $(tr '\n' ' ' <<<"$imports")"
    else
      fail "${ARCHNAME[$a]} DLL imports non-system DLLs: $(tr '\n' ' ' <<<"$bad")"
    fi
  done
fi

# --- TLS from inside Wine -------------------------------------------------------------------
tls_server_pid=
stop_tls() {
  [ -n "$tls_server_pid" ] && kill "$tls_server_pid" 2>/dev/null && wait "$tls_server_pid" 2>/dev/null
  tls_server_pid=
}
if want tls; then
  echo "== TLS from inside Wine (certificates made now with openssl)"
  tls=$OUT/tls
  rm -rf "$tls" && mkdir -p "$tls"
  if ! (
    cd "$tls" &&
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=zoomlive test CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout ca.key -out ca.pem &&
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=zoomlive unrelated CA" \
        -addext "basicConstraints=critical,CA:TRUE" -keyout other-ca.key -out other-ca.pem &&
      openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr &&
      printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf &&
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile ext.cnf -out server.pem
  ) >"$tls/openssl.log" 2>&1; then
    fail "openssl could not make the test certificates"
    sed 's/^/    /' "$tls/openssl.log" | tail -5
  else
    python3 scripts/windows/tls_server.py "$tls/server.pem" "$tls/server.key" >"$tls/server.out" 2>"$tls/server.err" &
    tls_server_pid=$!
    trap 'stop_tls; wine_stop; stop_emulators' EXIT
    port=
    for _ in $(seq 100); do
      port=$(head -1 "$tls/server.out" 2>/dev/null)
      [ -n "$port" ] && break
      sleep 0.1
    done
    if [ -z "$port" ]; then
      fail "the TLS test server did not start: $(cat "$tls/server.err")"
    else
      for a in i686 x86_64; do
        run_host "$a" "${DLL[$a]}" "$OUT/tls-$a.log" "https://127.0.0.1:$port/v2" "$H" --tls "$(wine_path "$tls/ca.pem")" "$(wine_path "$tls/other-ca.pem")"
        grep -aE '^(ok - TLS|#   untrusted|#   other CA)' "$OUT/tls-$a.log" | sed 's/^/    /'
      done
      n=$(grep -c 'PATCH /v2/meetings/68423085/livestream/status' "$tls/server.err" || true)
      [ "$n" -eq 2 ] && pass "the TLS server got exactly the 2 trusted calls" \
        || fail "the TLS server got $n calls, wanted 2"
    fi
    stop_tls
  fi
  stamp tls
fi

# --- Delphi (Free Pascal) ---------------------------------------------------------------------
if want delphi; then
  bash scripts/windows/delphi.sh "$EMULATOR_URL" >"$OUT/delphi.log" 2>&1
  rc=$?
  grep -aE '^(ok|not ok|SKIPPED|    )' "$OUT/delphi.log" | head -60
  count_from "$OUT/delphi.log" "windows-delphi" "$rc"
  stamp delphi
fi

# --- Windows 7 variants ---------------------------------------------------------------------
if want win7; then
  rc=0
  if [ "${ZOOMLIVE_WIN7:-1}" = 0 ]; then
    skip "the Windows 7 variants (ZOOMLIVE_WIN7=0)"
    echo "win7: 0 passed, 0 failed" >"$OUT/win7.log"
  else
    bash scripts/windows/win7.sh test "$EMULATOR_URL" >"$OUT/win7.log" 2>&1
    rc=$?
  fi
  grep -aE '^(ok|not ok|SKIPPED|#)' "$OUT/win7.log"
  count_from "$OUT/win7.log" "win7" "$rc"
  stamp win7
fi

# --- the dist zip -------------------------------------------------------------------------------
if want dist; then
  rc=0
  if [ "${ZOOMLIVE_WIN7:-1}" = 0 ]; then
    skip "make dist (ZOOMLIVE_WIN7=0: its zip holds the Windows 7 DLLs)"
    echo "dist: 0 passed, 0 failed" >"$OUT/dist.log"
  elif ! bash scripts/windows/dist.sh >"$OUT/make-dist.log" 2>&1; then
    fail "make dist (scripts/windows/dist.sh; target/windows/test/make-dist.log)"
    tail -15 "$OUT/make-dist.log" | sed 's/^/    /'
    echo "dist: 0 passed, 0 failed" >"$OUT/dist.log"
  else
    grep '^dist: ' "$OUT/make-dist.log" | sed 's/^/  /'
    stamp make-dist
    # The suite's prefix has the stand-in (the Windows 10 DLLs need it under Wine 8.0).
    wine_prefix "$ROOT/target/wine/prefix" --standin
    bash scripts/windows/dist-test.sh "$EMULATOR_URL" >"$OUT/dist.log" 2>&1
    rc=$?
  fi
  grep -aE '^(ok|not ok|SKIPPED)' "$OUT/dist.log"
  count_from "$OUT/dist.log" "dist" "$rc"
  stamp dist
fi

finish
