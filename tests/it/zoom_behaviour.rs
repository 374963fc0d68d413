//! Issue 11: zoomlive behaves as Zoom really does. JSON fallback from multipart
//! (`BodyEncoding::Auto`), errors classified by Zoom's codes (scopes, webinar 3001/1001
//! on 400, code 124), rate limits read fully (a wait stated in the message, ISO 8601
//! `Retry-After`, every `X-RateLimit-*` header, daily limits), and webinar settings
//! refused before sending. Each against a small server on 127.0.0.1 that answers canned
//! responses and records what it was sent.

use crate::common;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use zoomlive::emulator::Config;
use zoomlive::{
    Action, BodyEncoding, Client, Credentials, ErrorKind, LivestreamSettings, LivestreamUpdate,
    MeetingId, WebinarId,
};

/// One request the canned server received.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    content_type: String,
    authorization: String,
    body: Vec<u8>,
}

/// A canned answer: status, extra headers, body.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn reply(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body: body.to_owned(),
    }
}

impl Reply {
    fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// A server answering API requests with the queued replies in order (then 204), and
/// OAuth token requests (`/oauth/token`) with a fresh token each time.
struct Canned {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Canned {
    fn start(replies: Vec<Reply>) -> Canned {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let queue = Arc::new(Mutex::new(VecDeque::from(replies)));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut tokens = 0;
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let Some(req) = read_request(&stream) else {
                    continue;
                };
                let answer = if req.path.starts_with("/oauth/token") {
                    tokens += 1;
                    reply(
                        200,
                        &format!(
                            r#"{{"access_token":"tok-{tokens}","token_type":"bearer","expires_in":3600}}"#
                        ),
                    )
                } else {
                    queue
                        .lock()
                        .unwrap()
                        .pop_front()
                        .unwrap_or_else(|| reply(204, ""))
                };
                log.lock().unwrap().push(req);
                write_reply(&stream, &answer);
            }
        });
        Canned { port, seen }
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v2", self.port)
    }

    fn oauth_url(&self) -> String {
        format!("http://127.0.0.1:{}/oauth/token", self.port)
    }

    /// The API requests received (not the OAuth ones).
    fn api(&self) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path.starts_with("/v2/"))
            .cloned()
            .collect()
    }

    fn token_requests(&self) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path.starts_with("/oauth/"))
            .count()
    }

    fn client(&self, encoding: BodyEncoding) -> Client {
        Client::builder(Credentials::access_token("canned-token").unwrap())
            .base_url(self.base_url())
            .encoding(encoding)
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
    }

    fn s2s_client(&self) -> Client {
        Client::builder(Credentials::server_to_server("acct", "cid", "csecret").unwrap())
            .base_url(self.base_url())
            .oauth_url(self.oauth_url())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
    }
}

fn read_request(stream: &std::net::TcpStream) -> Option<Seen> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let (mut length, mut content_type, mut authorization) = (0usize, String::new(), String::new());
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        let value = value.trim().to_owned();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().ok()?,
            "content-type" => content_type = value,
            "authorization" => authorization = value,
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        method,
        path,
        content_type,
        authorization,
        body,
    })
}

fn write_reply(mut stream: &std::net::TcpStream, r: &Reply) {
    let mut head = format!(
        "HTTP/1.1 {} Canned\r\nContent-Length: {}\r\nConnection: close\r\n",
        r.status,
        r.body.len()
    );
    if !r.body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    for (name, value) in &r.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.push_str(&r.body);
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.flush();
}

const UNSUPPORTED: &str = r#"{"code":300,"message":"Unsupported Content Type"}"#;

fn meeting() -> MeetingId {
    MeetingId::parse("68423085").unwrap()
}

fn webinar() -> WebinarId {
    WebinarId::parse("91234567890").unwrap()
}

fn settings() -> LivestreamSettings {
    LivestreamSettings::new()
        .active_speaker_name(false)
        .display_name("Quarterly review")
        .unwrap()
}

fn json_of(seen: &Seen) -> serde_json::Value {
    serde_json::from_slice(&seen.body).expect("a JSON body")
}

// ---- §1: encoding auto ----------------------------------------------------------------

