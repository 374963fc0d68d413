//! TLS: the shared configuration and trust store (`config`), the verifier that reads
//! the OS store only when needed (`roots`), the TLS layer of a connection (`stream`),
//! and TLS failures as sentences (`text`).
//!
//! May use: `error`. Nothing else of the crate.

pub(crate) mod config;
pub(crate) mod roots;
pub(crate) mod stream;
pub(crate) mod text;
