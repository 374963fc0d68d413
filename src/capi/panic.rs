//! The panic boundary every export runs inside (`ffi_fn!`): a panic becomes
//! `ZOOMLIVE_STATUS_PANIC` (or a neutral value) and never unwinds into C.

use std::any::Any;
use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::last_error::{clear, simple};
use super::status::*;

/// Defines an exported C function whose body runs inside the panic boundary.
///
/// The ABI is `extern "C"`, except on 32-bit Windows where FoxPro and Delphi hosts
/// expect stdcall: there it is `extern "system"` (the header's `ZOOMLIVE_CALL` says the
/// same to C compilers). Functions returning `zoomlive_status` clear the thread's last
/// error first (except `reader`s of it) and turn a panic into `ZOOMLIVE_STATUS_PANIC`
/// with the panic text as the last error message; others return their type's neutral
/// value (0, "") on panic.
macro_rules! ffi_fn {
    (@emit $(#[$attr:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        $(#[$attr])*
        #[unsafe(no_mangle)]
        #[cfg(not(all(windows, target_arch = "x86")))]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> $ret $body

        $(#[$attr])*
        #[unsafe(no_mangle)]
        #[cfg(all(windows, target_arch = "x86"))]
        pub unsafe extern "system" fn $name($($arg: $ty),*) -> $ret $body
    };
    // `reader`: a getter of the last error, which must not clear it.
    ($(#[$attr:meta])* reader fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> zoomlive_status $body:block) => {
        ffi_fn!(@emit $(#[$attr])* fn $name($($arg: $ty),*) -> zoomlive_status {
            $crate::capi::panic::status_boundary(false, || $body)
        });
    };
    ($(#[$attr:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> zoomlive_status $body:block) => {
        ffi_fn!(@emit $(#[$attr])* fn $name($($arg: $ty),*) -> zoomlive_status {
            $crate::capi::panic::status_boundary(true, || $body)
        });
    };
    ($(#[$attr:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        ffi_fn!(@emit $(#[$attr])* fn $name($($arg: $ty),*) -> $ret {
            $crate::capi::panic::value_boundary(|| $body)
        });
    };
    ($(#[$attr:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        ffi_fn!(@emit $(#[$attr])* fn $name($($arg: $ty),*) -> () {
            $crate::capi::panic::value_boundary(|| $body)
        });
    };
}

/// The message a panic leaves as the last error.
pub(crate) fn panic_text(payload: &(dyn Any + Send)) -> String {
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
    /// The value returned in place of the panicking function's.
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
