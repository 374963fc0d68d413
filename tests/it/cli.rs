//! The `zoomlive` command line: the emulator subcommand, each operation, exit codes
//! per error kind, `--output json`, and no token in any output.
#![cfg(feature = "cli")]

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

use crate::common::{MEETING, TOKEN, WEBINAR};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_zoomlive");

/// `zoomlive emulator` as a process, killed on drop.
struct EmulatorProcess {
    child: Child,
    url: String,
}

impl EmulatorProcess {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args(["emulator", "--bind", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first.trim().to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "first line is the URL: {url:?}"
        );
        EmulatorProcess { child, url }
    }

    fn requests(&self) -> Vec<Value> {
        let c = zoomlive_test_get(&format!("{}/_emulator/requests", self.url));
        serde_json::from_str::<Value>(&c)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain GET over a socket (the control API), independent of the library.
fn zoomlive_test_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    text.split_once("\r\n\r\n").unwrap().1.to_owned()
}

fn run(emu: &EmulatorProcess, token: Option<&str>, args: &[&str]) -> Output {
    run_env(emu, token, &[], args)
}

/// `run` with more environment variables (`ZOOM_STREAM_KEY`).
fn run_env(
    emu: &EmulatorProcess,
    token: Option<&str>,
    env: &[(&str, &str)],
    args: &[&str],
) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .envs(env.iter().copied())
        .env("ZOOM_BASE_URL", format!("{}/v2", emu.url))
        .env("ZOOM_OAUTH_URL", format!("{}/oauth/token", emu.url))
        .args(args);
    if let Some(t) = token {
        cmd.env("ZOOM_ACCESS_TOKEN", t);
    }
    let out = cmd.output().unwrap();
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(
            !text.contains(TOKEN) && !text.contains("wrong-token-1234"),
            "token in output: {text}"
        );
    }
    out
}

