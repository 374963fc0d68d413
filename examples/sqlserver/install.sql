-- zoomlive in SQL Server through SQLCLR: installs ZoomLiveSql.dll (built from
-- ZoomLiveSql.cs) and the procedure that replaces seed 003 (examples/README.md)
-- (Chilkat through sp_OACreate, PATCH /v2/meetings/:meetingId/livestream/status).
--
-- Needs: the 64-bit zoomlive.dll where the SQL Server service finds it (its PATH or
-- C:\Windows\System32); ZoomLiveSql.dll in C:\zoomlive\. The assembly calls native
-- code, so it is UNSAFE: SQL Server 2017+ ('clr strict security') also wants it signed
-- or trusted (sys.sp_add_trusted_assembly, below).

EXEC sp_configure 'clr enabled', 1;
RECONFIGURE;
GO

-- SQL Server 2017+: trust this exact build of the assembly.
DECLARE @hash varbinary(64) =
  (SELECT HASHBYTES('SHA2_512', BulkColumn)
     FROM OPENROWSET(BULK 'C:\zoomlive\ZoomLiveSql.dll', SINGLE_BLOB) AS dll);
IF NOT EXISTS (SELECT 1 FROM sys.trusted_assemblies WHERE hash = @hash)
  EXEC sys.sp_add_trusted_assembly @hash, N'ZoomLiveSql';
GO

CREATE ASSEMBLY ZoomLiveSql FROM 'C:\zoomlive\ZoomLiveSql.dll' WITH PERMISSION_SET = UNSAFE;
GO

CREATE PROCEDURE dbo.ZoomMeetingLivestreamStatus
  @accessToken  nvarchar(4000),
  @meetingId    nvarchar(20),         -- meeting ids exceed int: keep them as text
  @action       nvarchar(10),         -- 'start' or 'stop'
  @settingsJson nvarchar(4000),       -- NULL, '' or a JSON object
  @baseUrl      nvarchar(1024),       -- NULL for Zoom; the emulator's URL + /v2 to try it
  @httpStatus   int OUTPUT,
  @zoomCode     bigint OUTPUT,
  @message      nvarchar(4000) OUTPUT
AS EXTERNAL NAME ZoomLiveSql.ZoomLiveSql.MeetingLivestreamStatus;
GO

-- The seed's procedure, now through zoomlive. The token comes from a table only the
-- job's login can read, never from the code.
CREATE PROCEDURE dbo.StartMeetingLivestream
AS
BEGIN
  DECLARE @token nvarchar(4000) = (SELECT access_token FROM dbo.ZoomCredentials);
  DECLARE @rc int, @httpStatus int, @zoomCode bigint, @message nvarchar(4000);
  EXEC @rc = dbo.ZoomMeetingLivestreamStatus
    @accessToken = @token,
    @meetingId = N'68423085',
    @action = N'start',
    @settingsJson = N'{"active_speaker_name":false,"display_name":"dolore ullamco irur"}',
    @baseUrl = NULL,
    @httpStatus = @httpStatus OUTPUT,
    @zoomCode = @zoomCode OUTPUT,
    @message = @message OUTPUT;
  -- The procedure already PRINTed 'Success.' or the status code, Zoom's answer and
  -- 'Failed.'; @rc is 0 or zoomlive's status (7 not found, 9 Zoom API error, ...).
  IF @rc <> 0
    THROW 50000, @message, 1;
END
GO
