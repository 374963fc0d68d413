//! Proxies: which one carries each destination's requests and why (decide.rs, from the
//! explicit settings, the environment (env.rs) and Windows' settings (windows.rs, ie.rs)),
//! and the
//! HTTP CONNECT tunnel that answers a proxy's `407` (tunnel.rs, auth/).
//!
//! May use: `net/tls/` (TLS to an `https://` proxy), `model/`, `error`, `secret`.

pub(crate) mod answer;
pub(crate) mod auth;
pub(crate) mod decide;
pub(crate) mod decision;
pub(crate) mod env;
#[cfg_attr(not(windows), allow(dead_code))]
pub(crate) mod ie;
pub(crate) mod tunnel;
pub(crate) mod url;
#[cfg(windows)]
pub(crate) mod windows;
