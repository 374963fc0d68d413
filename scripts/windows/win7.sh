#!/usr/bin/env bash
# The Windows 7 variants of zoomlive.dll (Windows 7 SP1 / Server 2008 R2 and later).
#
#   scripts/windows/win7.sh build        -> target/windows/win7-{i686,x86_64}/zoomlive.dll
#   scripts/windows/win7.sh test URL     (called by scripts/windows/test.sh)
#
# Today's Rust std imports ProcessPrng (bcryptprimitives.dll, Windows 10+). Rust's tier-3
# targets i686-win7-windows-gnu and x86_64-win7-windows-gnu keep to the Windows 7 API;
# they have no prebuilt std, so they are built with nightly and -Zbuild-std (rustup's
# nightly with rust-src, installed by scripts/windows-deps.sh). The COM object is left
# out of them (--no-default-features --features capi): the windows crate imports
# combase.dll, which Windows 7 lacks. The C API is the same.
#
# The test loads them under Wine in a prefix WITHOUT the bcryptprimitives stand-in
# (Wine 8.0 has no bcryptprimitives.dll, as Windows 7 has none): checks their imports
# name no DLL or function newer than Windows 7, and runs the C host's full suite.
# Ends with "win7: N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/../.." && pwd)}
cd "$ROOT"
declare -A MINGW=([i686]=i686-w64-mingw32 [x86_64]=x86_64-w64-mingw32)

build() {
  local a triple var
  for a in i686 x86_64; do
    triple=$a-win7-windows-gnu
    var=$(tr 'a-z-' 'A-Z_' <<<"$triple")
    echo "== $triple (nightly, -Zbuild-std, release)"
    env "CARGO_TARGET_${var}_LINKER=${MINGW[$a]}-gcc" "CC_${triple//-/_}=${MINGW[$a]}-gcc" \
      "AR_${triple//-/_}=${MINGW[$a]}-ar" \
      cargo +nightly build -Zbuild-std=std,panic_abort --release --lib --target "$triple" \
      --no-default-features --features capi || return 1
    mkdir -p "target/windows/win7-$a"
    cp "target/$triple/release/zoomlive.dll" "target/windows/win7-$a/"
  done
}

test_() {
  local url=$1
  . scripts/windows/wine.sh
  local passed=0 failed=0 a d log rc line imports bad
  pass() { passed=$((passed + 1)); echo "ok - $*"; }
  fail() { failed=$((failed + 1)); echo "not ok - $*"; }
  for a in i686 x86_64; do
    [ -e "target/windows/win7-$a/zoomlive.dll" ] || { fail "no target/windows/win7-$a/zoomlive.dll (build failed?)"; continue; }
  done
  if [ "$failed" -eq 0 ]; then
    # Windows 7's DLLs: no bcryptprimitives, no combase, no ApiSet-only names.
    for a in i686 x86_64; do
      d=target/windows/win7-$a/zoomlive.dll
      imports=$("${MINGW[$a]}-objdump" -p "$d" | sed -n 's/^\s*DLL Name: //p' | sort -u)
      bad=$(grep -viE '^(kernel32|ntdll|advapi32|ws2_32|bcrypt|userenv|crypt32|secur32|ncrypt|msvcrt|user32|shell32|ole32|oleaut32|rpcrt4|api-ms-win-core-synch-l1-2-0)\.dll$' <<<"$imports" || true)
      if [ -z "$bad" ]; then
        pass "win7 $a: imports only DLLs Windows 7 has: $(tr '\n' ' ' <<<"$imports")"
      else
        fail "win7 $a: imports $(tr '\n' ' ' <<<"$bad")"
      fi
      # Functions Windows 8 and later added that Rust crates are known to use.
      newer=$("${MINGW[$a]}-objdump" -p "$d" | awk '/DLL Name:/ {dll=1; next} dll && NF==3 && $1 ~ /^[0-9a-f]+$/ {print $3}' \
        | grep -xE 'ProcessPrng|GetSystemTimePreciseAsFileTime|WaitOnAddress|WakeByAddress(Single|All)|SetThreadDescription|GetThreadDescription|GetHostNameW|CreateFile2|GetCurrentThreadStackLimits|PrefetchVirtualMemory|RoInitialize|CoIncrementMTAUsage|GetSystemCpuSetInformation' || true)
      if [ -z "$newer" ]; then
        pass "win7 $a: no ProcessPrng, GetSystemTimePreciseAsFileTime, WaitOnAddress or other Windows 8+ function imported"
      else
        fail "win7 $a: imports Windows 8+ functions: $(tr '\n' ' ' <<<"$newer")"
      fi
    done
    # The suite's prefix with the stand-in taken out (test.sh puts it back on its next run).
    wine_prefix "$ROOT/target/wine/prefix" || fail "the Wine prefix without the stand-in"
    if [ -e "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ] ||
      [ -e "$WINEPREFIX/drive_c/windows/syswow64/bcryptprimitives.dll" ]; then
      fail "the win7 prefix has a bcryptprimitives.dll"
    else
      pass "the prefix has no bcryptprimitives.dll (as Windows 7)"
    fi
    # The Windows 10 DLL does not load there: the stand-in is what makes it load.
    rc=0
    wine_run target/windows/test/host-i686.exe "$(wine_path target/windows/i686/zoomlive.dll)" "$url" \
      "$(wine_path include/zoomlive.h)" --smoke >target/windows/test/win10-in-win7-prefix.log 2>&1 || rc=$?
    if grep -q 'LoadLibraryA.*failed' target/windows/test/win10-in-win7-prefix.log; then
      pass "control: the Windows 10 x86 DLL does not load without bcryptprimitives.dll"
    else
      fail "control: the Windows 10 x86 DLL loaded without bcryptprimitives.dll (exit $rc)"
    fi
    for a in i686 x86_64; do
      log=target/windows/test/win7-host-$a.log
      rc=0
      wine_run "target/windows/test/host-$a.exe" "$(wine_path "target/windows/win7-$a/zoomlive.dll")" "$url" \
        "$(wine_path include/zoomlive.h)" >"$log" 2>"$log.err" || rc=$?
      line=$(grep -aE '^windows-host-' "$log" | tr -d '\r')
      grep -aE '^not ok' "$log" | sed 's/^/    /'
      if [ "$rc" = 0 ] && grep -q ', 0 failed' <<<"$line"; then
        pass "win7 $a DLL under Wine without the stand-in, the full host suite: $line"
      else
        fail "win7 $a DLL under Wine without the stand-in (exit $rc): ${line:-no summary}"
        tail -10 "$log" "$log.err" | sed 's/^/    /'
      fi
    done
  fi
  echo "win7: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

case ${1:-} in
  build) build ;;
  test) test_ "$2" ;;
  *) echo "usage: $0 build | test EMULATOR_URL" >&2; exit 2 ;;
esac
