//! One call's HTTP exchange: the request body (multipart or JSON), reading answers and
//! Zoom's errors, the retry policy and the waits a 429 asks for, the call's one
//! deadline, and classifying what the transport reported.
//!
//! May use: `net/` (the TLS sentences), `model/`, `error`, `secret`. Never `auth/` or
//! the API above it.

pub(crate) mod deadline;
pub(crate) mod encoding;
pub(crate) mod outcome;
pub(crate) mod response;
pub(crate) mod retry;
pub(crate) mod retry_after;

pub use encoding::BodyEncoding;
pub use response::parse_error_body;
pub use retry::RetryPolicy;
pub use retry_after::parse_retry_after;
