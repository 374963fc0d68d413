//! The trace of a call (issue 19): every step in order, on success and failure, from
//! the emulator, a TLS server with a local CA and echoing hostile servers; never a
//! secret. The `log` records (a process-wide logger) are checked alone in a process.

use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use serde_json::json;
use zoomlive::emulator::{Config, Fault};
use zoomlive::{
    Action, BodyEncoding, Client, Credentials, ErrorKind, LivestreamSettings, LivestreamUpdate,
    MeetingId, RetryPolicy,
};

use crate::common::echo::{echo_line as echo, header, serve, serve_oauth_echo};
use crate::common::{MEETING, alone, builder, client, emulator, emulator_with, s2s_builder};
use crate::tls_rig::{Server, pki};

fn meeting() -> MeetingId {
    MeetingId::parse(MEETING).unwrap()
}

/// The event names of a trace (the word after the time), in order.
fn kinds(trace: &str) -> Vec<&str> {
    trace
        .lines()
        .map(|l| {
            let (time, rest) = l.split_once(' ').expect("time and event");
            assert!(
                time.starts_with('+') && time.ends_with("ms"),
                "a line starts with its time: {l}"
            );
            rest.split(' ').next().unwrap()
        })
        .collect()
}

/// The first line of `trace` with this event name.
fn line<'a>(trace: &'a str, kind: &str) -> &'a str {
    trace
        .lines()
        .find(|l| l.split(' ').nth(1) == Some(kind))
        .unwrap_or_else(|| panic!("no {kind} event in\n{trace}"))
}

#[test]
fn a_call_is_traced_step_by_step() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    let settings = LivestreamSettings::new()
        .display_name("Quarterly review")
        .unwrap();
    c.update_meeting_livestream_status(meeting(), Action::Start, Some(&settings))
        .unwrap();
    let trace = c.last_trace().expect("a trace after a call");
    assert_eq!(
        kinds(&trace),
        [
            "config", "proxy", "token", "request", "header", "header", "header", "header", "field",
            "field", "tcp", "answer", "outcome"
        ],
        "{trace}"
    );
    assert!(line(&trace, "config").contains(&format!("base_url={}", emu.base_url())));
    assert!(line(&trace, "config").contains("encoding=multipart timeout=10s"));
    assert!(line(&trace, "proxy").ends_with("direct source=loopback"));
    assert!(line(&trace, "token").ends_with("token static"));
    assert!(line(&trace, "request").ends_with(&format!(
        "request PATCH /v2/meetings/{MEETING}/livestream/status encoding=multipart"
    )));
    assert!(trace.contains("header Authorization: Bearer <redacted>\n"));
    assert!(trace.contains("field action size=5 value=\"start\"\n"));
    assert!(
        trace.contains(r#"field settings size=35 value="{\"display_name\":\"Quarterly review\"}""#)
    );
    assert!(line(&trace, "tcp").contains(&format!("tcp {} connected ms=", emu.addr())));
    let answer = line(&trace, "answer");
    assert!(
        answer.contains("answer 204 x-zm-trackingid=\"v=2.0;clid=emu;"),
        "{answer}"
    );
    assert!(line(&trace, "outcome").contains("outcome ok total_ms="));
    assert!(!trace.contains(crate::common::TOKEN));

    // The stream key is sent, shown by its size only; the pooled connection is reused.
    let update = LivestreamUpdate::new(
        "rtmp://a.example/live",
        "k3y-SECRET-42",
        "https://e.example/p",
    )
    .unwrap();
    c.update_meeting_livestream(meeting(), &update).unwrap();
    let trace = c.last_trace().unwrap();
    assert!(
        trace.contains("field stream_key size=13 value=<redacted>\n"),
        "{trace}"
    );
    assert!(
        line(&trace, "pool").contains("reused a kept-alive connection"),
        "{trace}"
    );
    assert!(!trace.contains("k3y-SECRET-42"));

    // A read-back shows Zoom's answer with the stream key scrubbed.
    let got = c.get_meeting_livestream(meeting()).unwrap();
    assert_eq!(got.stream_key(), Some("k3y-SECRET-42"));
    let trace = c.last_trace().unwrap();
    let body = line(&trace, "answer-body");
    assert!(
        body.contains(r#""stream_url":"rtmp://a.example/live""#),
        "{body}"
    );
    assert!(!trace.contains("k3y-SECRET-42"), "{trace}");

    // A failure: the same account, attached to the error and kept as the last trace.
    let err = c
        .get_meeting_livestream(MeetingId::parse("1234").unwrap())
        .unwrap_err();
    let trace = err.trace().expect("the error carries its trace");
    assert_eq!(c.last_trace().as_deref(), Some(trace));
    assert!(line(trace, "answer").contains("answer 404"));
    assert!(line(trace, "answer-body").contains("Meeting does not exist: 1234."));
    assert!(line(trace, "outcome").contains("outcome failed kind=not_found"));
}

#[test]
fn input_errors_have_no_trace_and_each_thread_keeps_its_own() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Auto);
    assert_eq!(c.last_trace(), None, "no call yet");
    let err = c
        .update_webinar_livestream_status(
            zoomlive::WebinarId::parse("91234567890").unwrap(),
            Action::Start,
            Some(&LivestreamSettings::new().layout("gallery_view").unwrap()),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.trace(), None, "nothing was sent");
    c.get_meeting_livestream(meeting()).unwrap();
    let mine = c.last_trace().unwrap();
    let other = std::thread::scope(|s| s.spawn(|| c.last_trace()).join().unwrap());
    assert_eq!(other, None, "another thread's last trace is its own");
    // A clone shares the client's traces; another client has its own.
    assert_eq!(c.clone().last_trace().as_deref(), Some(mine.as_str()));
    assert_eq!(client(&emu, BodyEncoding::Auto).last_trace(), None);
}

