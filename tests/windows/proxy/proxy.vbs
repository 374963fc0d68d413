' ZoomLive.Client behind proxies, as FoxPro and VBScript use it: run by
' tests/windows/proxy/run.sh with cscript //nologo in both bitnesses, after regsvr32,
' with the open squid port written into the prefix's Internet Options.
'
'   cscript //nologo proxy.vbs API_URL CA_PATH LABEL OPEN_PROXY NTLM_PROXY USER PASSWORD
'
' Prints "ok - ..." / "not ok - ..." lines and, last, "com-proxy-LABEL: N passed, M failed".
Option Explicit

Dim api, ca, label, openProxy, ntlmProxy, user, password, passed, failed, z, s
api = WScript.Arguments(0)
ca = WScript.Arguments(1)
label = WScript.Arguments(2)
openProxy = WScript.Arguments(3)
ntlmProxy = WScript.Arguments(4)
user = WScript.Arguments(5)
password = WScript.Arguments(6)
passed = 0
failed = 0

Sub Check(name, cond)
  If cond Then
    passed = passed + 1
    WScript.Echo "ok - " & label & ": " & name
  Else
    failed = failed + 1
    WScript.Echo "not ok - " & label & ": " & name & " (LastStatus " & z.LastStatus & ": " & z.LastErrorText & ")"
  End If
End Sub

Function Fresh()
  Dim o
  Set o = CreateObject("ZoomLive.Client")
  o.UseAccessToken "eyJ-wine-com-proxy-token"
  o.BaseUrl = api
  o.ExtraCaFile = ca
  o.TimeoutMs = 20000
  Set Fresh = o
End Function

' Nothing set by the script: Internet Options' proxy carries the call.
Set z = Fresh()
Check "UseSystemProxy defaults to True", z.UseSystemProxy = True
Check "ProxyAuthMethod defaults to auto", z.ProxyAuthMethod = "auto"
s = z.MeetingLivestreamStatus("68423085", "stop")
Check "the call goes through Internet Options' proxy", s = 0
' UseSystemProxy = .F.: direct, and the API's name resolves only in the proxy.
z.UseSystemProxy = False
Check "UseSystemProxy reads back False", z.UseSystemProxy = False
s = z.MeetingLivestreamStatus("68423085", "stop")
Check "direct with UseSystemProxy = False: a transport error (4)", s = 4

' An explicit proxy, with the password never read back.
Set z = Fresh()
z.UseSystemProxy = False
z.Proxy = "http://" & openProxy
Check "Proxy reads back", z.Proxy = "http://" & openProxy
s = z.MeetingLivestreamStatus("68423085", "stop")
Check "the call goes through the explicit proxy", s = 0
z.Proxy = "direct"
s = z.MeetingLivestreamStatus("68423085", "stop")
Check "Proxy = direct: a transport error (4)", s = 4

' NTLM with explicit credentials against the proxy that checks the password.
Set z = Fresh()
z.Proxy = ntlmProxy
z.ProxyLogin = user
z.ProxyPassword = password
z.ProxyAuthMethod = "ntlm"
Check "ProxyPassword reads back empty", z.ProxyPassword = ""
Check "ProxyLogin reads back", z.ProxyLogin = user
s = z.MeetingLivestreamStatus("68423085", "stop")
Check "NTLM with the right password", s = 0
z.ProxyPassword = "Wr0ng-Passw0rd"
s = z.MeetingLivestreamStatus("68423085", "stop")
Check "a wrong password: LastStatus 12 (ProxyAuth)", s = 12 And z.LastStatus = 12
Check "the message names the proxy, not the password", _
  InStr(z.LastErrorText, Mid(ntlmProxy, 8)) > 0 And InStr(z.LastErrorText, "Wr0ng") = 0
z.ProxyAuthMethod = "kerberos"
Check "ProxyAuthMethod refuses an unknown scheme", z.LastStatus = 2 And z.ProxyAuthMethod = "ntlm"

WScript.Echo "com-proxy-" & label & ": " & passed & " passed, " & failed & " failed"
