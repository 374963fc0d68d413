// The C# consumer test: Mono, P/Invoke through the declarations of
// examples/csharp/UpdateLiveStreamStatus.cs (compiled together with this file), against
// the emulator, asking its control API what arrived.
//
// Usage: mono ConsumerTest.exe EMULATOR_URL  (token in ZOOM_ACCESS_TOKEN, never printed;
// the header's ZOOMLIVE_VERSION in ZOOMLIVE_HEADER_VERSION). Exits 1 on any failure.
using System;
using System.Net;
using System.Text;

public static class ConsumerTest
{
    const string Meeting = "68423085";
    const string Webinar = "91234567890";
    const string SeedSettings = "{\"active_speaker_name\":false,\"display_name\":\"dolore ullamco irur\"}";
    // What the Chilkat seeds really sent: the action glued in front of the settings.
    const string GluedSettings = "start" + SeedSettings;
    const string PageUrl = "https://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi";
    const string NonAscii = "Zo\u00eb \u2013 caf\u00e9 \u2713"; // Zoë – café ✓

    static int passed, failed;
    static string emulator, token;

    static void Check(bool ok, string name, string detail = "")
    {
        if (ok) { passed++; Console.WriteLine("ok - " + name); }
        else { failed++; Console.WriteLine("not ok - " + name + " " + detail); }
    }

