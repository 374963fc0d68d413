//! Which proxy each destination uses, from the environment (issue 10 §3): loopback is
//! always direct, each scheme has its variables, httpoxy, NO_PROXY with suffixes and
//! CIDR blocks, SOCKS5, malformed values refused naming the variable, and proxy
//! credentials in no message. One test, in a process of its own (`alone`): the
//! environment is process-wide.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::*;
use base64::Engine as _;
use zoomlive::{Action, Client, Credentials, ErrorKind, MeetingId};

fn start(c: &Client) -> zoomlive::Result<()> {
    c.update_meeting_livestream_status(MeetingId::parse(MEETING).unwrap(), Action::Stop, None)
}

/// A client of a host only a proxy can reach.
fn remote_client() -> Client {
    Client::builder(Credentials::access_token(TOKEN).unwrap())
        .base_url("http://zoom-api.invalid/v2")
        .allow_insecure_http(true)
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(3))
        .build()
        .unwrap()
}

/// The CONNECT targets an emulator acting as a proxy was asked for.
fn tunnels(emu: &zoomlive::emulator::Emulator) -> Vec<String> {
    emu.requests()
        .into_iter()
        .filter(|r| r.method == "CONNECT")
        .map(|r| r.path)
        .collect()
}

/// A SOCKS5 proxy (no authentication) that tunnels every connection to `to`, and
/// records the targets it was asked for.
fn socks5_server(to: SocketAddr) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let targets = Arc::new(Mutex::new(Vec::new()));
    let seen = targets.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().take(16) {
            let Ok(mut client) = conn else { return };
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut head = [0u8; 2];
                client.read_exact(&mut head).unwrap();
                let mut methods = vec![0u8; usize::from(head[1])];
                client.read_exact(&mut methods).unwrap();
                client.write_all(&[5, 0]).unwrap();
                let mut req = [0u8; 4];
                client.read_exact(&mut req).unwrap();
                let host = match req[3] {
                    1 => {
                        let mut ip = [0u8; 4];
                        client.read_exact(&mut ip).unwrap();
                        std::net::Ipv4Addr::from(ip).to_string()
                    }
                    3 => {
                        let mut len = [0u8; 1];
                        client.read_exact(&mut len).unwrap();
                        let mut name = vec![0u8; usize::from(len[0])];
                        client.read_exact(&mut name).unwrap();
                        String::from_utf8(name).unwrap()
                    }
                    _ => panic!("address type {}", req[3]),
                };
                let mut port = [0u8; 2];
                client.read_exact(&mut port).unwrap();
                seen.lock()
                    .unwrap()
                    .push(format!("{host}:{}", u16::from_be_bytes(port)));
                let upstream = TcpStream::connect(to).unwrap();
                client.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0]).unwrap();
                let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let (mut c, mut u) = (client, upstream);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c2, &mut u2);
                });
                let _ = std::io::copy(&mut u, &mut c);
            });
        }
    });
    (port, targets)
}

/// A proxy that refuses every request with 407 and a page echoing the request.
fn refusing_proxy() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().take(8) {
            let Ok(mut conn) = conn else { return };
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") && conn.read(&mut byte).unwrap_or(0) == 1 {
                request.push(byte[0]);
            }
            let answer = format!(
                "HTTP/1.1 407 Proxy Authentication Required {}\r\nProxy-Authenticate: Basic\r\nX-Echo: {}\r\nContent-Length: {}\r\n\r\n",
                String::from_utf8_lossy(&request).replace("\r\n", " | "),
                String::from_utf8_lossy(&request).replace("\r\n", " | "),
                request.len()
            );
            let _ = conn.write_all(answer.as_bytes());
            let _ = conn.write_all(&request);
        }
    });
    port
}

