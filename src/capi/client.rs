//! The `zoomlive_client` handle and the operations on it.

use std::ffi::c_char;
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use super::last_error::{null_argument, record, status_of};
use super::status::*;
use super::text::copy_out;
use crate::{
    Action, BodyEncoding, Client, ClientBuilder, Credentials, LivestreamSettings, LivestreamUpdate,
    MeetingId, RetryPolicy, WebinarId,
};

/// An opaque client: its connections, OAuth token and configuration. Create it with
/// `zoomlive_client_new` or `zoomlive_client_new_s2s`, free it with
/// `zoomlive_client_free`. It may be used from several threads at once.
pub struct zoomlive_client {
    _private: [u8; 0],
}

/// What a `zoomlive_client *` points to. Setters rebuild the client from the changed
/// configuration; calls in flight keep the one they started with.
struct Handle {
    config: Mutex<ClientBuilder>,
    client: RwLock<Client>,
}

impl Handle {
    fn current(&self) -> Client {
        self.client
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn reconfigure(&self, change: impl FnOnce(ClientBuilder) -> ClientBuilder) -> zoomlive_status {
        let mut config = self.config.lock().unwrap_or_else(|p| p.into_inner());
        let changed = change(config.clone());
        match changed.clone().build() {
            Ok(client) => {
                *config = changed;
                *self.client.write().unwrap_or_else(|p| p.into_inner()) = client;
                ZOOMLIVE_STATUS_OK
            }
            Err(e) => record(&e),
        }
    }
}

/// # Safety
/// `client` is NULL or a pointer from `zoomlive_client_new*` not yet freed.
unsafe fn handle<'a>(client: *const zoomlive_client) -> Option<&'a Handle> {
    // SAFETY: per the contract, a non-NULL pointer came from Box<Handle>::into_raw.
    unsafe { client.cast::<Handle>().as_ref() }
}

macro_rules! arg_handle {
    ($ptr:ident) => {
        match unsafe { handle($ptr) } {
            Some(h) => h,
            None => return null_argument(stringify!($ptr)),
        }
    };
}

fn new_client(
    credentials: crate::Result<Credentials>,
    out: *mut *mut zoomlive_client,
) -> zoomlive_status {
    let built = credentials.and_then(|c| {
        let config = ClientBuilder::new(c);
        config.clone().build().map(|client| (config, client))
    });
    let (config, client) = match status_of(built) {
        Ok(pair) => pair,
        Err(status) => return status,
    };
    let handle = Box::new(Handle {
        config: Mutex::new(config),
        client: RwLock::new(client),
    });
    // SAFETY: `out` was checked non-NULL by the caller of this helper.
    unsafe { out.write(Box::into_raw(handle).cast()) };
    ZOOMLIVE_STATUS_OK
}

ffi_fn! {
    /// Creates a client that authenticates with a static bearer token. On success
    /// writes the new handle to `*out`; free it with `zoomlive_client_free`.
    fn zoomlive_client_new(access_token: *const c_char, out: *mut *mut zoomlive_client) -> zoomlive_status {
        arg_ptr!(out);
        let token = arg_str!(access_token);
        new_client(Credentials::access_token(token), out)
    }
}

ffi_fn! {
    /// Creates a client that authenticates with Server-to-Server OAuth; tokens are
    /// fetched when first needed, cached, shared by threads, and refreshed.
    fn zoomlive_client_new_s2s(
        account_id: *const c_char,
        client_id: *const c_char,
        client_secret: *const c_char,
        out: *mut *mut zoomlive_client,
    ) -> zoomlive_status {
        arg_ptr!(out);
        let (account_id, client_id, client_secret) = (arg_str!(account_id), arg_str!(client_id), arg_str!(client_secret));
        new_client(Credentials::server_to_server(account_id, client_id, client_secret), out)
    }
}

ffi_fn! {
    /// Frees a client. NULL is a no-op. No call may be running on it.
    fn zoomlive_client_free(client: *mut zoomlive_client) {
        if !client.is_null() {
            // SAFETY: per the contract, the pointer came from Box::into_raw and is freed once.
            drop(unsafe { Box::from_raw(client.cast::<Handle>()) });
        }
    }
}

ffi_fn! {
    /// Sets the API base URL (default "https://api.zoom.us/v2"; "http://" only for
    /// loopback hosts such as the emulator).
    fn zoomlive_client_set_base_url(client: *mut zoomlive_client, url: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let url = arg_str!(url).to_owned();
        h.reconfigure(|c| c.base_url(url))
    }
}

ffi_fn! {
    /// Sets the Server-to-Server OAuth token URL (default "https://zoom.us/oauth/token").
    fn zoomlive_client_set_oauth_url(client: *mut zoomlive_client, url: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let url = arg_str!(url).to_owned();
        h.reconfigure(|c| c.oauth_url(url))
    }
}

ffi_fn! {
    /// Sets the body encoding: "multipart" (default, as the Chilkat code sends) or "json".
    fn zoomlive_client_set_encoding(client: *mut zoomlive_client, encoding: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let encoding = match status_of(BodyEncoding::parse(arg_str!(encoding))) {
            Ok(e) => e,
            Err(status) => return status,
        };
        h.reconfigure(|c| c.encoding(encoding))
    }
}

ffi_fn! {
    /// Sets the time allowed for one whole call, in milliseconds (default 30000; not 0).
    fn zoomlive_client_set_timeout_ms(client: *mut zoomlive_client, ms: u32) -> zoomlive_status {
        let h = arg_handle!(client);
        h.reconfigure(|c| c.timeout(Duration::from_millis(u64::from(ms))))
    }
}

ffi_fn! {
    /// Sets the time allowed to connect, in milliseconds (default 10000; not 0).
    fn zoomlive_client_set_connect_timeout_ms(client: *mut zoomlive_client, ms: u32) -> zoomlive_status {
        let h = arg_handle!(client);
        h.reconfigure(|c| c.connect_timeout(Duration::from_millis(u64::from(ms))))
    }
}

ffi_fn! {
    /// Trusts the CA certificates of this PEM file in addition to the operating
    /// system's (a corporate TLS-inspecting proxy's CA, for example).
    fn zoomlive_client_set_extra_ca_file(client: *mut zoomlive_client, pem_path: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let path = arg_str!(pem_path).to_owned();
        h.reconfigure(|c| c.extra_ca_file(path))
    }
}

ffi_fn! {
    /// Sets how many times a rate-limited (429) call is retried when Zoom asks for a
    /// short wait (default 2; 0 turns retries off).
    fn zoomlive_client_set_max_retries(client: *mut zoomlive_client, retries: u32) -> zoomlive_status {
        let h = arg_handle!(client);
        h.reconfigure(|c| {
            let policy = RetryPolicy { max_retries: retries, ..c.retry_policy_value() };
            c.retry_policy(policy)
        })
    }
}

fn settings(json: Option<&str>) -> crate::Result<Option<LivestreamSettings>> {
    json.map(LivestreamSettings::from_json).transpose()
}

fn run(result: crate::Result<()>) -> zoomlive_status {
    match status_of(result) {
        Ok(()) => ZOOMLIVE_STATUS_OK,
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
        let h = arg_handle!(client);
        let (id, action, json) = (arg_str!(meeting_id), arg_str!(action), arg_opt_str!(settings_json));
        run((|| {
            let (id, action, settings) = (MeetingId::parse(id)?, Action::parse(action)?, settings(json)?);
            h.current().update_meeting_livestream_status(id, action, settings.as_ref())
        })())
    }
}

ffi_fn! {
    /// Starts or stops a webinar's live stream: `PATCH /webinars/{id}/livestream/status`.
    /// Arguments as for `zoomlive_meeting_livestream_status`.
    fn zoomlive_webinar_livestream_status(
        client: *mut zoomlive_client,
        webinar_id: *const c_char,
        action: *const c_char,
        settings_json: *const c_char,
    ) -> zoomlive_status {
        let h = arg_handle!(client);
        let (id, action, json) = (arg_str!(webinar_id), arg_str!(action), arg_opt_str!(settings_json));
        run((|| {
            let (id, action, settings) = (WebinarId::parse(id)?, Action::parse(action)?, settings(json)?);
            h.current().update_webinar_livestream_status(id, action, settings.as_ref())
        })())
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
        let h = arg_handle!(client);
        let id = arg_str!(meeting_id);
        let (url, key, page) = (arg_str!(stream_url), arg_str!(stream_key), arg_str!(page_url));
        let resolution = arg_opt_str!(resolution);
        run((|| {
            let (id, update) = (MeetingId::parse(id)?, LivestreamUpdate::with_optional_resolution(url, key, page, resolution)?);
            h.current().update_meeting_livestream(id, &update)
        })())
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
        let h = arg_handle!(client);
        let id = arg_str!(webinar_id);
        let (url, key, page) = (arg_str!(stream_url), arg_str!(stream_key), arg_str!(page_url));
        let resolution = arg_opt_str!(resolution);
        run((|| {
            let (id, update) = (WebinarId::parse(id)?, LivestreamUpdate::with_optional_resolution(url, key, page, resolution)?);
            h.current().update_webinar_livestream(id, &update)
        })())
    }
}

fn livestream_json(ls: &crate::Livestream) -> String {
    serde_json::json!({
        "stream_url": ls.stream_url,
        "stream_key": ls.stream_key,
        "page_url": ls.page_url,
        "resolution": ls.resolution,
    })
    .to_string()
}

fn get_into(
    result: crate::Result<crate::Livestream>,
    buf: *mut c_char,
    cap: usize,
    needed: *mut usize,
) -> zoomlive_status {
    match status_of(result) {
        // SAFETY: the caller's contract for buf/cap/needed.
        Ok(ls) => unsafe { copy_out(&livestream_json(&ls), buf, cap, needed) },
        Err(status) => status,
    }
}

ffi_fn! {
    /// Reads a meeting's live stream configuration (`GET /meetings/{id}/livestream`) as
    /// a JSON object `{"stream_url","stream_key","page_url","resolution"}`, copied into
    /// `buf` as by `zoomlive_last_error_message`. When `buf` is too small the call has
    /// been made and must be repeated with a buffer of `*needed` bytes.
    fn zoomlive_meeting_livestream_get(
        client: *mut zoomlive_client,
        meeting_id: *const c_char,
        buf: *mut c_char,
        cap: usize,
        needed: *mut usize,
    ) -> zoomlive_status {
        let h = arg_handle!(client);
        let id = arg_str!(meeting_id);
        get_into(MeetingId::parse(id).and_then(|id| h.current().get_meeting_livestream(id)), buf, cap, needed)
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
        let h = arg_handle!(client);
        let id = arg_str!(webinar_id);
        get_into(WebinarId::parse(id).and_then(|id| h.current().get_webinar_livestream(id)), buf, cap, needed)
    }
}