#[test]
fn server_to_server_traces_where_the_token_came_from() {
    let emu = emulator();
    let c = s2s_builder(&emu).build().unwrap();
    c.get_meeting_livestream(meeting()).unwrap();
    let trace = c.last_trace().unwrap();
    let order = kinds(&trace);
    let post = trace
        .find("request POST /oauth/token encoding=form")
        .expect(&trace);
    let fetched = trace.find("token fetched ms=").expect(&trace);
    let get = trace.find("request GET /v2/meetings/").expect(&trace);
    assert!(post < fetched && fetched < get, "{trace}");
    assert!(trace.contains("header Authorization: Basic <redacted>\n"));
    assert!(trace.contains("field account_id size=12 value=\"demo-account\""));
    assert!(
        order.iter().filter(|k| **k == "answer").count() == 2,
        "{trace}"
    );
    for secret in ["demo-secret", "ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ="] {
        assert!(!trace.contains(secret), "{secret} in {trace}");
    }
    // Another client with the same credentials takes the process's cached token.
    let other = s2s_builder(&emu).build().unwrap();
    other.get_meeting_livestream(meeting()).unwrap();
    assert!(
        other
            .last_trace()
            .unwrap()
            .contains("token cache=process\n")
    );
}

#[test]
fn retries_and_waits_are_traced_with_their_reason() {
    let emu = emulator_with(Config {
        rate_limit_headers: true,
        ..Config::default()
    });
    let c = client(&emu, BodyEncoding::Auto);
    emu.push_fault(Fault {
        path: "/livestream".into(),
        status: Some(429),
        code: Some(429),
        message: Some("Too many requests".into()),
        retry_after: Some("1".into()),
        headers: vec![("X-RateLimit-Type".into(), "QPS".into())],
        ..Fault::default()
    });
    c.get_meeting_livestream(meeting()).unwrap();
    let trace = c.last_trace().unwrap();
    assert!(line(&trace, "answer").contains("answer 429"), "{trace}");
    assert!(
        line(&trace, "answer").contains("retry-after=\"1\""),
        "{trace}"
    );
    let retry = line(&trace, "retry");
    assert!(
        retry.contains("rate limited (429 QPS): wait from the answer wait_ms=1000"),
        "{retry}"
    );
    assert_eq!(trace.matches("request GET").count(), 2, "{trace}");

    // A refused content type: sent again as JSON, and said so.
    emu.push_fault(Fault {
        path: "/livestream/status".into(),
        status: Some(400),
        code: Some(300),
        message: Some("Unsupported Content-Type: multipart/form-data".into()),
        ..Fault::default()
    });
    c.update_meeting_livestream_status(meeting(), Action::Stop, None)
        .unwrap();
    let trace = c.last_trace().unwrap();
    assert!(
        line(&trace, "retry").contains("the content type was refused: sending JSON from now on"),
        "{trace}"
    );
    assert!(trace.contains("encoding=json"), "{trace}");

    // A token Zoom refuses (code 124): a new one is fetched, once.
    let s2s = s2s_builder(&emu).build().unwrap();
    s2s.get_meeting_livestream(meeting()).unwrap();
    emu.push_fault(Fault::status(401, 124, "Invalid access token."));
    s2s.get_meeting_livestream(meeting()).unwrap();
    let trace = s2s.last_trace().unwrap();
    assert!(
        line(&trace, "retry")
            .contains("the token was refused (HTTP 401, code 124): fetching a new one"),
        "{trace}"
    );
    assert!(trace.contains("token fetched ms="), "{trace}");
}

