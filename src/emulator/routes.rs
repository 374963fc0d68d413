//! The emulator's routes.
//!
//! Zoom (with or without the `/v2` prefix):
//! - `PATCH /v2/meetings/{id}/livestream/status`, `PATCH /v2/webinars/{id}/livestream/status`
//! - `PATCH|GET /v2/meetings/{id}/livestream`, `PATCH|GET /v2/webinars/{id}/livestream`
//! - `POST /oauth/token` (Server-to-Server OAuth, `grant_type=account_credentials`)
//!
//! Control API for tests in any language:
//! - `GET /_emulator/requests` — the requests received (JSON array); `DELETE` clears them
//! - `POST /_emulator/faults` — queue a fault (object) or several (array); `DELETE` clears
//! - `POST /_emulator/expire-tokens` — every issued OAuth token expires now
//! - `GET /_emulator/streams` — the live streams' state
//! - `POST /_emulator/reset` — forget requests, faults and stream state
//! - `GET /_emulator/health`
//!
//! `CONNECT` makes it an HTTP proxy tunnelling to itself (for proxy tests).

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::HeaderValue;
use hyper::{HeaderMap, Method, Request, Response};
use serde_json::{Map, Value, json};

use super::faults::Fault;
use super::forms;
use super::reply::{self, Body, field_error, zoom_error};
use super::state::{Kind, RecordedRequest, State};

/// Bodies larger than this are refused with 413.
const MAX_BODY: usize = 2 * 1024 * 1024;

type Answer = Result<Response<Body>, io::Error>;

/// Serves one request.
pub async fn handle(
    state: Arc<State>,
    closer: Arc<tokio::sync::Notify>,
    req: Request<Incoming>,
) -> Answer {
    if req.method() == Method::CONNECT {
        return Ok(connect_tunnel(state, req));
    }
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    let bytes = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(zoom_error(
                413,
                413,
                "Request body too large.",
                vec![],
                false,
            ));
        }
    };
    if let Some(control) = path.strip_prefix("/_emulator/") {
        return Ok(control_api(&state, &parts.method, control, &bytes));
    }
    let headers = &parts.headers;
    let content_type = header(headers, "content-type");
    let parsed = forms::parse(content_type.as_deref(), bytes.clone()).await;
    let seq = state.record(RecordedRequest {
        encoding: parsed.encoding.to_owned(),
        fields: parsed.fields.clone(),
        body_error: parsed.error.clone(),
        body_bytes: bytes.len(),
        ..recorded(&parts.method, path.clone(), headers, "authorization")
    });
    let xml = !header(headers, "accept").is_some_and(|a| a.to_ascii_lowercase().contains("json"));
    let fault = state.take_fault(&path);
    if let Some(ms) = fault.as_ref().and_then(|f| f.close_idle_ms) {
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            closer.notify_one();
        });
    }
    let faulted = match fault {
        Some(fault) => apply_fault(&fault, xml).await?,
        None => None,
    };
    let mut resp = match faulted {
        Some(resp) => resp,
        None => route(
            &state,
            &parts.method,
            &path,
            parts.uri.query(),
            headers,
            &parsed,
            xml,
        ),
    };
    if let Ok(v) = HeaderValue::from_str(&state.tracking_id(seq)) {
        resp.headers_mut().insert("x-zm-trackingid", v);
    }
    state.set_status(seq, resp.status().as_u16());
    Ok(resp)
}

/// Acts as an HTTP proxy that tunnels every CONNECT to the emulator itself, so tests
/// can check that clients honour `HTTPS_PROXY`/`HTTP_PROXY`.
fn connect_tunnel(state: Arc<State>, req: Request<Incoming>) -> Response<Body> {
    state.record(RecordedRequest {
        status: Some(200),
        ..recorded(
            req.method(),
            req.uri().to_string(),
            req.headers(),
            "proxy-authorization",
        )
    });
    tokio::spawn(async move {
        if let Ok(upgraded) = hyper::upgrade::on(req).await {
            super::serve(state, upgraded).await;
        }
    });
    reply::empty(200)
}

