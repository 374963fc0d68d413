//! `Client`: performs the live-stream operations over one connection pool, with
//! authentication, retries and error classification.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{RootCerts, TlsConfig};

use crate::auth::{Credentials, DEFAULT_OAUTH_URL, TokenSource};
use crate::encoding::{Body, BodyEncoding, Fields};
use crate::error::{ApiError, Error, Result};
use crate::model::{
    Action, Livestream, LivestreamSettings, LivestreamUpdate, MeetingId, WebinarId, check_http_url,
    check_no_controls,
};
use crate::resolver::CachingResolver;
use crate::retry::RetryPolicy;
use crate::transport;

/// Zoom's REST API v2.
pub const DEFAULT_BASE_URL: &str = "https://api.zoom.us/v2";
/// Default time allowed to establish a connection (DNS, TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole exchange, from connecting to the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The most of a successful answer's body that is read.
const SUCCESS_BODY_LIMIT: u64 = 1024 * 1024;
/// The `User-Agent` every request sends.
pub const USER_AGENT: &str = concat!("zoomlive/", env!("CARGO_PKG_VERSION"));

/// Configures and builds a [`Client`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: String,
    oauth_url: String,
    encoding: BodyEncoding,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    allow_insecure_http: bool,
    extra_ca: Option<ExtraCa>,
}

/// Where the extra CA certificates come from.
#[derive(Clone, Debug)]
enum ExtraCa {
    Pem(Vec<u8>),
    File(std::path::PathBuf),
}

impl ClientBuilder {
    /// A builder with the defaults: Zoom's URLs, multipart bodies, 10 s to connect,
    /// 30 s per call, [`RetryPolicy::default`].
    pub fn new(credentials: Credentials) -> Self {
        ClientBuilder {
            credentials,
            base_url: DEFAULT_BASE_URL.to_owned(),
            oauth_url: DEFAULT_OAUTH_URL.to_owned(),
            encoding: BodyEncoding::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            allow_insecure_http: false,
            extra_ca: None,
        }
    }

    /// The API base URL (default `https://api.zoom.us/v2`): the emulator, a proxy or a
    /// regional endpoint. `http://` is accepted only for loopback hosts unless
    /// [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The Server-to-Server OAuth token URL (default `https://zoom.us/oauth/token`).
    pub fn oauth_url(mut self, url: impl Into<String>) -> Self {
        self.oauth_url = url.into();
        self
    }

    /// Multipart (default, as the seeds send) or JSON bodies.
    pub fn encoding(mut self, encoding: BodyEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Time allowed to connect (DNS, TCP, TLS).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one whole exchange (each retry gets its own).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How 429s and pre-send connection failures are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The retry policy currently configured.
    pub fn retry_policy_value(&self) -> RetryPolicy {
        self.retry
    }

    /// Allows `http://` URLs to hosts other than loopback (credentials then cross the
    /// network in clear text; meant for test rigs only).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Trusts the CA certificates in this PEM text in addition to the operating
    /// system's (for a corporate TLS-inspecting proxy whose CA the OS does not hold).
    pub fn extra_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.extra_ca = Some(ExtraCa::Pem(pem.into()));
        self
    }

    /// As [`extra_ca_pem`](Self::extra_ca_pem), reading the PEM file when the client is built.
    pub fn extra_ca_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.extra_ca = Some(ExtraCa::File(path.into()));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let base_url = check_endpoint("base_url", &self.base_url, self.allow_insecure_http)?;
        let oauth_url = check_endpoint("oauth_url", &self.oauth_url, self.allow_insecure_http)?;
        if self.timeout.is_zero() {
            return Err(Error::input("timeout", "must be greater than zero"));
        }
        if self.connect_timeout.is_zero() {
            return Err(Error::input("connect_timeout", "must be greater than zero"));
        }
        let roots = match &self.extra_ca {
            None => RootCerts::PlatformVerifier,
            Some(ExtraCa::Pem(pem)) => roots_with_extra(pem)?,
            Some(ExtraCa::File(path)) => {
                let pem = std::fs::read(path).map_err(|e| {
                    Error::input(
                        "extra_ca_file",
                        format!("cannot be read ({}): {e}", path.display()),
                    )
                })?;
                roots_with_extra(&pem)?
            }
        };
        let tls = TlsConfig::builder().root_certs(roots).build();
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(USER_AGENT)
            .accept("application/json")
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
            .tls_config(tls)
            // Threads sharing a client (SQL Server hosts, worker pools) keep their
            // connections instead of reconnecting on every call.
            .max_idle_connections(32)
            .max_idle_connections_per_host(16)
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::new(),
            CachingResolver::default(),
        );
        Ok(Client {
            inner: Arc::new(Inner {
                agent,
                tokens: TokenSource::new(self.credentials.clone(), oauth_url),
                base_url,
                encoding: self.encoding,
                retry: self.retry,
                config: self,
            }),
        })
    }
}