#[test]
fn auto_is_the_default_encoding() {
    assert_eq!(BodyEncoding::default(), BodyEncoding::Auto);
    let c = Client::with_access_token("t0ken").unwrap();
    assert_eq!(c.encoding(), BodyEncoding::Auto);
    assert!(!c.sends_json());
    assert_eq!("auto".parse::<BodyEncoding>().unwrap(), BodyEncoding::Auto);
}

#[test]
fn auto_falls_back_to_json_on_415_once_and_for_good() {
    let server = Canned::start(vec![reply(415, UNSUPPORTED)]);
    let c = server.client(BodyEncoding::Auto);
    c.update_meeting_livestream_status(meeting(), Action::Start, Some(&settings()))
        .unwrap();
    assert!(c.sends_json());
    // A clone shares the client's life, so the decision too.
    c.clone()
        .update_meeting_livestream(
            meeting(),
            &LivestreamUpdate::new("rtmp://a.example/live", "k3y", "https://e.example/p").unwrap(),
        )
        .unwrap();
    let api = server.api();
    assert_eq!(api.len(), 3, "{api:?}");
    assert!(
        api[0]
            .content_type
            .starts_with("multipart/form-data; boundary=")
    );
    assert_eq!(api[1].content_type, "application/json");
    assert_eq!(api[0].path, api[1].path);
    assert_eq!(
        json_of(&api[1]),
        serde_json::json!({"action": "start",
            "settings": {"active_speaker_name": false, "display_name": "Quarterly review"}})
    );
    assert_eq!(api[2].content_type, "application/json");
    assert_eq!(json_of(&api[2])["stream_key"], "k3y");
}

#[test]
fn auto_falls_back_on_a_4xx_code_300_saying_the_content_type_is_unsupported() {
    let server = Canned::start(vec![reply(
        400,
        r#"{"code":300,"message":"Content type is not supported."}"#,
    )]);
    let c = server.client(BodyEncoding::Auto);
    c.update_webinar_livestream_status(webinar(), Action::Stop, None)
        .unwrap();
    let api = server.api();
    assert_eq!(api.len(), 2);
    assert_eq!(api[1].content_type, "application/json");
    assert_eq!(json_of(&api[1]), serde_json::json!({"action": "stop"}));
}

#[test]
fn auto_does_not_fall_back_on_other_code_300_errors_nor_twice() {
    // A validation failure with code 300 is not about the content type.
    let server = Canned::start(vec![reply(
        400,
        r#"{"code":300,"message":"Validation Failed.","errors":[{"field":"action","message":"Invalid field."}]}"#,
    )]);
    let c = server.client(BodyEncoding::Auto);
    let err = c
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(server.api().len(), 1);
    assert!(!c.sends_json());

    // JSON refused too: returned after the one resend, not looped.
    let server = Canned::start(vec![reply(415, UNSUPPORTED), reply(415, UNSUPPORTED)]);
    let c = server.client(BodyEncoding::Auto);
    let err = c
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    assert_eq!(err.api().unwrap().status, 415);
    assert_eq!(server.api().len(), 2);
}

#[test]
fn multipart_keeps_todays_behaviour_and_json_is_json_only() {
    let server = Canned::start(vec![reply(415, UNSUPPORTED)]);
    let c = server.client(BodyEncoding::Multipart);
    let err = c
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.api().unwrap().status),
        (ErrorKind::Api, 415)
    );
    assert!(
        err.to_string().contains("Unsupported Content Type"),
        "{err}"
    );
    assert_eq!(server.api().len(), 1);
    assert!(!c.sends_json());

    let server = Canned::start(vec![]);
    let c = server.client(BodyEncoding::Json);
    c.update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap();
    assert_eq!(server.api()[0].content_type, "application/json");
}

#[test]
fn gets_carry_no_body_and_never_fall_back() {
    let server = Canned::start(vec![reply(415, UNSUPPORTED)]);
    let c = server.client(BodyEncoding::Auto);
    assert!(c.get_meeting_livestream(meeting()).is_err());
    assert_eq!(server.api().len(), 1);
    assert!(!c.sends_json());
}

