//! Validated values: meeting and webinar ids, the start/stop action, live-stream
//! settings and stream details. Once built, a value is known to be sendable.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Refuses control characters (CR, LF, NUL, ...), which could split headers or parts.
pub(crate) fn check_no_controls(field: &'static str, value: &str) -> Result<()> {
    match value.chars().find(|c| c.is_control()) {
        Some(c) => Err(Error::input(
            field,
            format!("contains the control character U+{:04X}", c as u32),
        )),
        None => Ok(()),
    }
}

fn parse_id(field: &'static str, text: &str) -> Result<u64> {
    if text.is_empty() {
        return Err(Error::input(field, "is empty"));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::input(
            field,
            "must be a decimal number (ASCII digits only, no sign or spaces)",
        ));
    }
    let id: u64 = text.parse().map_err(|_| {
        Error::input(
            field,
            "does not fit in 64 bits (largest is 18446744073709551615)",
        )
    })?;
    check_id(field, id)
}

fn check_id(field: &'static str, id: u64) -> Result<u64> {
    if id == 0 {
        return Err(Error::input(field, "must be greater than zero"));
    }
    Ok(id)
}

macro_rules! zoom_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u64);

        impl $name {
            /// Parses a decimal id (ASCII digits, fitting in 64 bits, not zero).
            pub fn parse(text: &str) -> Result<Self> {
                parse_id($field, text).map($name)
            }

            /// Accepts a numeric id (anything but zero).
            pub fn new(id: u64) -> Result<Self> {
                check_id($field, id).map($name)
            }

            /// The id as a number.
            pub fn get(self) -> u64 {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                Self::parse(s)
            }
        }

        impl TryFrom<u64> for $name {
            type Error = Error;
            fn try_from(id: u64) -> Result<Self> {
                Self::new(id)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(s: &str) -> Result<Self> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

zoom_id!(
    /// A Zoom meeting id: a positive 64-bit integer (Zoom ids can exceed 10 digits).
    MeetingId,
    "meeting_id"
);
zoom_id!(
    /// A Zoom webinar id: a positive 64-bit integer.
    WebinarId,
    "webinar_id"
);

/// Start or stop a live stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Start the live stream.
    Start,
    /// Stop the live stream.
    Stop,
}

impl Action {
    /// Parses `start` or `stop` in any letter case (Zoom itself wants lower case,
    /// which is what is sent).
    pub fn parse(text: &str) -> Result<Self> {
        if text.eq_ignore_ascii_case("start") {
            Ok(Action::Start)
        } else if text.eq_ignore_ascii_case("stop") {
            Ok(Action::Stop)
        } else if text.len() > 5
            && text
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("start"))
        {
            Err(Error::input(
                "action",
                "must be \"start\" or \"stop\"; it starts with \"start\" but has more after it \
                 (a settings value glued onto the action?)",
            ))
        } else {
            Err(Error::input("action", "must be \"start\" or \"stop\""))
        }
    }

    /// The wire form: `start` or `stop`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Stop => "stop",
        }
    }
}

impl FromStr for Action {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The longest `display_name` Zoom accepts, in characters.
pub const DISPLAY_NAME_MAX_CHARS: usize = 50;
/// The largest `settings` JSON text accepted, in bytes (Zoom's settings are a few
/// short fields; anything near this is a mistake, and is refused before sending).
pub const SETTINGS_MAX_BYTES: usize = 16 * 1024;
/// The deepest nesting accepted inside `settings` (unknown keys pass through, but not
/// arbitrarily deep structures).
const SETTINGS_MAX_DEPTH: usize = 8;

/// Live-stream settings sent with a status update: a JSON object whose known keys
/// (`active_speaker_name`, `display_name`, `layout`, `close_caption`) are checked and
/// whose other keys pass through unchanged (Zoom adds fields).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LivestreamSettings(Map<String, Value>);

impl LivestreamSettings {
    /// No settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses settings from JSON text, which must be one JSON object.
    pub fn from_json(text: &str) -> Result<Self> {
        if text.len() > SETTINGS_MAX_BYTES {
            return Err(Error::input(
                "settings",
                format!(
                    "is {} bytes long; at most {SETTINGS_MAX_BYTES} are accepted",
                    text.len()
                ),
            ));
        }
        let trimmed = text.trim_start();
        if !trimmed.starts_with('{') {
            let reason = if trimmed.starts_with("start{") || trimmed.starts_with("stop{") {
                "must be a JSON object, but the action is glued in front of it \
                 (\"start{...}\"): pass only the {...} part"
                    .to_owned()
            } else {
                "must be a JSON object ({...})".to_owned()
            };
            return Err(Error::input("settings", reason));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| Error::input("settings", format!("is not valid JSON: {e}")))?;
        Self::from_value(value)
    }

