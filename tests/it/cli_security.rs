//! The `zoomlive` command line as an attacker, a careless admin or a broken pipe meets
//! it (issue 10 §1 and §5): the stream key refused on argv, taken from
//! `ZOOM_STREAM_KEY` or `--stream-key-file`; a closed stdout or a full disk; usage
//! errors as JSON; variables that are not UTF-8; token files (BOM, CRLF, FIFOs,
//! directories, devices, size, permissions); and servers echoing the request in every
//! response shape, with no secret nor a fragment of one in any output.
#![cfg(feature = "cli")]

use crate::common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use crate::common::echo::{header, serve};
use crate::common::{MEETING, TOKEN, api_requests, emulator};
use base64::Engine as _;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_zoomlive");
const STREAM_KEY: &str = "live-key-9f8e7d6c5b4a";
const HOSTILE_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.HOSTILE-TOKEN-abcdef0123456789";
const CLIENT_ID: &str = "hostile-client-id";
const CLIENT_SECRET: &str = "hostile-client-secret-42";

/// The CLI with only `env` in its environment (and `stdin` as its input).
fn cli(env: &[(&str, &str)], args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("panicked"), "{all}");
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// A fresh directory under target/ for files a test writes.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli_security-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_stream_key_on_the_command_line_is_refused_and_nothing_is_sent() {
    let emu = emulator();
    let base = emu.base_url();
    let env = [
        ("ZOOM_BASE_URL", base.as_str()),
        ("ZOOM_ACCESS_TOKEN", TOKEN),
    ];
    let update = [
        "meeting-update",
        MEETING,
        "--stream-url",
        "rtmp://a/live2",
        "--page-url",
        "https://example.com/live",
    ];
    for extra in [
        &["--stream-key", STREAM_KEY][..],
        &[&format!("--stream-key={STREAM_KEY}")],
    ] {
        let args: Vec<&str> = update
            .iter()
            .copied()
            .chain(extra.iter().copied())
            .collect();
        let out = cli(&env, &args, None);
        assert_eq!(out.status.code(), Some(3), "{}", text(&out));
        let shown = text(&out);
        assert!(shown.contains("ZOOM_STREAM_KEY") && shown.contains("--stream-key-file"));
        assert!(!shown.contains(STREAM_KEY), "{shown}");
        // Also when the rest of the command line is incomplete, and as JSON.
        let out = cli(
            &env,
            &["--output", "json", "meeting-update", MEETING, extra[0]],
            None,
        );
        assert_eq!(out.status.code(), Some(3), "{}", text(&out));
        let v = json(&out);
        assert_eq!(
            (&v["ok"], &v["error"]["kind"], &v["error"]["field"]),
            (
                &Value::Bool(false),
                &"invalid_input".into(),
                &"stream_key".into()
            )
        );
        // On any subcommand.
        let out = cli(
            &env,
            &["meeting-status", MEETING, "start", "--stream-key", "k"],
            None,
        );
        assert_eq!(out.status.code(), Some(3));
    }
    // No key at all says where to put it.
    let out = cli(&env, &update, None);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out).contains("ZOOM_STREAM_KEY"));
    assert!(api_requests(&emu).is_empty(), "nothing was sent");
}