/// A log entry with what the head of a request says (credentials redacted) and no body.
fn recorded(
    method: &Method,
    path: String,
    headers: &HeaderMap,
    auth_header: &str,
) -> RecordedRequest {
    RecordedRequest {
        seq: 0,
        method: method.to_string(),
        path,
        content_type: header(headers, "content-type"),
        encoding: "none".into(),
        fields: Map::new(),
        body_error: None,
        authorization: header(headers, auth_header).map(|a| redact(&a)),
        user_agent: header(headers, "user-agent"),
        accept: header(headers, "accept"),
        body_bytes: 0,
        status: None,
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// `Bearer abc` → `Bearer ***`; the credential never reaches the request log.
fn redact(authorization: &str) -> String {
    match authorization.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} ***"),
        None => "***".to_owned(),
    }
}

/// Plays a fault: `Ok(None)` lets the normal answer follow (a pure delay).
async fn apply_fault(f: &Fault, xml: bool) -> Result<Option<Response<Body>>, io::Error> {
    if f.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
    }
    if f.hang {
        tokio::time::sleep(Duration::from_secs(600)).await;
        return Err(io::Error::other("fault: hung request released"));
    }
    if f.drop {
        return Err(io::Error::other("fault: connection dropped"));
    }
    let answers = f.status.is_some() || f.body.is_some() || f.truncate || f.body_size > 0;
    if !answers {
        return Ok(None);
    }
    let status = f.status.unwrap_or(200);
    let mut resp = if f.truncate {
        let frames: Vec<Result<Frame<Bytes>, io::Error>> = vec![
            Ok(Frame::data(Bytes::from_static(b"{\"code\":"))),
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "fault: truncated",
            )),
        ];
        let mut r = reply::with_status(
            status,
            "application/json",
            BodyExt::boxed(StreamBody::new(futures_util::stream::iter(frames))),
        );
        r.headers_mut()
            .insert("content-length", HeaderValue::from_static("1000"));
        r
    } else if f.body_size > 0 {
        const CHUNK: usize = 64 * 1024;
        let total = f.body_size;
        let chunks = futures_util::stream::unfold(0u64, move |sent| async move {
            (sent < total).then(|| {
                let n = (total - sent).min(CHUNK as u64);
                (
                    Ok::<_, io::Error>(Frame::data(Bytes::from(vec![b'x'; n as usize]))),
                    sent + n,
                )
            })
        });
        let mut r = reply::with_status(
            status,
            "text/plain",
            BodyExt::boxed(StreamBody::new(chunks)),
        );
        if let Ok(v) = HeaderValue::from_str(&total.to_string()) {
            r.headers_mut().insert("content-length", v);
        }
        r
    } else if let Some(body) = &f.body {
        reply::with_status(status, "application/json", reply::full(body.clone()))
    } else if let Some(code) = f.code {
        zoom_error(
            status,
            code,
            f.message.as_deref().unwrap_or(""),
            vec![],
            xml || f.xml,
        )
    } else {
        reply::empty(status)
    };
    if let Some(spec) = &f.retry_after
        && let Ok(v) = HeaderValue::from_str(&reply::retry_after(spec))
    {
        resp.headers_mut().insert("retry-after", v);
    }
    for (name, value) in &f.headers {
        if let (Ok(n), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            resp.headers_mut().insert(n, v);
        }
    }
    Ok(Some(resp))
}

