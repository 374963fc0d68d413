// SQLCLR wrapper: zoomlive's C ABI as a SQL Server stored procedure.
//
// Replaces seed 003 (SQL Server, Chilkat through sp_OACreate; see examples/README.md):
// PATCH /v2/meetings/:meetingId/livestream/status. Like the seed it PRINTs the outcome
// ('Response Status Code = ...', Zoom's answer, 'Failed.' or 'Success.'); it also
// returns it in OUTPUT parameters and as the return value (0 = success, else the
// zoomlive status code). The messages never hold the token (Chilkat's LastErrorText
// did).
//
// Build (any C# compiler targeting .NET Framework 4.x, which SQL Server's CLR runs):
//   csc /target:library /out:ZoomLiveSql.dll ZoomLiveSql.cs
// Install and call: see install.sql. zoomlive.dll must be the 64-bit build (x86_64,
// as SQL Server is) and be found by the SQL Server service: in its PATH or in
// C:\Windows\System32, or change Lib below to a full path.
using System;
using System.Data.SqlTypes;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.SqlServer.Server;

public static class ZoomLiveSql
{
    const string Lib = "zoomlive.dll";

    // Strings go in as NUL-terminated UTF-8 byte arrays, which every .NET Framework
    // version marshals (UnmanagedType.LPUTF8Str needs 4.7 or later). The default
    // calling convention (Winapi) is right for both the x64 and the x86 zoomlive.dll.
    [DllImport(Lib)]
    static extern int zoomlive_client_new(byte[] accessToken, out IntPtr client);
    [DllImport(Lib)]
    static extern void zoomlive_client_free(IntPtr client);
    [DllImport(Lib)]
    static extern int zoomlive_client_set_base_url(IntPtr client, byte[] url);
    [DllImport(Lib)]
    static extern int zoomlive_meeting_livestream_status(IntPtr client, byte[] meetingId, byte[] action, byte[] settingsJson);
    [DllImport(Lib)]
    static extern int zoomlive_last_http_status();
    [DllImport(Lib)]
    static extern long zoomlive_last_zoom_code();
    [DllImport(Lib)]
    static extern int zoomlive_last_error_message(byte[] buf, UIntPtr cap, out UIntPtr needed);
    [DllImport(Lib)]
    static extern int zoomlive_last_tracking_id(byte[] buf, UIntPtr cap, out UIntPtr needed);

    static byte[] Utf8(SqlString s)
    {
        // NULL and '' both mean "none" to zoomlive for optional arguments.
        return Encoding.UTF8.GetBytes((s.IsNull ? "" : s.Value) + "\0");
    }

    delegate int TextGetter(byte[] buf, UIntPtr cap, out UIntPtr needed);

    static string Text(TextGetter getter)
    {
        UIntPtr needed;
        getter(null, UIntPtr.Zero, out needed);          // asks for the size
        var buf = new byte[(int)needed.ToUInt32()];
        if (getter(buf, (UIntPtr)buf.Length, out needed) != 0) return "";
        return Encoding.UTF8.GetString(buf, 0, buf.Length - 1);
    }

    static void Print(string line)
    {
        if (SqlContext.IsAvailable) SqlContext.Pipe.Send(line);
    }

    /// <summary>EXEC dbo.ZoomMeetingLivestreamStatus @accessToken, @meetingId, @action,
    /// @settingsJson, @httpStatus OUTPUT, @zoomCode OUTPUT, @message OUTPUT</summary>
    [SqlProcedure]
    public static int MeetingLivestreamStatus(SqlString accessToken, SqlString meetingId,
        SqlString action, SqlString settingsJson, SqlString baseUrl,
        out SqlInt32 httpStatus, out SqlInt64 zoomCode, out SqlString message)
    {
        httpStatus = SqlInt32.Null;
        zoomCode = SqlInt64.Null;
        message = SqlString.Null;
        IntPtr client;
        int status = zoomlive_client_new(Utf8(accessToken), out client);
        if (status == 0)
        {
            try
            {
                if (!baseUrl.IsNull && baseUrl.Value.Length > 0)
                    status = zoomlive_client_set_base_url(client, Utf8(baseUrl));
                if (status == 0)
                    status = zoomlive_meeting_livestream_status(client, Utf8(meetingId), Utf8(action), Utf8(settingsJson));
            }
            finally
            {
                zoomlive_client_free(client);
            }
        }
        if (status == 0)
        {
            httpStatus = 204;
            Print("Success.");
            return 0;
        }
        // The seed's failure branch: the status code and Zoom's answer, then 'Failed.'.
        int http = zoomlive_last_http_status();
        if (http != 0)
        {
            httpStatus = http;
            zoomCode = zoomlive_last_zoom_code();
            Print("Response Status Code = " + http);
            Print("Zoom error code = " + zoomCode.Value);
            Print("Tracking id = " + Text(zoomlive_last_tracking_id));
        }
        message = Text(zoomlive_last_error_message);
        Print(message.Value);
        Print("Failed.");
        return status;
    }
}
