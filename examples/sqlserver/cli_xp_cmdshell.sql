-- zoomlive in SQL Server without SQLCLR: the zoomlive command line tool through
-- xp_cmdshell, reading its one-line JSON answer (--output json) with JSON_VALUE
-- (SQL Server 2016+).
--
-- Replaces seed 003 (examples/README.md: Chilkat through sp_OACreate, PATCH
-- /v2/meetings/:meetingId/livestream/status, action=start with settings). Like the
-- seed it PRINTs 'Response Status Code = ...', Zoom's answer and 'Failed.', or
-- 'Success.'.
--
-- Needs: zoomlive.exe in C:\zoomlive\, xp_cmdshell enabled, and the token in
-- C:\zoomlive\token.txt (first line), readable only by the SQL Server service
-- account. The token never appears on the command line or in the output. The
-- settings go in as flags (--active-speaker-name, --display-name) so that cmd.exe
-- has no JSON quotes to mangle.
CREATE PROCEDURE dbo.StartMeetingLivestreamCli
  @meetingId   nvarchar(20) = N'68423085',
  @displayName nvarchar(50) = N'dolore ullamco irur'
AS
BEGIN
  SET NOCOUNT ON;
  -- Everything goes through cmd.exe: digits only, and no " or % in the name.
  IF @meetingId = N'' OR @meetingId LIKE N'%[^0-9]%' OR @displayName LIKE N'%["%]%'
    THROW 50000, 'meetingId must be digits; displayName must not hold " or %', 1;

  DECLARE @cmd nvarchar(4000) =
    N'C:\zoomlive\zoomlive.exe --output json --token-file C:\zoomlive\token.txt'
    + N' meeting-status ' + @meetingId + N' start'
    + N' --active-speaker-name false --display-name "' + @displayName + N'"';
  DECLARE @out TABLE (line nvarchar(4000));
  INSERT @out EXEC master..xp_cmdshell @cmd;

  -- One JSON object: {"ok":true,...} or {"ok":false,"error":{"kind","message",
  -- "http_status","zoom_code","zoom_message","tracking_id",...}}.
  DECLARE @json nvarchar(4000) = (SELECT TOP 1 line FROM @out WHERE ISJSON(line) = 1);
  IF @json IS NULL
  BEGIN
    -- zoomlive did not run (path, permissions): show what cmd.exe said.
    SELECT line FROM @out WHERE line IS NOT NULL;
    PRINT 'Failed.';
    RETURN 1;
  END
  IF JSON_VALUE(@json, '$.ok') = 'true'
  BEGIN
    PRINT 'Success.';
    RETURN 0;
  END
  IF JSON_VALUE(@json, '$.error.http_status') IS NOT NULL
  BEGIN
    PRINT 'Response Status Code = ' + JSON_VALUE(@json, '$.error.http_status');
    PRINT 'Zoom error code = ' + ISNULL(JSON_VALUE(@json, '$.error.zoom_code'), '-');
    PRINT 'Tracking id = ' + ISNULL(JSON_VALUE(@json, '$.error.tracking_id'), '-');
  END
  PRINT JSON_VALUE(@json, '$.error.message');
  PRINT 'Failed.';
  RETURN 1;
END
GO
