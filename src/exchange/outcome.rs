//! Turning ureq's outcomes into zoomlive's: transport errors classified, error
//! answers read (with a size cap) and scrubbed of secrets.

use std::io::Read;

use ureq::http::{HeaderMap, HeaderValue};

use super::response::{self, ERROR_BODY_LIMIT};
use crate::error::{ApiError, Error, TransportKind};
use crate::net::failure::{Cause, NetFailure};
use crate::secret::scrub;
use crate::trace::event::{BODY_KEPT, Event, cut, printable};
use crate::trace::{self};

/// A failed exchange, and whether the request surely never left this machine
/// (the only case that may be retried).
pub(crate) struct Failure {
    pub error: Error,
    pub before_send: bool,
}

/// Classifies a ureq error. `secrets` are scrubbed from the message.
pub(crate) fn classify<S: AsRef<str>>(err: ureq::Error, secrets: &[S]) -> Failure {
    use std::io::ErrorKind as Io;
    // TLS failures read as sentences (net/tls/text.rs), not rustls's Debug dumps.
    let text = crate::net::tls::text::describe(&err).unwrap_or_else(|| err.to_string());
    let message = scrub(&text, secrets);
    let transport = |kind| Error::transport(kind, message.clone());
    if let Some(failure) = NetFailure::find(&err) {
        // Its own words (not ureq's "io: " prefix), scrubbed all the same.
        let message = scrub(&failure.message, secrets);
        let transport = |kind| Error::transport(kind, message.clone());
        let error = match failure.cause {
            Cause::ProxyAuth => Error::proxy_auth(message.clone()),
            Cause::Proxy => transport(TransportKind::Proxy),
            Cause::Connect => transport(TransportKind::Connect),
            Cause::Dns => transport(TransportKind::Dns),
        };
        // Only a failure before the proxy (or server) answered may be tried again.
        let before_send = failure.before_answer;
        return Failure { error, before_send };
    }
    let (error, before_send) = match &err {
        ureq::Error::Timeout(_) => (Error::timeout(message.clone()), false),
        ureq::Error::HostNotFound => (transport(TransportKind::Dns), false),
        ureq::Error::ConnectionFailed => (transport(TransportKind::Connect), true),
        ureq::Error::Io(io) => match io.kind() {
            Io::ConnectionRefused
            | Io::AddrNotAvailable
            | Io::NetworkUnreachable
            | Io::HostUnreachable => (transport(TransportKind::Connect), true),
            Io::TimedOut | Io::WouldBlock => (Error::timeout(message.clone()), false),
            // rustls reports handshake failures (untrusted certificate, ...) as I/O errors.
            _ if io.get_ref().is_some_and(|e| e.is::<rustls::Error>()) => {
                (transport(TransportKind::Tls), false)
            }
            _ => (transport(TransportKind::Io), false),
        },
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => {
            (transport(TransportKind::Tls), false)
        }
        ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) => {
            (transport(TransportKind::Protocol), false)
        }
        // A (SOCKS) proxy's refusal is its answer: never sent again.
        ureq::Error::ConnectProxyFailed(_) => (transport(TransportKind::Proxy), false),
        ureq::Error::InvalidProxyUrl => (transport(TransportKind::Proxy), true),
        ureq::Error::BadUri(_) | ureq::Error::Http(_) | ureq::Error::RequireHttpsOnly(_) => {
            (Error::input("url", message.clone()), true)
        }
        _ => (transport(TransportKind::Io), false),
    };
    if let Error::Transport {
        kind: TransportKind::Tls,
        message,
        ..
    } = &error
    {
        trace::record(|| Event::TlsFailed(printable(message)));
    }
    Failure { error, before_send }
}

/// Reads an answer that was not a success into an [`ApiError`]: at most
/// [`ERROR_BODY_LIMIT`] bytes of its body, its headers, and no secret. The body and
/// every header are scrubbed of `secrets` before anything is parsed, stored or cut, so
/// every field built from them (message, errors, tracking id, rate-limit headers,
/// OAuth fields, excerpts) is clean.
pub(crate) fn read_error<S: AsRef<str>>(
    mut resp: ureq::http::Response<ureq::Body>,
    secrets: &[S],
) -> ApiError {
    let status = resp.status().as_u16();
    let mut body = Vec::new();
    // A broken or oversized body still leaves the status and headers to report.
    let _ = resp
        .body_mut()
        .as_reader()
        .take(ERROR_BODY_LIMIT)
        .read_to_end(&mut body);
    let body = scrub(&String::from_utf8_lossy(&body), secrets);
    trace::record(|| Event::AnswerBody(cut(&printable(&body), BODY_KEPT)));
    let mut api = response::parse_error_body(status, body.as_bytes());
    response::read_headers(&mut api, &scrubbed_headers(resp.headers(), secrets));
    api
}

/// The answer headers a trace shows (none of them carries a secret Zoom knows of;
/// their values are shown as printable text, cut at 200 bytes).
const TRACED_HEADERS: [&str; 9] = [
    "x-zm-trackingid",
    "x-ratelimit-type",
    "x-ratelimit-category",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "retry-after",
    "content-type",
    "content-length",
    "date",
];

/// Records an answer's status and the headers worth keeping in the call's trace, each
/// value scrubbed of `secrets` (where it holds the beginning of one: nothing else can
/// change), shown as printable text and cut at 200 bytes.
pub(crate) fn trace_answer<S: AsRef<str>>(resp: &ureq::http::Response<ureq::Body>, secrets: &[S]) {
    if !trace::recorder::active() {
        return;
    }
    // One pass over the answer's headers (a handful), not one look-up per name.
    let headers = resp
        .headers()
        .iter()
        .filter_map(|(name, value)| {
            let name = *TRACED_HEADERS.iter().find(|n| **n == name.as_str())?;
            let text = String::from_utf8_lossy(value.as_bytes());
            let suspect = secrets.iter().any(|s| {
                let s = s.as_ref();
                s.get(..4).is_some_and(|start| text.contains(start))
            });
            let text = if suspect {
                scrub(&text, secrets).into()
            } else {
                text
            };
            let shown = if text.chars().any(crate::text::is_non_printing) {
                printable(&text).into()
            } else {
                text
            };
            Some((name, cut(&shown, 200)))
        })
        .collect();
    trace::record(|| Event::Answer {
        status: resp.status().as_u16(),
        headers,
    });
}

/// A copy of `headers` with every value scrubbed of `secrets`.
fn scrubbed_headers<S: AsRef<str>>(headers: &HeaderMap, secrets: &[S]) -> HeaderMap {
    let mut clean = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let text = scrub(&String::from_utf8_lossy(value.as_bytes()), secrets);
        if let Ok(value) = HeaderValue::from_str(&text) {
            clean.append(name.clone(), value);
        }
    }
    clean
}