#[test]
fn the_stream_key_comes_from_the_environment_a_file_or_stdin() {
    let emu = emulator();
    let base = emu.base_url();
    let dir = scratch("stream-key");
    let file = dir.join("key");
    std::fs::write(&file, format!("\u{FEFF}{STREAM_KEY}-file\r\n")).unwrap();
    set_mode(&file, 0o600);
    let file = file.to_str().unwrap();
    let update = |extra: &[&str], env_key: Option<&str>, stdin: Option<&str>| {
        let mut env = vec![
            ("ZOOM_BASE_URL", base.as_str()),
            ("ZOOM_ACCESS_TOKEN", TOKEN),
        ];
        if let Some(k) = env_key {
            env.push(("ZOOM_STREAM_KEY", k));
        }
        let mut args = vec![
            "meeting-update",
            MEETING,
            "--stream-url",
            "rtmp://a/live2",
            "--page-url",
            "https://example.com/live",
        ];
        args.extend_from_slice(extra);
        let out = cli(&env, &args, stdin);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(out.stderr.is_empty(), "{}", text(&out));
        let got = cli(&env, &["--output", "json", "meeting-get", MEETING], None);
        // A GET gives the key back to its caller (its own data), on stdout only.
        json(&got)["livestream"]["stream_key"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(update(&[], Some(STREAM_KEY), None), STREAM_KEY);
    assert_eq!(
        update(&["--stream-key-file", file], None, None),
        format!("{STREAM_KEY}-file")
    );
    // The file wins over the variable; `-` is standard input.
    assert_eq!(
        update(&["--stream-key-file", file], Some("other-key"), None),
        format!("{STREAM_KEY}-file")
    );
    assert_eq!(
        update(&["--stream-key-file", "-"], None, Some("stdin-key-123\n")),
        "stdin-key-123"
    );
    // The text form of a GET does not show the key.
    let env = [
        ("ZOOM_BASE_URL", base.as_str()),
        ("ZOOM_ACCESS_TOKEN", TOKEN),
    ];
    let out = cli(&env, &["meeting-get", MEETING], None);
    assert!(!text(&out).contains("stdin-key-123"), "{}", text(&out));
    // The emulator's log shows no key.
    for r in api_requests(&emu) {
        assert!(
            !format!("{:?}", r.fields).contains("key-"),
            "{:?}",
            r.fields
        );
    }
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_: &std::path::Path, _: u32) {}

#[test]
fn token_files_bom_crlf_non_regular_large_and_readable_by_others() {
    let emu = emulator();
    let base = emu.base_url();
    let dir = scratch("token-file");
    let run = |path: &str| {
        let env = [("ZOOM_BASE_URL", base.as_str())];
        cli(&env, &["--token-file", path, "meeting-get", MEETING], None)
    };
    // Notepad: a BOM and CRLF.
    let notepad = dir.join("notepad.txt");
    std::fs::write(&notepad, format!("\u{FEFF}{TOKEN}\r\n")).unwrap();
    set_mode(&notepad, 0o600);
    let out = run(notepad.to_str().unwrap());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(out.stderr.is_empty(), "no warning for 0600: {}", text(&out));
    // ZOOM_TOKEN_FILE works the same.
    let env = [
        ("ZOOM_BASE_URL", base.as_str()),
        ("ZOOM_TOKEN_FILE", notepad.to_str().unwrap()),
    ];
    assert_eq!(
        cli(&env, &["meeting-get", MEETING], None).status.code(),
        Some(0)
    );
    // Readable by the group or everyone: works, with a warning that shows no token.
    #[cfg(unix)]
    for mode in [0o640, 0o604, 0o644] {
        set_mode(&notepad, mode);
        let out = run(notepad.to_str().unwrap());
        assert_eq!(out.status.code(), Some(0));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("warning") && err.contains("readable"),
            "{mode:o}: {err}"
        );
        assert!(!text(&out).contains(&TOKEN[..8]), "{}", text(&out));
    }
    let sent = api_requests(&emu).len();
    // Not regular files: a directory, a device, a FIFO (which would block a reader).
    let mut refused = vec![dir.to_str().unwrap().to_owned(), "/dev/null".into()];
    #[cfg(unix)]
    {
        let fifo = dir.join("fifo");
        let made = Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            refused.push(fifo.to_str().unwrap().to_owned());
        }
    }
    for path in &refused {
        let out = run(path);
        assert_eq!(out.status.code(), Some(3), "{path}: {}", text(&out));
        assert!(text(&out).contains("not a regular file"), "{}", text(&out));
    }
    // Over 64 KiB, empty, not UTF-8, missing.
    let big = dir.join("big");
    std::fs::write(&big, "a".repeat(64 * 1024 + 1)).unwrap();
    let empty = dir.join("empty");
    std::fs::write(&empty, "\u{FEFF}\r\n").unwrap();
    let latin1 = dir.join("latin1");
    std::fs::write(&latin1, b"tok\xe9n\n").unwrap();
    for (path, says) in [
        (&big, "64 KiB"),
        (&empty, "empty"),
        (&latin1, "UTF-8"),
        (&dir.join("missing"), "cannot be read"),
    ] {
        set_mode(path, 0o600);
        let out = run(path.to_str().unwrap());
        assert_eq!(out.status.code(), Some(3), "{}", text(&out));
        assert!(text(&out).contains(says), "{says}: {}", text(&out));
    }
    assert_eq!(api_requests(&emu).len(), sent, "refused files send nothing");
}

