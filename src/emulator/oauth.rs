//! `POST /oauth/token`: Server-to-Server OAuth (`grant_type=account_credentials`),
//! with Zoom's `{"reason","error"}` refusals.

use base64::Engine as _;
use hyper::{HeaderMap, Method, Response};
use serde::Serialize;

use super::forms::{self, Parsed};
use super::refusal::Refusal;
use super::reply::{self, Body};
use super::state::State;

/// The path of the token endpoint.
pub(crate) const TOKEN_PATH: &str = "/oauth/token";

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OAuthRefusal {
    /// No `Authorization: Basic base64(client_id:client_secret)`: 401.
    MissingClient,
    /// No app has this client id and secret: 400.
    WrongClient,
    /// `grant_type` is not `account_credentials`: 400.
    UnsupportedGrant,
    /// `account_id` is not the app's: 400.
    WrongAccount,
}

/// Zoom's OAuth error body.
#[derive(Serialize)]
struct OAuthError {
    reason: &'static str,
    error: &'static str,
}

impl OAuthRefusal {
    fn answer(self) -> Response<Body> {
        let (status, reason, error) = match self {
            OAuthRefusal::MissingClient => (
                401,
                "Missing or malformed client credentials",
                "invalid_client",
            ),
            OAuthRefusal::WrongClient => {
                (400, "Invalid client_id or client_secret", "invalid_client")
            }
            OAuthRefusal::UnsupportedGrant => {
                (400, "unsupported grant type", "unsupported_grant_type")
            }
            OAuthRefusal::WrongAccount => (400, "Invalid account_id", "invalid_request"),
        };
        reply::json(status, &OAuthError { reason, error })
    }
}

/// The scopes an issued token lists (less `Config::missing_scopes`).
const APP_SCOPES: [&str; 4] = [
    "meeting:write:admin",
    "webinar:write:admin",
    "meeting:read:admin",
    "webinar:read:admin",
];

/// An issued token.
#[derive(Serialize)]
struct Token {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
    scope: String,
    api_url: &'static str,
}

/// Answers a request to [`TOKEN_PATH`].
pub(crate) fn token(
    state: &State,
    method: &Method,
    query: Option<&str>,
    headers: &HeaderMap,
    parsed: &Parsed,
) -> Response<Body> {
    if method != Method::POST {
        let refusal = Refusal::MethodNotAllowed {
            method: method.to_string(),
        };
        return refusal.answer(&state.config, false);
    }
    match issue(state, query, headers, parsed) {
        Ok(token) => reply::json(200, &token),
        Err(refusal) => refusal.answer(),
    }
}

fn issue(
    state: &State,
    query: Option<&str>,
    headers: &HeaderMap,
    parsed: &Parsed,
) -> Result<Token, OAuthRefusal> {
    // Zoom documents the parameters in the query string; clients also send them as a form.
    let from_query = form_urlencoded::parse(query.unwrap_or("").as_bytes());
    let param = |name: &str| {
        parsed
            .fields
            .get(name)
            .and_then(|v| v.as_str().map(str::to_owned))
            .or_else(|| {
                from_query
                    .clone()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
            })
            .unwrap_or_default()
    };
    let (client_id, secret) = forms::credential(headers, "basic")
        .and_then(|encoded| {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()?;
            let text = String::from_utf8(decoded).ok()?;
            let (id, secret) = text.split_once(':')?;
            Some((id.to_owned(), secret.to_owned()))
        })
        .ok_or(OAuthRefusal::MissingClient)?;
    let app = state
        .config
        .oauth_apps
        .iter()
        .find(|a| a.client_id == client_id && a.client_secret == secret)
        .ok_or(OAuthRefusal::WrongClient)?;
    if param("grant_type") != "account_credentials" {
        return Err(OAuthRefusal::UnsupportedGrant);
    }
    if param("account_id") != app.account_id {
        return Err(OAuthRefusal::WrongAccount);
    }
    Ok(Token {
        access_token: state.issue_token(&app.account_id),
        token_type: "bearer",
        expires_in: state.config.token_ttl.as_secs(),
        // The app's scopes, less those the emulator is told it lacks.
        scope: APP_SCOPES
            .iter()
            .filter(|s| !state.config.missing_scopes.iter().any(|m| m == *s))
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
        api_url: "https://api.zoom.us",
    })
}
