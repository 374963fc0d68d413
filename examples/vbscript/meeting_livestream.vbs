' Starts a meeting's live stream with settings, sets where it streams to, reads that back
' and stops the stream, with the ZoomLive.Client COM object in zoomlive.dll.
'
'   regsvr32 zoomlive.dll                      (once, as administrator; or, for the
'                                               current user only: regsvr32 /n /i:user zoomlive.dll)
'   set ZOOM_ACCESS_TOKEN=eyJ...
'   set ZOOM_BASE_URL=http://127.0.0.1:8085/v2 (optional: the emulator)
'   cscript //nologo meeting_livestream.vbs [meeting id]
'
' Run it with the cscript of the DLL's bitness: C:\Windows\SysWOW64\cscript.exe for the
' 32-bit (x86) zoomlive.dll on 64-bit Windows, C:\Windows\System32\cscript.exe for x64.
' Every method returns a status (0 = OK, the numbers of zoomlive_status in zoomlive.h);
' after a call, the Last* properties describe it. Nothing here prints the token.
Option Explicit

Dim env, zoom, meetingId, baseUrl

Set env = CreateObject("WScript.Shell").Environment("PROCESS")
meetingId = "68423085"
If WScript.Arguments.Count > 0 Then meetingId = WScript.Arguments(0)

Set zoom = CreateObject("ZoomLive.Client")
Check zoom.UseAccessToken(env("ZOOM_ACCESS_TOKEN"))
baseUrl = env("ZOOM_BASE_URL")
If baseUrl <> "" Then
  zoom.BaseUrl = baseUrl
  ' A property set that fails keeps the old value and fills the Last* properties.
  Check zoom.LastStatus
End If

' Seeds 001-003: start the stream with the settings they meant to send.
Check zoom.MeetingLivestreamStatus(meetingId, "start", _
  "{""active_speaker_name"":false,""display_name"":""dolore ullamco irur""}")
WScript.Echo "Live stream started."
Check zoom.MeetingLivestreamStatus(meetingId, "stop")
Check zoom.MeetingLivestreamUpdate(meetingId, "rtmp://a.rtmp.youtube.com/live2", _
  "example-stream-key", "https://example.com/live", "1080p")
Check zoom.MeetingLivestreamGet(meetingId)
WScript.Echo "Stream URL: " & zoom.StreamUrl
WScript.Echo "Page URL:   " & zoom.PageUrl
WScript.Echo "Resolution: " & zoom.Resolution
WScript.Echo "Success."

' Stops at the first failure with what Chilkat's samples showed: the HTTP status code,
' Zoom's answer (here one line, without the token), then "Failed.".
Sub Check(status)
  If status = 0 Then Exit Sub
  If zoom.LastHttpStatus <> 0 Then
    WScript.Echo "Response Status Code = " & zoom.LastHttpStatus
    WScript.Echo "Zoom error code = " & zoom.LastZoomCode
    WScript.Echo "Tracking id = " & zoom.LastTrackingId
  End If
  WScript.Echo "Error " & status & ": " & zoom.LastErrorText
  WScript.Echo "Failed."
  WScript.Quit 1
End Sub
