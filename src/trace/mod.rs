//! The trace of a call: what happened, step by step, with no secret in it (the
//! configuration, the proxy decision, name resolution, TCP and TLS, the token's
//! source, the request and the answer, each retry and wait, the outcome), recorded
//! on the calling thread and sent to the `log` facade (target `zoomlive`).
//!
//! May use: nothing of the crate but `secret` (every layer records into it, so it
//! sits at the bottom).

pub(crate) mod cert;
pub(crate) mod event;
pub(crate) mod recorder;

pub use recorder::{LOG_TARGET, Trace, set_recording};
pub(crate) use recorder::{begin, record};