#[test]
fn variables_that_are_not_utf8_are_named() {
    #[cfg(unix)]
    {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let bad = OsStr::from_bytes(b"tok\xff\xfe");
        for name in [
            "ZOOM_ACCESS_TOKEN",
            "ZOOM_ACCOUNT_ID",
            "ZOOM_CLIENT_ID",
            "ZOOM_CLIENT_SECRET",
            "ZOOM_STREAM_KEY",
            "ZOOM_BASE_URL",
            "ZOOM_OAUTH_URL",
        ] {
            for output in ["text", "json"] {
                let mut cmd = Command::new(BIN);
                cmd.env_clear()
                    .env("ZOOM_ACCESS_TOKEN", TOKEN)
                    .env("ZOOM_STREAM_KEY", STREAM_KEY)
                    .env(name, bad)
                    .args(["--output", output, "meeting-update", MEETING])
                    .args(["--stream-url", "rtmp://a/b", "--page-url", "https://e.x/p"]);
                let out = cmd.output().unwrap();
                assert_eq!(out.status.code(), Some(3), "{name}: {}", text(&out));
                assert!(text(&out).contains(name), "{name}: {}", text(&out));
                assert!(text(&out).contains("UTF-8"), "{name}: {}", text(&out));
                if output == "json" {
                    assert_eq!(json(&out)["error"]["field"], name);
                }
            }
        }
    }
}

