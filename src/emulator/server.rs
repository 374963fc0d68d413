//! Serving connections: each request is read, logged, given its queued fault if one
//! matches, and routed to Zoom's API, the OAuth endpoint or the control API. `CONNECT`
//! makes the emulator an HTTP proxy tunnelling to itself (for proxy tests).

use std::io;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{HeaderMap, Method, Request, Response};
use serde_json::Map;
use tokio::sync::Notify;

use super::forms::{self, header};
use super::refusal::Refusal;
use super::reply::{self, Body};
use super::state::{REDACTED, RecordedRequest, State};
use super::{api, control, oauth};

/// Bodies larger than this are refused with 413.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// Serves HTTP/1.1 on one connection (a TCP stream, or a tunnel opened by CONNECT).
pub(crate) async fn serve<I>(state: Arc<State>, io: I)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    // A fault may ask to close this connection later, as a server ending an idle
    // keep-alive connection does.
    let closer = Arc::new(Notify::new());
    let close = closer.clone();
    let service = service_fn(move |req| handle(state.clone(), closer.clone(), req));
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service)
        .with_upgrades();
    // Errors here are clients going away or faults dropping the connection on purpose.
    let closed = close.notified();
    let _ = futures_util::future::select(std::pin::pin!(conn), std::pin::pin!(closed)).await;
}

/// Serves one request.
async fn handle(
    state: Arc<State>,
    closer: Arc<Notify>,
    req: Request<Incoming>,
) -> io::Result<Response<Body>> {
    if req.method() == Method::CONNECT {
        return Ok(connect_tunnel(state, req));
    }
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    let bytes = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(Refusal::BodyTooLarge.answer(&state.config, false)),
    };
    if let Some(control) = path.strip_prefix(control::PREFIX) {
        return Ok(control::answer(&state, &parts.method, control, &bytes));
    }
    let headers = &parts.headers;
    let parsed = forms::parse(header(headers, "content-type").as_deref(), bytes.clone()).await;
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
        Some(fault) => fault.play(&state.config, xml).await?,
        None => None,
    };
    let mut resp = faulted.unwrap_or_else(|| {
        if path == oauth::TOKEN_PATH {
            oauth::token(&state, &parts.method, parts.uri.query(), headers, &parsed)
        } else {
            api::route(&state, &parts.method, &path, headers, &parsed, xml)
        }
    });
    reply::set_header(&mut resp, "x-zm-trackingid", &state.tracking_id(seq));
    // Logged as answered before the delay: the operation is done, whether or not the
    // client is still there to read the answer (what a killed batch leaves uncertain).
    state.set_status(seq, resp.status().as_u16());
    // The round trip to Zoom across the internet, when configured.
    if !state.config.latency.is_zero() {
        tokio::time::sleep(state.config.latency).await;
    }
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
            serve(state, upgraded).await;
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

/// `Bearer abc` → `Bearer ***`; the credential never reaches the request log.
fn redact(authorization: &str) -> String {
    match authorization.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} {REDACTED}"),
        None => REDACTED.to_owned(),
    }
}
