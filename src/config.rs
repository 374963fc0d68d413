//! A client's configuration: what the builder collects and checks, and what the
//! client keeps (to derive a changed one with `Client::to_builder`).

use std::path::PathBuf;
use std::time::Duration;

use crate::auth::Credentials;
use crate::exchange::{BodyEncoding, RetryPolicy};
use crate::net::proxy::decision::ProxyAuth;
use crate::secret::Secret;

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
    pub proxy: ProxyConfig,
}

/// The proxy settings as given (checked by `ClientBuilder::build`).
#[derive(Clone, Debug)]
pub(crate) struct ProxyConfig {
    /// A proxy URL, or `direct`; `None`: automatic (environment, then system). A
    /// secret: the URL may hold a password.
    pub proxy: Option<Secret>,
    /// Hosts reached directly, in the `NO_PROXY` syntax.
    pub no_proxy: Option<String>,
    /// Whether the Windows system settings are consulted.
    pub system: bool,
    pub auth: ProxyAuth,
    pub user: Option<Secret>,
    pub password: Option<Secret>,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        ProxyConfig {
            proxy: None,
            no_proxy: None,
            system: true,
            auth: ProxyAuth::Auto,
            user: None,
            password: None,
        }
    }
}

/// Where the extra CA certificates come from.
#[derive(Clone, Debug)]
pub(crate) enum ExtraCa {
    /// PEM text given directly.
    Pem(Vec<u8>),
    /// A PEM file, read when the client is built.
    File(PathBuf),
}
