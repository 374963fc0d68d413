{ Sets where a Zoom meeting streams to, with zoomlive (PATCH
  /v2/meetings/:meetingId/livestream).

  Replaces seed 004 (Delphi, Chilkat DLL API; see examples/README.md). It sends the
  values the seed meant to send (its Postman JSON: the Chilkat code glued the
  previous values onto page_url, "auteofficiahttps://...", which zoomlive refuses as
  not a URL) and, on failure, shows what the seed showed: the response status code,
  Zoom's answer, then 'Failed.'. The message never holds the token (Chilkat's
  LastErrorText did).

  Delphi: add ZoomLive.pas to the project, put zoomlive.dll (32- or 64-bit, as the
  program) beside the .exe. In a VCL form, Log becomes Memo1.Lines.Add.
  Free Pascal: fpc -Mdelphi -Fl<dir of libzoomlive.so> UpdateLiveStream.dpr
  Run: set ZOOM_ACCESS_TOKEN (and ZOOM_BASE_URL for the emulator), then
       UpdateLiveStream [meetingId] }
program UpdateLiveStream;

{$IFDEF FPC}{$MODE DELPHI}{$ENDIF}
{$IFDEF MSWINDOWS}{$APPTYPE CONSOLE}{$ENDIF}

uses
  SysUtils, ZoomLive;

procedure Log(const S: UTF8String);
begin
  WriteLn(S);
end;

function Failed(Status: TZoomLiveStatus): Integer;
begin
  Log('Error: ' + UTF8String(zoomlive_status_str(Status)));
  if zoomlive_last_http_status <> 0 then
  begin
    Log('Response Status Code = ' + UTF8String(IntToStr(zoomlive_last_http_status)));
    Log('Zoom error code = ' + UTF8String(IntToStr(zoomlive_last_zoom_code)));
    Log('Tracking id = ' + ZoomLiveLastTrackingId);
  end;
  Log(ZoomLiveLastErrorMessage);
  Log('Failed.');
  Result := 1;
end;

function Run: Integer;
var
  Client: PZoomLiveClient;
  Status: TZoomLiveStatus;
  MeetingId, Token, BaseUrl: UTF8String;
begin
  MeetingId := '68423085';
  if ParamCount > 0 then
    MeetingId := UTF8String(ParamStr(1));
  Token := UTF8String(GetEnvironmentVariable('ZOOM_ACCESS_TOKEN'));
  BaseUrl := UTF8String(GetEnvironmentVariable('ZOOM_BASE_URL'));

  Status := zoomlive_client_new(PAnsiChar(Token), Client);
  if Status <> ZOOMLIVE_STATUS_OK then
    Exit(Failed(Status));
  try
    if BaseUrl <> '' then
    begin
      Status := zoomlive_client_set_base_url(Client, PAnsiChar(BaseUrl));
      if Status <> ZOOMLIVE_STATUS_OK then
        Exit(Failed(Status));
    end;
    Status := zoomlive_meeting_livestream_update(Client, PAnsiChar(MeetingId),
      'aute', 'officia', 'https://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi', nil);
    if Status <> ZOOMLIVE_STATUS_OK then
      Exit(Failed(Status));
    Log('Success.');
    Result := 0;
  finally
    zoomlive_client_free(Client);
  end;
end;

begin
  ExitCode := Run;
end.
