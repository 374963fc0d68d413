//! Building the emulator's answers: Zoom-shaped JSON or XML errors, JSON, empty.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::Response;
use hyper::header::{HeaderName, HeaderValue};
use serde::Serialize;

use crate::exchange::retry_after::iso_8601;

/// The body type of every answer.
pub(crate) type Body = BoxBody<Bytes, std::io::Error>;

/// A body sent in one piece.
pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// An answer with no body (204, or a bare status).
pub(crate) fn empty(status: u16) -> Response<Body> {
    with_status(status, "", full(Bytes::new()))
}

/// An answer whose body is `value` as JSON.
pub(crate) fn json(status: u16, value: &impl Serialize) -> Response<Body> {
    let text = serde_json::to_string(value).expect("emulator answers serialise");
    with_status(status, "application/json;charset=UTF-8", full(text))
}

/// An answer with this status, `Content-Type` (none when empty) and body.
pub(crate) fn with_status(status: u16, content_type: &str, body: Body) -> Response<Body> {
    let mut builder = Response::builder().status(status);
    if !content_type.is_empty() {
        builder = builder.header("content-type", content_type);
    }
    builder.body(body).expect("valid status and header")
}

/// Sets a header, skipping a name or value HTTP cannot carry.
pub(crate) fn set_header(resp: &mut Response<Body>, name: &str, value: &str) {
    if let (Ok(n), Ok(v)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        resp.headers_mut().insert(n, v);
    }
}

/// One entry of Zoom's `errors[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FieldError {
    /// The field, e.g. `settings.display_name`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    /// `{"field": field, "message": message}`.
    pub fn new(field: &str, message: &str) -> Self {
        FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        }
    }
}

/// Zoom's JSON error body: `{"code","message","errors"?}`.
#[derive(Serialize)]
struct ZoomError<'a> {
    code: i64,
    message: &'a str,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
}

/// A Zoom error: `{"code","message","errors"?}` as JSON, or `<error>` XML.
pub(crate) fn zoom_error(
    status: u16,
    code: i64,
    message: &str,
    errors: &[FieldError],
    xml: bool,
) -> Response<Body> {
    if xml {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><error><code>{code}</code><message>{}</message></error>",
            xml_escape(message)
        );
        return with_status(status, "application/xml;charset=UTF-8", full(body));
    }
    json(
        status,
        &ZoomError {
            code,
            message,
            errors,
        },
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `Retry-After` for `spec`: seconds as given, `date:+N` for an HTTP date N seconds
/// ahead, `iso:+N` for an ISO 8601 date-time N seconds ahead (as Zoom sends for a
/// daily limit).
pub(crate) fn retry_after(spec: &str) -> String {
    let ahead = |secs: &str| SystemTime::now() + Duration::from_secs(secs.parse().unwrap_or(0));
    if let Some(secs) = spec.strip_prefix("date:+") {
        httpdate::fmt_http_date(ahead(secs))
    } else if let Some(secs) = spec.strip_prefix("iso:+") {
        iso_8601(ahead(secs))
    } else {
        spec.to_owned()
    }
}

/// The next 00:00:00 UTC, when Zoom's daily limits reset, in ISO 8601.
pub(crate) fn next_utc_midnight() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    iso_8601(UNIX_EPOCH + Duration::from_secs((secs / 86_400 + 1) * 86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_civil_dates() {
        let at = |secs: u64| iso_8601(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_717_113_599), "2024-05-30T23:59:59Z");
        assert_eq!(at(4_107_542_400), "2100-03-01T00:00:00Z");
        assert!(next_utc_midnight().ends_with("T00:00:00Z"));
    }
}
