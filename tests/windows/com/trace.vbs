' The trace on the ZoomLive.Client object (issue 19 §2-3): LastTrace after a success and
' a failure, "" after an argument refused before anything ran, TraceFile appending each
' call's trace, and Doctor() with its JSON in LastTrace. Run by tests/windows/com/run.sh
' in both bitnesses against the emulator:
'
'   cscript //nologo trace.vbs EMULATOR_URL LABEL TRACE_FILE
'
' Prints "ok - ..." / "not ok - ..." lines and, last, "trace-LABEL: N passed, M failed".
Option Explicit

Const TOKEN = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
Const MEETING = "68423085"

Dim url, label, traceFile, passed, failed
url = WScript.Arguments(0)
label = WScript.Arguments(1)
traceFile = WScript.Arguments(2)
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

Function Has(text, part)
  Has = (InStr(1, text, part, vbBinaryCompare) > 0)
End Function

Dim z, t, status, fso, f, logText
Set z = CreateObject("ZoomLive.Client")
z.BaseUrl = url & "/v2"
Check "LastTrace is empty before any call", z.LastTrace = ""
z.UseAccessToken TOKEN

status = z.MeetingLivestreamStatus(MEETING, "start")
t = z.LastTrace
Check "a success: status 0", status = 0
Check "a success: the request line", Has(t, " request PATCH /v2/meetings/" & MEETING & "/livestream/status")
Check "a success: Authorization redacted", Has(t, " header Authorization: Bearer <redacted>")
Check "a success: the answer", Has(t, " answer 204 ")
Check "a success: the outcome", Has(t, " outcome ok total_ms=")
Check "no token in the trace", Not Has(t, TOKEN)

status = z.MeetingLivestreamGet("1234")
t = z.LastTrace
Check "a failure: status 7", status = 7
Check "a failure: the answer body", Has(t, " answer-body ") And Has(t, "1234")
Check "a failure: the outcome", Has(t, " outcome failed kind=not_found")

status = z.MeetingLivestreamStatus("12x", "start")
Check "a refused argument: status 2", status = 2
Check "a refused argument: LastTrace is empty", z.LastTrace = ""

' TraceFile: every call's trace is appended; "" turns it off.
z.TraceFile = traceFile
Check "TraceFile reads back", z.TraceFile = traceFile
status = z.MeetingLivestreamStatus(MEETING, "stop")
status = z.MeetingLivestreamGet(MEETING)
z.TraceFile = ""
status = z.MeetingLivestreamStatus(MEETING, "start")
Set fso = CreateObject("Scripting.FileSystemObject")
Check "the trace file exists", fso.FileExists(traceFile)
If fso.FileExists(traceFile) Then
  Set f = fso.OpenTextFile(traceFile, 1)
  logText = f.ReadAll
  f.Close
  Check "two calls appended", (Len(logText) - Len(Replace(logText, "=== ", ""))) / 4 = 2
  Check "the appended calls", Has(logText, " request PATCH ") And Has(logText, " request GET ")
  Check "no token in the file", Not Has(logText, TOKEN)
End If

' Doctor(): the JSON of the checks in LastTrace.
status = z.Doctor()
t = z.LastTrace
Check "Doctor: status 0", status = 0
Check "Doctor: a JSON array", Left(t, 1) = "[" And Right(t, 1) = "]"
Check "Doctor: the token check", Has(t, """check"":""token"",""status"":""ok""")
Check "Doctor: LastMethodSuccess", z.LastMethodSuccess
z.BaseUrl = "http://127.0.0.1:9/v2"
status = z.Doctor()
Check "Doctor on a dead host: status 9", status = 9
Check "Doctor on a dead host: a failed check", Has(z.LastTrace, """status"":""fail""")

WScript.Echo "trace-" & label & ": " & passed & " passed, " & failed & " failed"
