//! The Last* properties: what the last call on one object did, with the same status
//! numbers and the same clearing rules as the C API's `zoomlive_last_*` getters.

use crate::Error;
use crate::capi::{
    ZOOMLIVE_STATUS_INVALID_UTF8, ZOOMLIVE_STATUS_OK, ZOOMLIVE_STATUS_PANIC, status_for,
    zoomlive_status,
};

/// A failed call, as the Last* properties describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Failure {
    pub status: zoomlive_status,
    pub message: String,
    pub field: String,
    pub http_status: i32,
    pub zoom_code: i64,
    pub retry_after_ms: i64,
    pub tracking_id: String,
    /// The scopes Zoom said the token lacks, comma-joined (as zoomlive_last_missing_scopes).
    pub missing_scopes: String,
    /// `type;category;limit;remaining` of the X-RateLimit-* headers, empty when there were
    /// none (as zoomlive_last_rate_limit).
    pub rate_limit: String,
}

impl Failure {
    fn simple(status: zoomlive_status, message: String, field: &str) -> Self {
        Failure {
            status,
            message,
            field: field.to_owned(),
            http_status: 0,
            zoom_code: 0,
            retry_after_ms: -1,
            tracking_id: String::new(),
            missing_scopes: String::new(),
            rate_limit: String::new(),
        }
    }

    /// An argument refused before the core saw it (wrong VARIANT type, fraction, range).
    pub fn invalid(field: &'static str, reason: String) -> Self {
        Self::from(&Error::input(field, reason))
    }

    pub fn invalid_utf8(field: &str) -> Self {
        Self::simple(
            ZOOMLIVE_STATUS_INVALID_UTF8,
            format!("{field} is not valid UTF-16 text"),
            field,
        )
    }

    pub fn panic(text: String) -> Self {
        Self::simple(ZOOMLIVE_STATUS_PANIC, text, "")
    }
}

impl From<&Error> for Failure {
    fn from(err: &Error) -> Self {
        let api = err.api();
        Failure {
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

/// The rate-limit headers as `type;category;limit;remaining`, as the C API gives them.
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

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Self::from(&err)
    }
}

/// The Last* state of one object: `None` after a success (or before any call).
#[derive(Default)]
pub(super) struct Last(Option<Failure>);

impl Last {
    /// Records the outcome of a method call and returns its status.
    pub fn record(&mut self, outcome: Result<(), Failure>) -> zoomlive_status {
        self.0 = outcome.err();
        self.status()
    }

    /// Records a failed property set (a successful one leaves Last* as they were).
    pub fn fail(&mut self, failure: Failure) {
        self.0 = Some(failure);
    }

    pub fn status(&self) -> zoomlive_status {
        self.0.as_ref().map_or(ZOOMLIVE_STATUS_OK, |f| f.status)
    }

    pub fn success(&self) -> bool {
        self.0.is_none()
    }

    pub fn text(&self, pick: fn(&Failure) -> &str) -> String {
        self.0
            .as_ref()
            .map_or_else(String::new, |f| pick(f).to_owned())
    }

    pub fn number(&self, pick: fn(&Failure) -> i64, cleared: i64) -> i64 {
        self.0.as_ref().map_or(cleared, pick)
    }
}
