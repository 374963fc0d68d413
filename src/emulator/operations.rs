//! The three live-stream operations on an admitted meeting or webinar: start or stop
//! (with settings), set the stream's URL, key and page, and read them back. Fields are
//! checked as Zoom's OpenAPI description types and bounds them.

use std::time::Instant;

use hyper::Response;
use serde::Serialize;
use serde_json::{Map, Value};

use super::config::Kind;
use super::refusal::Refusal;
use super::reply::{self, Body, FieldError};
use super::state::State;

/// The stream a call is about, once admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Target {
    /// Meeting or webinar.
    pub kind: Kind,
    /// Its id.
    pub id: u64,
}

/// `PATCH .../livestream/status`: `action` start or stop, optional `settings`.
pub(crate) fn update_status(
    state: &State,
    target: Target,
    fields: &Map<String, Value>,
) -> Result<(), Refusal> {
    let invalid =
        |field: &str, message: &str| Refusal::Validation(vec![FieldError::new(field, message)]);
    let start = match fields.get("action").and_then(Value::as_str) {
        Some("start") => true,
        Some("stop") => false,
        Some(_) => return Err(invalid("action", "Invalid field: must be start or stop.")),
        None => return Err(invalid("action", "Required field.")),
    };
    let settings = match fields.get("settings") {
        None => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            _ => {
                return Err(invalid("settings", "Invalid field: must be a JSON object."));
            }
        },
        Some(_) => return Err(invalid("settings", "Invalid field: must be an object.")),
    };
    let errors = settings_errors(&settings);
    if !errors.is_empty() {
        return Err(Refusal::Validation(errors));
    }
    let cooldown = state.config.start_cooldown;
    let Target { kind, id } = target;
    let outcome = state.with_stream(kind, id, |s| {
        if !settings.is_empty() && s.live {
            return Err(Refusal::SettingsWhileLive);
        }
        if start {
            if let Some(since) = s.last_start.map(|last| last.elapsed())
                && since < cooldown
            {
                let wait = (cooldown - since).as_secs_f64().ceil().max(1.0) as u64;
                return Err(Refusal::Cooldown(kind, id, wait));
            }
            s.last_start = Some(Instant::now());
        }
        s.settings.extend(settings);
        s.live = start;
        Ok(())
    });
    outcome.unwrap_or(Err(Refusal::NotFound(kind, id)))
}

/// What is wrong with the settings' documented keys (unknown keys pass).
fn settings_errors(settings: &Map<String, Value>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if settings
        .get("active_speaker_name")
        .is_some_and(|v| !v.is_boolean())
    {
        errors.push(FieldError::new(
            "settings.active_speaker_name",
            "Invalid field: must be a boolean.",
        ));
    }
    if let Some(v) = settings.get("display_name") {
        let ok = v
            .as_str()
            .is_some_and(|s| (1..=50).contains(&s.chars().count()));
        if !ok {
            errors.push(FieldError::new(
                "settings.display_name",
                "Invalid field: 1 to 50 characters.",
            ));
        }
    }
    for key in ["layout", "close_caption"] {
        if settings.get(key).is_some_and(|v| !v.is_string()) {
            errors.push(FieldError::new(
                &format!("settings.{key}"),
                "Invalid field: must be a string.",
            ));
        }
    }
    errors
}

/// `PATCH .../livestream`: `stream_url`, `stream_key`, `page_url`, optional `resolution`.
pub(crate) fn update_stream(
    state: &State,
    target: Target,
    fields: &Map<String, Value>,
) -> Result<(), Refusal> {
    let mut errors = Vec::new();
    let mut text = |name: &str, max: usize, required: bool| -> Option<String> {
        match fields.get(name) {
            None if required => {
                errors.push(FieldError::new(name, "Required field."));
                None
            }
            None => None,
            Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= max => Some(s.clone()),
            Some(_) => {
                let message = format!("Invalid field: 1 to {max} characters.");
                errors.push(FieldError::new(name, &message));
                None
            }
        }
    };
    let stream_url = text("stream_url", 1024, true);
    let stream_key = text("stream_key", 512, true);
    let page_url = text("page_url", 1024, true);
    let resolution = text("resolution", 5, false);
    if page_url.as_deref().is_some_and(|p| !is_web_url(p)) {
        errors.push(FieldError::new("page_url", "Invalid field: must be a URL."));
    }
    if resolution
        .as_deref()
        .is_some_and(|r| r != "720p" && r != "1080p")
    {
        errors.push(FieldError::new(
            "resolution",
            "Invalid field: 720p or 1080p.",
        ));
    }
    if !errors.is_empty() {
        return Err(Refusal::Validation(errors));
    }
    state.with_stream(target.kind, target.id, |s| {
        s.stream_url = stream_url.unwrap_or_default();
        s.stream_key = stream_key.unwrap_or_default();
        s.page_url = page_url.unwrap_or_default();
        s.resolution = resolution;
    });
    Ok(())
}

/// `http://` or `https://` followed by a host.
fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
}

/// Zoom's answer to `GET .../livestream`.
#[derive(Serialize)]
struct Livestream {
    stream_url: String,
    stream_key: String,
    page_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolution: Option<String>,
}

/// `GET .../livestream`: what was set last (empty strings before anything was).
pub(crate) fn get_stream(state: &State, target: Target) -> Response<Body> {
    let body = state.with_stream(target.kind, target.id, |s| Livestream {
        stream_url: s.stream_url.clone(),
        stream_key: s.stream_key.clone(),
        page_url: s.page_url.clone(),
        resolution: s.resolution.clone(),
    });
    reply::json(200, &body)
}
