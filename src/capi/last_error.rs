//! The details of the last failure on the calling thread (like libgit2's
//! `git_error_last`, or Chilkat's `LastErrorText` without the token): where they are
//! kept and how a failure is recorded. `getters.rs` exports them to C.

use std::cell::RefCell;

use super::status::*;
use super::text::TextError;
use crate::Error;

/// What the last failed call on a thread left for the getters.
#[derive(Default)]
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

thread_local! {
    static LAST: RefCell<LastError> = RefCell::new(LastError { retry_after_ms: -1, ..Default::default() });
}

fn set(last: LastError) {
    LAST.with(|l| *l.borrow_mut() = last);
}

/// Forgets the previous failure: each call's details describe that call only.
pub(crate) fn clear() {
    set(LastError {
        retry_after_ms: -1,
        ..Default::default()
    });
}

/// Records a failure that has no core error (NULL, bad UTF-8, panic).
pub(crate) fn simple(status: zoomlive_status, message: String, field: &str) -> zoomlive_status {
    set(LastError {
        status,
        message,
        field: field.to_owned(),
        retry_after_ms: -1,
        ..Default::default()
    });
    status
}

/// Records a NULL argument.
pub(crate) fn null_argument(name: &str) -> zoomlive_status {
    simple(
        ZOOMLIVE_STATUS_NULL_ARGUMENT,
        format!("{name} must not be NULL"),
        name,
    )
}

/// Records an argument that is not UTF-8.
pub(crate) fn invalid_utf8(name: &str) -> zoomlive_status {
    simple(
        ZOOMLIVE_STATUS_INVALID_UTF8,
        format!("{name} is not valid UTF-8"),
        name,
    )
}

/// Records a refused text argument.
pub(crate) fn text_refused(name: &str, error: TextError) -> zoomlive_status {
    match error {
        TextError::Null => null_argument(name),
        TextError::NotUtf8 => invalid_utf8(name),
    }
}

/// Records a core error and returns its status.
pub(crate) fn record(err: &Error) -> zoomlive_status {
    let status = status_for(err.kind());
    let api = err.api();
    set(LastError {
        status,
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
    });
    status
}

/// Turns a core result into a status, recording the error.
pub(crate) fn status_of<T>(result: crate::Result<T>) -> Result<T, zoomlive_status> {
    result.map_err(|e| record(&e))
}

/// Reads the last error without clearing it (the getters below must not reset it).
pub(crate) fn with_last<T>(f: impl FnOnce(&LastError) -> T) -> T {
    LAST.with(|l| f(&l.borrow()))
}
