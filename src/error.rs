//! The one `Error` type of zoomlive, its classification (`ErrorKind`) and the details
//! of an answer Zoom gave (`ApiError`).

use std::fmt;
use std::time::Duration;

use crate::trace::Trace;

/// What went wrong, in the categories every face (Rust, C, Python, CLI) maps from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A value was refused before anything was sent.
    InvalidInput,
    /// The connection could not be made or broke (DNS, connect, TLS, reset, protocol).
    Transport,
    /// Connecting or the whole call took longer than allowed.
    Timeout,
    /// The token was refused (401, or Zoom code 124 whatever the status), the app
    /// lacks scopes (Zoom codes 4700 and 4711), or Server-to-Server OAuth failed.
    Auth,
    /// No such meeting, webinar or user: HTTP 404, or Zoom codes 3001 and 1001 on the
    /// HTTP 400 that webinar calls answer with.
    NotFound,
    /// Zoom answered 429 and the retry policy gave up (or the limit is daily).
    RateLimited,
    /// Any other non-2xx answer (including 300 and 400, and Zoom codes 200, 3000 and
    /// 3161, whose message is Zoom's own).
    Api,
    /// The proxy asked for credentials and refused those given (after the last leg),
    /// offered no scheme the client can answer, or none were set. A kind of transport
    /// failure: nothing reached Zoom.
    ProxyAuth,
}

impl ErrorKind {
    /// A short snake_case name, stable for scripts (`invalid_input`, `not_found`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Transport => "transport",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Auth => "auth",
            ErrorKind::NotFound => "not_found",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Api => "api",
            ErrorKind::ProxyAuth => "proxy_auth",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The host name did not resolve.
    Dns,
    /// The TCP connection was refused or could not be made.
    Connect,
    /// The TLS handshake failed (for example an untrusted certificate).
    Tls,
    /// The connection was reset or closed before a full answer arrived.
    Io,
    /// The server's answer was not valid HTTP.
    Protocol,
    /// The configured proxy could not be used.
    Proxy,
}

/// One entry of the `errors` list of a Zoom validation error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field Zoom complains about.
    pub field: String,
    /// Zoom's reason.
    pub message: String,
}

/// An HTTP answer that was not a success, with everything Zoom said about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// Zoom's numeric error `code` (for example 1001, 3001, 300), when it gave one.
    pub code: Option<i64>,
    /// Zoom's `message` (or OAuth's `reason`), or a printable excerpt of an unparsable body.
    pub message: String,
    /// The `errors[]` list of a validation failure.
    pub errors: Vec<FieldError>,
    /// OAuth's `error` identifier (for example `invalid_client`).
    pub oauth_error: Option<String>,
    /// The `x-zm-trackingid` header, to quote to Zoom support.
    pub tracking_id: Option<String>,
    /// The parsed `Retry-After` header (seconds, or a date turned into a wait).
    pub retry_after: Option<Duration>,
    /// The `X-RateLimit-Type` header (`QPS`, `Daily-limit`, ...).
    pub rate_limit_type: Option<String>,
    /// The `X-RateLimit-Category` header (`Light`, `Medium`, `Heavy`, ...).
    pub rate_limit_category: Option<String>,
    /// The `X-RateLimit-Limit` header: calls allowed in the current window.
    pub rate_limit_limit: Option<u64>,
    /// The `X-RateLimit-Remaining` header: calls left in the current window.
    pub rate_limit_remaining: Option<u64>,
    /// The trace of the call that got this answer (see [`Error::trace`]).
    pub trace: Trace,
}

/// Zoom's codes for a token that lacks scopes.
const SCOPE_CODES: [i64; 2] = [4700, 4711];