#[test]
fn usage_errors_are_json_with_output_json() {
    for args in [
        &["--output", "json", "meeting-statu", MEETING][..],
        &["--output=json", "meeting-status", MEETING],
        &[
            "--output",
            "json",
            "meeting-status",
            MEETING,
            "start",
            "--bogus",
        ],
        &["--output", "json"],
        &[
            "meeting-status",
            MEETING,
            "start",
            "--timeout",
            "soon",
            "--output",
            "json",
        ],
    ] {
        let out = cli(&[], args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        let v = json(&out);
        assert_eq!(v["ok"], false);
        assert_eq!(v["error"]["kind"], "usage");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
        assert!(out.stderr.is_empty());
    }
    // Without it, clap's text on stderr; help still goes to stdout with 0.
    let out = cli(&[], &["meeting-statu"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty() && !out.stderr.is_empty());
    let out = cli(&[], &["--output", "json", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
}

/// Runs the CLI with stdout given: a pipe whose reader is already closed, or a file.
fn run_with_stdout(env: &[(&str, &str)], args: &[&str], stdout: Stdio) -> Output {
    let out = Command::new(BIN)
        .env_clear()
        .envs(env.iter().copied())
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    out
}

#[test]
fn a_closed_stdout_or_a_full_disk_is_no_panic() {
    let emu = emulator();
    let base = emu.base_url();
    let env = [
        ("ZOOM_BASE_URL", base.as_str()),
        ("ZOOM_ACCESS_TOKEN", TOKEN),
    ];
    let closed = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        Stdio::from(writer)
    };
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .map(Stdio::from)
            .ok()
    };
    for args in [
        &["meeting-get", MEETING][..],
        &["--output", "json", "meeting-get", MEETING],
        &["--output", "json", "meeting-status", MEETING, "start"],
    ] {
        let out = run_with_stdout(&env, args, closed());
        assert_eq!(out.status.code(), Some(10), "{args:?}");
        assert!(out.stderr.is_empty(), "nothing more printed");
        if let Some(full) = full() {
            let out = run_with_stdout(&env, args, full);
            assert_eq!(out.status.code(), Some(10), "{args:?}");
            assert!(out.stderr.is_empty());
        }
    }
    // An error whose JSON cannot be written keeps its own exit code.
    let out = run_with_stdout(
        &env,
        &["--output", "json", "meeting-get", "12345"],
        closed(),
    );
    assert_eq!(out.status.code(), Some(7));
    let out = run_with_stdout(&env, &["--output", "json", "meeting-statu"], closed());
    assert_eq!(out.status.code(), Some(2));
    let out = run_with_stdout(&env, &["--help"], closed());
    assert_eq!(out.status.code(), Some(0));
    // A closed stderr for a text error: the error's exit code, no panic.
    let out = Command::new(BIN)
        .env_clear()
        .envs(env.iter().copied())
        .args(["meeting-get", "12345"])
        .stderr(closed())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
}

// ---- hostile servers: each echoes the request in one response shape ----

/// The whole request as one line, plus the decoded Basic credential.
fn echo(head: &[String], body: &str) -> String {
    let decoded = header(head, "authorization")
        .strip_prefix("Basic ")
        .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
        .map(|v| String::from_utf8_lossy(&v).into_owned())
        .unwrap_or_default();
    format!("{} {body} {decoded}", head.join(" | ")).replace(['"', '<', '>', '\r', '\n', '\\'], " ")
}

fn secrets() -> Vec<String> {
    let basic = format!("{CLIENT_ID}:{CLIENT_SECRET}");
    vec![
        HOSTILE_TOKEN.into(),
        STREAM_KEY.into(),
        CLIENT_SECRET.into(),
        base64::engine::general_purpose::STANDARD.encode(&basic),
        basic,
    ]
}

fn assert_clean(out: &Output, shape: &str) {
    let shown = text(out);
    assert!(!shown.is_empty(), "{shape}: no output");
    for secret in secrets() {
        assert!(
            !shown.contains(&secret[..8]),
            "{shape}: {} in {shown}",
            &secret[..8]
        );
    }
    for c in ['\u{1b}', '\u{202E}', '\u{2066}', '\u{200B}', '\u{FEFF}'] {
        assert!(
            !shown.contains(c),
            "{shape}: U+{:04X} in {shown:?}",
            u32::from(c)
        );
    }
}

/// How a hostile server answers a request.
type Answer = fn(&[String], &str) -> common::echo::Reply;

fn shapes() -> Vec<(&'static str, Answer)> {
    vec![
        ("json message", |h, b| {
            let body = format!(r#"{{"code":300,"message":"{}"}}"#, echo(h, b));
            ("400 Bad Request".into(), vec![], body)
        }),
        ("json errors", |h, b| {
            let e = echo(h, b);
            let body = format!(
                r#"{{"code":300,"message":"Validation Failed.","errors":[{{"field":"{e}","message":"{e}"}}]}}"#
            );
            ("400 Bad Request".into(), vec![], body)
        }),
        ("xml", |h, b| {
            let body = format!(
                "<?xml version=\"1.0\"?><error><code>300</code><message>{}</message></error>",
                echo(h, b)
            );
            ("400 Bad Request".into(), vec![], body)
        }),
        ("plain text", |h, b| {
            ("502 Bad Gateway".into(), vec![], echo(h, b))
        }),
        ("headers", |h, _| {
            let auth = header(h, "authorization");
            let headers = [
                "x-zm-trackingid",
                "X-RateLimit-Type",
                "X-RateLimit-Category",
                "Retry-After",
            ]
            .iter()
            .map(|k| (k.to_string(), auth.clone()))
            .collect();
            let body = r#"{"code":429,"message":"slow down"}"#.to_owned();
            ("429 Too Many Requests".into(), headers, body)
        }),
        ("oauth error and reason", |h, b| {
            let auth = header(h, "authorization");
            let body = format!(r#"{{"error":"{auth}","reason":"{}"}}"#, echo(h, b));
            (
                "401 Unauthorized".into(),
                vec![("x-zm-trackingid".into(), auth)],
                body,
            )
        }),
        ("huge body across the cuts", |h, b| {
            let e = echo(h, b);
            let mut text = String::new();
            for cut in [200usize, 1000, 64 * 1024] {
                while text.len() + 9 < cut {
                    text.push('x');
                }
                text.push_str(&e);
            }
            (
                "500 Oops".into(),
                vec![],
                format!(r#"{{"code":500,"message":"{text}"}}"#),
            )
        }),
        ("bidi and zero-width", |h, b| {
            let body = format!(
                "{{\"code\":300,\"message\":\"\u{202E}{}\u{2066}\u{200B}\u{FEFF}\\u001b[31m\"}}",
                echo(h, b)
            );
            (
                "400 Bad Request".into(),
                vec![("x-zm-trackingid".into(), "t\u{202E}".into())],
                body,
            )
        }),
    ]
}

#[test]
fn servers_echoing_the_request_leave_no_secret_in_text_or_json_output() {
    for (shape, answer) in shapes() {
        let url = serve(64, answer);
        let base = format!("{url}/v2");
        let oauth = format!("{url}/oauth/token");
        let bearer = [
            ("ZOOM_BASE_URL", base.as_str()),
            ("ZOOM_ACCESS_TOKEN", HOSTILE_TOKEN),
            ("ZOOM_STREAM_KEY", STREAM_KEY),
        ];
        let s2s = [
            ("ZOOM_BASE_URL", base.as_str()),
            ("ZOOM_OAUTH_URL", oauth.as_str()),
            ("ZOOM_ACCOUNT_ID", "acct-9"),
            ("ZOOM_CLIENT_ID", CLIENT_ID),
            ("ZOOM_CLIENT_SECRET", CLIENT_SECRET),
            ("ZOOM_STREAM_KEY", STREAM_KEY),
        ];
        for env in [&bearer[..], &s2s[..]] {
            for output in ["text", "json"] {
                let out = cli(
                    env,
                    &[
                        "--output",
                        output,
                        "--max-retries",
                        "0",
                        "meeting-update",
                        MEETING,
                        "--stream-url",
                        "rtmp://a/live2",
                        "--page-url",
                        "https://example.com/live",
                    ],
                    None,
                );
                assert!(!out.status.success(), "{shape}");
                assert_clean(&out, &format!("{shape} ({output})"));
                if output == "json" {
                    assert_eq!(json(&out)["ok"], false, "{shape}");
                }
            }
        }
    }
}
