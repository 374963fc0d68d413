//! Zoom's live-stream routes, with or without the `/v2` prefix:
//! `PATCH /meetings/{id}/livestream/status`, `PATCH /webinars/{id}/livestream/status`,
//! `PATCH|GET /meetings/{id}/livestream`, `PATCH|GET /webinars/{id}/livestream`.
//!
//! Every call first passes the checks Zoom makes before looking at the operation, in
//! Zoom's order: route, method, token, per-second limit, scopes, daily limit, id,
//! owner, content type, body. Each failed check is a [`Refusal`].

use hyper::{HeaderMap, Method, Response};
use serde_json::{Map, Value};

use super::config::{DELETED_HOST, Kind};
use super::forms::{self, Parsed};
use super::operations::{self, Target};
use super::qps::Verdict;
use super::refusal::Refusal;
use super::reply::{self, Body};
use super::state::State;

/// The two resources of a meeting's or webinar's live stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resource {
    /// `.../livestream/status`: start or stop (PATCH).
    Status,
    /// `.../livestream`: the stream's URL, key and page (PATCH, GET).
    Stream,
}

/// Answers a call to one of Zoom's live-stream routes.
pub(crate) fn route(
    state: &State,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    parsed: &Parsed,
    xml: bool,
) -> Response<Body> {
    let mut verdict = Verdict::Unlimited;
    let mut resp = admit(state, method, path, headers, parsed, &mut verdict)
        .and_then(|(target, resource)| run(state, method, target, resource, &parsed.fields))
        .unwrap_or_else(|refusal| refusal.answer(&state.config, xml));
    if let Verdict::Allowed { limit, remaining } = verdict
        && state.config.rate_limit_headers
    {
        for (name, value) in [
            ("x-ratelimit-type", "QPS".to_owned()),
            ("x-ratelimit-category", "Light".to_owned()),
            ("x-ratelimit-limit", limit.to_string()),
            ("x-ratelimit-remaining", remaining.to_string()),
        ] {
            reply::set_header(&mut resp, name, &value);
        }
    }
    resp
}

/// Runs the operation a route and method name.
fn run(
    state: &State,
    method: &Method,
    target: Target,
    resource: Resource,
    fields: &Map<String, Value>,
) -> Result<Response<Body>, Refusal> {
    let updated = match (resource, method == Method::GET) {
        (Resource::Stream, true) => return Ok(operations::get_stream(state, target)),
        (Resource::Stream, false) => operations::update_stream(state, target, fields),
        (Resource::Status, _) => operations::update_status(state, target, fields),
    };
    updated.map(|()| reply::empty(204))
}

/// The checks every operation shares, in the order Zoom makes them.
fn admit(
    state: &State,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    parsed: &Parsed,
    verdict: &mut Verdict,
) -> Result<(Target, Resource), Refusal> {
    let config = &state.config;
    let (kind, raw_id, resource) = parse_path(path).ok_or_else(|| Refusal::NoRoute {
        method: method.to_string(),
        path: path.to_owned(),
    })?;
    let allowed =
        method == Method::PATCH || (resource == Resource::Stream && method == Method::GET);
    if !allowed {
        return Err(Refusal::MethodNotAllowed {
            method: method.to_string(),
        });
    }
    let Some(token) = forms::credential(headers, "bearer").filter(|t| state.token_valid(t)) else {
        return Err(Refusal::InvalidToken);
    };
    *verdict = state.qps.take(&state.account_of(&token));
    if let Verdict::Refused { limit } = *verdict {
        return Err(Refusal::Qps(limit));
    }
    if !config.missing_scopes.is_empty() {
        return Err(Refusal::MissingScopes(config.missing_scopes.clone()));
    }
    if let Some(limit) = config.daily_limit
        && state.count_call() > limit
    {
        return Err(Refusal::DailyLimit(limit));
    }
    let id = match raw_id.parse::<u64>() {
        Ok(id) if id > 0 && raw_id.bytes().all(|b| b.is_ascii_digit()) => id,
        _ => return Err(Refusal::InvalidId(kind)),
    };
    if kind == Kind::Webinar && config.hostless_webinars.contains(&id) {
        return Err(Refusal::UserNotFound(DELETED_HOST.to_owned()));
    }
    if state.live(kind, id).is_none() {
        return Err(Refusal::NotFound(kind, id));
    }
    if config.json_only && method == Method::PATCH && parsed.encoding != "json" {
        return Err(Refusal::UnsupportedContentType);
    }
    if let Some(error) = &parsed.error {
        return Err(Refusal::InvalidBody(error.clone()));
    }
    Ok((Target { kind, id }, resource))
}

/// `/v2/meetings/5/livestream` → (meeting, "5", stream).
fn parse_path(path: &str) -> Option<(Kind, &str, Resource)> {
    let api_path = path.strip_prefix("/v2").unwrap_or(path);
    let segments: Vec<&str> = api_path.trim_start_matches('/').split('/').collect();
    let (owner, id, resource) = match segments.as_slice() {
        [owner, id, "livestream"] => (*owner, *id, Resource::Stream),
        [owner, id, "livestream", "status"] => (*owner, *id, Resource::Status),
        _ => return None,
    };
    let kind = match owner {
        "meetings" => Kind::Meeting,
        "webinars" => Kind::Webinar,
        _ => return None,
    };
    Some((kind, id, resource))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_a_kind_an_id_and_a_resource() {
        assert_eq!(
            parse_path("/v2/meetings/5/livestream/status"),
            Some((Kind::Meeting, "5", Resource::Status))
        );
        assert_eq!(
            parse_path("/webinars/x/livestream"),
            Some((Kind::Webinar, "x", Resource::Stream))
        );
        assert_eq!(parse_path("/v2/users/5/livestream"), None);
        assert_eq!(parse_path("/v2/meetings/5"), None);
    }
}
