//! One call's HTTP exchange: the request body (multipart or JSON), reading answers and
//! Zoom's errors, the retry policy and the waits a 429 asks for, the call's one
//! deadline, classifying what the transport reported, and the scope a caller above
//! (the batch runner) sets for the calls of its thread.
//!
//! May use: `net/` (the TLS sentences), `model/`, `error`, `secret`. Never `auth/` or
//! the API above it.

pub(crate) mod deadline;
pub(crate) mod encoding;
pub(crate) mod outcome;
pub(crate) mod response;
pub(crate) mod retry;
pub(crate) mod retry_after;
pub(crate) mod scope;

pub use encoding::BodyEncoding;
pub use response::parse_error_body;
pub use retry::RetryPolicy;
pub use retry_after::parse_retry_after;
