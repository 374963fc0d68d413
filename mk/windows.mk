# Windows: the DLLs cross-built with MinGW, run under a private Wine against the
# emulator, and the release bundle. Included by the Makefile; scripts in scripts/windows/.
# Every target builds the four DLLs with scripts/windows/build.sh, release, in the shared
# target/: the first one builds, the others find them fresh (nothing is built twice).

.PHONY: windows test-windows dist

## windows: cross-build zoomlive.dll (C API and COM object) for Windows 10+ (x86 stdcall,
## x64) and Windows 7+ (the same, nightly -Zbuild-std; ZOOMLIVE_WIN7=0 leaves them out)
## into target/windows/{i686,x86_64,win7-i686,win7-x86_64}.
windows: deps
	bash scripts/windows/build.sh

## test-windows: the DLLs under Wine (C hosts, stack, imports, TLS, Delphi, Windows 7,
## and make dist's zip unpacked and run: host and COM contract on its four DLLs).
test-windows: build deps
	bash scripts/windows/test.sh

## dist: the downloads in dist/: the Windows zip (x86, x64, win7-x86, win7-x64: always
## all four, built here if need be), the Linux tarball, the Python wheels (manylinux2014
## abi3, Windows x64 abi3) and sdist, SHA256SUMS.
dist: deps
	bash scripts/windows/dist.sh
