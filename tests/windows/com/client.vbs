' The ZoomLive.Client object end to end, as FoxPro, sp_OACreate and VBScript use it:
' run by tests/windows/com/run.sh with cscript //nologo, in both bitnesses, against the
' emulator, after `regsvr32 zoomlive.dll`.
'
'   cscript //nologo client.vbs EMULATOR_URL LABEL VERSION COOLDOWN_URL SCOPES_URL
'
' COOLDOWN_URL: an emulator answering a repeated start with 429 and Retry-After;
' SCOPES_URL: one refusing every call for missing scopes.
'
' Prints "ok - ..." / "not ok - ..." lines and, last, "com-LABEL: N passed, M failed".
' Wine's VBScript exits 0 after a runtime error and has no Eval, Execute, AscW or ChrW:
' the runner requires the summary line, and non-ASCII text is made with Chr() (the ANSI
' code page, 1252 here: Chr(233) is U+00E9, Chr(128) is U+20AC).
Option Explicit

Const TOKEN = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
Const MEETING = "68423085"
Const WEBINAR = "91234567890"
Const UNKNOWN_MEETING = "1234567890"
Const SEED_MEETING_SETTINGS = "{""active_speaker_name"":false,""display_name"":""dolore ullamco irur""}"
Const SEED_WEBINAR_SETTINGS = "{""active_speaker_name"":false,""display_name"":""reprehender""}"

Dim url, label, version, cooldownUrl, scopesUrl, passed, failed
url = WScript.Arguments(0)
label = WScript.Arguments(1)
version = WScript.Arguments(2)
cooldownUrl = WScript.Arguments(3)
scopesUrl = WScript.Arguments(4)
passed = 0
failed = 0

Sub Check(name, cond)
  If cond Then
    passed = passed + 1
    WScript.Echo "ok - " & label & ": " & name
  Else
    failed = failed + 1
    WScript.Echo "not ok - " & label & ": " & name
  End If
End Sub

' Compares as text, so that a wrong type or value shows in the message.
' Numbers of any numeric type compare by value (a literal 404 is an Integer, LastHttpStatus
' a Long).
Function IsNumber(v)
  Select Case VarType(v)
    Case 2, 3, 4, 5, 6, 14, 17
      IsNumber = True
    Case Else
      IsNumber = False
  End Select
End Function

Sub CheckEq(name, actual, expected)
  Dim same
  If IsNumber(actual) And IsNumber(expected) Then
    same = (actual = expected)
  Else
    same = (VarType(actual) = VarType(expected))
    If same Then same = (CStr(actual) = CStr(expected))
  End If
  Check name & " = " & CStr(expected) & " (" & TypeName(expected) & "; got " & CStr(actual) & " (" & TypeName(actual) & "))", same
End Sub

' A failed call: its status and the Last* properties it leaves.
Sub CheckFailure(name, obj, status, expectedStatus, field)
  CheckEq name & ": status", status, expectedStatus
  CheckEq name & ": LastStatus", obj.LastStatus, expectedStatus
  CheckEq name & ": LastMethodSuccess", obj.LastMethodSuccess, False
  CheckEq name & ": LastErrorField", obj.LastErrorField, field
  Check name & ": LastErrorText is one non-empty line without the token", _
    Len(obj.LastErrorText) > 0 And InStr(obj.LastErrorText, vbLf) = 0 And InStr(obj.LastErrorText, "FAKE-ZOOM-TOKEN") = 0
End Sub

' A successful call: status 0 and every Last* property cleared, as the C getters are.
Sub CheckSuccess(name, obj, status)
  CheckEq name & ": status", status, 0
  Check name & ": Last* cleared (LastStatus 0, LastMethodSuccess True, numbers 0, RetryAfter -1, texts empty; got " _
    & obj.LastStatus & "/" & obj.LastMethodSuccess & "/" & obj.LastHttpStatus & "/" & obj.LastZoomCode & "/" _
    & obj.LastRetryAfterMs & "/" & obj.LastErrorText & "/" & obj.LastErrorField & "/" & obj.LastTrackingId & "/" _
    & obj.LastMissingScopes & "/" & obj.LastRateLimit & ")", _
    obj.LastStatus = 0 And obj.LastMethodSuccess = True And obj.LastHttpStatus = 0 And obj.LastZoomCode = 0 _
    And obj.LastRetryAfterMs = -1 And obj.LastErrorText = "" And obj.LastErrorField = "" And obj.LastTrackingId = "" _
    And obj.LastMissingScopes = "" And obj.LastRateLimit = ""
