//! Faults queued through the control API: what the next matching request gets
//! instead of the normal answer.

use serde_json::Value;

/// A misbehaviour for the next request(s) whose path contains `path` (all, when empty).
///
/// JSON form (every key optional): `{"path": "/livestream", "times": 1, "delay_ms": 0,
/// "status": 503, "body": "...", "code": 1001, "message": "...", "xml": false,
/// "retry_after": "2" | "date:+2", "headers": {"X-RateLimit-Type": "QPS"},
/// "drop": false, "truncate": false, "hang": false, "body_size": 0, "close_idle_ms": 50}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fault {
    /// Applies only to requests whose path contains this.
    pub path: String,
    /// How many requests it applies to (at least 1).
    pub times: u32,
    /// Waits this long before answering (or dropping).
    pub delay_ms: u64,
    /// Answers with this status instead of the normal answer.
    pub status: Option<u16>,
    /// The body to send, as is.
    pub body: Option<String>,
    /// Builds a Zoom error body with this code (and `message`).
    pub code: Option<i64>,
    /// The Zoom error message.
    pub message: Option<String>,
    /// Sends the Zoom error as XML.
    pub xml: bool,
    /// A `Retry-After` value: seconds, or `date:+N` for an HTTP date N seconds ahead.
    pub retry_after: Option<String>,
    /// Extra headers.
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

    /// Reads the JSON form.
    pub fn from_json(v: &Value) -> Result<Fault, String> {
        let obj = v.as_object().ok_or("a fault must be a JSON object")?;
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        let flag = |k: &str| obj.get(k).and_then(Value::as_bool).unwrap_or(false);
        let num = |k: &str| obj.get(k).and_then(Value::as_u64);
        let status = match num("status") {
            Some(s) if (100..=599).contains(&s) => Some(s as u16),
            Some(_) => return Err("status must be 100..599".into()),
            None => None,
        };
        let retry_after = match obj.get("retry_after") {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        let headers = obj
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Fault {
            path: text("path").unwrap_or_default(),
            times: num("times").unwrap_or(1).clamp(1, u32::MAX as u64) as u32,
            delay_ms: num("delay_ms").unwrap_or(0),
            status,
            body: text("body"),
            code: obj.get("code").and_then(Value::as_i64),
            message: text("message"),
            xml: flag("xml"),
            retry_after,
            headers,
            drop: flag("drop"),
            truncate: flag("truncate"),
            hang: flag("hang"),
            body_size: num("body_size").unwrap_or(0),
            close_idle_ms: num("close_idle_ms"),
        })
    }
}
