//! `zoomlive batch` as FoxPro and SQL Server jobs run it: a CSV written the way
//! FoxPro's `COPY TO ... TYPE CSV` writes it, the results file, exit codes, no secret
//! in any output, and the journal surviving SIGKILL at several points (the emulator's
//! request log as the witness that nothing was done twice).
#![cfg(feature = "cli")]

use crate::common;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::TOKEN;
use zoomlive::emulator::{Config, Emulator};

const BIN: &str = env!("CARGO_BIN_EXE_zoomlive");
const FIRST: u64 = 2000;
const STREAM_KEY: &str = "sk-live-batch-0123456789";

fn emulator(meetings: u64, config: Config) -> Emulator {
    common::emulator_with(Config {
        meetings: (FIRST..FIRST + meetings).collect(),
        ..config
    })
}

fn dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("zoomlive-batch-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn command(emu: &Emulator, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("ZOOM_BASE_URL", emu.base_url())
        .env("ZOOM_ACCESS_TOKEN", TOKEN)
        .env("KEY_ENV", STREAM_KEY)
        .arg("--encoding")
        .arg("json")
        .arg("batch")
        .args(args);
    cmd
}

/// Runs to the end; no token or stream key in anything it printed.
fn run(emu: &Emulator, args: &[&str]) -> Output {
    let out = command(emu, args).output().unwrap();
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(
            !text.contains(TOKEN) && !text.contains(STREAM_KEY),
            "secret in output: {text}"
        );
    }
    out
}

