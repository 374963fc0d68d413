//! The control API for tests in any language, under `/_emulator/`:
//!
//! - `GET /_emulator/requests`: the requests received (JSON array, credentials and
//!   stream keys shown as `***`); `DELETE` clears them
//! - `POST /_emulator/faults`: queue a fault (object) or several (array), see
//!   [`Fault`]; `DELETE` clears them
//! - `POST /_emulator/expire-tokens`: every issued OAuth token expires now
//! - `GET /_emulator/streams`: the live streams' state (without stream keys)
//! - `POST /_emulator/reset`: forget requests, faults, calls counted and stream state
//! - `PUT /_emulator/qps`: `{"qps": N}` changes the per-second limit (`null` or 0: none)
//! - `GET /_emulator/health`

use std::sync::atomic::Ordering;

use bytes::Bytes;
use hyper::{Method, Response};
use serde::Serialize;
use serde_json::Value;

use super::faults::Fault;
use super::reply::{self, Body};
use super::state::State;

/// The path prefix of the control API.
pub(crate) const PREFIX: &str = "/_emulator/";

/// `GET /_emulator/health`
#[derive(Serialize)]
struct Health {
    ok: bool,
    connections: u64,
}

/// A refused control request.
#[derive(Serialize)]
struct ControlError {
    error: String,
}

fn refuse(status: u16, error: String) -> Response<Body> {
    reply::json(status, &ControlError { error })
}

/// Answers `method` on `/_emulator/{path}`.
pub(crate) fn answer(state: &State, method: &Method, path: &str, body: &Bytes) -> Response<Body> {
    match (method.as_str(), path) {
        ("GET", "health") => reply::json(
            200,
            &Health {
                ok: true,
                connections: state.connections.load(Ordering::Relaxed),
            },
        ),
        ("GET", "requests") => reply::json(200, &state.requests()),
        ("DELETE", "requests") => {
            state.clear_requests();
            reply::empty(204)
        }
        ("POST", "faults") => match faults(body) {
            Ok(faults) => {
                faults.into_iter().for_each(|f| state.push_fault(f));
                reply::empty(204)
            }
            Err(e) => refuse(400, e),
        },
        ("DELETE", "faults") => {
            state.clear_faults();
            reply::empty(204)
        }
        ("POST", "expire-tokens") => {
            state.expire_tokens();
            reply::empty(204)
        }
        ("GET", "streams") => reply::json(200, &state.streams_json()),
        ("PUT", "qps") => match serde_json::from_slice::<Value>(body) {
            Ok(v) if v["qps"].is_null() || v["qps"].as_f64().is_some_and(|q| q >= 0.0) => {
                state.qps.set(v["qps"].as_f64());
                reply::empty(204)
            }
            _ => refuse(400, "want {\"qps\": N} with N >= 0, or null".into()),
        },
        ("GET", "qps") => reply::json(200, &serde_json::json!({"qps": state.qps.limit()})),
        ("POST", "reset") => {
            state.reset();
            reply::empty(204)
        }
        _ => refuse(404, format!("no control route {method} {PREFIX}{path}")),
    }
}

/// A fault (an object) or several (an array).
fn faults(body: &Bytes) -> Result<Vec<Fault>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => items.iter().map(Fault::from_json).collect(),
        Ok(v) => Fault::from_json(&v).map(|f| vec![f]),
        Err(e) => Err(format!("not JSON: {e}")),
    }
}
