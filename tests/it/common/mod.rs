//! Shared by the integration tests: an in-process emulator and clients for it.
#![allow(dead_code)]

pub mod echo;

use std::process::Command;
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

/// The variable naming the one test a process started by [`alone`] runs.
const ALONE: &str = "ZOOMLIVE_TEST_ALONE";

/// Runs a test alone in a process of its own, as when each test file was a binary of its
/// own: for a test that changes the environment (process-wide, read by every client and
/// inherited by every child) or asserts on what the whole process did (the OS trust
/// store read, the TLS sessions kept per host name). Use as the test's first line:
/// `if !alone(module_path!(), "the_test") { return; }`. In that process it returns
/// true and the test runs; in the shared one it runs this binary again with only that
/// test, asserts that it ran and passed, and returns false.
pub fn alone(module: &str, test: &str) -> bool {
    // `it::proxy` for this binary: the test's name drops the crate.
    let module = module.split_once("::").map_or("", |(_, m)| m);
    let name = format!("{module}::{test}");
    if std::env::var_os(ALONE).is_some_and(|v| v == name.as_str()) {
        return true;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([name.as_str(), "--exact", "--test-threads=1"])
        .env(ALONE, &name)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "{name}, alone in a process: {}\n{stdout}\n{stderr}",
        out.status
    );
    eprint!("{stderr}");
    false
}

/// The proxy variables the environment rules read (and httpoxy's REQUEST_METHOD).
const VARIABLES: &[&str] = &[
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "REQUEST_METHOD",
];

/// Clears every proxy variable, then sets `vars`.
pub fn set_env(vars: &[(&str, &str)]) {
    // SAFETY: only tests that run alone in their process (`alone`) call this, so no
    // other thread reads the environment.
    unsafe {
        for name in VARIABLES {
            std::env::remove_var(name);
        }
        for (name, value) in vars {
            std::env::set_var(name, value);
        }
    }
}
