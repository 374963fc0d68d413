//! Parsing request bodies: multipart (multer), JSON (serde_json) and urlencoded forms.
//! Independent of the client's encoder on purpose.

use std::convert::Infallible;

use bytes::Bytes;
use serde_json::{Map, Value};

/// A parsed body: its encoding name and its fields.
pub struct Parsed {
    pub encoding: &'static str,
    pub fields: Map<String, Value>,
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

pub async fn parse(content_type: Option<&str>, body: Bytes) -> Parsed {
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
