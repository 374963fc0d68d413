//! The live-stream operations. Each is written once, for any owner (`op_*`); the
//! meeting and webinar exports only name their id argument and call it.

use std::ffi::c_char;

use super::client::zoomlive_client;
use super::last_error::status_of;
use super::status::*;
use super::text::copy_out;
use crate::{Action, LivestreamSettings, LivestreamUpdate, OwnerKind};

/// Runs an operation (its arguments checked first) and keeps the client's trace as
/// the thread's last one: "" when the arguments were refused and nothing ran.
fn traced<T>(client: &crate::Client, call: impl FnOnce() -> crate::Result<T>) -> crate::Result<T> {
    client.forget_last_trace();
    let result = call();
    super::trace::keep(client);
    result
}

/// Turns a core result into a status, recording the error.
fn run(result: crate::Result<()>) -> zoomlive_status {
    match status_of(result) {
        Ok(()) => ZOOMLIVE_STATUS_OK,
        Err(status) => status,
    }
}

/// `PATCH /{owner}s/{id}/livestream/status`.
///
/// # Safety
/// The export's contract for each pointer.
unsafe fn op_status(
    kind: OwnerKind,
    client: *mut zoomlive_client,
    id: *const c_char,
    action: *const c_char,
    settings_json: *const c_char,
) -> zoomlive_status {
    let h = arg_handle!(client);
    let id = arg_str!(id as kind.id_field());
    let (action, json) = (arg_str!(action), arg_opt_str!(settings_json));
    let client = h.current();
    run(traced(&client, || {
        let owner = kind.parse(id)?;
        let action = Action::parse(action)?;
        let settings = json.map(LivestreamSettings::from_json).transpose()?;
        client.update_livestream_status(owner, action, settings.as_ref())
    }))
}

/// `PATCH /{owner}s/{id}/livestream`.
///
/// # Safety
/// The export's contract for each pointer.
unsafe fn op_update(
    kind: OwnerKind,
    client: *mut zoomlive_client,
    id: *const c_char,
    stream: [*const c_char; 3],
    resolution: *const c_char,
) -> zoomlive_status {
    let [stream_url, stream_key, page_url] = stream;
    let h = arg_handle!(client);
    let id = arg_str!(id as kind.id_field());
    let (url, key, page) = (
        arg_str!(stream_url),
        arg_str!(stream_key),
        arg_str!(page_url),
    );
    let resolution = arg_opt_str!(resolution);
    let client = h.current();
    run(traced(&client, || {
        let owner = kind.parse(id)?;
        let update = LivestreamUpdate::with_optional_resolution(url, key, page, resolution)?;
        client.update_livestream(owner, &update)
    }))
}

/// `GET /{owner}s/{id}/livestream`, copied out as Zoom's JSON object.
///
/// # Safety
/// The export's contract for each pointer.
unsafe fn op_get(
    kind: OwnerKind,
    client: *mut zoomlive_client,
    id: *const c_char,
    buf: *mut c_char,
    cap: usize,
    needed: *mut usize,
) -> zoomlive_status {
    let h = arg_handle!(client);
    let id = arg_str!(id as kind.id_field());
    let client = h.current();
    let got = traced(&client, || client.get_livestream(kind.parse(id)?));
    match status_of(got) {
        // SAFETY: the caller's contract for buf/cap/needed.
        Ok(ls) => unsafe { copy_out(&ls.to_json().to_string(), buf, cap, needed) },
        Err(status) => status,
    }
}

ffi_fn! {
    /// Starts or stops a meeting's live stream: `PATCH /meetings/{id}/livestream/status`.
    ///
    /// `meeting_id`: decimal digits. `action`: "start" or "stop" (any case).
    /// `settings_json`: NULL, "" or a JSON object such as
    /// `{"active_speaker_name":false,"display_name":"Town hall"}`.
    fn zoomlive_meeting_livestream_status(
        client: *mut zoomlive_client,
        meeting_id: *const c_char,
        action: *const c_char,
        settings_json: *const c_char,
    ) -> zoomlive_status {
        // SAFETY: this export's contract is op_status's.
        unsafe { op_status(OwnerKind::Meeting, client, meeting_id, action, settings_json) }
    }
}

