#![no_main]
//! `Retry-After` parsing on arbitrary text: never panics; whole seconds round-trip.
use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_784_000_000);
    let text = String::from_utf8_lossy(data);
    if let Some(wait) = zoomlive::parse_retry_after(&text, now)
        && let Ok(secs) = text.trim().parse::<u64>()
    {
        assert_eq!(wait, Duration::from_secs(secs));
    }
});
