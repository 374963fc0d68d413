#!/usr/bin/env bash
# The Windows 7 variants of zoomlive.dll (Windows 7 SP1 / Server 2008 R2 and later),
# with the C API and the COM object ZoomLive.Client, as the Windows 10 ones.
#
#   scripts/windows/win7.sh can-build      exit 0 when nightly with rust-src is there
#   scripts/windows/win7.sh build          -> target/{i686,x86_64}-win7-windows-gnu/
#                                          (scripts/windows/build.sh win7 calls it, then
#                                          checks and copies to target/windows/win7-*)
#   scripts/windows/win7.sh imports DLL    what DLL imports, checked against Windows 7
#   scripts/windows/win7.sh test URL       (called by scripts/windows/test.sh)
#
# Why separate builds. Today's Rust std imports ProcessPrng (bcryptprimitives.dll,
# Windows 10+). Rust's tier-3 targets i686-win7-windows-gnu and x86_64-win7-windows-gnu
# keep to the Windows 7 API; they have no prebuilt std, so they are built with nightly
# and -Zbuild-std (rustup's nightly with rust-src, installed by scripts/windows-deps.sh).
#
# The COM object. The windows crates (windows-core 0.62, windows-link 0.2) declare
# their COM imports with raw-dylib from combase.dll, which Windows 7 lacks (it came
# with Windows 8); no feature or cfg of theirs changes a library name. The one function
# the DLL takes from it, CoCreateFreeThreadedMarshaler (the free-threaded marshaler
# every #[implement] object aggregates), is exported by Windows 7's ole32.dll (since
# Windows 2000; Windows 8 and later still export it from ole32.dll, forwarded to
# combase.dll). So these builds patch windows-link with scripts/windows/win7-link/,
# whose link! macro names ole32.dll where the crates say combase.dll. The patch goes in
# a copy of the manifest under target/win7/tree (with src/ copied beside it), so the
# repository's Cargo.toml and Cargo.lock never change. And windows-result's COM error
# info (GetErrorInfo, SetErrorInfo, and RoOriginateErrorW from
# api-ms-win-core-winrt-error-l1-1-0.dll, Windows 8+) is left out with its documented
# switch, --cfg windows_slim_errors: the object returns bare HRESULTs and sets no error
# info, so nothing it does changes. `imports` then checks every function the DLL takes
# from ole32.dll and oleaut32.dll against the list of those Windows 7 exports (below),
# and that no DLL Windows 7 lacks and no function Windows 8 added is imported.
#
# The test loads them under Wine in a prefix WITHOUT the bcryptprimitives stand-in
# (Wine 8.0 has no bcryptprimitives.dll, as Windows 7 has none): checks their imports
# and runs the C host's full suite; tests/windows/com/run.sh win7 runs the COM contract
# on them in the same kind of prefix. Ends with "win7: N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/../.." && pwd)}
cd "$ROOT"
PROFILE=${ZOOMLIVE_WINDOWS_PROFILE:-release}
declare -A MINGW=([i686]=i686-w64-mingw32 [x86_64]=x86_64-w64-mingw32)

can_build() {
  command -v rustup >/dev/null && rustup run nightly rustc --version >/dev/null 2>&1 \
    && [ -d "$(rustup run nightly rustc --print sysroot)/lib/rustlib/src/rust/library" ]
}

# target/win7/tree: Cargo.toml (with the patch and only the library and binary
# targets), Cargo.lock and src/, refreshed from the working tree with their times kept,
# so an unchanged tree rebuilds nothing.
TREE=$ROOT/target/win7/tree
prepare_tree() {
  mkdir -p "$TREE"
  rm -rf "$TREE/src.new" && cp -a src "$TREE/src.new" && rm -rf "$TREE/src" && mv "$TREE/src.new" "$TREE/src"
  {
    # [[bench]], [[test]] and [[example]] name files the copy does not have.
    awk '/^\[\[(bench|test|example)\]\]/ {skip=1; next} /^\[/ {skip=0} !skip' Cargo.toml
    echo
    echo "# Added by scripts/windows/win7.sh for the Windows 7 builds only."
    echo "[workspace]"
    echo
    echo "[patch.crates-io]"
    echo "windows-link = { path = \"$ROOT/scripts/windows/win7-link\" }"
  } >"$TREE/Cargo.toml.new"
  if cmp -s "$TREE/Cargo.toml.new" "$TREE/Cargo.toml"; then rm "$TREE/Cargo.toml.new"; else mv "$TREE/Cargo.toml.new" "$TREE/Cargo.toml"; fi
  # Cargo rewrites the copy's lock for the patch; start again from the repository's
  # only when that one changed.
  if ! cmp -s Cargo.lock "$TREE/Cargo.lock.orig"; then
    cp Cargo.lock "$TREE/Cargo.lock.orig"
    cp Cargo.lock "$TREE/Cargo.lock"
  fi
}