#[test]
fn auto_against_the_json_only_emulator() {
    let emu = common::emulator_with(Config {
        json_only: true,
        ..Config::default()
    });
    let c = common::client(&emu, BodyEncoding::Auto);
    c.update_meeting_livestream_status(meeting(), Action::Start, Some(&settings()))
        .unwrap();
    c.update_meeting_livestream_status(meeting(), Action::Stop, None)
        .unwrap();
    let api = common::api_requests(&emu);
    assert_eq!(api.len(), 3, "one refused multipart, then JSON only");
    let multipart = common::client(&emu, BodyEncoding::Multipart);
    let err = multipart
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    assert_eq!(err.api().unwrap().status, 415, "{err}");
}

// ---- §2: errors classified by Zoom's code ---------------------------------------------

#[test]
fn scope_errors_are_auth_with_the_missing_scopes() {
    for (status, code) in [(400, 4700), (401, 4711)] {
        let server = Canned::start(vec![reply(
            status,
            &format!(
                r#"{{"code":{code},"message":"Invalid access token, does not contain scopes:[meeting:write:admin, meeting:write]."}}"#
            ),
        )]);
        let err = server
            .client(BodyEncoding::Json)
            .update_meeting_livestream_status(meeting(), Action::Start, None)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
        let api = err.api().unwrap();
        assert_eq!(
            api.missing_scopes(),
            ["meeting:write:admin", "meeting:write"]
        );
        assert!(
            err.to_string()
                .contains("add these scopes to the Zoom app: meeting:write:admin, meeting:write"),
            "{err}"
        );
        assert_eq!(server.api().len(), 1, "a scope error is not retried");
    }
}

