#!/usr/bin/env bash
# `make windows`: cross-builds zoomlive.dll for Windows with MinGW, and checks it.
#   i686-pc-windows-gnu    32-bit, for Visual FoxPro and 32-bit Delphi: stdcall
#   x86_64-pc-windows-gnu  64-bit, for .NET, SQL Server (SQLCLR), 64-bit Delphi
# and the same two for Windows 7 SP1 / Server 2008 R2 (i686-win7-windows-gnu,
# x86_64-win7-windows-gnu; scripts/windows/win7.sh says how they are built).
#
#   scripts/windows/build.sh [win10] [win7]     (default: both; ZOOMLIVE_WIN7=0: win10)
#
# Outputs, per variant and architecture, in target/windows/<dir>/ (i686, x86_64,
# win7-i686, win7-x86_64): zoomlive.dll, zoomlive.h, an import library
# libzoomlive.dll.a, zoomlive.def, and examples/c/livestream.c built as livestream.exe.
# The release builds stay in target/<triple>/release: a second run (make test-windows,
# make test-com, make dist one after the other) finds them fresh and rebuilds nothing.
#
# Checks on each DLL: it exports every function of the header under its plain name and
# the five COM entry points (zoomlive_client_new, not _zoomlive_client_new@8: what
# FoxPro's DECLARE and Delphi's `external 'zoomlive.dll'` look up), and on x86 each
# returns with `ret N`, N being the bytes of its arguments (stdcall: the callee pops
# them). rustc's own import library names the functions without the @N that a C
# compiler asks for when it reads ZOOMLIVE_CALL (__stdcall) in the header, so this
# script writes zoomlive.def with the decorated names and makes the import library from
# it (dlltool --kill-at), then links the C example against it to prove it. The Windows 7
# DLLs are also checked to import nothing Windows 7 lacks (win7.sh imports).
#
# Without the Rust targets or a MinGW toolchain it says how to install them (make deps
# does: scripts/windows-deps.sh) and exits 0, or 1 under ZOOMLIVE_REQUIRE_ALL=1 (CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PROFILE=${ZOOMLIVE_WINDOWS_PROFILE:-release}

variants=("$@")
if [ ${#variants[@]} -eq 0 ]; then
  variants=(win10)
  [ "${ZOOMLIVE_WIN7:-1}" = 0 ] || variants+=(win7)
fi
for v in "${variants[@]}"; do
  case $v in win10 | win7) ;; *) echo "usage: $0 [win10] [win7]" >&2; exit 2 ;; esac
done
wants() { [[ " ${variants[*]} " == *" $1 "* ]]; }

declare -A TRIPLE=([i686]=i686-pc-windows-gnu [x86_64]=x86_64-pc-windows-gnu)
declare -A MINGW=([i686]=i686-w64-mingw32 [x86_64]=x86_64-w64-mingw32)

have_target() {
  if command -v rustup >/dev/null; then
    rustup target list --installed 2>/dev/null | grep -qx "$1"
  else
    [ -d "$(rustc --print sysroot)/lib/rustlib/$1" ]
  fi
}

missing_targets=() missing_tools=() missing_nightly=0
for arch in i686 x86_64; do
  wants win10 && { have_target "${TRIPLE[$arch]}" || missing_targets+=("${TRIPLE[$arch]}"); }
  for tool in gcc dlltool objdump; do
    command -v "${MINGW[$arch]}-$tool" >/dev/null || missing_tools+=("${MINGW[$arch]}-$tool")
  done
done
if wants win7 && ! bash scripts/windows/win7.sh can-build; then
  missing_nightly=1