    /// Takes settings from a JSON value, which must be an object.
    pub fn from_value(value: Value) -> Result<Self> {
        match value {
            Value::Object(map) => Self::from_map(map),
            _ => Err(Error::input("settings", "must be a JSON object ({...})")),
        }
    }

    /// Takes settings from a JSON object, checking the known keys.
    pub fn from_map(map: Map<String, Value>) -> Result<Self> {
        let size = Value::Object(map.clone()).to_string().len();
        if size > SETTINGS_MAX_BYTES {
            return Err(Error::input(
                "settings",
                format!("is {size} bytes long as JSON; at most {SETTINGS_MAX_BYTES} are accepted"),
            ));
        }
        for (key, value) in &map {
            check_no_controls("settings", key)?;
            match key.as_str() {
                "active_speaker_name" if !value.is_boolean() => {
                    return Err(Error::input(
                        "settings.active_speaker_name",
                        "must be true or false",
                    ));
                }
                "display_name" => check_display_name(value)?,
                "layout" => check_string("settings.layout", value)?,
                "close_caption" => check_string("settings.close_caption", value)?,
                _ => check_nested(value, 1)?,
            }
        }
        Ok(LivestreamSettings(map))
    }

    /// Sets `active_speaker_name`.
    pub fn active_speaker_name(mut self, on: bool) -> Self {
        self.0.insert("active_speaker_name".into(), Value::Bool(on));
        self
    }

    /// Sets `display_name` (1 to 50 characters).
    pub fn display_name(mut self, name: &str) -> Result<Self> {
        let value = Value::String(name.to_owned());
        check_display_name(&value)?;
        self.0.insert("display_name".into(), value);
        Ok(self)
    }

    /// Sets `layout` (meetings only).
    pub fn layout(mut self, layout: &str) -> Result<Self> {
        let value = Value::String(layout.to_owned());
        check_string("settings.layout", &value)?;
        self.0.insert("layout".into(), value);
        Ok(self)
    }

    /// Sets `close_caption` (meetings only).
    pub fn close_caption(mut self, mode: &str) -> Result<Self> {
        let value = Value::String(mode.to_owned());
        check_string("settings.close_caption", &value)?;
        self.0.insert("close_caption".into(), value);
        Ok(self)
    }

    /// Sets each known key given (as the CLI's and Python's keyword arguments do),
    /// on top of the settings already held; `None` leaves a key as it is.
    pub fn with_fields(
        self,
        active_speaker_name: Option<bool>,
        display_name: Option<&str>,
        layout: Option<&str>,
        close_caption: Option<&str>,
    ) -> Result<Self> {
        let mut s = match active_speaker_name {
            Some(on) => self.active_speaker_name(on),
            None => self,
        };
        if let Some(name) = display_name {
            s = s.display_name(name)?;
        }
        if let Some(layout) = layout {
            s = s.layout(layout)?;
        }
        if let Some(mode) = close_caption {
            s = s.close_caption(mode)?;
        }
        Ok(s)
    }