End Sub

Sub Summary()
  WScript.Echo "com-" & label & ": " & passed & " passed, " & failed & " failed"
End Sub

Dim o, o2, s2s, bad, s, mid, settings, text
On Error Resume Next
Set o = CreateObject("ZoomLive.Client")
Check "CreateObject(""ZoomLive.Client"") (error " & Err.Number & " " & Err.Description & ")", Err.Number = 0 And IsObject(o)
If Err.Number <> 0 Then
  Summary
  WScript.Quit 1
End If
Err.Clear
Set o2 = CreateObject("ZoomLive.Client.1")
Check "CreateObject(""ZoomLive.Client.1"") (error " & Err.Number & ")", Err.Number = 0 And IsObject(o2)
On Error GoTo 0

' --- a fresh object -------------------------------------------------------------------
CheckEq "Version", o.Version, version
CheckEq "BaseUrl default", o.BaseUrl, "https://api.zoom.us/v2"
CheckEq "OAuthUrl default", o.OAuthUrl, "https://zoom.us/oauth/token"
Check "Encoding default is a name (" & o.Encoding & ")", Len(o.Encoding) > 0
CheckEq "TimeoutMs default", o.TimeoutMs, 30000
CheckEq "ConnectTimeoutMs default", o.ConnectTimeoutMs, 10000
CheckEq "MaxRetries default", o.MaxRetries, 2
CheckEq "ExtraCaFile default", o.ExtraCaFile, ""
CheckEq "LastStatus before any call", o.LastStatus, 0
CheckEq "LastMethodSuccess before any call", o.LastMethodSuccess, True
CheckEq "LastRetryAfterMs before any call", o.LastRetryAfterMs, -1
CheckEq "StreamUrl before any GET", o.StreamUrl, ""
CheckEq "LivestreamJson before any GET", o.LivestreamJson, ""

