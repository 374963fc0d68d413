//! `zoomlive_status`: the result of every fallible export. Codes are never renumbered;
//! retired ones stay listed as reserved.

use std::ffi::c_char;

use crate::ErrorKind;

/// The result of a fallible zoomlive function: `ZOOMLIVE_STATUS_OK` (0) or an error code.
pub type zoomlive_status = i32;

/// Success.
pub const ZOOMLIVE_STATUS_OK: zoomlive_status = 0;
/// A pointer argument was NULL.
pub const ZOOMLIVE_STATUS_NULL_ARGUMENT: zoomlive_status = 1;
/// An argument was refused (bad id, action, settings, URL, ...); nothing was sent.
pub const ZOOMLIVE_STATUS_INVALID_ARGUMENT: zoomlive_status = 2;
/// A text argument was not valid UTF-8; nothing was sent.
pub const ZOOMLIVE_STATUS_INVALID_UTF8: zoomlive_status = 3;
/// The connection failed (DNS, connect, TLS, reset).
pub const ZOOMLIVE_STATUS_TRANSPORT: zoomlive_status = 4;
/// The connect or overall timeout passed.
pub const ZOOMLIVE_STATUS_TIMEOUT: zoomlive_status = 5;
/// The token was refused (401, or Zoom code 124), it lacks scopes (Zoom codes 4700 and
/// 4711; see `zoomlive_last_missing_scopes`), or Server-to-Server OAuth failed.
pub const ZOOMLIVE_STATUS_AUTH: zoomlive_status = 6;
/// No such meeting, webinar or user: Zoom answered 404, or 400 with code 3001 or 1001
/// (as webinar calls do).
pub const ZOOMLIVE_STATUS_NOT_FOUND: zoomlive_status = 7;
/// Zoom answered 429 and retrying was not allowed (a long wait, a daily limit); see
/// `zoomlive_last_retry_after_ms` and `zoomlive_last_rate_limit`.
pub const ZOOMLIVE_STATUS_RATE_LIMITED: zoomlive_status = 8;
/// Zoom answered another non-2xx status (300, 400, 5xx, ...).
pub const ZOOMLIVE_STATUS_API_ERROR: zoomlive_status = 9;
/// The caller's buffer is too small; the needed size (with the NUL) was reported.
pub const ZOOMLIVE_STATUS_BUFFER_TOO_SMALL: zoomlive_status = 10;
/// zoomlive panicked (a bug); the message says where.
pub const ZOOMLIVE_STATUS_PANIC: zoomlive_status = 11;
/// The proxy asked for credentials and refused those given, offered no scheme the
/// client can answer, or none were set; the message names the proxy and what it offered.
pub const ZOOMLIVE_STATUS_PROXY_AUTH: zoomlive_status = 12;
/// A batch ran and some of its operations failed (or may have been done by a run that
/// died: uncertain); see its results file and `zoomlive_last_batch_counts`.
pub const ZOOMLIVE_STATUS_BATCH_FAILED: zoomlive_status = 13;
/// A batch ran, none of its operations failed, and some were deferred (Zoom's daily
/// limit, the deadline); see its results file's `resume_at`.
pub const ZOOMLIVE_STATUS_BATCH_DEFERRED: zoomlive_status = 14;

/// The one mapping from the core's error kinds to status codes.
pub(crate) fn status_for(kind: ErrorKind) -> zoomlive_status {
    match kind {
        ErrorKind::InvalidInput => ZOOMLIVE_STATUS_INVALID_ARGUMENT,
        ErrorKind::Transport => ZOOMLIVE_STATUS_TRANSPORT,
        ErrorKind::Timeout => ZOOMLIVE_STATUS_TIMEOUT,
        ErrorKind::Auth => ZOOMLIVE_STATUS_AUTH,
        ErrorKind::NotFound => ZOOMLIVE_STATUS_NOT_FOUND,
        ErrorKind::RateLimited => ZOOMLIVE_STATUS_RATE_LIMITED,
        ErrorKind::Api => ZOOMLIVE_STATUS_API_ERROR,
        ErrorKind::ProxyAuth => ZOOMLIVE_STATUS_PROXY_AUTH,
    }
}

fn status_name(status: zoomlive_status) -> &'static std::ffi::CStr {
    match status {
        ZOOMLIVE_STATUS_OK => c"ok",
        ZOOMLIVE_STATUS_NULL_ARGUMENT => c"null argument",
        ZOOMLIVE_STATUS_INVALID_ARGUMENT => c"invalid argument",
        ZOOMLIVE_STATUS_INVALID_UTF8 => c"invalid UTF-8",
        ZOOMLIVE_STATUS_TRANSPORT => c"transport error",
        ZOOMLIVE_STATUS_TIMEOUT => c"timeout",
        ZOOMLIVE_STATUS_AUTH => c"authentication failed",
        ZOOMLIVE_STATUS_NOT_FOUND => c"not found",
        ZOOMLIVE_STATUS_RATE_LIMITED => c"rate limited",
        ZOOMLIVE_STATUS_API_ERROR => c"Zoom API error",
        ZOOMLIVE_STATUS_BUFFER_TOO_SMALL => c"buffer too small",
        ZOOMLIVE_STATUS_PANIC => c"internal panic",
        ZOOMLIVE_STATUS_PROXY_AUTH => c"proxy authentication failed",
        ZOOMLIVE_STATUS_BATCH_FAILED => c"batch: some operations failed",
        ZOOMLIVE_STATUS_BATCH_DEFERRED => c"batch: some operations deferred",
        _ => c"unknown status",
    }
}

ffi_fn! {
    /// A static, NUL-terminated English name for a status code ("unknown status" for
    /// codes this version does not know). Never NULL; do not free.
    fn zoomlive_status_str(status: zoomlive_status) -> *const c_char {
        status_name(status).as_ptr()
    }
}

ffi_fn! {
    /// The library version ("0.1.0"), static and NUL-terminated; compare it with
    /// `ZOOMLIVE_VERSION` from the header. Never NULL; do not free.
    fn zoomlive_version() -> *const c_char {
        const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
        VERSION.as_ptr().cast()
    }
}
