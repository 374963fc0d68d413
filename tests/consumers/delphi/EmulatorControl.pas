{ The emulator's control API (/_emulator/...) over a plain loopback socket, for the
  Delphi-mode consumer test: Free Pascal's RTL has no HTTP client, and the test
  should need no package beyond fp-compiler. HTTP/1.0, so the server closes the
  connection after its answer. }
unit EmulatorControl;

{$MODE DELPHI}

interface

type
  TEmulator = record
    Url: AnsiString;       { http://127.0.0.1:PORT }
  end;

{ Sends METHOD PATH (with an optional JSON body); returns the HTTP status and
  sets Body to the answer's body. Returns -1 when the emulator cannot be reached. }
function EmulatorRequest(const Emu: TEmulator; const Method, Path: AnsiString;
  const JsonBody: AnsiString; out Body: AnsiString): Integer;

implementation

uses
  SysUtils, Sockets;

function ParsePort(const Url: AnsiString): Word;
var
  P: Integer;
begin
  P := LastDelimiter(':', Url);
  Result := StrToInt(Copy(Url, P + 1, Length(Url) - P));
end;

function EmulatorRequest(const Emu: TEmulator; const Method, Path: AnsiString;
  const JsonBody: AnsiString; out Body: AnsiString): Integer;
var
  S: LongInt;
  Addr: TInetSockAddr;
  Req, Resp: AnsiString;
  Chunk: array[0..4095] of AnsiChar;
  N, HeaderEnd: Integer;
begin
  Result := -1;
  Body := '';
  S := fpSocket(AF_INET, SOCK_STREAM, 0);
  if S < 0 then
    Exit;
  try
    FillChar(Addr, SizeOf(Addr), 0);
    Addr.sin_family := AF_INET;
    Addr.sin_port := htons(ParsePort(Emu.Url));
    Addr.sin_addr := StrToNetAddr('127.0.0.1');
    if fpConnect(S, @Addr, SizeOf(Addr)) <> 0 then
      Exit;
    Req := Method + ' ' + Path + ' HTTP/1.0'#13#10 +
      'Host: 127.0.0.1'#13#10 +
      'Content-Type: application/json'#13#10 +
      'Content-Length: ' + AnsiString(IntToStr(Length(JsonBody))) + #13#10#13#10 + JsonBody;
    if fpSend(S, PAnsiChar(Req), Length(Req), 0) <> Length(Req) then
      Exit;
    Resp := '';
    repeat
      N := fpRecv(S, @Chunk[0], SizeOf(Chunk), 0);
      if N > 0 then
      begin
        SetLength(Resp, Length(Resp) + N);
        Move(Chunk[0], Resp[Length(Resp) - N + 1], N);
      end;
    until N <= 0;
    { "HTTP/1.1 204 No Content\r\n..." }
    if Copy(Resp, 1, 5) <> 'HTTP/' then
      Exit;
    Result := StrToIntDef(Copy(Resp, Pos(' ', Resp) + 1, 3), -1);
    HeaderEnd := Pos(#13#10#13#10, Resp);
    if HeaderEnd > 0 then
      Body := Copy(Resp, HeaderEnd + 4, Length(Resp));
  finally
    CloseSocket(S);
  end;
end;

end.
