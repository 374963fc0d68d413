//! The `zoomlive_client` handle: creating, configuring and freeing it.

use std::ffi::c_char;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use super::last_error::{record, status_of};
use super::status::*;
use crate::{BodyEncoding, Client, ClientBuilder, Credentials};

/// An opaque client: its connections, OAuth token and configuration. Create it with
/// `zoomlive_client_new` or `zoomlive_client_new_s2s`, free it with
/// `zoomlive_client_free`. It may be used from several threads at once.
pub struct zoomlive_client {
    _private: [u8; 0],
}

/// What a `zoomlive_client *` points to: the client itself, which carries its own
/// configuration (`Client::to_builder`). Setters rebuild it from that configuration
/// with one change; calls in flight keep the client they started with.
pub(crate) struct Handle {
    client: RwLock<Client>,
}

impl Handle {
    /// The client to make a call with (an `Arc` clone).
    pub(crate) fn current(&self) -> Client {
        self.client
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Rebuilds the client with one configuration change; on failure the old client
    /// stays and the error is recorded.
    pub(crate) fn reconfigure(
        &self,
        change: impl FnOnce(ClientBuilder) -> ClientBuilder,
    ) -> zoomlive_status {
        let mut client = self.client.write().unwrap_or_else(PoisonError::into_inner);
        match change(client.to_builder()).build() {
            Ok(changed) => {
                changed.inherit_json_fallback(&client);
                *client = changed;
                ZOOMLIVE_STATUS_OK
            }
            Err(e) => record(&e),
        }
    }
}

/// The handle behind a client pointer (`arg_handle!` reads arguments with it).
///
/// # Safety
/// `client` is NULL or a pointer from `zoomlive_client_new*` not yet freed.
pub(crate) unsafe fn handle<'a>(client: *const zoomlive_client) -> Option<&'a Handle> {
    // SAFETY: per the contract, a non-NULL pointer came from Box<Handle>::into_raw.
    unsafe { client.cast::<Handle>().as_ref() }
}

fn new_client(
    credentials: crate::Result<Credentials>,
    out: *mut *mut zoomlive_client,
) -> zoomlive_status {
    let client = match status_of(credentials.and_then(|c| ClientBuilder::new(c).build())) {
        Ok(client) => client,
        Err(status) => return status,
    };
    let handle = Box::new(Handle {
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
    /// Sets the API base URL (default `"https://api.zoom.us/v2"`; `"http://"` only for
    /// loopback hosts such as the emulator).
    fn zoomlive_client_set_base_url(client: *mut zoomlive_client, url: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let url = arg_str!(url).to_owned();
        h.reconfigure(|c| c.base_url(url))
    }
}

ffi_fn! {
    /// Sets the Server-to-Server OAuth token URL (default `"https://zoom.us/oauth/token"`).
    fn zoomlive_client_set_oauth_url(client: *mut zoomlive_client, url: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let url = arg_str!(url).to_owned();
        h.reconfigure(|c| c.oauth_url(url))
    }
}

ffi_fn! {
    /// Sets the body encoding: "auto" (default: multipart, as the Chilkat code sends,
    /// then JSON for good once Zoom refuses multipart with HTTP 415), "multipart" (never
    /// JSON) or "json".
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
    /// Keeps Server-to-Server OAuth tokens between processes in this folder (off by
    /// default): one file per credential set named by a hash, mode 0600 in a folder of
    /// mode 0700 created when missing; a stored token is used until shortly before it
    /// expires and dropped when Zoom refuses it. Within a process, clients with the same
    /// credentials share their token whether or not this is set.
    fn zoomlive_client_set_token_cache_dir(client: *mut zoomlive_client, dir: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let dir = arg_str!(dir).to_owned();
        h.reconfigure(|c| c.token_cache_dir(dir))
    }
}

ffi_fn! {
    /// Sets how many times a rate-limited (429) call is retried when Zoom asks for a
    /// short wait (default 2; 0 turns retries off).
    fn zoomlive_client_set_max_retries(client: *mut zoomlive_client, retries: u32) -> zoomlive_status {
        let h = arg_handle!(client);
        h.reconfigure(|c| c.max_retries(retries))
    }
}