build() {
  local a triple var profile_flag=()
  can_build || { echo "win7: needs Rust nightly with rust-src (scripts/windows-deps.sh)" >&2; return 1; }
  [ "$PROFILE" = release ] && profile_flag=(--release)
  prepare_tree
  for a in i686 x86_64; do
    triple=$a-win7-windows-gnu
    var=$(tr 'a-z-' 'A-Z_' <<<"$triple")
    echo "== $triple (nightly, -Zbuild-std, $PROFILE, windows-link patched: combase.dll -> ole32.dll)"
    (cd "$TREE" && env "CARGO_TARGET_DIR=$ROOT/target" "CARGO_TARGET_${var}_LINKER=${MINGW[$a]}-gcc" \
      "CC_${triple//-/_}=${MINGW[$a]}-gcc" "AR_${triple//-/_}=${MINGW[$a]}-ar" \
      cargo +nightly build -Zbuild-std=std,panic_abort "${profile_flag[@]}" --lib --target "$triple" \
        --config "target.$triple.rustflags = [\"--cfg\", \"windows_slim_errors\"]") || return 1
    # The lock of the copy names windows-link 0.2 without a registry source: patched.
    awk '/^name = "windows-link"$/ {n=1; next} n && /^version = "0\.2\./ {v=1} n && v && /^source/ {bad=1}
         /^$/ {n=0; v=0} END {exit bad}' "$TREE/Cargo.lock" \
      || { echo "win7: the windows-link patch was not applied (target/win7/tree/Cargo.lock)" >&2; return 1; }
  done
}

# Functions of ole32.dll and oleaut32.dll a Windows 7 has: each is documented by
# Microsoft with "Minimum supported client: Windows 2000 Professional" and that DLL
# (Windows 7 has no combase.dll: ole32.dll itself implements the Co* functions there).
# A function imported from either DLL that is not listed fails `imports` until it is
# checked the same way and added.
WIN7_OLE32='CoCreateFreeThreadedMarshaler CoTaskMemAlloc CoTaskMemFree CoTaskMemRealloc
  CoInitializeEx CoUninitialize CoCreateInstance CoCreateGuid StringFromGUID2
  CLSIDFromString CLSIDFromProgID ProgIDFromCLSID'
WIN7_OLEAUT32='SysAllocString SysAllocStringLen SysAllocStringByteLen SysFreeString
  SysStringLen SysStringByteLen VariantInit VariantClear VariantCopy VariantCopyInd
  VariantChangeType GetErrorInfo SetErrorInfo CreateErrorInfo'
# The WinHTTP functions the proxy decision uses (src/net/proxy/windows.rs, ie.rs): each
# documented with "Minimum supported client: Windows XP, Windows 2000 Professional with
# SP3" in winhttp.dll. (WinHttpGetProxyForUrlEx is Windows 8+: listed in NEWER.)
WIN7_WINHTTP='WinHttpOpen WinHttpCloseHandle WinHttpSetTimeouts WinHttpGetProxyForUrl
  WinHttpGetIEProxyConfigForCurrentUser WinHttpGetDefaultProxyConfiguration'
# The VARIANT conversions the COM object uses (src/com/variant.rs, through the windows
# crate): "Minimum supported client: Windows XP with SP2, Windows Vista" in propsys.dll.
WIN7_PROPSYS='VariantToBoolean VariantToDouble VariantToInt16 VariantToInt32 VariantToInt64
  VariantToUInt16 VariantToUInt32 VariantToUInt64'
# DLLs a Windows 7 SP1 / Server 2008 R2 has in System32.
WIN7_DLLS='^(kernel32|ntdll|advapi32|ws2_32|bcrypt|userenv|crypt32|secur32|ncrypt|msvcrt|user32|shell32|ole32|oleaut32|rpcrt4|winhttp|propsys)\.dll$'
# Functions Windows 8 and later added that Rust crates are known to use.
NEWER='WinHttpGetProxyForUrlEx|WinHttpCreateProxyResolver|ProcessPrng|GetSystemTimePreciseAsFileTime|WaitOnAddress|WakeByAddress(Single|All)|SetThreadDescription|GetThreadDescription|GetHostNameW|CreateFile2|GetCurrentThreadStackLimits|PrefetchVirtualMemory|RoInitialize|RoOriginateErrorW|RoGetAgileReference|CoIncrementMTAUsage|CoDecrementMTAUsage|GetSystemCpuSetInformation'

