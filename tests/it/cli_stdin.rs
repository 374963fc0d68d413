//! Secrets piped into the `zoomlive` command line (issue 22 §2): `--token-file -`,
//! `ZOOM_TOKEN_FILE=-`, `ZOOM_CLIENT_SECRET_FILE=-` and `--stream-key-file -` read
//! standard input under a secret file's rules (64 KiB at most, BOM, line end and spaces
//! stripped, first line only, never shown); only one secret per run may come from it.
//! Each case is a real process whose standard input is a pipe, against an in-process
//! emulator.
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use zoomlive::emulator::{Config, DEFAULT_TOKEN, Emulator, Kind};

const BIN: &str = env!("CARGO_BIN_EXE_zoomlive");
const MEETING: &str = "68423085";
const LIMIT: usize = 64 * 1024;

/// The CLI with only `env` in its environment and `input` written into its standard
/// input (a pipe), from another thread: a child that stops reading early (at 64 KiB)
/// must not block the writer, whose broken pipe is then expected and ignored.
fn cli(env: &[(&str, &str)], args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .env_clear()
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(!text(&out).contains("panicked"), "{}", text(&out));
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn emulator() -> Emulator {
    Emulator::start(Config::default()).expect("emulator starts")
}

/// `meeting-get` with the token from standard input (`--token-file -`).
fn get_with_piped_token(emu: &Emulator, input: &[u8]) -> Output {
    let base = emu.base_url();
    cli(
        &[("ZOOM_BASE_URL", base.as_str())],
        &["--token-file", "-", "meeting-get", MEETING],
        input,
    )
}

#[test]
fn token_file_dash_reads_a_pipe_with_a_file_s_rules() {
    let emu = emulator();
    // As `vault read -field=token ... |` writes it, and as Notepad saves it (BOM, CRLF),
    // with spaces around and lines after the first.
    for input in [
        format!("{DEFAULT_TOKEN}\n"),
        DEFAULT_TOKEN.to_owned(),
        format!("\u{FEFF}{DEFAULT_TOKEN}\r\n"),
        format!("  {DEFAULT_TOKEN}\t\r\nsecond line\n"),
    ] {
        let out = get_with_piped_token(&emu, input.as_bytes());
        assert_eq!(out.status.code(), Some(0), "{input:?}: {}", text(&out));
        assert!(out.stderr.is_empty(), "{}", text(&out));
        assert!(!text(&out).contains(&DEFAULT_TOKEN[20..]), "{}", text(&out));
    }
    // The token the emulator saw was the one piped in (it accepts no other).
    assert_eq!(emu.requests().len(), 4);
    // ZOOM_TOKEN_FILE=- is the same.
    let base = emu.base_url();
    let env = [("ZOOM_BASE_URL", base.as_str()), ("ZOOM_TOKEN_FILE", "-")];
    let out = cli(
        &env,
        &["meeting-get", MEETING],
        format!("{DEFAULT_TOKEN}\n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // A wrong token piped in is Zoom's 401 (exit 6), not a local refusal: it was sent.
    let out = get_with_piped_token(&emu, b"not-the-token\n");
    assert_eq!(out.status.code(), Some(6), "{}", text(&out));
    assert!(!text(&out).contains("not-the-token"), "{}", text(&out));
}

#[test]
fn the_64_kib_cap_holds_for_standard_input() {
    let emu = emulator();
    // Exactly 64 KiB: the token, then padding lines (ignored: first line only).
    let mut at_limit = format!("{DEFAULT_TOKEN}\n").into_bytes();
    at_limit.resize(LIMIT - 1, b'x');
    at_limit.push(b'\n');
    assert_eq!(at_limit.len(), LIMIT);
    let out = get_with_piped_token(&emu, &at_limit);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let sent = emu.requests().len();
    assert_eq!(sent, 1);
    // One byte more, and far more (the reader stops at the cap; the writer's pipe breaks
    // and nothing waits forever): refused, nothing sent.
    let mut over = at_limit.clone();
    over.push(b'x');
    for input in [over, vec![b'a'; 4 * 1024 * 1024]] {
        let out = get_with_piped_token(&emu, &input);
        assert_eq!(out.status.code(), Some(3), "{}", text(&out));
        let shown = text(&out);
        assert!(
            shown.contains("standard input is larger than 64 KiB"),
            "{shown}"
        );
        assert!(!shown.contains(&DEFAULT_TOKEN[20..]), "{shown}");
    }
    assert_eq!(emu.requests().len(), sent);
}

#[test]
fn empty_or_undecodable_standard_input_is_refused_and_nothing_is_sent() {
    let emu = emulator();
    for (input, says) in [
        (&b""[..], "standard input is empty"),
        (b"\xEF\xBB\xBF\r\n", "standard input is empty"),
        (b"   \n", "standard input is empty"),
        (b"tok\xe9n\n", "standard input is not valid UTF-8"),
    ] {
        let out = get_with_piped_token(&emu, input);
        assert_eq!(out.status.code(), Some(3), "{input:?}: {}", text(&out));
        assert!(text(&out).contains(says), "{says}: {}", text(&out));
        assert!(text(&out).contains("token_file"), "{}", text(&out));
    }
    // JSON output names the field too.
    let base = emu.base_url();
    let out = cli(
        &[("ZOOM_BASE_URL", base.as_str())],
        &[
            "--output",
            "json",
            "--token-file",
            "-",
            "meeting-get",
            MEETING,
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["error"]["kind"], "invalid_input", "{value}");
    assert_eq!(value["error"]["field"], "token_file", "{value}");
    assert!(emu.requests().is_empty());
}

#[test]
#[cfg(unix)]
fn dev_stdin_is_still_refused_and_points_at_dash() {
    let emu = emulator();
    let base = emu.base_url();
    let out = cli(
        &[("ZOOM_BASE_URL", base.as_str())],
        &["--token-file", "/dev/stdin", "meeting-get", MEETING],
        format!("{DEFAULT_TOKEN}\n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("not a regular file"), "{shown}");
    assert!(shown.contains("give - for standard input"), "{shown}");
    assert!(emu.requests().is_empty());
}

#[test]
fn client_secret_file_dash_reads_the_s2s_secret_from_a_pipe() {
    let emu = emulator();
    let (base, oauth) = (emu.base_url(), emu.oauth_url());
    let env = [
        ("ZOOM_BASE_URL", base.as_str()),
        ("ZOOM_OAUTH_URL", oauth.as_str()),
        ("ZOOM_ACCOUNT_ID", "demo-account"),
        ("ZOOM_CLIENT_ID", "demo-client"),
        ("ZOOM_CLIENT_SECRET_FILE", "-"),
    ];
    let args = ["--no-token-cache", "meeting-get", MEETING];
    let out = cli(&env, &args, "\u{FEFF}demo-secret\r\n".as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(emu.tokens_issued(), 1);
    // The file wins over ZOOM_CLIENT_SECRET (as the stream key's does): a wrong secret
    // piped in is the OAuth endpoint's refusal (exit 6), and never shown.
    let mut with_variable = env.to_vec();
    with_variable.push(("ZOOM_CLIENT_SECRET", "demo-secret"));
    let out = cli(&with_variable, &args, b"wrong-secret-123\n");
    assert_eq!(out.status.code(), Some(6), "{}", text(&out));
    assert!(!text(&out).contains("wrong-secret-123"), "{}", text(&out));
    assert_eq!(emu.tokens_issued(), 1);
    // Over 64 KiB: refused before anything is sent.
    let requests = emu.requests().len();
    let out = cli(&env, &args, &vec![b's'; LIMIT + 1]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        text(&out).contains("client_secret_file")
            && text(&out).contains("standard input is larger than 64 KiB"),
        "{}",
        text(&out)
    );
    assert_eq!(emu.requests().len(), requests);
}

#[test]
fn stream_key_from_a_pipe_with_the_token_from_a_file() {
    let emu = emulator();
    let base = emu.base_url();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_stdin-stream-key");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, format!("{DEFAULT_TOKEN}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let out = cli(
        &[("ZOOM_BASE_URL", base.as_str())],
        &[
            "--token-file",
            token_file.to_str().unwrap(),
            "meeting-update",
            MEETING,
            "--stream-url",
            "rtmp://a.rtmp.youtube.com/live2",
            "--stream-key-file",
            "-",
            "--page-url",
            "https://example.com/live",
        ],
        "\u{FEFF}piped-stream-key-77\r\n".as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(out.stderr.is_empty(), "{}", text(&out));
    let stream = emu.stream(Kind::Meeting, MEETING.parse().unwrap()).unwrap();
    assert_eq!(stream.stream_key, "piped-stream-key-77");
}

#[test]
fn two_secrets_from_standard_input_are_refused_and_nothing_is_sent() {
    let emu = emulator();
    let (base, oauth) = (emu.base_url(), emu.oauth_url());
    let update = |env: &[(&str, &str)], token_file: &[&str]| {
        let mut args = token_file.to_vec();
        args.extend_from_slice(&[
            "meeting-update",
            MEETING,
            "--stream-url",
            "rtmp://a/live2",
            "--stream-key-file",
            "-",
            "--page-url",
            "https://example.com/live",
        ]);
        cli(env, &args, format!("{DEFAULT_TOKEN}\n").as_bytes())
    };
    let base_env = [("ZOOM_BASE_URL", base.as_str())];
    let s2s_env = [
        ("ZOOM_BASE_URL", base.as_str()),
        ("ZOOM_OAUTH_URL", oauth.as_str()),
        ("ZOOM_ACCOUNT_ID", "demo-account"),
        ("ZOOM_CLIENT_ID", "demo-client"),
        ("ZOOM_CLIENT_SECRET_FILE", "-"),
    ];
    let token_env = [("ZOOM_BASE_URL", base.as_str()), ("ZOOM_TOKEN_FILE", "-")];
    // Even when the token file would not be used (ZOOM_ACCESS_TOKEN wins), two `-` are
    // a mistake worth saying.
    let token_wins = [
        ("ZOOM_BASE_URL", base.as_str()),
        ("ZOOM_ACCESS_TOKEN", DEFAULT_TOKEN),
    ];
    let dash: &[&str] = &["--token-file", "-"];
    for (env, flag, other) in [
        (&base_env[..], dash, "--token-file"),
        (&token_env[..], &[][..], "--token-file"),
        (&token_wins[..], dash, "--token-file"),
        (&s2s_env[..], &[][..], "ZOOM_CLIENT_SECRET_FILE"),
    ] {
        let out = update(env, flag);
        let shown = text(&out);
        assert_eq!(out.status.code(), Some(3), "{shown}");
        assert!(
            shown.contains(other)
                && shown.contains("--stream-key-file")
                && shown.contains("only one secret can be read from it"),
            "{shown}"
        );
        assert!(!shown.contains(&DEFAULT_TOKEN[20..]), "{shown}");
    }
    // The token file and the client secret file both `-` (a status change: no stream key).
    let mut both = s2s_env.to_vec();
    both.push(("ZOOM_TOKEN_FILE", "-"));
    let out = cli(&both, &["meeting-status", MEETING, "start"], b"x\n");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        text(&out).contains("ZOOM_CLIENT_SECRET_FILE") && text(&out).contains("--token-file"),
        "{}",
        text(&out)
    );
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());
    assert_eq!(emu.tokens_issued(), 0);
}
