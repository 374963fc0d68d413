//! The events of a call's trace and their one-line text.
//!
//! Every event is built from values that are already safe to show: no token, secret,
//! stream key or proxy credential is ever put into one (the `Authorization` header is
//! recorded as `Bearer <redacted>`, a secret field by its size only, and text that
//! came from a server is scrubbed before it is recorded).

use std::borrow::Cow;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// A request body field as the trace shows it: its name, its size as a text part, and
/// its value unless it is secret (made by the body's encoder, shared with the body).
#[derive(Clone, Debug)]
pub(crate) struct FieldShown {
    pub name: &'static str,
    pub size: usize,
    pub value: Option<String>,
}

/// A name resolved (or found in the resolver's cache).
#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    pub host: String,
    pub addrs: Vec<SocketAddr>,
    pub cached: bool,
    pub took: Duration,
}

/// A TLS session: protocol, cipher suite, resumption, who vouched for the server,
/// and its certificate's subject and issuer.
#[derive(Clone, Debug)]
pub(crate) struct TlsSession {
    pub version: String,
    pub suite: String,
    pub resumed: bool,
    pub verifier: &'static str,
    pub subject: String,
    pub issuer: String,
}

/// Where a call's token came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenFrom {
    /// The static bearer token given by the caller.
    Static,
    /// The process's in-memory cache (shared by clients with the same credentials).
    Process,
    /// The token cache folder on disk.
    Disk,
    /// Fetched from the OAuth endpoint by this call.
    Fetched,
    /// Fetched by another thread while this one waited.
    Waited,
}

impl TokenFrom {
    fn as_str(self) -> &'static str {
        match self {
            TokenFrom::Static => "static",
            TokenFrom::Process => "cache=process",
            TokenFrom::Disk => "cache=disk",
            TokenFrom::Fetched => "fetched",
            TokenFrom::Waited => "waited",
        }
    }
}

