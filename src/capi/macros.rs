//! The argument checks every export is written with: text, pointers and handles.
//! Each refusal is recorded as the thread's last error under the argument's name
//! (the parameter's own name, or the one given after `as`), and the export returns.

/// A required text argument as `&str`; returns NULL_ARGUMENT or INVALID_UTF8 otherwise.
macro_rules! arg_str {
    ($ptr:ident) => {
        arg_str!($ptr as stringify!($ptr))
    };
    ($ptr:ident as $name:expr) => {
        match unsafe { $crate::capi::text::required($ptr) } {
            Ok(s) => s,
            Err(e) => return $crate::capi::last_error::text_refused($name, e),
        }
    };
}

/// An optional text argument: NULL and "" are both `None`.
macro_rules! arg_opt_str {
    ($ptr:ident) => {
        match unsafe { $crate::capi::text::optional($ptr) } {
            Ok(s) => s,
            Err(e) => return $crate::capi::last_error::text_refused(stringify!($ptr), e),
        }
    };
}

/// A required non-NULL pointer argument (an out-parameter).
macro_rules! arg_ptr {
    ($ptr:ident) => {
        if $ptr.is_null() {
            return $crate::capi::last_error::null_argument(stringify!($ptr));
        }
    };
}

/// A `zoomlive_client *` argument as `&Handle`; NULL gives NULL_ARGUMENT.
macro_rules! arg_handle {
    ($ptr:ident) => {
        // SAFETY: per the module's contract, a non-NULL client pointer is live.
        match unsafe { $crate::capi::client::handle($ptr) } {
            Some(h) => h,
            None => return $crate::capi::last_error::null_argument(stringify!($ptr)),
        }
    };
}