#[test]
fn tls_is_traced_with_the_certificate_and_who_vouched_for_it() {
    let server = Server::start(&pki(), "127.0.0.1");
    let with_ca = |ca: bool| {
        let b = Client::builder(Credentials::access_token(crate::common::TOKEN).unwrap())
            .base_url(server.base_url())
            .timeout(Duration::from_secs(10));
        if ca {
            b.extra_ca_pem(server.ca_pem.clone())
        } else {
            b
        }
        .build()
        .unwrap()
    };
    let c = with_ca(true);
    c.update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap();
    let trace = c.last_trace().unwrap();
    let tls = line(&trace, "tls");
    assert!(tls.contains("tls TLSv1.3 TLS13_"), "{tls}");
    assert!(tls.contains("verifier=extra-ca"), "{tls}");
    assert!(tls.contains("issuer=\"CN=zoomlive test CA\""), "{tls}");
    let order = kinds(&trace);
    let (tcp, tls_at, answer) = (
        order.iter().position(|k| *k == "tcp").unwrap(),
        order.iter().position(|k| *k == "tls").unwrap(),
        order.iter().position(|k| *k == "answer").unwrap(),
    );
    assert!(tcp < tls_at && tls_at < answer, "{trace}");

    // Not trusted without the CA: the failure is traced as a sentence.
    let err = with_ca(false)
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    let trace = err.trace().unwrap();
    assert!(trace.contains(" tls failed: "), "{trace}");
    assert!(line(trace, "outcome").contains("outcome failed kind=transport"));
}

// ---- secrets ---------------------------------------------------------------------------

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.TRACE-HOSTILE-TOKEN-0a1b2c3d4e5f";
const STREAM_KEY: &str = "trace-live-key-77aa88bb";
const CLIENT_ID: &str = "trace-hostile-client";
const CLIENT_SECRET: &str = "trace-hostile-secret-99";

fn secrets() -> Vec<String> {
    let basic = format!("{CLIENT_ID}:{CLIENT_SECRET}");
    vec![
        TOKEN.into(),
        STREAM_KEY.into(),
        CLIENT_SECRET.into(),
        base64::engine::general_purpose::STANDARD.encode(&basic),
        basic,
    ]
}

fn assert_clean(text: &str, what: &str) {
    for secret in secrets() {
        assert!(
            !text.contains(&secret[..8]),
            "{what}: {} in\n{text}",
            &secret[..8]
        );
    }
}

