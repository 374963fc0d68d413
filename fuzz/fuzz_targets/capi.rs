#![no_main]
//! The C entry points given arbitrary bytes as their text arguments: every call returns
//! a known status (never PANIC, never a crash). The client points at a closed port, so
//! an input that happens to be valid fails fast without leaving the machine.
use std::ffi::{CString, c_char};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zoomlive::capi::*;

struct Shared(*mut zoomlive_client);
// SAFETY: a zoomlive_client may be used from several threads at once.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

fn client() -> *mut zoomlive_client {
    static CLIENT: OnceLock<Shared> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let mut c = std::ptr::null_mut();
            unsafe {
                assert_eq!(
                    zoomlive_client_new(c"fuzz-token".as_ptr(), &mut c),
                    ZOOMLIVE_STATUS_OK
                );
                assert_eq!(
                    zoomlive_client_set_base_url(c, c"http://127.0.0.1:9/v2".as_ptr()),
                    ZOOMLIVE_STATUS_OK
                );
                assert_eq!(
                    zoomlive_client_set_connect_timeout_ms(c, 200),
                    ZOOMLIVE_STATUS_OK
                );
            }
            Shared(c)
        })
        .0
}

fuzz_target!(|data: &[u8]| {
    let parts: Vec<CString> = data
        .split(|&b| b == 0)
        .chain(std::iter::repeat(&b""[..]))
        .take(4)
        .map(|p| CString::new(p).unwrap())
        .collect();
    let [a, b, c, d] = [0, 1, 2, 3].map(|i| parts[i].as_ptr());
    let c_ = client();
    let mut buf = [0 as c_char; 64];
    let mut needed = 0usize;
    let known = |s: zoomlive_status| (ZOOMLIVE_STATUS_OK..ZOOMLIVE_STATUS_PANIC).contains(&s);
    unsafe {
        for status in [
            zoomlive_meeting_livestream_status(c_, a, b, c),
            zoomlive_webinar_livestream_status(c_, a, b, d),
            zoomlive_meeting_livestream_update(c_, a, b, c, d, a),
            zoomlive_webinar_livestream_get(c_, a, buf.as_mut_ptr(), buf.len(), &mut needed),
        ] {
            assert!(known(status), "status {status}");
            assert!(known(zoomlive_last_error_message(
                buf.as_mut_ptr(),
                buf.len(),
                &mut needed
            )));
        }
        let mut other = std::ptr::null_mut();
        if zoomlive_client_new(a, &mut other) == ZOOMLIVE_STATUS_OK {
            assert!(known(zoomlive_client_set_encoding(other, b)));
            assert!(known(zoomlive_client_set_base_url(other, c)));
            zoomlive_client_free(other);
        }
    }
});
