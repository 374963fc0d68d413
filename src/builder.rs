//! `ClientBuilder`: a client's configuration, checked once when it is built.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Credentials, DEFAULT_OAUTH_URL};
use crate::client::Client;
use crate::config::{Config, ExtraCa, USER_AGENT};
use crate::error::{Error, Result};
use crate::exchange::{BodyEncoding, RetryPolicy};
use crate::model::validate::{check_endpoint, is_loopback_host};
use crate::net::resolver::CachingResolver;
use crate::net::{connector, keepalive, preconnect, proxy, tls};

/// Zoom's REST API v2.
pub const DEFAULT_BASE_URL: &str = "https://api.zoom.us/v2";
/// Default time allowed to establish a connection (DNS, TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole exchange, from connecting to the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest timeout accepted: one day.
const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);

/// Configures and builds a [`Client`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    config: Config,
}

/// A timeout given in seconds, as the C, Python and CLI faces take it: finite, greater
/// than zero and at most one day.
fn duration_from_secs(field: &'static str, secs: f64) -> Result<Duration> {
    if !secs.is_finite() || secs <= 0.0 || secs > MAX_TIMEOUT.as_secs_f64() {
        return Err(Error::input(
            field,
            format!(
                "must be a number of seconds greater than 0 and at most {} (got {secs})",
                MAX_TIMEOUT.as_secs()
            ),
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Checks a timeout given as a `Duration`, with the same bounds.
fn check_timeout(field: &'static str, timeout: Duration) -> Result<()> {
    if timeout.is_zero() {
        return Err(Error::input(field, "must be greater than zero"));
    }
    if timeout > MAX_TIMEOUT {
        return Err(Error::input(
            field,
            format!("must be at most {} seconds", MAX_TIMEOUT.as_secs()),
        ));
    }
    Ok(())
}

impl ClientBuilder {
    /// A builder with the defaults: Zoom's URLs, `auto` bodies (multipart first), 10 s
    /// to connect, 30 s per call, [`RetryPolicy::default`].
    pub fn new(credentials: Credentials) -> Self {
        ClientBuilder {
            config: Config {
                credentials,
                base_url: DEFAULT_BASE_URL.to_owned(),
                oauth_url: DEFAULT_OAUTH_URL.to_owned(),
                encoding: BodyEncoding::default(),
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                timeout: DEFAULT_TIMEOUT,
                retry: RetryPolicy::default(),
                allow_insecure_http: false,
                extra_ca: None,
                token_cache_dir: None,
            },
        }
    }

    /// The API base URL (default `https://api.zoom.us/v2`): the emulator, a proxy or a
    /// regional endpoint. `http://` is accepted only for loopback hosts unless
    /// [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.config.base_url = url.into();
        self
    }

    /// The Server-to-Server OAuth token URL (default `https://zoom.us/oauth/token`).
    pub fn oauth_url(mut self, url: impl Into<String>) -> Self {
        self.config.oauth_url = url.into();
        self
    }

    /// Body encoding: `Auto` (default: multipart as the seeds send, JSON once Zoom
    /// refuses multipart), `Multipart` only, or `Json` only.
    pub fn encoding(mut self, encoding: BodyEncoding) -> Self {
        self.config.encoding = encoding;
        self
    }

    /// Time allowed to connect (DNS, TCP, TLS); at most one day, checked by `build`.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// As [`connect_timeout`](Self::connect_timeout), in seconds: finite, > 0 and at
    /// most 86,400, else an `InvalidInput` error (field `connect_timeout`).
    pub fn connect_timeout_secs(self, secs: f64) -> Result<Self> {
        Ok(self.connect_timeout(duration_from_secs("connect_timeout", secs)?))
    }

    /// Time allowed for one whole exchange (each retry gets its own); at most one
    /// day, checked by `build`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// As [`timeout`](Self::timeout), in seconds: finite, > 0 and at most 86,400, else
    /// an `InvalidInput` error (field `timeout`).
    pub fn timeout_secs(self, secs: f64) -> Result<Self> {
        Ok(self.timeout(duration_from_secs("timeout", secs)?))
    }

    /// How 429s and pre-send connection failures are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// How many times a rate-limited (429) call is retried when Zoom asks for a short
    /// wait (default 2; 0 turns rate-limit retries off). The rest of the policy stays.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.config.retry.max_retries = retries;
        self
    }

    /// Allows `http://` URLs to hosts other than loopback (credentials then cross the
    /// network in clear text; meant for test rigs only).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.config.allow_insecure_http = allow;
        self
    }

    /// Trusts the CA certificates in this PEM text in addition to the operating
    /// system's (for a corporate TLS-inspecting proxy whose CA the OS does not hold).
    pub fn extra_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.config.extra_ca = Some(ExtraCa::Pem(pem.into()));
        self
    }

    /// As [`extra_ca_pem`](Self::extra_ca_pem), reading the PEM file when the client is built.
    pub fn extra_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.extra_ca = Some(ExtraCa::File(path.into()));
        self
    }

    /// Keeps Server-to-Server OAuth tokens between processes in this folder (off by
    /// default; the CLI uses `~/.cache/zoomlive`): one file per credential set, named by
    /// a hash of the OAuth URL, account id, client id and secret, holding the token and
    /// its expiry, written atomically with mode 0600 in a folder of mode 0700 (created
    /// when missing). A stored token is used until shortly before it expires and
    /// dropped when Zoom refuses it; files that are corrupt, owned by another user, or
    /// open to group or others are ignored. Within a process, clients with the same
    /// credentials share their token whether or not this is set.
    pub fn token_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config.token_cache_dir = Some(dir.into());
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let config = self.config;
        let base_url = check_endpoint("base_url", &config.base_url, config.allow_insecure_http)?;
        let oauth_url = check_endpoint("oauth_url", &config.oauth_url, config.allow_insecure_http)?;
        check_timeout("timeout", config.timeout)?;
        check_timeout("connect_timeout", config.connect_timeout)?;
        if config
            .token_cache_dir
            .as_ref()
            .is_some_and(|d| d.as_os_str().is_empty())
        {
            return Err(Error::input("token_cache_dir", "is empty"));
        }
        let tls = match &config.extra_ca {
            None => tls::config::client_config(None)?,
            Some(ExtraCa::Pem(pem)) => tls::config::client_config(Some(pem))?,
            Some(ExtraCa::File(path)) => {
                let pem = std::fs::read(path).map_err(|e| {
                    Error::input(
                        "extra_ca_file",
                        format!("cannot be read ({}): {e}", path.display()),
                    )
                })?;
                tls::config::client_config(Some(&pem))?
            }
        };
        // Each destination gets the proxy the environment names for it (net/proxy.rs).
        let api_proxy = proxy::for_url(&base_url)?;
        let oauth_proxy = proxy::for_url(&oauth_url)?;
        let agent_via = |proxy: Option<ureq::Proxy>| {
            let agent_config = ureq::Agent::config_builder()
                .proxy(proxy)
                .http_status_as_error(false)
                .max_redirects(0)
                .user_agent(USER_AGENT)
                .accept("application/json")
                .timeout_connect(Some(config.connect_timeout))
                .timeout_global(Some(config.timeout))
                // Threads sharing a client (SQL Server hosts, worker pools) keep their
                // connections instead of reconnecting on every call.
                .max_idle_connections(32)
                .max_idle_connections_per_host(16)
                .build();
            ureq::Agent::with_parts(
                agent_config,
                // The process's shared TLS configuration and session cache (net/tls/),
                // then the tracking of reused connections the server closed.
                ureq::unversioned::transport::Connector::chain(
                    connector::connector(tls.clone()),
                    keepalive::Tracking::new(),
                ),
                CachingResolver::default(),
            )
        };
        let agent = agent_via(api_proxy.clone());
        let oauth_agent = if oauth_proxy == api_proxy {
            agent.clone()
        } else {
            agent_via(oauth_proxy.clone())
        };
        let preopen: Option<Arc<preconnect::Target>> = preconnect::Target::for_url(
            &base_url,
            api_proxy.is_some(),
            tls,
            config.connect_timeout,
        );
        let proxy_lines = (
            proxy_line(&api_proxy, &base_url),
            proxy_line(&oauth_proxy, &oauth_url),
        );
        Ok(Client::from_parts(
            agent,
            oauth_agent,
            base_url,
            oauth_url,
            preopen,
            proxy_lines,
            config,
        ))
    }
}

