#!/usr/bin/env bash
# `make dist`: what a user downloads, written into dist/:
#   zoomlive-VERSION-windows.zip        x86/ (stdcall) and x64/ zoomlive.dll (Windows 10+),
#                                       win7-x86/ and win7-x64/ (Windows 7 SP1+; built with
#                                       scripts/windows/win7.sh), each with its .def, MinGW
#                                       (.a) and MSVC (.lib) import libraries; zoomlive.h,
#                                       zoomlive.prg (every DECLARE), the Delphi unit, the
#                                       C# class, the SQL Server scripts, the VBScript
#                                       example, README.txt and SHA256SUMS (every file)
#   zoomlive-VERSION-linux-x86_64.tar.gz  libzoomlive.so, zoomlive.h, the zoomlive CLI
#   zoomlive-VERSION-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
#                                       (maturin --zig; checked with auditwheel)
#   zoomlive-VERSION-cp39-abi3-win_amd64.whl  the Windows x64 wheel (cross-built; not run:
#                                       there is no Windows CPython here)
#   zoomlive-VERSION.tar.gz             the sdist
#   SHA256SUMS                          of all of the above
#
# It builds everything it ships, whatever ran before: all four DLLs with
# scripts/windows/build.sh (release, in the shared target/: after make test-windows or
# make test-com they are fresh and nothing is rebuilt). A zip without the Windows 7 DLLs
# is never written: ZOOMLIVE_WIN7=0 or a missing nightly fails it. Needs what `make
# deps` installs (scripts/windows-deps.sh) and .venv with maturin; installs ziglang and
# auditwheel into .venv from PyPI when missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ZOOMLIVE_ROOT:-$(cd "$here/../.." && pwd)}
cd "$ROOT"
VERSION=$(sed -n 's/^#define ZOOMLIVE_VERSION "\(.*\)"$/\1/p' include/zoomlive.h)
CARGO_VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
[ "$VERSION" = "$CARGO_VERSION" ] || { echo "dist: zoomlive.h says $VERSION, Cargo.toml $CARGO_VERSION" >&2; exit 1; }
DIST=$ROOT/dist
STAGE=$ROOT/target/dist-stage
VENV=$ROOT/.venv
say() { echo "dist: $*"; }

rm -rf "$STAGE" && mkdir -p "$STAGE" "$DIST"
rm -f "$DIST"/zoomlive-"$VERSION"-* "$DIST"/zoomlive-"$VERSION".tar.gz "$DIST"/SHA256SUMS \
  "$DIST"/zoomlive-"$VERSION"-*.whl

# --- Windows ------------------------------------------------------------------------------
say "Windows DLLs: Windows 10 and Windows 7, x86 and x64 (scripts/windows/build.sh, release)"
[ "${ZOOMLIVE_WIN7:-1}" != 0 ] || { echo "dist: ZOOMLIVE_WIN7=0: a release zip has the Windows 7 DLLs; unset it" >&2; exit 1; }
ZOOMLIVE_WINDOWS_PROFILE=release ZOOMLIVE_REQUIRE_ALL=1 bash scripts/windows/build.sh win10 win7 >"$STAGE/build.log" 2>&1 \
  || { tail -20 "$STAGE/build.log" >&2; exit 1; }