impl ApiError {
    /// The scopes Zoom says the token lacks (codes 4700 and 4711, "Invalid access
    /// token, does not contain scopes:[meeting:write:admin, meeting:write]"), in
    /// Zoom's order; empty for any other answer.
    pub fn missing_scopes(&self) -> Vec<String> {
        let is_scope_error = self.code.is_some_and(|c| SCOPE_CODES.contains(&c))
            || self.message.contains("does not contain scope");
        if !is_scope_error {
            return Vec::new();
        }
        let after = match self.message.find("scope") {
            Some(at) => &self.message[at..],
            None => return Vec::new(),
        };
        let Some(open) = after.find('[') else {
            return Vec::new();
        };
        let inside = &after[open + 1..];
        let inside = &inside[..inside.find(']').unwrap_or(inside.len())];
        inside
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(|s| s.trim_matches(|c: char| c == '"' || c == '\'' || c == '.'))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Whether this is a daily-limit 429 (`X-RateLimit-Type: Daily-limit`, or Zoom's
    /// "maximum daily rate limit" message): never retried; `retry_after` is when the
    /// limit resets, when Zoom said so.
    pub fn is_daily_limit(&self) -> bool {
        let daily = |s: &str| s.to_ascii_lowercase().contains("daily");
        self.status == 429
            && (self.rate_limit_type.as_deref().is_some_and(daily)
                || self
                    .message
                    .to_ascii_lowercase()
                    .contains("daily rate limit")
                || self.message.to_ascii_lowercase().contains("daily limit"))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = self.code {
            write!(f, ", Zoom code {code}")?;
        }
        if let Some(err) = &self.oauth_error {
            write!(f, ", OAuth error {err}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        for e in &self.errors {
            write!(f, "; {}: {}", e.field, e.message)?;
        }
        let scopes = self.missing_scopes();
        if !scopes.is_empty() {
            write!(
                f,
                " (add these scopes to the Zoom app: {})",
                scopes.join(", ")
            )?;
        }
        match self.retry_after {
            Some(wait) if self.is_daily_limit() => {
                write!(f, " (daily limit; it resets in {}s)", wait.as_secs())?
            }
            Some(wait) => write!(f, " (retry after {}s)", wait.as_secs_f64())?,
            None if self.is_daily_limit() => write!(f, " (daily limit)")?,
            None => {}
        }
        if let Some(id) = &self.tracking_id {
            write!(f, " [tracking id {id}]")?;
        }
        Ok(())
    }
}

/// Every failure of zoomlive. Match on the variant, or on [`Error::kind`].
///
/// No variant ever holds a token, client secret or stream key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value was refused before anything was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The argument or field that was refused (`meeting_id`, `settings.display_name`, ...).
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// The connection failed.
    #[error("transport error ({kind:?}): {message}")]
    Transport {
        /// What kind of failure it was.
        kind: TransportKind,
        /// A description (without credentials).
        message: String,
        /// The trace of the call (see [`Error::trace`]).
        trace: Trace,
    },
    /// The connect or overall timeout passed.
    #[error("timed out: {message}")]
    Timeout {
        /// What ran out, and when.
        message: String,
        /// The trace of the call (see [`Error::trace`]).
        trace: Trace,
    },
    /// The token was refused, or Server-to-Server OAuth failed.
    #[error("authentication failed: {0}")]
    Auth(Box<ApiError>),
    /// No such meeting, webinar or user (404, or 3001/1001 on a 400).
    #[error("not found: {0}")]
    NotFound(Box<ApiError>),
    /// Zoom answered 429 and no (more) retry was allowed.
    #[error("rate limited: {0}")]
    RateLimited(Box<ApiError>),
    /// Any other non-2xx answer.
    #[error("Zoom API error: {0}")]
    Api(Box<ApiError>),
    /// The proxy's authentication failed (see [`ErrorKind::ProxyAuth`]). The message
    /// names the proxy (host:port), the schemes it offered and what was tried; never a
    /// credential, token or challenge.
    #[error("proxy authentication failed: {message}")]
    ProxyAuth {
        /// What the proxy offered and what was tried (no credential).
        message: String,
        /// The trace of the call (see [`Error::trace`]).
        trace: Trace,
    },
}

impl Error {
    /// The category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Auth(_) => ErrorKind::Auth,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::RateLimited(_) => ErrorKind::RateLimited,
            Error::Api(_) => ErrorKind::Api,
            Error::ProxyAuth { .. } => ErrorKind::ProxyAuth,
        }
    }

