//! Every error kind, with what Zoom said about it, and what is (not) retried.

use std::time::{Duration, Instant};

use crate::common::*;
use zoomlive::emulator::Fault;
use zoomlive::{
    Action, BodyEncoding, Error, ErrorKind, LivestreamSettings, LivestreamUpdate, MeetingId,
    RetryPolicy, TransportKind,
};

fn meeting() -> MeetingId {
    MeetingId::parse(MEETING).unwrap()
}

fn start(c: &zoomlive::Client) -> zoomlive::Result<()> {
    c.update_meeting_livestream_status(meeting(), Action::Start, None)
}

fn assert_no_secret(err: &Error) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(TOKEN), "token leaked: {shown}");
        assert!(!shown.contains("FAKE-ZOOM-TOKEN"), "token leaked: {shown}");
    }
}

#[test]
fn unknown_meeting_is_not_found_with_zoom_code_and_tracking_id() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    let err = c
        .update_meeting_livestream_status(
            MeetingId::parse("12345678901").unwrap(),
            Action::Start,
            None,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let api = err.api().unwrap();
    assert_eq!((api.status, api.code), (404, Some(3001)));
    assert_eq!(api.message, "Meeting does not exist: 12345678901.");
    assert!(
        api.tracking_id
            .as_deref()
            .unwrap()
            .starts_with("v=2.0;clid=emu")
    );
    assert!(err.to_string().contains("3001"));
    assert_no_secret(&err);
}

#[test]
fn settings_while_live_is_an_api_error() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Json);
    start(&c).unwrap();
    let s = LivestreamSettings::new()
        .display_name("late change")
        .unwrap();
    let err = c
        .update_meeting_livestream_status(meeting(), Action::Start, Some(&s))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.api().unwrap().status, 400);
    assert_eq!(err.api().unwrap().code, Some(3000));
}

#[test]
fn wrong_token_is_auth_and_not_retried() {
    let emu = emulator();
    let c = zoomlive::Client::builder(zoomlive::Credentials::access_token("wrong-token").unwrap())
        .base_url(emu.base_url())
        .build()
        .unwrap();
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.api().unwrap().code, Some(124));
    assert_eq!(api_requests(&emu).len(), 1);
    assert!(!err.to_string().contains("wrong-token"));
}

#[test]
fn http_300_and_validation_errors_carry_zoom_fields() {
    let emu = emulator();
    emu.push_fault(Fault::status(300, 300, "Invalid Meeting ID."));
    let c = client(&emu, BodyEncoding::Multipart);
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(
        (err.api().unwrap().status, err.api().unwrap().code),
        (300, Some(300))
    );
    emu.push_fault(Fault {
        status: Some(400),
        body: Some(r#"{"code":300,"message":"Validation Failed.","errors":[{"field":"settings.display_name","message":"Invalid field."}]}"#.into()),
        ..Fault::default()
    });
    let err = start(&c).unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.errors.len(), 1);
    assert_eq!(api.errors[0].field, "settings.display_name");
    assert!(
        err.to_string()
            .contains("settings.display_name: Invalid field.")
    );
}

#[test]
fn xml_garbage_and_empty_error_bodies() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    emu.push_fault(Fault {
        xml: true,
        ..Fault::status(404, 1001, "User does not exist: abc.")
    });
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.api().unwrap().code, Some(1001));
    assert_eq!(err.api().unwrap().message, "User does not exist: abc.");

    emu.push_fault(Fault {
        status: Some(502),
        body: Some("<html>\u{1}Bad gateway</html>".into()),
        ..Fault::default()
    });
    let err = start(&c).unwrap_err();
    assert_eq!(
        (err.kind(), err.api().unwrap().status),
        (ErrorKind::Api, 502)
    );
    assert!(err.api().unwrap().message.contains("Bad gateway"));

    emu.push_fault(Fault {
        status: Some(503),
        ..Fault::default()
    });
    let err = start(&c).unwrap_err();
    assert_eq!(err.api().unwrap().status, 503);
    assert_eq!(api_requests(&emu).len(), 3, "5xx answers are not retried");
}

#[test]
fn huge_error_bodies_are_read_only_up_to_a_cap() {
    let emu = emulator();
    emu.push_fault(Fault {
        status: Some(500),
        body_size: 50 * 1024 * 1024,
        ..Fault::default()
    });
    let c = client(&emu, BodyEncoding::Multipart);
    let err = start(&c).unwrap_err();
    assert_eq!(err.api().unwrap().status, 500);
    assert!(err.to_string().len() < 1000);
}

#[test]
fn rate_limit_retried_after_a_short_retry_after() {
    let emu = emulator();
    emu.push_fault(Fault {
        retry_after: Some("1".into()),
        ..Fault::status(429, 429, "Too many requests.")
    });
    let c = client(&emu, BodyEncoding::Multipart);
    let t = Instant::now();
    start(&c).unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "waited {:?}",
        t.elapsed()
    );
    let reqs = api_requests(&emu);
    assert_eq!(
        reqs.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![Some(429), Some(204)]
    );
}

