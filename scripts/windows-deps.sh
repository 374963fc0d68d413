#!/usr/bin/env bash
# Installs what the Windows suite (scripts/windows/test.sh) and `make dist` need:
#   - Debian packages (as root, with apt-get): MinGW-w64 for both architectures, Wine's
#     64-bit half (which brings the shared libraries Wine's 32-bit half dlopens too),
#     libz-mingw-w64, Free Pascal with its sources (scripts/windows/fpc.sh builds the
#     Windows cross compilers from them), openssl, zip, llvm (llvm-dlltool, .lib files),
#     libc6:i386 (the 32-bit loader's ld-linux.so.2);
#   - Rust's i686-pc-windows-gnu and x86_64-pc-windows-gnu targets (rustup), and nightly
#     with rust-src for the Windows 7 variants (ZOOMLIVE_WIN7=0 skips those);
#   - a private, complete Wine 8.0 (32- and 64-bit halves) in target/wine/dist, unpacked
#     from Debian's own .deb files fetched with `apt-get download`.
#
# Why a private Wine and not `apt-get install wine32:i386`: after
# `dpkg --add-architecture i386`, the security archive's i386 index can fail to download
# (a size mismatch), so `apt-get update` exits non-zero and `apt-get install wine32:i386`
# then cannot resolve (amd64 libraries from the security archive have no i386 twin of the
# same version). The .deb files of wine32/libwine come from the main archive and do not
# need those. Wine finds its other half next to itself, so both halves are unpacked into
# one tree; libwine's postinst step (zlib1.dll from libz-mingw-w64 made a "builtin") is
# replayed here. Nothing is installed system-wide but Debian packages; the private tree
# is only used by this project's tests.
#
# Idempotent: a second run checks and returns in about a second. Exit status 1 when a
# piece is missing and cannot be installed (not root, no apt-get), naming it.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/.." && pwd)}
WINE_DIR=$ROOT/target/wine
WINE_DIST=$WINE_DIR/dist
WINE_VERSION_WANTED=${ZOOMLIVE_WINE_VERSION:-}
log=$WINE_DIR/deps.log
mkdir -p "$WINE_DIR"
: >"$log"

say() { echo "windows-deps: $*"; }
die() {
  echo "windows-deps: FAILED: $*" >&2
  echo "  (log: $log)" >&2
  exit 1
}
is_root() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

apt_updated=0
apt_update() {
  [ "$apt_updated" = 1 ] && return 0
  apt_updated=1
  # Its exit status is not trusted: a failed i386 security index makes it non-zero
  # while everything this script needs is still there.
  apt-get update >>"$log" 2>&1 || say "apt-get update exited non-zero (ignored; see $log)"
}
apt_install() {
  is_root || die "missing Debian packages: $*; run as root (or: sudo apt-get install $*)"
  apt_update
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >>"$log" 2>&1 \
    || die "apt-get install $* failed"
}

# --- Debian packages -----------------------------------------------------------------
need=()
for t in i686-w64-mingw32 x86_64-w64-mingw32; do
  command -v $t-gcc >/dev/null || need+=("gcc-mingw-w64-${t%%-*}")
  command -v $t-dlltool >/dev/null || need+=("binutils-mingw-w64-${t%%-*}")
