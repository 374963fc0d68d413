-- zoomlive in SQL Server through OLE Automation: seed 003's procedure (examples/README.md)
-- with sp_OACreate 'ZoomLive.Client' where it had sp_OACreate 'Chilkat.Http'. No SQLCLR
-- assembly and no xp_cmdshell: only the 'Ole Automation Procedures' option.
--
-- Needs, once per server:
--   * the 64-bit zoomlive.dll registered machine-wide (SQL Server is a 64-bit service):
--       regsvr32 C:\zoomlive\x64\zoomlive.dll          (in an administrator prompt)
--     (a 32-bit SQL Server registers the 32-bit DLL with C:\Windows\SysWOW64\regsvr32.exe);
--   * OLE Automation enabled:
EXEC sp_configure 'show advanced options', 1;
RECONFIGURE;
EXEC sp_configure 'Ole Automation Procedures', 1;
RECONFIGURE;
GO

-- Every ZoomLive.Client method returns a status (0 = OK; the numbers of zoomlive_status:
-- 2 invalid argument, 6 auth, 7 not found, 8 rate limited, 9 Zoom API error, ...); the
-- Last* properties describe the last call. sp_OA* itself fails (@hr <> 0) only when the
-- object cannot be created or a member name or argument count is wrong.
CREATE PROCEDURE dbo.StartMeetingLivestreamCom
  @meetingId bigint = 68423085,       -- ids exceed int; bigint and nvarchar both work
  @baseUrl   nvarchar(1024) = NULL    -- NULL for Zoom; the emulator's URL + /v2 to try it
AS
BEGIN
  SET NOCOUNT ON;
  -- The token comes from a table only the job's login can read, never from the code.
  DECLARE @token nvarchar(4000) = (SELECT access_token FROM dbo.ZoomCredentials);
  DECLARE @zoom int, @hr int, @status int, @httpStatus int, @zoomCode int,
          @message nvarchar(4000), @trackingId nvarchar(400), @src nvarchar(400), @desc nvarchar(4000);

  EXEC @hr = sp_OACreate 'ZoomLive.Client', @zoom OUT;
  IF @hr <> 0
  BEGIN
    EXEC sp_OAGetErrorInfo NULL, @src OUT, @desc OUT;
    PRINT 'ZoomLive.Client is not registered: ' + ISNULL(@desc, '');
    RETURN 2;
  END;

  EXEC @hr = sp_OAMethod @zoom, 'UseAccessToken', @status OUT, @token;
  IF @hr = 0 AND @status = 0 AND @baseUrl IS NOT NULL
  BEGIN
    EXEC @hr = sp_OASetProperty @zoom, 'BaseUrl', @baseUrl;
    EXEC sp_OAGetProperty @zoom, 'LastStatus', @status OUT;   -- a failed set fills Last*
  END;
  IF @hr = 0 AND @status = 0
    EXEC @hr = sp_OAMethod @zoom, 'MeetingLivestreamStatus', @status OUT, @meetingId, N'start',
      N'{"active_speaker_name":false,"display_name":"dolore ullamco irur"}';

  IF @hr <> 0
  BEGIN
    EXEC sp_OAGetErrorInfo @zoom, @src OUT, @desc OUT;
    PRINT 'OLE Automation error: ' + ISNULL(@desc, '');
    SET @status = 2;
  END
  ELSE IF @status = 0
    PRINT 'Success.';
  ELSE
  BEGIN
    -- What the seed printed: the status code, Zoom's answer, then 'Failed.'.
    EXEC sp_OAGetProperty @zoom, 'LastHttpStatus', @httpStatus OUT;
    EXEC sp_OAGetProperty @zoom, 'LastZoomCode', @zoomCode OUT;
    EXEC sp_OAGetProperty @zoom, 'LastTrackingId', @trackingId OUT;
    EXEC sp_OAGetProperty @zoom, 'LastErrorText', @message OUT;   -- never holds the token
    IF @httpStatus <> 0
    BEGIN
      PRINT 'Response Status Code = ' + CAST(@httpStatus AS nvarchar(10));
      PRINT 'Zoom error code = ' + CAST(@zoomCode AS nvarchar(20));
      PRINT 'Tracking id = ' + @trackingId;
    END;
    PRINT @message;
    PRINT 'Failed.';
  END;

  EXEC sp_OADestroy @zoom;
  RETURN @status;
END
GO

-- Reading a meeting's stream configuration back: GET fills StreamUrl, StreamKey,
-- PageUrl, Resolution and LivestreamJson (a JSON object, for OPENJSON).
CREATE PROCEDURE dbo.GetMeetingLivestreamCom
  @meetingId bigint,
  @json      nvarchar(4000) OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  DECLARE @token nvarchar(4000) = (SELECT access_token FROM dbo.ZoomCredentials);
  DECLARE @zoom int, @status int, @message nvarchar(4000);
  EXEC sp_OACreate 'ZoomLive.Client', @zoom OUT;
  EXEC sp_OAMethod @zoom, 'UseAccessToken', @status OUT, @token;
  IF @status = 0
    EXEC sp_OAMethod @zoom, 'MeetingLivestreamGet', @status OUT, @meetingId;
  IF @status = 0
    EXEC sp_OAGetProperty @zoom, 'LivestreamJson', @json OUT;
  ELSE
  BEGIN
    EXEC sp_OAGetProperty @zoom, 'LastErrorText', @message OUT;
    PRINT @message;
  END;
  EXEC sp_OADestroy @zoom;
  RETURN @status;
END
GO
