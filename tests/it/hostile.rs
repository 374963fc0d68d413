//! Hostile servers of our own: each echoes the request it got (the bearer token, the
//! OAuth Basic credential, the stream key) back in one response shape, and no secret,
//! nor a fragment of one, may reach anything the caller sees (Display, Debug and
//! every field of the error).

use std::time::Duration;

use crate::common::echo::{header, serve};
use base64::Engine as _;
use zoomlive::{Client, Credentials, Error, LivestreamUpdate, MeetingId, RetryPolicy};

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.HOSTILE-TOKEN-abcdef0123456789";
const STREAM_KEY: &str = "live-key-9f8e7d6c5b4a";
const CLIENT_ID: &str = "hostile-client-id";
const CLIENT_SECRET: &str = "hostile-client-secret-42";

/// Everything that must not be shown, with the 4-character prefixes that must not
/// end any text either.
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

/// Asserts that no secret, and no prefix of 8+ characters of one, is in what the
/// caller can see of `err` (Display and Debug, which prints every field).
fn assert_clean(err: &Error, shape: &str) {
    for shown in [err.to_string(), format!("{err:?}")] {
        for secret in secrets() {
            assert!(!shown.contains(&secret), "{shape}: secret in {shown}");
            // A cut secret leaves its beginning: 8 characters of it would be a leak.
            let fragment = &secret[..8];
            assert!(
                !shown.contains(fragment),
                "{shape}: fragment {fragment} in {shown}"
            );
        }
    }
}

fn token_client(url: &str) -> Client {
    Client::builder(Credentials::access_token(TOKEN).unwrap())
        .base_url(format!("{url}/v2"))
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn update() -> LivestreamUpdate {
    LivestreamUpdate::new("rtmp://a/live2", STREAM_KEY, "https://example.com/p").unwrap()
}

fn meeting() -> MeetingId {
    MeetingId::new(68423085).unwrap()
}

/// The whole request, as one line of text (what an echoing server reflects).
fn echo(head: &[String], body: &str) -> String {
    format!("{} {}", head.join(" | "), body).replace(['"', '<', '>', '\r', '\n'], " ")
}

#[test]
fn echoed_requests_leave_no_secret_in_any_shape() {
    type Shape = fn(&[String], &str) -> (String, Vec<(String, String)>, String);
    let shapes: Vec<(&str, Shape)> = vec![
        ("json message", |h, b| {
            let e = echo(h, b);
            (
                "400 Bad Request".into(),
                vec![],
                format!(r#"{{"code":300,"message":"{e}"}}"#),
            )
        }),
        ("json errors", |h, b| {
            let e = echo(h, b);
            let body = format!(
                r#"{{"code":300,"message":"Validation Failed.","errors":[{{"field":"{e}","message":"{e}"}}]}}"#
            );
            ("400 Bad Request".into(), vec![], body)
        }),
        ("xml", |h, b| {
            let e = echo(h, b);
            let body = format!(
                "<?xml version=\"1.0\"?><error><code>300</code><message>{e}</message></error>"
            );
            (
                "400 Bad Request".into(),
                vec![("Content-Type".into(), "application/xml".into())],
                body,
            )
        }),
        ("plain text", |h, b| {
            ("502 Bad Gateway".into(), vec![], echo(h, b))
        }),
        ("headers", |h, _| {
            let auth = header(h, "authorization").to_owned();
            let headers = vec![
                ("x-zm-trackingid".into(), auth.clone()),
                ("X-RateLimit-Type".into(), auth.clone()),
                ("X-RateLimit-Category".into(), auth.clone()),
                ("Retry-After".into(), auth),
            ];
            (
                "429 Too Many Requests".into(),
                headers,
                r#"{"code":429,"message":"slow down"}"#.into(),
            )
        }),
    ];
    for (shape, answer) in shapes {
        let url = serve(2, answer);
        let c = token_client(&url);
        // The update sends the stream key; the echo carries it and the token.
        let err = c
            .update_meeting_livestream(meeting(), &update())
            .unwrap_err();
        assert_clean(&err, shape);
        // A later call still scrubs the stream key the client sent before.
        let err = c
            .update_meeting_livestream_status(meeting(), zoomlive::Action::Start, None)
            .unwrap_err();
        assert_clean(&err, shape);
    }
}

#[test]
fn secrets_across_every_cut_point_leave_no_fragment() {
    // 200 (excerpt), 1000 (message) and 64 KiB (body read limit), and around them.
    for cut in [200usize, 1000, 64 * 1024] {
        for shift in [1usize, 4, 9, 20] {
            let url = serve(1, move |h, _| {
                let auth = header(h, "authorization").to_owned();
                let pad = "x".repeat(cut.saturating_sub(shift + "Bearer ".len()));
                let text = format!("{pad}{auth} {pad}");
                let body = format!(r#"{{"code":300,"message":"{text}"}}"#);
                ("400 Bad Request".into(), vec![], body)
            });
            let err = token_client(&url)
                .update_meeting_livestream(meeting(), &update())
                .unwrap_err();
            assert_clean(&err, &format!("cut {cut} shift {shift}"));
            let url = serve(1, move |h, b| {
                let pad = "y".repeat(cut.saturating_sub(shift));
                ("500 Oops".into(), vec![], format!("{pad}{}", echo(h, b)))
            });
            let err = token_client(&url)
                .update_meeting_livestream(meeting(), &update())
                .unwrap_err();
            assert_clean(&err, &format!("plain cut {cut} shift {shift}"));
        }
    }
}

#[test]
fn an_oauth_endpoint_echoing_its_request_shows_no_credential() {
    let oauth = serve(2, |h, b| {
        let auth = header(h, "authorization").to_owned();
        let decoded = auth
            .strip_prefix("Basic ")
            .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
            .map(|v| String::from_utf8_lossy(&v).into_owned())
            .unwrap_or_default();
        let body = format!(
            r#"{{"error":"{auth}","reason":"{decoded} {}"}}"#,
            echo(h, b)
        );
        (
            "401 Unauthorized".into(),
            vec![("x-zm-trackingid".into(), auth)],
            body,
        )
    });
    let c =
        Client::builder(Credentials::server_to_server("acct-9", CLIENT_ID, CLIENT_SECRET).unwrap())
            .base_url("http://127.0.0.1:9/v2")
            .oauth_url(format!("{oauth}/oauth/token"))
            .retry_policy(RetryPolicy::none())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
    let err = c
        .update_meeting_livestream(meeting(), &update())
        .unwrap_err();
    assert_eq!(err.kind(), zoomlive::ErrorKind::Auth, "{err}");
    assert_clean(&err, "oauth");
}