#[test]
fn webinar_3001_and_1001_on_400_are_not_found() {
    for (code, message) in [
        (3001, "Webinar does not exist: 91234567890."),
        (1001, "User does not exist: abc."),
    ] {
        let server = Canned::start(vec![reply(
            400,
            &format!(r#"{{"code":{code},"message":"{message}"}}"#),
        )]);
        let err = server
            .client(BodyEncoding::Json)
            .update_webinar_livestream_status(webinar(), Action::Start, None)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
        assert_eq!(err.api().unwrap().code, Some(code));
        assert!(err.to_string().contains(message), "{err}");
    }
}

#[test]
fn code_124_is_auth_and_an_oauth_client_refetches_once() {
    let expired = r#"{"code":124,"message":"Invalid access token."}"#;
    // A static token: auth at once, nothing to refresh.
    let server = Canned::start(vec![reply(400, expired)]);
    let err = server
        .client(BodyEncoding::Json)
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(server.api().len(), 1);

    // OAuth: a new token, one retry, success.
    let server = Canned::start(vec![reply(400, expired)]);
    server
        .s2s_client()
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap();
    let api = server.api();
    assert_eq!(api.len(), 2);
    assert_eq!(server.token_requests(), 2);
    assert_eq!(api[0].authorization, "Bearer tok-1");
    assert_eq!(api[1].authorization, "Bearer tok-2");

    // Refused again: auth, after exactly one refetch.
    let server = Canned::start(vec![reply(401, expired), reply(400, expired)]);
    let err = server
        .s2s_client()
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!((server.api().len(), server.token_requests()), (2, 2));
}

#[test]
fn codes_200_3000_3161_stay_api_errors_with_zoom_message() {
    for (code, message) in [
        (
            200,
            "Custom live streaming is not enabled for this webinar.",
        ),
        (
            3000,
            "Cannot update live stream settings while the meeting is live.",
        ),
        (
            3161,
            "Meeting hosting and scheduling capabilities are not allowed.",
        ),
    ] {
        let server = Canned::start(vec![reply(
            400,
            &format!(r#"{{"code":{code},"message":"{message}"}}"#),
        )]);
        let err = server
            .client(BodyEncoding::Json)
            .update_webinar_livestream_status(webinar(), Action::Start, None)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Api);
        assert_eq!(err.api().unwrap().message, message);
        assert!(err.api().unwrap().missing_scopes().is_empty());
    }
}

// ---- §3: rate limits ------------------------------------------------------------------

#[test]
fn a_wait_stated_in_the_message_is_retry_after_and_not_retried_inside_it() {
    for message in [
        "You can only start the live stream once, please retry after 30 seconds.",
        "Too many requests. Retry making a new request after 30 seconds.",
    ] {
        let server = Canned::start(vec![reply(
            429,
            &format!(r#"{{"code":429,"message":"{message}"}}"#),
        )]);
        let started = Instant::now();
        let err = server
            .client(BodyEncoding::Json)
            .update_meeting_livestream_status(meeting(), Action::Start, None)
            .unwrap_err();
        assert!(
            started.elapsed() < Duration::from_millis(900),
            "returned at once"
        );
        assert_eq!(err.kind(), ErrorKind::RateLimited);
        assert_eq!(
            err.api().unwrap().retry_after,
            Some(Duration::from_secs(30))
        );
        assert_eq!(server.api().len(), 1, "never retried blindly");
    }
}

#[test]
fn a_short_stated_wait_is_honoured_then_retried() {
    let server = Canned::start(vec![reply(
        429,
        r#"{"code":429,"message":"Please retry after 1 seconds."}"#,
    )]);
    let started = Instant::now();
    server
        .client(BodyEncoding::Json)
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(server.api().len(), 2);
}

#[test]
fn iso_8601_retry_after_and_every_rate_limit_header() {
    let at = SystemTime::now() + Duration::from_secs(120);
    let secs = at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    // The ISO 8601 form of `at`, computed by hand (UTC).
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    let iso = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    let server = Canned::start(vec![
        reply(429, r#"{"code":429,"message":"Too many requests."}"#)
            .header("Retry-After", &iso)
            .header("X-RateLimit-Type", "QPS")
            .header("X-RateLimit-Category", "Medium")
            .header("X-RateLimit-Limit", "30")
            .header("X-RateLimit-Remaining", "0"),
    ]);
    let err = server
        .client(BodyEncoding::Json)
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    let wait = api.retry_after.unwrap().as_secs();
    assert!((110..=120).contains(&wait), "{wait} from {iso}");
    assert_eq!(api.rate_limit_type.as_deref(), Some("QPS"));
    assert_eq!(api.rate_limit_category.as_deref(), Some("Medium"));
    assert_eq!(api.rate_limit_limit, Some(30));
    assert_eq!(api.rate_limit_remaining, Some(0));
    assert_eq!(server.api().len(), 1);
}

#[test]
fn daily_limits_are_never_retried_and_say_when_they_reset() {
    let server = Canned::start(vec![
        reply(
            429,
            r#"{"code":429,"message":"You have reached the maximum daily rate limit for this API."}"#,
        )
        .header("X-RateLimit-Type", "Daily-limit")
        .header("X-RateLimit-Remaining", "0")
        .header("Retry-After", "3"),
    ]);
    let err = server
        .client(BodyEncoding::Json)
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert!(err.api().unwrap().is_daily_limit());
    assert!(
        err.to_string().contains("daily limit; it resets in 3s"),
        "{err}"
    );
    assert_eq!(server.api().len(), 1, "a 3 s wait, but a daily limit");

    // Without the header, Zoom's message alone says it is daily.
    let server = Canned::start(vec![reply(
        429,
        r#"{"code":429,"message":"You have reached the maximum daily rate limit for this API."}"#,
    )]);
    let err = server
        .client(BodyEncoding::Json)
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    assert!(err.api().unwrap().is_daily_limit());
    assert_eq!(server.api().len(), 1);
}

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

// ---- §4: webinar settings ---------------------------------------------------------------

#[test]
fn webinar_layout_and_close_caption_are_refused_before_sending() {
    let server = Canned::start(vec![]);
    let c = server.client(BodyEncoding::Auto);
    for s in [
        settings().layout("gallery").unwrap(),
        settings().close_caption("burnt-in").unwrap(),
    ] {
        let err = c
            .update_webinar_livestream_status(webinar(), Action::Start, Some(&s))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.to_string().contains("meetings only"), "{err}");
        // Meetings take them, with any value.
        c.update_meeting_livestream_status(meeting(), Action::Start, Some(&s))
            .unwrap();
    }
    assert!(
        server
            .api()
            .iter()
            .all(|s| s.path.starts_with("/v2/meetings/"))
    );
    assert_eq!(server.api().len(), 2);
    assert!(server.api().iter().all(|s| s.method == "PATCH"));
}
