//! Failures the network layer names itself (a proxy's refusal, a proxy that is down, a
//! name that does not resolve), carried through ureq as I/O errors and classified by
//! `exchange/outcome.rs` with the words given here.

use std::fmt;
use std::io;

/// What failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    /// The proxy asked for credentials it then refused, or that cannot be given.
    ProxyAuth,
    /// The proxy answered the CONNECT with another refusal (403, 502, ...).
    Proxy,
    /// The proxy could not be connected to.
    Connect,
    /// A name (the destination's or the proxy's) did not resolve.
    Dns,
}

/// A failure with its cause, its message (no credential ever) and whether nothing was
/// answered yet (only then may the call be tried again).
#[derive(Debug)]
pub(crate) struct NetFailure {
    pub cause: Cause,
    pub message: String,
    pub before_answer: bool,
}

impl NetFailure {
    pub(crate) fn new(cause: Cause, message: impl Into<String>, before_answer: bool) -> Self {
        NetFailure {
            cause,
            message: message.into(),
            before_answer,
        }
    }

    /// As ureq carries it: an I/O error holding this failure.
    pub(crate) fn into_ureq(self) -> ureq::Error {
        ureq::Error::Io(io::Error::other(self))
    }

    /// The failure inside a ureq error, if it is one of these.
    pub(crate) fn find(err: &ureq::Error) -> Option<&NetFailure> {
        match err {
            ureq::Error::Io(io) => io.get_ref().and_then(|e| e.downcast_ref::<NetFailure>()),
            _ => None,
        }
    }
}

impl fmt::Display for NetFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NetFailure {}
