{ The Delphi-mode consumer test: Free Pascal in $mode delphi, calling libzoomlive
  through examples/delphi/ZoomLive.pas (the unit a Delphi program would use) against
  the emulator, and asking the emulator's control API what arrived.

  Usage: ConsumerTest EMULATOR_URL   (token in ZOOM_ACCESS_TOKEN, never printed;
  the header's ZOOMLIVE_VERSION in ZOOMLIVE_HEADER_VERSION). Exits 1 on any failure. }
program ConsumerTest;

{$MODE DELPHI}

uses
  SysUtils, ZoomLive, EmulatorControl;

const
  Meeting = '68423085';
  Webinar = '91234567890';
  SeedSettings = '{"active_speaker_name":false,"display_name":"dolore ullamco irur"}';
  { What the Chilkat seeds really sent: the action glued in front of the settings. }
  GluedSettings = 'start{"active_speaker_name":false,"display_name":"dolore ullamco irur"}';
  PageUrl = 'https://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi';
  { 'Zoë – café ✓' as UTF-8 bytes, independent of the source file's code page. }
  NonAscii: RawByteString = 'Zo'#$C3#$AB' '#$E2#$80#$93' caf'#$C3#$A9' '#$E2#$9C#$93;

var
  Emu: TEmulator;
  Passed, FailedCount: Integer;
  Token: RawByteString;

procedure Check(Ok: Boolean; const Name: string; const Detail: RawByteString = '');
begin
  if Ok then
  begin
    Inc(Passed);
    WriteLn('ok - ', Name);
  end
  else
  begin
    Inc(FailedCount);
    WriteLn('not ok - ', Name, ' ', Detail);
  end;
end;

function Has(const Haystack, Needle: RawByteString): Boolean;
begin
  Result := Pos(Needle, Haystack) > 0;
end;

{ "key":"value" as serde_json writes it: quotes and backslashes escaped. }
function JsonPair(const Key, Value: RawByteString): RawByteString;
begin
  Result := '"' + Key + '":"' + StringReplace(StringReplace(Value, '\', '\\', [rfReplaceAll]),
    '"', '\"', [rfReplaceAll]) + '"';
end;

function Control(const Method, Path: RawByteString; const Json: RawByteString = ''): RawByteString;
var
  Body: AnsiString;
  Code: Integer;
begin
  Code := EmulatorRequest(Emu, Method, Path, Json, Body);
  if (Code < 200) or (Code > 299) then
  begin
    WriteLn('control API ', Method, ' ', Path, ' answered ', Code);
    Halt(1);
  end;
  Result := Body;
end;

{ The request log after one call: exactly one request, as a JSON text. }
function OneRequest(const Name: string): RawByteString;
begin
  Result := Control('GET', '/_emulator/requests');
  Check((Copy(Result, 1, 1) = '[') and (Pos('"seq":', Result) > 0)
    and (Pos('"seq":', Copy(Result, Pos('"seq":', Result) + 6, MaxInt)) = 0),
    Name + ': the emulator received exactly one request', Result);
  Check(Has(Result, JsonPair('authorization', 'Bearer ***')) and not Has(Result, Token),
    Name + ': a bearer token was sent, and the log never shows it');
end;

function LastMessage: RawByteString;
begin
  Result := RawByteString(ZoomLiveLastErrorMessage);
end;

var
  Client, BadClient: PZoomLiveClient;
  Status: TZoomLiveStatus;
  Log, Msg: RawByteString;
  Buf: array[0..7] of AnsiChar;
  Big: RawByteString;
  Needed, Needed2: TZoomLiveSize;
  ApiBase: RawByteString;

begin
  Passed := 0;
  FailedCount := 0;
  if ParamCount < 1 then
  begin
    WriteLn('usage: ConsumerTest EMULATOR_URL');
    Halt(2);
  end;
  Emu.Url := ParamStr(1);
  ApiBase := Emu.Url + '/v2';
  Token := GetEnvironmentVariable('ZOOM_ACCESS_TOKEN');
  Control('POST', '/_emulator/reset');

  Check(StrPas(zoomlive_version) = GetEnvironmentVariable('ZOOMLIVE_HEADER_VERSION'),
    'zoomlive_version() equals the header''s ZOOMLIVE_VERSION', zoomlive_version);
  Check(StrPas(zoomlive_status_str(ZOOMLIVE_STATUS_NOT_FOUND)) = 'not found',
    'zoomlive_status_str(NOT_FOUND) is "not found"');

  Client := nil;
  Status := zoomlive_client_new(PAnsiChar(Token), Client);
  Check((Status = ZOOMLIVE_STATUS_OK) and (Client <> nil), 'zoomlive_client_new gives a handle');
  if Client = nil then
    Halt(1);
  Check(zoomlive_client_set_base_url(Client, PAnsiChar(ApiBase)) = ZOOMLIVE_STATUS_OK,
    'zoomlive_client_set_base_url accepts the emulator');

  { 1. Meeting live stream status: seeds 001-003, with the settings they meant. }
  Status := zoomlive_meeting_livestream_status(Client, Meeting, 'start', SeedSettings);
  Check(Status = ZOOMLIVE_STATUS_OK, 'meeting status start with settings: OK',
    RawByteString(IntToStr(Status)) + ' ' + LastMessage);
  Check(zoomlive_last_status = ZOOMLIVE_STATUS_OK, 'after a success the last status is OK');
  Log := OneRequest('meeting status');
  Check(Has(Log, JsonPair('method', 'PATCH')) and Has(Log, JsonPair('path',
    '/v2/meetings/' + Meeting + '/livestream/status')) and Has(Log, '"status":204'),
    'meeting status: PATCH /v2/meetings/68423085/livestream/status answered 204', Log);
  Check(Has(Log, JsonPair('action', 'start')) and Has(Log, JsonPair('settings', SeedSettings))
    and Has(Log, JsonPair('encoding', 'multipart')),
    'meeting status: multipart action=start and the settings JSON arrived as sent', Log);

  { 2. Webinar live stream status: seed 000. }
  Control('DELETE', '/_emulator/requests');
  Status := zoomlive_webinar_livestream_status(Client, Webinar, 'start',
    '{"active_speaker_name":false,"display_name":"reprehender"}');
  Check(Status = ZOOMLIVE_STATUS_OK, 'webinar status start with settings: OK', LastMessage);
  Log := OneRequest('webinar status');
  Check(Has(Log, JsonPair('path', '/v2/webinars/' + Webinar + '/livestream/status'))
    and Has(Log, '"status":204') and Has(Log, JsonPair('settings',
    '{"active_speaker_name":false,"display_name":"reprehender"}')),
    'webinar status: PATCH /v2/webinars/91234567890/livestream/status with its settings, 204', Log);

  { 3. Meeting live stream update: seed 004, with the page_url it meant. }
  Control('DELETE', '/_emulator/requests');
  Status := zoomlive_meeting_livestream_update(Client, Meeting, 'aute', 'officia', PageUrl, nil);
  Check(Status = ZOOMLIVE_STATUS_OK, 'meeting livestream update: OK', LastMessage);
  Log := OneRequest('meeting update');
  Check(Has(Log, JsonPair('path', '/v2/meetings/' + Meeting + '/livestream'))
    and Has(Log, '"status":204') and Has(Log, JsonPair('stream_url', 'aute'))
    and Has(Log, JsonPair('stream_key', '***')) and Has(Log, JsonPair('page_url', PageUrl)),
    'meeting update: PATCH /v2/meetings/68423085/livestream with stream_url, stream_key, page_url', Log);

  { Reading it back: a too-small buffer first, then one of the size asked for. }
  Status := zoomlive_meeting_livestream_get(Client, Meeting, @Buf[0], SizeOf(Buf), Needed);
  Check((Status = ZOOMLIVE_STATUS_BUFFER_TOO_SMALL) and (Needed > SizeOf(Buf)),
    'livestream get into 8 bytes: BUFFER_TOO_SMALL and the size needed');
  SetLength(Big, Needed);
  Status := zoomlive_meeting_livestream_get(Client, Meeting, PAnsiChar(Big), Needed, Needed2);
  SetLength(Big, Needed2 - 1);
  Check((Status = ZOOMLIVE_STATUS_OK) and Has(Big, JsonPair('page_url', PageUrl))
    and Has(Big, JsonPair('stream_key', 'officia')),
    'livestream get with the size asked for: the page_url and stream_key just set', Big);

  { 4. Unknown meeting: NOT_FOUND, Zoom code 3001, message through a small buffer first. }
  Status := zoomlive_meeting_livestream_status(Client, '999999', 'stop', nil);
  Check(Status = ZOOMLIVE_STATUS_NOT_FOUND, 'unknown meeting: NOT_FOUND',
    RawByteString(IntToStr(Status)));
  Check((zoomlive_last_status = ZOOMLIVE_STATUS_NOT_FOUND) and (zoomlive_last_http_status = 404)
    and (zoomlive_last_zoom_code = 3001), 'unknown meeting: last status 7, HTTP 404, Zoom code 3001',
    RawByteString(IntToStr(zoomlive_last_http_status) + ' ' + IntToStr(zoomlive_last_zoom_code)));
  FillChar(Buf, SizeOf(Buf), 'x');
  Status := zoomlive_last_error_message(@Buf[0], SizeOf(Buf), Needed);
  Check((Status = ZOOMLIVE_STATUS_BUFFER_TOO_SMALL) and (Needed > SizeOf(Buf)) and (Buf[0] = 'x'),
    'error message into 8 bytes: BUFFER_TOO_SMALL, the size needed, the buffer untouched');
  SetLength(Msg, Needed);
  Status := zoomlive_last_error_message(PAnsiChar(Msg), Needed, Needed2);
  SetLength(Msg, Needed - 1);
  Check((Status = ZOOMLIVE_STATUS_OK) and (Needed2 = Needed) and (StrLen(PAnsiChar(Msg)) = Needed - 1)
    and Has(Msg, '3001') and Has(Msg, 'does not exist: 999999'),
    'error message with the size asked for: Zoom''s code and message', Msg);
  Check(ZoomLiveLastTrackingId <> '', 'unknown meeting: a tracking id to quote to Zoom');

  { 5. Invalid argument: the seeds' glued settings are refused before anything is sent. }
  Control('DELETE', '/_emulator/requests');
  Status := zoomlive_meeting_livestream_status(Client, Meeting, 'start', GluedSettings);
  Msg := LastMessage;
  Check(Status = ZOOMLIVE_STATUS_INVALID_ARGUMENT, 'glued start{...} settings: INVALID_ARGUMENT');
  Check(Has(Msg, 'settings') and Has(Msg, 'start{') and (ZoomLiveLastErrorField = 'settings'),
    'glued settings: the message and field name the settings', Msg);
  Log := Control('GET', '/_emulator/requests');
  Check(Log = '[]', 'glued settings: nothing was sent', Log);

  { 6. Non-ASCII display name, as UTF-8, arriving intact. }
  Control('POST', '/_emulator/reset');
  Status := zoomlive_meeting_livestream_status(Client, Meeting, 'start',
    PAnsiChar('{"active_speaker_name":false,"display_name":"' + NonAscii + '"}'));
  Check(Status = ZOOMLIVE_STATUS_OK, 'non-ASCII display name: OK', LastMessage);
  Log := OneRequest('non-ASCII');
  Check(Has(Log, JsonPair('settings', '{"active_speaker_name":false,"display_name":"' + NonAscii + '"}')),
    'non-ASCII display name arrived intact (UTF-8)', Log);

  { 7. Settings while live: Zoom's 400 with code 3000. }
  Status := zoomlive_meeting_livestream_status(Client, Meeting, 'start', SeedSettings);
  Check((Status = ZOOMLIVE_STATUS_API_ERROR) and (zoomlive_last_http_status = 400)
    and (zoomlive_last_zoom_code = 3000), 'settings while live: API_ERROR, HTTP 400, Zoom code 3000');

  { 8. A refused token: AUTH, and the message does not hold it. }
  BadClient := nil;
  Check(zoomlive_client_new('not-the-right-token-0123456789', BadClient) = ZOOMLIVE_STATUS_OK,
    'a second client with a wrong token');
  zoomlive_client_set_base_url(BadClient, PAnsiChar(ApiBase));
  Status := zoomlive_meeting_livestream_status(BadClient, Meeting, 'stop', nil);
  Msg := LastMessage;
  Check((Status = ZOOMLIVE_STATUS_AUTH) and (zoomlive_last_http_status = 401),
    'wrong token: AUTH, HTTP 401');
  Check(not Has(Msg, 'not-the-right-token'), 'wrong token: the message does not hold the token', Msg);
  zoomlive_client_free(BadClient);

  { 9. Rate limited, retries off: RATE_LIMITED with Retry-After in ms. }
  Control('POST', '/_emulator/faults',
    '{"status":429,"code":429,"message":"slow down","retry_after":"1"}');
  zoomlive_client_set_max_retries(Client, 0);
  Status := zoomlive_meeting_livestream_status(Client, Meeting, 'stop', nil);
  Check((Status = ZOOMLIVE_STATUS_RATE_LIMITED) and (zoomlive_last_retry_after_ms = 1000)
    and (zoomlive_last_zoom_code = 429), 'a 429 with retries off: RATE_LIMITED, Retry-After 1000 ms');

  { 10. A success clears the last error. }
  Status := zoomlive_meeting_livestream_status(Client, Meeting, 'stop', nil);
  Check((Status = ZOOMLIVE_STATUS_OK) and (zoomlive_last_status = ZOOMLIVE_STATUS_OK)
    and (LastMessage = '') and (zoomlive_last_http_status = 0),
    'a success clears the last error');

  zoomlive_client_free(Client);
  zoomlive_client_free(nil);

  WriteLn('delphi: ', Passed, ' passed, ', FailedCount, ' failed');
  if FailedCount > 0 then
    Halt(1);
end.
