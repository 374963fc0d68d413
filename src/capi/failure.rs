//! A failed call as the C getters (and the COM object's Last* properties) describe it:
//! one description of a core error for both faces.

use super::status::*;
use crate::Error;

/// What the last failed call on a thread left for the getters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LastError {
    pub(crate) status: zoomlive_status,
    pub(crate) message: String,
    pub(crate) field: String,
    pub(crate) http_status: i32,
    pub(crate) zoom_code: i64,
    pub(crate) retry_after_ms: i64,
    pub(crate) tracking_id: String,
    /// The scopes Zoom said the token lacks, comma-joined without spaces.
    pub(crate) missing_scopes: String,
    /// `type;category;limit;remaining` of the X-RateLimit-* headers; empty when the
    /// answer had none of them.
    pub(crate) rate_limit: String,
}

/// The rate-limit headers of an answer as `type;category;limit;remaining`, with empty
/// fields for the headers Zoom did not send; empty when it sent none.
fn rate_limit_text(api: &crate::ApiError) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let number = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    let fields = [
        text(&api.rate_limit_type),
        text(&api.rate_limit_category),
        number(api.rate_limit_limit),
        number(api.rate_limit_remaining),
    ];
    if fields.iter().all(String::is_empty) {
        String::new()
    } else {
        fields.join(";")
    }
}

impl LastError {
    /// No failure: what a successful call leaves (`retry_after_ms` is -1, "none").
    pub(crate) fn none() -> Self {
        LastError {
            retry_after_ms: -1,
            ..Default::default()
        }
    }

    /// A failure that has no core error (NULL, bad text, panic).
    pub(crate) fn simple(status: zoomlive_status, message: String, field: &str) -> Self {
        LastError {
            status,
            message,
            field: field.to_owned(),
            ..Self::none()
        }
    }
}

impl From<&Error> for LastError {
    fn from(err: &Error) -> Self {
        let api = err.api();
        LastError {
            status: status_for(err.kind()),
            message: err.to_string(),
            field: err.field().unwrap_or("").to_owned(),
            http_status: api.map_or(0, |a| i32::from(a.status)),
            zoom_code: api.and_then(|a| a.code).unwrap_or(0),
            retry_after_ms: api
                .and_then(|a| a.retry_after)
                .map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            tracking_id: api.and_then(|a| a.tracking_id.clone()).unwrap_or_default(),
            missing_scopes: api
                .map(|a| a.missing_scopes().join(","))
                .unwrap_or_default(),
            rate_limit: api.map(rate_limit_text).unwrap_or_default(),
        }
    }
}

impl From<Error> for LastError {
    fn from(err: Error) -> Self {
        Self::from(&err)
    }
}
