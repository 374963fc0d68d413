#!/usr/bin/env bash
# Free Pascal for Windows, built here from Debian's fpc-source (Debian's fpc has no
# Windows units): into target/fpc/
#   bin/ppcross386                the x86_64-Linux -> i386 cross compiler (compiled with
#                                 Debian's ppcx64); x86_64-win64 uses ppcx64 itself
#   src/rtl/units/{i386-win32,x86_64-win64}/   the RTL (SysUtils, Classes, Windows, ...)
#   units/{i386-win32,x86_64-win64}/           winsock2 and sockets (rtl-extra)
# FPC links Windows programs with its internal assembler and linker: no binutils needed.
#
# Usage: scripts/windows/fpc.sh            build once (about 15 s), then a no-op
#        scripts/windows/fpc.sh compile TARGET SOURCE OUTDIR [fpc options...]
#                                          TARGET: i386-win32 or x86_64-win64
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/../.." && pwd)}
F=$ROOT/target/fpc
SRC=/usr/share/fpcsrc/$(fpc -iV)
MSG_FILE=$(find /usr/lib/*/fpc/"$(fpc -iV)"/msg -name errore.msg 2>/dev/null | head -1)

compiler_for() { # TARGET
  case $1 in
    i386-win32) echo "$F/bin/ppcross386" ;;
    x86_64-win64) command -v ppcx64 ;;
    *) echo "fpc.sh: unknown target $1" >&2; return 1 ;;
  esac
}

build() {
  [ -e "$F/.ready" ] && return 0
  [ -d "$SRC/rtl" ] && [ -d "$SRC/compiler" ] || {
    echo "fpc.sh: no $SRC (Debian's fpc-source: make deps installs it)" >&2
    return 1
  }
  command -v fpcmake >/dev/null || { echo "fpc.sh: no fpcmake (Debian's fp-utils)" >&2; return 1; }
  [ -n "$MSG_FILE" ] || { echo "fpc.sh: no errore.msg (Debian's fp-compiler)" >&2; return 1; }
  rm -rf "$F"
  mkdir -p "$F/src" "$F/bin"
  cp -r "$SRC/rtl" "$SRC/compiler" "$SRC/packages/rtl-extra" "$F/src/"
  # The compiler: Debian leaves out the generated message table; read errore.msg instead.
  (cd "$F/src/compiler" && mkdir -p units-i386 &&
    ppcx64 -di386 -dEXTERN_MSG -Fui386 -Fusystems -Fux86 -Fii386 -Fix86 -FUunits-i386 \
      -O2 -Xs -oppcross386 pp.pas) >"$F/compiler.log" 2>&1 \
    || { echo "fpc.sh: building ppcross386 failed (target/fpc/compiler.log)" >&2; return 1; }
  cp "$F/src/compiler/ppcross386" "$MSG_FILE" "$F/bin/"
  # The RTL: Makefiles from fpcmake; makefile.cpu is left out of fpc-source as well.
  for cpu in i386 x86_64; do
    printf 'CPUNAMES=%s math set\nCPUINCNAMES=$(addsuffix .inc,$(CPUNAMES))\n' "$cpu" >"$F/src/rtl/$cpu/makefile.cpu"
  done
  (cd "$F/src/rtl" && fpcmake -Tall -r) >"$F/rtl.log" 2>&1
  for t in i386-win32 x86_64-win64; do
    (cd "$F/src/rtl" && make all OS_TARGET="${t#*-}" CPU_TARGET="${t%%-*}" FPC="$(compiler_for "$t")" \
      OPT=-O2) >>"$F/rtl.log" 2>&1 \
      || { echo "fpc.sh: the $t RTL failed (target/fpc/rtl.log)" >&2; return 1; }
    mkdir -p "$F/units/$t"
    "$(compiler_for "$t")" -T"${t#*-}" -O2 -Fu"$F/src/rtl/units/$t" -Fi"$F/src/rtl-extra/src/inc" \
      -Fi"$F/src/rtl-extra/src/win" -FU"$F/units/$t" "$F/src/rtl-extra/src/win/sockets.pp" >>"$F/rtl.log" 2>&1 \
      || { echo "fpc.sh: the $t sockets unit failed (target/fpc/rtl.log)" >&2; return 1; }
  done
  touch "$F/.ready"
}

compile() { # TARGET SOURCE OUTDIR [options]
  local t=$1 src=$2 out=$3
  shift 3
  mkdir -p "$out/units"
  "$(compiler_for "$t")" -T"${t#*-}" -Mdelphi -vew -Fu"$F/src/rtl/units/$t" -Fu"$F/units/$t" \
    -FE"$out" -FU"$out/units" "$@" "$src"
}

case ${1:-build} in
  build) build ;;
  compile) shift; build && compile "$@" ;;
  *) echo "usage: $0 [build | compile TARGET SOURCE OUTDIR [options]]" >&2; exit 2 ;;
esac
