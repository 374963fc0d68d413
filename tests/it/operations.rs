//! Every operation, in both encodings, against the emulator; the bodies parsed back
//! field by field by the emulator's own multipart/JSON parsers.

use crate::common::*;
use serde_json::{Value, json};
use zoomlive::emulator::{Fault, Kind};
use zoomlive::{
    Action, BodyEncoding, ErrorKind, LivestreamSettings, LivestreamUpdate, MeetingId, Resolution,
    WebinarId,
};

fn seed_settings() -> LivestreamSettings {
    LivestreamSettings::from_json(
        r#"{"active_speaker_name":false,"display_name":"dolore ullamco irur"}"#,
    )
    .unwrap()
}

/// The `settings` field as an object, whichever encoding carried it.
fn settings_of(r: &zoomlive::emulator::RecordedRequest) -> Value {
    match field(r, "settings") {
        Value::String(text) => serde_json::from_str(text).expect("settings part is JSON"),
        v => v.clone(),
    }
}

#[test]
fn meeting_status_multipart_matches_the_seed() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    c.update_meeting_livestream_status(
        MeetingId::parse(MEETING).unwrap(),
        Action::Start,
        Some(&seed_settings()),
    )
    .unwrap();
    let reqs = api_requests(&emu);
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "PATCH");
    assert_eq!(r.path, "/v2/meetings/68423085/livestream/status");
    assert_eq!(r.encoding, "multipart");
    assert!(
        r.content_type
            .as_deref()
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    assert_eq!(field(r, "action"), "start");
    // Like the seed (and Chilkat on the wire), settings is one part holding JSON text.
    assert_eq!(
        field(r, "settings"),
        r#"{"active_speaker_name":false,"display_name":"dolore ullamco irur"}"#
    );
    assert_eq!(r.fields.len(), 2);
    assert_eq!(r.authorization.as_deref(), Some("Bearer ***"));
    assert_eq!(r.accept.as_deref(), Some("application/json"));
    assert_eq!(r.user_agent.as_deref(), Some(zoomlive::USER_AGENT));
    assert_eq!(r.status, Some(204));
    assert_eq!(emu.meeting_live(68423085), Some(true));
}

#[test]
fn meeting_status_json_sends_settings_as_an_object() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Json);
    let settings = seed_settings()
        .layout("follow_host")
        .unwrap()
        .close_caption("burnt-in")
        .unwrap();
    c.update_meeting_livestream_status(
        MeetingId::new(68423085).unwrap(),
        Action::parse("START").unwrap(),
        Some(&settings),
    )
    .unwrap();
    let r = &api_requests(&emu)[0];
    assert_eq!(r.encoding, "json");
    assert_eq!(r.content_type.as_deref(), Some("application/json"));
    assert_eq!(field(r, "action"), "start");
    assert_eq!(
        settings_of(r),
        json!({"active_speaker_name": false, "display_name": "dolore ullamco irur",
               "layout": "follow_host", "close_caption": "burnt-in"})
    );
}

#[test]
fn stop_without_settings_sends_only_the_action() {
    for encoding in [BodyEncoding::Multipart, BodyEncoding::Json] {
        let emu = emulator();
        let c = client(&emu, encoding);
        let id = MeetingId::parse(MEETING).unwrap();
        c.update_meeting_livestream_status(id, Action::Start, None)
            .unwrap();
        c.update_meeting_livestream_status(id, Action::Stop, Some(&LivestreamSettings::new()))
            .unwrap();
        let reqs = api_requests(&emu);
        assert_eq!(reqs.len(), 2);
        assert_eq!(field(&reqs[1], "action"), "stop");
        assert_eq!(reqs[1].fields.len(), 1, "{encoding}: {:?}", reqs[1].fields);
        assert_eq!(emu.meeting_live(68423085), Some(false));
    }
}

#[test]
fn webinar_status_with_an_11_digit_id_in_both_encodings() {
    for encoding in [BodyEncoding::Multipart, BodyEncoding::Json] {
        let emu = emulator();
        let c = client(&emu, encoding);
        let settings = LivestreamSettings::new()
            .active_speaker_name(true)
            .display_name("reprehender")
            .unwrap();
        c.update_webinar_livestream_status(
            WebinarId::parse(WEBINAR).unwrap(),
            Action::Start,
            Some(&settings),
        )
        .unwrap();
        let r = &api_requests(&emu)[0];
        assert_eq!(r.path, "/v2/webinars/91234567890/livestream/status");
        assert_eq!(
            settings_of(r),
            json!({"active_speaker_name": true, "display_name": "reprehender"})
        );
    }
}

#[test]
fn non_ascii_display_names_arrive_intact() {
    for encoding in [BodyEncoding::Multipart, BodyEncoding::Json] {
        let emu = emulator();
        let c = client(&emu, encoding);
        let name = "Zoë – café ✓";
        let settings = LivestreamSettings::new().display_name(name).unwrap();
        c.update_meeting_livestream_status(
            MeetingId::parse(MEETING).unwrap(),
            Action::Start,
            Some(&settings),
        )
        .unwrap();
        let r = &api_requests(&emu)[0];
        assert_eq!(settings_of(r)["display_name"], name);
    }
}

