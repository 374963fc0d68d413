//! Reliability and security: TLS verification and an extra CA, idle connections closed
//! by the server, 8 threads x 500 calls on one client, oversized and hostile input, and
//! no secret in any output of any error kind.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::common::*;
use zoomlive::emulator::Fault;
use zoomlive::{
    Action, BodyEncoding, Client, Credentials, Error, ErrorKind, LivestreamSettings,
    LivestreamUpdate, MeetingId, TransportKind,
};

fn start(c: &Client) -> zoomlive::Result<()> {
    c.update_meeting_livestream_status(MeetingId::parse(MEETING).unwrap(), Action::Start, None)
}

/// A one-connection HTTPS server with a self-signed certificate for localhost, which
/// answers 204 to one request. Returns (port, certificate PEM, "a request arrived").
fn tls_server() -> (u16, String, Arc<AtomicBool>) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let pem = cert.cert.pem();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert.cert.der().clone()], key)
    .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let arrived = Arc::new(AtomicBool::new(false));
    let seen = arrived.clone();
    std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        let conn = rustls::ServerConnection::new(Arc::new(config)).unwrap();
        let mut tls = BufReader::new(rustls::StreamOwned::new(conn, tcp));
        let mut length = 0;
        loop {
            let mut line = String::new();
            if tls.read_line(&mut line).unwrap_or(0) == 0 {
                return; // the handshake or the connection failed: no request
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        tls.read_exact(&mut body).unwrap();
        seen.store(true, Ordering::SeqCst);
        let stream = tls.get_mut();
        stream
            .write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
            .unwrap();
        stream.flush().unwrap();
    });
    (port, pem, arrived)
}

fn tls_client(port: u16, extra_ca: Option<&str>) -> Client {
    let mut b = Client::builder(Credentials::access_token(TOKEN).unwrap())
        .base_url(format!("https://localhost:{port}/v2"))
        .timeout(Duration::from_secs(10));
    if let Some(pem) = extra_ca {
        b = b.extra_ca_pem(pem);
    }
    b.build().unwrap()
}

#[test]
fn a_self_signed_certificate_is_refused() {
    let (port, _, arrived) = tls_server();
    let err = start(&tls_client(port, None)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Tls,
                ..
            }
        ),
        "{err:?}"
    );
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        !arrived.load(Ordering::SeqCst),
        "no request crossed an untrusted connection"
    );
}

#[test]
fn an_extra_ca_is_trusted_when_given() {
    let (port, pem, arrived) = tls_server();
    start(&tls_client(port, Some(&pem))).unwrap();
    assert!(arrived.load(Ordering::SeqCst));
    let bad = Client::builder(Credentials::access_token(TOKEN).unwrap())
        .extra_ca_pem("not a certificate")
        .build()
        .unwrap_err();
    assert_eq!(bad.field(), Some("extra_ca_pem"));
    let missing = Client::builder(Credentials::access_token(TOKEN).unwrap())
        .extra_ca_file("/nonexistent/ca.pem")
        .build()
        .unwrap_err();
    assert_eq!(missing.field(), Some("extra_ca_file"));
}

#[test]
fn an_extra_ca_file_is_trusted_from_c() {
    use std::ffi::CString;
    use zoomlive::capi::*;
    let (port, pem, arrived) = tls_server();
    let file = std::env::temp_dir().join(format!("zoomlive-ca-{port}.pem"));
    std::fs::write(&file, pem).unwrap();
    let (token, url, path) = (
        CString::new(TOKEN).unwrap(),
        CString::new(format!("https://localhost:{port}/v2")).unwrap(),
        CString::new(file.to_str().unwrap()).unwrap(),
    );
    let (id, action) = (
        CString::new(MEETING).unwrap(),
        CString::new("start").unwrap(),
    );
    unsafe {
        let mut c = std::ptr::null_mut();
        assert_eq!(
            zoomlive_client_new(token.as_ptr(), &mut c),
            ZOOMLIVE_STATUS_OK
        );
        assert_eq!(
            zoomlive_client_set_base_url(c, url.as_ptr()),
            ZOOMLIVE_STATUS_OK
        );
        assert_eq!(
            zoomlive_client_set_extra_ca_file(c, path.as_ptr()),
            ZOOMLIVE_STATUS_OK
        );
        let status =
            zoomlive_meeting_livestream_status(c, id.as_ptr(), action.as_ptr(), std::ptr::null());
        assert_eq!(status, ZOOMLIVE_STATUS_OK);
        zoomlive_client_free(c);
    }
    assert!(arrived.load(Ordering::SeqCst));
    let _ = std::fs::remove_file(file);
}

