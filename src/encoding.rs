//! Request bodies: the same fields as `multipart/form-data` (what the seeds send) or
//! as `application/json` (what Zoom's OpenAPI lists).

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::{Action, LivestreamSettings, LivestreamUpdate};

/// How request bodies are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BodyEncoding {
    /// `multipart/form-data`, one text part per field; `settings` is JSON text.
    #[default]
    Multipart,
    /// `application/json`, one object; `settings` is a nested object.
    Json,
}

impl BodyEncoding {
    /// Parses `multipart` or `json` (any letter case).
    pub fn parse(text: &str) -> Result<Self> {
        if text.eq_ignore_ascii_case("multipart") || text.eq_ignore_ascii_case("form") {
            Ok(BodyEncoding::Multipart)
        } else if text.eq_ignore_ascii_case("json") {
            Ok(BodyEncoding::Json)
        } else {
            Err(Error::input(
                "encoding",
                "must be \"multipart\" or \"json\"",
            ))
        }
    }

    /// `multipart` or `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyEncoding::Multipart => "multipart",
            BodyEncoding::Json => "json",
        }
    }
}

impl FromStr for BodyEncoding {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl fmt::Display for BodyEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field of a request body, before encoding.
pub(crate) enum FieldValue {
    Text(String),
    Object(Map<String, Value>),
}

/// The fields of a request body, in the order they are sent.
pub(crate) struct Fields(Vec<(&'static str, FieldValue)>);

impl Fields {
    /// `action` and, when there are any, `settings`.
    pub fn status(action: Action, settings: Option<&LivestreamSettings>) -> Self {
        let mut fields = vec![("action", FieldValue::Text(action.as_str().to_owned()))];
        if let Some(s) = settings.filter(|s| !s.is_empty()) {
            fields.push(("settings", FieldValue::Object(s.as_map().clone())));
        }
        Fields(fields)
    }

    /// `stream_url`, `stream_key`, `page_url` and, when set, `resolution`.
    pub fn stream(update: &LivestreamUpdate) -> Self {
        let text = |s: &str| FieldValue::Text(s.to_owned());
        let mut fields = vec![
            ("stream_url", text(update.stream_url())),
            ("stream_key", text(update.stream_key())),
            ("page_url", text(update.page_url())),
        ];
        if let Some(r) = update.resolution() {
            fields.push(("resolution", text(r.as_str())));
        }
        Fields(fields)
    }

    /// The fields as text parts (objects as compact JSON text).
    pub fn as_parts(&self) -> Vec<(&'static str, String)> {
        self.0
            .iter()
            .map(|(name, value)| {
                let text = match value {
                    FieldValue::Text(t) => t.clone(),
                    FieldValue::Object(o) => Value::Object(o.clone()).to_string(),
                };
                (*name, text)
            })
            .collect()
    }

    /// The fields as one JSON object, serialised.
    pub fn to_json(&self) -> String {
        let mut obj = Map::new();
        for (name, value) in &self.0 {
            let v = match value {
                FieldValue::Text(t) => Value::String(t.clone()),
                FieldValue::Object(o) => Value::Object(o.clone()),
            };
            obj.insert((*name).to_owned(), v);
        }
        Value::Object(obj).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_in_both_forms() {
        let settings = LivestreamSettings::new()
            .active_speaker_name(false)
            .display_name("dolore ullamco irur")
            .unwrap();
        let f = Fields::status(Action::Start, Some(&settings));
        assert_eq!(
            f.as_parts(),
            vec![
                ("action", "start".to_owned()),
                (
                    "settings",
                    r#"{"active_speaker_name":false,"display_name":"dolore ullamco irur"}"#
                        .to_owned()
                )
            ]
        );
        let json: Value = serde_json::from_str(&f.to_json()).unwrap();
        assert_eq!(json["settings"]["display_name"], "dolore ullamco irur");
        assert_eq!(json["action"], "start");
        assert_eq!(
            Fields::status(Action::Stop, Some(&LivestreamSettings::new()))
                .as_parts()
                .len(),
            1
        );
    }

    #[test]
    fn encoding_names() {
        assert_eq!(BodyEncoding::parse("JSON").unwrap(), BodyEncoding::Json);
        assert_eq!(
            BodyEncoding::parse("multipart").unwrap(),
            BodyEncoding::Multipart
        );
        assert_eq!(
            BodyEncoding::parse("xml").unwrap_err().field(),
            Some("encoding")
        );
    }
}