    /// True when no setting is present (nothing is sent then).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The settings as a JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// The settings as compact JSON text, as the `settings` form part carries them.
    pub fn to_json(&self) -> String {
        Value::Object(self.0.clone()).to_string()
    }
}

fn check_display_name(value: &Value) -> Result<()> {
    const FIELD: &str = "settings.display_name";
    let Some(name) = value.as_str() else {
        return Err(Error::input(FIELD, "must be a string"));
    };
    let chars = name.chars().count();
    if chars == 0 {
        return Err(Error::input(FIELD, "must not be empty"));
    }
    if chars > DISPLAY_NAME_MAX_CHARS {
        return Err(Error::input(
            FIELD,
            format!("is {chars} characters long; Zoom allows at most {DISPLAY_NAME_MAX_CHARS}"),
        ));
    }
    check_no_controls(FIELD, name)
}

fn check_string(field: &'static str, value: &Value) -> Result<()> {
    match value.as_str() {
        Some(s) => check_no_controls(field, s),
        None => Err(Error::input(field, "must be a string")),
    }
}

fn check_nested(value: &Value, depth: usize) -> Result<()> {
    if depth > SETTINGS_MAX_DEPTH {
        return Err(Error::input(
            "settings",
            format!("nests deeper than {SETTINGS_MAX_DEPTH} levels"),
        ));
    }
    match value {
        Value::String(s) => check_no_controls("settings", s),
        Value::Array(items) => items.iter().try_for_each(|v| check_nested(v, depth + 1)),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            check_no_controls("settings", k)?;
            check_nested(v, depth + 1)
        }),
        _ => Ok(()),
    }
}

/// The stream resolution of a live stream update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// `720p`
    P720,
    /// `1080p`
    P1080,
}

impl Resolution {
    /// Parses `720p` or `1080p` (any letter case).
    pub fn parse(text: &str) -> Result<Self> {
        if text.eq_ignore_ascii_case("720p") {
            Ok(Resolution::P720)
        } else if text.eq_ignore_ascii_case("1080p") {
            Ok(Resolution::P1080)
        } else {
            Err(Error::input("resolution", "must be \"720p\" or \"1080p\""))
        }
    }

    /// The wire form: `720p` or `1080p`.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::P720 => "720p",
            Resolution::P1080 => "1080p",
        }
    }
}

impl FromStr for Resolution {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

/// Longest `stream_url` Zoom accepts, in characters.
pub const STREAM_URL_MAX: usize = 1024;
/// Longest `stream_key` Zoom accepts, in characters.
pub const STREAM_KEY_MAX: usize = 512;
/// Longest `page_url` Zoom accepts, in characters.
pub const PAGE_URL_MAX: usize = 1024;

fn check_text(field: &'static str, value: &str, max: usize) -> Result<()> {
    if value.is_empty() {
        return Err(Error::input(field, "is required and must not be empty"));
    }
    let chars = value.chars().count();
    if chars > max {
        return Err(Error::input(
            field,
            format!("is {chars} characters long; Zoom allows at most {max}"),
        ));
    }
    check_no_controls(field, value)
}

/// Checks that `url` is an absolute `http://` or `https://` URL with a host.
pub(crate) fn check_http_url(field: &'static str, url: &str) -> Result<()> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err(Error::input(
            field,
            "must be an absolute http:// or https:// URL",
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(Error::input(field, "must name a host after the scheme"));
    }
    if url.contains(char::is_whitespace) {
        return Err(Error::input(field, "must not contain spaces"));
    }
    Ok(())
}

/// Where to send a live stream: the body of `PATCH .../livestream`.
#[derive(Clone, PartialEq)]
pub struct LivestreamUpdate {
    stream_url: String,
    stream_key: Secret,
    page_url: String,
    resolution: Option<Resolution>,
}

impl LivestreamUpdate {
    /// Checks and holds the three required fields: `stream_url` (≤ 1024 characters),
    /// `stream_key` (≤ 512) and `page_url` (an absolute http(s) URL, ≤ 1024).
    pub fn new(stream_url: &str, stream_key: &str, page_url: &str) -> Result<Self> {
        check_text("stream_url", stream_url, STREAM_URL_MAX)?;
        check_text("stream_key", stream_key, STREAM_KEY_MAX)?;
        check_text("page_url", page_url, PAGE_URL_MAX)?;
        check_http_url("page_url", page_url)?;
        Ok(LivestreamUpdate {
            stream_url: stream_url.to_owned(),
            stream_key: Secret::new(stream_key),
            page_url: page_url.to_owned(),
            resolution: None,
        })
    }

