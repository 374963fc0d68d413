#![no_main]
//! The input validators on arbitrary text: never panic, and what they accept is sendable
//! (ids are plain decimals, no control characters anywhere).
use libfuzzer_sys::fuzz_target;
use zoomlive::{Action, Credentials, LivestreamSettings, LivestreamUpdate, MeetingId, Resolution};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut pieces = text.splitn(3, '\u{1f}');
    let (a, b, c) = (
        pieces.next().unwrap_or(""),
        pieces.next().unwrap_or(""),
        pieces.next().unwrap_or(""),
    );
    if let Ok(id) = MeetingId::parse(a) {
        assert!(id.get() > 0 && id.to_string().bytes().all(|b| b.is_ascii_digit()));
    }
    if let Ok(action) = Action::parse(a) {
        assert!(matches!(action.as_str(), "start" | "stop"));
    }
    let _ = Resolution::parse(a);
    let _ = Credentials::access_token(a);
    let _ = Credentials::server_to_server(a, b, c);
    if let Ok(s) = LivestreamSettings::from_json(&text) {
        assert!(!s.to_json().chars().any(char::is_control));
    }
    if let Ok(u) = LivestreamUpdate::new(a, b, c) {
        for field in [u.stream_url(), u.stream_key(), u.page_url()] {
            assert!(!field.chars().any(char::is_control));
        }
    }
});