fi
if [ ${#missing_targets[@]} -gt 0 ] || [ ${#missing_tools[@]} -gt 0 ] || [ "$missing_nightly" = 1 ]; then
  echo "make windows: cannot cross-build the Windows DLLs here; missing:"
  if [ ${#missing_targets[@]} -gt 0 ]; then
    echo "  Rust targets: ${missing_targets[*]}"
    echo "    install with: rustup target add i686-pc-windows-gnu x86_64-pc-windows-gnu"
  fi
  if [ ${#missing_tools[@]} -gt 0 ]; then
    echo "  MinGW-w64 tools: ${missing_tools[*]}"
    echo "    install with: apt-get install gcc-mingw-w64 binutils-mingw-w64"
  fi
  if [ "$missing_nightly" = 1 ]; then
    echo "  for the Windows 7 DLLs: Rust nightly with rust-src"
    echo "    install with: rustup toolchain install nightly --profile minimal --component rust-src"
    echo "    (or leave them out: ZOOMLIVE_WIN7=0)"
  fi
  echo "then run 'make windows' again (or 'bash scripts/windows-deps.sh' as root)."
  [ "${ZOOMLIVE_REQUIRE_ALL:-0}" = 1 ] && exit 1
  exit 0
fi

fail() {
  echo "make windows: FAILED: $*" >&2
  exit 1
}

# The functions the header declares, and each one's stdcall decoration as a C compiler
# computes it (from compiling a file that takes every function's address).
functions=$(sed -n 's/^ZOOMLIVE_CALL .*[ *]\(zoomlive_[a-z0-9_]*\)(.*/\1/p' include/zoomlive.h)
[ -n "$functions" ] || fail "no functions found in include/zoomlive.h"
COM_ENTRY_POINTS='^Dll(CanUnloadNow|GetClassObject|RegisterServer|UnregisterServer|Install)$'
decorations() { # ARCH DIR: prints "name@N" (i686) or "name" (x86_64), one a line
  local arch=$1 dir=$2
  {
    echo '#include "zoomlive.h"'
    echo 'void *zoomlive_all_functions[] = {'
    for f in $functions; do echo "  (void *)$f,"; done
    echo '};'
  } >"$dir/all_functions.c"
  "${MINGW[$arch]}-gcc" -Iinclude -c "$dir/all_functions.c" -o "$dir/all_functions.o"
  "${MINGW[$arch]}-nm" -u "$dir/all_functions.o" | awk '{print $2}' | sed 's/^_\(zoomlive_\)/\1/' | sort
}

# check_dll ARCH TRIPLE OUT: the checks and files above for target/TRIPLE/PROFILE's DLL.
check_dll() {
  local arch=$1 triple=$2 out=$3
  local dll=target/$triple/$PROFILE/zoomlive.dll
  [ -e "$dll" ] || fail "$dll was not built"
  cp "$dll" include/zoomlive.h "$out/"

  # Exports: every header function, under its plain name, and the COM entry points.
  "${MINGW[$arch]}-objdump" -p "$dll" >"$out/objdump-p.txt"
  local exports com_exports c_exports decorated
  exports=$(sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' "$out/objdump-p.txt" \
    | sed -n 's/^\s*\[ *[0-9]*\] \(.*\)$/\1/p' | sort)
  com_exports=$(grep -E "$COM_ENTRY_POINTS" <<<"$exports" || true)
  c_exports=$(grep -vE "$COM_ENTRY_POINTS" <<<"$exports" || true)
  [ "$c_exports" = "$(sort <<<"$functions")" ] \
    || fail "$triple: the DLL's exports differ from the header's functions: $(diff <(echo "$c_exports") <(sort <<<"$functions") || true)"
  [ "$(wc -l <<<"$com_exports")" = 5 ] \
    || fail "$triple: the DLL lacks COM entry points (has: $(tr '\n' ' ' <<<"$com_exports"))"
  echo "  exports: $(wc -l <<<"$c_exports") functions, plain names (and COM: $(tr '\n' ' ' <<<"$com_exports"))"

  decorated=$(decorations "$arch" "$out")
  {
    echo "LIBRARY zoomlive.dll"
    echo "EXPORTS"
    sed 's/^/    /' <<<"$decorated"
  } >"$out/zoomlive.def"

  if [ "$arch" = i686 ]; then
    # stdcall: each export's first `ret` pops its arguments' bytes.
    local image_base bad=0 entry name bytes ordinal rva addr ret want
    image_base=$(awk '/^ImageBase/ {print $2}' "$out/objdump-p.txt")
    : >"$out/disassembly.txt"
    while read -r entry; do
      name=${entry%@*} bytes=${entry#*@}
      # The name table gives the export's index; the export address table
      # ("[index] +base[ordinal] rva Export RVA") its address.
      ordinal=$(sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' "$out/objdump-p.txt" \
        | sed -n "s/^\s*\[ *\([0-9]*\)\] $name\$/\1/p")
      rva=$(awk -v o="$ordinal" '/\+base\[/ {gsub(/[][]/, " "); if ($1 == o) {print $4; exit}}' \
        "$out/objdump-p.txt")
      [ -n "$ordinal" ] && [ -n "$rva" ] || fail "$triple: no export address for $name"
      addr=$((0x$image_base + 0x$rva))
      # Disassembled from the export's own address (a sweep of the whole .text can lose
      # the instruction boundaries in data between functions), up to its first `ret`.
      "${MINGW[$arch]}-objdump" -d --no-show-raw-insn --start-address="$addr" \
        --stop-address=$((addr + 0x2000)) "$dll" | sed -n '/^[0-9a-f]* <.*>:$/,$p' >"$out/export.txt"
      ret=$(grep -m1 -P '\tret' "$out/export.txt" | sed 's/.*\tret *//')
      { echo "== $name"; sed -n '2,/\tret/p' "$out/export.txt"; } >>"$out/disassembly.txt"
      grep -qP '\tret' "$out/export.txt" || ret="(none in 8 KiB)"
      want=$([ "$bytes" = 0 ] && echo "" || printf '$0x%x' "$bytes")
      if [ "$ret" != "$want" ]; then
        echo "  $name: returns with 'ret $ret', stdcall wants 'ret $want'"
        bad=1
      fi
    done <<<"$decorated"
    [ "$bad" = 0 ] || fail "$triple: not every export is stdcall"
    echo "  calling convention: stdcall (every export pops its arguments: ret N)"
    # An import library under the decorated names that C compilers use, resolving to
    # the plain exported names.
    "${MINGW[$arch]}-dlltool" --kill-at -d "$out/zoomlive.def" -D zoomlive.dll -l "$out/libzoomlive.dll.a"
  else
    cp "target/$triple/$PROFILE/libzoomlive.dll.a" "$out/"
  fi

  # A C consumer compiled with the header links against the import library.
  "${MINGW[$arch]}-gcc" -std=c99 -Wall -Wextra -Werror -Iinclude examples/c/livestream.c \
    -L"$out" -lzoomlive -Wl,--disable-stdcall-fixup -o "$out/livestream.exe" \
    || fail "$triple: examples/c/livestream.c does not link against $out/libzoomlive.dll.a"
  echo "  examples/c/livestream.c links against $out/libzoomlive.dll.a"
  echo "  -> $ROOT/$out/"
}

built=()
if wants win10; then
  for arch in i686 x86_64; do
    triple=${TRIPLE[$arch]}
    out=target/windows/$arch
    mkdir -p "$out"
    echo "== $triple ($PROFILE)"
    linker_var="CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$triple")_LINKER"
    profile_flag=()
    [ "$PROFILE" = release ] && profile_flag=(--release)
    env "$linker_var=${MINGW[$arch]}-gcc" cargo build --lib --target "$triple" "${profile_flag[@]}"
    check_dll "$arch" "$triple" "$out"
    built+=("$out")
  done
fi
if wants win7; then
  # nightly, -Zbuild-std, the windows-link patch: scripts/windows/win7.sh.
  ZOOMLIVE_WINDOWS_PROFILE=$PROFILE bash scripts/windows/win7.sh build || fail "the Windows 7 builds"
  for arch in i686 x86_64; do
    out=target/windows/win7-$arch
    mkdir -p "$out"
    echo "== $arch-win7-windows-gnu ($PROFILE)"
    check_dll "$arch" "$arch-win7-windows-gnu" "$out"
    if ! bash scripts/windows/win7.sh imports "$out/zoomlive.dll" >"$out/imports.txt"; then
      echo "  win7 imports (all in $out/imports.txt): $(cut -d: -f1 "$out/imports.txt" | tr '\n' ' ')"
    grep -iE '^(ole32|oleaut32)\.dll:' "$out/imports.txt" | sed 's/^/    /'
      fail "$arch-win7-windows-gnu: imports what Windows 7 lacks"
    fi
    echo "  win7 imports (all in $out/imports.txt): $(cut -d: -f1 "$out/imports.txt" | tr '\n' ' ')"
    grep -iE '^(ole32|oleaut32)\.dll:' "$out/imports.txt" | sed 's/^/    /'
    built+=("$out")
  done
fi
echo "make windows: built and checked ${built[*]}"
