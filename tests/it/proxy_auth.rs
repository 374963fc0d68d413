//! Proxy authentication against real proxies (issue 18 §2, §4): squid offering NTLM
//! (`ntlm_fake_auth`) and Basic (an htpasswd file), and the rig's own CONNECT proxy
//! checking the NTLM password with pyspnego, all on loopback in front of an HTTPS API
//! whose name (`api.zoomlive.test`) only the proxies resolve. From Rust and the CLI,
//! with curl `--proxy-ntlm` as the control. The rig is tests/proxy/rig.py; without
//! squid or pyspnego (`make deps`) the test says so and passes, unless
//! ZOOMLIVE_REQUIRE_ALL=1.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use crate::common::{MEETING, TOKEN};
use zoomlive::{Action, Client, ClientBuilder, Credentials, ErrorKind, MeetingId, ProxyAuth};

const BIN: &str = env!("CARGO_BIN_EXE_zoomlive");

/// The running rig and what it printed.
struct Rig {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    info: serde_json::Value,
}

impl Rig {
    fn get(&self, key: &str) -> String {
        self.info[key].as_str().unwrap().to_owned()
    }

    /// What the checking proxy judged (true: accepted) and the API served so far.
    fn stats(&mut self) -> serde_json::Value {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(b"stats\n").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap()
    }

