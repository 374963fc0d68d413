//! The details of the last failure on the calling thread (like libgit2's
//! `git_error_last`, or Chilkat's `LastErrorText` without the token), the panic
//! boundary, and the getters C callers read them with.

use std::any::Any;
use std::cell::RefCell;
use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::status::*;
use super::text::copy_out;
use crate::Error;

#[derive(Default)]
struct LastError {
    status: zoomlive_status,
    message: String,
    field: String,
    http_status: i32,
    zoom_code: i64,
    retry_after_ms: i64,
    tracking_id: String,
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

fn simple(status: zoomlive_status, message: String, field: &str) -> zoomlive_status {
    set(LastError {
        status,
        message,
        field: field.to_owned(),
        retry_after_ms: -1,
        ..Default::default()
    });
    status
}

pub(crate) fn null_argument(name: &str) -> zoomlive_status {
    simple(
        ZOOMLIVE_STATUS_NULL_ARGUMENT,
        format!("{name} must not be NULL"),
        name,
    )
}

pub(crate) fn invalid_utf8(name: &str) -> zoomlive_status {
    simple(
        ZOOMLIVE_STATUS_INVALID_UTF8,
        format!("{name} is not valid UTF-8"),
        name,
    )
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
    });
    status
}

/// Turns a core result into a status, recording the error.
pub(crate) fn status_of<T>(result: crate::Result<T>) -> Result<T, zoomlive_status> {
    result.map_err(|e| record(&e))
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic");
    format!("zoomlive panicked (please report this bug): {text}")
}

/// Runs an export returning a status: clears the last error first (unless it reads
/// it), and turns a panic into `ZOOMLIVE_STATUS_PANIC`.
pub(crate) fn status_boundary(
    clear_first: bool,
    f: impl FnOnce() -> zoomlive_status,
) -> zoomlive_status {
    if clear_first {
        clear();
    }
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(status) => status,
        Err(payload) => simple(ZOOMLIVE_STATUS_PANIC, panic_text(&*payload), ""),
    }
}

/// A value returned when an export that has no status panics.
pub(crate) trait OnPanic {
    fn on_panic() -> Self;
}

impl OnPanic for () {
    fn on_panic() {}
}

impl OnPanic for i32 {
    fn on_panic() -> Self {
        0
    }
}

impl OnPanic for i64 {
    fn on_panic() -> Self {
        0
    }
}

impl OnPanic for *const c_char {
    fn on_panic() -> Self {
        c"".as_ptr()
    }
}

/// Runs an export without a status, returning a neutral value on panic.
pub(crate) fn value_boundary<T: OnPanic>(f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        simple(ZOOMLIVE_STATUS_PANIC, panic_text(&*payload), "");
        T::on_panic()
    })
}

/// Reads the last error without clearing it (the getters below must not reset it).
fn with_last<T>(f: impl FnOnce(&LastError) -> T) -> T {
    LAST.with(|l| f(&l.borrow()))
}

fn copy_last(
    pick: fn(&LastError) -> &str,
    buf: *mut c_char,
    cap: usize,
    needed: *mut usize,
) -> zoomlive_status {
    let text = with_last(|l| pick(l).to_owned());
    // SAFETY: the caller's contract for buf/cap/needed, documented on each getter.
    unsafe { copy_out(&text, buf, cap, needed) }
}

ffi_fn! {
    /// The status of the last failed call on this thread (`ZOOMLIVE_STATUS_OK` when the
    /// last call succeeded).
    reader fn zoomlive_last_status() -> zoomlive_status {
        with_last(|l| l.status)
    }
}

ffi_fn! {
    /// The HTTP status of the last failed call on this thread; 0 when no answer came
    /// (input error, transport error, timeout) or the last call succeeded.
    fn zoomlive_last_http_status() -> i32 {
        with_last(|l| l.http_status)
    }
}

ffi_fn! {
    /// Zoom's error `code` of the last failed call on this thread (1001, 3001, 300, ...);
    /// 0 when there is none.
    fn zoomlive_last_zoom_code() -> i64 {
        with_last(|l| l.zoom_code)
    }
}

ffi_fn! {
    /// The `Retry-After` of the last failed call on this thread in milliseconds; -1 when
    /// there was none.
    fn zoomlive_last_retry_after_ms() -> i64 {
        with_last(|l| l.retry_after_ms)
    }
}

ffi_fn! {
    /// The message of the last failure on this thread: the field and reason for input
    /// errors; Zoom's code, message, Retry-After and tracking id for API errors. Never
    /// holds a token or secret; empty after a successful call.
    ///
    /// Copies it, NUL-terminated UTF-8, into `buf` when `cap` bytes hold it, and
    /// reports the size needed (with the NUL) in `*needed` when `needed` is not NULL.
    /// Returns `ZOOMLIVE_STATUS_BUFFER_TOO_SMALL`, writing nothing into `buf`, when it
    /// does not fit or `buf` is NULL.
    reader fn zoomlive_last_error_message(buf: *mut c_char, cap: usize, needed: *mut usize) -> zoomlive_status {
        copy_last(|l| &l.message, buf, cap, needed)
    }
}

ffi_fn! {
    /// The argument or field refused by the last failed call on this thread
    /// (`meeting_id`, `settings.display_name`, ...), empty otherwise; copied out as by
    /// `zoomlive_last_error_message`.
    reader fn zoomlive_last_error_field(buf: *mut c_char, cap: usize, needed: *mut usize) -> zoomlive_status {
        copy_last(|l| &l.field, buf, cap, needed)
    }
}

ffi_fn! {
    /// The `x-zm-trackingid` of the last failed call on this thread, to quote to Zoom
    /// support, empty when there was none; copied out as by `zoomlive_last_error_message`.
    reader fn zoomlive_last_tracking_id(buf: *mut c_char, cap: usize, needed: *mut usize) -> zoomlive_status {
        copy_last(|l| &l.tracking_id, buf, cap, needed)
    }
}
