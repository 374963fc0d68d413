//! Faults queued through the control API: what the next matching request gets
//! instead of the normal answer, and how each is played.

use std::collections::BTreeMap;
use std::io;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::Response;
use hyper::body::Frame;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::config::Config;
use super::refusal::Refusal;
use super::reply::{self, Body};

/// The daily limit a daily-limit fault states when the emulator has none configured
/// (Zoom's daily limit for a free account's light calls).
const DEFAULT_DAILY_LIMIT: u64 = 6000;

/// A misbehaviour for the next request(s) whose path contains `path` (all, when empty).
///
/// JSON form (every key optional, no other key allowed): `{"path": "/livestream",
/// "times": 1, "delay_ms": 0, "status": 503, "body": "...", "code": 1001,
/// "message": "...", "xml": false, "retry_after": "2" | 2 | "date:+2" | "iso:+2",
/// "headers": {"X-RateLimit-Type": "QPS"}, "drop": false, "truncate": false,
/// "hang": false, "body_size": 0, "close_idle_ms": 50,
/// "scopes": ["meeting:write:admin", "meeting:write"], "daily_limit": false,
/// "missing_user": "abc"}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fault {
    /// Applies only to requests whose path contains this.
    pub path: String,
    /// How many requests it applies to (at least 1).
    #[serde(deserialize_with = "at_least_once")]
    pub times: u32,
    /// Waits this long before answering (or dropping).
    pub delay_ms: u64,
    /// Answers with this status instead of the normal answer.
    #[serde(deserialize_with = "http_status")]
    pub status: Option<u16>,
    /// The body to send, as is.
    pub body: Option<String>,
    /// Builds a Zoom error body with this code (and `message`).
    pub code: Option<i64>,
    /// The Zoom error message.
    pub message: Option<String>,
    /// Sends the Zoom error as XML.
    pub xml: bool,
    /// A `Retry-After` value: seconds, `date:+N` for an HTTP date N seconds ahead, or
    /// `iso:+N` for an ISO 8601 date-time N seconds ahead.
    #[serde(deserialize_with = "number_or_text")]
    pub retry_after: Option<String>,
    /// Extra headers.
    #[serde(deserialize_with = "header_map")]
    pub headers: Vec<(String, String)>,
    /// Closes the connection without answering.
    pub drop: bool,
    /// Sends the status line, headers and part of the body, then resets the connection.
    pub truncate: bool,
    /// Never answers (holds the request for ten minutes).
    pub hang: bool,
    /// Sends a body of this many bytes (a huge answer).
    pub body_size: u64,
    /// Answers normally, then closes the connection this many ms later without
    /// warning the client (a server ending an idle keep-alive connection).
    pub close_idle_ms: Option<u64>,
    /// Answers Zoom's scope error naming these scopes: HTTP 400, code 4700
    /// `Invalid access token, does not contain scopes:[a, b].` (`status` and `code`
    /// may change the first two, e.g. to code 4711).
    pub scopes: Vec<String>,
    /// Answers Zoom's daily-limit 429: `X-RateLimit-Type: Daily-limit`,
    /// `X-RateLimit-Remaining: 0` and `Retry-After` at the next 00:00 UTC.
    pub daily_limit: bool,
    /// Answers HTTP 400, code 1001 `User does not exist: {missing_user}.`
    pub missing_user: Option<String>,
}

fn at_least_once<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(u64::deserialize(d)?.clamp(1, u64::from(u32::MAX)) as u32)
}

fn http_status<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    match Option::<u64>::deserialize(d)? {
        Some(s) if (100..=599).contains(&s) => Ok(Some(s as u16)),
        Some(_) => Err(serde::de::Error::custom("status must be 100..599")),
        None => Ok(None),
    }
}

fn number_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s),
        _ => None,
    })
}

fn header_map<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    let map = BTreeMap::<String, Value>::deserialize(d)?;
    Ok(map
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect())
}

impl Fault {
    /// A fault answering `status` with a Zoom-shaped JSON error.
    pub fn status(status: u16, code: i64, message: &str) -> Self {
        Fault {
            status: Some(status),
            code: Some(code),
            message: Some(message.to_owned()),
            ..Fault::default()
        }
    }

    /// A fault answering Zoom's scope error (HTTP 400, code 4700) naming `scopes`.
    pub fn missing_scopes(scopes: &[&str]) -> Self {
        Fault {
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            ..Fault::default()
        }
    }

    /// A fault answering Zoom's daily-limit 429.
    pub fn daily_limit() -> Self {
        Fault {
            daily_limit: true,
            ..Fault::default()
        }
    }

    /// Reads the JSON form.
    pub fn from_json(v: &Value) -> Result<Fault, String> {
        if !v.is_object() {
            return Err("a fault must be a JSON object".into());
        }
        Fault::deserialize(v).map_err(|e| e.to_string())
    }

