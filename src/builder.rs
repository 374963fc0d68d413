//! `ClientBuilder`: a client's configuration, checked once when it is built.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Credentials, DEFAULT_OAUTH_URL};
use crate::client::Client;
use crate::config::{Config, ExtraCa, ProxyConfig, USER_AGENT};
use crate::error::{Error, Result};
use crate::exchange::{BodyEncoding, RetryPolicy};
use crate::model::validate::check_endpoint;
use crate::net::proxy::decide::{Decider, Explicit, Route, Settings};
use crate::net::proxy::decision::ProxyAuth;
use crate::net::proxy::{env, url};
use crate::net::resolver::CachingResolver;
use crate::net::{connector, keepalive, preconnect, tls};
use crate::secret::Secret;

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
                proxy: ProxyConfig::default(),
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

    /// The proxy for every destination but loopback and the [`no_proxy`](Self::no_proxy)
    /// list: a URL as the environment variables take it
    /// (`http://[user:password@]host[:port]`, `https://`, `socks5://`, ...), or
    /// `"direct"` for none whatever the environment or the system says; `""` goes back
    /// to automatic (the environment, then on Windows the system settings). Checked by
    /// `build` (field `proxy`); never shown with its password.
    pub fn proxy(mut self, proxy: &str) -> Self {
        self.config.proxy.proxy = (!proxy.trim().is_empty()).then(|| Secret::new(proxy.trim()));
        self
    }

    /// Hosts reached directly whatever proxy applies, in the `NO_PROXY` syntax (names
    /// with their subdomains, `*.` or `.` prefixes, addresses, CIDR blocks, `*`);
    /// `""` for none. Checked by `build` (field `no_proxy`).
    pub fn no_proxy(mut self, list: &str) -> Self {
        self.config.proxy.no_proxy = (!list.trim().is_empty()).then(|| list.to_owned());
        self
    }

    /// Whether the Windows system proxy settings (Internet Options, PAC/WPAD, the
    /// machine's WinHTTP setting) are followed when neither an explicit proxy nor the
    /// environment names one (default `true`; nothing to follow elsewhere).
    pub fn system_proxy(mut self, follow: bool) -> Self {
        self.config.proxy.system = follow;
        self
    }

    /// Credentials for the proxy's `407` (Basic or NTLM; the user may be written
    /// `DOMAIN\user`), taking precedence over those of the proxy URL; an empty `user`
    /// clears them. Never shown.
    pub fn proxy_credentials(mut self, user: &str, password: &str) -> Self {
        let set = !user.is_empty();
        self.config.proxy.user = set.then(|| Secret::new(user));
        self.config.proxy.password = set.then(|| Secret::new(password));
        self
    }

    /// How a proxy's `407` is answered (default [`ProxyAuth::Auto`]).
    pub fn proxy_auth(mut self, auth: ProxyAuth) -> Self {
        self.config.proxy.auth = auth;
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
        // One decision per destination (net/proxy/decide.rs), kept for the client's
        // life; the API's and the OAuth URL's are made now, so a wrong setting fails here.
        let decider = Arc::new(Decider::new(proxy_settings(
            &config.proxy,
            config.connect_timeout,
        )?));
        let api_route = decider.decide(&base_url)?;
        let oauth_route = decider.decide(&oauth_url)?;
        let socks = |route: &Route| match route {
            Route::Socks(p) => Some(p.ureq.clone()),
            _ => None,
        };
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
                // CONNECT tunnels as decided, then the tracking of reused connections
                // the server closed.
                ureq::unversioned::transport::Connector::chain(
                    connector::connector(tls.clone(), decider.clone()),
                    keepalive::Tracking::new(),
                ),
                CachingResolver::new(decider.clone()),
            )
        };
        let api_socks = socks(&api_route.route);
        let oauth_socks = socks(&oauth_route.route);
        let agent = agent_via(api_socks.clone());
        let oauth_agent = if oauth_socks == api_socks {
            agent.clone()
        } else {
            agent_via(oauth_socks)
        };
        let preopen: Option<Arc<preconnect::Target>> = preconnect::Target::for_url(
            &base_url,
            api_route.proxy().is_some(),
            tls,
            config.connect_timeout,
        );
        Ok(Client::from_parts(
            agent,
            oauth_agent,
            base_url,
            oauth_url,
            preopen,
            decider,
            config,
        ))
    }
}

/// The proxy settings checked: the explicit proxy parsed (field `proxy`), the
/// `no_proxy` list's entries (field `no_proxy`), the credentials free of line breaks.
fn proxy_settings(given: &ProxyConfig, connect_timeout: Duration) -> Result<Settings> {
    let explicit = match &given.proxy {
        None => None,
        Some(p) if p.expose().eq_ignore_ascii_case("direct") => Some(Explicit::Direct),
        Some(p) => Some(Explicit::Proxy(url::parse("proxy", p.expose())?)),
    };
    if let Some(list) = &given.no_proxy {
        env::bypass_rule("no_proxy", list, "zoomlive.invalid")?;
    }
    for (field, value) in [
        ("proxy_user", &given.user),
        ("proxy_password", &given.password),
    ] {
        if value
            .as_ref()
            .is_some_and(|v| v.expose().chars().any(char::is_control))
        {
            return Err(Error::input(field, "holds control characters"));
        }
    }
    Ok(Settings {
        explicit,
        no_proxy: given.no_proxy.clone(),
        system: given.system,
        system_timeout: connect_timeout,
        auth: given.auth,
        user: given.user.clone(),
        password: given.password.clone(),
    })
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
