//! The details of the last failure on the calling thread (like libgit2's
//! `git_error_last`, or Chilkat's `LastErrorText` without the token): where they are
//! kept and how a failure is recorded. `getters.rs` exports them to C.

use std::cell::RefCell;

pub(crate) use super::failure::LastError;
use super::status::*;
use super::text::TextError;
use crate::Error;

thread_local! {
    static LAST: RefCell<LastError> = RefCell::new(LastError::none());
}

fn set(last: LastError) {
    LAST.with(|l| *l.borrow_mut() = last);
}

/// Forgets the previous failure: each call's details describe that call only.
pub(crate) fn clear() {
    set(LastError::none());
}

/// Records a failure that has no core error (NULL, bad UTF-8, panic).
pub(crate) fn simple(status: zoomlive_status, message: String, field: &str) -> zoomlive_status {
    set(LastError::simple(status, message, field));
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
    let last = LastError::from(err);
    let status = last.status;
    set(last);
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
