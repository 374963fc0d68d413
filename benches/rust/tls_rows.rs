//! `tls-rig ONE_WAY_MS DIR`: the HTTPS side of `make bench` (benches/tls_bench.py).
//!
//! Two loopback HTTPS servers of the test rig (tests/it/tls_rig: a CA made by rcgen,
//! `204` for API calls, a token for `/oauth/token`): the API on 127.0.0.1 and the token
//! endpoint on 127.0.0.2; and in front of each a relay of one delayed link
//! (tests/it/relay: every packet delayed ONE_WAY_MS each way, round trips counted from
//! what each segment waited for). Writes the CA to DIR/ca.pem, prints one JSON line
//! with the URLs, then answers commands on stdin, one per line, until it closes:
//! `reset` (forget what the relay saw; prints `ok`) and `count` (prints
//! `{"round_trips", "connections"}` since the last reset).

#[path = "../../tests/it/relay/mod.rs"]
mod relay;
#[path = "../../tests/it/tls_rig/mod.rs"]
mod tls_rig;

use std::io::BufRead;
use std::net::SocketAddr;
use std::time::Duration;

/// The most commands read (every loop is bounded).
const MAX_COMMANDS: usize = 100_000;

pub fn run(one_way_ms: u64, dir: &str) {
    let pki = tls_rig::pki();
    let api = tls_rig::Server::start(&pki, "127.0.0.1");
    let oauth = tls_rig::Server::start(&pki, "127.0.0.2");
    let ca = format!("{dir}/ca.pem");
    std::fs::write(&ca, &pki.ca_pem).expect("writing the CA");
    let link = relay::Link::new(Duration::from_millis(one_way_ms));
    let addr =
        |s: &tls_rig::Server| -> SocketAddr { format!("{}:{}", s.ip, s.port).parse().unwrap() };
    let relay_api = link.relay("127.0.0.1", addr(&api));
    let relay_oauth = link.relay("127.0.0.2", addr(&oauth));
    println!(
        "{}",
        serde_json::json!({
            "ca": ca,
            "api": api.base_url(),
            "oauth": oauth.oauth_url(),
            "relay_api": format!("https://{relay_api}/v2"),
            "relay_oauth": format!("https://{relay_oauth}/oauth/token"),
        })
    );
    for line in std::io::stdin().lock().lines().take(MAX_COMMANDS) {
        let Ok(line) = line else { break };
        match line.trim() {
            "reset" => {
                link.reset();
                println!("ok");
            }
            "count" => println!(
                "{}",
                serde_json::json!({
                    "round_trips": link.round_trips(),
                    "connections": link.connections(),
                    "token_fetches": oauth.token_fetches(),
                    "api_calls": api.api_calls(),
                })
            ),
            _ => println!("unknown"),
        }
    }
}
