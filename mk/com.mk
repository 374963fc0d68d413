# The COM face: ZoomLive.Client, the OLE Automation object in zoomlive.dll (src/com/),
# proven under the Windows suite's private Wine. Included by the Makefile.

.PHONY: test-com

## test-com: regsvr32 and cscript (VBScript) in both bitnesses against the emulator, for
## the Windows 10 DLLs and the Windows 7 ones (in a prefix without bcryptprimitives.dll).
test-com: build deps
	bash tests/windows/com/run.sh
