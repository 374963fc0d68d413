//! Request bodies: the same fields as `multipart/form-data` (what the seeds send) or
//! as `application/json` (what Zoom's OpenAPI lists).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::{Action, LivestreamSettings, LivestreamUpdate};
use crate::trace::event::FieldShown;

/// How request bodies are encoded.
///
/// The default, [`BodyEncoding::Auto`], sends what the legacy (Chilkat) code sends,
/// multipart, and switches to JSON, the only body Zoom's OpenAPI lists, the first time
/// Zoom refuses multipart as an unsupported content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BodyEncoding {
    /// Multipart first; when Zoom answers HTTP 415 (or a 4xx with code 300 saying the
    /// content type is not supported), the same call is sent once more as JSON and the
    /// client sends JSON from then on. Nothing was done by Zoom, so the resend is safe.
    #[default]
    Auto,
    /// `multipart/form-data`, one text part per field; `settings` is JSON text. Never
    /// falls back to JSON.
    Multipart,
    /// `application/json`, one object; `settings` is a nested object.
    Json,
}

impl BodyEncoding {
    /// Parses `auto`, `multipart` or `json` (any letter case).
    pub fn parse(text: &str) -> Result<Self> {
        if text.eq_ignore_ascii_case("auto") {
            Ok(BodyEncoding::Auto)
        } else if text.eq_ignore_ascii_case("multipart") || text.eq_ignore_ascii_case("form") {
            Ok(BodyEncoding::Multipart)
        } else if text.eq_ignore_ascii_case("json") {
            Ok(BodyEncoding::Json)
        } else {
            Err(Error::input(
                "encoding",
                "must be \"auto\", \"multipart\" or \"json\"",
            ))
        }
    }

    /// `auto`, `multipart` or `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyEncoding::Auto => "auto",
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

/// An encoded request body and its `Content-Type`, with its fields as the call's
/// trace shows them.
pub(crate) struct Body {
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub parts: Arc<[FieldShown]>,
}

/// The fields whose values a trace never shows.
const SECRET_FIELDS: [&str; 1] = ["stream_key"];

/// The fields as the trace shows them (the stream key by its size only).
fn traced(parts: Vec<(&'static str, String)>) -> Arc<[FieldShown]> {
    parts
        .into_iter()
        .map(|(name, text)| FieldShown {
            name,
            size: text.len(),
            value: (!SECRET_FIELDS.contains(&name)).then_some(text),
        })
        .collect()
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

    /// The body, encoded once per call (retries resend the same bytes). `Auto` encodes
    /// as multipart: the client decides when to send JSON instead.
    ///
    /// Multipart bodies come from ureq's own encoder, read into one buffer so the
    /// request goes out in one write instead of one per part.
    pub fn encode(&self, encoding: BodyEncoding) -> Body {
        match encoding {
            BodyEncoding::Json => Body {
                content_type: "application/json".to_owned(),
                bytes: self.to_json().into_bytes(),
                parts: traced(self.as_parts()),
            },
            BodyEncoding::Multipart | BodyEncoding::Auto => {
                use std::io::Read;
                let parts = self.as_parts();
                let mut form = parts.iter().fold(
                    ureq::unversioned::multipart::Form::new(),
                    |form, (name, value)| form.text(name, value),
                );
                let content_type = format!("multipart/form-data; boundary={}", form.boundary());
                let mut bytes = Vec::with_capacity(512);
                // Reading text parts from memory cannot fail.
                form.read_to_end(&mut bytes)
                    .expect("in-memory multipart body");
                drop(form);
                Body {
                    content_type,
                    bytes,
                    parts: traced(parts),
                }
            }
        }
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
    fn multipart_body_is_what_ureq_encodes() {
        let f = Fields::status(Action::Start, None);
        let body = f.encode(BodyEncoding::Multipart);
        let boundary = body
            .content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let text = String::from_utf8(body.bytes).unwrap();
        assert_eq!(
            text,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nstart\r\n--{boundary}--\r\n"
            )
        );
        let json = f.encode(BodyEncoding::Json);
        assert_eq!(
            (json.content_type.as_str(), json.bytes.as_slice()),
            ("application/json", &br#"{"action":"start"}"#[..])
        );
    }

    #[test]
    fn encoding_names() {
        assert_eq!(BodyEncoding::parse("JSON").unwrap(), BodyEncoding::Json);
        assert_eq!(BodyEncoding::parse("Auto").unwrap(), BodyEncoding::Auto);
        assert_eq!(BodyEncoding::default(), BodyEncoding::Auto);
        assert_eq!(BodyEncoding::Auto.to_string(), "auto");
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