/// Asserts `out`'s exit status, showing its stderr when it differs.
fn exits(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn no_secret_in(path: &Path) {
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    assert!(
        !text.contains(TOKEN) && !text.contains(STREAM_KEY),
        "secret in {}: {text}",
        path.display()
    );
}

/// A table written as FoxPro's `COPY TO streams.csv TYPE CSV` writes it: field names
/// in lower case, character fields in double quotes, logicals as T/F, numbers bare,
/// every column on every row, CRLF, Windows-1252 text, and the DOS end-of-file byte.
fn foxpro_csv(rows: &[(&str, u64, &str, &str)]) -> Vec<u8> {
    let mut out = b"op,kind,id,display_name,active_speaker_name,layout,stream_url,page_url,resolution,stream_key_env,key,notes\r\n".to_vec();
    for (i, (op, id, name, speaker)) in rows.iter().enumerate() {
        let (url, page, env) = if *op == "update" {
            (
                "rtmp://live.example/app",
                "https://example.com/watch",
                "KEY_ENV",
            )
        } else {
            ("", "", "")
        };
        let line = format!(
            "\"{op}\",\"meeting\",{id},\"{name}\",{speaker},\"\",\"{url}\",\"{page}\",\"\",\"{env}\",\"row{}\",\"caf\u{e9}\"\r\n",
            i + 1
        );
        // FoxPro writes its code page, not UTF-8.
        out.extend(line.chars().map(|c| u8::try_from(u32::from(c)).unwrap()));
    }
    out.push(0x1A);
    out
}

#[test]
fn a_foxpro_csv_runs_and_the_results_file_lists_every_row() {
    let emu = emulator(3, Config::default());
    let dir = dir("foxpro");
    let input = dir.join("streams.csv");
    std::fs::write(
        &input,
        foxpro_csv(&[
            ("update", FIRST, "", ""),
            ("start", FIRST, "Caf\u{e9} live", "T"),
            ("start", FIRST + 1, "", ".F."),
            ("start", FIRST + 1, "", ".F."),
            ("stop", FIRST + 2, "", ""),
            ("get", 9999, "", ""),
        ]),
    )
    .unwrap();
    let results = dir.join("results.csv");
    let out = run(
        &emu,
        &[
            input.to_str().unwrap(),
            "--rate",
            "100",
            "--results",
            results.to_str().unwrap(),
        ],
    );
    exits(&out, 12);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("6 operations") && stderr.contains("about"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&results).unwrap();
    let rows: Vec<Vec<String>> = text.lines().map(csv_fields).collect();
    assert_eq!(rows[0].join(","), zoomlive::batch::COLUMNS.join(","));
    let outcome: Vec<&str> = rows[1..].iter().map(|r| r[5].as_str()).collect();
    assert_eq!(outcome, ["ok", "ok", "ok", "skipped", "ok", "failed"]);
    assert_eq!(rows[1][1], "row1");
    // The unknown meeting: 404, Zoom code 3001, not_found, a tracking id.
    assert_eq!(&rows[6][6..9], ["404", "3001", "not_found"]);
    assert!(rows[6][10].starts_with("v=2.0"));
    let stream = emu
        .stream(zoomlive::emulator::Kind::Meeting, FIRST)
        .unwrap();
    assert_eq!(stream.settings["display_name"], "Caf\u{e9} live");
    assert_eq!(stream.stream_key, STREAM_KEY);
    no_secret_in(&results);
}

/// The fields of one CSV line (quotes as the results file writes them).
fn csv_fields(line: &str) -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_bad_row_is_refused_before_anything_is_sent() {
    let emu = emulator(3, Config::default());
    let dir = dir("bad-row");
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        format!("{{\"op\":\"start\",\"kind\":\"meeting\",\"id\":{FIRST}}}\n{{\"op\":\"start\",\"kind\":\"meeting\",\"id\":{FIRST},\"active_speaker_name\":\"perhaps\"}}\n"),
    )
    .unwrap();
    let out = run(&emu, &["--output", "json", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["error"]["message"].as_str().unwrap().contains("(row 2)"),
        "{v}"
    );
    assert!(emu.requests().is_empty());
}

#[test]
fn a_daily_limit_exits_with_the_deferred_code_and_stdin_and_jsonl_work() {
    let emu = emulator(
        6,
        Config {
            daily_limit: Some(3),
            ..Config::default()
        },
    );
    let mut input = String::new();
    for id in FIRST..FIRST + 6 {
        input.push_str(&format!(
            "{{\"op\":\"start\",\"kind\":\"meeting\",\"id\":\"{id}\"}}\n"
        ));
    }
    let mut child = command(
        &emu,
        &[
            "-",
            "--rate",
            "100",
            "--concurrency",
            "1",
            "--progress",
            "jsonl",
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    exits(&out, 13);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| l.starts_with("{\"index\""))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert_eq!(
        lines.iter().filter(|l| l["outcome"] == "deferred").count(),
        3
    );
    assert!(
        lines
            .iter()
            .filter(|l| l["outcome"] == "deferred")
            .all(|l| l["resume_at"].is_string())
    );
    assert!(
        text.lines().last().unwrap().contains("deferred 3"),
        "{text}"
    );
}

/// Each (meeting, action) the emulator accepted, counted.
fn accepted(emu: &Emulator) -> HashMap<(u64, String), usize> {
    let mut count = HashMap::new();
    for r in common::api_requests(emu) {
        if r.status != Some(204) {
            continue;
        }
        let id: u64 = r.path.split('/').nth(3).unwrap().parse().unwrap();
        let action = r.fields["action"].as_str().unwrap().to_owned();
        *count.entry((id, action)).or_insert(0) += 1;
    }
    count
}

/// The outcome of each row in a results CSV.
fn outcomes(results: &Path) -> Vec<(u64, String, String)> {
    std::fs::read_to_string(results)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f = csv_fields(l);
            (f[4].parse().unwrap(), f[2].clone(), f[5].clone())
        })
        .collect()
}

