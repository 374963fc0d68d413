//! Live-stream settings sent with a status update: known keys checked, others passed on.

use serde_json::{Map, Value};

use super::ids::OwnerKind;
use super::validate::check_no_controls;
use crate::error::{Error, Result};

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

    /// Checks that the known keys held apply to this kind of owner: `layout` and
    /// `close_caption` are meeting settings (Zoom documents only `active_speaker_name`
    /// and `display_name` for webinars). Unknown keys pass for both.
    pub fn check_for(&self, kind: OwnerKind) -> Result<()> {
        if kind == OwnerKind::Webinar {
            for key in ["layout", "close_caption"] {
                if self.0.contains_key(key) {
                    return Err(Error::input(
                        if key == "layout" {
                            "settings.layout"
                        } else {
                            "settings.close_caption"
                        },
                        "applies to meetings only; Zoom's webinar live-stream settings are \
                         active_speaker_name and display_name",
                    ));
                }
            }
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<impl std::fmt::Debug>) -> &'static str {
        r.unwrap_err().field().expect("an input error")
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
}
