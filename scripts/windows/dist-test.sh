#!/usr/bin/env bash
# The release bundle as a user gets it (after `make dist`): called by
# scripts/windows/test.sh with the emulator's URL, the Wine prefix selected.
#   - the Windows zip unpacked into an empty folder: its files, and SHA256SUMS naming
#     every other file; the DECLAREs of zoomlive.prg against the header; the import
#     libraries of all four DLL folders; the host (tests/windows/host.c) run under Wine
#     against each DLL from the zip: x86/ and x64/ in the prefix with the
#     bcryptprimitives stand-in, win7-x86/ and win7-x64/ in it without; and the COM
#     contract (tests/windows/com/run.sh) against the zip's DLLs, both variants, both
#     bitnesses;
#   - the Linux tarball: the CLI from it talks to the emulator;
#   - the manylinux2014 wheel installed into a fresh venv, one call to the emulator.
# Ends with "dist: N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/../.." && pwd)}
cd "$ROOT"
. scripts/windows/wine.sh
URL=$1
VERSION=$(sed -n 's/^#define ZOOMLIVE_VERSION "\(.*\)"$/\1/p' include/zoomlive.h)
T=$ROOT/target/windows/test/dist
TOKEN=eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { # NAME COMMAND...
  local name=$1
  shift
  if "$@" >"$T/check.log" 2>&1; then pass "$name"; else
    fail "$name"
    tail -15 "$T/check.log" | sed 's/^/    /'
  fi
}
done_() {
  echo "dist: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

ZIP=dist/zoomlive-$VERSION-windows.zip
TGZ=dist/zoomlive-$VERSION-linux-x86_64.tar.gz
for f in "$ZIP" "$TGZ" dist/SHA256SUMS dist/zoomlive-"$VERSION".tar.gz; do
  [ -e "$f" ] || { fail "$f is missing (make dist)"; done_; }
done
rm -rf "$T" && mkdir -p "$T/unzipped"
check "dist/SHA256SUMS matches the artifacts" bash -c "cd dist && sha256sum -c SHA256SUMS"

# --- the Windows zip -----------------------------------------------------------------------
check "the zip unpacks into an empty folder" unzip -q "$ZIP" -d "$T/unzipped"
W=$T/unzipped/zoomlive-$VERSION-windows
check "its SHA256SUMS matches every file" bash -c "cd '$W' && sha256sum -c --quiet SHA256SUMS"
listed=$(cd "$W" && sed 's/^[0-9a-f]\{64\}  //' SHA256SUMS | LC_ALL=C sort)
present=$(cd "$W" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort)
if [ "$listed" = "$present" ]; then
  pass "SHA256SUMS names every other file of the zip ($(wc -l <<<"$present") files)"
else
  fail "SHA256SUMS and the zip's files differ: $(diff <(echo "$listed") <(echo "$present") | grep '^[<>]' | tr '\n' ' ')"
fi
DIRS=(x86 x64 win7-x86 win7-x64)
declare -A ARCH=([x86]=i686 [x64]=x86_64 [win7-x86]=i686 [win7-x64]=x86_64)
declare -A PEFORMAT=([i686]=pei-i386 [x86_64]=pei-x86-64)
missing=()
for d in "${DIRS[@]}"; do
  for f in zoomlive.dll zoomlive.def libzoomlive.dll.a zoomlive.lib; do
    [ -s "$W/$d/$f" ] || missing+=("$d/$f")
  done
done
for f in include/zoomlive.h foxpro/zoomlive.prg foxpro/webinar_status_com.prg delphi/ZoomLive.pas \
  csharp/UpdateLiveStreamStatus.cs sqlserver/install.sql sqlserver/ZoomLiveSql.cs \
  sqlserver/com_sp_oacreate.sql vbscript/meeting_livestream.vbs README.txt SHA256SUMS; do
  [ -s "$W/$f" ] || missing+=("$f")
done
[ ${#missing[@]} -eq 0 ] && pass "the zip holds x86, x64, win7-x86, win7-x64 (each: DLL, .def, .a, .lib), header, FoxPro, Delphi, C#, SQL Server, VBScript, README.txt" \
  || fail "the zip lacks: ${missing[*]}"
for d in "${DIRS[@]}"; do
  a=${ARCH[$d]}
  check "$d/zoomlive.dll is a ${PEFORMAT[$a]} DLL" bash -c "$a-w64-mingw32-objdump -f '$W/$d/zoomlive.dll' | grep -q '${PEFORMAT[$a]}'"
done
for d in win7-x86 win7-x64; do
  check "$d/zoomlive.dll imports only what Windows 7 has (no combase.dll, no bcryptprimitives.dll)" \
    bash "$ROOT/scripts/windows/win7.sh" imports "$W/$d/zoomlive.dll"
done
readme=$(tr -d '\r' <"$W/README.txt")
bad=
for want in 'STRCONV' 'Windows 10' 'Windows 7 SP1' 'x86\zoomlive.dll' 'x64\zoomlive.dll' 'win7-x86\zoomlive.dll' \
  'win7-x64\zoomlive.dll' 'regsvr32' 'CreateObject("ZoomLive.Client")'; do
  grep -qF "$want" <<<"$readme" || bad+=" '$want'"
done
[ -z "$bad" ] && pass "README.txt: the table of DLL by host and Windows (x86, x64, win7-x86, win7-x64), COM, STRCONV" \
  || fail "README.txt lacks$bad"

# zoomlive.prg: one DECLARE per header function, with as many parameters.
declares=$(tr -d '\r' <"$W/foxpro/zoomlive.prg" | sed -e ':a' -e '/;$/{N;s/;\n\s*/ /;ba' -e '}' \
  | sed -n 's/^\s*DECLARE \([A-Z]* \)\?\(zoomlive_[a-z0-9_]*\) IN zoomlive.dll\(.*\)$/\2 \3/p')
bad=0 n=0
while read -r name args; do
  n=$((n + 1))
  want=$(grep -E "^ZOOMLIVE_CALL .*[ *]$name\(" include/zoomlive.h | sed 's/.*(\(.*\));/\1/')
  wc=$([ "$want" = void ] && echo 0 || awk -F, '{print NF}' <<<"$want")
  got=$([ -z "$args" ] && echo 0 || awk -F, '{print NF}' <<<"$args")
  [ "$wc" = "$got" ] || { echo "    $name: $got parameters in zoomlive.prg, $wc in zoomlive.h"; bad=1; }
done <<<"$declares"
hn=$(grep -c '^ZOOMLIVE_CALL' include/zoomlive.h)
[ "$bad" = 0 ] && [ "$n" = "$hn" ] && pass "zoomlive.prg DECLAREs all $hn header functions with their parameter counts" \
  || fail "zoomlive.prg: $n DECLAREs for $hn header functions"

# The import libraries: MinGW's and MSVC's both link a C program for each architecture
# (lld-link reads the MSVC .lib as link.exe does; the MinGW linker reads both).
cat >"$T/link.c" <<'EOF'
#include "zoomlive.h"
int main(void) { zoomlive_client *c = 0; return zoomlive_client_new("t", &c) == 0 && zoomlive_version() ? 0 : 1; }
EOF
for d in "${DIRS[@]}"; do
  arch=${ARCH[$d]}
  check "$d: a C program links against libzoomlive.dll.a from the zip" \
    "$arch-w64-mingw32-gcc" -I"$W/include" "$T/link.c" "$W/$d/libzoomlive.dll.a" -o "$T/link-a-$d.exe"
  check "$d: a C program links against zoomlive.lib (MSVC format) from the zip" \
    "$arch-w64-mingw32-gcc" -I"$W/include" "$T/link.c" "$W/$d/zoomlive.lib" -Wl,--disable-stdcall-fixup -o "$T/link-lib-$d.exe"
done
# x86: the program asked for _zoomlive_client_new@8; what it imports is the plain name.
check "x86 zoomlive.lib: the linked program imports zoomlive_client_new by its plain name" bash -c \
  "i686-w64-mingw32-nm '$W/x86/zoomlive.lib' | grep -q '_zoomlive_client_new@8' &&
   i686-w64-mingw32-objdump -p '$T/link-lib-x86.exe' | grep -E '^\s+[0-9a-f]+\s+[0-9]+\s+zoomlive_client_new$'"

# The host against each DLL from the zip: the Windows 10 ones in the prefix with the
# stand-in (as test.sh selected it), the Windows 7 ones in it without (as Windows 7).
for d in "${DIRS[@]}"; do
  arch=${ARCH[$d]}
  case $d in
    win7-*) wine_prefix "$ROOT/target/wine/prefix" ;;
    *) wine_prefix "$ROOT/target/wine/prefix" --standin ;;
  esac
  rc=0
  wine_run "$ROOT/target/windows/test/host-$arch.exe" "$(wine_path "$W/$d/zoomlive.dll")" "$URL" \
    "$(wine_path "$W/include/zoomlive.h")" --smoke >"$T/host-$d.log" 2>&1 || rc=$?
  line=$(grep -aE '^windows-host-' "$T/host-$d.log" | tr -d '\r')
  if [ "$rc" = 0 ] && grep -q ', 0 failed' <<<"$line"; then
    pass "the host under Wine with $d\\zoomlive.dll from the zip$([[ $d == win7-* ]] && echo ', no bcryptprimitives.dll'): $line"
  else
    fail "the host with the zip's $d\\zoomlive.dll (exit $rc): $line"
    tail -10 "$T/host-$d.log" | sed 's/^/    /'
  fi
done
wine_prefix "$ROOT/target/wine/prefix" --standin

# The COM contract against the zip's four DLLs (its own prefix and emulators).
rc=0
ZOOMLIVE_COM_DLLS=$W ZOOMLIVE_COM_OUT=$T/com bash "$ROOT/tests/windows/com/run.sh" win10 win7 >"$T/com.log" 2>&1 || rc=$?
grep -aE '^not ok' "$T/com.log" | sed 's/^/    /'
line=$(grep -aE '^com: [0-9]+ passed, [0-9]+ failed' "$T/com.log" | tail -1)
if [ -n "$line" ]; then
  passed=$((passed + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.*, ([0-9]+) failed.*/\1/' <<<"$line")))
  [ "$rc" = 0 ] && echo "ok - the COM contract on the zip's x86, x64, win7-x86 and win7-x64 DLLs: $line" \
    || fail "the COM contract on the zip's DLLs (exit $rc): $line"
else
  fail "the COM contract on the zip's DLLs ended without its summary (exit $rc); last lines:"
  tail -15 "$T/com.log" | sed 's/^/    /'
fi

# --- the Linux tarball -----------------------------------------------------------------------
mkdir -p "$T/linux"
check "the Linux tarball unpacks" tar -C "$T/linux" -xzf "$TGZ"
L=$T/linux/zoomlive-$VERSION-linux-x86_64
check "it holds lib/libzoomlive.so, include/zoomlive.h, bin/zoomlive" \
  test -s "$L/lib/libzoomlive.so" -a -s "$L/include/zoomlive.h" -a -x "$L/bin/zoomlive"
curl -s -X POST "$URL/_emulator/reset" >/dev/null 2>&1 || python3 tests/consumers/emulator_log.py "$URL" reset
check "the tarball's CLI starts a meeting's stream on the emulator" env ZOOM_ACCESS_TOKEN="$TOKEN" \
  ZOOM_BASE_URL="$URL/v2" "$L/bin/zoomlive" meeting-status 68423085 start
cat >"$T/so.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include "zoomlive.h"
int main(void) { puts(zoomlive_version()); return strcmp(zoomlive_version(), ZOOMLIVE_VERSION) != 0; }
EOF
check "a C program links and runs against the tarball's libzoomlive.so" bash -c \
  "cc -I'$L/include' '$T/so.c' -L'$L/lib' -lzoomlive -Wl,-rpath,'$L/lib' -o '$T/so' && '$T/so'"

# --- the wheel ----------------------------------------------------------------------------------
WHL=$(ls dist/zoomlive-"$VERSION"-cp39-abi3-*manylinux*2_17*.whl 2>/dev/null | head -1)
if [ -z "$WHL" ]; then
  fail "no manylinux2014 abi3 wheel in dist/"
else
  pass "dist/$(basename "$WHL"): abi3, manylinux2014 (glibc 2.17)"
  rm -rf "$T/venv"
  if python3 -m venv "$T/venv" >"$T/venv.log" 2>&1 &&
    "$T/venv/bin/pip" install -q --no-index "$WHL" >>"$T/venv.log" 2>&1; then
    pass "the wheel installs into a fresh venv (pip --no-index)"
    check "the installed wheel starts a webinar's stream on the emulator" env ZOOMLIVE_URL="$URL" "$T/venv/bin/python" -c "
import os, json, urllib.request, zoomlive
url = os.environ['ZOOMLIVE_URL']
urllib.request.urlopen(urllib.request.Request(url + '/_emulator/reset', method='POST'), timeout=10).read()
with zoomlive.Client('$TOKEN', base_url=url + '/v2') as c:
    c.update_webinar_livestream_status(91234567890, 'start', display_name='from the wheel')
log = json.load(urllib.request.urlopen(url + '/_emulator/requests', timeout=10))
log = log.get('requests', log) if isinstance(log, dict) else log
assert any(r.get('path') == '/v2/webinars/91234567890/livestream/status' and r.get('status') == 204 for r in log), log
print(zoomlive.__file__)
"
  else
    fail "the wheel does not install into a fresh venv"
    tail -10 "$T/venv.log" | sed 's/^/    /'
  fi
fi
WIN=$(ls dist/zoomlive-"$VERSION"-cp39-abi3-win_amd64.whl 2>/dev/null | head -1)
if [ -z "$WIN" ]; then
  fail "no Windows abi3 wheel in dist/"
else
  rm -rf "$T/winwheel" && mkdir -p "$T/winwheel"
  unzip -q "$WIN" -d "$T/winwheel"
  pyd=$T/winwheel/zoomlive/_zoomlive.pyd
  pe=$(x86_64-w64-mingw32-objdump -p "$pyd" 2>/dev/null)
  imports=$(sed -n 's/^\s*DLL Name: //p' <<<"$pe" | sort -u)
  others=$(grep -viE '^(python3|kernel32|ntdll|advapi32|ws2_32|bcrypt|bcryptprimitives|userenv|crypt32|secur32|ncrypt|msvcrt|winhttp|ole32|oleaut32|rpcrt4|api-ms-win-[a-z0-9-]+)\.dll$' <<<"$imports" || true)
  if grep -q 'PyInit__zoomlive' <<<"$pe" && grep -qx 'python3.dll' <<<"$imports" \
    && [ -z "$others" ] && [ -e "$T/winwheel/zoomlive/__init__.py" ]; then
    pass "dist/$(basename "$WIN"): exports PyInit__zoomlive, links python3.dll (abi3) and system DLLs only (not run: no Windows Python here)"
  else
    fail "the Windows wheel: imports $(tr '\n' ' ' <<<"$imports")"
  fi
fi
done_
