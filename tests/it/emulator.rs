//! The emulator answers as Zoom documents, checked over loopback with a plain HTTP
//! client (ureq, not zoomlive): invalid ids, unknown webinars and deleted hosts, the
//! start cooldown with and without rate-limit headers, scope errors, the daily limit,
//! a JSON-only Zoom's 415, faults set through the control API, stream keys hidden from
//! the request log, and the `zoomlive emulator` flags that turn each on.

use std::time::Duration;

use crate::common::{MEETING, TOKEN, WEBINAR};
use serde_json::{Value, json};
use zoomlive::emulator::{Config, DELETED_HOST, Emulator, Kind};

/// An answer: status, headers (lower-case names) and body.
struct Answer {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// Zoom's error body, `(code, message)`.
    fn zoom(&self) -> (i64, String) {
        let v = self.json();
        (
            v["code"].as_i64().unwrap(),
            v["message"].as_str().unwrap().into(),
        )
    }
}

/// One request with the fake token and `Accept: application/json`; `body` is a
/// content type and its bytes.
fn send(method: &str, url: &str, body: Option<(&str, &str)>) -> Answer {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut req = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("accept", "application/json");
    if let Some((content_type, _)) = body {
        req = req.header("content-type", content_type);
    }
    let bytes = body.map_or(Vec::new(), |(_, b)| b.as_bytes().to_vec());
    let mut resp = agent.run(req.body(bytes).unwrap()).expect("an answer");
    Answer {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        body: resp.body_mut().read_to_string().unwrap(),
    }
}

fn json_body(v: &Value) -> String {
    v.to_string()
}

/// PATCH `.../{kind}s/{id}/livestream/status` with a JSON `action`.
fn status(emu_url: &str, kind: &str, id: &str, action: &str) -> Answer {
    let url = format!("{emu_url}/v2/{kind}s/{id}/livestream/status");
    let body = json_body(&json!({ "action": action }));
    send("PATCH", &url, Some(("application/json", &body)))
}

fn start(emu: &Emulator, kind: &str, id: &str) -> Answer {
    status(&emu.url(), kind, id, "start")
}

fn with(config: Config) -> Emulator {
    Emulator::start(config).expect("emulator starts")
}

fn post_fault(emu: &Emulator, fault: &Value) -> Answer {
    let url = format!("{}/_emulator/faults", emu.url());
    send("POST", &url, Some(("application/json", &json_body(fault))))
}

#[test]
fn an_invalid_id_answers_400_code_300_or_the_configured_http_300() {
    let emu = with(Config::default());
    let a = start(&emu, "meeting", "12a");
    assert_eq!(a.status, 400);
    assert_eq!(a.zoom(), (300, "Invalid Meeting ID.".into()));
    let a = start(&emu, "webinar", "0");
    assert_eq!(
        (a.status, a.zoom()),
        (400, (300, "Invalid Webinar ID.".into()))
    );

    let postman = with(Config {
        invalid_id_status: 300,
        ..Config::default()
    });
    let a = start(&postman, "meeting", "12a");
    assert_eq!(
        (a.status, a.zoom()),
        (300, (300, "Invalid Meeting ID.".into()))
    );
}

#[test]
fn an_unknown_webinar_answers_400_code_3001_and_a_meeting_404() {
    let emu = with(Config::default());
    let a = start(&emu, "webinar", "123456789");
    assert_eq!(a.status, 400);
    assert_eq!(
        a.zoom(),
        (3001, "Webinar does not exist: 123456789.".into())
    );
    let a = start(&emu, "meeting", "123456789");
    assert_eq!(a.status, 404);
    assert_eq!(
        a.zoom(),
        (3001, "Meeting does not exist: 123456789.".into())
    );
    assert_eq!(start(&emu, "webinar", WEBINAR).status, 204);
}