/// The proxy decision for `url` as a trace shows it: the proxy (never its
/// credentials) or `direct`, and where the decision came from.
fn proxy_line(proxy: &Option<ureq::Proxy>, url: &str) -> String {
    match proxy {
        Some(p) => format!(
            "{}://{}:{} source=environment",
            p.uri().scheme_str().unwrap_or("http"),
            p.host(),
            p.port()
        ),
        None if url
            .parse::<ureq::http::Uri>()
            .is_ok_and(|u| u.host().is_some_and(is_loopback_host)) =>
        {
            "direct source=loopback".to_owned()
        }
        None => "direct source=none".to_owned(),
    }
}

impl Client {
    /// A builder for a client with these credentials.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder::new(credentials)
    }

    /// A client with a static bearer token and the default configuration.
    pub fn with_access_token(token: &str) -> Result<Client> {
        ClientBuilder::new(Credentials::access_token(token)?).build()
    }

    /// The configuration this client was built from, to derive a changed one.
    pub fn to_builder(&self) -> ClientBuilder {
        ClientBuilder {
            config: self.config().clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ClientBuilder {
        ClientBuilder::new(Credentials::access_token("t0ken").unwrap())
    }

    #[test]
    fn timeouts_in_seconds_are_checked_without_panicking() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e19, 86_400.5] {
            let err = builder().timeout_secs(bad).unwrap_err();
            assert_eq!(err.field(), Some("timeout"), "{bad}");
            let err = builder().connect_timeout_secs(bad).unwrap_err();
            assert_eq!(err.field(), Some("connect_timeout"), "{bad}");
        }
        assert!(builder().timeout_secs(86_400.0).unwrap().build().is_ok());
        assert!(builder().timeout_secs(0.001).unwrap().build().is_ok());
        let too_long = builder().timeout(Duration::from_secs(86_401)).build();
        assert_eq!(too_long.unwrap_err().field(), Some("timeout"));
    }

    #[test]
    fn max_retries_keeps_the_rest_of_the_policy() {
        let b = builder().max_retries(7);
        assert_eq!(b.config.retry.max_retries, 7);
        assert_eq!(b.config.retry.max_wait, RetryPolicy::default().max_wait);
    }
}
