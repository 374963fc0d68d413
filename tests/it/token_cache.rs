//! Server-to-Server tokens shared by the clients of a process (issue 12 §2): clients
//! with the same OAuth URL, account id, client id and secret fetch one token between
//! them, one fetch at a time; other credentials get their own.

use std::time::Duration;

use crate::tls_rig::{Server, pki};
use zoomlive::{Action, Client, Credentials, MeetingId};

fn s2s(server: &Server, secret: &str) -> Client {
    Client::builder(Credentials::server_to_server("acct", "cid", secret).unwrap())
        .base_url(server.base_url())
        .oauth_url(server.oauth_url())
        .extra_ca_pem(server.ca_pem.clone())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn start(c: &Client) {
    c.update_meeting_livestream_status(MeetingId::parse("68423085").unwrap(), Action::Start, None)
        .unwrap();
}

#[test]
fn clients_with_the_same_credentials_share_one_token() {
    let server = Server::start(&pki(), "127.0.0.1");
    // The FoxPro pattern: create, call, free; then 8 threads doing the same at once.
    for _ in 0..3 {
        start(&s2s(&server, "secret-a"));
    }
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| start(&s2s(&server, "secret-a")));
        }
    });
    assert_eq!(server.token_fetches(), 1);
    start(&s2s(&server, "secret-b"));
    assert_eq!(server.token_fetches(), 2, "another secret, another token");
    assert_eq!(server.api_calls(), 12);
}