#[test]
fn killed_at_several_points_and_resumed_nothing_is_done_twice() {
    // 20 meetings, each started then stopped: 40 operations at 40/s with 4 in flight
    // and 60 ms per answer, so that kills land while calls are in flight.
    const MEETINGS: u64 = 20;
    let emu = emulator(
        MEETINGS,
        Config {
            latency: Duration::from_millis(60),
            ..Config::default()
        },
    );
    let dir = dir("kill");
    let input = dir.join("in.csv");
    let mut csv = String::from("op,kind,id\r\n");
    for action in ["start", "stop"] {
        for id in FIRST..FIRST + MEETINGS {
            csv.push_str(&format!("{action},meeting,{id}\r\n"));
        }
    }
    std::fs::write(&input, csv).unwrap();
    let journal = dir.join("journal.jsonl");
    let (input, journal) = (input.to_str().unwrap(), journal.to_str().unwrap());
    let mut uncertain = std::collections::HashSet::new();
    let mut waiting = std::collections::HashSet::new();
    // Killed (SIGKILL) after 150, 250, ... ms; each later run resumes the journal.
    for (round, after_ms) in [150u64, 250, 200, 300].into_iter().enumerate() {
        let results = dir.join(format!("results-{round}.csv"));
        let mut args = vec![
            input,
            "--rate",
            "40",
            "--journal",
            journal,
            "--results",
            results.to_str().unwrap(),
        ];
        if round > 0 {
            args.push("--resume");
        }
        let mut child = command(&emu, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(after_ms));
        child.kill().unwrap();
        child.wait().unwrap();
    }
    // Resumed to the end: whatever was in flight at a kill is reported uncertain.
    let results = dir.join("results-end.csv");
    let out = run(
        &emu,
        &[
            input,
            "--rate",
            "40",
            "--journal",
            journal,
            "--resume",
            "--results",
            results.to_str().unwrap(),
        ],
    );
    assert!(
        matches!(out.status.code(), Some(0 | 12)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (id, action, outcome) in outcomes(&results) {
        match outcome.as_str() {
            "ok" => {}
            "uncertain" => {
                uncertain.insert((id, action));
            }
            // A later row of a meeting whose earlier row is uncertain waits for it.
            "deferred" => {
                waiting.insert((id, action));
            }
            other => panic!("{id} {action}: {other}"),
        }
    }
    let done = accepted(&emu);
    for id in FIRST..FIRST + MEETINGS {
        for action in ["start", "stop"] {
            let key = (id, action.to_owned());
            let n = done.get(&key).copied().unwrap_or(0);
            if uncertain.contains(&key) {
                assert!(n <= 1, "{key:?} accepted {n} times");
            } else if waiting.contains(&key) {
                assert_eq!(n, 0, "{key:?} accepted {n} times");
                assert!(uncertain.contains(&(id, "start".to_owned())), "{key:?}");
            } else {
                assert_eq!(n, 1, "{key:?} accepted {n} times");
            }
        }
    }
    // Only --resume-uncertain sends those again; then every one is done.
    let out = run(
        &emu,
        &[
            input,
            "--rate",
            "40",
            "--journal",
            journal,
            "--resume",
            "--resume-uncertain",
            "--results",
            results.to_str().unwrap(),
        ],
    );
    exits(&out, 0);
    let after = accepted(&emu);
    for (key, n) in &after {
        let before = done.get(key).copied().unwrap_or(0);
        let again = uncertain.contains(key) || waiting.contains(key);
        let expected = if again { before + 1 } else { before };
        assert_eq!(*n, expected, "{key:?}");
    }
    assert_eq!(after.len(), 2 * MEETINGS as usize);
    no_secret_in(Path::new(journal));
    // Each meeting ends stopped: its start and stop were (re)sent in input order.
    for id in FIRST..FIRST + MEETINGS {
        assert_eq!(emu.meeting_live(id), Some(false), "meeting {id}");
    }
    eprintln!(
        "after the kills: {} uncertain, {} waiting for them",
        uncertain.len(),
        waiting.len()
    );
}

/// `cmd` started with SIGINT's disposition set to `action` (SIG_DFL or SIG_IGN), whatever
/// this test process inherited (a shell's background job starts with it ignored).
fn with_sigint(mut cmd: Command, action: libc::sighandler_t) -> Command {
    use std::os::unix::process::CommandExt;
    // SAFETY: signal() is async-signal-safe, as code between fork and exec must be.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGINT, action);
            Ok(())
        });
    }
    cmd
}