    /// Zoom's answer, for the kinds that have one (auth, not found, rate limited, API).
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Auth(a) | Error::NotFound(a) | Error::RateLimited(a) | Error::Api(a) => Some(a),
            _ => None,
        }
    }

    /// The field that was refused, for input errors.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The trace of the call that failed: every step, one per line, with no secret in
    /// it (see [`Trace`]). `None` for input errors (nothing was sent) and errors made
    /// outside a call.
    pub fn trace(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { .. } => None,
            Error::Transport { trace, .. }
            | Error::Timeout { trace, .. }
            | Error::ProxyAuth { trace, .. } => trace.as_str(),
            Error::Auth(a) | Error::NotFound(a) | Error::RateLimited(a) | Error::Api(a) => {
                a.trace.as_str()
            }
        }
    }

    /// Attaches the trace of the call that failed.
    pub(crate) fn with_trace(mut self, new: Trace) -> Self {
        match &mut self {
            Error::InvalidInput { .. } => {}
            Error::Transport { trace, .. }
            | Error::Timeout { trace, .. }
            | Error::ProxyAuth { trace, .. } => *trace = new,
            Error::Auth(a) | Error::NotFound(a) | Error::RateLimited(a) | Error::Api(a) => {
                a.trace = new
            }
        }
        self
    }

    /// A transport failure (its trace attached when the call ends).
    pub(crate) fn transport(kind: TransportKind, message: impl Into<String>) -> Self {
        Error::Transport {
            kind,
            message: message.into(),
            trace: Trace::default(),
        }
    }

    /// A proxy's refusal to authenticate (its trace attached when the call ends).
    pub(crate) fn proxy_auth(message: impl Into<String>) -> Self {
        Error::ProxyAuth {
            message: message.into(),
            trace: Trace::default(),
        }
    }

    /// A timeout (its trace attached when the call ends).
    pub(crate) fn timeout(message: impl Into<String>) -> Self {
        Error::Timeout {
            message: message.into(),
            trace: Trace::default(),
        }
    }

    pub(crate) fn input(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            reason: reason.into(),
        }
    }

    /// Classifies a non-2xx answer of the REST API by its status and Zoom's code:
    /// 429 is rate limited; 401, code 124 (invalid or expired token, whatever the
    /// status) and codes 4700/4711 (missing scopes) are auth; 404, and codes 3001/1001
    /// (no such webinar or user) on a 400, are not found; the rest (200, 3000, 3161,
    /// ...) is an API error with Zoom's message unchanged.
    pub(crate) fn from_api(api: ApiError) -> Self {
        let api = Box::new(api);
        match (api.status, api.code) {
            (429, _) => Error::RateLimited(api),
            (401, _) | (_, Some(124)) => Error::Auth(api),
            (400..=499, Some(code)) if SCOPE_CODES.contains(&code) => Error::Auth(api),
            (404, _) | (400, Some(3001 | 1001)) => Error::NotFound(api),
            _ => Error::Api(api),
        }
    }
}

/// zoomlive's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_kinds() {
        let kind = |status| {
            Error::from_api(ApiError {
                status,
                ..Default::default()
            })
            .kind()
        };
        assert_eq!(kind(401), ErrorKind::Auth);
        assert_eq!(kind(404), ErrorKind::NotFound);
        assert_eq!(kind(429), ErrorKind::RateLimited);
        assert_eq!(kind(300), ErrorKind::Api);
        assert_eq!(kind(400), ErrorKind::Api);
        assert_eq!(kind(503), ErrorKind::Api);
    }

    #[test]
    fn zoom_codes_map_to_kinds() {
        let kind = |status, code| {
            Error::from_api(ApiError {
                status,
                code: Some(code),
                ..Default::default()
            })
            .kind()
        };
        assert_eq!(kind(400, 4700), ErrorKind::Auth);
        assert_eq!(kind(401, 4711), ErrorKind::Auth);
        assert_eq!(kind(400, 124), ErrorKind::Auth);
        assert_eq!(kind(401, 124), ErrorKind::Auth);
        assert_eq!(kind(400, 3001), ErrorKind::NotFound);
        assert_eq!(kind(400, 1001), ErrorKind::NotFound);
        assert_eq!(kind(400, 200), ErrorKind::Api);
        assert_eq!(kind(400, 3000), ErrorKind::Api);
        assert_eq!(kind(400, 3161), ErrorKind::Api);
        assert_eq!(kind(300, 300), ErrorKind::Api);
        assert_eq!(kind(429, 124), ErrorKind::RateLimited);
    }

    #[test]
    fn missing_scopes_are_parsed() {
        let api = |code, message: &str| ApiError {
            status: 400,
            code: Some(code),
            message: message.into(),
            ..Default::default()
        };
        let e = api(
            4700,
            "Invalid access token, does not contain scopes:[meeting:write:admin, meeting:write].",
        );
        assert_eq!(e.missing_scopes(), ["meeting:write:admin", "meeting:write"]);
        assert!(
            e.to_string()
                .contains("add these scopes to the Zoom app: meeting:write:admin, meeting:write"),
            "{e}"
        );
        let e = api(
            4711,
            "Invalid access token, does not contain scopes: [webinar:write:admin]",
        );
        assert_eq!(e.missing_scopes(), ["webinar:write:admin"]);
        assert!(api(3000, "[a, b]").missing_scopes().is_empty());
        assert!(api(4700, "no list").missing_scopes().is_empty());
    }

    #[test]
    fn display_carries_zoom_details() {
        let e = Error::from_api(ApiError {
            status: 404,
            code: Some(3001),
            message: "Meeting does not exist: 1.".into(),
            tracking_id: Some("v=2.0;clid=us05".into()),
            ..Default::default()
        });
        assert_eq!(
            e.to_string(),
            "not found: HTTP 404, Zoom code 3001: Meeting does not exist: 1. [tracking id v=2.0;clid=us05]"
        );
    }
}
