//! Proxies: which one carries each destination's requests and why (decide.rs, from the
//! explicit settings, the environment (env.rs) and the system (system.rs)), and the
//! HTTP CONNECT tunnel that answers a proxy's `407` (tunnel.rs, auth/).
//!
//! May use: `net/tls/` (TLS to an `https://` proxy), `model/`, `error`, `secret`.

pub(crate) mod auth;
pub(crate) mod decide;
pub(crate) mod decision;
pub(crate) mod env;
pub(crate) mod system;
pub(crate) mod tunnel;
pub(crate) mod url;