' --- credentials ------------------------------------------------------------------------
CheckFailure "an operation before UseAccessToken", o, o.MeetingLivestreamStatus(MEETING, "start"), 2, "credentials"
CheckFailure "UseAccessToken("""")", o, o.UseAccessToken(""), 2, "access_token"
CheckFailure "UseAccessToken(42)", o, o.UseAccessToken(42), 2, "access_token"
CheckSuccess "UseAccessToken(token)", o, o.UseAccessToken(TOKEN)

' --- properties: a set that succeeds keeps Last*, one that fails sets them --------------------
o.BaseUrl = url & "/v2"
CheckEq "BaseUrl set", o.BaseUrl, url & "/v2"
CheckSuccess "a successful property set leaves Last* as they were", o, 0
o.BaseUrl = "ftp://example.com/v2"
CheckFailure "BaseUrl = ftp://...", o, o.LastStatus, 2, "base_url"
CheckEq "BaseUrl kept after a failed set", o.BaseUrl, url & "/v2"
o.TimeoutMs = 20000
CheckEq "TimeoutMs set", o.TimeoutMs, 20000
CheckEq "a successful property set leaves a failure's LastErrorField", o.LastErrorField, "base_url"
o.TimeoutMs = 0
CheckFailure "TimeoutMs = 0", o, o.LastStatus, 2, "timeout"
o.TimeoutMs = -5
CheckFailure "TimeoutMs = -5", o, o.LastStatus, 2, "timeout"
o.TimeoutMs = 1.5
CheckFailure "TimeoutMs = 1.5", o, o.LastStatus, 2, "timeout"
o.TimeoutMs = 5000000000
CheckFailure "TimeoutMs = 5000000000", o, o.LastStatus, 2, "timeout"
CheckEq "TimeoutMs kept after failed sets", o.TimeoutMs, 20000
o.TimeoutMs = "25000"
CheckEq "TimeoutMs set from text", o.TimeoutMs, 25000
o.ConnectTimeoutMs = 0
CheckFailure "ConnectTimeoutMs = 0", o, o.LastStatus, 2, "connect_timeout"
o.ConnectTimeoutMs = 5000
CheckEq "ConnectTimeoutMs set", o.ConnectTimeoutMs, 5000
o.MaxRetries = -1
CheckFailure "MaxRetries = -1", o, o.LastStatus, 2, "max_retries"
o.MaxRetries = 0
CheckEq "MaxRetries set", o.MaxRetries, 0
o.Encoding = "xml"
CheckFailure "Encoding = xml", o, o.LastStatus, 2, "encoding"
o.Encoding = "json"
CheckEq "Encoding set", o.Encoding, "json"
o.Encoding = "MULTIPART"
CheckEq "Encoding set (any case)", o.Encoding, "multipart"
o.OAuthUrl = "not a url"
CheckFailure "OAuthUrl = not a url", o, o.LastStatus, 2, "oauth_url"
o.OAuthUrl = url & "/oauth/token"
CheckEq "OAuthUrl set", o.OAuthUrl, url & "/oauth/token"
o.ExtraCaFile = "C:\no\such\ca.pem"
CheckFailure "ExtraCaFile = a missing file", o, o.LastStatus, 2, "extra_ca_file"
CheckEq "ExtraCaFile kept after a failed set", o.ExtraCaFile, ""
o.ExtraCaFile = ""
CheckEq "ExtraCaFile = """" (none)", o.ExtraCaFile, ""

' --- the seeds' calls -------------------------------------------------------------------------
CheckSuccess "seed 000: WebinarLivestreamStatus start with settings", o, _
  o.WebinarLivestreamStatus(WEBINAR, "start", SEED_WEBINAR_SETTINGS)
CheckSuccess "seeds 001-003: MeetingLivestreamStatus start with settings", o, _
  o.MeetingLivestreamStatus(MEETING, "start", SEED_MEETING_SETTINGS)
CheckSuccess "seed 004: MeetingLivestreamUpdate", o, _
  o.MeetingLivestreamUpdate(MEETING, "aute", "officia", "https://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi")
