//! One deadline per call: the timeout bounds the whole call (token lock, token fetch,
//! every attempt, every Retry-After wait), in every thread.
#![cfg(feature = "emulator")]

use std::thread;
use std::time::{Duration, Instant};

use crate::common::*;
use zoomlive::emulator::Fault;
use zoomlive::{Action, BodyEncoding, ErrorKind, MeetingId, RetryPolicy};

const TIMEOUT: Duration = Duration::from_secs(2);
/// What the contract allows beyond the timeout.
const SLACK: Duration = Duration::from_millis(500);

fn meeting() -> MeetingId {
    MeetingId::parse(MEETING).unwrap()
}

fn within_deadline(started: Instant, what: &str) {
    let took = started.elapsed();
    assert!(
        took <= TIMEOUT + SLACK,
        "{what}: took {took:?}, more than {TIMEOUT:?} + {SLACK:?}"
    );
}

#[test]
fn slow_rate_limited_answers_do_not_add_up_past_the_timeout() {
    let emu = emulator();
    // Three 429s, each answered after 0.9 s and asking for a 1 s wait.
    emu.push_fault(Fault {
        path: "/livestream".into(),
        times: 3,
        delay_ms: 900,
        retry_after: Some("1".into()),
        ..Fault::status(429, 429, "Too many requests")
    });
    let client = builder(&emu, BodyEncoding::Json)
        .timeout(TIMEOUT)
        .retry_policy(RetryPolicy {
            max_retries: 5,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    within_deadline(started, "429 x3");
    assert!(
        matches!(err.kind(), ErrorKind::RateLimited | ErrorKind::Timeout),
        "{err}"
    );
}

#[test]
fn a_slow_token_fetch_and_a_slow_call_share_one_timeout() {
    let emu = emulator();
    emu.push_fault(Fault {
        path: "/oauth/token".into(),
        delay_ms: 1500,
        ..Fault::default()
    });
    emu.push_fault(Fault {
        path: "/livestream".into(),
        delay_ms: 1500,
        ..Fault::default()
    });
    let client = s2s_builder(&emu).timeout(TIMEOUT).build().unwrap();
    let started = Instant::now();
    let err = client
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap_err();
    within_deadline(started, "slow token + slow call");
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
}

#[test]
fn threads_behind_a_hanging_oauth_endpoint_each_end_in_time() {
    let emu = emulator();
    emu.push_fault(Fault {
        path: "/oauth/token".into(),
        times: 16,
        hang: true,
        ..Fault::default()
    });
    let client = s2s_builder(&emu).timeout(TIMEOUT).build().unwrap();
    let started = Instant::now();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            thread::spawn(move || {
                let began = Instant::now();
                let err = client
                    .update_meeting_livestream_status(meeting(), Action::Start, None)
                    .unwrap_err();
                (began.elapsed(), err.kind())
            })
        })
        .collect();
    for h in handles {
        let (took, kind) = h.join().unwrap();
        assert_eq!(kind, ErrorKind::Timeout);
        assert!(took <= TIMEOUT + SLACK, "a thread took {took:?}");
    }
    within_deadline(started, "8 threads");
}

#[test]
fn a_call_that_fits_is_not_cut_short() {
    let emu = emulator();
    emu.push_fault(Fault {
        path: "/livestream".into(),
        delay_ms: 300,
        ..Fault::default()
    });
    let client = builder(&emu, BodyEncoding::Json)
        .timeout(TIMEOUT)
        .build()
        .unwrap();
    client
        .update_meeting_livestream_status(meeting(), Action::Start, None)
        .unwrap();
}
