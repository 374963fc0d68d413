//! The command line's trace (`-v`, `--trace-file`, the `trace` array of JSON errors)
//! and `zoomlive doctor` (issue 19 §2-3), against an in-process emulator.
#![cfg(feature = "cli")]

use std::process::{Command, Output};

use serde_json::Value;
use zoomlive::emulator::Config;

use crate::common::{MEETING, TOKEN, emulator, emulator_with};

const BIN: &str = env!("CARGO_BIN_EXE_zoomlive");

/// The CLI with a clean environment: only the variables given.
fn zoomlive(vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(["--no-token-cache"])
        .args(args);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn verbose_prints_the_trace_and_trace_file_appends_it() {
    let emu = emulator();
    let base = emu.base_url();
    let vars = [
        ("ZOOM_BASE_URL", base.as_str()),
        ("ZOOM_ACCESS_TOKEN", TOKEN),
    ];
    let out = zoomlive(&vars, &["-v", "meeting-status", MEETING, "start"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(" request PATCH /v2/meetings/68423085/livestream/status"),
        "{stderr}"
    );
    assert!(
        stderr.contains(" header Authorization: Bearer <redacted>"),
        "{stderr}"
    );
    assert!(stderr.contains(" outcome ok total_ms="), "{stderr}");
    assert!(!stderr.contains(TOKEN));
    assert_eq!(
        text(&out.stdout).trim(),
        "ok: meeting-status 68423085 start"
    );

    // Without -v, nothing on stderr; with --trace-file, each run is appended.
    let dir = tempdir();
    let file = dir.join("calls.log");
    let path = file.to_str().unwrap();
    for _ in 0..2 {
        let out = zoomlive(&vars, &["--trace-file", path, "meeting-get", MEETING]);
        assert!(out.status.success());
        assert_eq!(text(&out.stderr), "");
    }
    let log = std::fs::read_to_string(&file).unwrap();
    assert_eq!(log.matches("=== ").count(), 2, "{log}");
    assert_eq!(log.matches(" zoomlive meeting-get\n").count(), 2, "{log}");
    assert_eq!(
        log.matches(" request GET /v2/meetings/68423085/livestream")
            .count(),
        2
    );
    assert!(!log.contains(TOKEN));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_json_error_carries_its_trace_as_an_array() {
    let emu = emulator();
    let base = emu.base_url();
    let vars = [
        ("ZOOM_BASE_URL", base.as_str()),
        ("ZOOM_ACCESS_TOKEN", TOKEN),
    ];
    let out = zoomlive(&vars, &["--output", "json", "meeting-get", "1234"]);
    assert_eq!(out.status.code(), Some(7));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let trace = v["error"]["trace"].as_array().expect("a trace array");
    assert!(trace.len() >= 6, "{trace:?}");
    assert!(trace[0].as_str().unwrap().contains(" config base_url="));
    assert!(
        trace
            .last()
            .unwrap()
            .as_str()
            .unwrap()
            .contains(" outcome failed kind=not_found")
    );
    assert!(
        !out.stdout
            .windows(TOKEN.len())
            .any(|w| w == TOKEN.as_bytes())
    );
    // An input error: nothing was sent, the array is empty.
    let out = zoomlive(&vars, &["--output", "json", "meeting-get", "abc"]);
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["trace"], serde_json::json!([]));
}

#[test]
fn doctor_prints_each_check_and_exits_by_what_failed() {
    let emu = emulator();
    let base = emu.base_url();
    let oauth = emu.oauth_url();
    let s2s = [
        ("ZOOM_BASE_URL", base.as_str()),
        ("ZOOM_OAUTH_URL", oauth.as_str()),
        ("ZOOM_ACCOUNT_ID", "demo-account"),
        ("ZOOM_CLIENT_ID", "demo-client"),
        ("ZOOM_CLIENT_SECRET", "demo-secret"),
    ];
    let out = zoomlive(&s2s, &["doctor", "--meeting", MEETING]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    for expected in [
        "ok   proxy 127.0.0.1: direct source=loopback",
        "ok   token: fetched in ",
        "ok   scopes: every live-stream operation is allowed",
        "ok   get meeting 68423085: ",
        "ok   clock: ",
    ] {
        assert!(stdout.contains(expected), "{expected} in\n{stdout}");
    }
    assert!(!stdout.contains("demo-secret"));

    // JSON: the same checks as an array; an unknown meeting fails: exit 20.
    let out = zoomlive(&s2s, &["--output", "json", "doctor", "--webinar", "1234"]);
    assert_eq!(out.status.code(), Some(20));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = v.as_array().unwrap();
    let last = checks.last().unwrap();
    assert_eq!(last["check"], "get webinar 1234");
    assert_eq!(last["status"], "fail");
    assert!(checks.iter().all(|c| c["detail"].is_string()));

    // No credentials: only what needs none, and it says so.
    let out = zoomlive(&[("ZOOM_BASE_URL", base.as_str())], &["doctor"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(!stdout.contains(" token:"), "{stdout}");
    assert!(stdout.contains("note: no credentials given"), "{stdout}");
}

#[test]
fn doctor_names_the_missing_scopes_of_a_token() {
    let emu = emulator_with(Config {
        missing_scopes: vec!["meeting:write:admin".into(), "webinar:write:admin".into()],
        ..Config::default()
    });
    let base = emu.base_url();
    let oauth = emu.oauth_url();
    let out = zoomlive(
        &[
            ("ZOOM_BASE_URL", base.as_str()),
            ("ZOOM_OAUTH_URL", oauth.as_str()),
            ("ZOOM_ACCOUNT_ID", "demo-account"),
            ("ZOOM_CLIENT_ID", "demo-client"),
            ("ZOOM_CLIENT_SECRET", "demo-secret"),
        ],
        &["--output", "json", "doctor"],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let scopes = v
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "scopes")
        .expect("a scopes check");
    assert_eq!(scopes["status"], "warn", "{scopes}");
    let detail = scopes["detail"].as_str().unwrap();
    assert!(
        detail.contains("meeting status/update needs meeting:write:admin"),
        "{detail}"
    );
    assert!(
        detail.contains("webinar status/update needs webinar:write:admin"),
        "{detail}"
    );
    assert!(!detail.contains("meeting get"), "{detail}");
    assert!(scopes["advice"].is_string());
    assert_eq!(out.status.code(), Some(0), "a warning is not a failure");
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "zoomlive-cli-trace-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
