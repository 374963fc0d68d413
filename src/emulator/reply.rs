//! Building the emulator's answers: Zoom-shaped JSON or XML errors, JSON, empty.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::Response;
use serde_json::{Value, json};

pub type Body = BoxBody<Bytes, std::io::Error>;

pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

pub fn empty(status: u16) -> Response<Body> {
    with_status(status, "", full(Bytes::new()))
}

pub fn json(status: u16, value: &Value) -> Response<Body> {
    with_status(
        status,
        "application/json;charset=UTF-8",
        full(value.to_string()),
    )
}

pub fn with_status(status: u16, content_type: &str, body: Body) -> Response<Body> {
    let mut builder = Response::builder().status(status);
    if !content_type.is_empty() {
        builder = builder.header("content-type", content_type);
    }
    builder.body(body).expect("valid status and header")
}

/// One entry of Zoom's `errors[]`.
pub fn field_error(field: &str, message: &str) -> Value {
    json!({"field": field, "message": message})
}

/// A Zoom error: `{"code","message","errors"?}` as JSON, or `<error>` XML.
pub fn zoom_error(
    status: u16,
    code: i64,
    message: &str,
    errors: Vec<Value>,
    xml: bool,
) -> Response<Body> {
    if xml {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><error><code>{code}</code><message>{}</message></error>",
            xml_escape(message)
        );
        return with_status(status, "application/xml;charset=UTF-8", full(body));
    }
    let mut value = json!({"code": code, "message": message});
    if !errors.is_empty() {
        value["errors"] = Value::Array(errors);
    }
    json(status, &value)
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `Retry-After` for `spec`: seconds as given, or `date:+N` as an HTTP date.
pub fn retry_after(spec: &str) -> String {
    match spec.strip_prefix("date:+") {
        Some(secs) => {
            let secs = secs.parse().unwrap_or(0);
            httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(secs))
        }
        None => spec.to_owned(),
    }
}