#[test]
fn plain_http_to_a_remote_host_needs_an_explicit_opt_in() {
    let err = Client::builder(Credentials::access_token(TOKEN).unwrap())
        .base_url("http://api.zoom.us/v2")
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("base_url"));
}

#[test]
fn a_connection_closed_by_the_server_while_idle_is_replaced() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    emu.push_fault(Fault {
        close_idle_ms: Some(20),
        ..Fault::default()
    });
    start(&c).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    start(&c).unwrap();
    assert_eq!(emu.connections(), 2);
    assert_eq!(
        api_requests(&emu).len(),
        2,
        "the stale connection was not written to"
    );
}

#[test]
fn eight_threads_times_500_calls_share_one_client() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let c = c.clone();
            std::thread::spawn(move || {
                let id = MeetingId::parse(MEETING).unwrap();
                let action = if t % 2 == 0 {
                    Action::Start
                } else {
                    Action::Stop
                };
                (0..500)
                    .filter(|_| c.update_meeting_livestream_status(id, action, None).is_ok())
                    .count()
            })
        })
        .collect();
    let ok: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(ok, 4000);
    let reqs = api_requests(&emu);
    assert_eq!(reqs.len(), 4000);
    assert!(reqs.iter().all(|r| r.encoding == "multipart"
        && r.status == Some(204)
        && r.fields.len() == 1
        && (r.fields["action"] == "start" || r.fields["action"] == "stop")));
    assert!(
        emu.connections() <= 16,
        "connections are pooled: {}",
        emu.connections()
    );
}

#[test]
fn ten_megabyte_inputs_are_refused_and_nothing_is_sent() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    let huge = "7".repeat(10 * 1024 * 1024);
    let huge_text = "a".repeat(10 * 1024 * 1024);
    assert_eq!(
        MeetingId::parse(&huge).unwrap_err().field(),
        Some("meeting_id")
    );
    assert_eq!(
        Action::parse(&huge_text).unwrap_err().field(),
        Some("action")
    );
    assert!(LivestreamSettings::new().display_name(&huge_text).is_err());
    let big_settings = format!("{{\"display_name\":\"x\",\"note\":\"{huge_text}\"}}");
    assert_eq!(
        LivestreamSettings::from_json(&big_settings)
            .unwrap_err()
            .field(),
        Some("settings")
    );
    assert_eq!(
        LivestreamUpdate::new(&huge_text, "k", "https://e.x")
            .unwrap_err()
            .field(),
        Some("stream_url")
    );
    assert_eq!(
        LivestreamUpdate::new("u", &huge_text, "https://e.x")
            .unwrap_err()
            .field(),
        Some("stream_key")
    );
    assert_eq!(
        Credentials::access_token(&huge_text).unwrap_err().field(),
        Some("access_token")
    );
    assert_eq!(
        Credentials::server_to_server("a", "c", &huge_text)
            .unwrap_err()
            .field(),
        Some("client_secret")
    );
    start(&c).unwrap();
    assert_eq!(api_requests(&emu).len(), 1, "only the valid call arrived");
}

