#!/usr/bin/env bash
# `make windows`: cross-builds zoomlive.dll for Windows with MinGW, and checks it.
#   i686-pc-windows-gnu    32-bit, for Visual FoxPro and 32-bit Delphi: stdcall
#   x86_64-pc-windows-gnu  64-bit, for .NET, SQL Server (SQLCLR), 64-bit Delphi
# Outputs, per architecture, in target/windows/<arch>/: zoomlive.dll, zoomlive.h, an
# import library libzoomlive.dll.a, zoomlive.def, and examples/c/livestream.c built as
# livestream.exe.
#
# Checks on the 32-bit DLL: every function of the header is exported under its plain
# name (zoomlive_client_new, not _zoomlive_client_new@8: what FoxPro's DECLARE and
# Delphi's `external 'zoomlive.dll'` look up), and each returns with `ret N`, N being
# the bytes of its arguments (stdcall: the callee pops them). rustc's own import library
# names the functions without the @N that a C compiler asks for when it reads
# ZOOMLIVE_CALL (__stdcall) in the header, so this script writes zoomlive.def with the
# decorated names and makes the import library from it (dlltool --kill-at), then links
# the C example against it to prove it.
#
# Without the Rust targets or a MinGW toolchain it says how to install them (make deps
# does: scripts/windows-deps.sh) and exits 0, or 1 under ZOOMLIVE_REQUIRE_ALL=1 (CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PROFILE=${ZOOMLIVE_WINDOWS_PROFILE:-release}

declare -A TRIPLE=([i686]=i686-pc-windows-gnu [x86_64]=x86_64-pc-windows-gnu)
declare -A MINGW=([i686]=i686-w64-mingw32 [x86_64]=x86_64-w64-mingw32)

have_target() {
  if command -v rustup >/dev/null; then
    rustup target list --installed 2>/dev/null | grep -qx "$1"
  else
    [ -d "$(rustc --print sysroot)/lib/rustlib/$1" ]
  fi
}

missing_targets=() missing_tools=()
for arch in i686 x86_64; do
  have_target "${TRIPLE[$arch]}" || missing_targets+=("${TRIPLE[$arch]}")
  for tool in gcc dlltool objdump; do
    command -v "${MINGW[$arch]}-$tool" >/dev/null || missing_tools+=("${MINGW[$arch]}-$tool")
  done
done
if [ ${#missing_targets[@]} -gt 0 ] || [ ${#missing_tools[@]} -gt 0 ]; then
  echo "make windows: cannot cross-build the Windows DLLs here; missing:"
  if [ ${#missing_targets[@]} -gt 0 ]; then
    echo "  Rust targets: ${missing_targets[*]}"
    echo "    install with: rustup target add i686-pc-windows-gnu x86_64-pc-windows-gnu"
  fi
  if [ ${#missing_tools[@]} -gt 0 ]; then
    echo "  MinGW-w64 tools: ${missing_tools[*]}"
    echo "    install with: apt-get install gcc-mingw-w64 binutils-mingw-w64"
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
decorations() { # ARCH: prints "name@N" (i686) or "name" (x86_64), one a line
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

for arch in i686 x86_64; do
  triple=${TRIPLE[$arch]}
  out=target/windows/$arch
  mkdir -p "$out"
  echo "== $triple ($PROFILE)"
  linker_var="CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$triple")_LINKER"
  profile_flag=()
  [ "$PROFILE" = release ] && profile_flag=(--release)
  env "$linker_var=${MINGW[$arch]}-gcc" cargo build --lib --target "$triple" "${profile_flag[@]}"
  dll=target/$triple/$PROFILE/zoomlive.dll
  [ -e "$dll" ] || fail "$dll was not built"
  cp "$dll" include/zoomlive.h "$out/"

  # Exports: every header function, under its plain name.
  "${MINGW[$arch]}-objdump" -p "$dll" >"$out/objdump-p.txt"
  exports=$(sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' "$out/objdump-p.txt" \
    | sed -n 's/^\s*\[ *[0-9]*\] \(.*\)$/\1/p' | sort)
  # Besides the C API: the COM server's standard entry points (src/com/), if built.
  com_exports=$(grep -E '^Dll(CanUnloadNow|GetClassObject|RegisterServer|UnregisterServer|Install)$' <<<"$exports" || true)
  c_exports=$(grep -vE '^Dll(CanUnloadNow|GetClassObject|RegisterServer|UnregisterServer|Install)$' <<<"$exports" || true)
  [ "$c_exports" = "$(sort <<<"$functions")" ] \
    || fail "$triple: the DLL's exports differ from the header's functions: $(diff <(echo "$c_exports") <(sort <<<"$functions") || true)"
  echo "  exports: $(wc -l <<<"$c_exports") functions, plain names${com_exports:+ (and COM: $(tr '\n' ' ' <<<"$com_exports"))}"

  decorated=$(decorations "$arch" "$out")
  {
    echo "LIBRARY zoomlive.dll"
    echo "EXPORTS"
    sed 's/^/    /' <<<"$decorated"
  } >"$out/zoomlive.def"

  if [ "$arch" = i686 ]; then
    # stdcall: each export's first `ret` pops its arguments' bytes.
    image_base=$(awk '/^ImageBase/ {print $2}' "$out/objdump-p.txt")
    "${MINGW[$arch]}-objdump" -d --no-show-raw-insn "$dll" >"$out/disassembly.txt"
    bad=0
    while read -r entry; do
      name=${entry%@*} bytes=${entry#*@}
      # The name table gives the export's index; the export address table
      # ("[index] +base[ordinal] rva Export RVA") its address.
      ordinal=$(sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' "$out/objdump-p.txt" \
        | sed -n "s/^\s*\[ *\([0-9]*\)\] $name\$/\1/p")
      rva=$(awk -v o="$ordinal" '/\+base\[/ {gsub(/[][]/, " "); if ($1 == o) {print $4; exit}}' \
        "$out/objdump-p.txt")
      [ -n "$ordinal" ] && [ -n "$rva" ] || fail "$triple: no export address for $name"
      addr=$(printf '%x' $((0x$image_base + 0x$rva)))
      ret=$(awk -v a="$addr:" 'found && /\tret/ {print; exit} $1 == a {found=1; if (/\tret/) {print; exit}}' \
        "$out/disassembly.txt" | sed 's/.*\tret *//')
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
done
echo "make windows: built and checked target/windows/i686 and target/windows/x86_64"
