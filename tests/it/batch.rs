//! The batch runner against the emulator: every operation once, one at a time per
//! owner in input order, duplicates once, pacing, per-second and daily 429s, the
//! deadline, and a journal resumed after a stop.

use crate::common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::common::{TOKEN, api_requests};
use zoomlive::batch::{self, Batch, BatchOp, BatchOptions, Outcome};
use zoomlive::emulator::{Config, Emulator, Fault};
use zoomlive::{Action, BodyEncoding, Client, Credentials, MeetingId};

const FIRST: u64 = 1000;

fn emulator(meetings: u64, config: Config) -> Emulator {
    common::emulator_with(Config {
        meetings: (FIRST..FIRST + meetings).collect(),
        ..config
    })
}

fn client(emu: &Emulator) -> Client {
    common::client(emu, BodyEncoding::Json)
}

fn status(id: u64, action: Action) -> BatchOp {
    BatchOp::status(MeetingId::new(id).unwrap(), action, None).unwrap()
}

fn fast() -> BatchOptions {
    BatchOptions {
        rate: Some(500.0),
        ..BatchOptions::default()
    }
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zoomlive-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// Each meeting's calls, in the order the emulator received them.
fn calls_per_meeting(emu: &Emulator) -> HashMap<String, Vec<String>> {
    let mut per: HashMap<String, Vec<String>> = HashMap::new();
    for r in api_requests(emu) {
        let id = r.path.split('/').nth(3).unwrap().to_owned();
        let action = r
            .fields
            .get("action")
            .and_then(|a| a.as_str())
            .unwrap_or("get");
        per.entry(id).or_default().push(action.to_owned());
    }
    per
}

#[test]
fn every_operation_runs_once_in_its_owners_order() {
    let emu = emulator(10, Config::default());
    let mut ops = Vec::new();
    for id in FIRST..FIRST + 10 {
        ops.push(status(id, Action::Start));
    }
    for id in FIRST..FIRST + 10 {
        ops.push(status(id, Action::Stop));
        ops.push(
            BatchOp::get(MeetingId::new(id).unwrap())
                .with_key(format!("k{id}"))
                .unwrap(),
        );
    }
    let results = Batch::start(&client(&emu), ops, &fast())
        .unwrap()
        .collect_sorted();
    assert_eq!(results.len(), 30);
    assert!(
        results
            .iter()
            .all(|r| r.outcome == Outcome::Ok && r.attempts == 1),
        "{results:?}"
    );
    assert_eq!(results[10].key, None);
    assert_eq!(results[11].key.as_deref(), Some("k1000"));
    assert!(results[11].livestream.is_some());
    for (id, calls) in calls_per_meeting(&emu) {
        assert_eq!(calls, ["start", "stop", "get"], "meeting {id}");
    }
    for id in FIRST..FIRST + 10 {
        assert_eq!(emu.meeting_live(id), Some(false));
    }
}

#[test]
fn a_repeated_operation_runs_once_and_both_results_say_so() {
    let emu = emulator(2, Config::default());
    let ops = vec![
        status(FIRST, Action::Start),
        status(FIRST, Action::Start),
        status(FIRST + 1, Action::Start),
        status(FIRST, Action::Stop),
        status(FIRST, Action::Start),
    ];
    let results = Batch::start(&client(&emu), ops, &fast())
        .unwrap()
        .collect_sorted();
    let outcomes: Vec<Outcome> = results.iter().map(|r| r.outcome).collect();
    use Outcome::{Ok, Skipped};
    assert_eq!(outcomes, [Ok, Skipped, Ok, Ok, Ok]);
    assert!(results[0].message.as_deref().unwrap().contains("row(s) 2"));
    assert!(
        results[1]
            .message
            .as_deref()
            .unwrap()
            .contains("duplicate of row 1")
    );
    assert_eq!(
        calls_per_meeting(&emu)[&FIRST.to_string()],
        ["start", "stop", "start"]
    );
}

#[test]
fn the_pace_holds_and_nothing_is_sent_when_the_options_are_refused() {
    let emu = emulator(20, Config::default());
    let ops: Vec<BatchOp> = (FIRST..FIRST + 20)
        .map(|id| status(id, Action::Start))
        .collect();
    let bad = BatchOptions {
        concurrency: 0,
        ..BatchOptions::default()
    };
    assert_eq!(
        Batch::start(&client(&emu), ops.clone(), &bad)
            .unwrap_err()
            .field(),
        Some("concurrency")
    );
    assert!(api_requests(&emu).is_empty());
    let options = BatchOptions {
        rate: Some(40.0),
        ..BatchOptions::default()
    };
    let started = Instant::now();
    let run = Batch::start(&client(&emu), ops, &options).unwrap();
    assert_eq!(run.expected_duration(), Duration::from_millis(500));
    let results: Vec<_> = run.collect();
    let took = started.elapsed();
    // 20 calls 25 ms apart: 19 gaps.
    assert!(
        took >= Duration::from_millis(450) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert!(results.iter().all(|r| r.outcome == Outcome::Ok));
}

#[test]
fn a_per_second_429_pauses_everyone_then_slows_down() {
    let emu = emulator(8, Config::default());
    emu.push_fault(Fault {
        status: Some(429),
        code: Some(429),
        message: Some("You have reached the maximum per-second rate limit for this API.".into()),
        retry_after: Some("1".into()),
        headers: vec![("X-RateLimit-Type".into(), "QPS".into())],
        ..Fault::default()
    });
    let ops: Vec<BatchOp> = (FIRST..FIRST + 8)
        .map(|id| status(id, Action::Start))
        .collect();
    let options = BatchOptions {
        rate: Some(100.0),
        ..BatchOptions::default()
    };
    let started = Instant::now();
    let mut run = Batch::start(&client(&emu), ops, &options).unwrap();
    let results: Vec<_> = run.by_ref().collect();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "everyone waited the second"
    );
    assert!((run.rate() - 80.0).abs() < 1e-6, "{}", run.rate());
    assert!(
        results.iter().all(|r| r.outcome == Outcome::Ok),
        "{results:?}"
    );
    assert_eq!(results.iter().map(|r| r.attempts).sum::<u32>(), 9);
    assert_eq!(api_requests(&emu).len(), 9);
}

#[test]
fn the_emulators_qps_limit_is_learned_from_its_headers() {
    let emu = emulator(
        30,
        Config {
            qps: Some(10.0),
            rate_limit_headers: true,
            ..Config::default()
        },
    );
    let ops: Vec<BatchOp> = (FIRST..FIRST + 30)
        .map(|id| status(id, Action::Start))
        .collect();
    let options = BatchOptions {
        rate: Some(40.0),
        ..BatchOptions::default()
    };
    let mut run = Batch::start(&client(&emu), ops, &options).unwrap();
    let results: Vec<_> = run.by_ref().collect();
    assert!(
        results.iter().all(|r| r.outcome == Outcome::Ok),
        "{results:?}"
    );
    assert!(run.rate() <= 10.0, "{}", run.rate());
    let refused = api_requests(&emu)
        .iter()
        .filter(|r| r.status == Some(429))
        .count();
    assert!(refused <= 3, "{refused} answered 429");
}

#[test]
fn a_daily_limit_defers_everything_not_yet_sent() {
    let emu = emulator(
        10,
        Config {
            daily_limit: Some(4),
            ..Config::default()
        },
    );
    let ops: Vec<BatchOp> = (FIRST..FIRST + 10)
        .map(|id| status(id, Action::Start))
        .collect();
    let options = BatchOptions {
        concurrency: 1,
        ..fast()
    };
    let results = Batch::start(&client(&emu), ops, &options)
        .unwrap()
        .collect_sorted();
    let ok = results.iter().filter(|r| r.outcome == Outcome::Ok).count();
    assert_eq!(ok, 4);
    let deferred: Vec<_> = results
        .iter()
        .filter(|r| r.outcome == Outcome::Deferred)
        .collect();
    assert_eq!(deferred.len(), 6);
    assert!(
        deferred.iter().all(|r| r
            .resume_at
            .as_deref()
            .is_some_and(|t| t.ends_with("T00:00:00Z"))),
        "{deferred:?}"
    );
    assert_eq!(deferred[0].http_status, Some(429));
    assert_eq!(
        api_requests(&emu).len(),
        5,
        "one refused call, then nothing"
    );
}

#[test]
fn nothing_is_sent_after_the_deadline() {
    let emu = emulator(10, Config::default());
    let ops: Vec<BatchOp> = (FIRST..FIRST + 10)
        .map(|id| status(id, Action::Start))
        .collect();
    let options = BatchOptions {
        rate: Some(10.0),
        deadline: Some(Duration::from_millis(350)),
        ..BatchOptions::default()
    };
    let started = Instant::now();
    let results = Batch::start(&client(&emu), ops, &options)
        .unwrap()
        .collect_sorted();
    assert!(started.elapsed() < Duration::from_secs(2));
    let ok = results.iter().filter(|r| r.outcome == Outcome::Ok).count();
    assert!((3..=5).contains(&ok), "{ok} sent in 350 ms at 10/s");
    assert!(
        results
            .iter()
            .filter(|r| r.outcome == Outcome::Deferred)
            .all(|r| r.message.as_deref() == Some("not sent before the batch's deadline"))
    );
    assert_eq!(api_requests(&emu).len(), ok);
}

#[test]
fn a_stopped_batch_resumes_from_its_journal_without_sending_twice() {
    let emu = emulator(12, Config::default());
    let ops: Vec<BatchOp> = (FIRST..FIRST + 12)
        .map(|id| status(id, Action::Start))
        .collect();
    let journal = temp("stopped.jsonl");
    let options = BatchOptions {
        rate: Some(20.0),
        concurrency: 2,
        journal: Some(journal.clone()),
        ..BatchOptions::default()
    };
    let mut run = Batch::start(&client(&emu), ops.clone(), &options).unwrap();
    let mut seen = Vec::new();
    for r in run.by_ref() {
        seen.push(r);
        if seen.len() == 4 {
            break;
        }
    }
    run.stop();
    let rest: Vec<_> = run.by_ref().collect();
    drop(run);
    let sent_first = api_requests(&emu).len();
    assert!(rest.iter().any(|r| r.outcome == Outcome::Deferred));
    // Again without resume: refused, nothing sent.
    let err = Batch::start(&client(&emu), ops.clone(), &options).unwrap_err();
    assert_eq!(err.field(), Some("journal"));
    // Another input: refused.
    let resume = BatchOptions {
        resume: true,
        ..options
    };
    let err = Batch::start(&client(&emu), ops[..11].to_vec(), &resume).unwrap_err();
    assert!(err.to_string().contains("another input"), "{err}");
    let results = Batch::start(&client(&emu), ops, &resume)
        .unwrap()
        .collect_sorted();
    assert!(
        results.iter().all(|r| r.outcome == Outcome::Ok),
        "{results:?}"
    );
    assert_eq!(
        api_requests(&emu).len(),
        12,
        "{sent_first} then the rest, none twice"
    );
    let per = calls_per_meeting(&emu);
    assert!(per.values().all(|c| c.len() == 1));
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(!text.contains(TOKEN));
}

#[test]
fn s2s_batches_fetch_one_token() {
    let emu = emulator(12, Config::default());
    let client = common::s2s_builder(&emu)
        .encoding(BodyEncoding::Json)
        .build()
        .unwrap();
    let ops: Vec<BatchOp> = (FIRST..FIRST + 12)
        .map(|id| status(id, Action::Start))
        .collect();
    let results: Vec<_> = Batch::start(&client, ops, &fast()).unwrap().collect();
    assert!(results.iter().all(|r| r.outcome == Outcome::Ok));
    assert_eq!(emu.tokens_issued(), 1);
    let _ = Credentials::access_token(TOKEN);
}

#[test]
fn a_csv_input_runs() {
    let emu = emulator(2, Config::default());
    let csv = format!(
        "op,kind,id,display_name,active_speaker_name\r\nstart,meeting,{FIRST},Town hall,T\r\nstop,meeting,{},,\r\n",
        FIRST + 1
    );
    let ops = batch::parse(csv.as_bytes(), None, &|_| None).unwrap();
    let results: Vec<_> = Batch::start(&client(&emu), ops, &fast()).unwrap().collect();
    assert!(results.iter().all(|r| r.outcome == Outcome::Ok));
    let stream = emu
        .stream(zoomlive::emulator::Kind::Meeting, FIRST)
        .unwrap();
    assert_eq!(stream.settings["display_name"], "Town hall");
}

#[test]
fn the_emulators_per_second_429_is_zooms() {
    for headers in [false, true] {
        let emu = emulator(
            4,
            Config {
                qps: Some(2.0),
                rate_limit_headers: headers,
                ..Config::default()
            },
        );
        let client = common::no_retries(common::builder(&emu, BodyEncoding::Json))
            .build()
            .unwrap();
        let m = |i| MeetingId::new(FIRST + i).unwrap();
        client
            .update_meeting_livestream_status(m(0), Action::Start, None)
            .unwrap();
        client
            .update_meeting_livestream_status(m(1), Action::Start, None)
            .unwrap();
        let err = client
            .update_meeting_livestream_status(m(2), Action::Start, None)
            .unwrap_err();
        let api = err.api().unwrap();
        assert_eq!((api.status, api.code), (429, Some(429)));
        assert!(
            api.message.contains("per-second rate limit"),
            "{}",
            api.message
        );
        assert!(!api.is_daily_limit());
        if headers {
            assert_eq!(api.rate_limit_type.as_deref(), Some("QPS"));
            assert_eq!(
                (api.rate_limit_limit, api.rate_limit_remaining),
                (Some(2), Some(0))
            );
            assert_eq!(api.retry_after, Some(Duration::from_secs(1)));
        } else {
            assert_eq!(
                (api.rate_limit_type.as_ref(), api.retry_after),
                (None, None)
            );
        }
        // Changed while running: a higher limit lets the next call through at once.
        emu.set_qps(Some(100.0));
        client
            .update_meeting_livestream_status(m(2), Action::Start, None)
            .unwrap();
    }
}

mod input_properties {
    use proptest::prelude::*;
    use zoomlive::batch;

    const KEY: &str = "sk-live-never-shown-0001";

    fn env(name: &str) -> Option<String> {
        (name == "K").then(|| KEY.to_owned())
    }

    proptest! {
        /// Any bytes (CSV or JSON Lines, valid or not, any encoding) are read or refused
        /// without a panic, and a refusal never shows a stream key.
        #[test]
        fn any_input_is_read_or_refused_without_showing_a_key(
            bytes in proptest::collection::vec(any::<u8>(), 0..400),
            csv in "(op,kind,id,stream_url,page_url,stream_key_env\r\n)?((update|start|stop|get|x),(meeting|webinar|),[0-9a-z.]{0,4},(rtmp://a|),(https://p|),(K|Q|)\r\n){0,4}",
        ) {
            for input in [bytes.as_slice(), csv.as_bytes()] {
                for format in [None, Some(batch::InputFormat::Csv), Some(batch::InputFormat::JsonLines)] {
                    if let Err(e) = batch::parse(input, format, &env) {
                        prop_assert!(!e.to_string().contains(KEY));
                        prop_assert!(e.field().is_some(), "{e}");
                    }
                }
            }
        }
    }
}
