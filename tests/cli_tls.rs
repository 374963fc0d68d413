//! The command line over TLS (issue 12): `--extra-ca-file` / `ZOOMLIVE_EXTRA_CA_FILE`
//! against a loopback HTTPS server whose CA the OS does not hold.
#![cfg(feature = "cli")]

mod common;
mod tls_rig;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{MEETING, TOKEN};
use serde_json::Value;
use tls_rig::{Server, pki};

const BIN: &str = env!("CARGO_BIN_EXE_zoomlive");

/// A private scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zoomlive-cli-tls-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the CLI with only `env` (and HOME pointing at `home`), JSON output.
fn run(home: &Path, env: &[(&str, &str)], args: &[&str]) -> (Output, Value) {
    let out = Command::new(BIN)
        .env_clear()
        .env("HOME", home)
        .envs(env.iter().copied())
        .args(["--output", "json"])
        .args(args)
        .output()
        .unwrap();
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(
            !text.contains(TOKEN) && !text.contains("rig-token-"),
            "token in output: {text}"
        );
    }
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out, json)
}

#[test]
fn an_extra_ca_file_is_trusted_from_the_option_or_the_environment() {
    let server = Server::start(&pki(), "127.0.0.1");
    let dir = scratch("extra-ca");
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &server.ca_pem).unwrap();
    let url = server.base_url();
    let env = [
        ("ZOOM_ACCESS_TOKEN", TOKEN),
        ("ZOOM_BASE_URL", url.as_str()),
    ];
    let start = ["meeting-status", MEETING, "start"];

    let (out, json) = run(&dir, &env, &start);
    assert!(!out.status.success(), "untrusted without the CA: {json}");
    assert_eq!(json["error"]["kind"], "transport", "{json}");

    let mut args = vec!["--extra-ca-file", ca.to_str().unwrap()];
    args.extend(start);
    let (out, json) = run(&dir, &env, &args);
    assert!(out.status.success(), "{json}");

    let mut with_var = env.to_vec();
    with_var.push(("ZOOMLIVE_EXTRA_CA_FILE", ca.to_str().unwrap()));
    let (out, json) = run(&dir, &with_var, &start);
    assert!(out.status.success(), "{json}");
    assert_eq!(server.api_calls(), 2);

    // The C setter's checks: unreadable, then not PEM.
    let missing = dir.join("missing.pem");
    let mut args = vec!["--extra-ca-file", missing.to_str().unwrap()];
    args.extend(start);
    let (out, json) = run(&dir, &env, &args);
    assert!(!out.status.success());
    assert_eq!(json["error"]["field"], "extra_ca_file", "{json}");
    let bad = dir.join("bad.pem");
    std::fs::write(&bad, "not a certificate\n").unwrap();
    let mut args = vec!["--extra-ca-file", bad.to_str().unwrap()];
    args.extend(start);
    let (out, json) = run(&dir, &env, &args);
    assert!(!out.status.success());
    assert_eq!(json["error"]["field"], "extra_ca_pem", "{json}");
    assert_eq!(server.api_calls(), 2);
    let _ = std::fs::remove_dir_all(dir);
}
