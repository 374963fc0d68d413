//! Text across the boundary: NUL-terminated UTF-8 in, copies into caller buffers out.

use std::ffi::{CStr, c_char};

use super::last_error::{invalid_utf8, null_argument};
use super::status::{ZOOMLIVE_STATUS_BUFFER_TOO_SMALL, ZOOMLIVE_STATUS_OK, zoomlive_status};

/// Reads a required NUL-terminated UTF-8 argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn required<'a>(
    name: &'static str,
    ptr: *const c_char,
) -> Result<&'a str, zoomlive_status> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    std::str::from_utf8(bytes).map_err(|_| invalid_utf8(name))
}

/// Reads an optional argument: NULL and "" are `None` (FoxPro cannot easily pass NULL).
///
/// # Safety
/// As [`required`].
pub(crate) unsafe fn optional<'a>(
    name: &'static str,
    ptr: *const c_char,
) -> Result<Option<&'a str>, zoomlive_status> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: as above.
    let text = unsafe { required(name, ptr) }?;
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