/// The operating system's trusted roots plus the certificates of `pem`.
fn roots_with_extra(pem: &[u8]) -> Result<RootCerts> {
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(e) => {
                return Err(Error::input(
                    "extra_ca_pem",
                    format!("is not valid PEM: {e}"),
                ));
            }
        }
    }
    if certs.is_empty() {
        return Err(Error::input("extra_ca_pem", "holds no CERTIFICATE block"));
    }
    // Certificates the OS store cannot provide are skipped, as the platform verifier does.
    let native = rustls_native_certs::load_native_certs();
    certs.extend(
        native
            .certs
            .into_iter()
            .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned()),
    );
    Ok(RootCerts::new_with_certs(&certs))
}

/// Checks an endpoint URL and returns it without a trailing `/`.
fn check_endpoint(field: &'static str, url: &str, allow_insecure_http: bool) -> Result<String> {
    check_no_controls(field, url)?;
    check_http_url(field, url)?;
    if url.contains(['?', '#']) {
        return Err(Error::input(field, "must not have a query or fragment"));
    }
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let authority = url[scheme_end..].split('/').next().unwrap_or("");
    if authority.contains('@') {
        return Err(Error::input(field, "must not carry user:password@"));
    }
    let insecure = url[..scheme_end].eq_ignore_ascii_case("http://");
    if insecure && !allow_insecure_http && !is_loopback(authority) {
        return Err(Error::input(
            field,
            "uses http:// to a host that is not loopback; use https:// (or allow insecure http explicitly)",
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// True for `localhost`, `127.x.y.z` and `[::1]`, with or without a port.
fn is_loopback(authority: &str) -> bool {
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

struct Inner {
    agent: ureq::Agent,
    tokens: TokenSource,
    base_url: String,
    encoding: BodyEncoding,
    retry: RetryPolicy,
    config: ClientBuilder,
}

/// Performs Zoom's live-stream operations. Cheap to clone, `Send + Sync`: share one
/// client between threads so they share its connections and OAuth token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("encoding", &self.inner.encoding)
            .field("credentials", self.inner.tokens.credentials())
            .finish()
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
        self.inner.config.clone()
    }

    /// The API base URL in use (without a trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The body encoding in use.
    pub fn encoding(&self) -> BodyEncoding {
        self.inner.encoding
    }

    /// `PATCH /meetings/{id}/livestream/status`: starts or stops a meeting's live
    /// stream, optionally changing its settings (only while it is stopped).
    pub fn update_meeting_livestream_status(
        &self,
        meeting: MeetingId,
        action: Action,
        settings: Option<&LivestreamSettings>,
    ) -> Result<()> {
        let path = format!("/meetings/{meeting}/livestream/status");
        self.patch(&path, &Fields::status(action, settings))
    }

    /// `PATCH /webinars/{id}/livestream/status`: starts or stops a webinar's live stream.
    pub fn update_webinar_livestream_status(
        &self,
        webinar: WebinarId,
        action: Action,
        settings: Option<&LivestreamSettings>,
    ) -> Result<()> {
        let path = format!("/webinars/{webinar}/livestream/status");
        self.patch(&path, &Fields::status(action, settings))
    }

    /// `PATCH /meetings/{id}/livestream`: sets where a meeting streams to.
    pub fn update_meeting_livestream(
        &self,
        meeting: MeetingId,
        update: &LivestreamUpdate,
    ) -> Result<()> {
        self.patch(
            &format!("/meetings/{meeting}/livestream"),
            &Fields::stream(update),
        )
    }

    /// `PATCH /webinars/{id}/livestream`: sets where a webinar streams to.
    pub fn update_webinar_livestream(
        &self,
        webinar: WebinarId,
        update: &LivestreamUpdate,
    ) -> Result<()> {
        self.patch(
            &format!("/webinars/{webinar}/livestream"),
            &Fields::stream(update),
        )
    }

    /// `GET /meetings/{id}/livestream`: reads a meeting's live stream configuration.
    pub fn get_meeting_livestream(&self, meeting: MeetingId) -> Result<Livestream> {
        self.get_livestream(&format!("/meetings/{meeting}/livestream"))
    }

    /// `GET /webinars/{id}/livestream`: reads a webinar's live stream configuration.
    pub fn get_webinar_livestream(&self, webinar: WebinarId) -> Result<Livestream> {
        self.get_livestream(&format!("/webinars/{webinar}/livestream"))
    }

    fn patch(&self, path: &str, fields: &Fields) -> Result<()> {
        let body = fields.encode(self.inner.encoding);
        let mut resp = self.exchange(path, Some(&body))?;
        // Drain what little a success carries so the connection can be reused.
        let _ = resp
            .body_mut()
            .with_config()
            .limit(SUCCESS_BODY_LIMIT)
            .read_to_vec();
        Ok(())
    }

    fn get_livestream(&self, path: &str) -> Result<Livestream> {
        let mut resp = self.exchange(path, None)?;
        let status = resp.status().as_u16();
        let secrets = self.inner.tokens.credentials().secrets();
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(SUCCESS_BODY_LIMIT)
            .read_to_vec()
            .map_err(|e| transport::classify(e, &secrets).error)?;
        let bad = |message: String| {
            Error::Api(Box::new(ApiError {
                status,
                message,
                ..Default::default()
            }))
        };
        let json = serde_json::from_slice(&bytes)
            .map_err(|e| bad(format!("the live stream answer is not JSON: {e}")))?;
        Livestream::from_json(&json).map_err(bad)
    }

    /// Sends one request (PATCH with a body, GET without), retrying as the policy
    /// allows, and returns the 2xx answer.
    fn exchange(
        &self,
        path: &str,
        body: Option<&Body>,
    ) -> Result<ureq::http::Response<ureq::Body>> {
        let inner = &*self.inner;
        let url = format!("{}{path}", inner.base_url);
        let mut stale_token = None;
        let mut rate_limit_retries = 0;
        let mut connect_retries = 0;
        loop {
            let token = inner.tokens.token(&inner.agent, stale_token)?;
            let mut secrets = inner.tokens.credentials().secrets();
            secrets.push(token.secret.expose());
            let sent = self.send_once(&url, token.secret.expose(), body);
            let resp = match sent {
                Ok(resp) => resp,
                Err(e) => {
                    let failure = transport::classify(e, &secrets);
                    if failure.before_send && connect_retries < inner.retry.connect_retries {
                        connect_retries += 1;
                        continue;
                    }
                    return Err(failure.error);
                }
            };
            if resp.status().is_success() {
                return Ok(resp);
            }
            let api = transport::read_error(resp, &secrets);
            if api.status == 401 && inner.tokens.can_refresh() && stale_token.is_none() {
                stale_token = Some(token.generation);
                continue;
            }
            if api.status == 429
                && let Some(wait) = inner.retry.rate_limit_wait(rate_limit_retries, &api)
            {
                rate_limit_retries += 1;
                std::thread::sleep(wait);
                continue;
            }
            return Err(Error::from_api(api));
        }
    }

    fn send_once(
        &self,
        url: &str,
        token: &str,
        body: Option<&Body>,
    ) -> std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let agent = &self.inner.agent;
        let bearer = format!("Bearer {token}");
        match body {
            Some(body) => agent
                .patch(url)
                .header("Authorization", &bearer)
                .content_type(&body.content_type)
                .send(&body.bytes[..]),
            None => agent.get(url).header("Authorization", &bearer).call(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(url: &str) -> Result<Client> {
        Client::builder(Credentials::access_token("t0ken").unwrap())
            .base_url(url)
            .build()
    }

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            build("https://api.zoom.us/v2/").unwrap().base_url(),
            "https://api.zoom.us/v2"
        );
        assert!(build("http://127.0.0.1:8080/v2").is_ok());
        assert!(build("http://localhost:1/v2").is_ok());
        assert!(build("http://[::1]:1/v2").is_ok());
        for bad in [
            "http://api.zoom.us/v2",
            "ftp://x/v2",
            "api.zoom.us/v2",
            "https://user:pw@api.zoom.us/v2",
            "https://api.zoom.us/v2?x=1",
            "https://api.zoom.us/v2\r\nX: y",
        ] {
            assert_eq!(build(bad).unwrap_err().field(), Some("base_url"), "{bad}");
        }
        let insecure = Client::builder(Credentials::access_token("t0ken").unwrap())
            .base_url("http://10.0.0.1/v2")
            .allow_insecure_http(true)
            .build();
        assert!(insecure.is_ok());
    }

    #[test]
    fn debug_hides_the_token() {
        let c = build("https://api.zoom.us/v2").unwrap();
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("t0ken") && shown.contains("api.zoom.us"),
            "{shown}"
        );
    }

    #[test]
    fn client_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Client>();
    }
}
