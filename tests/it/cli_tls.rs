//! The command line over TLS (issue 12): `--extra-ca-file` / `ZOOMLIVE_EXTRA_CA_FILE`
//! against a loopback HTTPS server whose CA the OS does not hold.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{MEETING, TOKEN};
use crate::tls_rig::{Server, pki};
use serde_json::Value;

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

/// The S2S environment for the rig, trusting its CA.
fn s2s_env<'a>(
    server: &'a Server,
    ca: &'a str,
    urls: &'a (String, String),
) -> Vec<(&'a str, &'a str)> {
    let _ = server;
    vec![
        ("ZOOM_ACCOUNT_ID", "acct"),
        ("ZOOM_CLIENT_ID", "cid"),
        ("ZOOM_CLIENT_SECRET", "TOPSECRET-cli"),
        ("ZOOM_BASE_URL", urls.0.as_str()),
        ("ZOOM_OAUTH_URL", urls.1.as_str()),
        ("ZOOMLIVE_EXTRA_CA_FILE", ca),
    ]
}

/// The one cache file in `dir`, and its text.
fn cache_file(dir: &Path) -> (PathBuf, String) {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    (files[0].clone(), text)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_cli_keeps_s2s_tokens_between_runs() {
    use std::os::unix::fs::PermissionsExt;
    let server = Server::start(&pki(), "127.0.0.1");
    let home = scratch("token-cache");
    let ca = home.join("ca.pem");
    std::fs::write(&ca, &server.ca_pem).unwrap();
    let urls = (server.base_url(), server.oauth_url());
    let env = s2s_env(&server, ca.to_str().unwrap(), &urls);
    let start = ["meeting-status", MEETING, "start"];
    let ok = |args: &[&str], env: &[(&str, &str)]| {
        let (out, json) = run(&home, env, args);
        assert!(out.status.success(), "{json}");
    };

    // Two runs, one fetch: the default folder under HOME, 0700, one 0600 file named by
    // a hash (no credential in its name, no secret in it).
    ok(&start, &env);
    ok(&start, &env);
    assert_eq!(server.token_fetches(), 1);
    let dir = home.join(".cache").join("zoomlive");
    assert_eq!(mode(&dir), 0o700);
    let (file, text) = cache_file(&dir);
    assert_eq!(mode(&file), 0o600);
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(name.len() == 64 + 6 && name.ends_with(".token"), "{name}");
    assert!(
        !text.contains("TOPSECRET") && text.contains("rig-token-1"),
        "{text}"
    );

    // XDG_CACHE_HOME and --token-cache-dir move it; --no-token-cache neither reads nor writes.
    let other = home.join("other");
    let mut args = vec!["--token-cache-dir", other.to_str().unwrap()];
    args.extend(start);
    ok(&args, &env);
    assert_eq!(server.token_fetches(), 2);
    cache_file(&other);
    let mut args = vec!["--no-token-cache"];
    args.extend(start);
    ok(&args, &env);
    assert_eq!(server.token_fetches(), 3);
    assert_eq!(cache_file(&dir).1, text, "untouched by --no-token-cache");
    let xdg = home.join("xdg");
    let mut with_xdg = env.clone();
    let xdg_text = xdg.to_str().unwrap().to_owned();
    with_xdg.push(("XDG_CACHE_HOME", &xdg_text));
    ok(&start, &with_xdg);
    assert_eq!(server.token_fetches(), 4);
    cache_file(&xdg.join("zoomlive"));

    // Corrupt, or open to others: ignored, then replaced by a fresh 0600 file.
    std::fs::write(&file, "{not json").unwrap();
    ok(&start, &env);
    assert_eq!(server.token_fetches(), 5);
    assert!(cache_file(&dir).1.contains("rig-token-5"));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    ok(&start, &env);
    assert_eq!(server.token_fetches(), 6);
    assert_eq!(mode(&file), 0o600);
    ok(&start, &env);
    assert_eq!(server.token_fetches(), 6, "the replaced file is used");

    // Zoom refuses the stored token (401, code 124): dropped, a new one fetched and kept.
    server
        .seen
        .refuse_next
        .store(1, std::sync::atomic::Ordering::SeqCst);
    ok(&start, &env);
    assert_eq!(server.token_fetches(), 7);
    assert!(cache_file(&dir).1.contains("rig-token-7"));
    ok(&start, &env);
    assert_eq!(server.token_fetches(), 7);
    let _ = std::fs::remove_dir_all(home);
}
