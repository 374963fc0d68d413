//! The proxy settings of a client, and the decision it makes for a URL.

use std::ffi::c_char;

use super::client::zoomlive_client;
use super::last_error::status_of;
use super::status::*;
use super::text::copy_out;
use crate::ProxyAuth;

ffi_fn! {
    /// Sets the proxy for every destination except loopback and the no_proxy list: a
    /// URL as the `https_proxy` variable takes it (`"http://[user:password@]host:port"`,
    /// `"https://..."`, `"socks5://..."`), or `"direct"` for none whatever the
    /// environment or Windows says. NULL or `""` goes back to automatic: the
    /// environment, then the Windows settings, then direct.
    fn zoomlive_client_set_proxy(client: *mut zoomlive_client, url: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let url = arg_opt_str!(url).unwrap_or("").to_owned();
        h.reconfigure(|c| c.proxy(&url))
    }
}

ffi_fn! {
    /// Sets the hosts reached without a proxy, in the `NO_PROXY` syntax (`"zoom.us,
    /// .corp.example, 10.0.0.0/8"`); NULL or `""` for none.
    fn zoomlive_client_set_no_proxy(client: *mut zoomlive_client, list: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let list = arg_opt_str!(list).unwrap_or("").to_owned();
        h.reconfigure(|c| c.no_proxy(&list))
    }
}

ffi_fn! {
    /// Whether the Windows proxy settings (Internet Options, PAC/WPAD, `netsh winhttp`)
    /// are followed when neither an explicit proxy nor the environment names one: 1
    /// (default) or 0.
    fn zoomlive_client_set_system_proxy(client: *mut zoomlive_client, follow: i32) -> zoomlive_status {
        let h = arg_handle!(client);
        h.reconfigure(|c| c.system_proxy(follow != 0))
    }
}

ffi_fn! {
    /// Sets the credentials answering a proxy's 407 (Basic or NTLM; the user may be
    /// `"DOMAIN\\user"`); they take precedence over those of the proxy URL. NULL or `""`
    /// as `user` clears them. Never shown in any message.
    fn zoomlive_client_set_proxy_credentials(client: *mut zoomlive_client, user: *const c_char, password: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let (user, password) = (arg_opt_str!(user).unwrap_or("").to_owned(), arg_opt_str!(password).unwrap_or("").to_owned());
        h.reconfigure(|c| c.proxy_credentials(&user, &password))
    }
}

ffi_fn! {
    /// Sets how a proxy's 407 is answered: `"auto"` (default: the strongest scheme
    /// offered that can be answered, Negotiate (Windows) > NTLM > Basic), `"basic"`,
    /// `"ntlm"`, `"negotiate"` (Windows' SSPI) or `"none"`. On Windows, NTLM and
    /// Negotiate without credentials use the logged-on user's (single sign-on).
    fn zoomlive_client_set_proxy_auth(client: *mut zoomlive_client, scheme: *const c_char) -> zoomlive_status {
        let h = arg_handle!(client);
        let auth = match status_of(ProxyAuth::parse(arg_str!(scheme))) {
            Ok(a) => a,
            Err(status) => return status,
        };
        h.reconfigure(|c| c.proxy_auth(auth))
    }
}

ffi_fn! {
    /// The proxy decision for `url` as one JSON object, `{"proxy":"http://host:port"
    /// or null,"source":"explicit"}` (sources: `explicit`, the variable's name,
    /// `internet-options`, `pac:<url>`, `wpad`, `winhttp`, `loopback`,
    /// `bypass:<rule>`, `none`); never with a password. Copied as
    /// `zoomlive_last_error_message` copies: into `buf` when `cap` bytes hold it, the
    /// size needed (with the NUL) in `*needed` when `needed` is not NULL, and
    /// `ZOOMLIVE_STATUS_BUFFER_TOO_SMALL` (nothing written) when it does not fit.
    fn zoomlive_client_proxy_for(client: *mut zoomlive_client, url: *const c_char, buf: *mut c_char, cap: usize, needed: *mut usize) -> zoomlive_status {
        let h = arg_handle!(client);
        let url = arg_str!(url);
        let decision = match status_of(h.current().proxy_for(url)) {
            Ok(d) => d,
            Err(status) => return status,
        };
        // SAFETY: the caller's contract for buf/cap/needed, documented above.
        unsafe { copy_out(&decision.to_json(), buf, cap, needed) }
    }
}
