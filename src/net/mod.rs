//! How bytes reach Zoom: the connector chain, name resolution (with a cache),
//! keep-alive tracking, the connection pre-opened during a token fetch, proxies, and
//! TLS (`tls/`).
//!
//! May use: `model/` (host checks), `error`, `secret`. Never `exchange/`, `auth/` or
//! the API above it.

pub(crate) mod connector;
pub(crate) mod failure;
pub(crate) mod keepalive;
pub(crate) mod preconnect;
pub(crate) mod proxy;
pub(crate) mod resolver;
pub(crate) mod tls;
