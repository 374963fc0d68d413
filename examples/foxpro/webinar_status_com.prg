* Starts a Zoom webinar's live stream with the ZoomLive.Client COM object
* (PATCH /v2/webinars/:webinarId/livestream/status, action=start, with settings).
*
* Replaces seed 000 (Visual FoxPro, CREATEOBJECT('Chilkat.Http'); see
* examples/README.md) one to one: create an object, call a method, read its properties.
* webinar_status.prg does the same through DECLARE; this one needs no DECLARE, no
* buffers and no STRCONV: COM passes strings as Unicode (BSTR) both ways.
*
* Once per machine, register the 32-bit zoomlive.dll (VFP is a 32-bit process):
*   regsvr32 C:\zoomlive\x86\zoomlive.dll                (as administrator: every user)
*   regsvr32 /n /i:user C:\zoomlive\x86\zoomlive.dll     (the current user only)
* and remove it with regsvr32 /u (plus /n /i:user for the per-user one).
*
* Every method returns a status: 0 = OK, otherwise the numbers of zoomlive_status in
* zoomlive.h (2 invalid argument, 6 auth, 7 not found, 9 Zoom API error, ...). The Last*
* properties describe the last call; LastErrorText never holds the token. Ids may be
* text or numbers (91234567890 is a Numeric in VFP: it is passed as a number).

LOCAL loZoom, lnStatus, lcBaseUrl

loZoom = CREATEOBJECT("ZoomLive.Client")

* The token from the environment (or your configuration), never from the code.
lnStatus = loZoom.UseAccessToken(GETENV("ZOOM_ACCESS_TOKEN"))
IF lnStatus <> 0 THEN
	? loZoom.LastErrorText
	RELEASE loZoom
	CANCEL
ENDIF
* ZOOM_BASE_URL: another API base URL, such as the emulator's (its URL + /v2).
lcBaseUrl = GETENV("ZOOM_BASE_URL")
IF NOT EMPTY(lcBaseUrl) THEN
	* A property set that fails keeps the old value and fills the Last* properties.
	loZoom.BaseUrl = lcBaseUrl
	IF NOT loZoom.LastMethodSuccess THEN
		? loZoom.LastErrorText
		RELEASE loZoom
		CANCEL
	ENDIF
ENDIF

* The settings the seed meant to send (the Chilkat code glued "start" in front of them,
* which zoomlive refuses with LastErrorField = "settings").
lnStatus = loZoom.WebinarLivestreamStatus("91234567890", "start", ;
	'{"active_speaker_name":false,"display_name":"reprehender"}')
IF loZoom.LastMethodSuccess THEN
	? "Success."
ELSE
	IF loZoom.LastHttpStatus <> 0 THEN
		* Zoom answered: what the seed printed as status code, header and body.
		? "Response Status Code = " + TRANSFORM(loZoom.LastHttpStatus)
		? "Zoom error code = " + TRANSFORM(loZoom.LastZoomCode)
		? "Tracking id = " + loZoom.LastTrackingId
	ENDIF
	? "Error " + TRANSFORM(lnStatus) + ": " + loZoom.LastErrorText
	? "Failed."
ENDIF

* Reading the stream's configuration back: GET fills StreamUrl, StreamKey, PageUrl,
* Resolution and LivestreamJson.
IF loZoom.WebinarLivestreamGet(91234567890) = 0 THEN
	? "Stream URL: " + loZoom.StreamUrl
	? "Page URL: " + loZoom.PageUrl
ENDIF

RELEASE loZoom