fn route(
    state: &State,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    parsed: &forms::Parsed,
    xml: bool,
) -> Response<Body> {
    if path == "/oauth/token" {
        return if method == Method::POST {
            oauth_token(state, query, headers, parsed)
        } else {
            zoom_error(405, 405, "Method not allowed.", vec![], false)
        };
    }
    let api_path = path.strip_prefix("/v2").unwrap_or(path);
    let segments: Vec<&str> = api_path.trim_start_matches('/').split('/').collect();
    let (kind, raw_id, op) = match segments.as_slice() {
        ["meetings", id, "livestream"] => (Kind::Meeting, *id, Op::Stream),
        ["meetings", id, "livestream", "status"] => (Kind::Meeting, *id, Op::Status),
        ["webinars", id, "livestream"] => (Kind::Webinar, *id, Op::Stream),
        ["webinars", id, "livestream", "status"] => (Kind::Webinar, *id, Op::Status),
        _ => {
            return zoom_error(
                404,
                404,
                &format!("No route for {method} {path}."),
                vec![],
                xml,
            );
        }
    };
    let allowed = match op {
        Op::Status => method == Method::PATCH,
        Op::Stream => method == Method::PATCH || method == Method::GET,
    };
    if !allowed {
        return zoom_error(
            405,
            405,
            &format!("Method {method} not allowed here."),
            vec![],
            xml,
        );
    }
    let token = header(headers, "authorization").and_then(|a| {
        let (scheme, rest) = a.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| rest.trim().to_owned())
    });
    if !token.is_some_and(|t| state.token_valid(&t)) {
        return zoom_error(401, 124, "Invalid access token.", vec![], xml);
    }
    let noun = if kind == Kind::Meeting {
        "Meeting"
    } else {
        "Webinar"
    };
    let id = match raw_id.parse::<u64>() {
        Ok(id) if id > 0 && raw_id.bytes().all(|b| b.is_ascii_digit()) => id,
        _ => return zoom_error(300, 300, &format!("Invalid {noun} ID."), vec![], xml),
    };
    if state.live(kind, id).is_none() {
        return zoom_error(
            404,
            3001,
            &format!("{noun} does not exist: {id}."),
            vec![],
            xml,
        );
    }
    if let Some(error) = &parsed.error {
        return zoom_error(
            400,
            300,
            &format!("Invalid request body: {error}."),
            vec![],
            xml,
        );
    }
    if state.config.json_only && method == Method::PATCH && parsed.encoding != "json" {
        return zoom_error(
            400,
            300,
            "Request Body should be a valid JSON object.",
            vec![],
            xml,
        );
    }
    match (op, method == Method::GET) {
        (Op::Status, _) => update_status(state, kind, id, &parsed.fields, xml),
        (Op::Stream, true) => get_stream(state, kind, id),
        (Op::Stream, false) => update_stream(state, kind, id, &parsed.fields, xml),
    }
}

#[derive(Clone, Copy)]
enum Op {
    Status,
    Stream,
}

fn validation_failed(errors: Vec<Value>, xml: bool) -> Response<Body> {
    zoom_error(400, 300, "Validation Failed.", errors, xml)
}

