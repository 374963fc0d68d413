//! The C ABI (feature `capi`): an opaque `zoomlive_client` handle, `zoomlive_status`
//! codes, and the details of the last failure on the calling thread.
//!
//! Conventions (those of rustls-ffi): every export runs inside one panic boundary
//! (`ffi_fn!`), checks every pointer (NULL gives `ZOOMLIVE_STATUS_NULL_ARGUMENT`), takes
//! NUL-terminated UTF-8 text, and writes outputs only on success. Text out is copied
//! into the caller's buffer, so callers (FoxPro, Delphi, SQLCLR) never free Rust memory.
//! `include/zoomlive.h` is generated from this module by cbindgen.
//!
//! # Safety
//! For every export: each pointer argument is NULL or valid for its documented use
//! (text: NUL-terminated; `buf`: `cap` writable bytes; out-parameters: one write), and a
//! `zoomlive_client *` comes from `zoomlive_client_new*` and is not yet freed.
#![allow(non_camel_case_types)]
// The safety contract is the same for every export and stated once, above.
#![allow(clippy::missing_safety_doc)]

#[macro_use]
mod panic;
#[macro_use]
mod macros;
mod batch;
mod client;
mod failure;
mod getters;
mod last_error;
mod ops;
mod proxy;
mod status;
mod text;
mod trace;

// Shared with the COM object, which describes failures the same way.
pub use batch::*;
#[cfg(all(windows, feature = "com"))]
pub(crate) use batch::{batch_failure, run_batch};
pub use client::*;
#[cfg(all(windows, feature = "com"))]
pub(crate) use failure::LastError;
pub use getters::*;
pub use ops::*;
#[cfg(all(windows, feature = "com"))]
pub(crate) use panic::panic_text;
pub use proxy::*;
pub use status::*;
pub use trace::*;
