//! The getters C callers read the last failure on their thread with.

use std::ffi::c_char;

use super::last_error::{LastError, with_last};
use super::status::*;
use super::text::copy_out;

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

ffi_fn! {
    /// The scopes the token lacks, when the last failed call on this thread was Zoom's
    /// scope error (codes 4700 and 4711, status `ZOOMLIVE_STATUS_AUTH`), comma-joined
    /// without spaces (`meeting:write:admin,meeting:write`): add them to the Zoom app.
    /// Empty otherwise; copied out as by `zoomlive_last_error_message`.
    reader fn zoomlive_last_missing_scopes(buf: *mut c_char, cap: usize, needed: *mut usize) -> zoomlive_status {
        copy_last(|l| &l.missing_scopes, buf, cap, needed)
    }
}

ffi_fn! {
    /// The rate-limit headers of the last failed call on this thread as
    /// `type;category;limit;remaining` (`X-RateLimit-Type`, `-Category`, `-Limit`,
    /// `-Remaining`), a field left empty when Zoom did not send that header (for example
    /// `QPS;;30;0`); empty when it sent none. Copied out as by
    /// `zoomlive_last_error_message`.
    reader fn zoomlive_last_rate_limit(buf: *mut c_char, cap: usize, needed: *mut usize) -> zoomlive_status {
        copy_last(|l| &l.rate_limit, buf, cap, needed)
    }
}
