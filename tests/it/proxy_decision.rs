//! One proxy decision per destination (issue 18 §1) and the mends of §3: explicit
//! settings before the environment, `proxy_for` on every face, a proxy's refusal never
//! sent twice, a proxy that is down named, a name that does not resolve is `Dns`. In a
//! process of its own (`alone`): the environment is process-wide.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::*;
use zoomlive::{Action, Client, Credentials, Error, ErrorKind, MeetingId, TransportKind};

const BIN: &str = env!("CARGO_BIN_EXE_zoomlive");

fn start(c: &Client) -> zoomlive::Result<()> {
    c.update_meeting_livestream_status(MeetingId::parse(MEETING).unwrap(), Action::Stop, None)
}

fn remote(b: zoomlive::ClientBuilder) -> Client {
    b.base_url("http://zoom-api.invalid/v2")
        .allow_insecure_http(true)
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(3))
        .build()
        .unwrap()
}

fn builder() -> zoomlive::ClientBuilder {
    Client::builder(Credentials::access_token(TOKEN).unwrap())
}

fn decision(c: &Client, url: &str) -> String {
    c.proxy_for(url).unwrap().to_string()
}

/// A proxy answering every CONNECT with `answer` on the same connection; counts them.
fn answering_proxy(answer: &'static str) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let heads = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().take(16) {
            let Ok(mut conn) = conn else { return };
            let heads = heads.clone();
            std::thread::spawn(move || {
                for _ in 0..8 {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).unwrap_or(0) == 1 {
                        head.push(byte[0]);
                    }
                    if head.is_empty() {
                        return;
                    }
                    heads
                        .lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&head).into_owned());
                    if conn.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, seen)
}

fn transport_kind(e: &Error) -> Option<TransportKind> {
    match e {
        Error::Transport { kind, .. } => Some(*kind),
        _ => None,
    }
}

