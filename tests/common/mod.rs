//! Shared by the integration tests: an in-process emulator and clients for it.
#![allow(dead_code)]

pub mod echo;

use std::time::Duration;

use zoomlive::emulator::{Config, DEFAULT_TOKEN, Emulator, RecordedRequest};
use zoomlive::{BodyEncoding, Client, ClientBuilder, Credentials, RetryPolicy};

pub const TOKEN: &str = DEFAULT_TOKEN;
pub const MEETING: &str = "68423085";
pub const WEBINAR: &str = "91234567890";

pub fn emulator() -> Emulator {
    emulator_with(Config::default())
}

pub fn emulator_with(config: Config) -> Emulator {
    Emulator::start(config).expect("emulator starts")
}

/// A builder pointed at the emulator, with the fake token and short waits.
pub fn builder(emu: &Emulator, encoding: BodyEncoding) -> ClientBuilder {
    Client::builder(Credentials::access_token(TOKEN).unwrap())
        .base_url(emu.base_url())
        .encoding(encoding)
        .timeout(Duration::from_secs(10))
}

pub fn client(emu: &Emulator, encoding: BodyEncoding) -> Client {
    builder(emu, encoding).build().unwrap()
}

pub fn s2s_builder(emu: &Emulator) -> ClientBuilder {
    Client::builder(
        Credentials::server_to_server("demo-account", "demo-client", "demo-secret").unwrap(),
    )
    .base_url(emu.base_url())
    .oauth_url(emu.oauth_url())
    .timeout(Duration::from_secs(10))
}

pub fn no_retries(b: ClientBuilder) -> ClientBuilder {
    b.retry_policy(RetryPolicy::none())
}

/// The requests to the API (not the OAuth endpoint).
pub fn api_requests(emu: &Emulator) -> Vec<RecordedRequest> {
    emu.requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/v2/"))
        .collect()
}

pub fn field<'a>(r: &'a RecordedRequest, name: &str) -> &'a serde_json::Value {
    r.fields
        .get(name)
        .unwrap_or_else(|| panic!("field {name} missing in {:?}", r.fields))
}
