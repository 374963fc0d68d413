//! Authentication: the caller's credentials, the token handed to each call, and the
//! token cache shared by a process's clients (and optionally kept on disk).
//!
//! May use: `exchange/` (deadline, reading answers), `net/` (keep-alive,
//! pre-connection), `model/`, `error`, `secret`. Never the API above it.

pub(crate) mod cache;
pub(crate) mod credentials;
pub(crate) mod source;

pub use cache::default_dir;
pub use credentials::{Credentials, DEFAULT_OAUTH_URL};
pub(crate) use source::TokenSource;