fn json_out(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn operations_succeed_and_reach_the_emulator() {
    let emu = EmulatorProcess::start(&[]);
    let ok = run(
        &emu,
        Some(TOKEN),
        &[
            "meeting-status",
            MEETING,
            "start",
            "--display-name",
            "dolore ullamco irur",
            "--active-speaker-name",
            "false",
        ],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let out = run(
        &emu,
        Some(TOKEN),
        &[
            "--encoding",
            "json",
            "--output",
            "json",
            "webinar-status",
            WEBINAR,
            "stop",
        ],
    );
    let v = json_out(&out);
    assert_eq!(
        (v["ok"].as_bool(), v["operation"].as_str()),
        (Some(true), Some("webinar-status"))
    );
    let out = run_env(
        &emu,
        Some(TOKEN),
        &[("ZOOM_STREAM_KEY", "k-1")],
        &[
            "meeting-update",
            MEETING,
            "--stream-url",
            "rtmp://a/live2",
            "--page-url",
            "https://example.com/live",
        ],
    );
    assert!(out.status.success());
    let got = json_out(&run(
        &emu,
        Some(TOKEN),
        &["--output", "json", "meeting-get", MEETING],
    ));
    assert_eq!(got["livestream"]["stream_url"], "rtmp://a/live2");
    let reqs = emu.requests();
    assert_eq!(reqs.len(), 4);
    assert_eq!(
        reqs[0]["fields"]["settings"],
        r#"{"active_speaker_name":false,"display_name":"dolore ullamco irur"}"#
    );
    assert_eq!(reqs[1]["encoding"], "json");
}

#[test]
fn exit_codes_and_json_errors_per_kind() {
    let emu = EmulatorProcess::start(&[]);
    let out = run(
        &emu,
        Some(TOKEN),
        &["--output", "json", "meeting-status", "12345", "start"],
    );
    assert_eq!(out.status.code(), Some(7));
    let v = json_out(&out);
    assert_eq!(v["error"]["kind"], "not_found");
    assert_eq!(v["error"]["zoom_code"], 3001);
    assert!(v["error"]["tracking_id"].as_str().unwrap().contains("emu"));

    let out = run(
        &emu,
        Some("wrong-token-1234"),
        &["meeting-status", MEETING, "start"],
    );
    assert_eq!(out.status.code(), Some(6));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("zoomlive: authentication failed"));

    let before = emu.requests().len();
    let seed = r#"start{"active_speaker_name":false,"display_name":"dolore ullamco irur"}"#;
    let out = run(
        &emu,
        Some(TOKEN),
        &[
            "--output",
            "json",
            "meeting-status",
            MEETING,
            "start",
            "--settings",
            seed,
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json_out(&out)["error"]["field"], "settings");
    let out = run(
        &emu,
        Some(TOKEN),
        &["meeting-status", "123/../../users", "start"],
    );
    assert_eq!(out.status.code(), Some(3));
    for args in [
        &[
            "meeting-status",
            MEETING,
            "start",
            "--display-name",
            "a\r\nX-Injected: 1",
        ][..],
        &["meeting-status", "%2e%2e", "start"],
        &["meeting-status", "١٢٣", "start"],
        &["meeting-status", MEETING, "start", "--settings", "[1]"],
        &[
            "--base-url",
            "http://api.zoom.us/v2",
            "meeting-status",
            MEETING,
            "stop",
        ],
    ] {
        let out = run(&emu, Some(TOKEN), args);
        assert_eq!(out.status.code(), Some(3), "{args:?}");
    }
    let out = run_env(
        &emu,
        Some(TOKEN),
        &[("ZOOM_STREAM_KEY", "k\nX")],
        &[
            "meeting-update",
            MEETING,
            "--stream-url",
            "rtmp://a",
            "--page-url",
            "https://e.x",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "a stream key with LF");
    let out = run(
        &emu,
        Some("tok\r\nX-Injected: 1"),
        &["meeting-status", MEETING, "start"],
    );
    assert_eq!(out.status.code(), Some(3), "a token with CR/LF");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("X-Injected"));
    let out = run(&emu, None, &["meeting-status", MEETING, "start"]);
    assert_eq!(out.status.code(), Some(3), "no credentials");
    assert!(String::from_utf8_lossy(&out.stderr).contains("ZOOM_ACCESS_TOKEN"));
    assert_eq!(emu.requests().len(), before, "input errors send nothing");
}

#[test]
fn server_to_server_credentials_from_the_environment() {
    let emu = EmulatorProcess::start(&["--oauth-app", "acct-9:cid-9:sec-9"]);
    let out = Command::new(BIN)
        .env_clear()
        .env("ZOOM_BASE_URL", format!("{}/v2", emu.url))
        .env("ZOOM_OAUTH_URL", format!("{}/oauth/token", emu.url))
        .env("ZOOM_ACCOUNT_ID", "acct-9")
        .env("ZOOM_CLIENT_ID", "cid-9")
        .env("ZOOM_CLIENT_SECRET", "sec-9")
        .args(["meeting-status", MEETING, "stop"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let paths: Vec<String> = emu
        .requests()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        paths,
        vec!["/oauth/token", "/v2/meetings/68423085/livestream/status"]
    );
}

#[test]
fn get_shows_a_missing_field_as_null_and_an_empty_one_as_empty() {
    let emu = common::emulator();
    emu.push_fault(zoomlive::emulator::Fault {
        path: "/livestream".into(),
        status: Some(200),
        body: Some(r#"{"stream_url":"rtmp://x/live","stream_key":""}"#.into()),
        ..Default::default()
    });
    let out = Command::new(BIN)
        .env_clear()
        .env("ZOOM_BASE_URL", emu.base_url())
        .env("ZOOM_ACCESS_TOKEN", TOKEN)
        .args(["--output", "json", "meeting-get", MEETING])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let got = json_out(&out);
    assert_eq!(got["livestream"]["stream_url"], "rtmp://x/live");
    assert_eq!(got["livestream"]["stream_key"], "");
    assert!(got["livestream"]["page_url"].is_null(), "{got}");
    assert!(got["livestream"]["resolution"].is_null(), "{got}");
}

/// Issue 11 through the CLI: `--encoding auto` by default (JSON after a 415), scope
/// errors with `missing_scopes`, webinar 3001/1001 on 400 as not found, a 429 whose
/// message states a wait returned at once, daily limits with every rate-limit key.
#[test]
fn zoom_behaviour_through_the_cli() {
    let json_only = EmulatorProcess::start(&["--json-only"]);
    let status = ["--output", "json", "meeting-status", MEETING, "start"];
    let out = run(&json_only, Some(TOKEN), &status);
    assert_eq!(out.status.code(), Some(0), "{}", json_out(&out));
    let types: Vec<String> = json_only
        .requests()
        .iter()
        .filter(|r| r["path"].as_str().unwrap_or("").starts_with("/v2/"))
        .map(|r| r.to_string())
        .collect();
    assert_eq!(types.len(), 2, "multipart refused, then JSON: {types:?}");
    let out = run(
        &json_only,
        Some(TOKEN),
        &[
            "--encoding",
            "multipart",
            "--output",
            "json",
            "meeting-status",
            MEETING,
            "stop",
        ],
    );
    assert_eq!(out.status.code(), Some(9));
    assert_eq!(json_out(&out)["error"]["http_status"], 415);
    let out = run(
        &json_only,
        Some(TOKEN),
        &["--encoding", "xml", "meeting-get", MEETING],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "clap refuses an unknown encoding"
    );

    let scopes = EmulatorProcess::start(&["--missing-scope", "meeting:write:admin,meeting:write"]);
    let out = run(&scopes, Some(TOKEN), &status);
    assert_eq!(out.status.code(), Some(6));
    let err = &json_out(&out)["error"];
    assert_eq!(err["kind"], "auth");
    assert_eq!(err["zoom_code"], 4700);
    assert_eq!(
        err["missing_scopes"],
        serde_json::json!(["meeting:write:admin", "meeting:write"])
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("add these scopes to the Zoom app"),
        "{err}"
    );
    let out = run(&scopes, Some(TOKEN), &["meeting-status", MEETING, "start"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("meeting:write:admin, meeting:write"),
        "text output names the scopes"
    );

    let emu = EmulatorProcess::start(&[
        "--hostless-webinar",
        WEBINAR,
        "--start-cooldown-ms",
        "30000",
    ]);
    let out = run(
        &emu,
        Some(TOKEN),
        &["--output", "json", "webinar-status", WEBINAR, "start"],
    );
    assert_eq!(out.status.code(), Some(7), "{}", json_out(&out));
    let err = &json_out(&out)["error"];
    assert_eq!(
        (err["http_status"].clone(), err["zoom_code"].clone()),
        (400.into(), 1001.into())
    );
    assert_eq!(err["missing_scopes"], serde_json::json!([]));
    let out = run(
        &emu,
        Some(TOKEN),
        &["--output", "json", "webinar-status", "99999999999", "start"],
    );
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(json_out(&out)["error"]["zoom_code"], 3001);

    assert_eq!(run(&emu, Some(TOKEN), &status).status.code(), Some(0));
    let started = std::time::Instant::now();
    let out = run(&emu, Some(TOKEN), &status);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "not retried"
    );
    assert_eq!(out.status.code(), Some(8));
    let err = &json_out(&out)["error"];
    assert_eq!(err["kind"], "rate_limited");
    assert_eq!(err["retry_after_secs"], 30.0);
    assert_eq!(err["rate_limit_type"], Value::Null);

    let daily = EmulatorProcess::start(&["--daily-limit", "1"]);
    assert_eq!(run(&daily, Some(TOKEN), &status).status.code(), Some(0));
    let out = run(&daily, Some(TOKEN), &status);
    assert_eq!(out.status.code(), Some(8));
    let err = &json_out(&out)["error"];
    assert_eq!(err["rate_limit_type"], "Daily-limit");
    assert_eq!(err["rate_limit_category"], "Light");
    assert_eq!(err["rate_limit_limit"], 1);
    assert_eq!(err["rate_limit_remaining"], 0);
    assert!(err["retry_after_secs"].as_f64().unwrap() <= 86_400.0);
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("daily limit; it resets in"),
        "{err}"
    );
    let api_calls = daily
        .requests()
        .iter()
        .filter(|r| r["path"].as_str().unwrap_or("").starts_with("/v2/"))
        .count();
    assert_eq!(api_calls, 2, "the daily limit is not retried");
}
