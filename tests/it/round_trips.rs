//! Round trips of a cold call over TLS (issue 12 §1, §5), counted by a relay on loopback
//! that delays every packet by 50 ms each way (tests/relay): a bearer call takes 3 (TCP,
//! TLS 1.3, the request); a Server-to-Server call that fetches its token from another
//! host takes 4, because the API connection is opened while the token is fetched; with
//! the token already cached, 3. After the handshake the request leaves in one write and
//! one TLS record, together with the handshake's end.

use crate::relay;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::common::{MEETING, TOKEN, alone};
use crate::relay::{Link, tls_records};
use crate::tls_rig::{Server, pki};
use zoomlive::{Action, Client, Credentials, MeetingId};

const ONE_WAY: Duration = Duration::from_millis(50);

struct Rig {
    server: Server,
    link: Link,
    api: SocketAddr,
    oauth: SocketAddr,
}

/// The rig's HTTPS server behind two relays of one delayed link: the API on 127.0.0.1,
/// the token endpoint on 127.0.0.2.
fn rig() -> Rig {
    let server = Server::start(&pki(), "127.0.0.1");
    let upstream: SocketAddr = format!("127.0.0.1:{}", server.port).parse().unwrap();
    let link = Link::new(ONE_WAY);
    let api = link.relay("127.0.0.1", upstream);
    let oauth = link.relay("127.0.0.2", upstream);
    Rig {
        server,
        link,
        api,
        oauth,
    }
}

fn client(rig: &Rig, credentials: Credentials) -> Client {
    Client::builder(credentials)
        .base_url(format!("https://{}/v2", rig.api))
        .oauth_url(format!("https://{}/oauth/token", rig.oauth))
        .extra_ca_pem(rig.server.ca_pem.clone())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

fn s2s(secret: &str) -> Credentials {
    Credentials::server_to_server("acct", "cid", secret).unwrap()
}

/// One status update; the round trips the relay counted for it and the time it took.
fn call(rig: &Rig, c: &Client) -> (u32, Duration) {
    rig.link.reset();
    let started = Instant::now();
    c.update_meeting_livestream_status(MeetingId::parse(MEETING).unwrap(), Action::Start, None)
        .unwrap();
    (rig.link.round_trips(), started.elapsed())
}

#[test]
fn a_cold_bearer_call_takes_three_round_trips() {
    let rig = rig();
    let c = client(&rig, Credentials::access_token(TOKEN).unwrap());
    let (trips, took) = call(&rig, &c);
    eprintln!("bearer cold: {trips} round trips, {took:?}");
    assert_eq!(trips, 3);
    assert_eq!(rig.link.connections(), 1);
}

#[test]
fn a_cold_s2s_call_opens_the_api_connection_while_the_token_is_fetched() {
    let rig = rig();
    let c = client(&rig, s2s("secret-cold"));
    let (trips, took) = call(&rig, &c);
    eprintln!("S2S cold: {trips} round trips, {took:?}");
    assert_eq!(trips, 4, "{:#?}", depths(&rig.link));
    assert_eq!(rig.link.connections(), 2);
    assert_eq!(rig.server.token_fetches(), 1);
    // Both connections were opened before any answer came back (depth 1).
    let first: Vec<u32> = rig
        .link
        .chunks()
        .iter()
        .filter(|ch| ch.from_client)
        .map(|ch| ch.depth)
        .collect();
    assert_eq!(first.iter().filter(|d| **d == 2).count(), 2, "{first:?}");
    // The second call of the same client reuses its connection: one round trip.
    let (trips, _) = call(&rig, &c);
    assert_eq!(trips, 1);
    assert_eq!(rig.link.connections(), 0);

    // A new client whose token the process already holds: nothing pre-opened, 3.
    let again = client(&rig, s2s("secret-cold"));
    let (trips, took) = call(&rig, &again);
    eprintln!("S2S cached token: {trips} round trips, {took:?}");
    assert_eq!(trips, 3);
    assert_eq!(rig.link.connections(), 1);
    assert_eq!(rig.server.token_fetches(), 1);
}

#[test]
fn the_time_of_a_cold_s2s_call_agrees_with_the_count() {
    // 4 round trips of 100 ms: at least 400 ms, well under the 600 of one after the other.
    let rig = rig();
    let c = client(&rig, s2s("secret-timed"));
    let (trips, took) = call(&rig, &c);
    assert_eq!(trips, 4);
    assert!(took >= 4 * 2 * ONE_WAY, "{took:?}");
    assert!(took < 6 * 2 * ONE_WAY, "{took:?}");
}

#[test]
fn the_request_leaves_with_the_end_of_the_handshake_in_one_write_and_one_record() {
    let rig = rig();
    for credentials in [
        Credentials::access_token(TOKEN).unwrap(),
        s2s("secret-records"),
    ] {
        let c = client(&rig, credentials);
        call(&rig, &c);
        // Every connection: the client's hello, then one read holding the handshake's
        // end (a compatibility ChangeCipherSpec, the encrypted Finished) and the request
        // (head and body) as one more encrypted record.
        let chunks = rig.link.chunks();
        let conns: std::collections::BTreeSet<usize> = chunks.iter().map(|ch| ch.conn).collect();
        for conn in conns {
            let sent: Vec<_> = chunks
                .iter()
                .filter(|ch| ch.conn == conn && ch.from_client)
                .collect();
            assert_eq!(sent.len(), 2, "connection {conn}: {:?}", sizes(&sent));
            let records = tls_records(&sent[1].bytes);
            let encrypted = records.iter().filter(|(kind, _)| *kind == 23).count();
            assert_eq!(encrypted, 2, "connection {conn}: {records:?}");
            assert!(records.iter().all(|(kind, _)| [20, 23].contains(kind)));
        }
    }
}

fn sizes(chunks: &[&relay::Chunk]) -> Vec<usize> {
    chunks.iter().map(|ch| ch.bytes.len()).collect()
}

fn depths(link: &Link) -> Vec<(usize, bool, u32, usize)> {
    link.chunks()
        .iter()
        .map(|ch| (ch.conn, ch.from_client, ch.depth, ch.bytes.len()))
        .collect()
}

#[test]
fn a_server_the_extra_ca_vouches_for_needs_no_os_trust_store() {
    // Alone in a process (other tests read the OS store, once for the process), whose
    // every client trusts the rig's CA as an extra CA: the OS store (a few milliseconds
    // of a one-shot call) is never read.
    if !alone(
        module_path!(),
        "a_server_the_extra_ca_vouches_for_needs_no_os_trust_store",
    ) {
        return;
    }
    let rig = rig();
    call(
        &rig,
        &client(&rig, Credentials::access_token(TOKEN).unwrap()),
    );
    assert_eq!(zoomlive::os_trust_store_loads(), 0);
}