#[test]
fn traces_keep_no_secret_an_echoing_server_sends_back() {
    let update = LivestreamUpdate::new("rtmp://a/live", STREAM_KEY, "https://e.example/p").unwrap();
    for cut in [200usize, 1000, 1024, 64 * 1024] {
        for shift in [1usize, 9] {
            // The whole request in the body and the Authorization value in every header.
            let url = serve(3, move |h, b| {
                let auth = header(h, "authorization");
                let pad = "x".repeat(cut.saturating_sub(shift));
                let headers = ["x-zm-trackingid", "X-RateLimit-Type", "Retry-After", "Date"]
                    .iter()
                    .map(|n| ((*n).to_owned(), auth.clone()))
                    .collect();
                let text = format!(r#"{{"code":300,"message":"{pad}{}"}}"#, echo(h, b));
                ("400 Bad Request".into(), headers, text)
            });
            let c = Client::builder(Credentials::access_token(TOKEN).unwrap())
                .base_url(format!("{url}/v2"))
                .retry_policy(RetryPolicy::none())
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
            let err = c.update_meeting_livestream(meeting(), &update).unwrap_err();
            let what = format!("cut {cut} shift {shift}");
            assert_clean(err.trace().unwrap(), &what);
            assert_clean(&c.last_trace().unwrap(), &what);
            assert!(err.trace().unwrap().contains("answer-body "), "{what}");
            // A success whose body echoes the request (the token) back.
            let url = serve(1, |h, b| {
                let body = json!({"stream_url": echo(h, b), "stream_key": header(h, "authorization"),
                                  "page_url": "https://e.example/p"});
                (
                    "200 OK".into(),
                    vec![("x-zm-trackingid".into(), header(h, "authorization"))],
                    body.to_string(),
                )
            });
            let c = c
                .to_builder()
                .base_url(format!("{url}/v2"))
                .build()
                .unwrap();
            c.get_meeting_livestream(meeting()).unwrap();
            assert_clean(&c.last_trace().unwrap(), &format!("{what}, success"));
        }
    }
    // An OAuth endpoint echoing its request: the Basic value never shows.
    let oauth = serve_oauth_echo(1);
    let c =
        Client::builder(Credentials::server_to_server("acct-9", CLIENT_ID, CLIENT_SECRET).unwrap())
            .base_url("http://127.0.0.1:9/v2")
            .oauth_url(format!("{oauth}/oauth/token"))
            .retry_policy(RetryPolicy::none())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
    let err = c.update_meeting_livestream(meeting(), &update).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_clean(err.trace().unwrap(), "oauth");
}

// ---- the log facade (a process-wide logger: alone in a process) --------------------------

struct Capture(Mutex<Vec<(log::Level, String, String)>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        self.0.lock().unwrap().push((
            record.level(),
            record.target().to_owned(),
            record.args().to_string(),
        ));
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));

#[test]
fn each_event_is_a_debug_record_and_each_call_an_info_line() {
    if !alone(
        module_path!(),
        "each_event_is_a_debug_record_and_each_call_an_info_line",
    ) {
        return;
    }
    log::set_logger(&CAPTURE).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let emu = emulator();
    let c = builder(&emu, BodyEncoding::Auto).build().unwrap();
    c.update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap();
    let trace = c.last_trace().unwrap();
    let records = CAPTURE.0.lock().unwrap().clone();
    let ours: Vec<_> = records
        .iter()
        .filter(|r| r.1 == zoomlive::LOG_TARGET)
        .collect();
    let debug: Vec<&str> = ours
        .iter()
        .filter(|r| r.0 == log::Level::Debug)
        .map(|r| r.2.as_str())
        .collect();
    assert_eq!(debug, trace.lines().collect::<Vec<_>>());
    let info: Vec<&str> = ours
        .iter()
        .filter(|r| r.0 == log::Level::Info)
        .map(|r| r.2.as_str())
        .collect();
    assert_eq!(info.len(), 1, "{info:?}");
    assert!(
        info[0].starts_with(&format!(
            "PATCH /meetings/{MEETING}/livestream/status: ok in "
        )),
        "{info:?}"
    );
    for (_, _, text) in &records {
        assert!(!text.contains(crate::common::TOKEN), "{text}");
    }
}

// ---- zoomlive doctor -----------------------------------------------------------------------

fn statuses(checks: &[zoomlive::Check]) -> Vec<(String, &'static str)> {
    checks
        .iter()
        .map(|c| (c.check.clone(), c.status.as_str()))
        .collect()
}

