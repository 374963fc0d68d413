//! # zoomlive
//!
//! Zoom REST API v2 live-stream operations — start/stop a meeting's or webinar's live
//! stream, set or read where it streams to — for Rust, C (a DLL/.so with
//! `include/zoomlive.h`) and Python, replacing hand-written Chilkat HTTP code.
//!
//! ```no_run
//! use zoomlive::{Action, Client, LivestreamSettings, MeetingId};
//!
//! let client = Client::with_access_token("eyJ...")?;
//! let settings = LivestreamSettings::new()
//!     .active_speaker_name(false)
//!     .display_name("Quarterly review")?;
//! client.update_meeting_livestream_status(MeetingId::parse("68423085")?, Action::Start, Some(&settings))?;
//! # Ok::<(), zoomlive::Error>(())
//! ```
//!
//! Everything is validated before anything is sent; failures are one [`Error`] enum
//! (see [`ErrorKind`]); no error, log or `Debug` output holds a token or secret.

#![warn(missing_docs)]

// The caller's API: the client, its builder and its configuration, and the batch
// runner over a client.
pub mod batch;
mod builder;
mod client;
mod config;
mod doctor;
// Below the API: authentication, one call's exchange, the network.
mod auth;
mod exchange;
mod net;
// The bottom: validated values, the one error type, secrets.
mod error;
mod model;
mod secret;
mod text;
mod trace;

// The faces: translations of the API above.
#[cfg(feature = "capi")]
pub mod capi;
#[cfg(all(windows, feature = "com"))]
mod com;
#[cfg(feature = "emulator")]
pub mod emulator;
#[cfg(feature = "python")]
mod python;

pub use auth::{Credentials, DEFAULT_OAUTH_URL, default_dir as default_token_cache_dir};
pub use builder::{ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use client::Client;
pub use config::USER_AGENT;
pub use doctor::{Check, CheckStatus, DoctorOptions, doctor_json};
pub use error::{ApiError, Error, ErrorKind, FieldError, Result, TransportKind};
pub use exchange::{BodyEncoding, RetryPolicy, parse_error_body, parse_retry_after};
pub use model::{
    Action, DISPLAY_NAME_MAX_CHARS, Livestream, LivestreamSettings, LivestreamUpdate, MeetingId,
    Owner, OwnerKind, PAGE_URL_MAX, Resolution, SETTINGS_MAX_BYTES, STREAM_KEY_MAX, STREAM_URL_MAX,
    WebinarId,
};
pub use net::proxy::decision::{ProxyAuth, ProxyDecision};
#[doc(hidden)]
pub use net::tls::config::os_trust_store_loads;
pub use secret::Secret;
#[doc(hidden)]
pub use trace::set_recording as set_trace_recording;
pub use trace::{LOG_TARGET, Trace};

/// The crate version, as in Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
