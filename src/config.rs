//! A client's configuration: what the builder collects and checks, and what the
//! client keeps (to derive a changed one with `Client::to_builder`).

use std::path::PathBuf;
use std::time::Duration;

use crate::auth::Credentials;
use crate::exchange::{BodyEncoding, RetryPolicy};

/// The `User-Agent` every request sends.
pub const USER_AGENT: &str = concat!("zoomlive/", env!("CARGO_PKG_VERSION"));

/// Every setting of a client, as given (checked by `ClientBuilder::build`).
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub credentials: Credentials,
    pub base_url: String,
    pub oauth_url: String,
    pub encoding: BodyEncoding,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub retry: RetryPolicy,
    pub allow_insecure_http: bool,
    pub extra_ca: Option<ExtraCa>,
    pub token_cache_dir: Option<PathBuf>,
}

/// Where the extra CA certificates come from.
#[derive(Clone, Debug)]
pub(crate) enum ExtraCa {
    /// PEM text given directly.
    Pem(Vec<u8>),
    /// A PEM file, read when the client is built.
    File(PathBuf),
}
