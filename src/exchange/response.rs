//! Reading Zoom's answers: error bodies (JSON, XML or anything else), the
//! headers worth keeping (`Retry-After` itself is read by `retry_after.rs`).

use std::time::SystemTime;

use serde_json::Value;

use super::retry_after::{parse_retry_after, stated_wait};
use crate::error::{ApiError, FieldError};
use crate::text::is_non_printing;

/// The most of a body that is read from an error answer; the rest is discarded.
pub(crate) const ERROR_BODY_LIMIT: u64 = 64 * 1024;
/// The longest body excerpt kept in a message when the body could not be parsed.
const EXCERPT_CHARS: usize = 200;

/// Fills `status`, `code`, `message`, `errors` and `oauth_error` from an error body.
///
/// JSON `{"code","message","errors"}` (and OAuth's `{"reason","error"}`), XML
/// `<error><code/><message/></error>`, or a printable excerpt of anything else.
pub fn parse_error_body(status: u16, body: &[u8]) -> ApiError {
    let mut api = ApiError {
        status,
        ..Default::default()
    };
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(trimmed) {
        api.code = obj.get("code").and_then(json_code);
        let message = obj
            .get("message")
            .or_else(|| obj.get("reason"))
            .and_then(Value::as_str);
        api.message = printable(message.unwrap_or_default(), 1000);
        api.oauth_error = obj
            .get("error")
            .and_then(Value::as_str)
            .map(|s| printable(s, 100));
        if let Some(Value::Array(items)) = obj.get("errors") {
            api.errors = items
                .iter()
                .map(|e| FieldError {
                    field: printable(e.get("field").and_then(Value::as_str).unwrap_or(""), 200),
                    message: printable(e.get("message").and_then(Value::as_str).unwrap_or(""), 500),
                })
                .collect();
        }
        if api.message.is_empty() && api.code.is_none() && api.oauth_error.is_none() {
            api.message = excerpt(trimmed);
        }
    } else if trimmed.starts_with('<')
        && (xml_tag(trimmed, "code").is_some() || xml_tag(trimmed, "message").is_some())
    {
        api.code = xml_tag(trimmed, "code").and_then(|c| c.trim().parse().ok());
        api.message = printable(&xml_tag(trimmed, "message").unwrap_or_default(), 1000);
    } else if !trimmed.is_empty() {
        api.message = excerpt(trimmed);
    }
    api
}