    // "key":"value" as serde_json writes it.
    static string Pair(string key, string value)
    {
        return "\"" + key + "\":\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    static string Control(string method, string path, string json = null)
    {
        using (var web = new WebClient())
        {
            web.Encoding = Encoding.UTF8;
            web.Headers[HttpRequestHeader.ContentType] = "application/json";
            return method == "GET" ? web.DownloadString(emulator + path)
                                   : web.UploadString(emulator + path, method, json ?? "");
        }
    }

    // The request log after one call: exactly one request.
    static string OneRequest(string name)
    {
        string log = Control("GET", "/_emulator/requests");
        int first = log.IndexOf("\"seq\":", StringComparison.Ordinal);
        Check(first >= 0 && log.IndexOf("\"seq\":", first + 1, StringComparison.Ordinal) < 0,
              name + ": the emulator received exactly one request", log);
        Check(log.Contains(Pair("authorization", "Bearer ***")) && !log.Contains(token),
              name + ": a bearer token was sent, and the log never shows it");
        return log;
    }

    static string Msg() { return ZoomLive.LastErrorMessage(); }

    public static int Main(string[] args)
    {
        if (args.Length < 1) { Console.WriteLine("usage: ConsumerTest EMULATOR_URL"); return 2; }
        emulator = args[0];
        string apiBase = emulator + "/v2";
        token = Environment.GetEnvironmentVariable("ZOOM_ACCESS_TOKEN") ?? "";
        Control("POST", "/_emulator/reset");

        Check(ZoomLive.Version() == Environment.GetEnvironmentVariable("ZOOMLIVE_HEADER_VERSION"),
              "zoomlive_version() equals the header's ZOOMLIVE_VERSION", ZoomLive.Version());
        Check(ZoomLive.StatusName(ZoomLive.NotFound) == "not found", "zoomlive_status_str(NOT_FOUND) is \"not found\"");

        IntPtr client;
        int status = ZoomLive.zoomlive_client_new(token, out client);
        Check(status == ZoomLive.OK && client != IntPtr.Zero, "zoomlive_client_new gives a handle");
        if (client == IntPtr.Zero) return 1;
        Check(ZoomLive.zoomlive_client_set_base_url(client, apiBase) == ZoomLive.OK,
              "zoomlive_client_set_base_url accepts the emulator");

        // 1. Meeting live stream status: seeds 001-003, with the settings they meant.
        status = ZoomLive.zoomlive_meeting_livestream_status(client, Meeting, "start", SeedSettings);
        Check(status == ZoomLive.OK, "meeting status start with settings: OK", status + " " + Msg());
        string log = OneRequest("meeting status");
        Check(log.Contains(Pair("method", "PATCH")) && log.Contains(Pair("path", "/v2/meetings/" + Meeting + "/livestream/status"))
              && log.Contains("\"status\":204"),
              "meeting status: PATCH /v2/meetings/68423085/livestream/status answered 204", log);
        Check(log.Contains(Pair("action", "start")) && log.Contains(Pair("settings", SeedSettings))
              && log.Contains(Pair("encoding", "multipart")),
              "meeting status: multipart action=start and the settings JSON arrived as sent", log);

        // 2. Webinar live stream status: seed 000.
        Control("DELETE", "/_emulator/requests");
        string webinarSettings = "{\"active_speaker_name\":false,\"display_name\":\"reprehender\"}";
        status = ZoomLive.zoomlive_webinar_livestream_status(client, Webinar, "start", webinarSettings);
        Check(status == ZoomLive.OK, "webinar status start with settings: OK", Msg());
        log = OneRequest("webinar status");
        Check(log.Contains(Pair("path", "/v2/webinars/" + Webinar + "/livestream/status")) && log.Contains("\"status\":204")
              && log.Contains(Pair("settings", webinarSettings)),
              "webinar status: PATCH /v2/webinars/91234567890/livestream/status with its settings, 204", log);

        // 3. Meeting live stream update: seed 004, with the page_url it meant.
        Control("DELETE", "/_emulator/requests");
        status = ZoomLive.zoomlive_meeting_livestream_update(client, Meeting, "aute", "officia", PageUrl, "1080p");
        Check(status == ZoomLive.OK, "meeting livestream update: OK", Msg());
        log = OneRequest("meeting update");
        Check(log.Contains(Pair("path", "/v2/meetings/" + Meeting + "/livestream")) && log.Contains("\"status\":204")
              && log.Contains(Pair("stream_url", "aute")) && log.Contains(Pair("stream_key", "***"))
              && log.Contains(Pair("page_url", PageUrl)) && log.Contains(Pair("resolution", "1080p")),
              "meeting update: PATCH /v2/meetings/68423085/livestream with its four fields", log);

        // Reading it back: a too-small buffer first, then one of the size asked for.
        UIntPtr needed;
        var small = new byte[8];
        status = ZoomLive.zoomlive_meeting_livestream_get(client, Meeting, small, (UIntPtr)small.Length, out needed);
        Check(status == ZoomLive.BufferTooSmall && needed.ToUInt64() > 8,
              "livestream get into 8 bytes: BUFFER_TOO_SMALL and the size needed");
        var big = new byte[needed.ToUInt32()];
        status = ZoomLive.zoomlive_meeting_livestream_get(client, Meeting, big, (UIntPtr)big.Length, out needed);
        string got = Encoding.UTF8.GetString(big, 0, big.Length - 1);
        Check(status == ZoomLive.OK && got.Contains(Pair("page_url", PageUrl)) && got.Contains(Pair("resolution", "1080p"))
              && got.Contains(Pair("stream_key", "officia")),
              "livestream get with the size asked for: the values just set", got);

        // 4. Unknown meeting: NOT_FOUND, Zoom code 3001, message through a small buffer first.
        status = ZoomLive.zoomlive_meeting_livestream_status(client, "999999", "stop", null);
        Check(status == ZoomLive.NotFound, "unknown meeting: NOT_FOUND", status.ToString());
        Check(ZoomLive.zoomlive_last_status() == ZoomLive.NotFound && ZoomLive.zoomlive_last_http_status() == 404
              && ZoomLive.zoomlive_last_zoom_code() == 3001,
              "unknown meeting: last status 7, HTTP 404, Zoom code 3001");
        for (int i = 0; i < small.Length; i++) small[i] = (byte)'x';
        status = ZoomLive.zoomlive_last_error_message(small, (UIntPtr)small.Length, out needed);
        Check(status == ZoomLive.BufferTooSmall && needed.ToUInt64() > 8 && small[0] == (byte)'x',
              "error message into 8 bytes: BUFFER_TOO_SMALL, the size needed, the buffer untouched");
        var msgBuf = new byte[needed.ToUInt32()];
        UIntPtr needed2;
        status = ZoomLive.zoomlive_last_error_message(msgBuf, (UIntPtr)msgBuf.Length, out needed2);
        string message = Encoding.UTF8.GetString(msgBuf, 0, msgBuf.Length - 1);
        Check(status == ZoomLive.OK && needed2 == needed && msgBuf[msgBuf.Length - 1] == 0
              && message.IndexOf('\0') < 0 && message.Contains("3001") && message.Contains("does not exist: 999999"),
              "error message with the size asked for: Zoom's code and message", message);
        Check(ZoomLive.LastTrackingId() != "", "unknown meeting: a tracking id to quote to Zoom");

        // 5. Invalid argument: the seeds' glued settings are refused before anything is sent.
        Control("DELETE", "/_emulator/requests");
        status = ZoomLive.zoomlive_meeting_livestream_status(client, Meeting, "start", GluedSettings);
        message = Msg();
        Check(status == ZoomLive.InvalidArgument, "glued start{...} settings: INVALID_ARGUMENT");
        Check(message.Contains("settings") && message.Contains("start{")
              && ZoomLive.Text(ZoomLive.zoomlive_last_error_field) == "settings",
              "glued settings: the message and field name the settings", message);
        log = Control("GET", "/_emulator/requests");
        Check(log == "[]", "glued settings: nothing was sent", log);

        // 6. Non-ASCII display name, as UTF-8, arriving intact.
        Control("POST", "/_emulator/reset");
        string nonAscii = "{\"active_speaker_name\":false,\"display_name\":\"" + NonAscii + "\"}";
        status = ZoomLive.zoomlive_meeting_livestream_status(client, Meeting, "start", nonAscii);
        Check(status == ZoomLive.OK, "non-ASCII display name: OK", Msg());
        log = OneRequest("non-ASCII");
        Check(log.Contains(Pair("settings", nonAscii)), "non-ASCII display name arrived intact (UTF-8)", log);

        // 7. Settings while live: Zoom's 400 with code 3000.
        status = ZoomLive.zoomlive_meeting_livestream_status(client, Meeting, "start", SeedSettings);
        Check(status == ZoomLive.ApiError && ZoomLive.zoomlive_last_http_status() == 400
              && ZoomLive.zoomlive_last_zoom_code() == 3000,
              "settings while live: API_ERROR, HTTP 400, Zoom code 3000");

        // 8. A refused token: AUTH, and the message does not hold it.
        IntPtr bad;
        Check(ZoomLive.zoomlive_client_new("not-the-right-token-0123456789", out bad) == ZoomLive.OK,
              "a second client with a wrong token");
        ZoomLive.zoomlive_client_set_base_url(bad, apiBase);
        status = ZoomLive.zoomlive_meeting_livestream_status(bad, Meeting, "stop", null);
        message = Msg();
        Check(status == ZoomLive.Auth && ZoomLive.zoomlive_last_http_status() == 401, "wrong token: AUTH, HTTP 401");
        Check(!message.Contains("not-the-right-token"), "wrong token: the message does not hold the token", message);
        ZoomLive.zoomlive_client_free(bad);

        // 9. Rate limited, retries off: RATE_LIMITED with Retry-After in ms.
        Control("POST", "/_emulator/faults", "{\"status\":429,\"code\":429,\"message\":\"slow down\",\"retry_after\":\"1\"}");
        ZoomLive.zoomlive_client_set_max_retries(client, 0);
        status = ZoomLive.zoomlive_meeting_livestream_status(client, Meeting, "stop", null);
        Check(status == ZoomLive.RateLimited && ZoomLive.zoomlive_last_retry_after_ms() == 1000
              && ZoomLive.zoomlive_last_zoom_code() == 429,
              "a 429 with retries off: RATE_LIMITED, Retry-After 1000 ms");

        // 10. A success clears the last error.
        status = ZoomLive.zoomlive_meeting_livestream_status(client, Meeting, "stop", null);
        Check(status == ZoomLive.OK && ZoomLive.zoomlive_last_status() == ZoomLive.OK && Msg() == ""
              && ZoomLive.zoomlive_last_http_status() == 0, "a success clears the last error");

        ZoomLive.zoomlive_client_free(client);
        ZoomLive.zoomlive_client_free(IntPtr.Zero);

        Console.WriteLine("csharp: " + passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
