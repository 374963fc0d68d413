{ zoomlive's C ABI (include/zoomlive.h) for Delphi and Free Pascal ($mode delphi).

  The 32-bit zoomlive.dll uses stdcall and exports plain names (zoomlive_version,
  not _zoomlive_version@0), so `stdcall; external 'zoomlive.dll'` finds them; 64-bit
  Windows and other systems use the C convention (cdecl). Text goes in as
  NUL-terminated UTF-8: pass PAnsiChar(UTF8String(S)). Text comes out through your
  buffer (see ZoomLiveLastErrorMessage), so you never free memory zoomlive owns. }
unit ZoomLive;

{$IFDEF FPC}{$MODE DELPHI}{$ENDIF}

interface

const
{$IFDEF MSWINDOWS}
  ZoomLiveLib = 'zoomlive.dll';
{$ELSE}
  ZoomLiveLib = 'zoomlive'; { libzoomlive.so }
{$ENDIF}

  ZOOMLIVE_STATUS_OK = 0;
  ZOOMLIVE_STATUS_NULL_ARGUMENT = 1;
  ZOOMLIVE_STATUS_INVALID_ARGUMENT = 2;
  ZOOMLIVE_STATUS_INVALID_UTF8 = 3;
  ZOOMLIVE_STATUS_TRANSPORT = 4;
  ZOOMLIVE_STATUS_TIMEOUT = 5;
  ZOOMLIVE_STATUS_AUTH = 6;
  ZOOMLIVE_STATUS_NOT_FOUND = 7;
  ZOOMLIVE_STATUS_RATE_LIMITED = 8;
  ZOOMLIVE_STATUS_API_ERROR = 9;
  ZOOMLIVE_STATUS_BUFFER_TOO_SMALL = 10;
  ZOOMLIVE_STATUS_PANIC = 11;

type
  TZoomLiveStatus = Integer;        { int32_t }
  TZoomLiveSize = NativeUInt;       { size_t }
  PZoomLiveClient = type Pointer;   { zoomlive_client * }

function zoomlive_client_new(AccessToken: PAnsiChar; out Client: PZoomLiveClient): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_client_new_s2s(AccountId, ClientId, ClientSecret: PAnsiChar;
  out Client: PZoomLiveClient): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
procedure zoomlive_client_free(Client: PZoomLiveClient);
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_client_set_base_url(Client: PZoomLiveClient; Url: PAnsiChar): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_client_set_oauth_url(Client: PZoomLiveClient; Url: PAnsiChar): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_client_set_encoding(Client: PZoomLiveClient; Encoding: PAnsiChar): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_client_set_timeout_ms(Client: PZoomLiveClient; Ms: Cardinal): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_client_set_connect_timeout_ms(Client: PZoomLiveClient; Ms: Cardinal): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_client_set_max_retries(Client: PZoomLiveClient; Retries: Cardinal): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;

function zoomlive_meeting_livestream_status(Client: PZoomLiveClient;
  MeetingId, Action, SettingsJson: PAnsiChar): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_webinar_livestream_status(Client: PZoomLiveClient;
  WebinarId, Action, SettingsJson: PAnsiChar): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_meeting_livestream_update(Client: PZoomLiveClient;
  MeetingId, StreamUrl, StreamKey, PageUrl, Resolution: PAnsiChar): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_webinar_livestream_update(Client: PZoomLiveClient;
  WebinarId, StreamUrl, StreamKey, PageUrl, Resolution: PAnsiChar): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_meeting_livestream_get(Client: PZoomLiveClient; MeetingId: PAnsiChar;
  Buf: PAnsiChar; Cap: TZoomLiveSize; out Needed: TZoomLiveSize): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_webinar_livestream_get(Client: PZoomLiveClient; WebinarId: PAnsiChar;
  Buf: PAnsiChar; Cap: TZoomLiveSize; out Needed: TZoomLiveSize): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;

{ The details of the last failed call on the calling thread. }
function zoomlive_last_status: TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_last_http_status: Integer;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_last_zoom_code: Int64;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_last_retry_after_ms: Int64;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_last_error_message(Buf: PAnsiChar; Cap: TZoomLiveSize;
  out Needed: TZoomLiveSize): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_last_error_field(Buf: PAnsiChar; Cap: TZoomLiveSize;
  out Needed: TZoomLiveSize): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_last_tracking_id(Buf: PAnsiChar; Cap: TZoomLiveSize;
  out Needed: TZoomLiveSize): TZoomLiveStatus;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_status_str(Status: TZoomLiveStatus): PAnsiChar;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;
function zoomlive_version: PAnsiChar;
  {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external ZoomLiveLib;

{ The last error's message, field and tracking id as UTF-8 text: each asks for the
  size, then copies with a buffer that fits. }
function ZoomLiveLastErrorMessage: UTF8String;
function ZoomLiveLastErrorField: UTF8String;
function ZoomLiveLastTrackingId: UTF8String;

implementation

type
  TTextGetter = function(Buf: PAnsiChar; Cap: TZoomLiveSize; out Needed: TZoomLiveSize): TZoomLiveStatus;
    {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF};

function ReadText(Getter: TTextGetter): UTF8String;
var
  Needed: TZoomLiveSize;
begin
  Result := '';
  Getter(nil, 0, Needed);           { ZOOMLIVE_STATUS_BUFFER_TOO_SMALL, Needed set }
  SetLength(Result, Needed);        { Needed counts the NUL }
  if Getter(PAnsiChar(Result), Needed, Needed) = ZOOMLIVE_STATUS_OK then
    SetLength(Result, Needed - 1)
  else
    Result := '';
end;

function ZoomLiveLastErrorMessage: UTF8String;
begin
  Result := ReadText(zoomlive_last_error_message);
end;

function ZoomLiveLastErrorField: UTF8String;
begin
  Result := ReadText(zoomlive_last_error_field);
end;

function ZoomLiveLastTrackingId: UTF8String;
begin
  Result := ReadText(zoomlive_last_tracking_id);
end;

end.