    /// squid's access log lines so far.
    fn squid_log(&self) -> Vec<String> {
        let path = Path::new(&self.get("dir")).join("access.log");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Rig {
    fn drop(&mut self) {
        // Closing stdin stops it (and squid); killed if it does not.
        drop(self.stdin.take());
        for _ in 0..100 {
            if self.child.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root() -> PathBuf {
    std::env::var_os("ZOOMLIVE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// Starts the rig, or says why it cannot (None).
fn rig() -> Option<Rig> {
    let python = root().join(".venv/bin/python");
    let has_spnego = Command::new(&python)
        .args(["-c", "import spnego"])
        .output()
        .is_ok_and(|o| o.status.success());
    let has_squid = Path::new("/usr/sbin/squid").exists()
        && Path::new("/usr/lib/squid/ntlm_fake_auth").exists();
    if !has_spnego || !has_squid {
        let why = format!(
            "proxy rig skipped: squid {}, pyspnego in .venv {} (run `make deps`)",
            if has_squid { "found" } else { "missing" },
            if has_spnego { "found" } else { "missing" },
        );
        assert!(
            std::env::var("ZOOMLIVE_REQUIRE_ALL").as_deref() != Ok("1"),
            "{why}"
        );
        eprintln!("{why}");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("zoomlive-proxy-rig-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut child = Command::new(python)
        .arg(root().join("tests/proxy/rig.py"))
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let info: serde_json::Value = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("the rig did not start ({e}): {line:?}"));
    Some(Rig {
        child,
        stdin,
        stdout,
        info,
    })
}

fn stop(c: &Client) -> zoomlive::Result<()> {
    c.update_meeting_livestream_status(MeetingId::parse(MEETING).unwrap(), Action::Stop, None)
}

fn through(rig: &Rig, proxy: &str) -> ClientBuilder {
    Client::builder(Credentials::access_token(TOKEN).unwrap())
        .base_url(rig.get("api"))
        .extra_ca_file(rig.get("ca"))
        .proxy(proxy)
        .timeout(Duration::from_secs(15))
}

fn curl(rig: &Rig, proxy: &str, scheme: &str, user: &str) -> String {
    let out = Command::new("curl")
        .args([
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "10",
        ])
        .args(["--proxy", proxy, scheme, "-U", user, "--cacert"])
        .arg(rig.get("ca"))
        .arg(format!("{}/meetings/{MEETING}/livestream", rig.get("api")))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn basic_and_ntlm_through_squid_and_a_proxy_that_checks_the_password() {
    let Some(mut rig) = rig() else { return };
    let (squid, checking) = (rig.get("squid"), rig.get("ntlm_proxy"));
    let (user, password) = (rig.get("user"), rig.get("password"));
    let right = format!("{user}:{password}");
    let wrong = format!("{user}:Wr0ng-Passw0rd");

    // The control: curl through the same proxies.
    assert_eq!(curl(&rig, &squid, "--proxy-ntlm", &right), "200");
    assert_eq!(curl(&rig, &checking, "--proxy-ntlm", &right), "200");
    assert_ne!(curl(&rig, &checking, "--proxy-ntlm", &wrong), "200");
    assert_eq!(
        curl(&rig, &squid, "--proxy-basic", "alice:S3cret-Proxy-Pass"),
        "200"
    );

    // Without the proxy the name does not resolve: what reaches the API went through.
    let direct = through(&rig, "direct").build().unwrap();
    let err = stop(&direct).unwrap_err();
    assert!(err.to_string().contains("api.zoomlive.test"), "{err}");

    // squid: auto picks NTLM (offered with Basic); a GET and a PATCH, kept alive.
    let ntlm = through(&rig, &squid)
        .proxy_credentials(&user, &password)
        .build()
        .unwrap();
    stop(&ntlm).unwrap();
    let got = ntlm
        .get_meeting_livestream(MeetingId::parse(MEETING).unwrap())
        .unwrap();
    assert_eq!(got.resolution.as_deref(), Some("720p"));
    assert!(
        rig.squid_log().iter().any(|l| l.contains("TCP_TUNNEL/200")),
        "{:?}",
        rig.squid_log()
    );
    // The credentials in the proxy URL, as the variables carry them (DOMAIN\user).
    let in_url = squid.replace("http://", &format!("http://CORP%5Calice:{password}@"));
    stop(&through(&rig, &in_url).build().unwrap()).unwrap();

    // squid Basic: the right password passes; a wrong one is ProxyAuth, sent once.
    let basic = |pw: &str| {
        through(&rig, &squid)
            .proxy_credentials("alice", pw)
            .proxy_auth(ProxyAuth::Basic)
            .build()
            .unwrap()
    };
    stop(&basic(&password)).unwrap();
    let before = rig.squid_log().len();
    let err = stop(&basic("Wr0ng-Passw0rd")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProxyAuth, "{err}");
    let text = format!("{err} {err:?}");
    assert!(text.contains(&squid.replace("http://", "")), "{text}");
    assert!(text.contains("NTLM") && text.contains("Basic"), "{text}");
    assert!(!text.contains("Wr0ng"), "{text}");
    // squid writes its log a moment later: wait for the line, then for any other.
    let denied = || -> Vec<String> {
        rig.squid_log()[before..]
            .iter()
            .filter(|l| l.contains("TCP_DENIED/407") && l.contains("alice"))
            .cloned()
            .collect()
    };
    for _ in 0..50 {
        if !denied().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        denied().len(),
        1,
        "the wrong password reached squid once: {:?}",
        denied()
    );

    // The proxy that checks the NTLM password.
    let checked = |rig: &Rig, pw: &str| {
        through(rig, &checking)
            .proxy_credentials(&user, pw)
            .build()
            .unwrap()
    };
    stop(&checked(&rig, &password)).unwrap();
    let judged_before = rig.stats()["judged"].as_array().unwrap().len();
    let err = stop(&checked(&rig, "Wr0ng-Passw0rd")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProxyAuth, "{err}");
    assert!(err.to_string().contains("NTLM"), "{err}");
    assert!(!format!("{err} {err:?}").contains("Wr0ng"), "{err:?}");
    let judged = rig.stats()["judged"].as_array().unwrap().clone();
    assert_eq!(
        judged[judged_before..],
        [serde_json::Value::Bool(false)],
        "one Authenticate message for the wrong password, refused"
    );
    // No credentials at all: ProxyAuth saying none are set.
    let err = stop(&through(&rig, &checking).build().unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProxyAuth, "{err}");
    assert!(err.to_string().contains("none are set"), "{err}");
    // proxy_auth none: the 407 is not answered.
    let none = through(&rig, &checking)
        .proxy_credentials(&user, &password)
        .proxy_auth(ProxyAuth::None)
        .build()
        .unwrap();
    assert_eq!(stop(&none).unwrap_err().kind(), ErrorKind::ProxyAuth);
    // Negotiate needs Windows' SSPI: elsewhere a ProxyAuth error saying so (the
    // checking proxy offers Negotiate first; auto answers NTLM instead, above).
    let negotiate = through(&rig, &checking)
        .proxy_credentials(&user, &password)
        .proxy_auth(ProxyAuth::Negotiate)
        .build()
        .unwrap();
    let err = stop(&negotiate).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProxyAuth, "{err}");
    assert!(err.to_string().contains("SSPI"), "{err}");

    // The CLI: the password from ZOOMLIVE_PROXY_PASSWORD, never from argv.
    let cli = |pw: &str| {
        Command::new(BIN)
            .args(["meeting-status", MEETING, "stop", "--no-token-cache"])
            .args([
                "--base-url",
                &rig.get("api"),
                "--extra-ca-file",
                &rig.get("ca"),
            ])
            .args(["--proxy", &checking, "--proxy-user", &user])
            .env("ZOOM_ACCESS_TOKEN", TOKEN)
            .env("ZOOMLIVE_PROXY_PASSWORD", pw)
            .output()
            .unwrap()
    };
    let ok = cli(&password);
    assert!(ok.status.success(), "{ok:?}");
    // --proxy-password-file instead of the variable.
    let file = Path::new(&rig.get("dir")).join("proxy-password");
    std::fs::write(&file, format!("{password}\n")).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let from_file = Command::new(BIN)
        .args(["meeting-status", MEETING, "stop", "--no-token-cache"])
        .args([
            "--base-url",
            &rig.get("api"),
            "--extra-ca-file",
            &rig.get("ca"),
        ])
        .args([
            "--proxy",
            &checking,
            "--proxy-user",
            &user,
            "--proxy-password-file",
        ])
        .arg(&file)
        .env("ZOOM_ACCESS_TOKEN", TOKEN)
        .env_remove("ZOOMLIVE_PROXY_PASSWORD")
        .output()
        .unwrap();
    assert!(from_file.status.success(), "{from_file:?}");
    let refused = cli("Wr0ng-Passw0rd");
    assert_eq!(refused.status.code(), Some(11), "{refused:?}");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("proxy authentication failed"), "{stderr}");
    assert!(!stderr.contains("Wr0ng"), "{stderr}");
}
