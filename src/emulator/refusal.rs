//! Every way the emulator refuses a call, each answered as Zoom documents it.

use hyper::Response;

use super::config::{Config, Kind};
use super::reply::{self, Body, FieldError};

/// Why a call is refused.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Refusal {
    /// The body is over the emulator's size limit: 413.
    BodyTooLarge,
    /// No Zoom route has this path: 404.
    NoRoute {
        /// The request's method.
        method: String,
        /// The request's path.
        path: String,
    },
    /// The route exists, not for this method: 405.
    MethodNotAllowed {
        /// The request's method.
        method: String,
    },
    /// No bearer token, or one the emulator did not issue or accept: 401, code 124.
    InvalidToken,
    /// The app lacks these scopes: 400, code 4700.
    MissingScopes(Vec<String>),
    /// The daily limit of this many calls is used up: 429 with
    /// `X-RateLimit-Type: Daily-limit` and `Retry-After` at the next 00:00 UTC.
    DailyLimit(u64),
    /// The id is not a positive decimal number: code 300 with the configured status.
    InvalidId(Kind),
    /// No such meeting (404) or webinar (400), code 3001.
    NotFound(Kind, u64),
    /// The user owning the webinar does not exist: 400, code 1001.
    UserNotFound(String),
    /// Form data sent to a JSON-only Zoom: 415, code 300.
    UnsupportedContentType,
    /// The body could not be parsed: 400, code 300.
    InvalidBody(String),
    /// Fields are missing or wrong: 400, code 300 with `errors[]`.
    Validation(Vec<FieldError>),
    /// Settings sent while the stream is live: 400, code 3000.
    SettingsWhileLive,
    /// A start within the start cooldown: 429, the wait (seconds) in the message.
    Cooldown(Kind, u64, u64),
    /// Over the per-second limit of this many calls: 429.
    Qps(u64),
}

impl Refusal {
    /// The HTTP status and Zoom code it is answered with.
    pub fn status_and_code(&self, config: &Config) -> (u16, i64) {
        match self {
            Refusal::BodyTooLarge => (413, 413),
            Refusal::NoRoute { .. } => (404, 404),
            Refusal::MethodNotAllowed { .. } => (405, 405),
            Refusal::InvalidToken => (401, 124),
            Refusal::MissingScopes(_) => (400, 4700),
            Refusal::DailyLimit(_) | Refusal::Cooldown(..) | Refusal::Qps(_) => (429, 429),
            Refusal::InvalidId(_) => match config.invalid_id_status {
                status @ 100..=599 => (status, 300),
                _ => (400, 300),
            },
            Refusal::NotFound(Kind::Meeting, _) => (404, 3001),
            Refusal::NotFound(Kind::Webinar, _) => (400, 3001),
            Refusal::UserNotFound(_) => (400, 1001),
            Refusal::UnsupportedContentType => (415, 300),
            Refusal::InvalidBody(_) | Refusal::Validation(_) => (400, 300),
            Refusal::SettingsWhileLive => (400, 3000),
        }
    }

    /// Zoom's message for it.
    pub fn message(&self) -> String {
        match self {
            Refusal::BodyTooLarge => "Request body too large.".into(),
            Refusal::NoRoute { method, path } => format!("No route for {method} {path}."),
            Refusal::MethodNotAllowed { method } => format!("Method {method} not allowed here."),
            Refusal::InvalidToken => "Invalid access token.".into(),
            Refusal::MissingScopes(scopes) => format!(
                "Invalid access token, does not contain scopes:[{}].",
                scopes.join(", ")
            ),
            Refusal::DailyLimit(limit) => format!(
                "You have exceeded the daily rate limit ({limit}) of Live Stream API requests \
                 permitted for this account. You may resume these requests at GMT 00:00:00."
            ),
            Refusal::InvalidId(kind) => format!("Invalid {} ID.", kind.noun()),
            Refusal::NotFound(kind, id) => format!("{} does not exist: {id}.", kind.noun()),
            Refusal::UserNotFound(user) => format!("User does not exist: {user}."),
            Refusal::UnsupportedContentType => "Unsupported Content Type".into(),
            Refusal::InvalidBody(why) => format!("Invalid request body: {why}."),
            Refusal::Validation(_) => "Validation Failed.".into(),
            Refusal::SettingsWhileLive => {
                "Live stream settings can only be updated while the live stream is stopped.".into()
            }
            Refusal::Qps(_) => "You have reached the maximum per-second rate limit for this API. \
                                 Try again later."
                .into(),
            Refusal::Cooldown(kind, id, wait) => format!(
                "Too many requests submitted to start the live stream of this {}: {id}. If the \
                 live stream has not already started, retry making a new request after {wait} \
                 seconds.",
                kind.noun().to_ascii_lowercase()
            ),
        }
    }

    /// The rate-limit headers it comes with.
    fn headers(&self, config: &Config) -> Vec<(&'static str, String)> {
        match self {
            Refusal::DailyLimit(limit) => vec![
                ("retry-after", reply::next_utc_midnight()),
                ("x-ratelimit-type", "Daily-limit".into()),
                ("x-ratelimit-category", "Light".into()),
                ("x-ratelimit-limit", limit.to_string()),
                ("x-ratelimit-remaining", "0".into()),
            ],
            Refusal::Cooldown(_, _, wait) if config.rate_limit_headers => vec![
                ("retry-after", wait.to_string()),
                ("x-ratelimit-type", "QPS".into()),
                ("x-ratelimit-category", "Light".into()),
                ("x-ratelimit-limit", "1".into()),
                ("x-ratelimit-remaining", "0".into()),
            ],
            Refusal::Qps(limit) if config.rate_limit_headers => vec![
                ("retry-after", "1".into()),
                ("x-ratelimit-type", "QPS".into()),
                ("x-ratelimit-category", "Light".into()),
                ("x-ratelimit-limit", limit.to_string()),
                ("x-ratelimit-remaining", "0".into()),
            ],
            _ => Vec::new(),
        }
    }

    /// The answer, as JSON or (`xml`) as Zoom's XML error.
    pub fn answer(&self, config: &Config, xml: bool) -> Response<Body> {
        let (status, code) = self.status_and_code(config);
        self.answer_as(config, status, code, xml)
    }

    /// The answer with another status and code (a fault may ask for them).
    pub fn answer_as(&self, config: &Config, status: u16, code: i64, xml: bool) -> Response<Body> {
        let errors = match self {
            Refusal::Validation(errors) => errors.as_slice(),
            _ => &[],
        };
        let mut resp = reply::zoom_error(status, code, &self.message(), errors, xml);
        for (name, value) in self.headers(config) {
            reply::set_header(&mut resp, name, &value);
        }
        resp
    }
}
