//! The macros every export is written with: the panic boundary with the calling
//! convention switch (`ffi_fn!`), and pointer/text argument checks.

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
            $crate::capi::last_error::status_boundary(false, || $body)
        });
    };
    ($(#[$attr:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> zoomlive_status $body:block) => {
        ffi_fn!(@emit $(#[$attr])* fn $name($($arg: $ty),*) -> zoomlive_status {
            $crate::capi::last_error::status_boundary(true, || $body)
        });
    };
    ($(#[$attr:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        ffi_fn!(@emit $(#[$attr])* fn $name($($arg: $ty),*) -> $ret {
            $crate::capi::last_error::value_boundary(|| $body)
        });
    };
    ($(#[$attr:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        ffi_fn!(@emit $(#[$attr])* fn $name($($arg: $ty),*) -> () {
            $crate::capi::last_error::value_boundary(|| $body)
        });
    };
}

/// A required text argument as `&str`; returns NULL_ARGUMENT or INVALID_UTF8 otherwise.
macro_rules! arg_str {
    ($ptr:ident) => {
        match unsafe { $crate::capi::text::required(stringify!($ptr), $ptr) } {
            Ok(s) => s,
            Err(status) => return status,
        }
    };
}

/// An optional text argument: NULL and "" are both `None`.
macro_rules! arg_opt_str {
    ($ptr:ident) => {
        match unsafe { $crate::capi::text::optional(stringify!($ptr), $ptr) } {
            Ok(s) => s,
            Err(status) => return status,
        }
    };
}

/// A required non-NULL pointer argument (an out-parameter or a handle).
macro_rules! arg_ptr {
    ($ptr:ident) => {
        if $ptr.is_null() {
            return $crate::capi::last_error::null_argument(stringify!($ptr));
        }
    };
}
