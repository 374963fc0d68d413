//! Text across the boundary: NUL-terminated UTF-8 in, copies into caller buffers out.

use std::ffi::{CStr, c_char};

use super::status::{ZOOMLIVE_STATUS_BUFFER_TOO_SMALL, ZOOMLIVE_STATUS_OK, zoomlive_status};

/// Why a text argument was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextError {
    /// A required argument was NULL.
    Null,
    /// The bytes are not UTF-8.
    NotUtf8,
}

/// Reads a required NUL-terminated UTF-8 argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn required<'a>(ptr: *const c_char) -> Result<&'a str, TextError> {
    if ptr.is_null() {
        return Err(TextError::Null);
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    std::str::from_utf8(bytes).map_err(|_| TextError::NotUtf8)
}

/// Reads an optional argument: NULL and "" are `None` (FoxPro cannot easily pass NULL).
///
/// # Safety
/// As [`required`].
pub(crate) unsafe fn optional<'a>(ptr: *const c_char) -> Result<Option<&'a str>, TextError> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: as above.
    let text = unsafe { required(ptr) }?;
    Ok((!text.is_empty()).then_some(text))
}

/// Copies `text` and a NUL into `buf` when `cap` holds them; reports the size needed
/// (with the NUL) through `needed` when it is not NULL. Writes nothing into `buf` when
/// it is too small.
///
/// # Safety
/// `buf` is NULL or valid for `cap` bytes; `needed` is NULL or valid for one write.
pub(crate) unsafe fn copy_out(
    text: &str,
    buf: *mut c_char,
    cap: usize,
    needed: *mut usize,
) -> zoomlive_status {
    let size = text.len() + 1;
    if !needed.is_null() {
        // SAFETY: valid for one write per the caller's contract.
        unsafe { needed.write(size) };
    }
    if buf.is_null() || cap < size {
        return ZOOMLIVE_STATUS_BUFFER_TOO_SMALL;
    }
    // SAFETY: `buf` holds at least `size` bytes; the regions cannot overlap (ours is Rust-owned).
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
        buf.add(text.len()).write(0);
    }
    ZOOMLIVE_STATUS_OK
}