    /// As [`new`](Self::new), with the resolution given as text (`None`: not sent).
    pub fn with_optional_resolution(
        stream_url: &str,
        stream_key: &str,
        page_url: &str,
        resolution: Option<&str>,
    ) -> Result<Self> {
        let update = Self::new(stream_url, stream_key, page_url)?;
        Ok(match resolution {
            Some(r) => update.with_resolution(Resolution::parse(r)?),
            None => update,
        })
    }

    /// Adds the optional resolution.
    pub fn with_resolution(mut self, resolution: Resolution) -> Self {
        self.resolution = Some(resolution);
        self
    }

    /// The streaming endpoint URL.
    pub fn stream_url(&self) -> &str {
        &self.stream_url
    }

    /// The stream key (kept out of `Debug`).
    pub fn stream_key(&self) -> &str {
        self.stream_key.expose()
    }

    /// The page where viewers watch the stream.
    pub fn page_url(&self) -> &str {
        &self.page_url
    }

    /// The requested resolution, if any.
    pub fn resolution(&self) -> Option<Resolution> {
        self.resolution
    }
}

impl fmt::Debug for LivestreamUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LivestreamUpdate")
            .field("stream_url", &self.stream_url)
            .field("stream_key", &self.stream_key)
            .field("page_url", &self.page_url)
            .field("resolution", &self.resolution)
            .finish()
    }
}

/// A live stream's configuration, as `GET .../livestream` returns it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Livestream {
    /// The streaming endpoint URL.
    pub stream_url: String,
    /// The stream key (printed as `***` by `Debug`).
    pub stream_key: String,
    /// The page where viewers watch the stream.
    pub page_url: String,
    /// The resolution, when Zoom reports one.
    pub resolution: Option<String>,
}

impl Livestream {
    pub(crate) fn from_json(value: &Value) -> Result<Self, String> {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        if !value.is_object() {
            return Err("the live stream answer is not a JSON object".into());
        }
        Ok(Livestream {
            stream_url: text("stream_url").unwrap_or_default(),
            stream_key: text("stream_key").unwrap_or_default(),
            page_url: text("page_url").unwrap_or_default(),
            resolution: text("resolution"),
        })
    }
}

