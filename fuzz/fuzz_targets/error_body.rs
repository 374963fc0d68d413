#![no_main]
//! The error-body parser on arbitrary bytes: never panics, always printable.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let status = data.first().map_or(400, |b| 300 + u16::from(*b));
    let api = zoomlive::parse_error_body(status, data);
    assert!(!api.message.chars().any(char::is_control));
});