CheckSuccess "MeetingLivestreamStatus stop (no settings)", o, o.MeetingLivestreamStatus(MEETING, "stop")
CheckSuccess "WebinarLivestreamStatus STOP, settings """"", o, o.WebinarLivestreamStatus(WEBINAR, "STOP", "")

' The seeds' corrupted values are refused before anything is sent.
CheckFailure "the seeds' start{...} settings", o, _
  o.MeetingLivestreamStatus(MEETING, "start", "start" & SEED_MEETING_SETTINGS), 2, "settings"
CheckFailure "the seeds' start{...} settings (webinar)", o, _
  o.WebinarLivestreamStatus(WEBINAR, "start", "start" & SEED_WEBINAR_SETTINGS), 2, "settings"
CheckFailure "the seed's glued page_url", o, _
  o.MeetingLivestreamUpdate(MEETING, "aute", "officia", "auteofficiahttps://IBrRnEbZoeJwPd.ixq"), 2, "page_url"
CheckFailure "action = go", o, o.MeetingLivestreamStatus(MEETING, "go"), 2, "action"
CheckFailure "resolution = 4k", o, o.MeetingLivestreamUpdate(MEETING, "rtmp://a/b", "k", "https://example.com/", "4k"), 2, "resolution"

' --- Zoom's failures: statuses, never COM errors --------------------------------------------------
On Error Resume Next
s = o.MeetingLivestreamStatus(UNKNOWN_MEETING, "stop")
CheckEq "an API failure raises no COM error", Err.Number, 0
On Error GoTo 0
CheckFailure "an unknown meeting", o, s, 7, ""
CheckEq "an unknown meeting: LastHttpStatus", o.LastHttpStatus, 404
CheckEq "an unknown meeting: LastZoomCode", o.LastZoomCode, 3001
Check "an unknown meeting: LastTrackingId (" & o.LastTrackingId & ")", Len(o.LastTrackingId) > 0
CheckEq "an unknown meeting: LastRetryAfterMs", o.LastRetryAfterMs, -1
' A webinar that does not exist: Zoom answers code 3001 (with HTTP 400 or 404), which is
' NOT_FOUND (7), as in the C API.
s = o.WebinarLivestreamGet("99999999999")
CheckFailure "an unknown webinar", o, s, 7, ""
Check "an unknown webinar: LastHttpStatus 400 or 404 (got " & o.LastHttpStatus & ")", _
  o.LastHttpStatus = 400 Or o.LastHttpStatus = 404
CheckEq "an unknown webinar: LastStatus", o.LastStatus, s
CheckEq "an unknown webinar: LastZoomCode", o.LastZoomCode, 3001
CheckEq "an unknown webinar: LastErrorField", o.LastErrorField, ""
CheckSuccess "a success after a failure clears Last*", o, o.MeetingLivestreamStatus(MEETING, "stop")

' --- a rate limit: status 8, HTTP 429, Retry-After in LastRetryAfterMs ----------------------------
Dim limited
Set limited = CreateObject("ZoomLive.Client")
limited.UseAccessToken TOKEN
limited.BaseUrl = cooldownUrl & "/v2"
CheckSuccess "start (rate-limited emulator)", limited, limited.MeetingLivestreamStatus(MEETING, "start")
CheckSuccess "stop (rate-limited emulator)", limited, limited.MeetingLivestreamStatus(MEETING, "stop")
CheckFailure "a second start within the cooldown", limited, limited.MeetingLivestreamStatus(MEETING, "start"), 8, ""
CheckEq "rate limited: LastHttpStatus", limited.LastHttpStatus, 429
Check "rate limited: LastRetryAfterMs is the wait, about 600 s (got " & limited.LastRetryAfterMs & ")", _
  limited.LastRetryAfterMs > 590000 And limited.LastRetryAfterMs <= 600000
text = limited.LastRateLimit
Check "rate limited: LastRateLimit is type;category;limit;remaining (got " & text & ")", _
  UBound(Split(text, ";")) = 3 And Len(text) > 3
CheckSuccess "a success clears LastRetryAfterMs to -1 and LastRateLimit", limited, limited.MeetingLivestreamGet(MEETING)
Set limited = Nothing

' --- missing scopes: LastMissingScopes -------------------------------------------------------------
Set limited = CreateObject("ZoomLive.Client")
limited.UseAccessToken TOKEN
limited.BaseUrl = scopesUrl & "/v2"
CheckFailure "a token without the scopes", limited, limited.MeetingLivestreamStatus(MEETING, "stop"), 6, ""
CheckEq "missing scopes: LastZoomCode", limited.LastZoomCode, 4700
CheckEq "missing scopes: LastMissingScopes", limited.LastMissingScopes, "meeting:write:admin,meeting:write"
Set limited = Nothing

' --- non-ASCII text arrives intact (the runner checks the emulator's log) ------------------------
settings = "{""display_name"":""Caf" & Chr(233) & " " & Chr(128) & " com-" & label & """}"
CheckSuccess "display name with non-ASCII characters", o, o.MeetingLivestreamStatus(MEETING, "start", settings)
CheckSuccess "and stop again", o, o.MeetingLivestreamStatus(MEETING, "stop")

