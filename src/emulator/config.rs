//! How an emulator behaves: what it knows, whom it lets in, and which of Zoom's
//! documented answers it gives.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;

/// The token the wire captures carry; accepted by default.
pub const DEFAULT_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef";
/// The meeting id of the seeds, known by default.
pub const DEFAULT_MEETING: u64 = 68423085;
/// The webinar id of the wire captures, known by default.
pub const DEFAULT_WEBINAR: u64 = 91234567890;
/// The user id named by `1001 User does not exist` for a webinar whose host is gone.
pub const DELETED_HOST: &str = "KDcuGIm1QgePTO8WbOqwIQ";

/// Meeting or webinar: whose live stream a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `/meetings/{id}/...`
    Meeting,
    /// `/webinars/{id}/...`
    Webinar,
}

impl Kind {
    /// `Meeting` or `Webinar`, as Zoom's messages write it.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Meeting => "Meeting",
            Kind::Webinar => "Webinar",
        }
    }
}

/// A Server-to-Server OAuth app the emulator issues tokens to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthApp {
    /// The Zoom account id the app belongs to.
    pub account_id: String,
    /// The app's client id.
    pub client_id: String,
    /// The app's client secret (emulator credentials are not real secrets).
    pub client_secret: String,
}

impl Default for OAuthApp {
    fn default() -> Self {
        OAuthApp {
            account_id: "demo-account".into(),
            client_id: "demo-client".into(),
            client_secret: "demo-secret".into(),
        }
    }
}

/// How the emulator behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (port 0: any free port).
    pub bind: SocketAddr,
    /// Known meeting ids.
    pub meetings: Vec<u64>,
    /// Known webinar ids.
    pub webinars: Vec<u64>,
    /// Webinars whose host user no longer exists: calls on them answer HTTP 400 with
    /// Zoom code 1001 `User does not exist: {user}.`, as Zoom does.
    pub hostless_webinars: Vec<u64>,
    /// Bearer tokens accepted as they are (besides those issued by `/oauth/token`).
    pub tokens: Vec<String>,
    /// Server-to-Server OAuth apps that may fetch tokens.
    pub oauth_apps: Vec<OAuthApp>,
    /// Lifetime of issued OAuth tokens.
    pub token_ttl: Duration,
    /// Refuse form data as a strict, JSON-only Zoom does: HTTP 415,
    /// `{"code":300,"message":"Unsupported Content Type"}`.
    pub json_only: bool,
    /// Minimum time between two starts of one stream; a faster start gets Zoom's
    /// documented 429, whose message states the wait in seconds. Zero turns this off.
    pub start_cooldown: Duration,
    /// Adds `Retry-After` and `X-RateLimit-*` headers to the start cooldown's 429
    /// (Zoom documents it without them), and, with `qps`, to every API answer.
    pub rate_limit_headers: bool,
    /// The HTTP status of the answer to a malformed meeting or webinar id, always with
    /// Zoom code 300: 400 (Zoom's current description, the default) or 300 (the seeds'
    /// Postman collection). A value that is no HTTP status (outside 100..=599) counts
    /// as 400.
    pub invalid_id_status: u16,
    /// Scopes the calling app lacks: when not empty, every authorised API call answers
    /// HTTP 400, code 4700 `Invalid access token, does not contain scopes:[...]`.
    pub missing_scopes: Vec<String>,
    /// API calls allowed until the emulator is reset (its "day"); the calls after them
    /// answer Zoom's daily-limit 429 (`X-RateLimit-Type: Daily-limit`, `Retry-After`
    /// at the next 00:00 UTC). `None`: no daily limit.
    pub daily_limit: Option<u64>,
    /// Zoom's per-second limit: API calls allowed per second per account (a token
    /// bucket); a call over it answers Zoom's per-second 429 (with `rate_limit_headers`,
    /// also `X-RateLimit-*` on every answer). `None`: no limit.
    pub qps: Option<f64>,
    /// Every API answer is delayed this long (the internet's round trip to Zoom).
    pub latency: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            meetings: vec![DEFAULT_MEETING],
            webinars: vec![DEFAULT_WEBINAR],
            hostless_webinars: Vec::new(),
            tokens: vec![DEFAULT_TOKEN.to_owned()],
            oauth_apps: vec![OAuthApp::default()],
            token_ttl: Duration::from_secs(3600),
            json_only: false,
            start_cooldown: Duration::ZERO,
            rate_limit_headers: false,
            invalid_id_status: 400,
            missing_scopes: Vec::new(),
            daily_limit: None,
            qps: None,
            latency: Duration::ZERO,
        }
    }
}