#[test]
fn a_webinar_whose_host_is_gone_answers_400_code_1001() {
    let emu = with(Config {
        hostless_webinars: vec![555],
        ..Config::default()
    });
    let a = start(&emu, "webinar", "555");
    assert_eq!(a.status, 400);
    let message = format!("User does not exist: {DELETED_HOST}.");
    assert_eq!(a.zoom(), (1001, message));

    // The same answer, once, through the control API.
    let set = post_fault(&emu, &json!({"path": "/webinars/", "missing_user": "jane"}));
    assert_eq!(set.status, 204, "{}", set.body);
    let a = start(&emu, "webinar", WEBINAR);
    assert_eq!(
        (a.status, a.zoom()),
        (400, (1001, "User does not exist: jane.".into()))
    );
    assert_eq!(start(&emu, "webinar", WEBINAR).status, 204);
}

fn cooldown(rate_limit_headers: bool) -> Answer {
    let emu = with(Config {
        start_cooldown: Duration::from_secs(30),
        rate_limit_headers,
        ..Config::default()
    });
    assert_eq!(start(&emu, "meeting", MEETING).status, 204);
    assert_eq!(status(&emu.url(), "meeting", MEETING, "stop").status, 204);
    start(&emu, "meeting", MEETING)
}

#[test]
fn the_start_cooldown_states_its_wait_in_the_message_without_headers() {
    let a = cooldown(false);
    assert_eq!(a.status, 429);
    let (code, message) = a.zoom();
    assert_eq!(code, 429);
    assert_eq!(
        message,
        format!(
            "Too many requests submitted to start the live stream of this meeting: {MEETING}. \
             If the live stream has not already started, retry making a new request after 30 \
             seconds."
        )
    );
    for name in ["retry-after", "x-ratelimit-type", "x-ratelimit-limit"] {
        assert_eq!(a.header(name), None, "{name} is not sent by default");
    }
}

#[test]
fn rate_limit_headers_come_with_the_cooldown_on_request() {
    let a = cooldown(true);
    assert_eq!(a.status, 429);
    assert!(a.zoom().1.ends_with("after 30 seconds."));
    assert_eq!(a.header("retry-after"), Some("30"));
    assert_eq!(a.header("x-ratelimit-type"), Some("QPS"));
    assert_eq!(a.header("x-ratelimit-category"), Some("Light"));
    assert_eq!(a.header("x-ratelimit-limit"), Some("1"));
    assert_eq!(a.header("x-ratelimit-remaining"), Some("0"));
}

const SCOPE_MESSAGE: &str =
    "Invalid access token, does not contain scopes:[meeting:write:admin, meeting:write].";

#[test]
fn missing_scopes_answer_400_code_4700_from_the_config_and_from_a_fault() {
    let emu = with(Config {
        missing_scopes: vec!["meeting:write:admin".into(), "meeting:write".into()],
        ..Config::default()
    });
    let a = start(&emu, "meeting", MEETING);
    assert_eq!((a.status, a.zoom()), (400, (4700, SCOPE_MESSAGE.into())));
    assert_eq!(emu.meeting_live(MEETING.parse().unwrap()), Some(false));

    let emu = with(Config::default());
    let fault = json!({"scopes": ["meeting:write:admin", "meeting:write"]});
    assert_eq!(post_fault(&emu, &fault).status, 204);
    let a = start(&emu, "meeting", MEETING);
    assert_eq!((a.status, a.zoom()), (400, (4700, SCOPE_MESSAGE.into())));
    // A fault may give Zoom's other scope code (4711) and another status.
    let fault = json!({"scopes": ["webinar:write"], "code": 4711, "status": 401});
    assert_eq!(post_fault(&emu, &fault).status, 204);
    let a = start(&emu, "webinar", WEBINAR);
    assert_eq!(a.status, 401);
    let message = "Invalid access token, does not contain scopes:[webinar:write].";
    assert_eq!(a.zoom(), (4711, message.into()));
    assert_eq!(start(&emu, "meeting", MEETING).status, 204);
}

/// An ISO 8601 date-time at 00:00:00 UTC: `2024-05-31T00:00:00Z`.
fn assert_midnight(value: Option<&str>) {
    let value = value.expect("Retry-After");
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    assert!(
        value.len() == 20 && digits == 14 && value.ends_with("T00:00:00Z"),
        "{value}"
    );
}