' --- ids as numbers ------------------------------------------------------------------------------
CheckSuccess "meeting id as a Long (VT_I4)", o, o.MeetingLivestreamStatus(68423085, "stop")
CheckEq "an 11-digit literal is a Double", TypeName(91234567890), "Double"
CheckSuccess "webinar id as a Double (VT_R8)", o, o.WebinarLivestreamStatus(91234567890, "stop")
CheckSuccess "meeting id as a Currency (VT_CY)", o, o.MeetingLivestreamStatus(CCur(68423085), "stop")
CheckSuccess "webinar id as a Currency (VT_CY)", o, o.WebinarLivestreamGet(CCur("91234567890"))
mid = 68423085
CheckSuccess "meeting id in a variable (VT_VARIANT | VT_BYREF)", o, o.MeetingLivestreamGet(mid)
mid = MEETING
CheckSuccess "meeting id as text in a variable (a BSTR by reference)", o, o.MeetingLivestreamGet(mid)
mid = CDbl(91234567890)
CheckSuccess "webinar id in a Double variable", o, o.WebinarLivestreamGet(mid)
CheckFailure "meeting id 68423085.5", o, o.MeetingLivestreamStatus(68423085.5, "stop"), 2, "meeting_id"
CheckFailure "meeting id CCur(68423085.25)", o, o.MeetingLivestreamStatus(CCur(68423085.25), "stop"), 2, "meeting_id"
CheckFailure "meeting id -5", o, o.MeetingLivestreamStatus(-5, "stop"), 2, "meeting_id"
CheckFailure "meeting id True", o, o.MeetingLivestreamStatus(True, "stop"), 2, "meeting_id"
CheckFailure "meeting id Null", o, o.MeetingLivestreamStatus(Null, "stop"), 2, "meeting_id"
CheckFailure "meeting id an object", o, o.MeetingLivestreamStatus(o2, "stop"), 2, "meeting_id"
CheckFailure "meeting id ""12ab""", o, o.MeetingLivestreamStatus("12ab", "stop"), 2, "meeting_id"
CheckFailure "webinar id 0", o, o.WebinarLivestreamStatus(0, "stop"), 2, "webinar_id"
CheckFailure "settings as a number", o, o.MeetingLivestreamStatus(MEETING, "start", 5), 2, "settings"

' --- GET fills the properties --------------------------------------------------------------------
CheckSuccess "MeetingLivestreamUpdate with resolution", o, _
  o.MeetingLivestreamUpdate(68423085, "rtmp://a.rtmp.youtube.com/live2", "key-" & label, "https://example.com/live", "1080p")