fn json_code(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The text of the first `<tag>...</tag>`, with the five XML entities decoded.
fn xml_tag(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = xml.find(&open)? + open.len();
    let len = xml[start..].find(&close)?;
    let raw = &xml[start..start + len];
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// A short, printable excerpt of a body nobody could parse.
fn excerpt(text: &str) -> String {
    let mut out = printable(text, EXCERPT_CHARS);
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    format!("unexpected response body: {out}")
}

/// `text` cut to `max` characters with every non-printing character turned into a
/// space: controls (ESC, CR, LF, ...), format characters (bidi embeddings, overrides
/// and isolates U+202A-U+202E and U+2066-U+2069, zero-width U+200B-U+200F, U+2060,
/// U+FEFF, ...), line and paragraph separators, private-use code points and
/// noncharacters. A server cannot reorder, hide or fake text in a message.
fn printable(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .map(|c| if is_non_printing(c) { ' ' } else { c })
        .collect()
}

/// The `x-zm-trackingid`, `Retry-After` and `X-RateLimit-*` headers of an answer; a
/// 429 without a usable `Retry-After` takes the wait its message states.
pub(crate) fn read_headers(api: &mut ApiError, headers: &ureq::http::HeaderMap) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|s| printable(s, 200))
    };
    api.tracking_id = header("x-zm-trackingid");
    api.rate_limit_type = header("x-ratelimit-type");
    api.rate_limit_category = header("x-ratelimit-category");
    api.rate_limit_limit = header("x-ratelimit-limit").and_then(|v| v.trim().parse().ok());
    api.rate_limit_remaining = header("x-ratelimit-remaining").and_then(|v| v.trim().parse().ok());
    api.retry_after = header("retry-after").and_then(|v| parse_retry_after(&v, SystemTime::now()));
    if api.retry_after.is_none() && api.status == 429 {
        api.retry_after = stated_wait(&api.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_json_errors_with_field_list() {
        let api = parse_error_body(
            400,
            br#"{"code":300,"message":"Validation Failed.","errors":[{"field":"settings.display_name","message":"Invalid field."}]}"#,
        );
        assert_eq!(api.code, Some(300));
        assert_eq!(api.message, "Validation Failed.");
        assert_eq!(api.errors.len(), 1);
        assert_eq!(api.errors[0].field, "settings.display_name");
    }

    #[test]
    fn oauth_failures() {
        let api = parse_error_body(
            400,
            br#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#,
        );
        assert_eq!(api.message, "Invalid client_id or client_secret");
        assert_eq!(api.oauth_error.as_deref(), Some("invalid_client"));
        assert_eq!(api.code, None);
    }

    #[test]
    fn xml_errors() {
        let api = parse_error_body(
            404,
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><error><code>3001</code><message>Meeting does not exist: 1 &amp; 2.</message></error>",
        );
        assert_eq!(api.code, Some(3001));
        assert_eq!(api.message, "Meeting does not exist: 1 & 2.");
    }

    #[test]
    fn empty_and_garbage_bodies_survive() {
        let api = parse_error_body(502, b"");
        assert_eq!((api.code, api.message.as_str()), (None, ""));
        let garbage: Vec<u8> = (0u8..=255).cycle().take(5000).collect();
        let api = parse_error_body(500, &garbage);
        assert!(api.message.starts_with("unexpected response body: "));
        assert!(api.message.chars().count() < 260);
        assert!(!api.message.chars().any(|c| c.is_control()));
        let html = parse_error_body(503, b"<html><body>Service Unavailable</body></html>");
        assert!(html.message.contains("Service Unavailable"));
        let json_array = parse_error_body(500, b"[1,2]");
        assert!(json_array.message.contains("[1,2]"));
    }

    #[test]
    fn bidi_zero_width_and_other_non_printing_characters_are_neutralised() {
        // A "Trojan Source" message: RLO makes "exe.txt" read as "txt.exe".
        let tricky = "file \u{202E}txt.exe\u{202C} ok";
        assert_eq!(printable(tricky, 100), "file  txt.exe  ok");
        for c in [
            '\u{1B}',
            '\u{7}',
            '\u{85}',
            '\u{9B}',
            '\u{AD}',
            '\u{61C}',
            '\u{180E}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{2028}',
            '\u{2029}',
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{202E}',
            '\u{2060}',
            '\u{2061}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{206F}',
            '\u{FEFF}',
            '\u{FFF9}',
            '\u{E000}',
            '\u{F8FF}',
            '\u{F0000}',
            '\u{10FFFD}',
            '\u{FDD0}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{1FFFE}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{1D173}',
        ] {
            let text = format!("a{c}b");
            assert_eq!(printable(&text, 10), "a b", "U+{:04X}", u32::from(c));
        }
        // Printing text, including other scripts and emoji, is kept as it is.
        for text in [
            "Meeting does not exist: 1.",
            "Réunion",
            "会议不存在",
            "اجتماع",
            "ok 👍",
            "a\u{301}",
        ] {
            assert_eq!(printable(text, 100), text);
        }
        // Every shape that reaches a message goes through it.
        let body = "{\"code\":300,\"message\":\"m\u{202E}x\",\"error\":\"e\u{200B}x\",\
                    \"errors\":[{\"field\":\"f\u{2066}x\",\"message\":\"g\u{FEFF}x\"}]}";
        let api = parse_error_body(400, body.as_bytes());
        assert_eq!(api.message, "m x");
        assert_eq!(api.oauth_error.as_deref(), Some("e x"));
        assert_eq!(
            (api.errors[0].field.as_str(), api.errors[0].message.as_str()),
            ("f x", "g x")
        );
        let xml = parse_error_body(
            400,
            "<error><message>a\u{2067}b</message></error>".as_bytes(),
        );
        assert_eq!(xml.message, "a b");
        let plain = parse_error_body(502, "bad \u{202D}gateway".as_bytes());
        assert_eq!(plain.message, "unexpected response body: bad  gateway");
        let mut headers = ureq::http::HeaderMap::new();
        headers.insert(
            "x-zm-trackingid",
            ureq::http::HeaderValue::from_bytes("v\u{202E}1".as_bytes()).unwrap(),
        );
        headers.insert(
            "x-ratelimit-type",
            ureq::http::HeaderValue::from_bytes("D\u{200B}aily".as_bytes()).unwrap(),
        );
        let mut api = parse_error_body(429, b"");
        read_headers(&mut api, &headers);
        // Header values that are not visible ASCII are dropped whole (`to_str`).
        assert_eq!(api.tracking_id, None);
        assert_eq!(api.rate_limit_type, None);
    }
}