    /// The Zoom refusal it answers, if it names one.
    fn refusal(&self, config: &Config) -> Option<Refusal> {
        if !self.scopes.is_empty() {
            Some(Refusal::MissingScopes(self.scopes.clone()))
        } else if self.daily_limit {
            let limit = config.daily_limit.unwrap_or(DEFAULT_DAILY_LIMIT);
            Some(Refusal::DailyLimit(limit))
        } else {
            self.missing_user.clone().map(Refusal::UserNotFound)
        }
    }

    /// Plays the fault: `Ok(None)` lets the normal answer follow (a pure delay), an
    /// error drops the connection.
    pub(crate) async fn play(
        &self,
        config: &Config,
        xml: bool,
    ) -> io::Result<Option<Response<Body>>> {
        if self.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(self.delay_ms)).await;
        }
        if self.hang {
            tokio::time::sleep(Duration::from_secs(600)).await;
            return Err(io::Error::other("fault: hung request released"));
        }
        if self.drop {
            return Err(io::Error::other("fault: connection dropped"));
        }
        let refusal = self.refusal(config);
        let answers = self.status.is_some()
            || self.body.is_some()
            || self.truncate
            || self.body_size > 0
            || refusal.is_some();
        if !answers {
            return Ok(None);
        }
        let status = self.status.unwrap_or(200);
        let xml = xml || self.xml;
        let mut resp = if self.truncate {
            truncated(status)
        } else if self.body_size > 0 {
            huge(status, self.body_size)
        } else if let Some(body) = &self.body {
            reply::with_status(status, "application/json", reply::full(body.clone()))
        } else if let Some(refusal) = refusal {
            let (status, code) = refusal.status_and_code(config);
            let (status, code) = (self.status.unwrap_or(status), self.code.unwrap_or(code));
            refusal.answer_as(config, status, code, xml)
        } else if let Some(code) = self.code {
            let message = self.message.as_deref().unwrap_or("");
            reply::zoom_error(status, code, message, &[], xml)
        } else {
            reply::empty(status)
        };
        if let Some(spec) = &self.retry_after {
            reply::set_header(&mut resp, "retry-after", &reply::retry_after(spec));
        }
        for (name, value) in &self.headers {
            reply::set_header(&mut resp, name, value);
        }
        Ok(Some(resp))
    }
}

/// The status line, headers and the start of a body, then a reset connection.
fn truncated(status: u16) -> Response<Body> {
    let frames: Vec<Result<Frame<Bytes>, io::Error>> = vec![
        Ok(Frame::data(Bytes::from_static(b"{\"code\":"))),
        Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "fault: truncated",
        )),
    ];
    let body = BodyExt::boxed(StreamBody::new(futures_util::stream::iter(frames)));
    let mut resp = reply::with_status(status, "application/json", body);
    reply::set_header(&mut resp, "content-length", "1000");
    resp
}

/// A body of `total` bytes, sent in 64 KiB chunks.
fn huge(status: u16, total: u64) -> Response<Body> {
    const CHUNK: u64 = 64 * 1024;
    let chunks = futures_util::stream::unfold(0u64, move |sent| async move {
        (sent < total).then(|| {
            let n = (total - sent).min(CHUNK);
            let data = Bytes::from(vec![b'x'; n as usize]);
            (Ok::<_, io::Error>(Frame::data(data)), sent + n)
        })
    });
    let body = BodyExt::boxed(StreamBody::new(chunks));
    let mut resp = reply::with_status(status, "text/plain", body);
    reply::set_header(&mut resp, "content-length", &total.to_string());
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_json_form_reads_every_key() {
        let f = Fault::from_json(&json!({
            "path": "/status", "times": 0, "status": 429, "retry_after": 2,
            "headers": {"X-RateLimit-Limit": 30, "X-RateLimit-Type": "QPS"},
            "scopes": ["meeting:write"], "close_idle_ms": 5
        }))
        .unwrap();
        assert_eq!(
            (f.path.as_str(), f.times, f.status),
            ("/status", 1, Some(429))
        );
        assert_eq!(f.retry_after.as_deref(), Some("2"));
        assert_eq!(
            f.headers,
            [
                ("X-RateLimit-Limit".to_owned(), "30".to_owned()),
                ("X-RateLimit-Type".to_owned(), "QPS".to_owned())
            ]
        );
        assert_eq!((f.scopes.len(), f.close_idle_ms), (1, Some(5)));
    }

    #[test]
    fn bad_faults_are_refused_with_a_reason() {
        let err = |v: Value| Fault::from_json(&v).unwrap_err();
        assert!(err(json!({"status": 99})).contains("100..599"));
        assert!(err(json!({"retry-after": 1})).contains("unknown field"));
        assert!(err(json!({"times": "2"})).contains("invalid type"));
        assert!(err(json!([])).contains("object"));
    }
}