fn update_status(
    state: &State,
    kind: Kind,
    id: u64,
    fields: &Map<String, Value>,
    xml: bool,
) -> Response<Body> {
    let action = match fields.get("action").and_then(Value::as_str) {
        Some(a @ ("start" | "stop")) => a,
        Some(_) => {
            return validation_failed(
                vec![field_error(
                    "action",
                    "Invalid field: must be start or stop.",
                )],
                xml,
            );
        }
        None => return validation_failed(vec![field_error("action", "Required field.")], xml),
    };
    let settings = match fields.get("settings") {
        None => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            _ => {
                return validation_failed(
                    vec![field_error(
                        "settings",
                        "Invalid field: must be a JSON object.",
                    )],
                    xml,
                );
            }
        },
        Some(_) => {
            return validation_failed(
                vec![field_error("settings", "Invalid field: must be an object.")],
                xml,
            );
        }
    };
    let mut errors = Vec::new();
    if settings
        .get("active_speaker_name")
        .is_some_and(|v| !v.is_boolean())
    {
        errors.push(field_error(
            "settings.active_speaker_name",
            "Invalid field: must be a boolean.",
        ));
    }
    if let Some(v) = settings.get("display_name") {
        let ok = v
            .as_str()
            .is_some_and(|s| (1..=50).contains(&s.chars().count()));
        if !ok {
            errors.push(field_error(
                "settings.display_name",
                "Invalid field: 1 to 50 characters.",
            ));
        }
    }
    for key in ["layout", "close_caption"] {
        if settings.get(key).is_some_and(|v| !v.is_string()) {
            errors.push(field_error(
                &format!("settings.{key}"),
                "Invalid field: must be a string.",
            ));
        }
    }
    if !errors.is_empty() {
        return validation_failed(errors, xml);
    }
    let cooldown = state.config.start_cooldown;
    let outcome = state.with_stream(kind, id, |s| {
        if !settings.is_empty() && s.live {
            return Err((3000, "Live stream settings can only be updated while the live stream is stopped.".to_owned(), 0));
        }
        if action == "start" && !cooldown.is_zero() {
            if let Some(last) = s.last_start {
                let since = last.elapsed();
                if since < cooldown {
                    let wait = (cooldown - since).as_secs_f64().ceil().max(1.0) as u64;
                    return Err((429, format!(
                        "Too many requests submitted to start the live stream of this meeting: {id}. \
                         If the live stream has not already started, retry making a new request after {wait} seconds."
                    ), wait));
                }
            }
            s.last_start = Some(Instant::now());
        } else if action == "start" {
            s.last_start = Some(Instant::now());
        }
        s.settings.extend(settings.clone());
        s.live = action == "start";
        Ok(())
    });
    match outcome {
        Some(Ok(())) => reply::empty(204),
        Some(Err((429, message, wait))) => {
            let mut r = zoom_error(429, 429, &message, vec![], xml);
            let h = r.headers_mut();
            h.insert("retry-after", HeaderValue::from(wait));
            h.insert("x-ratelimit-type", HeaderValue::from_static("QPS"));
            h.insert("x-ratelimit-category", HeaderValue::from_static("Light"));
            r
        }
        Some(Err((code, message, _))) => zoom_error(400, code, &message, vec![], xml),
        None => zoom_error(404, 3001, &format!("Does not exist: {id}."), vec![], xml),
    }
}

fn update_stream(
    state: &State,
    kind: Kind,
    id: u64,
    fields: &Map<String, Value>,
    xml: bool,
) -> Response<Body> {
    let mut errors = Vec::new();
    let mut text = |name: &str, max: usize, required: bool| -> Option<String> {
        match fields.get(name) {
            None if required => {
                errors.push(field_error(name, "Required field."));
                None
            }
            None => None,
            Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= max => Some(s.clone()),
            Some(_) => {
                errors.push(field_error(
                    name,
                    &format!("Invalid field: 1 to {max} characters."),
                ));
                None
            }
        }
    };
    let stream_url = text("stream_url", 1024, true);
    let stream_key = text("stream_key", 512, true);
    let page_url = text("page_url", 1024, true);
    let resolution = text("resolution", 5, false);
    if let Some(p) = &page_url {
        let lower = p.to_ascii_lowercase();
        let host = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        if !host.is_some_and(|h| !h.is_empty() && !h.starts_with('/')) {
            errors.push(field_error("page_url", "Invalid field: must be a URL."));
        }
    }
    if let Some(r) = &resolution
        && r != "720p"
        && r != "1080p"
    {
        errors.push(field_error("resolution", "Invalid field: 720p or 1080p."));
    }
    if !errors.is_empty() {
        return validation_failed(errors, xml);
    }
    state.with_stream(kind, id, |s| {
        s.stream_url = stream_url.unwrap_or_default();
        s.stream_key = stream_key.unwrap_or_default();
        s.page_url = page_url.unwrap_or_default();
        s.resolution = resolution;
    });
    reply::empty(204)
}