done
need=("${need[@]/gcc-mingw-w64-x86_64/gcc-mingw-w64-x86-64}")
need=("${need[@]/binutils-mingw-w64-x86_64/binutils-mingw-w64-x86-64}")
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)
[ -e /usr/x86_64-w64-mingw32/lib/zlib1.dll ] || need+=(libz-mingw-w64)
command -v fpc >/dev/null || need+=(fp-compiler)
[ -d /usr/share/fpcsrc ] || need+=(fpc-source)
command -v fpcmake >/dev/null || need+=(fp-utils)
command -v openssl >/dev/null || need+=(openssl)
command -v zip >/dev/null || need+=(zip)
command -v unzip >/dev/null || need+=(unzip)
command -v llvm-dlltool >/dev/null || need+=(llvm)
if [ ${#need[@]} -gt 0 ]; then
  apt_install "${need[@]}"
fi

# libc6:i386: the 32-bit Wine loader's interpreter (/lib/ld-linux.so.2).
if ! [ -e /lib/ld-linux.so.2 ]; then
  is_root || die "missing libc6:i386 (/lib/ld-linux.so.2); run as root"
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386 || die "dpkg --add-architecture i386 failed"
    apt_updated=0
  fi
  apt_update
  say "apt-get install libc6:i386"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libc6:i386 >>"$log" 2>&1; then
    # Its version must equal the amd64 libc6's; when the i386 index lacks that version
    # (the security index failed), unpack the i386 libc privately and point the one path
    # the kernel needs, /lib/ld-linux.so.2, at it; scripts/windows/wine.sh puts the
    # private folder on LD_LIBRARY_PATH.
    say "apt-get install libc6:i386 failed; unpacking libc6:i386 into target/wine/libc32"
    rm -rf "$WINE_DIR/libc32" && mkdir -p "$WINE_DIR/libc32/debs"
    (cd "$WINE_DIR/libc32/debs" && apt-get download libc6:i386 libgcc-s1:i386) >>"$log" 2>&1 \
      || die "apt-get download libc6:i386 failed"
    for deb in "$WINE_DIR"/libc32/debs/*.deb; do dpkg-deb -x "$deb" "$WINE_DIR/libc32/root"; done
    ld=$(ls "$WINE_DIR"/libc32/root/usr/lib/i386-linux-gnu/ld-linux.so.2 "$WINE_DIR"/libc32/root/lib/i386-linux-gnu/ld-linux.so.2 2>/dev/null | head -1)
    [ -n "$ld" ] || die "no ld-linux.so.2 in libc6:i386"
    ln -sf "$ld" /lib/ld-linux.so.2
    dirname "$ld" >"$WINE_DIR/libc32.path"
  fi
fi

# --- Rust targets ----------------------------------------------------------------------
if command -v rustup >/dev/null; then
  installed=$(rustup target list --installed 2>/dev/null)
  for t in i686-pc-windows-gnu x86_64-pc-windows-gnu; do
    if ! grep -qx "$t" <<<"$installed"; then
      say "rustup target add $t"
      rustup target add "$t" >>"$log" 2>&1 || die "rustup target add $t failed"
    fi
  done
  if [ "${ZOOMLIVE_WIN7:-1}" != 0 ]; then
    if ! rustup run nightly rustc --version >/dev/null 2>&1; then
      say "rustup toolchain install nightly --profile minimal --component rust-src"
      rustup toolchain install nightly --profile minimal --component rust-src >>"$log" 2>&1 \
        || die "rustup toolchain install nightly failed"
    fi
    if ! [ -d "$(rustup run nightly rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
      say "rustup component add rust-src --toolchain nightly"
      rustup component add rust-src --toolchain nightly >>"$log" 2>&1 \
        || die "rustup component add rust-src --toolchain nightly failed"
    fi
  fi
else
  for t in i686-pc-windows-gnu x86_64-pc-windows-gnu; do
    [ -d "$(rustc --print sysroot)/lib/rustlib/$t" ] || die "Rust target $t missing and no rustup"
  done
fi

# --- the private Wine ------------------------------------------------------------------
wine_ok() {
  [ -x "$WINE_DIST/usr/lib/wine/wine" ] && [ -x "$WINE_DIST/usr/lib/wine/wine64" ] \
    && [ -e "$WINE_DIST/usr/lib/i386-linux-gnu/wine/i386-windows/zlib1.dll" ] \
    && [ -e "$WINE_DIST/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/zlib1.dll" ] \
    && [ -e "$WINE_DIR/dist.ok" ]
}
if ! wine_ok; then
  is_root || die "the private Wine (target/wine/dist) needs apt-get download; run as root"
  apt_update
  ver=${WINE_VERSION_WANTED:-$(dpkg-query -W -f '${Version}' wine64 2>/dev/null)}
  [ -n "$ver" ] || die "cannot tell the installed wine64 version"
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386 || die "dpkg --add-architecture i386 failed"
    apt_updated=0
    apt_update
  fi
  say "fetching Wine $ver (wine32, libwine:i386, wine32-preloader, wine64, libwine:amd64)"
  rm -rf "$WINE_DIR/debs" "$WINE_DIST" "$WINE_DIR/dist.ok"
  mkdir -p "$WINE_DIR/debs" "$WINE_DIST"
  # apt-get download writes as _apt when it can; a root-owned folder makes it warn only.
  (cd "$WINE_DIR/debs" && apt-get download "wine32:i386=$ver" "libwine:i386=$ver" \
    "wine32-preloader:i386=$ver" "wine64:amd64=$ver" "libwine:amd64=$ver") >>"$log" 2>&1 \
    || die "apt-get download of Wine $ver's .deb files failed"
  for deb in "$WINE_DIR"/debs/*.deb; do
    dpkg-deb -x "$deb" "$WINE_DIST" || die "dpkg-deb -x $deb failed"
  done
  # libwine's postinst: zlib1.dll from libz-mingw-w64, marked as a Wine builtin.
  for mingw_arch in i686 x86_64; do
    wine_arch=$mingw_arch
    [ "$mingw_arch" = i686 ] && wine_arch=i386
    in=/usr/$mingw_arch-w64-mingw32/lib/zlib1.dll
    for lib in i386-linux-gnu x86_64-linux-gnu; do
      out=$WINE_DIST/usr/lib/$lib/wine/$wine_arch-windows/zlib1.dll
      [ -d "$(dirname "$out")" ] || continue
      {
        head -c 64 "$in"
        printf 'Wine builtin DLL'
        printf '\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'
        tail -c +97 "$in"
      } >"$out"
    done
  done
  # The wineserver wrapper script points into /usr/lib/wine; use the private one.
  ln -sf wineserver64 "$WINE_DIST/usr/lib/wine/wineserver"
  wine_ok_files=1
  [ -x "$WINE_DIST/usr/lib/wine/wine" ] && [ -x "$WINE_DIST/usr/lib/wine/wine64" ] || wine_ok_files=0
  [ "$wine_ok_files" = 1 ] || die "the unpacked Wine lacks its loaders"
  echo "$ver" >"$WINE_DIR/dist.ok"
  rm -rf "$WINE_DIR/debs"
fi
say "ok (MinGW $(i686-w64-mingw32-gcc -dumpversion), Wine $(cat "$WINE_DIR/dist.ok") in target/wine/dist, fpc $(fpc -iV 2>/dev/null))"
