' Prints "created" when CreateObject("ZoomLive.Client") works in this bitness, else
' "not created" and the error: tests/windows/com/run.sh uses it around unregistration.
On Error Resume Next
Dim o
Set o = CreateObject("ZoomLive.Client")
If Err.Number = 0 Then
  WScript.Echo "created " & o.Version
Else
  WScript.Echo "not created " & Err.Number
End If