#[test]
fn no_header_or_multipart_injection_is_possible() {
    for bad in ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\0b", "a\u{7f}b"] {
        assert!(
            Credentials::access_token(&format!("tok{bad}")).is_err(),
            "{bad:?}"
        );
        assert!(
            LivestreamSettings::new().display_name(bad).is_err(),
            "{bad:?}"
        );
        assert!(LivestreamSettings::new().layout(bad).is_err(), "{bad:?}");
        assert!(LivestreamSettings::from_json(&serde_json::json!({"x": bad}).to_string()).is_err());
        assert!(
            LivestreamUpdate::new(bad, "k", "https://e.x").is_err(),
            "{bad:?}"
        );
        assert!(
            LivestreamUpdate::new("u", bad, "https://e.x").is_err(),
            "{bad:?}"
        );
        assert!(
            LivestreamUpdate::new("u", "k", &format!("https://e.x/{bad}")).is_err(),
            "{bad:?}"
        );
        assert!(
            Client::builder(Credentials::access_token(TOKEN).unwrap())
                .base_url(format!("https://e.x/{bad}"))
                .build()
                .is_err()
        );
    }
    // A value that looks like a multipart boundary travels as plain data.
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    let tricky = "--------------050808090003070408040207--";
    let update = LivestreamUpdate::new(tricky, tricky, "https://example.com/--boundary--").unwrap();
    c.update_meeting_livestream(MeetingId::parse(MEETING).unwrap(), &update)
        .unwrap();
    let r = &api_requests(&emu)[0];
    assert_eq!(r.fields["stream_url"], tricky);
    assert_eq!(
        r.fields["stream_key"], "***",
        "the request log hides stream keys"
    );
    assert_eq!(r.fields.len(), 3);
    let stored = emu.stream(zoomlive::emulator::Kind::Meeting, MEETING.parse().unwrap());
    assert_eq!(stored.unwrap().stream_key, tricky);
}

/// Produces one error of every kind and checks none shows the token or secret.
#[test]
fn no_error_kind_shows_a_secret() {
    const SECRET: &str = "client-secret-abcdef";
    let emu = emulator_with(zoomlive::emulator::Config {
        oauth_apps: vec![zoomlive::emulator::OAuthApp {
            account_id: "acct".into(),
            client_id: "cid".into(),
            client_secret: SECRET.into(),
        }],
        ..Default::default()
    });
    let bearer = client(&emu, BodyEncoding::Multipart);
    let s2s = |secret: &str| {
        Client::builder(Credentials::server_to_server("acct", "cid", secret).unwrap())
            .base_url(emu.base_url())
            .oauth_url(emu.oauth_url())
            .retry_policy(zoomlive::RetryPolicy::none())
            .timeout(Duration::from_millis(400))
            .build()
            .unwrap()
    };
    let good = s2s(SECRET);
    let mut errors: Vec<Error> = Vec::new();
    errors.push(Credentials::access_token(&format!("{TOKEN}\n")).unwrap_err());
    errors.push(
        bearer
            .update_meeting_livestream_status(MeetingId::parse("1").unwrap(), Action::Start, None)
            .unwrap_err(),
    );
    errors.push(start(&s2s("wrong-secret-zzz")).unwrap_err());
    for fault in [
        Fault::status(429, 429, "slow"),
        Fault::status(500, 500, "boom"),
        Fault {
            delay_ms: 2000,
            ..Fault::default()
        },
        Fault {
            drop: true,
            ..Fault::default()
        },
    ] {
        emu.push_fault(Fault {
            path: "/v2/".into(),
            ..fault
        });
        errors.push(start(&good).unwrap_err());
    }
    let kinds: std::collections::HashSet<ErrorKind> = errors.iter().map(Error::kind).collect();
    assert_eq!(kinds.len(), 7, "one of each kind: {kinds:?}");
    for err in &errors {
        for shown in [err.to_string(), format!("{err:?}")] {
            for secret in [TOKEN, SECRET, "wrong-secret-zzz"] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
        }
    }
    for shown in [format!("{good:?}"), format!("{bearer:?}")] {
        assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");
    }
    // The emulator's request log never holds a credential either.
    let log: String = emu
        .requests()
        .iter()
        .map(|r| r.to_json().to_string())
        .collect();
    for secret in [TOKEN, SECRET, "wrong-secret-zzz"] {
        assert!(!log.contains(secret), "{secret} in the request log");
    }
}
