# Sourced by the Windows suite: runs Windows programs under the project's private Wine
# (target/wine/dist, installed by scripts/windows-deps.sh) in a Wine prefix of its own.
#
#   . scripts/windows/wine.sh
#   wine_prefix PREFIX_DIR [--standin]   make (once) and select a 64-bit prefix (with
#                                        32-bit support); --standin installs the
#                                        test-only bcryptprimitives.dll into it
#   wine_run EXE ARGS...                 runs EXE (32- or 64-bit) with a time limit
#   wine_path /unix/path                 prints the Windows form (Z:\...)
#   wine_stop                            ends the prefix's wineserver and its programs
#
# Nothing is left running: an EXIT trap added here calls wine_stop for every prefix
# selected. No display: DISPLAY is unset, so Wine uses its null driver.
ZL_ROOT=${ZOOMLIVE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WINE_DIST=$ZL_ROOT/target/wine/dist
WINE32=$WINE_DIST/usr/lib/wine/wine
WINE64=$WINE_DIST/usr/lib/wine/wine64
WINESERVER=$WINE_DIST/usr/lib/wine/wineserver64
WINE_TIMEOUT=${ZOOMLIVE_WINE_TIMEOUT:-300}
export WINEARCH=win64 WINEDEBUG=${WINEDEBUG:--all}
# No Mono or Gecko installers, no desktop menu entries.
export WINEDLLOVERRIDES="mscoree,mshtml,winemenubuilder.exe="
unset DISPLAY WAYLAND_DISPLAY
_ZL_WINE_PREFIXES=()
# A private i386 libc (scripts/windows-deps.sh, when libc6:i386 could not be installed).
if [ -s "$ZL_ROOT/target/wine/libc32.path" ]; then
  export LD_LIBRARY_PATH="$(cat "$ZL_ROOT/target/wine/libc32.path")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

wine_stop() {
  local p
  for p in "${_ZL_WINE_PREFIXES[@]}"; do
    WINEPREFIX=$p "$WINESERVER" -k 2>/dev/null || true
  done
  for p in "${_ZL_WINE_PREFIXES[@]}"; do
    WINEPREFIX=$p timeout 20 "$WINESERVER" -w 2>/dev/null || true
  done
}

_zl_wine_trap() {
  local previous=
  if [ -n "$(trap -p EXIT)" ]; then
    eval "set -- $(trap -p EXIT)"
    previous=$3
  fi
  case $previous in *wine_stop*) return 0 ;; esac
  # shellcheck disable=SC2064
  trap "wine_stop${previous:+; $previous}" EXIT
  [ -n "$(trap -p INT)" ] || trap 'exit 130' INT
  [ -n "$(trap -p TERM)" ] || trap 'exit 143' TERM
}

wine_prefix() {
  local prefix standin=${2:-}
  prefix=$(realpath -m "$1")
  if ! [ -x "$WINE32" ] || ! [ -x "$WINE64" ]; then
    echo "wine_prefix: no private Wine in $WINE_DIST: run 'bash scripts/windows-deps.sh' (as root)" >&2
    return 1
  fi
  export WINEPREFIX=$prefix
  _ZL_WINE_PREFIXES+=("$prefix")
  _zl_wine_trap
  if ! [ -e "$prefix/.zoomlive-ready" ]; then
    rm -rf "$prefix"
    mkdir -p "$(dirname "$prefix")"
    if ! timeout "$WINE_TIMEOUT" "$WINE64" wineboot -i >"$prefix.boot.log" 2>&1; then
      echo "wine_prefix: wineboot failed in $prefix:" >&2
      tail -20 "$prefix.boot.log" >&2
      return 1
    fi
    timeout 60 "$WINESERVER" -w 2>/dev/null || true
    [ -e "$prefix/drive_c/windows/syswow64/kernel32.dll" ] || {
      echo "wine_prefix: $prefix has no 32-bit half (syswow64)" >&2
      return 1
    }
    touch "$prefix/.zoomlive-ready"
  fi
  local sys32=$prefix/drive_c/windows/system32 wow=$prefix/drive_c/windows/syswow64
  if [ "$standin" = --standin ]; then
    local dir=$ZL_ROOT/target/windows/test
    cp "$dir/bcryptprimitives-x86_64.dll" "$sys32/bcryptprimitives.dll"
    cp "$dir/bcryptprimitives-i686.dll" "$wow/bcryptprimitives.dll"
  else
    rm -f "$sys32/bcryptprimitives.dll" "$wow/bcryptprimitives.dll"
  fi
}

# Builds the stand-in (test-only; see tests/windows/bcryptprimitives.c).
wine_build_standin() {
  local dir=$ZL_ROOT/target/windows/test a entry
  mkdir -p "$dir"
  for a in i686 x86_64; do
    entry=DllMain
    [ "$a" = i686 ] && entry=_DllMain@12
    "$a-w64-mingw32-gcc" -O2 -shared -nostartfiles -Wl,--enable-stdcall-fixup -Wl,-e,"$entry" \
      "$ZL_ROOT/tests/windows/bcryptprimitives.c" "$ZL_ROOT/tests/windows/bcryptprimitives.def" \
      -o "$dir/bcryptprimitives-$a.dll" -ladvapi32 -lkernel32 || return 1
  done
}

wine_path() {
  local p
  p=$(realpath -m "$1")
  printf 'Z:%s' "${p//\//\\}"
}

# The 32-bit loader runs 32-bit programs and hands 64-bit ones to its 64-bit half.
wine_run() {
  timeout -k 10 "$WINE_TIMEOUT" "$WINE32" "$@"
}
