//! The one `Error` type of zoomlive, its classification (`ErrorKind`) and the details
//! of an answer Zoom gave (`ApiError`).

use std::fmt;
use std::time::Duration;

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
    /// The token was refused (401) or Server-to-Server OAuth failed.
    Auth,
    /// Zoom answered 404: no such meeting, webinar or user.
    NotFound,
    /// Zoom answered 429 and the retry policy gave up (or the limit is daily).
    RateLimited,
    /// Any other non-2xx answer (including 300 and 400).
    Api,
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
        if let Some(wait) = self.retry_after {
            write!(f, " (retry after {}s)", wait.as_secs_f64())?;
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
    },
    /// The connect or overall timeout passed.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The token was refused, or Server-to-Server OAuth failed.
    #[error("authentication failed: {0}")]
    Auth(Box<ApiError>),
    /// Zoom answered 404.
    #[error("not found: {0}")]
    NotFound(Box<ApiError>),
    /// Zoom answered 429 and no (more) retry was allowed.
    #[error("rate limited: {0}")]
    RateLimited(Box<ApiError>),
    /// Any other non-2xx answer.
    #[error("Zoom API error: {0}")]
    Api(Box<ApiError>),
}

impl Error {
    /// The category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Auth(_) => ErrorKind::Auth,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::RateLimited(_) => ErrorKind::RateLimited,
            Error::Api(_) => ErrorKind::Api,
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

    pub(crate) fn input(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            reason: reason.into(),
        }
    }

    /// Classifies a non-2xx answer of the REST API by its status.
    pub(crate) fn from_api(api: ApiError) -> Self {
        let api = Box::new(api);
        match api.status {
            401 => Error::Auth(api),
            404 => Error::NotFound(api),
            429 => Error::RateLimited(api),
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
