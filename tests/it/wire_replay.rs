//! Replays what Chilkat, requests and curl really sent (`tests/wire/`, byte for byte;
//! its README says how they were captured) to the emulator, and checks that zoomlive's
//! own requests for the same operations are parsed to the same fields.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;

use crate::common::*;
use serde_json::{Map, Value, json};
use zoomlive::emulator::{Emulator, Kind};
use zoomlive::{Action, BodyEncoding, LivestreamSettings, LivestreamUpdate, MeetingId, WebinarId};

const CLIENTS: [&str; 3] = ["chilkat-11.6.1", "requests-2.34.2", "curl-7.88.1"];

fn wire_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/wire")
}

fn replay(emu: &Emulator, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(emu.addr()).unwrap();
    s.write_all(raw).unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "connection closed before an answer");
        answer.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// The path each capture's request names.
fn expected_path(file: &str) -> &'static str {
    match file {
        "meeting-status.raw" | "meeting-status-nonascii.raw" => {
            "/v2/meetings/68423085/livestream/status"
        }
        "webinar-status.raw" => "/v2/webinars/91234567890/livestream/status",
        "meeting-update.raw" => "/v2/meetings/68423085/livestream",
        other => panic!("unknown capture {other}"),
    }
}

/// The fields an operation should arrive with (settings as parsed JSON).
fn expected(file: &str) -> Map<String, Value> {
    let v = match file {
        "meeting-status.raw" => json!({"action": "start",
            "settings": {"active_speaker_name": false, "display_name": "dolore ullamco irur"}}),
        "webinar-status.raw" => json!({"action": "start",
            "settings": {"active_speaker_name": false, "display_name": "reprehender"}}),
        // The capture really sends `stop` (with settings, for a stopped stream).
        "meeting-status-nonascii.raw" => json!({"action": "stop",
            "settings": {"active_speaker_name": true, "display_name": "Zoë – café ✓"}}),
        // The request log shows stream keys as `***`: see `stored_key` for the key.
        "meeting-update.raw" => json!({"stream_url": "rtmp://a.rtmp.youtube.com/live2",
            "stream_key": "***",
            "page_url": "https://example.com/live/68423085?x=a+b&y=c"}),
        other => panic!("unknown capture {other}"),
    };
    v.as_object().unwrap().clone()
}

/// The stream key the emulator stored for the meeting, as the capture sends it.
fn stored_key(emu: &Emulator) -> String {
    let meeting = MEETING.parse().unwrap();
    emu.stream(Kind::Meeting, meeting).unwrap().stream_key
}

/// Fields as received, with a `settings` part's JSON text parsed.
fn normalised(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut out = fields.clone();
    if let Some(Value::String(text)) = out.get("settings") {
        let parsed = serde_json::from_str(text).expect("settings text is JSON");
        out.insert("settings".into(), parsed);
    }
    out
}

const FILES: [&str; 4] = [
    "meeting-status.raw",
    "webinar-status.raw",
    "meeting-update.raw",
    "meeting-status-nonascii.raw",
];

#[test]
fn the_captures_in_the_repository_are_the_ones_replayed() {
    let mut found = Vec::new();
    for client in std::fs::read_dir(wire_dir()).unwrap() {
        let client = client.unwrap();
        if !client.file_type().unwrap().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(client.path()).unwrap() {
            let name = file.unwrap().file_name().into_string().unwrap();
            found.push(format!("{}/{name}", client.file_name().to_string_lossy()));
        }
    }
    found.sort();
    let mut replayed: Vec<String> = CLIENTS
        .iter()
        .flat_map(|c| FILES.iter().map(move |f| format!("{c}/{f}")))
        .collect();
    replayed.sort();
    assert_eq!(found, replayed, "every capture in tests/wire/ is replayed");
}

#[test]
fn every_capture_is_accepted_with_its_intended_fields() {
    for client in CLIENTS {
        for file in FILES {
            let path = wire_dir().join(client).join(file);
            let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let emu = emulator();
            let answer = replay(&emu, &raw);
            assert!(
                answer.starts_with("HTTP/1.1 204"),
                "{client}/{file}: {answer}"
            );
            let reqs = emu.requests();
            assert_eq!(reqs.len(), 1);
            assert_eq!(reqs[0].method, "PATCH", "{client}/{file}");
            assert_eq!(reqs[0].path, expected_path(file), "{client}/{file}");
            assert_eq!(reqs[0].encoding, "multipart", "{client}/{file}");
            assert_eq!(reqs[0].authorization.as_deref(), Some("Bearer ***"));
            assert_eq!(
                normalised(&reqs[0].fields),
                expected(file),
                "{client}/{file}"
            );
            if file == "meeting-update.raw" {
                assert_eq!(stored_key(&emu), "abcd-efgh-ijkl-mnop", "{client}");
            }
        }
    }
}

#[test]
fn zoomlive_sends_what_the_captures_carry_in_both_encodings() {
    for encoding in [BodyEncoding::Multipart, BodyEncoding::Json] {
        let emu = emulator();
        let c = client(&emu, encoding);
        let m = MeetingId::parse(MEETING).unwrap();
        let settings = |json: &str| LivestreamSettings::from_json(json).unwrap();
        c.update_meeting_livestream_status(
            m,
            Action::Start,
            Some(&settings(
                r#"{"active_speaker_name":false,"display_name":"dolore ullamco irur"}"#,
            )),
        )
        .unwrap();
        c.update_webinar_livestream_status(
            WebinarId::parse(WEBINAR).unwrap(),
            Action::Start,
            Some(&settings(
                r#"{"active_speaker_name":false,"display_name":"reprehender"}"#,
            )),
        )
        .unwrap();
        let update = LivestreamUpdate::new(
            "rtmp://a.rtmp.youtube.com/live2",
            "abcd-efgh-ijkl-mnop",
            "https://example.com/live/68423085?x=a+b&y=c",
        )
        .unwrap();
        c.update_meeting_livestream(m, &update).unwrap();
        c.update_meeting_livestream_status(m, Action::Stop, None)
            .unwrap();
        c.update_meeting_livestream_status(
            m,
            Action::Stop,
            Some(&settings(
                r#"{"active_speaker_name":true,"display_name":"Zoë – café ✓"}"#,
            )),
        )
        .unwrap();
        let reqs = emu.requests();
        assert_eq!(reqs.len(), 5);
        // The fourth call (a stop without settings) has no capture.
        for (&i, file) in [0, 1, 2, 4].iter().zip(FILES) {
            assert_eq!(reqs[i].path, expected_path(file), "{encoding}: {file}");
            assert_eq!(
                normalised(&reqs[i].fields),
                expected(file),
                "{encoding}: {file}"
            );
        }
        assert_eq!(stored_key(&emu), "abcd-efgh-ijkl-mnop", "{encoding}");
    }
}
