' RunBatch from VBScript, as a FoxPro or SQL Server (sp_OACreate) job calls it: a CSV
' written the way FoxPro's COPY TO ... TYPE CSV writes it (ANSI code page, quoted text,
' T/F, CRLF, the DOS end-of-file byte), a results CSV out, the status and the Batch*
' counts afterwards; a bad row refused before anything is sent. Run by
' tests/windows/com/run.sh with cscript //nologo, in both bitnesses, after regsvr32:
'
'   cscript //nologo batch.vbs EMULATOR_URL LABEL
'
' Prints "ok - ..." / "not ok - ..." lines and, last, "com-batch-LABEL: N passed, M failed".
Option Explicit

Const TOKEN = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
Const MEETING = "68423085"
Const WEBINAR = "91234567890"
Const UNKNOWN_MEETING = "1234567890"

Dim url, label, passed, failed, fso, dir, zl, rc, f, text
url = WScript.Arguments(0)
label = WScript.Arguments(1)
passed = 0
failed = 0

Sub Check(name, cond)
  If cond Then
    passed = passed + 1
    WScript.Echo "ok - batch-" & label & ": " & name
  Else
    failed = failed + 1
    WScript.Echo "not ok - batch-" & label & ": " & name
  End If
End Sub

Function Q(s)
  Q = """" & s & """"
End Function

Set fso = CreateObject("Scripting.FileSystemObject")
dir = "C:\zoomlive\tests\batch-" & label
If Not fso.FolderExists(dir) Then fso.CreateFolder dir
If fso.FileExists(dir & "\results.csv") Then fso.DeleteFile dir & "\results.csv"
If fso.FileExists(dir & "\bad-results.csv") Then fso.DeleteFile dir & "\bad-results.csv"

' COPY TO streams.csv TYPE CSV: every column on every row, in the ANSI code page.
Set f = fso.CreateTextFile(dir & "\streams.csv", True, False)
f.Write "op,kind,id,display_name,active_speaker_name,layout,key" & vbCrLf
f.Write Q("start") & "," & Q("meeting") & "," & MEETING & "," & Q("Caf" & Chr(233) & " batch-" & label) & ",T," & Q("") & "," & Q("r1") & vbCrLf
f.Write Q("stop") & "," & Q("meeting") & "," & MEETING & "," & Q("") & ",F," & Q("") & "," & Q("r2") & vbCrLf
f.Write Q("get") & "," & Q("webinar") & "," & WEBINAR & "," & Q("") & ",F," & Q("") & "," & Q("r3") & vbCrLf
f.Write Q("start") & "," & Q("meeting") & "," & UNKNOWN_MEETING & "," & Q("") & ",F," & Q("") & "," & Q("r4") & vbCrLf
f.Write Chr(26)
f.Close

Set zl = CreateObject("ZoomLive.Client")
zl.BaseUrl = url & "/v2"
zl.UseAccessToken TOKEN

rc = zl.RunBatch(dir & "\streams.csv", dir & "\results.csv", "{""rate"":100}")
Check "RunBatch returns 13 when a row failed (got " & rc & ")", rc = 13
Check "LastStatus is 13", zl.LastStatus = 13
Check "LastMethodSuccess is False", Not zl.LastMethodSuccess
Check "LastErrorText gives the counts (" & zl.LastErrorText & ")", InStr(zl.LastErrorText, "3 ok, 1 failed") > 0
Check "BatchOk = 3 (got " & zl.BatchOk & ")", zl.BatchOk = 3
Check "BatchFailed = 1", zl.BatchFailed = 1
Check "BatchDeferred = 0", zl.BatchDeferred = 0
Check "BatchSkipped = 0", zl.BatchSkipped = 0
text = ""
If fso.FileExists(dir & "\results.csv") Then text = fso.OpenTextFile(dir & "\results.csv").ReadAll
Check "the results file starts with its header", Left(text, 36) = "index,key,op,kind,id,outcome,http_st"
Check "row 1 ok", InStr(text, vbCrLf & "1,r1,start,meeting," & MEETING & ",ok,") > 0
Check "row 4 failed: 404, Zoom code 3001, not_found", InStr(text, vbCrLf & "4,r4,start,meeting," & UNKNOWN_MEETING & ",failed,404,3001,not_found,") > 0
Check "no token in the results file", InStr(text, "FAKE-ZOOM-TOKEN") = 0

' Every operation ok: 0; the options argument is optional.
Set f = fso.CreateTextFile(dir & "\ok.csv", True, False)
f.Write "op,kind,id" & vbCrLf & "stop,meeting," & MEETING & vbCrLf & "get,meeting," & MEETING & vbCrLf
f.Close
rc = zl.RunBatch(dir & "\ok.csv", dir & "\ok-results.json")
Check "RunBatch returns 0 when every row is ok (got " & rc & ")", rc = 0
Check "LastMethodSuccess is True", zl.LastMethodSuccess
Check "BatchOk = 2", zl.BatchOk = 2
Check "a .json results file is JSON", Left(fso.OpenTextFile(dir & "\ok-results.json").ReadAll, 1) = "["

' A bad row: refused before anything is sent, no results file, counts zero.
Set f = fso.CreateTextFile(dir & "\bad.csv", True, False)
f.Write "op,kind,id" & vbCrLf & "begin,meeting," & MEETING & vbCrLf
f.Close
rc = zl.RunBatch(dir & "\bad.csv", dir & "\bad-results.csv")
Check "a bad row gives 2, invalid argument (got " & rc & ")", rc = 2
Check "LastErrorText names the row (" & zl.LastErrorText & ")", InStr(zl.LastErrorText, "(row 1)") > 0
Check "LastErrorField is op", zl.LastErrorField = "op"
Check "BatchOk = 0 after a refused batch", zl.BatchOk = 0
Check "no results file for a refused batch", Not fso.FileExists(dir & "\bad-results.csv")
rc = zl.RunBatch(dir & "\ok.csv", dir & "\x.csv", "{""concurrency"":0}")
Check "bad options give 2 (got " & rc & ")", rc = 2

WScript.Echo "com-batch-" & label & ": " & passed & " passed, " & failed & " failed"