CheckSuccess "MeetingLivestreamGet", o, o.MeetingLivestreamGet(MEETING)
CheckEq "StreamUrl", o.StreamUrl, "rtmp://a.rtmp.youtube.com/live2"
CheckEq "StreamKey", o.StreamKey, "key-" & label
CheckEq "PageUrl", o.PageUrl, "https://example.com/live"
CheckEq "Resolution", o.Resolution, "1080p"
text = o.LivestreamJson
Check "LivestreamJson (" & text & ")", InStr(text, """stream_key"":""key-" & label & """") > 0 _
  And InStr(text, """stream_url"":""rtmp://a.rtmp.youtube.com/live2""") > 0 And Left(text, 1) = "{"
CheckSuccess "WebinarLivestreamUpdate", o, _
  o.WebinarLivestreamUpdate(91234567890, "rtmp://w.example.com/live", "wkey-" & label, "https://example.com/w", "720p")
CheckSuccess "WebinarLivestreamGet", o, o.WebinarLivestreamGet(WEBINAR)
CheckEq "StreamUrl (webinar)", o.StreamUrl, "rtmp://w.example.com/live"
CheckEq "StreamKey (webinar)", o.StreamKey, "wkey-" & label
CheckEq "Resolution (webinar)", o.Resolution, "720p"
CheckFailure "a failed GET", o, o.MeetingLivestreamGet(UNKNOWN_MEETING), 7, ""
CheckEq "a failed GET empties StreamUrl", o.StreamUrl, ""
CheckEq "a failed GET empties LivestreamJson", o.LivestreamJson, ""

' --- two objects keep their own Last* ---------------------------------------------------------
CheckSuccess "second object: UseAccessToken", o2, o2.UseAccessToken(TOKEN)
o2.BaseUrl = url & "/v2"
CheckFailure "first object fails", o, o.MeetingLivestreamStatus(UNKNOWN_MEETING, "stop"), 7, ""
CheckSuccess "second object succeeds", o2, o2.MeetingLivestreamGet(MEETING)
CheckEq "first object kept its LastStatus", o.LastStatus, 7
CheckEq "first object kept its LastHttpStatus", o.LastHttpStatus, 404
CheckFailure "second object fails", o2, o2.MeetingLivestreamStatus("abc", "stop"), 2, "meeting_id"
CheckSuccess "first object succeeds", o, o.MeetingLivestreamGet(MEETING)
CheckEq "second object kept its LastErrorField", o2.LastErrorField, "meeting_id"
CheckEq "second object's GET properties are its own", o2.StreamUrl, "rtmp://a.rtmp.youtube.com/live2"

' --- Server-to-Server OAuth ------------------------------------------------------------------------
Set s2s = CreateObject("ZoomLive.Client")
CheckFailure "UseServerToServer with ':' in the client id", s2s, s2s.UseServerToServer("demo-account", "demo:client", "demo-secret"), 2, "client_id"
CheckSuccess "UseServerToServer", s2s, s2s.UseServerToServer("demo-account", "demo-client", "demo-secret")
s2s.BaseUrl = url & "/v2"
s2s.OAuthUrl = url & "/oauth/token"
CheckSuccess "a call with a Server-to-Server token", s2s, s2s.MeetingLivestreamGet(MEETING)
Set bad = CreateObject("ZoomLive.Client")
bad.UseServerToServer "demo-account", "demo-client", "wrong-secret"
bad.BaseUrl = url & "/v2"
bad.OAuthUrl = url & "/oauth/token"
CheckFailure "OAuth refused", bad, bad.MeetingLivestreamGet(MEETING), 6, ""
Check "OAuth refused: the secret is not in LastErrorText", InStr(bad.LastErrorText, "wrong-secret") = 0
Set bad = CreateObject("ZoomLive.Client")
bad.UseAccessToken "not-the-emulators-token"
bad.BaseUrl = url & "/v2"
CheckFailure "a refused token", bad, bad.MeetingLivestreamGet(MEETING), 6, ""
CheckEq "a refused token: LastHttpStatus", bad.LastHttpStatus, 401
Check "a refused token is not in LastErrorText", InStr(bad.LastErrorText, "not-the-emulators-token") = 0
Set bad = CreateObject("ZoomLive.Client")
bad.UseAccessToken TOKEN
bad.BaseUrl = "http://127.0.0.1:9/v2"
bad.ConnectTimeoutMs = 2000
CheckFailure "nothing listening", bad, bad.MeetingLivestreamGet(MEETING), 4, ""

' --- late binding: names in any case; only unknown names and argument counts are COM errors --------
CheckEq "lastSTATUS (any case)", o.lastSTATUS, 0
CheckSuccess "usEACCESStoken (any case)", o, o.usEACCESStoken(TOKEN)
On Error Resume Next
Err.Clear
s = o.NoSuchMember
CheckEq "an unknown member: error 438 (DISP_E_UNKNOWNNAME)", Err.Number, 438
Err.Clear
o.UseAccessToken
CheckEq "UseAccessToken without arguments: error 450 (DISP_E_BADPARAMCOUNT)", Err.Number, 450
Err.Clear
s = o.MeetingLivestreamStatus(MEETING)
CheckEq "MeetingLivestreamStatus with 1 argument: error 450", Err.Number, 450
Err.Clear
s = o.MeetingLivestreamUpdate(MEETING, "a", "b", "https://example.com/", "720p", "extra")
CheckEq "MeetingLivestreamUpdate with 6 arguments: error 450", Err.Number, 450
Err.Clear
s = o.LastStatus(1)
CheckEq "a property with an argument: error 450", Err.Number, 450
Err.Clear
o.LastStatus = 5
Check "assigning a read-only property fails (error " & Err.Number & ")", Err.Number <> 0
Err.Clear
On Error GoTo 0
CheckEq "LastStatus unchanged by the refused assignment", o.LastStatus, 0

Set o = Nothing
Set o2 = Nothing
Set s2s = Nothing
Set bad = Nothing
Summary
