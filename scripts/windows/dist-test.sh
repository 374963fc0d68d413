#!/usr/bin/env bash
# The release bundle as a user gets it (after `make dist`): called by
# scripts/windows/test.sh with the emulator's URL, the Wine prefix selected.
#   - the Windows zip unpacked into an empty folder: its files and SHA256SUMS, the
#     DECLAREs of zoomlive.prg against the header, the import libraries, and the 32-bit
#     host (tests/windows/host.c) run under Wine against x86/zoomlive.dll from the zip
#     (and the x64 one);
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
missing=()
for f in x86/zoomlive.dll x64/zoomlive.dll x86/zoomlive.def x64/zoomlive.def x86/libzoomlive.dll.a \
  x64/libzoomlive.dll.a x86/zoomlive.lib x64/zoomlive.lib include/zoomlive.h foxpro/zoomlive.prg \
  delphi/ZoomLive.pas csharp/UpdateLiveStreamStatus.cs sqlserver/install.sql sqlserver/ZoomLiveSql.cs \
  README.txt SHA256SUMS; do
  [ -s "$W/$f" ] || missing+=("$f")
done
[ ${#missing[@]} -eq 0 ] && pass "the zip holds the DLLs, .def, .a, .lib, header, FoxPro, Delphi, C#, SQL Server, README.txt" \
  || fail "the zip lacks: ${missing[*]}"
check "the x86 DLL is a 32-bit PE, the x64 one a 64-bit PE" bash -c \
  "i686-w64-mingw32-objdump -f '$W/x86/zoomlive.dll' | grep -q 'pei-i386' && x86_64-w64-mingw32-objdump -f '$W/x64/zoomlive.dll' | grep -q 'pei-x86-64'"
grep -q 'STRCONV' "$W/README.txt" && grep -q 'Windows 10' "$W/README.txt" && grep -q 'x86\\zoomlive.dll' "$W/README.txt" \
  && pass "README.txt: which DLL, minimum Windows, STRCONV" || fail "README.txt lacks a section"

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
for a in i686:x86 x86_64:x64; do
  arch=${a%%:*} d=${a#*:}
  check "$d: a C program links against libzoomlive.dll.a from the zip" \
    "$arch-w64-mingw32-gcc" -I"$W/include" "$T/link.c" "$W/$d/libzoomlive.dll.a" -o "$T/link-a-$d.exe"
  check "$d: a C program links against zoomlive.lib (MSVC format) from the zip" \
    "$arch-w64-mingw32-gcc" -I"$W/include" "$T/link.c" "$W/$d/zoomlive.lib" -Wl,--disable-stdcall-fixup -o "$T/link-lib-$d.exe"
done
# x86: the program asked for _zoomlive_client_new@8; what it imports is the plain name.
check "x86 zoomlive.lib: the linked program imports zoomlive_client_new by its plain name" bash -c \
  "i686-w64-mingw32-nm '$W/x86/zoomlive.lib' | grep -q '_zoomlive_client_new@8' &&
   i686-w64-mingw32-objdump -p '$T/link-lib-x86.exe' | grep -E '^\s+[0-9a-f]+\s+[0-9]+\s+zoomlive_client_new$'"

# The 32-bit host against x86\zoomlive.dll from the zip (and the 64-bit one).
for a in i686:x86 x86_64:x64; do
  arch=${a%%:*} d=${a#*:}
  rc=0
  wine_run "$ROOT/target/windows/test/host-$arch.exe" "$(wine_path "$W/$d/zoomlive.dll")" "$URL" \
    "$(wine_path "$W/include/zoomlive.h")" --smoke >"$T/host-$d.log" 2>&1 || rc=$?
  line=$(grep -aE '^windows-host-' "$T/host-$d.log" | tr -d '\r')
  if [ "$rc" = 0 ] && grep -q ', 0 failed' <<<"$line"; then
    pass "the $d host under Wine with $d\\zoomlive.dll from the zip: $line"
  else
    fail "the $d host with the zip's DLL (exit $rc): $line"
    tail -10 "$T/host-$d.log" | sed 's/^/    /'
  fi
done
if [ -d "$W/x86-win7" ]; then
  check "the zip's Windows 7 variants are there with their import libraries" \
    test -s "$W/x86-win7/zoomlive.dll" -a -s "$W/x64-win7/zoomlive.dll" -a -s "$W/x86-win7/zoomlive.lib"
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
  others=$(grep -viE '^(python3|kernel32|ntdll|advapi32|ws2_32|bcrypt|bcryptprimitives|userenv|crypt32|secur32|ncrypt|msvcrt|api-ms-win-[a-z0-9-]+)\.dll$' <<<"$imports" || true)
  if grep -q 'PyInit__zoomlive' <<<"$pe" && grep -qx 'python3.dll' <<<"$imports" \
    && [ -z "$others" ] && [ -e "$T/winwheel/zoomlive/__init__.py" ]; then
    pass "dist/$(basename "$WIN"): exports PyInit__zoomlive, links python3.dll (abi3) and system DLLs only (not run: no Windows Python here)"
  else
    fail "the Windows wheel: imports $(tr '\n' ' ' <<<"$imports")"
  fi
fi
done_
