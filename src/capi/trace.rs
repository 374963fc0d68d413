//! The trace of the last call on the calling thread, the process-wide log callback,
//! and `zoomlive_doctor`.

use std::cell::RefCell;
use std::ffi::{CString, c_char, c_void};
use std::sync::{OnceLock, RwLock};

use super::client::zoomlive_client;
use super::status::*;
use super::text::copy_out;
use crate::{Client, LOG_TARGET};

thread_local! {
    /// The last call's trace on this thread ("" when it failed before anything ran).
    static LAST_TRACE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Keeps `client`'s last trace on this thread as the one `zoomlive_last_trace` copies.
pub(crate) fn keep(client: &Client) {
    let text = client.last_trace().unwrap_or_default();
    LAST_TRACE.with(|t| *t.borrow_mut() = text);
}

ffi_fn! {
    /// The trace of the last operation on this thread, success or failure: one event
    /// per line (`+12.4ms tls TLSv1.3 ... issuer="CN=..."`), with no token, secret or
    /// stream key in it; "" when the last operation was refused before anything ran.
    /// Copied into `buf` as by `zoomlive_last_error_message`.
    reader fn zoomlive_last_trace(buf: *mut c_char, cap: usize, needed: *mut usize) -> zoomlive_status {
        let text = LAST_TRACE.with(|t| t.borrow().clone());
        // SAFETY: the caller's contract for buf/cap/needed.
        unsafe { copy_out(&text, buf, cap, needed) }
    }
}

/// A log callback: `level` 1 (error) to 4 (debug), `line` one NUL-terminated UTF-8 line
/// (valid only during the call), and the `user_data` given with it. On 32-bit Windows
/// it is called with stdcall, like the exports.
#[cfg(not(all(windows, target_arch = "x86")))]
pub type zoomlive_log_callback =
    Option<unsafe extern "C" fn(level: i32, line: *const c_char, user_data: *mut c_void)>;
/// A log callback (stdcall on 32-bit Windows, as Delphi declares it).
#[cfg(all(windows, target_arch = "x86"))]
pub type zoomlive_log_callback =
    Option<unsafe extern "system" fn(level: i32, line: *const c_char, user_data: *mut c_void)>;

/// The callback and its user data (kept as an address: the caller owns it).
static CALLBACK: RwLock<(zoomlive_log_callback, usize)> = RwLock::new((None, 0));

/// Hands zoomlive's records (target `zoomlive` only: nothing from the HTTP or TLS
/// libraries, whose records are not redacted) to the C callback.
struct CallbackLogger;

impl log::Log for CallbackLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target() == LOG_TARGET && CALLBACK.read().is_ok_and(|c| c.0.is_some())
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let Ok(guard) = CALLBACK.read() else {
            return;
        };
        let (Some(callback), user_data) = *guard else {
            return;
        };
        let level = match record.level() {
            log::Level::Error => 1,
            log::Level::Warn => 2,
            log::Level::Info => 3,
            log::Level::Debug | log::Level::Trace => 4,
        };
        let text = record.args().to_string().replace('\0', " ");
        let Ok(line) = CString::new(text) else {
            return;
        };
        // SAFETY: the caller gave a function with this signature; the line lives
        // through the call.
        unsafe { callback(level, line.as_ptr(), user_data as *mut c_void) };
    }

    fn flush(&self) {}
}

static LOGGER: CallbackLogger = CallbackLogger;
static INSTALLED: OnceLock<bool> = OnceLock::new();

ffi_fn! {
    /// Sends zoomlive's log records to `callback` (process-wide; NULL turns it off):
    /// one per trace event at level 4 (debug) and one line per call at level 3 (info),
    /// on the thread making the call, with `user_data` passed back unchanged. Returns
    /// `ZOOMLIVE_STATUS_INVALID_ARGUMENT` when another logger already took the process's
    /// `log` facade (a Rust host with its own logger).
    fn zoomlive_set_log_callback(callback: zoomlive_log_callback, user_data: *mut c_void) -> zoomlive_status {
        let installed = *INSTALLED.get_or_init(|| log::set_logger(&LOGGER).is_ok());
        if !installed {
            return super::last_error::simple(
                ZOOMLIVE_STATUS_INVALID_ARGUMENT,
                "another logger already receives this process's log records".into(),
                "callback",
            );
        }
        let mut slot = CALLBACK.write().unwrap_or_else(|p| p.into_inner());
        *slot = (callback, user_data as usize);
        log::set_max_level(if slot.0.is_some() {
            log::LevelFilter::Debug
        } else {
            log::LevelFilter::Off
        });
        ZOOMLIVE_STATUS_OK
    }
}

ffi_fn! {
    /// Checks this machine's path to Zoom with `client`'s settings and credentials
    /// (`zoomlive doctor`): the proxy, DNS, TCP and TLS to the API and OAuth hosts, the
    /// clock, the token and its scopes. Copies a JSON array of
    /// `{"check","status":"ok"|"warn"|"fail","detail"[,"advice"]}` into `buf` as by
    /// `zoomlive_last_error_message`. Returns `ZOOMLIVE_STATUS_OK` when no check failed,
    /// else `ZOOMLIVE_STATUS_API_ERROR` (the JSON is copied either way).
    fn zoomlive_doctor(client: *mut zoomlive_client, buf: *mut c_char, cap: usize, needed: *mut usize) -> zoomlive_status {
        let h = arg_handle!(client);
        let checks = h.current().doctor(&crate::DoctorOptions::default());
        let json = crate::doctor_json(&checks);
        // SAFETY: the caller's contract for buf/cap/needed.
        let copied = unsafe { copy_out(&json, buf, cap, needed) };
        if copied != ZOOMLIVE_STATUS_OK {
            return copied;
        }
        if checks.iter().any(|c| c.status == crate::CheckStatus::Fail) {
            super::last_error::simple(
                ZOOMLIVE_STATUS_API_ERROR,
                "zoomlive doctor: at least one check failed (see the JSON)".into(),
                "",
            )
        } else {
            ZOOMLIVE_STATUS_OK
        }
    }
}
