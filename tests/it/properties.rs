//! Seeded property tests (proptest) beside the cargo-fuzz targets in `fuzz/`: the
//! response/error-body parser, Retry-After parsing, the input validators, and the C entry
//! points given arbitrary bytes. They run with every `cargo test`; `make fuzz` runs them
//! with many more cases (PROPTEST_CASES) after the coverage-guided fuzzers.

use std::ffi::CString;
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use zoomlive::capi::*;
use zoomlive::{Action, LivestreamSettings, LivestreamUpdate, MeetingId, Resolution};

fn cstring(bytes: &[u8]) -> CString {
    CString::new(
        bytes
            .iter()
            .copied()
            .filter(|&b| b != 0)
            .collect::<Vec<u8>>(),
    )
    .unwrap()
}

/// A client whose calls can only fail fast: its base URL is a closed local port.
fn closed_client() -> *mut zoomlive_client {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut c = std::ptr::null_mut();
    let token = CString::new("fuzz-token").unwrap();
    let url = CString::new(format!("http://127.0.0.1:{port}/v2")).unwrap();
    unsafe {
        assert_eq!(
            zoomlive_client_new(token.as_ptr(), &mut c),
            ZOOMLIVE_STATUS_OK
        );
        assert_eq!(
            zoomlive_client_set_base_url(c, url.as_ptr()),
            ZOOMLIVE_STATUS_OK
        );
        assert_eq!(
            zoomlive_client_set_connect_timeout_ms(c, 200),
            ZOOMLIVE_STATUS_OK
        );
    }
    c
}

fn known(status: zoomlive_status) -> bool {
    (ZOOMLIVE_STATUS_OK..ZOOMLIVE_STATUS_PANIC).contains(&status)
}

proptest! {
    #[test]
    fn error_bodies_never_panic_and_stay_printable(status in 100u16..600, body in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let api = zoomlive::parse_error_body(status, &body);
        prop_assert_eq!(api.status, status);
        prop_assert!(!api.message.chars().any(char::is_control));
        prop_assert!(api.message.chars().count() <= 1100);
    }

    #[test]
    fn json_shaped_error_bodies(code in any::<i64>(), message in ".{0,300}", field in "[a-z_.]{0,30}") {
        let body = serde_json::json!({"code": code, "message": message, "errors": [{"field": field, "message": "x"}]});
        let api = zoomlive::parse_error_body(400, body.to_string().as_bytes());
        prop_assert_eq!(api.code, Some(code));
        prop_assert_eq!(api.errors.len(), 1);
    }

    #[test]
    fn retry_after_never_panics(value in ".{0,64}", secs in 0u64..10_000_000) {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_784_000_000);
        let _ = zoomlive::parse_retry_after(&value, now);
        prop_assert_eq!(zoomlive::parse_retry_after(&secs.to_string(), now), Some(Duration::from_secs(secs)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(secs));
        prop_assert_eq!(zoomlive::parse_retry_after(&date, now), Some(Duration::from_secs(secs)));
    }

    #[test]
    fn id_validator_accepts_exactly_positive_u64_decimals(text in "\\PC{0,25}") {
        let parsed = MeetingId::parse(&text);
        let expected = text.bytes().all(|b| b.is_ascii_digit()) && text.parse::<u64>().is_ok_and(|n| n > 0);
        prop_assert_eq!(parsed.is_ok(), expected, "{:?}", text);
        if let Ok(id) = parsed {
            prop_assert!(id.to_string().bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn other_validators_accept_exactly_what_they_document(
        text in prop_oneof![
            "\\PC{0,80}",
            // The valid words in any letter case, alone or with a little after them.
            "(?i)(start|stop|720p|1080p)",
            "(?i)(start|stop|720p|1080p)\\PC{1,3}",
        ],
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let lossy = String::from_utf8_lossy(&bytes);
        for t in [text.as_str(), lossy.as_ref()] {
            let is = |word: &str| t.eq_ignore_ascii_case(word);
            prop_assert_eq!(Action::parse(t).is_ok(), is("start") || is("stop"), "{:?}", t);
            prop_assert_eq!(Resolution::parse(t).is_ok(), is("720p") || is("1080p"), "{:?}", t);
            let _ = LivestreamSettings::from_json(t);
            let name_ok = (1..=50).contains(&t.chars().count()) && !t.chars().any(char::is_control);
            prop_assert_eq!(LivestreamSettings::new().display_name(t).is_ok(), name_ok, "{:?}", t);
            if let Ok(u) = LivestreamUpdate::new(t, t, t) {
                prop_assert!(!t.chars().any(char::is_control), "{:?}", t);
                prop_assert_eq!((u.stream_url(), u.page_url()), (t, t));
            }
        }
    }

    #[test]
    fn settings_keep_exactly_the_values_they_accept(
        // Printable names of every length around the limit, and names with any character
        // (proptest's "." yields a control character in most of them).
        value in prop_oneof!["\\PC{0,60}", "\\PC{48,52}", ".{0,60}"],
    ) {
        let json = serde_json::json!({"display_name": value, "extra": [value]}).to_string();
        let chars = value.chars().count();
        let valid = (1..=50).contains(&chars) && !value.chars().any(char::is_control);
        match LivestreamSettings::from_json(&json) {
            Ok(s) => {
                prop_assert!(valid, "accepted {:?}", value);
                prop_assert_eq!(&s.as_map()["display_name"], &serde_json::json!(value));
                prop_assert_eq!(&s.as_map()["extra"], &serde_json::json!([value]));
                prop_assert_eq!(s.as_map().len(), 2);
                // The text sent is read back to the same settings.
                prop_assert_eq!(LivestreamSettings::from_json(&s.to_json()).ok(), Some(s));
            }
            Err(e) => {
                prop_assert!(!valid, "refused {:?}: {}", value, e);
                prop_assert_eq!(e.field(), Some("settings.display_name"));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn c_entry_points_take_arbitrary_bytes(
        id in proptest::collection::vec(any::<u8>(), 0..40),
        action in proptest::collection::vec(any::<u8>(), 0..12),
        settings in proptest::collection::vec(any::<u8>(), 0..80),
        text in proptest::collection::vec(any::<u8>(), 0..80),
    ) {
        let c = closed_client();
        let (id, action, settings, text) = (cstring(&id), cstring(&action), cstring(&settings), cstring(&text));
        let mut buf = [0 as std::ffi::c_char; 64];
        let mut needed = 0usize;
        unsafe {
            for status in [
                zoomlive_meeting_livestream_status(c, id.as_ptr(), action.as_ptr(), settings.as_ptr()),
                zoomlive_webinar_livestream_status(c, id.as_ptr(), action.as_ptr(), text.as_ptr()),
                zoomlive_meeting_livestream_update(c, id.as_ptr(), text.as_ptr(), text.as_ptr(), text.as_ptr(), action.as_ptr()),
                zoomlive_meeting_livestream_get(c, id.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut needed),
                zoomlive_client_set_encoding(c, text.as_ptr()),
                zoomlive_client_set_base_url(c, text.as_ptr()),
            ] {
                prop_assert!(known(status), "status {}", status);
                let mut msg = vec![0 as std::ffi::c_char; 4096];
                prop_assert!(known(zoomlive_last_error_message(msg.as_mut_ptr(), msg.len(), &mut needed)));
            }
            zoomlive_client_free(c);
        }
    }
}