#[test]
fn doctor_checks_the_path_the_token_and_its_scopes() {
    let emu = emulator_with(Config {
        missing_scopes: vec!["webinar:write:admin".into()],
        ..Config::default()
    });
    let c = s2s_builder(&emu).build().unwrap();
    let checks = c.doctor(&zoomlive::DoctorOptions {
        owner: Some(meeting().into()),
        ..Default::default()
    });
    let got = statuses(&checks);
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "proxy 127.0.0.1",
            "proxy 127.0.0.1",
            "tcp 127.0.0.1",
            "tls 127.0.0.1",
            "http 127.0.0.1",
            "tcp 127.0.0.1",
            "tls 127.0.0.1",
            "http 127.0.0.1",
            "clock",
            "token",
            "scopes",
            "get meeting 68423085"
        ],
        "{checks:#?}"
    );
    let find = |name: &str| checks.iter().find(|c| c.check == name).unwrap();
    assert_eq!(find("token").status, zoomlive::CheckStatus::Ok);
    assert!(find("token").detail.contains("valid for 3600 s"));
    let scopes = find("scopes");
    assert_eq!(scopes.status, zoomlive::CheckStatus::Warn, "{scopes:?}");
    assert!(
        scopes
            .detail
            .contains("webinar status/update needs webinar:write:admin"),
        "{scopes:?}"
    );
    assert!(
        !scopes.detail.contains("meeting status/update"),
        "{scopes:?}"
    );
    assert!(scopes.advice.is_some());
    // The emulator refuses every call of an app missing a scope, as Zoom does for its own.
    assert_eq!(
        find("get meeting 68423085").status,
        zoomlive::CheckStatus::Fail
    );
    assert_eq!(find("clock").status, zoomlive::CheckStatus::Ok);
    let json: serde_json::Value = serde_json::from_str(&zoomlive::doctor_json(&checks)).unwrap();
    assert_eq!(json.as_array().unwrap().len(), checks.len());
    assert_eq!(json[0]["check"], "proxy 127.0.0.1");
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"].is_string())
    );
    assert!(!zoomlive::doctor_json(&checks).contains("demo-secret"));
}

#[test]
fn doctor_names_a_tls_inspecting_proxy_and_the_extra_ca_advice() {
    let server = Server::start(&pki(), "127.0.0.1");
    let plain = Client::builder(Credentials::access_token(crate::common::TOKEN).unwrap())
        .base_url(server.base_url())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let checks = plain.doctor(&Default::default());
    let tls = checks
        .iter()
        .find(|c| c.check.starts_with("tls "))
        .expect("a tls check");
    assert_eq!(tls.status, zoomlive::CheckStatus::Fail, "{checks:#?}");
    assert!(tls.detail.contains("a TLS-inspecting proxy?"), "{tls:?}");
    assert!(
        tls.advice.as_deref().unwrap().contains("--extra-ca-file"),
        "{tls:?}"
    );
    assert!(
        tls.advice.as_deref().unwrap().contains("ExtraCaFile"),
        "{tls:?}"
    );
    // With the proxy's CA given: it works, and the doctor says who vouched.
    let with_ca = plain
        .to_builder()
        .extra_ca_pem(server.ca_pem.clone())
        .build()
        .unwrap();
    let checks = with_ca.doctor(&Default::default());
    let tls = checks.iter().find(|c| c.check.starts_with("tls ")).unwrap();
    assert_eq!(tls.status, zoomlive::CheckStatus::Warn, "{checks:#?}");
    assert!(
        tls.detail.contains("issued by \"CN=zoomlive test CA\""),
        "{tls:?}"
    );
    assert!(tls.detail.contains("TLS-inspecting proxy"), "{tls:?}");
    assert!(
        checks
            .iter()
            .all(|c| c.status != zoomlive::CheckStatus::Fail),
        "{checks:#?}"
    );
}

#[test]
fn doctor_fails_on_wrong_credentials_and_an_unknown_meeting() {
    let emu = emulator();
    let c = Client::builder(
        Credentials::server_to_server("demo-account", "demo-client", "wrong").unwrap(),
    )
    .base_url(emu.base_url())
    .oauth_url(emu.oauth_url())
    .build()
    .unwrap();
    let checks = c.doctor(&zoomlive::DoctorOptions {
        owner: Some(MeetingId::parse("1234").unwrap().into()),
        ..Default::default()
    });
    let find = |name: &str| checks.iter().find(|c| c.check == name).unwrap();
    assert_eq!(
        find("token").status,
        zoomlive::CheckStatus::Fail,
        "{checks:#?}"
    );
    assert!(!find("token").detail.contains("wrong"));
    assert_eq!(find("get meeting 1234").status, zoomlive::CheckStatus::Fail);
}