#[test]
fn explicit_settings_come_first_and_refusals_are_final() {
    if !alone(
        module_path!(),
        "explicit_settings_come_first_and_refusals_are_final",
    ) {
        return;
    }
    let proxy = emulator();
    let env_proxy = emulator();
    set_env(&[
        ("http_proxy", &env_proxy.url()),
        ("https_proxy", "http://envproxy.invalid:3128"),
    ]);

    // The environment decides when nothing is explicit; proxy_for says so.
    let c = remote(builder());
    assert_eq!(
        decision(&c, "https://api.zoom.us"),
        "http://envproxy.invalid:3128 (https_proxy)"
    );
    assert_eq!(decision(&c, "http://127.0.0.1:9/v2"), "direct (loopback)");
    start(&c).unwrap();
    assert_eq!(env_proxy.requests()[0].method, "CONNECT");

    // An explicit proxy wins over the environment.
    let explicit = remote(builder().proxy(&proxy.url()));
    start(&explicit).unwrap();
    assert_eq!(proxy.requests()[0].path, "zoom-api.invalid:80");
    assert_eq!(
        decision(&explicit, "http://zoom-api.invalid/v2"),
        format!("{} (explicit)", proxy.url().trim_end_matches('/'))
    );
    // "direct": no proxy, whatever the environment says.
    let direct = remote(builder().proxy("direct"));
    assert_eq!(
        decision(&direct, "https://api.zoom.us"),
        "direct (explicit)"
    );
    let err = start(&direct).unwrap_err();
    assert_eq!(transport_kind(&err), Some(TransportKind::Dns), "{err}");
    assert!(err.to_string().contains("zoom-api.invalid"), "{err}");
    // The explicit no_proxy list bypasses every source.
    let bypass = builder().no_proxy("zoom.us").build().unwrap();
    assert_eq!(
        decision(&bypass, "https://api.zoom.us"),
        "direct (bypass:zoom.us)"
    );
    // A wrong explicit setting is an input error naming the field, without its password.
    let err = builder()
        .proxy("ftp://user:s3cretpw@p:1")
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("proxy"));
    assert!(!format!("{err} {err:?}").contains("s3cretpw"));
    let err = builder().no_proxy("10.0.0.0/99").build().unwrap_err();
    assert_eq!(err.field(), Some("no_proxy"));
    // No decision or Debug shows a password.
    let with_password = builder()
        .proxy("http://me:s3cretpw@corp-proxy:8080")
        .build()
        .unwrap();
    let shown = format!(
        "{with_password:?} {} {:?}",
        decision(&with_password, "https://api.zoom.us"),
        with_password.to_builder()
    );
    assert!(!shown.contains("s3cretpw"), "{shown}");
    assert!(
        shown.contains("http://corp-proxy:8080 (explicit)"),
        "{shown}"
    );

    // §3: a proxy's refusal is final. 403 and 502 on CONNECT: sent once, kind Proxy
    // with the status; 407 without credentials: ProxyAuth, sent once.
    set_env(&[]);
    for (answer, status) in [
        ("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", "403"),
        (
            "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n",
            "502",
        ),
    ] {
        let (port, seen) = answering_proxy(answer);
        let c = remote(builder().proxy(&format!("http://127.0.0.1:{port}")));
        let err = start(&c).unwrap_err();
        assert_eq!(transport_kind(&err), Some(TransportKind::Proxy), "{err}");
        assert!(err.to_string().contains(status), "{err}");
        assert!(
            err.to_string().contains(&format!("127.0.0.1:{port}")),
            "{err}"
        );
        assert_eq!(seen.lock().unwrap().len(), 1, "sent once: {err}");
    }
    let (port, seen) = answering_proxy(
        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n",
    );
    let c = remote(builder().proxy(&format!("http://127.0.0.1:{port}")));
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProxyAuth, "{err}");
    assert!(err.to_string().contains("Basic"), "{err}");
    assert_eq!(seen.lock().unwrap().len(), 1, "{err}");
    // With (wrong) credentials: the challenge, then the credentials once; never again.
    let c = remote(
        builder()
            .proxy(&format!("http://127.0.0.1:{port}"))
            .proxy_credentials("CORP\\me", "Wr0ngPassw0rd"),
    );
    seen.lock().unwrap().clear();
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProxyAuth, "{err}");
    let heads = seen.lock().unwrap().clone();
    assert_eq!(heads.len(), 2, "{heads:?}");
    assert!(!heads[0].contains("Proxy-Authorization"));
    assert!(heads[1].contains("Proxy-Authorization: Basic "));
    assert!(!format!("{err} {err:?}").contains("Wr0ngPassw0rd"));
    // The trace shows each leg: the scheme, its outcome and what was offered; never
    // the credentials.
    let trace = err.trace().expect("a proxy refusal has a trace");
    let legs: Vec<&str> = trace
        .lines()
        .filter(|l| l.contains(" tunnel CONNECT "))
        .collect();
    assert_eq!(legs.len(), 2, "{trace}");
    assert!(
        legs[0].ends_with(&format!("via 127.0.0.1:{port} -> 407 offers=Basic")),
        "{trace}"
    );
    assert!(
        legs[1].contains(" scheme=Basic leg=1 -> 407 offers=Basic"),
        "{trace}"
    );
    assert!(
        trace.contains(" outcome failed kind=proxy_auth "),
        "{trace}"
    );
    assert!(
        !trace.contains("Wr0ngPassw0rd") && !trace.contains("CORP\\me"),
        "{trace}"
    );

    // A proxy echoing the credentials in its refusal, on the way to the OAuth token
    // URL: the token fetch's error shows none of them (nor their Basic encoding). It
    // asks for NTLM first (a chunked 407, the connection kept), then echoes.
    let echo = TcpListener::bind("127.0.0.1:0").unwrap();
    let echo_port = echo.local_addr().unwrap().port();
    let echo_heads = Arc::new(Mutex::new(Vec::new()));
    let heads = echo_heads.clone();
    std::thread::spawn(move || {
        for (n, conn) in echo.incoming().take(8).enumerate() {
            let Ok(mut conn) = conn else { return };
            for _ in 0..4 {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).replace("\r\n", " | ");
                heads.lock().unwrap().push((n, text.clone()));
                if !text.contains("Proxy-Authorization") {
                    let _ = conn.write_all(
                        b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\n\
                          Transfer-Encoding: chunked\r\n\r\n5\r\nnope.\r\n0\r\n\r\n",
                    );
                    continue;
                }
                // The credentials first: the reason phrase shown is cut at 100 characters.
                let sent = text
                    .split(" | ")
                    .find_map(|h| h.strip_prefix("Proxy-Authorization: "))
                    .unwrap_or("");
                let _ = conn.write_all(
                    format!("HTTP/1.1 502 {sent} {text}\r\nContent-Length: 0\r\n\r\n").as_bytes(),
                );
                break;
            }
        }
    });
    let s2s = Client::builder(
        Credentials::server_to_server("demo-account", "demo-client", "demo-secret").unwrap(),
    )
    .base_url("http://zoom-api.invalid/v2")
    .oauth_url("http://zoom-oauth.invalid/oauth/token")
    .allow_insecure_http(true)
    .proxy(&format!("http://127.0.0.1:{echo_port}"))
    .proxy_credentials("echoed-user", "Ech0edPassw0rd")
    .proxy_auth(zoomlive::ProxyAuth::Basic)
    .timeout(Duration::from_secs(5))
    .build()
    .unwrap();
    let err = start(&s2s).unwrap_err();
    let shown = format!("{err} {err:?}");
    assert_eq!(transport_kind(&err), Some(TransportKind::Proxy), "{shown}");
    assert!(shown.contains("502"), "{shown}");
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode("echoed-user:Ech0edPassw0rd");
    for secret in ["Ech0edPassw0rd", "echoed-user", basic.as_str()] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }

    // NTLM: its Negotiate message, sent on the connection the chunked 407 came on, is
    // echoed in the 502 and shown nowhere.
    echo_heads.lock().unwrap().clear();
    let ntlm = s2s
        .to_builder()
        .proxy_auth(zoomlive::ProxyAuth::Auto)
        .build()
        .unwrap();
    let err = start(&ntlm).unwrap_err();
    let shown = format!("{err} {err:?}");
    assert_eq!(transport_kind(&err), Some(TransportKind::Proxy), "{shown}");
    let heads = echo_heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 2, "{heads:?}");
    assert_eq!(heads[0].0, heads[1].0, "one connection: {heads:?}");
    assert!(
        heads[1].1.contains("Proxy-Authorization: NTLM TlRMTVNT"),
        "{heads:?}"
    );
    assert!(!shown.contains("TlRMTVNT"), "{shown}");

    // A proxy that accepts and never answers: the call ends at its connect timeout.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    let held = std::thread::spawn(move || {
        let conns: Vec<_> = silent.incoming().take(2).collect();
        std::thread::sleep(Duration::from_secs(3));
        drop(conns);
    });
    let c = builder()
        .base_url("http://zoom-api.invalid/v2")
        .allow_insecure_http(true)
        .proxy(&format!("http://127.0.0.1:{silent_port}"))
        .connect_timeout(Duration::from_millis(500))
        .timeout(Duration::from_secs(2))
        .retry_policy(zoomlive::RetryPolicy::none())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(
        started.elapsed() < Duration::from_millis(1900),
        "{:?}",
        started.elapsed()
    );
    drop(held);

    // §3: a proxy that is down is named.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let c = remote(builder().proxy(&format!("http://127.0.0.1:{port}")));
    let err = start(&c).unwrap_err();
    assert_eq!(transport_kind(&err), Some(TransportKind::Connect), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("proxy 127.0.0.1:{port} refused the connection")),
        "{err}"
    );

    // The CLI: proxy-for, as text and as JSON, with no credentials at all.
    let out = Command::new(BIN)
        .args([
            "proxy-for",
            "https://api.zoom.us",
            "--proxy",
            "http://u:pw1234@corp:3128",
        ])
        .env_remove("ZOOM_ACCESS_TOKEN")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "http://corp:3128 (explicit)"
    );
    let out = Command::new(BIN)
        .args(["proxy-for", "http://localhost:8080/v2", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        r#"{"proxy":null,"source":"loopback"}"#
    );
}