/// One step of a call.
#[derive(Clone, Debug)]
pub(crate) enum Event {
    /// The client's configuration (values, never secrets), made once per client.
    Config(Arc<str>),
    /// The proxy decision for the API host and where it came from.
    Proxy(Arc<str>),
    /// Where the token came from, and how long getting it took.
    Token(TokenFrom, Duration),
    /// The request line and the body's encoding.
    Request {
        method: &'static str,
        path: String,
        encoding: &'static str,
    },
    /// A header sent (the `Authorization` value is never recorded).
    Header(&'static str, Cow<'static, str>),
    /// A body field: its name, its size in bytes, and its value unless it is secret.
    Field {
        name: String,
        size: usize,
        value: Option<String>,
    },
    /// The request body's fields (one line each), shared with the body itself.
    Fields(Arc<[FieldShown]>),
    /// A name resolved (or found in the resolver's cache).
    Dns(Box<Resolved>),
    /// A name that did not resolve.
    DnsFailed { host: String, reason: String },
    /// A new TCP connection.
    Connect {
        addr: Option<SocketAddr>,
        took: Duration,
    },
    /// A kept-alive connection taken from the pool.
    Pooled { idle: Duration },
    /// The connection opened in the background while the token was fetched.
    Preopened,
    /// The TLS session: protocol, cipher suite, resumption, who vouched for the
    /// server, and its certificate's subject and issuer.
    Tls(Box<TlsSession>),
    /// A TLS failure, as a sentence.
    TlsFailed(String),
    /// A proxy's answer to a CONNECT: the tunnel, the scheme being answered and its
    /// leg, the status, and on a 407 the schemes offered (never a token or challenge).
    Tunnel(String),
    /// The answer's status and the headers worth keeping.
    Answer {
        status: u16,
        headers: Vec<(&'static str, String)>,
    },
    /// The answer's body (scrubbed, at most 1 KiB).
    AnswerBody(String),
    /// A request sent again, why, and the wait before it.
    Retry { reason: String, wait: Duration },
    /// The call's end: how long it took and, when it failed, the error's kind and text.
    Outcome {
        took: Duration,
        failure: Option<(&'static str, String)>,
    },
}

/// The most of an answer body a trace keeps.
pub(crate) const BODY_KEPT: usize = 1024;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Text from outside as one printable line: every non-printing character (controls,
/// bidi and zero-width formats, ...: see `text.rs`) shown as `\u{..}`.
pub(crate) fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if crate::text::is_non_printing(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` cut to at most `max` bytes on a character boundary, marked when cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes in all)", &text[..end], text.len())
}

/// One field's text: `field NAME size=N value="..."` (`value=<redacted>` when secret).
fn field(f: &mut fmt::Formatter<'_>, name: &str, size: usize, value: Option<&str>) -> fmt::Result {
    match value {
        Some(v) => write!(f, "field {name} size={size} value={v:?}"),
        None => write!(f, "field {name} size={size} value=<redacted>"),
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Config(text) => write!(f, "config {text}"),
            Event::Proxy(text) => write!(f, "proxy {text}"),
            Event::Token(from, took) => match from {
                TokenFrom::Fetched | TokenFrom::Waited => {
                    write!(f, "token {} ms={:.1}", from.as_str(), ms(*took))
                }
                _ => write!(f, "token {}", from.as_str()),
            },
            Event::Request {
                method,
                path,
                encoding,
            } => write!(f, "request {method} {path} encoding={encoding}"),
            Event::Header(name, value) => write!(f, "header {name}: {value}"),
            Event::Field { name, size, value } => field(f, name, *size, value.as_deref()),
            Event::Fields(fields) => {
                for (i, one) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    field(f, one.name, one.size, one.value.as_deref())?;
                }
                Ok(())
            }
            Event::Dns(d) => {
                let Resolved {
                    host,
                    addrs,
                    cached,
                    took,
                } = &**d;
                let list: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
                write!(
                    f,
                    "dns {host} -> {} cached={} ms={:.1}",
                    list.join(","),
                    if *cached { "yes" } else { "no" },
                    ms(*took)
                )
            }
            Event::DnsFailed { host, reason } => write!(f, "dns {host} failed: {reason}"),
            Event::Connect { addr, took } => match addr {
                Some(a) => write!(f, "tcp {a} connected ms={:.1}", ms(*took)),
                None => write!(f, "tcp connected ms={:.1}", ms(*took)),
            },
            Event::Pooled { idle } => {
                write!(
                    f,
                    "pool reused a kept-alive connection idle_ms={:.0}",
                    ms(*idle)
                )
            }
            Event::Preopened => write!(f, "pool took the connection opened during the token fetch"),
            Event::Tls(t) => write!(
                f,
                "tls {} {} resumed={} verifier={} subject={:?} issuer={:?}",
                t.version,
                t.suite,
                if t.resumed { "yes" } else { "no" },
                t.verifier,
                t.subject,
                t.issuer
            ),
            Event::TlsFailed(why) => write!(f, "tls failed: {why}"),
            Event::Tunnel(text) => write!(f, "tunnel {text}"),
            Event::Answer { status, headers } => {
                write!(f, "answer {status}")?;
                for (name, value) in headers {
                    write!(f, " {name}={value:?}")?;
                }
                Ok(())
            }
            Event::AnswerBody(body) => write!(f, "answer-body {body}"),
            Event::Retry { reason, wait } => {
                write!(f, "retry {reason} wait_ms={:.0}", ms(*wait))
            }
            Event::Outcome {
                took,
                failure: None,
            } => write!(f, "outcome ok total_ms={:.1}", ms(*took)),
            Event::Outcome {
                took,
                failure: Some((kind, text)),
            } => write!(
                f,
                "outcome failed kind={kind} total_ms={:.1} {text}",
                ms(*took)
            ),
        }
    }
}