#[test]
fn the_daily_limit_answers_429_with_daily_limit_headers_until_reset() {
    let emu = with(Config {
        daily_limit: Some(2),
        ..Config::default()
    });
    assert_eq!(start(&emu, "meeting", MEETING).status, 204);
    assert_eq!(start(&emu, "webinar", WEBINAR).status, 204);
    let a = start(&emu, "meeting", MEETING);
    assert_eq!(a.status, 429);
    let (code, message) = a.zoom();
    assert_eq!(code, 429);
    assert!(message.contains("daily rate limit (2)"), "{message}");
    assert!(
        message.contains("resume these requests at GMT 00:00:00"),
        "{message}"
    );
    assert_eq!(a.header("x-ratelimit-type"), Some("Daily-limit"));
    assert_eq!(a.header("x-ratelimit-limit"), Some("2"));
    assert_eq!(a.header("x-ratelimit-remaining"), Some("0"));
    assert_midnight(a.header("retry-after"));

    let reset = send("POST", &format!("{}/_emulator/reset", emu.url()), None);
    assert_eq!(reset.status, 204);
    assert_eq!(start(&emu, "meeting", MEETING).status, 204, "a new day");
}

#[test]
fn a_daily_limit_fault_answers_once() {
    let emu = with(Config::default());
    assert_eq!(post_fault(&emu, &json!({"daily_limit": true})).status, 204);
    let a = start(&emu, "meeting", MEETING);
    assert_eq!(a.status, 429);
    assert!(a.zoom().1.contains("daily rate limit (6000)"));
    assert_eq!(a.header("x-ratelimit-type"), Some("Daily-limit"));
    assert_midnight(a.header("retry-after"));
    assert_eq!(start(&emu, "meeting", MEETING).status, 204);
}

#[test]
fn a_json_only_zoom_answers_form_data_with_415() {
    let emu = with(Config {
        json_only: true,
        ..Config::default()
    });
    let url = format!("{}/v2/meetings/{MEETING}/livestream/status", emu.url());
    let form =
        "--XyZ\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nstart\r\n--XyZ--\r\n";
    let a = send(
        "PATCH",
        &url,
        Some(("multipart/form-data; boundary=XyZ", form)),
    );
    assert_eq!(a.status, 415);
    assert_eq!(
        a.json(),
        json!({"code": 300, "message": "Unsupported Content Type"})
    );
    let a = send(
        "PATCH",
        &url,
        Some(("application/x-www-form-urlencoded", "action=start")),
    );
    assert_eq!(a.status, 415);
    assert_eq!(start(&emu, "meeting", MEETING).status, 204);
    assert_eq!(emu.meeting_live(MEETING.parse().unwrap()), Some(true));
}

#[test]
fn the_request_log_shows_stream_keys_as_stars() {
    let emu = with(Config::default());
    let key = "live-key-0123456789";
    let url = format!("{}/v2/meetings/{MEETING}/livestream", emu.url());
    let update =
        json!({"stream_url": "rtmp://x/app", "stream_key": key, "page_url": "https://e.x"});
    let a = send(
        "PATCH",
        &url,
        Some(("application/json", &json_body(&update))),
    );
    assert_eq!(a.status, 204);
    let form = "--B\r\nContent-Disposition: form-data; name=\"stream_key\"\r\n\r\nform-key-42\r\n--B--\r\n";
    send(
        "PATCH",
        &url,
        Some(("multipart/form-data; boundary=B", form)),
    );

    let log = send("GET", &format!("{}/_emulator/requests", emu.url()), None);
    assert!(!log.body.contains(key) && !log.body.contains("form-key-42"));
    let entries = log.json();
    assert_eq!(entries[0]["fields"]["stream_key"], "***");
    assert_eq!(entries[0]["fields"]["stream_url"], "rtmp://x/app");
    assert_eq!(entries[0]["authorization"], "Bearer ***");
    assert_eq!(entries[1]["fields"]["stream_key"], "***");
    assert!(
        emu.requests()
            .iter()
            .all(|r| r.fields["stream_key"] == "***")
    );
    let streams = send("GET", &format!("{}/_emulator/streams", emu.url()), None);
    assert!(!streams.body.contains(key), "{}", streams.body);

    // What Zoom stored, and answers to GET, is the key itself.
    let stored = emu.stream(Kind::Meeting, MEETING.parse().unwrap()).unwrap();
    assert_eq!(stored.stream_key, key);
    assert_eq!(send("GET", &url, None).json()["stream_key"], key);
}