# imports DLL: prints "DLL: function function ..." per imported DLL; exit 1 when one
# is not among WIN7_DLLS, a function is Windows 8+, or an ole32/oleaut32 function is
# not among those listed.
imports() {
  local dll=$1 arch bad=0 table name funcs f known
  case $("${MINGW[x86_64]}-objdump" -f "$dll" | sed -n 's/.*file format //p') in
    pei-i386) arch=i686 ;;
    *) arch=x86_64 ;;
  esac
  # "DLL Name: X" then one line per function: "hint name" (vma hint name on x86_64).
  table=$("${MINGW[$arch]}-objdump" -p "$dll" | awk '
    /^[^ \t]/ {dll=""; next}
    /^[[:space:]]*DLL Name:/ {dll=$3; next}
    dll && /^[[:space:]]*[0-9a-f]+[[:space:]]+[0-9]+[[:space:]]+[A-Za-z_]/ {print dll, $NF}')
  [ -n "$table" ] || { echo "no import table read from $dll"; return 1; }
  for name in $(cut -d' ' -f1 <<<"$table" | sort -u); do
    funcs=$(awk -v d="$name" '$1 == d {print $2}' <<<"$table" | sort -u)
    echo "$name: $(tr '\n' ' ' <<<"$funcs")"
    if ! grep -qiE "$WIN7_DLLS" <<<"$name"; then
      echo "  NOT ON WINDOWS 7: $name"
      bad=1
    fi
    case ${name,,} in
      ole32.dll) known=$WIN7_OLE32 ;;
      oleaut32.dll) known=$WIN7_OLEAUT32 ;;
      winhttp.dll) known=$WIN7_WINHTTP ;;
      propsys.dll) known=$WIN7_PROPSYS ;;
      *) known= ;;
    esac
    for f in $funcs; do
      if grep -qxE "$NEWER" <<<"$f"; then
        echo "  WINDOWS 8+: $name!$f"
        bad=1
      elif [ -n "$known" ] && ! grep -qw -- "$f" <<<"$known"; then
        echo "  NOT CHECKED AGAINST WINDOWS 7: $name!$f (add it to its WIN7_* list in scripts/windows/win7.sh once it is)"
        bad=1
      fi
    done
  done
  return $bad
}

test_() {
  local url=$1
  . scripts/windows/wine.sh
  local passed=0 failed=0 a d log rc line out
  pass() { passed=$((passed + 1)); echo "ok - $*"; }
  fail() { failed=$((failed + 1)); echo "not ok - $*"; }
  for a in i686 x86_64; do
    [ -e "target/windows/win7-$a/zoomlive.dll" ] || { fail "no target/windows/win7-$a/zoomlive.dll (build failed?)"; continue; }
  done
  if [ "$failed" -eq 0 ]; then
    # Windows 7's DLLs: no bcryptprimitives, no combase, no ApiSet-only names, no
    # Windows 8+ function, only checked ole32/oleaut32 functions.
    for a in i686 x86_64; do
      d=target/windows/win7-$a/zoomlive.dll
      if out=$(imports "$d"); then
        pass "win7 $a: imports only DLLs and functions Windows 7 has: $(cut -d: -f1 <<<"$out" | grep -v '^ ' | tr '\n' ' ')"
        grep -E '^(ole32|oleaut32|OLE32|OLEAUT32)' <<<"$out" | sed 's/^/#   /'
      else
        fail "win7 $a: imports what Windows 7 lacks"
        sed 's/^/    /' <<<"$out"
      fi
      if "${MINGW[$a]}-objdump" -p "$d" | grep -qi 'DLL Name: combase.dll'; then
        fail "win7 $a: imports combase.dll"
      else
        pass "win7 $a: no combase.dll import (the COM functions come from ole32.dll)"
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
  can-build) can_build ;;
  build) build ;;
  imports) imports "$2" ;;
  test) test_ "$2" ;;
  *) echo "usage: $0 can-build | build | imports DLL | test EMULATOR_URL" >&2; exit 2 ;;
esac