W=$STAGE/zoomlive-$VERSION-windows
mkdir -p "$W"/{include,foxpro,delphi,csharp,sqlserver,vbscript,c}
declare -A MACHINE=([i686]=i386 [x86_64]=i386:x86-64)
# Zip folder <- build folder (target/windows/...).
declare -A FROM=([x86]=i686 [x64]=x86_64 [win7-x86]=win7-i686 [win7-x64]=win7-x86_64)
for d in x86 x64 win7-x86 win7-x64; do
  src=target/windows/${FROM[$d]}
  a=${FROM[$d]#win7-}
  grep -q "built and checked .*$src\b" "$STAGE/build.log" || { echo "dist: build.sh did not build $src" >&2; exit 1; }
  mkdir -p "$W/$d"
  cp "$src/zoomlive.dll" "$src/zoomlive.def" "$src/libzoomlive.dll.a" "$W/$d/"
  # MSVC import library. x86: the .def names the stdcall-decorated symbols (_name@N) a
  # compiler emits; -k (kill-at) makes them import the plain exported names.
  kill_at=()
  [ "$a" = i686 ] && kill_at=(-k)
  llvm-dlltool -m "${MACHINE[$a]}" -d "$src/zoomlive.def" -D zoomlive.dll "${kill_at[@]}" \
    -l "$W/$d/zoomlive.lib"
done
cp include/zoomlive.h "$W/include/"
python3 scripts/windows/foxpro_declares.py include/zoomlive.h "$W/foxpro/zoomlive.prg"
cp examples/foxpro/*.prg "$W/foxpro/"
cp examples/delphi/ZoomLive.pas examples/delphi/UpdateLiveStream.dpr "$W/delphi/"
cp examples/csharp/*.cs "$W/csharp/"
cp examples/sqlserver/* "$W/sqlserver/"
cp examples/vbscript/*.vbs "$W/vbscript/"
cp examples/c/livestream.c "$W/c/"
sed -e "s/@VERSION@/$VERSION/" scripts/windows/README.txt | sed 's/$/\r/' >"$W/README.txt"
# SHA256SUMS: every other file of the folder.
(cd "$W" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
(cd "$STAGE" && rm -f "$DIST/zoomlive-$VERSION-windows.zip" &&
  zip -qrX "$DIST/zoomlive-$VERSION-windows.zip" "zoomlive-$VERSION-windows")
say "dist/zoomlive-$VERSION-windows.zip ($(du -k "$DIST/zoomlive-$VERSION-windows.zip" | cut -f1) KiB: x86, x64, win7-x86, win7-x64)"

# --- Linux --------------------------------------------------------------------------------
say "Linux library and CLI (cargo build --release --features cli)"
cargo build --release --features cli >"$STAGE/linux.log" 2>&1 || { tail -20 "$STAGE/linux.log" >&2; exit 1; }
L=$STAGE/zoomlive-$VERSION-linux-x86_64
mkdir -p "$L/lib" "$L/include" "$L/bin"
cp target/release/libzoomlive.so "$L/lib/"
cp include/zoomlive.h "$L/include/"
cp target/release/zoomlive "$L/bin/"
(cd "$L" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
tar -C "$STAGE" --owner=0 --group=0 --numeric-owner -czf "$DIST/zoomlive-$VERSION-linux-x86_64.tar.gz" \
  "zoomlive-$VERSION-linux-x86_64"
say "dist/zoomlive-$VERSION-linux-x86_64.tar.gz"

# --- Python -------------------------------------------------------------------------------
[ -x "$VENV/bin/maturin" ] || bash scripts/deps.sh python
if ! "$VENV/bin/python" -c 'import ziglang, auditwheel' 2>/dev/null; then
  say "pip install ziglang auditwheel (into .venv)"
  "$VENV/bin/pip" install -q ziglang auditwheel
fi
say "Python wheel: maturin build --release --zig --compatibility manylinux2014"
rm -rf "$STAGE/wheels"
# maturin finds zig through the python on PATH (ziglang's `python -m ziglang`).
PATH=$VENV/bin:$PATH "$VENV/bin/maturin" build --release --zig --compatibility manylinux2014 \
  -o "$STAGE/wheels" >"$STAGE/wheel.log" 2>&1 || { tail -20 "$STAGE/wheel.log" >&2; exit 1; }
wheel=$(ls "$STAGE"/wheels/zoomlive-"$VERSION"-*manylinux*.whl)
"$VENV/bin/auditwheel" show "$wheel" >"$STAGE/auditwheel.txt" 2>&1
grep -q 'manylinux_2_17_x86_64' "$STAGE/auditwheel.txt" \
  || { cat "$STAGE/auditwheel.txt" >&2; echo "dist: auditwheel does not call the wheel manylinux_2_17 (manylinux2014)" >&2; exit 1; }
case $wheel in *abi3*) ;; *) echo "dist: $wheel is not an abi3 wheel" >&2; exit 1 ;; esac
cp "$wheel" "$DIST/"
say "dist/$(basename "$wheel") (auditwheel: $(grep -o 'manylinux_2_17_x86_64' "$STAGE/auditwheel.txt" | head -1))"
# The Windows wheel (x64): cross-built with MinGW; pyo3's generate-import-lib writes the
# python3.dll import library an abi3 module links against, so no Windows Python is needed.
say "Python wheel for Windows x64: maturin build --target x86_64-pc-windows-gnu"
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc PATH=$VENV/bin:$PATH \
  "$VENV/bin/maturin" build --release --target x86_64-pc-windows-gnu \
  --features python,pyo3/generate-import-lib -o "$STAGE/wheels-windows" >"$STAGE/wheel-windows.log" 2>&1 \
  || { tail -20 "$STAGE/wheel-windows.log" >&2; exit 1; }
winwheel=$(ls "$STAGE"/wheels-windows/zoomlive-"$VERSION"-cp39-abi3-win_amd64.whl)
cp "$winwheel" "$DIST/"
say "dist/$(basename "$winwheel")"
"$VENV/bin/maturin" sdist -o "$STAGE/sdist" >"$STAGE/sdist.log" 2>&1 || { tail -20 "$STAGE/sdist.log" >&2; exit 1; }
cp "$STAGE"/sdist/zoomlive-"$VERSION".tar.gz "$DIST/"
say "dist/zoomlive-$VERSION.tar.gz (sdist)"

(cd "$DIST" && sha256sum zoomlive-"$VERSION"-windows.zip zoomlive-"$VERSION"-linux-x86_64.tar.gz \
  "$(basename "$wheel")" "$(basename "$winwheel")" zoomlive-"$VERSION".tar.gz >SHA256SUMS)
say "dist/SHA256SUMS"
