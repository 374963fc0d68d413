//! Where a live stream goes: the update sent (`LivestreamUpdate`) and the
//! configuration read back (`Livestream`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::validate::{check_http_url, check_text};
use crate::error::{Error, Result};
use crate::secret::Secret;

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
///
/// Each field is `None` when Zoom's answer lacks it (or holds `null` or a non-string),
/// and `Some("")` when Zoom sent an empty string. Serialising it (serde) gives Zoom's
/// own shape, `{"stream_url":..,"stream_key":..,"page_url":..,"resolution":..}` with
/// `null` for a missing field, and reveals the stream key: it is the caller's own data,
/// and this is the one place it is shown. `Debug` prints the key as `***`.
#[derive(Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Livestream {
    /// The streaming endpoint URL.
    #[serde(default, deserialize_with = "text_or_none")]
    pub stream_url: Option<String>,
    /// The stream key; read it with [`Livestream::stream_key`] or `Secret::expose`.
    #[serde(
        default,
        deserialize_with = "secret_or_none",
        serialize_with = "reveal_secret"
    )]
    pub stream_key: Option<Secret>,
    /// The page where viewers watch the stream.
    #[serde(default, deserialize_with = "text_or_none")]
    pub page_url: Option<String>,
    /// The resolution, when Zoom reports one.
    #[serde(default, deserialize_with = "text_or_none")]
    pub resolution: Option<String>,
}

/// A string field of Zoom's answer; anything else (`null`, a number) counts as missing.
fn text_or_none<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

fn secret_or_none<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Secret>, D::Error> {
    text_or_none(d).map(|t| t.map(Secret::new))
}

fn reveal_secret<S: Serializer>(
    key: &Option<Secret>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    key.as_ref().map(Secret::expose).serialize(s)
}

impl Livestream {
    /// Reads Zoom's JSON answer, which must be an object.
    pub(crate) fn from_json_bytes(bytes: &[u8]) -> std::result::Result<Self, String> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|e| format!("the live stream answer is not JSON: {e}"))?;
        if !value.is_object() {
            return Err("the live stream answer is not a JSON object".into());
        }
        Livestream::deserialize(value)
            .map_err(|e| format!("the live stream answer is not valid: {e}"))
    }

    /// The stream key as Zoom returned it (`None` when the answer had none).
    pub fn stream_key(&self) -> Option<&str> {
        self.stream_key.as_ref().map(Secret::expose)
    }

    /// The configuration as Zoom's JSON object (stream key included), as the C API's
    /// GET and the CLI's `--output json` give it.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl fmt::Debug for Livestream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Livestream")
            .field("stream_url", &self.stream_url)
            .field("stream_key", &self.stream_key)
            .field("page_url", &self.page_url)
            .field("resolution", &self.resolution)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<impl fmt::Debug>) -> &'static str {
        r.unwrap_err().field().expect("an input error")
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

    #[test]
    fn livestream_keeps_missing_and_empty_apart() {
        let ls = Livestream::from_json_bytes(
            br#"{"stream_url":"rtmp://x/live","stream_key":"","page_url":null,"resolution":7}"#,
        )
        .unwrap();
        assert_eq!(ls.stream_url.as_deref(), Some("rtmp://x/live"));
        assert_eq!(ls.stream_key(), Some(""));
        assert_eq!(ls.page_url, None);
        assert_eq!(ls.resolution, None);
        assert_eq!(
            ls.to_json(),
            serde_json::json!({"stream_url":"rtmp://x/live","stream_key":"","page_url":null,"resolution":null})
        );
        let keyed = Livestream::from_json_bytes(br#"{"stream_key":"sk-live-1234"}"#).unwrap();
        assert!(!format!("{keyed:?}").contains("sk-live"));
        assert_eq!(keyed.to_json()["stream_key"], "sk-live-1234");
        for bad in [&b"[1]"[..], b"not json", b"\"null\""] {
            assert!(Livestream::from_json_bytes(bad).is_err());
        }
    }
}
