//! Reading requests: headers, and bodies as multipart (multer), JSON (serde_json) or
//! urlencoded forms. Independent of the client's encoder on purpose.

use std::convert::Infallible;

use bytes::Bytes;
use hyper::HeaderMap;
use serde_json::{Map, Value};

/// A header's value as text (`None` when absent).
pub(crate) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// The credential of an `Authorization` header with this scheme (any case).
pub(crate) fn credential(headers: &HeaderMap, scheme: &str) -> Option<String> {
    let value = header(headers, "authorization")?;
    let (given, rest) = value.split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then(|| rest.trim().to_owned())
}

/// A parsed body: its encoding name and its fields.
pub(crate) struct Parsed {
    /// `multipart`, `json`, `form`, `none` or `other`.
    pub encoding: &'static str,
    /// The fields (form parts as strings, JSON values as they came).
    pub fields: Map<String, Value>,
    /// Why the body could not be parsed, if it could not.
    pub error: Option<String>,
}

impl Parsed {
    fn ok(encoding: &'static str, fields: Map<String, Value>) -> Self {
        Parsed {
            encoding,
            fields,
            error: None,
        }
    }

    fn err(encoding: &'static str, error: String) -> Self {
        Parsed {
            encoding,
            fields: Map::new(),
            error: Some(error),
        }
    }
}

/// Parses a body by its `Content-Type`.
pub(crate) async fn parse(content_type: Option<&str>, body: Bytes) -> Parsed {
    let mime = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    match mime.as_deref() {
        None | Some("") if body.is_empty() => Parsed::ok("none", Map::new()),
        Some("multipart/form-data") => multipart(content_type.unwrap_or_default(), body).await,
        Some("application/json") => match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(map)) => Parsed::ok("json", map),
            Ok(_) => Parsed::err("json", "the JSON body is not an object".into()),
            Err(e) => Parsed::err("json", format!("the JSON body is invalid: {e}")),
        },
        Some("application/x-www-form-urlencoded") => {
            let fields = form_urlencoded::parse(&body)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect();
            Parsed::ok("form", fields)
        }
        _ => Parsed::err("other", "unsupported content type".into()),
    }
}

async fn multipart(content_type: &str, body: Bytes) -> Parsed {
    let boundary = match multer::parse_boundary(content_type) {
        Ok(b) => b,
        Err(e) => return Parsed::err("multipart", format!("bad multipart content type: {e}")),
    };
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut fields = Map::new();
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let Some(name) = field.name().map(str::to_owned) else {
                    return Parsed::err("multipart", "a part has no name".into());
                };
                match field.text().await {
                    Ok(text) => {
                        fields.entry(name).or_insert(Value::String(text));
                    }
                    Err(e) => return Parsed::err("multipart", format!("bad part {name}: {e}")),
                }
            }
            Ok(None) => return Parsed::ok("multipart", fields),
            Err(e) => return Parsed::err("multipart", format!("bad multipart body: {e}")),
        }
    }
}