#[test]
fn each_destination_gets_the_proxy_the_environment_names_for_it() {
    if !alone(
        module_path!(),
        "each_destination_gets_the_proxy_the_environment_names_for_it",
    ) {
        return;
    }
    let emu = emulator();
    let proxy = emulator();

    // Loopback is never proxied, whatever is set: the proxy would see the token.
    let everywhere = proxy.url();
    set_env(&[
        ("http_proxy", &everywhere),
        ("HTTP_PROXY", &everywhere),
        ("https_proxy", &everywhere),
        ("HTTPS_PROXY", &everywhere),
        ("ALL_PROXY", &everywhere),
    ]);
    start(&client(&emu, zoomlive::BodyEncoding::Json)).unwrap();
    start(&s2s_builder(&emu).build().unwrap()).unwrap();
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
    assert_eq!(api_requests(&emu).len(), 2);

    // Per destination: the API through the proxy, the loopback OAuth URL directly.
    set_env(&[("http_proxy", &proxy.url())]);
    let via_proxy = Client::builder(
        Credentials::server_to_server("demo-account", "demo-client", "demo-secret").unwrap(),
    )
    .base_url("http://zoom-api.invalid/v2")
    .oauth_url(proxy.oauth_url())
    .allow_insecure_http(true)
    .timeout(Duration::from_secs(10))
    .build()
    .unwrap();
    start(&via_proxy).unwrap();
    assert_eq!(tunnels(&proxy), ["zoom-api.invalid:80"]);
    let paths: Vec<_> = proxy.requests().into_iter().map(|r| r.path).collect();
    assert!(paths.iter().any(|p| p == "/oauth/token"), "{paths:?}");
    proxy.clear_requests();

    // HTTPS_PROXY (and https_proxy) is for https:// URLs only.
    set_env(&[("HTTPS_PROXY", &proxy.url()), ("https_proxy", &proxy.url())]);
    assert!(start(&remote_client()).is_err());
    assert!(tunnels(&proxy).is_empty());

    // httpoxy: HTTP_PROXY is ignored in a CGI request; http_proxy still counts.
    set_env(&[("HTTP_PROXY", &proxy.url()), ("REQUEST_METHOD", "GET")]);
    assert!(start(&remote_client()).is_err());
    assert!(tunnels(&proxy).is_empty());
    set_env(&[("http_proxy", &proxy.url()), ("REQUEST_METHOD", "GET")]);
    start(&remote_client()).unwrap();
    assert_eq!(tunnels(&proxy).len(), 1);
    proxy.clear_requests();

    // NO_PROXY: a leading-dot suffix bypasses, a CIDR block that does not match does not.
    set_env(&[
        ("http_proxy", &proxy.url()),
        ("NO_PROXY", "example.org, .invalid"),
    ]);
    assert!(start(&remote_client()).is_err());
    assert!(tunnels(&proxy).is_empty());
    set_env(&[
        ("http_proxy", &proxy.url()),
        ("no_proxy", "10.0.0.0/8,*.example.org"),
    ]);
    start(&remote_client()).unwrap();
    assert_eq!(tunnels(&proxy).len(), 1);
    proxy.clear_requests();

    // ALL_PROXY, SOCKS5 with the name resolved by the proxy.
    let (socks, targets) = socks5_server(proxy.addr());
    set_env(&[("ALL_PROXY", &format!("socks5h://127.0.0.1:{socks}"))]);
    start(&remote_client()).unwrap();
    assert_eq!(*targets.lock().unwrap(), ["zoom-api.invalid:80"]);
    assert!(tunnels(&proxy).is_empty(), "SOCKS, not CONNECT");

    // Malformed values and unsupported schemes: a configuration error naming the
    // variable, before anything is sent, without the credentials.
    for (name, value) in [
        ("HTTPS_PROXY", "ftp://user:pa55word@proxy.corp:21"),
        ("https_proxy", "http://user:pa55word@[broken"),
        ("ALL_PROXY", "http://user:pa55word@proxy.corp:99999"),
        ("all_proxy", "socks9://user:pa55word@proxy.corp"),
        ("NO_PROXY", "10.0.0.0/99"),
    ] {
        let mut vars = vec![(name, value)];
        if name == "NO_PROXY" {
            vars.push(("HTTPS_PROXY", "http://proxy.corp:3128"));
        }
        set_env(&vars);
        let err = Client::builder(Credentials::access_token(TOKEN).unwrap())
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{name}={value}");
        assert_eq!(err.field(), Some(name), "{name}={value}: {err}");
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("pa55word"), "{shown}");
    }
    // http_proxy is checked (and refused) even for a loopback base URL.
    set_env(&[("http_proxy", "ftp://proxy.corp")]);
    let err = builder(&emu, zoomlive::BodyEncoding::Json)
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("http_proxy"));

    // Proxy credentials appear in no message, even when the proxy echoes them.
    let refusing = refusing_proxy();
    let userinfo = "proxyuser:Pr0xyS3cret";
    set_env(&[(
        "http_proxy",
        &format!("http://{userinfo}@127.0.0.1:{refusing}"),
    )]);
    let err = start(&remote_client()).unwrap_err();
    let shown = format!("{err} {err:?}");
    // Credentials refused after the last leg: ProxyAuth (issue 18 §2).
    assert_eq!(err.kind(), ErrorKind::ProxyAuth, "{shown}");
    let basic = base64::engine::general_purpose::STANDARD.encode(userinfo);
    for secret in ["Pr0xyS3cret", basic.as_str()] {
        assert!(!shown.contains(secret), "{shown}");
    }
    set_env(&[]);
}