/// An emulator answering in `latency_ms`, and an input starting `meetings` meetings.
fn starts(name: &str, meetings: u64, latency_ms: u64) -> (Emulator, PathBuf) {
    let emu = emulator(
        meetings,
        Config {
            latency: Duration::from_millis(latency_ms),
            ..Config::default()
        },
    );
    let input = dir(name).join("in.csv");
    let mut csv = String::from("op,kind,id\r\n");
    for id in FIRST..FIRST + meetings {
        csv.push_str(&format!("start,meeting,{id}\r\n"));
    }
    std::fs::write(&input, csv).unwrap();
    (emu, input)
}

/// Runs `zoomlive batch ARGS --progress jsonl` with SIGINT at `action`, sends it SIGINT
/// once `after` result lines are out, and returns the process's output and how many
/// result lines with `outcome` came after the signal.
fn interrupted(
    emu: &Emulator,
    args: &[&str],
    action: libc::sighandler_t,
    after: usize,
    outcome: &str,
) -> (Output, usize) {
    let mut child = with_sigint(command(emu, args), action)
        .args(["--progress", "jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    for _ in 0..after {
        lines.next().expect("a result line").unwrap();
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    // The rest of the result lines (the summary line follows them).
    let rest = lines
        .filter(|l| l.as_ref().unwrap().contains(outcome))
        .count();
    (child.wait_with_output().unwrap(), rest)
}

#[test]
fn ctrl_c_stops_sending_lets_calls_in_flight_finish_and_resume_does_the_rest() {
    // 30 meetings started at 20/s, 4 in flight, 150 ms per answer: SIGINT once three
    // results are out, while calls are on the wire.
    const MEETINGS: u64 = 30;
    let (emu, input) = starts("ctrl-c", MEETINGS, 150);
    let dir = input.parent().unwrap();
    let (journal, results) = (dir.join("journal.jsonl"), dir.join("results.csv"));
    let args = [
        input.to_str().unwrap(),
        "--rate",
        "20",
        "--journal",
        journal.to_str().unwrap(),
        "--results",
        results.to_str().unwrap(),
    ];
    let (out, rest) = interrupted(&emu, &args, libc::SIG_DFL, 3, "\"outcome\"");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(13), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    // Every row is in the results: the calls in flight finished ok, none is uncertain,
    // and the rest were not sent.
    let first = outcomes(&results);
    assert_eq!(first.len(), MEETINGS as usize);
    assert_eq!(3 + rest, MEETINGS as usize, "one JSON line per operation");
    let ok = first.iter().filter(|(_, _, o)| o == "ok").count();
    let deferred = first.iter().filter(|(_, _, o)| o == "deferred").count();
    assert_eq!(ok + deferred, MEETINGS as usize, "{first:?}");
    assert!(ok >= 3 && deferred > 0, "{ok} ok, {deferred} deferred");
    assert_eq!(
        accepted(&emu).len(),
        ok,
        "the server did exactly the ok ones"
    );
    // Resumed: the deferred ones are sent, the ok ones are not sent again.
    let out = run(&emu, &[&args[..], &["--resume"]].concat());
    exits(&out, 0);
    let done = accepted(&emu);
    assert_eq!(done.len(), MEETINGS as usize);
    assert!(done.values().all(|&n| n == 1), "{done:?}");
    no_secret_in(&journal);
}

#[test]
fn a_sigint_ignored_by_the_parent_stays_ignored() {
    // `nohup zoomlive batch ... &` from a script: a Ctrl-C meant for the foreground
    // program must not stop the batch.
    const MEETINGS: u64 = 8;
    let (emu, input) = starts("sigint-ignored", MEETINGS, 100);
    let args = [input.to_str().unwrap(), "--rate", "10"];
    let (out, rest) = interrupted(&emu, &args, libc::SIG_IGN, 1, "\"outcome\":\"ok\"");
    assert_eq!(rest + 1, MEETINGS as usize, "every operation went on");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("interrupted"), "{stderr}");
    assert_eq!(accepted(&emu).len(), MEETINGS as usize);
}