ffi_fn! {
    /// Starts or stops a webinar's live stream: `PATCH /webinars/{id}/livestream/status`.
    /// Arguments as for `zoomlive_meeting_livestream_status` (of the known settings,
    /// webinars take `active_speaker_name` and `display_name`).
    fn zoomlive_webinar_livestream_status(
        client: *mut zoomlive_client,
        webinar_id: *const c_char,
        action: *const c_char,
        settings_json: *const c_char,
    ) -> zoomlive_status {
        // SAFETY: this export's contract is op_status's.
        unsafe { op_status(OwnerKind::Webinar, client, webinar_id, action, settings_json) }
    }
}

ffi_fn! {
    /// Sets where a meeting streams to: `PATCH /meetings/{id}/livestream`.
    ///
    /// `stream_url` (≤ 1024 characters), `stream_key` (≤ 512) and `page_url` (an
    /// absolute http(s) URL, ≤ 1024) are required; `resolution` is NULL, "", "720p" or
    /// "1080p".
    fn zoomlive_meeting_livestream_update(
        client: *mut zoomlive_client,
        meeting_id: *const c_char,
        stream_url: *const c_char,
        stream_key: *const c_char,
        page_url: *const c_char,
        resolution: *const c_char,
    ) -> zoomlive_status {
        let stream = [stream_url, stream_key, page_url];
        // SAFETY: this export's contract is op_update's.
        unsafe { op_update(OwnerKind::Meeting, client, meeting_id, stream, resolution) }
    }
}

ffi_fn! {
    /// Sets where a webinar streams to: `PATCH /webinars/{id}/livestream`. Arguments as
    /// for `zoomlive_meeting_livestream_update`.
    fn zoomlive_webinar_livestream_update(
        client: *mut zoomlive_client,
        webinar_id: *const c_char,
        stream_url: *const c_char,
        stream_key: *const c_char,
        page_url: *const c_char,
        resolution: *const c_char,
    ) -> zoomlive_status {
        let stream = [stream_url, stream_key, page_url];
        // SAFETY: this export's contract is op_update's.
        unsafe { op_update(OwnerKind::Webinar, client, webinar_id, stream, resolution) }
    }
}

ffi_fn! {
    /// Reads a meeting's live stream configuration (`GET /meetings/{id}/livestream`) as
    /// a JSON object `{"stream_url","stream_key","page_url","resolution"}` (a field
    /// Zoom did not send is `null`), copied into `buf` as by
    /// `zoomlive_last_error_message`. When `buf` is too small the call has been made and
    /// must be repeated with a buffer of `*needed` bytes.
    fn zoomlive_meeting_livestream_get(
        client: *mut zoomlive_client,
        meeting_id: *const c_char,
        buf: *mut c_char,
        cap: usize,
        needed: *mut usize,
    ) -> zoomlive_status {
        // SAFETY: this export's contract is op_get's.
        unsafe { op_get(OwnerKind::Meeting, client, meeting_id, buf, cap, needed) }
    }
}

ffi_fn! {
    /// Reads a webinar's live stream configuration (`GET /webinars/{id}/livestream`);
    /// as `zoomlive_meeting_livestream_get`.
    fn zoomlive_webinar_livestream_get(
        client: *mut zoomlive_client,
        webinar_id: *const c_char,
        buf: *mut c_char,
        cap: usize,
        needed: *mut usize,
    ) -> zoomlive_status {
        // SAFETY: this export's contract is op_get's.
        unsafe { op_get(OwnerKind::Webinar, client, webinar_id, buf, cap, needed) }
    }
}