impl fmt::Debug for Livestream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Livestream")
            .field("stream_url", &self.stream_url)
            .field("stream_key", &"***")
            .field("page_url", &self.page_url)
            .field("resolution", &self.resolution)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn field_of(r: Result<impl fmt::Debug>) -> &'static str {
        r.unwrap_err().field().expect("an input error")
    }

    #[test]
    fn ids_of_1_11_and_20_digits_parse() {
        assert_eq!(MeetingId::parse("7").unwrap().get(), 7);
        assert_eq!(
            MeetingId::parse("91234567890").unwrap().get(),
            91_234_567_890
        );
        assert_eq!(
            WebinarId::parse("18446744073709551615").unwrap().get(),
            u64::MAX
        );
        assert_eq!(MeetingId::new(68423085).unwrap().to_string(), "68423085");
    }

    #[test]
    fn bad_ids_are_input_errors() {
        for bad in [
            "",
            "18446744073709551616",
            "99999999999999999999999",
            "-5",
            "+5",
            " 5",
            "5 ",
            "12a",
            "123/../../users",
            "%2e%2e",
            "١٢٣",
            "0",
        ] {
            let err = MeetingId::parse(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}");
            assert_eq!(err.field(), Some("meeting_id"));
        }
        assert_eq!(field_of(WebinarId::new(0)), "webinar_id");
        assert!(
            MeetingId::parse("18446744073709551616")
                .unwrap_err()
                .to_string()
                .contains("64 bits")
        );
    }

    #[test]
    fn action_accepts_any_case_and_sends_lowercase() {
        assert_eq!(Action::parse("START").unwrap().as_str(), "start");
        assert_eq!(Action::parse("Stop").unwrap(), Action::Stop);
        assert_eq!(field_of(Action::parse("pause")), "action");
        assert_eq!(field_of(Action::parse("")), "action");
        let glued = Action::parse("start{\"a\":1}").unwrap_err().to_string();
        assert!(glued.contains("glued"), "{glued}");
        // Found by the property tests: a multi-byte character across byte 5.
        assert_eq!(field_of(Action::parse("𑰔ⷃ6")), "action");
    }

    #[test]
    fn the_seeds_corrupted_settings_are_refused_with_the_reason() {
        let err = LivestreamSettings::from_json(
            r#"start{"active_speaker_name":false,"display_name":"dolore ullamco irur"}"#,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("settings"));
        let text = err.to_string();
        assert!(
            text.contains("JSON object") && text.contains("start{"),
            "{text}"
        );
    }

    #[test]
    fn settings_check_known_keys_and_pass_unknown_ones() {
        let s = LivestreamSettings::from_json(
            r#"{"active_speaker_name":false,"display_name":"dolore ullamco irur","future":{"x":[1]}}"#,
        )
        .unwrap();
        assert_eq!(s.as_map().len(), 3);
        assert_eq!(
            field_of(LivestreamSettings::from_json(
                r#"{"active_speaker_name":"no"}"#
            )),
            "settings.active_speaker_name"
        );
        assert_eq!(
            field_of(LivestreamSettings::from_json(r#"{"display_name":7}"#)),
            "settings.display_name"
        );
        assert_eq!(
            field_of(LivestreamSettings::from_json(r#"{"layout":1}"#)),
            "settings.layout"
        );
        assert_eq!(
            field_of(LivestreamSettings::from_json(r#"{"close_caption":[]}"#)),
            "settings.close_caption"
        );
        for bad in ["[1]", "\"x\"", "12", "null", "{", "{\"a\":1} trailing"] {
            assert_eq!(
                field_of(LivestreamSettings::from_json(bad)),
                "settings",
                "{bad}"
            );
        }
        let deep = format!(
            "{}{}",
            "{\"a\":".repeat(40),
            "1".to_owned() + &"}".repeat(40)
        );
        let err = LivestreamSettings::from_json(&deep)
            .unwrap_err()
            .to_string();
        assert!(err.contains("nests deeper"), "{err}");
    }

    #[test]
    fn display_name_is_counted_in_characters() {
        let fifty = "é".repeat(50);
        let fifty_one = "é".repeat(51);
        assert!(LivestreamSettings::new().display_name(&fifty).is_ok());
        let err = LivestreamSettings::new()
            .display_name(&fifty_one)
            .unwrap_err();
        assert!(err.to_string().contains("51 characters"));
        assert!(LivestreamSettings::new().display_name("").is_err());
        assert!(LivestreamSettings::new().display_name("a\r\nb").is_err());
        assert!(
            LivestreamSettings::new()
                .display_name("Zoë – café ✓")
                .is_ok()
        );
    }

    #[test]
    fn stream_update_limits() {
        let ok = LivestreamUpdate::new(
            "rtmp://a.rtmp.youtube.com/live2",
            "abcd-efgh-ijkl-mnop",
            "https://example.com/live/68423085?x=a+b&y=c",
        )
        .unwrap();
        assert!(!format!("{ok:?}").contains("abcd-efgh"));
        let long = "a".repeat(1025);
        assert_eq!(
            field_of(LivestreamUpdate::new(&long, "k", "https://e.x")),
            "stream_url"
        );
        assert_eq!(
            field_of(LivestreamUpdate::new("u", &"k".repeat(513), "https://e.x")),
            "stream_key"
        );
        assert!(LivestreamUpdate::new("u", &"k".repeat(512), "https://e.x").is_ok());
        for bad_page in [
            "auteofficiahttps://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi",
            "ftp://x",
            "https://",
            "",
            "https://a b",
        ] {
            assert_eq!(
                field_of(LivestreamUpdate::new("u", "k", bad_page)),
                "page_url",
                "{bad_page}"
            );
        }
        assert_eq!(
            field_of(LivestreamUpdate::new("u\r\nX: y", "k", "https://e.x")),
            "stream_url"
        );
        assert_eq!(field_of(Resolution::parse("4k")), "resolution");
        assert_eq!(Resolution::parse("1080P").unwrap().as_str(), "1080p");
    }
}