fn get_stream(state: &State, kind: Kind, id: u64) -> Response<Body> {
    let body = state.with_stream(kind, id, |s| {
        let mut v =
            json!({"stream_url": s.stream_url, "stream_key": s.stream_key, "page_url": s.page_url});
        if let Some(r) = &s.resolution {
            v["resolution"] = json!(r);
        }
        v
    });
    reply::json(200, &body.unwrap_or(Value::Null))
}

fn oauth_error(status: u16, reason: &str, error: &str) -> Response<Body> {
    reply::json(status, &json!({"reason": reason, "error": error}))
}

fn oauth_token(
    state: &State,
    query: Option<&str>,
    headers: &HeaderMap,
    parsed: &forms::Parsed,
) -> Response<Body> {
    // Zoom documents the parameters in the query string; clients also send them as a form.
    let mut params: Map<String, Value> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect();
    params.extend(parsed.fields.clone());
    let param = |k: &str| params.get(k).and_then(Value::as_str).unwrap_or("");
    let basic = header(headers, "authorization").and_then(|a| {
        let (scheme, rest) = a.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        Some((id.to_owned(), secret.to_owned()))
    });
    let Some((client_id, secret)) = basic else {
        return oauth_error(
            401,
            "Missing or malformed client credentials",
            "invalid_client",
        );
    };
    let Some(app) = state
        .config
        .oauth_apps
        .iter()
        .find(|a| a.client_id == client_id && a.client_secret == secret)
    else {
        return oauth_error(400, "Invalid client_id or client_secret", "invalid_client");
    };
    if param("grant_type") != "account_credentials" {
        return oauth_error(400, "unsupported grant type", "unsupported_grant_type");
    }
    if param("account_id") != app.account_id {
        return oauth_error(400, "Invalid account_id", "invalid_request");
    }
    let token = state.issue_token();
    reply::json(
        200,
        &json!({
            "access_token": token,
            "token_type": "bearer",
            "expires_in": state.config.token_ttl.as_secs(),
            "scope": "meeting:write:admin webinar:write:admin meeting:read:admin webinar:read:admin",
            "api_url": "https://api.zoom.us",
        }),
    )
}

fn control_api(state: &State, method: &Method, path: &str, body: &Bytes) -> Response<Body> {
    match (method.as_str(), path) {
        ("GET", "health") => reply::json(
            200,
            &json!({"ok": true, "connections": state.connections.load(std::sync::atomic::Ordering::Relaxed)}),
        ),
        ("GET", "requests") => {
            let list: Vec<Value> = state.requests().iter().map(|r| r.to_json()).collect();
            reply::json(200, &Value::Array(list))
        }
        ("DELETE", "requests") => {
            state.clear_requests();
            reply::empty(204)
        }
        ("POST", "faults") => {
            let parsed: Result<Vec<Fault>, String> = match serde_json::from_slice::<Value>(body) {
                Ok(Value::Array(items)) => items.iter().map(Fault::from_json).collect(),
                Ok(v) => Fault::from_json(&v).map(|f| vec![f]),
                Err(e) => Err(format!("not JSON: {e}")),
            };
            match parsed {
                Ok(faults) => {
                    faults.into_iter().for_each(|f| state.push_fault(f));
                    reply::empty(204)
                }
                Err(e) => reply::json(400, &json!({"error": e})),
            }
        }
        ("DELETE", "faults") => {
            state.clear_faults();
            reply::empty(204)
        }
        ("POST", "expire-tokens") => {
            state.expire_tokens();
            reply::empty(204)
        }
        ("GET", "streams") => reply::json(200, &state.streams_json()),
        ("POST", "reset") => {
            state.clear_requests();
            state.clear_faults();
            state.reset_streams();
            reply::empty(204)
        }
        _ => reply::json(
            404,
            &json!({"error": format!("no control route {method} /_emulator/{path}")}),
        ),
    }
}
