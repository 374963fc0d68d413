* Starts a Zoom webinar's live stream with zoomlive.dll
* (PATCH /v2/webinars/:webinarId/livestream/status, action=start, with settings).
*
* Replaces seed 000 (Visual FoxPro, Chilkat.Http; see examples/README.md). It sends the
* settings the seed meant to send (its Postman JSON; the Chilkat code glued "start" in
* front of them, which zoomlive refuses) and, on failure, shows what the seed showed:
* the response status code, Zoom's answer, then "Failed.". zoomlive's messages never
* hold the token (Chilkat's LastErrorText did).
*
* zoomlive.dll: the 32-bit build (i686-pc-windows-gnu), as VFP is a 32-bit process.
* Its functions are stdcall and exported under their plain names (zoomlive_client_new,
* not _zoomlive_client_new@8), which is what DECLARE looks up; names are
* case-sensitive. Put it beside the .exe / in the current directory, or SET PATH.
*
* Text: VFP strings are in the current (ANSI) code page; zoomlive takes UTF-8, so every
* text argument goes through STRCONV(x, 9) and text read back through STRCONV(x, 11).
* Ids are passed as text: they exceed VFP's integers.

LOCAL lnClient, lnStatus, lcWebinarId, lcSettings, lcBaseUrl

lcWebinarId = "91234567890"
lcSettings = '{"active_speaker_name":false,"display_name":"reprehender"}'

DECLARE INTEGER zoomlive_client_new IN zoomlive.dll STRING cAccessToken, INTEGER @nClient
DECLARE zoomlive_client_free IN zoomlive.dll INTEGER nClient
DECLARE INTEGER zoomlive_client_set_base_url IN zoomlive.dll INTEGER nClient, STRING cUrl
DECLARE INTEGER zoomlive_webinar_livestream_status IN zoomlive.dll ;
	INTEGER nClient, STRING cWebinarId, STRING cAction, STRING cSettingsJson
DECLARE INTEGER zoomlive_last_http_status IN zoomlive.dll
* zoomlive_last_zoom_code returns int64; DECLARE INTEGER reads its low 32 bits, which
* hold every Zoom error code.
DECLARE INTEGER zoomlive_last_zoom_code IN zoomlive.dll
DECLARE INTEGER zoomlive_last_error_message IN zoomlive.dll ;
	STRING @cBuf, INTEGER nCap, INTEGER @nNeeded
DECLARE INTEGER zoomlive_last_tracking_id IN zoomlive.dll ;
	STRING @cBuf, INTEGER nCap, INTEGER @nNeeded
DECLARE STRING zoomlive_status_str IN zoomlive.dll INTEGER nStatus

* The token from the environment (or your configuration), never from the code.
lnClient = 0
lnStatus = zoomlive_client_new(STRCONV(GETENV("ZOOM_ACCESS_TOKEN"), 9), @lnClient)
IF lnStatus <> 0 THEN
	? LastErrorMessage()
	CANCEL
ENDIF
* ZOOM_BASE_URL: another API base URL, such as the emulator's (its URL + /v2).
lcBaseUrl = GETENV("ZOOM_BASE_URL")
IF NOT EMPTY(lcBaseUrl) THEN
	zoomlive_client_set_base_url(lnClient, STRCONV(lcBaseUrl, 9))
ENDIF

lnStatus = zoomlive_webinar_livestream_status(lnClient, STRCONV(lcWebinarId, 9), ;
	"start", STRCONV(lcSettings, 9))
IF lnStatus <> 0 THEN
	? "Error: " + zoomlive_status_str(lnStatus)
	IF zoomlive_last_http_status() <> 0 THEN
		* Zoom answered: what the seed printed as status code, header and body.
		? "Response Status Code = " + TRANSFORM(zoomlive_last_http_status())
		? "Zoom error code = " + TRANSFORM(zoomlive_last_zoom_code())
		? "Tracking id = " + LastTrackingId()
	ENDIF
	? LastErrorMessage()
	? "Failed."
	zoomlive_client_free(lnClient)
	CANCEL
ENDIF
? "Success."
zoomlive_client_free(lnClient)

* The last error's message and tracking id: ask for the size (with the NUL), then copy
* into a buffer that holds it, and convert the UTF-8 back to the current code page.
FUNCTION LastErrorMessage()
	LOCAL lcBuf, lnNeeded
	lcBuf = ""
	lnNeeded = 0
	zoomlive_last_error_message(@lcBuf, 0, @lnNeeded)
	lcBuf = SPACE(lnNeeded)
	IF zoomlive_last_error_message(@lcBuf, lnNeeded, @lnNeeded) <> 0 THEN
		RETURN ""
	ENDIF
	RETURN STRCONV(LEFT(lcBuf, lnNeeded - 1), 11)
ENDFUNC

FUNCTION LastTrackingId()
	LOCAL lcBuf, lnNeeded
	lcBuf = ""
	lnNeeded = 0
	zoomlive_last_tracking_id(@lcBuf, 0, @lnNeeded)
	lcBuf = SPACE(lnNeeded)
	IF zoomlive_last_tracking_id(@lcBuf, lnNeeded, @lnNeeded) <> 0 THEN
		RETURN ""
	ENDIF
	RETURN STRCONV(LEFT(lcBuf, lnNeeded - 1), 11)
ENDFUNC
