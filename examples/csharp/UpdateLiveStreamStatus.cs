// zoomlive from C# (.NET Framework, .NET 6+, Mono): P/Invoke into zoomlive.dll /
// libzoomlive.so.
//
// Replaces seed 001 (.NET Core C#, Chilkat.Http; see examples/README.md):
// PATCH /v2/meetings/:meetingId/livestream/status with action=start and the settings
// the seed meant to send (its Postman JSON; the Chilkat code glued "start" in front of
// them, which zoomlive refuses). On failure it shows, like the seed, the HTTP status
// and Zoom's answer, then "Failed."; the message never holds the token.
//
// Build and run (Mono; with .NET put the file in a console project):
//   mcs -out:UpdateLiveStreamStatus.exe examples/csharp/UpdateLiveStreamStatus.cs
//   ZOOM_ACCESS_TOKEN=... LD_LIBRARY_PATH=target/debug mono UpdateLiveStreamStatus.exe [meetingId]
// On Windows put zoomlive.dll (the one matching the process: x86 or x64) beside the .exe.
// ZOOM_BASE_URL points it at another API base URL, such as the emulator's.
using System;
using System.Runtime.InteropServices;
using System.Text;

/// <summary>The zoomlive C ABI (include/zoomlive.h), declared for P/Invoke.</summary>
/// <remarks>
/// Text goes in as UTF-8 (LPUTF8Str: .NET Framework 4.7+, .NET Core, Mono 5+) and comes
/// out through caller buffers. The default calling convention (Winapi) is stdcall in
/// 32-bit Windows processes, as the 32-bit zoomlive.dll expects, and cdecl elsewhere.
/// </remarks>
public static class ZoomLive
{
    const string Lib = "zoomlive"; // zoomlive.dll, libzoomlive.so, libzoomlive.dylib

    public const int OK = 0, NullArgument = 1, InvalidArgument = 2, InvalidUtf8 = 3,
        Transport = 4, Timeout = 5, Auth = 6, NotFound = 7, RateLimited = 8,
        ApiError = 9, BufferTooSmall = 10, Panic = 11;

    [DllImport(Lib)] public static extern int zoomlive_client_new(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string accessToken, out IntPtr client);
    [DllImport(Lib)] public static extern int zoomlive_client_new_s2s(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string accountId,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string clientId,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string clientSecret, out IntPtr client);
    [DllImport(Lib)] public static extern void zoomlive_client_free(IntPtr client);
    [DllImport(Lib)] public static extern int zoomlive_client_set_base_url(
        IntPtr client, [MarshalAs(UnmanagedType.LPUTF8Str)] string url);
    [DllImport(Lib)] public static extern int zoomlive_client_set_max_retries(IntPtr client, uint retries);

    [DllImport(Lib)] public static extern int zoomlive_meeting_livestream_status(IntPtr client,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string meetingId,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string action,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string settingsJson);
    [DllImport(Lib)] public static extern int zoomlive_webinar_livestream_status(IntPtr client,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string webinarId,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string action,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string settingsJson);
    [DllImport(Lib)] public static extern int zoomlive_meeting_livestream_update(IntPtr client,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string meetingId,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string streamUrl,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string streamKey,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string pageUrl,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string resolution);
    [DllImport(Lib)] public static extern int zoomlive_meeting_livestream_get(IntPtr client,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string meetingId,
        byte[] buf, UIntPtr cap, out UIntPtr needed);

    [DllImport(Lib)] public static extern int zoomlive_last_status();
    [DllImport(Lib)] public static extern int zoomlive_last_http_status();
    [DllImport(Lib)] public static extern long zoomlive_last_zoom_code();
    [DllImport(Lib)] public static extern long zoomlive_last_retry_after_ms();
    [DllImport(Lib)] public static extern int zoomlive_last_error_message(byte[] buf, UIntPtr cap, out UIntPtr needed);
    [DllImport(Lib)] public static extern int zoomlive_last_error_field(byte[] buf, UIntPtr cap, out UIntPtr needed);
    [DllImport(Lib)] public static extern int zoomlive_last_tracking_id(byte[] buf, UIntPtr cap, out UIntPtr needed);
    [DllImport(Lib)] public static extern IntPtr zoomlive_status_str(int status);
    [DllImport(Lib)] public static extern IntPtr zoomlive_version();

    public delegate int TextGetter(byte[] buf, UIntPtr cap, out UIntPtr needed);

    /// <summary>Reads a text getter: ask for the size, then copy with a buffer that fits.</summary>
    public static string Text(TextGetter getter)
    {
        UIntPtr needed;
        getter(null, UIntPtr.Zero, out needed);
        var buf = new byte[(int)needed.ToUInt32()];
        if (getter(buf, (UIntPtr)buf.Length, out needed) != OK) return "";
        return Encoding.UTF8.GetString(buf, 0, buf.Length - 1);
    }

    public static string LastErrorMessage() { return Text(zoomlive_last_error_message); }
    public static string LastTrackingId() { return Text(zoomlive_last_tracking_id); }
    public static string StatusName(int status) { return Utf8At(zoomlive_status_str(status)); }
    public static string Version() { return Utf8At(zoomlive_version()); }

    // A static NUL-terminated UTF-8 string (Marshal.PtrToStringUTF8 is missing from
    // .NET Framework, which SQL Server's CLR runs).
    static string Utf8At(IntPtr p)
    {
        int n = 0;
        while (Marshal.ReadByte(p, n) != 0) n++;
        var bytes = new byte[n];
        Marshal.Copy(p, bytes, 0, n);
        return Encoding.UTF8.GetString(bytes);
    }
}

public static class UpdateLiveStreamStatus
{
    public static int Main(string[] args)
    {
        string meetingId = args.Length > 0 ? args[0] : "68423085";
        string token = Environment.GetEnvironmentVariable("ZOOM_ACCESS_TOKEN");
        string baseUrl = Environment.GetEnvironmentVariable("ZOOM_BASE_URL");

        IntPtr client;
        int status = ZoomLive.zoomlive_client_new(token ?? "", out client);
        if (status != ZoomLive.OK) return Failed(status);
        try
        {
            if (!string.IsNullOrEmpty(baseUrl))
            {
                status = ZoomLive.zoomlive_client_set_base_url(client, baseUrl);
                if (status != ZoomLive.OK) return Failed(status);
            }
            status = ZoomLive.zoomlive_meeting_livestream_status(client, meetingId, "start",
                "{\"active_speaker_name\":false,\"display_name\":\"dolore ullamco irur\"}");
            if (status != ZoomLive.OK) return Failed(status);
            Console.WriteLine("Success.");
            return 0;
        }
        finally
        {
            ZoomLive.zoomlive_client_free(client);
        }
    }

    // The seed's failure branch: status code, Zoom's answer, "Failed.".
    static int Failed(int status)
    {
        Console.WriteLine("Error: " + ZoomLive.StatusName(status));
        int http = ZoomLive.zoomlive_last_http_status();
        if (http != 0)
        {
            Console.WriteLine("Response Status Code = " + http);
            Console.WriteLine("Zoom error code = " + ZoomLive.zoomlive_last_zoom_code());
            Console.WriteLine("Tracking id = " + ZoomLive.LastTrackingId());
        }
        Console.WriteLine(ZoomLive.LastErrorMessage());
        Console.WriteLine("Failed.");
        return 1;
    }
}