#[test]
fn rate_limit_with_a_date_retry_after_is_honoured() {
    let emu = emulator();
    emu.push_fault(Fault {
        retry_after: Some("date:+1".into()),
        ..Fault::status(429, 429, "Too many requests.")
    });
    let c = client(&emu, BodyEncoding::Multipart);
    start(&c).unwrap();
    assert_eq!(api_requests(&emu).len(), 2);
}

#[test]
fn long_waits_daily_limits_and_exhausted_retries_are_returned() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    // Zoom's documented "retry after 30 seconds": above the 5 s cap, returned at once.
    emu.push_fault(Fault {
        retry_after: Some("30".into()),
        ..Fault::status(429, 429, "retry making a new request after 30 seconds.")
    });
    let t = Instant::now();
    let err = start(&c).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(
        err.api().unwrap().retry_after,
        Some(Duration::from_secs(30))
    );
    assert_eq!(api_requests(&emu).len(), 1);

    emu.clear_requests();
    emu.push_fault(Fault {
        retry_after: Some("1".into()),
        headers: vec![("X-RateLimit-Type".into(), "Daily-limit".into())],
        ..Fault::status(429, 429, "daily limit")
    });
    assert_eq!(start(&c).unwrap_err().kind(), ErrorKind::RateLimited);
    assert_eq!(api_requests(&emu).len(), 1, "daily limits are not retried");

    emu.clear_requests();
    emu.push_fault(Fault {
        times: 10,
        retry_after: Some("0".into()),
        ..Fault::status(429, 429, "storm")
    });
    let c = builder(&emu, BodyEncoding::Multipart)
        .retry_policy(RetryPolicy {
            max_retries: 3,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    assert_eq!(start(&c).unwrap_err().kind(), ErrorKind::RateLimited);
    assert_eq!(api_requests(&emu).len(), 4, "1 try + 3 retries");
}

#[test]
fn slow_server_times_out_within_the_limit() {
    let emu = emulator();
    emu.push_fault(Fault {
        delay_ms: 3000,
        ..Fault::default()
    });
    let c = builder(&emu, BodyEncoding::Multipart)
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let t = Instant::now();
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(
        t.elapsed() < Duration::from_millis(2500),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(api_requests(&emu).len(), 1, "timeouts are not retried");
}

#[test]
fn dropped_and_truncated_answers_are_transport_errors_not_retried() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    emu.push_fault(Fault {
        drop: true,
        ..Fault::default()
    });
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!(api_requests(&emu).len(), 1);
    emu.push_fault(Fault {
        truncate: true,
        status: Some(400),
        ..Fault::default()
    });
    let err = start(&c).unwrap_err();
    // The status line arrived, the body broke off: what arrived is reported.
    assert!(
        matches!(err.kind(), ErrorKind::Api | ErrorKind::Transport),
        "{err}"
    );
    assert_eq!(api_requests(&emu).len(), 2);
    // The client recovers on a fresh connection.
    start(&c).unwrap();
}

#[test]
fn refused_connections_are_transport_errors() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = zoomlive::Client::builder(zoomlive::Credentials::access_token(TOKEN).unwrap())
        .base_url(format!("http://127.0.0.1:{port}/v2"))
        .build()
        .unwrap();
    let err = start(&c).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert_no_secret(&err);
}

#[test]
fn redirects_are_not_followed() {
    let emu = emulator();
    let other = emulator();
    emu.push_fault(Fault {
        status: Some(307),
        headers: vec![(
            "Location".into(),
            format!("{}/meetings/68423085/livestream/status", other.base_url()),
        )],
        ..Fault::default()
    });
    let c = client(&emu, BodyEncoding::Multipart);
    let err = start(&c).unwrap_err();
    assert_eq!(
        (err.kind(), err.api().unwrap().status),
        (ErrorKind::Api, 307)
    );
    assert!(
        other.requests().is_empty(),
        "the token never goes to the other host"
    );
}

#[test]
fn invalid_input_sends_nothing() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    let seed = r#"start{"active_speaker_name":false,"display_name":"dolore ullamco irur"}"#;
    let err = LivestreamSettings::from_json(seed).unwrap_err();
    assert_eq!(err.field(), Some("settings"));
    assert!(err.to_string().contains("glued"));
    assert_eq!(
        Action::parse(seed).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        LivestreamUpdate::new(
            "aute",
            "auteofficia",
            "auteofficiahttps://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi"
        )
        .unwrap_err()
        .field(),
        Some("page_url")
    );
    assert!(MeetingId::parse("123/../../users").is_err());
    // A valid call afterwards is the only request the emulator saw.
    start(&c).unwrap();
    assert_eq!(api_requests(&emu).len(), 1);
}

#[test]
fn a_server_echoing_the_token_cannot_leak_it() {
    let emu = emulator();
    emu.push_fault(Fault {
        status: Some(500),
        body: Some(format!(
            "{{\"code\":500,\"message\":\"bad token {TOKEN}\"}}"
        )),
        ..Fault::default()
    });
    let err = start(&client(&emu, BodyEncoding::Multipart)).unwrap_err();
    assert!(err.to_string().contains("bad token ***"), "{err}");
    assert_no_secret(&err);
}
