//! Server-to-Server OAuth against the emulator: fetch, cache, share, refresh.

use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use zoomlive::emulator::{Config, Fault};
use zoomlive::{Action, Client, Credentials, ErrorKind, MeetingId};

fn start(c: &Client) -> zoomlive::Result<()> {
    c.update_meeting_livestream_status(MeetingId::parse(MEETING).unwrap(), Action::Start, None)
}

#[test]
fn token_is_fetched_once_and_cached() {
    let emu = emulator();
    let c = s2s_builder(&emu).build().unwrap();
    for _ in 0..5 {
        start(&c).unwrap();
    }
    assert_eq!(emu.tokens_issued(), 1);
    let token_req = emu
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth/token")
        .unwrap();
    assert_eq!(token_req.method, "POST");
    assert_eq!(token_req.encoding, "form");
    assert_eq!(token_req.fields["grant_type"], "account_credentials");
    assert_eq!(token_req.fields["account_id"], "demo-account");
    assert_eq!(token_req.authorization.as_deref(), Some("Basic ***"));
}

#[test]
fn threads_share_one_fetch() {
    let emu = emulator();
    let c = Arc::new(s2s_builder(&emu).build().unwrap());
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || start(&c))
        })
        .collect();
    for t in threads {
        t.join().unwrap().unwrap();
    }
    assert_eq!(emu.tokens_issued(), 1);
    assert_eq!(api_requests(&emu).len(), 8);
}

#[test]
fn a_token_expired_at_zoom_is_refreshed_once_then_the_call_succeeds() {
    let emu = emulator();
    let c = s2s_builder(&emu).build().unwrap();
    start(&c).unwrap();
    emu.expire_tokens();
    start(&c).unwrap();
    assert_eq!(emu.tokens_issued(), 2);
    let statuses: Vec<_> = api_requests(&emu).iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![Some(204), Some(401), Some(204)]);
}

#[test]
fn tokens_are_refreshed_ahead_of_expiry() {
    let emu = emulator_with(Config {
        token_ttl: Duration::from_secs(2),
        ..Config::default()
    });
    let c = s2s_builder(&emu).build().unwrap();
    start(&c).unwrap();
    // Refreshed a quarter of the lifetime early: at 1.5 s, before the server expires it.
    std::thread::sleep(Duration::from_millis(1600));
    start(&c).unwrap();
    assert_eq!(emu.tokens_issued(), 2);
    assert!(
        api_requests(&emu).iter().all(|r| r.status == Some(204)),
        "no 401 was needed"
    );
}

#[test]
fn a_401_with_a_fresh_token_is_returned_after_one_refetch() {
    let emu = emulator();
    emu.push_fault(Fault {
        path: "/livestream".into(),
        times: 5,
        ..Fault::status(401, 124, "Invalid access token.")
    });
    let c = s2s_builder(&emu).build().unwrap();
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(emu.tokens_issued(), 2, "refetched once");
    assert_eq!(api_requests(&emu).len(), 2, "retried once");
}

#[test]
fn wrong_client_secret_is_an_auth_error_without_the_secret() {
    let emu = emulator();
    let c = Client::builder(
        Credentials::server_to_server("demo-account", "demo-client", "not-the-secret").unwrap(),
    )
    .base_url(emu.base_url())
    .oauth_url(emu.oauth_url())
    .build()
    .unwrap();
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    let api = err.api().unwrap();
    assert_eq!(api.oauth_error.as_deref(), Some("invalid_client"));
    assert_eq!(api.message, "Invalid client_id or client_secret");
    for shown in [err.to_string(), format!("{err:?}"), format!("{c:?}")] {
        assert!(!shown.contains("not-the-secret"), "{shown}");
    }
    assert!(api_requests(&emu).is_empty(), "no API call without a token");
}

#[test]
fn oauth_endpoint_down_or_answering_garbage() {
    let emu = emulator();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let down = s2s_builder(&emu)
        .oauth_url(format!("http://127.0.0.1:{port}/oauth/token"))
        .build()
        .unwrap();
    assert_eq!(start(&down).unwrap_err().kind(), ErrorKind::Transport);

    emu.push_fault(Fault {
        path: "/oauth/token".into(),
        status: Some(200),
        body: Some("<html>not json</html>".into()),
        ..Fault::default()
    });
    let c = s2s_builder(&emu).build().unwrap();
    let err = start(&c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.to_string().contains("not JSON"), "{err}");
    assert!(api_requests(&emu).is_empty());
}