#[test]
fn meeting_and_webinar_stream_update_then_read_back() {
    for encoding in [BodyEncoding::Multipart, BodyEncoding::Json] {
        let emu = emulator();
        let c = client(&emu, encoding);
        let update = LivestreamUpdate::new(
            "rtmp://a.rtmp.youtube.com/live2",
            "abcd-efgh-ijkl-mnop",
            "https://example.com/live/68423085?x=a+b&y=c",
        )
        .unwrap()
        .with_resolution(Resolution::P1080);
        let m = MeetingId::parse(MEETING).unwrap();
        let w = WebinarId::parse(WEBINAR).unwrap();
        c.update_meeting_livestream(m, &update).unwrap();
        c.update_webinar_livestream(w, &update).unwrap();
        let reqs = api_requests(&emu);
        assert_eq!(reqs[0].path, "/v2/meetings/68423085/livestream");
        assert_eq!(reqs[1].path, "/v2/webinars/91234567890/livestream");
        for (kind, id) in [(Kind::Meeting, MEETING), (Kind::Webinar, WEBINAR)] {
            let stored = emu.stream(kind, id.parse().unwrap()).unwrap();
            assert_eq!(stored.stream_key, "abcd-efgh-ijkl-mnop");
        }
        for r in &reqs {
            assert_eq!(field(r, "stream_url"), "rtmp://a.rtmp.youtube.com/live2");
            assert_eq!(field(r, "stream_key"), "***", "the log hides stream keys");
            assert_eq!(
                field(r, "page_url"),
                "https://example.com/live/68423085?x=a+b&y=c"
            );
            assert_eq!(field(r, "resolution"), "1080p");
            assert_eq!(r.fields.len(), 4);
        }
        let got = c.get_meeting_livestream(m).unwrap();
        assert_eq!(
            got.stream_url.as_deref(),
            Some("rtmp://a.rtmp.youtube.com/live2")
        );
        assert_eq!(got.stream_key(), Some("abcd-efgh-ijkl-mnop"));
        assert_eq!(
            got.page_url.as_deref(),
            Some("https://example.com/live/68423085?x=a+b&y=c")
        );
        assert_eq!(got.resolution.as_deref(), Some("1080p"));
        assert_eq!(c.get_webinar_livestream(w).unwrap(), got);
        let get = &api_requests(&emu)[2];
        assert_eq!(
            (get.method.as_str(), get.encoding.as_str()),
            ("GET", "none")
        );
    }
}

#[test]
fn a_json_only_zoom_refuses_form_data_and_takes_json() {
    let emu = emulator_with(zoomlive::emulator::Config {
        json_only: true,
        ..Default::default()
    });
    let id = MeetingId::parse(MEETING).unwrap();
    let err = client(&emu, BodyEncoding::Multipart)
        .update_meeting_livestream_status(id, Action::Start, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    // Zoom's answer to form data: 415, code 300 "Unsupported Content Type".
    let api = err.api().unwrap();
    assert_eq!((api.status, api.code), (415, Some(300)));
    assert_eq!(api.message, "Unsupported Content Type");
    client(&emu, BodyEncoding::Json)
        .update_meeting_livestream_status(id, Action::Start, None)
        .unwrap();
}

#[test]
fn connections_are_reused_across_calls() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Multipart);
    let id = MeetingId::parse(MEETING).unwrap();
    for _ in 0..20 {
        c.update_meeting_livestream_status(id, Action::Stop, None)
            .unwrap();
    }
    assert_eq!(api_requests(&emu).len(), 20);
    assert_eq!(
        emu.connections(),
        1,
        "20 sequential calls share one keep-alive connection"
    );
    // Clones share the pool; a client built anew has its own.
    c.clone()
        .update_meeting_livestream_status(id, Action::Stop, None)
        .unwrap();
    assert_eq!(emu.connections(), 1);
    c.to_builder()
        .build()
        .unwrap()
        .update_meeting_livestream_status(id, Action::Stop, None)
        .unwrap();
    assert_eq!(emu.connections(), 2);
}

#[test]
fn a_missing_field_and_an_empty_one_stay_apart() {
    let emu = emulator();
    emu.push_fault(Fault {
        path: "/livestream".into(),
        status: Some(200),
        body: Some(r#"{"stream_url":"rtmp://x/live","stream_key":"","resolution":null}"#.into()),
        ..Fault::default()
    });
    let got = client(&emu, BodyEncoding::Json)
        .get_meeting_livestream(MeetingId::parse(MEETING).unwrap())
        .unwrap();
    assert_eq!(got.stream_url.as_deref(), Some("rtmp://x/live"));
    assert_eq!(got.stream_key(), Some(""));
    assert_eq!(got.page_url, None);
    assert_eq!(got.resolution, None);
    let json = got.to_json();
    assert_eq!(json["stream_key"], "");
    assert!(json["page_url"].is_null() && json["resolution"].is_null());
}

#[test]
fn webinar_settings_for_meetings_only_are_refused_before_sending() {
    let emu = emulator();
    let c = client(&emu, BodyEncoding::Json);
    let webinar = WebinarId::parse(WEBINAR).unwrap();
    for (json, field) in [
        (r#"{"layout":"gallery"}"#, "settings.layout"),
        (r#"{"close_caption":"burnt-in"}"#, "settings.close_caption"),
    ] {
        let settings = LivestreamSettings::from_json(json).unwrap();
        let err = c
            .update_webinar_livestream_status(webinar, Action::Start, Some(&settings))
            .unwrap_err();
        assert_eq!(err.field(), Some(field));
        assert!(err.to_string().contains("meetings only"), "{err}");
    }
    assert!(api_requests(&emu).is_empty(), "nothing was sent");
    // The same settings are a meeting's to use, and unknown keys pass for both.
    let meeting = MeetingId::parse(MEETING).unwrap();
    let settings = LivestreamSettings::from_json(r#"{"layout":"gallery","future":1}"#).unwrap();
    c.update_meeting_livestream_status(meeting, Action::Start, Some(&settings))
        .unwrap();
    let unknown = LivestreamSettings::from_json(r#"{"future":1}"#).unwrap();
    c.update_webinar_livestream_status(webinar, Action::Start, Some(&unknown))
        .unwrap();
    assert_eq!(api_requests(&emu).len(), 2);
}
