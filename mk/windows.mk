# Windows: the DLLs cross-built with MinGW, run under a private Wine against the
# emulator, and the release bundle. Included by the Makefile; scripts in scripts/windows/.

.PHONY: windows test-windows dist

## windows: cross-build zoomlive.dll (x86 stdcall and x64) into target/windows/{i686,x86_64}.
windows: deps
	bash scripts/windows/build.sh

## test-windows: both DLLs under Wine (C hosts, stack, imports, TLS, Delphi, dist, Windows 7).
test-windows: build deps
	bash scripts/windows/test.sh

## dist: the downloads in dist/: the Windows zip, the Linux tarball, the Python wheel
## (manylinux2014, abi3) and sdist, SHA256SUMS. Includes the Windows 7 DLLs when built
## (bash scripts/windows/win7.sh build; make test-windows builds them).
dist: deps
	bash scripts/windows/dist.sh
