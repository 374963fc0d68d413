"""Writes zoomlive.prg, the Visual FoxPro DECLAREs of every zoomlive.h function.

    python3 foxpro_declares.py include/zoomlive.h OUT.prg

Every function the header declares gets its DECLARE, its arguments mapped from their C
types (a type this script does not know is an error, so a new export cannot be left
out), followed by small helpers for the two-call buffer protocol and UTF-8 text. It is
put into the Windows zip by scripts/dist.sh; scripts/windows/dist-test.sh checks it
against the header.
"""

import re
import sys

ARG_TYPES = {
    # (C type, parameter name) or C type -> FoxPro DECLARE parameter, with its prefix
    "const char *": "STRING c",
    "char *": "STRING @c",
    "size_t": "INTEGER n",
    "size_t *": "INTEGER @n",
    "zoomlive_client **": "INTEGER @n",
    "zoomlive_client *": "INTEGER n",
    "uint32_t": "INTEGER n",
    "int32_t": "INTEGER n",
    "zoomlive_status": "INTEGER n",
    # A function pointer and its context: FoxPro cannot make a C callback by itself (a
    # helper library can), so it passes 0 (no callback) or what such a helper returns.
    "zoomlive_log_callback": "INTEGER n",
    "void *": "INTEGER n",
}
RETURN_TYPES = {
    "zoomlive_status": "INTEGER ",
    "int32_t": "INTEGER ",
    # FoxPro has no 64-bit integer: DECLARE INTEGER reads the low 32 bits, which hold
    # every Zoom error code and every Retry-After up to 24 days (-1 stays -1).
    "int64_t": "INTEGER ",
    "const char *": "STRING ",
    "void": "",
}

HEAD = """\
* zoomlive.prg: Visual FoxPro declarations of every zoomlive.dll function.
* Generated from zoomlive.h (zoomlive {version}) by scripts/windows/foxpro_declares.py.
*
*   SET PROCEDURE TO zoomlive.prg ADDITIVE
*   ZL_Declare()
*
* Use the 32-bit DLL (x86\\zoomlive.dll): Visual FoxPro is a 32-bit process. Its
* functions are stdcall and exported under their plain names, as DECLARE looks them up
* (names are case-sensitive). Put zoomlive.dll beside your .exe, in the current
* directory, or in a folder on the PATH.
*
* Text: FoxPro strings are in the ANSI code page; zoomlive takes and returns UTF-8.
* Pass every text argument through STRCONV(x, 9) and read text back with
* STRCONV(x, 11) (ZL_Text below does). Meeting and webinar ids go in as text: they
* exceed FoxPro's integers. A client handle is an INTEGER.
*
* Every function returns a status (0 = success); after a failure the zoomlive_last_*
* functions describe it for the calling thread. zoomlive_last_zoom_code and
* zoomlive_last_retry_after_ms return 64-bit values; DECLARE INTEGER reads their low
* 32 bits, which hold every Zoom code and any Retry-After up to 24 days.
* zoomlive_set_log_callback takes a C function pointer, which FoxPro cannot make by
* itself: pass 0 to turn a callback off, or read a call's trace with
* ZL_Text("zoomlive_last_trace") instead.

#DEFINE ZOOMLIVE_STATUS_OK 0
#DEFINE ZOOMLIVE_STATUS_BUFFER_TOO_SMALL 10

PROCEDURE ZL_Declare
"""

TAIL = """\
ENDPROC

* The two-call buffer protocol for the text getters (zoomlive_last_error_message,
* zoomlive_last_error_field, zoomlive_last_tracking_id, ...): asks for the size, then
* copies the text, and returns it in the ANSI code page.
FUNCTION ZL_Text(tcFunction)
	LOCAL lcBuf, lnNeeded, lnStatus
	lcBuf = ""
	lnNeeded = 0
	lnStatus = &tcFunction.(@lcBuf, 0, @lnNeeded)
	IF lnStatus <> ZOOMLIVE_STATUS_BUFFER_TOO_SMALL OR lnNeeded < 1
		RETURN ""
	ENDIF
	lcBuf = REPLICATE(CHR(0), lnNeeded)
	lnStatus = &tcFunction.(@lcBuf, lnNeeded, @lnNeeded)
	IF lnStatus <> ZOOMLIVE_STATUS_OK
		RETURN ""
	ENDIF
	RETURN STRCONV(LEFT(lcBuf, lnNeeded - 1), 11)
ENDFUNC

* A meeting's live stream settings as JSON text (GET /meetings/{id}/livestream), or ""
* on failure (then ZL_Text("zoomlive_last_error_message") says why).
FUNCTION ZL_MeetingLivestream(tnClient, tcMeetingId)
	LOCAL lcBuf, lnNeeded, lnStatus
	lcBuf = REPLICATE(CHR(0), 1024)
	lnNeeded = 0
	lnStatus = zoomlive_meeting_livestream_get(tnClient, STRCONV(tcMeetingId, 9), @lcBuf, 1024, @lnNeeded)
	IF lnStatus = ZOOMLIVE_STATUS_BUFFER_TOO_SMALL
		lcBuf = REPLICATE(CHR(0), lnNeeded)
		lnStatus = zoomlive_meeting_livestream_get(tnClient, STRCONV(tcMeetingId, 9), @lcBuf, lnNeeded, @lnNeeded)
	ENDIF
	IF lnStatus <> ZOOMLIVE_STATUS_OK
		RETURN ""
	ENDIF
	RETURN STRCONV(LEFT(lcBuf, lnNeeded - 1), 11)
ENDFUNC
"""


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def parse(header: str):
    version = re.search(r'#define ZOOMLIVE_VERSION "([^"]+)"', header).group(1)
    functions = []
    for m in re.finditer(r"^ZOOMLIVE_CALL (.+?)\b(zoomlive_\w+)\((.*?)\);", header, re.M):
        ret, name, args = m.group(1).strip(), m.group(2), m.group(3).strip()
        params = []
        if args and args != "void":
            for arg in args.split(","):
                am = re.match(r"^\s*(.*?)(\w+)\s*$", arg)
                ctype = re.sub(r"\s*\*", " *", am.group(1).strip()).replace("* *", "**")
                params.append((ctype.strip(), am.group(2)))
        functions.append((ret, name, params))
    return version, functions


def main() -> None:
    header_path, out_path = sys.argv[1], sys.argv[2]
    with open(header_path, encoding="utf-8") as f:
        version, functions = parse(f.read())
    if not functions:
        sys.exit("foxpro_declares.py: no functions in " + header_path)
    lines = [HEAD.format(version=version)]
    for ret, name, params in functions:
        ret = re.sub(r"\s*\*", " *", ret).strip()
        if ret not in RETURN_TYPES:
            sys.exit(f"foxpro_declares.py: {name}: unknown return type {ret!r}")
        decl = []
        for ctype, pname in params:
            if ctype not in ARG_TYPES:
                sys.exit(f"foxpro_declares.py: {name}: unknown parameter type {ctype!r}")
            decl.append(ARG_TYPES[ctype] + camel(pname))
        if ret == "int64_t":
            lines.append("\t* returns int64: the low 32 bits (see above)")
        text = f"\tDECLARE {RETURN_TYPES[ret]}{name} IN zoomlive.dll"
        if decl:
            text += " ;\n\t\t" + ", ".join(decl)
        lines.append(text)
    lines.append(TAIL)
    with open(out_path, "w", encoding="ascii", newline="\r\n") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