#[test]
fn faults_are_checked_and_take_retry_after_as_an_iso_date() {
    let emu = with(Config::default());
    let a = post_fault(&emu, &json!({"status": 429, "retry-after": 1}));
    assert_eq!(a.status, 400);
    assert!(a.json()["error"].as_str().unwrap().contains("retry-after"));
    let a = post_fault(&emu, &json!([{"status": 700}]));
    assert_eq!(a.status, 400);
    assert!(a.json()["error"].as_str().unwrap().contains("100..599"));

    let fault =
        json!({"status": 429, "code": 429, "message": "Later.", "retry_after": "iso:+86400"});
    assert_eq!(post_fault(&emu, &fault).status, 204);
    let a = start(&emu, "meeting", MEETING);
    assert_eq!((a.status, a.zoom()), (429, (429, "Later.".into())));
    let when = a.header("retry-after").unwrap();
    assert!(
        when.len() == 20 && when.ends_with('Z') && when.as_bytes()[10] == b'T',
        "{when}"
    );
}

/// The `zoomlive emulator` flags for each behaviour.
#[cfg(feature = "cli")]
mod flags {
    use std::io::{BufRead, BufReader};
    use std::process::{Child, Command, Stdio};

    use super::*;

    struct Process {
        child: Child,
        url: String,
    }

    impl Process {
        fn start(flags: &[&str]) -> Process {
            let mut child = Command::new(env!("CARGO_BIN_EXE_zoomlive"))
                .args(["emulator", "--bind", "127.0.0.1:0"])
                .args(flags)
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let mut first = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut first)
                .unwrap();
            let url = first.trim().to_owned();
            assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
            Process { child, url }
        }
    }

    impl Drop for Process {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    #[test]
    fn each_behaviour_has_its_flag() {
        let p = Process::start(&[
            "--invalid-id-status",
            "300",
            "--json-only",
            "--hostless-webinar",
            "777",
            "--start-cooldown-ms",
            "60000",
            "--rate-limit-headers",
        ]);
        assert_eq!(status(&p.url, "meeting", "x1", "start").status, 300);
        let url = format!("{}/v2/meetings/{MEETING}/livestream/status", p.url);
        let form = send(
            "PATCH",
            &url,
            Some(("application/x-www-form-urlencoded", "action=start")),
        );
        assert_eq!(form.status, 415);
        assert_eq!(status(&p.url, "webinar", "777", "start").zoom().0, 1001);
        assert_eq!(status(&p.url, "meeting", MEETING, "start").status, 204);
        let again = status(&p.url, "meeting", MEETING, "start");
        assert_eq!(again.status, 429);
        let wait: u64 = again.header("retry-after").unwrap().parse().unwrap();
        assert!((59..=60).contains(&wait), "{wait}");

        let p = Process::start(&["--missing-scope", "meeting:write:admin,meeting:write"]);
        let a = status(&p.url, "meeting", MEETING, "start");
        assert_eq!((a.status, a.zoom()), (400, (4700, SCOPE_MESSAGE.into())));

        let p = Process::start(&["--daily-limit", "1"]);
        assert_eq!(status(&p.url, "meeting", MEETING, "start").status, 204);
        let a = status(&p.url, "meeting", MEETING, "stop");
        assert_eq!(a.status, 429);
        assert_eq!(a.header("x-ratelimit-type"), Some("Daily-limit"));
    }

    #[test]
    fn an_invalid_id_status_other_than_300_or_400_is_refused() {
        let out = Command::new(env!("CARGO_BIN_EXE_zoomlive"))
            .args(["emulator", "--invalid-id-status", "301"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("300 or 400"));
    }
}
