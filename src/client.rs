//! `Client`: performs the live-stream operations over one connection pool, with
//! authentication, retries and error classification.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use crate::auth::TokenSource;
use crate::config::Config;
use crate::error::{ApiError, Error, Result};
use crate::exchange::deadline::Deadline;
use crate::exchange::encoding::{Body, BodyEncoding, Fields};
use crate::exchange::outcome;
use crate::exchange::retry::RetryPolicy;
use crate::exchange::scope;
use crate::model::validate::check_endpoint;
use crate::model::{
    Action, Livestream, LivestreamSettings, LivestreamUpdate, MeetingId, Owner, WebinarId,
};
use crate::net::proxy::decide::Decider;
use crate::net::proxy::decision::ProxyDecision;
use crate::net::{keepalive, preconnect};
use crate::secret::{Secret, scrub};
use crate::trace::event::{BODY_KEPT, Event, cut, printable};
use crate::trace::{self};

/// The most of a successful answer's body that is read.
const SUCCESS_BODY_LIMIT: u64 = 1024 * 1024;

struct Inner {
    /// This client's number in the process (the key of each thread's last trace).
    id: u64,
    /// The configuration line every trace of this client starts with.
    config_line: Arc<str>,
    /// The proxy decision for the API, as every trace shows it (made at the first call).
    proxy_line: OnceLock<Arc<str>>,
    oauth_url: String,
    agent: ureq::Agent,
    /// The agent for the OAuth token URL: `agent` itself unless the environment names
    /// another proxy (or none) for that URL (net/proxy.rs).
    oauth_agent: ureq::Agent,
    tokens: TokenSource,
    base_url: String,
    encoding: BodyEncoding,
    /// Set (once, for good) when Zoom refused a multipart body of an `Auto` client.
    json_fallback: AtomicBool,
    retry: RetryPolicy,
    config: Config,
    /// The credentials' secrets (and the OAuth Basic value) and the credentials of
    /// the proxies in the environment, gathered once when the client is built.
    static_secrets: Vec<String>,
    /// The proxy decision of each destination (net/proxy/decide.rs).
    proxies: Arc<Decider>,
    /// The stream keys this client sent or read back (the newest few), scrubbed from
    /// every answer like its credentials.
    stream_keys: Mutex<Vec<Secret>>,
}

/// A client's insides, for `zoomlive doctor` (see [`Client::parts`]).
pub(crate) struct Parts<'a> {
    pub agent: &'a ureq::Agent,
    pub oauth_agent: &'a ureq::Agent,
    pub tokens: &'a TokenSource,
    pub oauth_url: &'a str,
}

/// The number of the next client made.
static NEXT_CLIENT: AtomicU64 = AtomicU64::new(1);

/// The configuration as a trace shows it: values, never secrets.
fn config_line(config: &Config, base_url: &str, oauth_url: &str) -> String {
    let mut line = format!(
        "base_url={base_url} encoding={} timeout={}s connect_timeout={}s max_retries={} auth={}",
        config.encoding.as_str(),
        config.timeout.as_secs_f64(),
        config.connect_timeout.as_secs_f64(),
        config.retry.max_retries,
        match config.credentials {
            crate::auth::Credentials::AccessToken(_) => "bearer",
            crate::auth::Credentials::ServerToServer { .. } => "server-to-server",
        },
    );
    if matches!(
        config.credentials,
        crate::auth::Credentials::ServerToServer { .. }
    ) {
        line.push_str(&format!(" oauth_url={oauth_url}"));
    }
    if config.extra_ca.is_some() {
        line.push_str(" extra_ca=yes");
    }
    if config.token_cache_dir.is_some()
        && matches!(
            config.credentials,
            crate::auth::Credentials::ServerToServer { .. }
        )
    {
        line.push_str(" token_cache=disk");
    }
    line
}

/// How many stream keys a client remembers for scrubbing.
const STREAM_KEYS_KEPT: usize = 32;

/// Whether an error answer says the body's content type is not supported: HTTP 415,
/// or a 4xx with Zoom code 300 whose message says so in any of the usual spellings
/// ("Unsupported Content Type", "Unsupported Content-Type: multipart/form-data",
/// "content_type is not supported", "Unsupported Media Type", ...). Other code-300
/// errors (validation failures) are not.
fn refuses_content_type(api: &ApiError) -> bool {
    if api.status == 415 {
        return true;
    }
    if !(400..500).contains(&api.status) || api.code != Some(300) {
        return false;
    }
    // The message's words, lower case: "Content-Type", "content_type" and "Content Type"
    // all read "content type" ("ContentType" reads "contenttype").
    let lower = api.message.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let text = words.join(" ");
    let names_the_type = ["content type", "contenttype", "media type", "mediatype"]
        .iter()
        .any(|t| text.contains(t));
    let refuses = [
        "unsupported",
        "not supported",
        "does not support",
        "doesn t support",
    ]
    .iter()
    .any(|t| text.contains(t));
    names_the_type && refuses
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
    /// Puts together a client from its checked configuration (see [`ClientBuilder::build`]).
    pub(crate) fn from_parts(
        agent: ureq::Agent,
        oauth_agent: ureq::Agent,
        base_url: String,
        oauth_url: String,
        preopen: Option<Arc<preconnect::Target>>,
        proxies: Arc<Decider>,
        config: Config,
    ) -> Client {
        let config_line = config_line(&config, &base_url, &oauth_url);
        let tokens = TokenSource::new(
            config.credentials.clone(),
            oauth_url.clone(),
            config.token_cache_dir.clone(),
            preopen,
        )
        .with_proxies(proxies.clone());
        Client {
            inner: Arc::new(Inner {
                id: NEXT_CLIENT.fetch_add(1, Ordering::Relaxed),
                config_line: config_line.into(),
                proxy_line: OnceLock::new(),
                oauth_url,
                agent,
                oauth_agent,
                tokens,
                base_url,
                encoding: config.encoding,
                json_fallback: AtomicBool::new(false),
                static_secrets: {
                    let mut secrets = config.credentials.secrets();
                    secrets.extend(crate::secret::proxy_credentials());
                    secrets.extend(proxies.secrets());
                    secrets
                },
                stream_keys: Mutex::new(Vec::new()),
                retry: config.retry,
                config,
                proxies,
            }),
        }
    }

    /// The configuration this client was built from.
    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// What `zoomlive doctor` looks at: the agents for the API and the OAuth URL, the
    /// token source, the OAuth URL and both proxy decisions.
    pub(crate) fn parts(&self) -> Parts<'_> {
        let inner = &*self.inner;
        Parts {
            agent: &inner.agent,
            oauth_agent: &inner.oauth_agent,
            tokens: &inner.tokens,
            oauth_url: &inner.oauth_url,
        }
    }

    /// The proxy decision for `url` as a trace shows it: the proxy (never its
    /// credentials) or `direct`, where the decision came from, and its note if any.
    pub(crate) fn proxy_line(&self, url: &str) -> String {
        match self.inner.proxies.decide(url) {
            Ok(d) => {
                let d = d.public();
                let mut line = format!("{} source={}", d.proxy().unwrap_or("direct"), d.source());
                if let Some(note) = d.note() {
                    line.push_str(&format!(" note={}", printable(note)));
                }
                line
            }
            Err(e) => format!("undecided: {}", printable(&e.to_string())),
        }
    }

    /// Which proxy carries the requests to `url` (an `http://` or `https://` URL), and
    /// where that came from: the decision this client made (or now makes) for that
    /// destination, kept for its life. See [`ProxyDecision`] for the sources.
    pub fn proxy_for(&self, url: &str) -> Result<ProxyDecision> {
        let url = check_endpoint("url", url, true)?;
        Ok(self.inner.proxies.decide(&url)?.public())
    }

    /// The API base URL in use (without a trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The body encoding configured (`Auto` stays `Auto` after falling back to JSON;
    /// see [`Client::sends_json`]).
    pub fn encoding(&self) -> BodyEncoding {
        self.inner.encoding
    }

    /// Whether request bodies go out as JSON: a `Json` client, or an `Auto` client
    /// after Zoom refused multipart once.
    pub fn sends_json(&self) -> bool {
        match self.inner.encoding {
            BodyEncoding::Json => true,
            BodyEncoding::Multipart => false,
            BodyEncoding::Auto => self.inner.json_fallback.load(Ordering::Relaxed),
        }
    }

    /// Carries an `Auto` client's switch to JSON over to its reconfigured successor
    /// (the C handle rebuilds its client on each setter): Zoom refused multipart once,
    /// it is not asked again.
    #[cfg_attr(not(feature = "capi"), allow(dead_code))]
    pub(crate) fn inherit_json_fallback(&self, previous: &Client) {
        if self.inner.encoding == BodyEncoding::Auto && previous.sends_json() {
            self.inner.json_fallback.store(true, Ordering::Relaxed);
        }
    }

    /// `PATCH /meetings/{id}/livestream/status`: starts or stops a meeting's live
    /// stream, optionally changing its settings (only while it is stopped).
    pub fn update_meeting_livestream_status(
        &self,
        meeting: MeetingId,
        action: Action,
        settings: Option<&LivestreamSettings>,
    ) -> Result<()> {
        self.update_livestream_status(meeting, action, settings)
    }

    /// `PATCH /webinars/{id}/livestream/status`: starts or stops a webinar's live stream.
    pub fn update_webinar_livestream_status(
        &self,
        webinar: WebinarId,
        action: Action,
        settings: Option<&LivestreamSettings>,
    ) -> Result<()> {
        self.update_livestream_status(webinar, action, settings)
    }

    /// `PATCH /meetings/{id}/livestream`: sets where a meeting streams to.
    pub fn update_meeting_livestream(
        &self,
        meeting: MeetingId,
        update: &LivestreamUpdate,
    ) -> Result<()> {
        self.update_livestream(meeting, update)
    }

    /// `PATCH /webinars/{id}/livestream`: sets where a webinar streams to.
    pub fn update_webinar_livestream(
        &self,
        webinar: WebinarId,
        update: &LivestreamUpdate,
    ) -> Result<()> {
        self.update_livestream(webinar, update)
    }

    /// `GET /meetings/{id}/livestream`: reads a meeting's live stream configuration.
    pub fn get_meeting_livestream(&self, meeting: MeetingId) -> Result<Livestream> {
        self.get_livestream(meeting)
    }

    /// `GET /webinars/{id}/livestream`: reads a webinar's live stream configuration.
    pub fn get_webinar_livestream(&self, webinar: WebinarId) -> Result<Livestream> {
        self.get_livestream(webinar)
    }

    /// `PATCH /{meetings|webinars}/{id}/livestream/status` for either owner: what the
    /// meeting and webinar methods do. Webinars take only `active_speaker_name` and
    /// `display_name` of the known settings (and unknown keys, passed on); `layout` and
    /// `close_caption` are refused for them before anything is sent.
    pub fn update_livestream_status(
        &self,
        owner: impl Into<Owner>,
        action: Action,
        settings: Option<&LivestreamSettings>,
    ) -> Result<()> {
        let owner = owner.into();
        let path = owner.livestream_path("/status");
        self.traced("PATCH", &path, || {
            if let Some(settings) = settings {
                settings.check_for(owner.kind())?;
            }
            self.patch(&path, &Fields::status(action, settings))
        })
    }

    /// `PATCH /{meetings|webinars}/{id}/livestream` for either owner.
    pub fn update_livestream(
        &self,
        owner: impl Into<Owner>,
        update: &LivestreamUpdate,
    ) -> Result<()> {
        self.remember_stream_key(update.stream_key());
        let path = owner.into().livestream_path("");
        self.traced("PATCH", &path, || {
            self.patch(&path, &Fields::stream(update))
        })
    }

    /// `GET /{meetings|webinars}/{id}/livestream` for either owner.
    pub fn get_livestream(&self, owner: impl Into<Owner>) -> Result<Livestream> {
        let path = owner.into().livestream_path("");
        self.traced("GET", &path, || self.get(&path))
    }

    /// The trace of this thread's last call on this client (or a clone of it), success
    /// or failure: every step, one per line, with no secret in it (see [`Trace`](crate::Trace)).
    pub fn last_trace(&self) -> Option<String> {
        Self::last_trace_of(self.inner.id)
    }

    /// This client's number, for a face that keeps reading its traces after the
    /// client is gone (see [`Client::last_trace_of`]).
    #[cfg_attr(not(feature = "python"), allow(dead_code))]
    pub(crate) fn trace_id(&self) -> u64 {
        self.inner.id
    }

    /// Forgets the calling thread's last trace of this client: a face that checks its
    /// own arguments first then knows, from `last_trace`, whether the call ran.
    #[cfg_attr(not(feature = "capi"), allow(dead_code))]
    pub(crate) fn forget_last_trace(&self) {
        trace::recorder::forget(self.inner.id);
    }

    /// The calling thread's last trace of the client numbered `id`.
    pub(crate) fn last_trace_of(id: u64) -> Option<String> {
        trace::recorder::last(id).and_then(|t| t.as_str().map(str::to_owned))
    }

    /// Runs one operation as a traced call: the trace begins with the configuration
    /// and the proxy decision and ends with the outcome; it is kept as this thread's
    /// last trace of the client and attached to the error, if any.
    fn traced<T>(&self, method: &str, path: &str, run: impl FnOnce() -> Result<T>) -> Result<T> {
        let call = trace::begin();
        let started = Instant::now();
        trace::record(|| Event::Config(self.inner.config_line.clone()));
        trace::record(|| {
            Event::Proxy(
                self.inner
                    .proxy_line
                    .get_or_init(|| self.proxy_line(&self.inner.base_url).into())
                    .clone(),
            )
        });
        let result = run();
        let took = started.elapsed();
        trace::record(|| Event::Outcome {
            took,
            failure: result
                .as_ref()
                .err()
                .map(|e| (e.kind().as_str(), printable(&e.to_string()))),
        });
        let trace = call.finish(self.inner.id);
        trace::recorder::log_summary(|| {
            let outcome = match &result {
                Ok(_) => "ok".to_owned(),
                Err(e) => format!("failed ({})", e.kind()),
            };
            format!(
                "{method} {path}: {outcome} in {:.1} ms",
                took.as_secs_f64() * 1000.0
            )
        });
        result.map_err(|e| e.with_trace(trace))
    }

    fn get(&self, path: &str) -> Result<Livestream> {
        let (mut resp, token) = self.exchange(path, None)?;
        let status = resp.status().as_u16();
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(SUCCESS_BODY_LIMIT)
            .read_to_vec()
            .map_err(|e| outcome::classify(e, &self.secrets(None)).error)?;
        let livestream = Livestream::from_json_bytes(&bytes).map_err(|message| {
            Error::Api(Box::new(ApiError {
                status,
                message,
                ..Default::default()
            }))
        })?;
        if let Some(key) = livestream.stream_key() {
            self.remember_stream_key(key);
        }
        if trace::recorder::active() {
            let text = String::from_utf8_lossy(&bytes);
            let mut secrets = self.secrets(Some(&token));
            secrets.extend(livestream.stream_key().map(str::to_owned));
            let body = cut(&printable(&scrub(&text, &secrets)), BODY_KEPT);
            trace::record(|| Event::AnswerBody(body));
        }
        Ok(livestream)
    }

    /// Keeps a stream key to scrub from later answers (the newest few are kept).
    fn remember_stream_key(&self, key: &str) {
        let mut keys = self
            .inner
            .stream_keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !key.is_empty() && !keys.iter().any(|k| k.expose() == key) {
            if keys.len() >= STREAM_KEYS_KEPT {
                keys.remove(0);
            }
            keys.push(Secret::new(key));
        }
    }

    /// Everything scrubbed from what a server sends back: the credentials (and OAuth
    /// Basic value), the bearer token in use, every stream key this client sent or
    /// read, and the credentials of any proxy in the environment.
    fn secrets(&self, token: Option<&Secret>) -> Vec<String> {
        let mut secrets = self.inner.static_secrets.clone();
        secrets.extend(token.map(|t| t.expose().to_owned()));
        let keys = self
            .inner
            .stream_keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        secrets.extend(keys.iter().map(|k| k.expose().to_owned()));
        secrets
    }

    /// Runs `f` with every secret to scrub (as `secrets`, but borrowed: nothing is
    /// copied on the hot path), the stream keys' lock held meanwhile.
    fn with_secrets<R>(&self, token: &Secret, f: impl FnOnce(&[&str]) -> R) -> R {
        let keys = self
            .inner
            .stream_keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut all: Vec<&str> = self
            .inner
            .static_secrets
            .iter()
            .map(String::as_str)
            .collect();
        all.push(token.expose());
        all.extend(keys.iter().map(Secret::expose));
        f(&all)
    }

    fn patch(&self, path: &str, fields: &Fields) -> Result<()> {
        let (mut resp, _) = self.exchange(path, Some(fields))?;
        // Drain what little a success carries so the connection can be reused.
        let _ = resp
            .body_mut()
            .with_config()
            .limit(SUCCESS_BODY_LIMIT)
            .read_to_vec();
        Ok(())
    }

    /// Sends one request (PATCH with a body, GET without), retrying as the policy
    /// allows, and returns the 2xx answer with the token it was sent with.
    ///
    /// Tried again: a connection that failed before sending; a 401 or Zoom code 124
    /// once with a fresh OAuth token; a 429 as the policy allows; and, for an `Auto`
    /// client sending multipart, a refused content type once as JSON (after which the
    /// client sends JSON for good).
    fn exchange(
        &self,
        path: &str,
        fields: Option<&Fields>,
    ) -> Result<(ureq::http::Response<ureq::Body>, Secret)> {
        let inner = &*self.inner;
        let url = format!("{}{path}", inner.base_url);
        let json = |f: &Fields| f.encode(BodyEncoding::Json);
        let mut body: Option<Body> = fields.map(|f| {
            if self.sends_json() {
                json(f)
            } else {
                f.encode(BodyEncoding::Multipart)
            }
        });
        let mut may_fall_back = inner.encoding == BodyEncoding::Auto && !self.sends_json();
        // The call's timeout bounds the whole call, retries and token fetches included;
        // a caller's scope (a batch) may cap it further and take over 429 retries.
        let scope = scope::current();
        let deadline = Deadline::after(inner.config.timeout).capped(scope.until);
        let mut stale_token = None;
        let mut rate_limit_retries = 0;
        let mut connect_retries = 0;
        loop {
            let token = inner
                .tokens
                .token(&inner.oauth_agent, stale_token, &deadline)?;
            // What to scrub is gathered only when an answer or error must be read.
            let secrets = || self.secrets(Some(&token.secret));
            let time_left = deadline.remaining("before the request was sent")?;
            self.trace_request(fields.is_some(), &url, body.as_ref());
            let sent = self.send_once(&url, token.secret.expose(), body.as_ref(), time_left);
            let resp = match sent {
                Ok(resp) => resp,
                Err(e) => {
                    let failure = outcome::classify(e, &secrets());
                    if failure.before_send && connect_retries < inner.retry.connect_retries {
                        connect_retries += 1;
                        trace::record(|| Event::Retry {
                            reason: format!(
                                "connection failed before the request was sent: {}",
                                printable(&failure.error.to_string())
                            ),
                            wait: Duration::ZERO,
                        });
                        continue;
                    }
                    return Err(failure.error);
                }
            };
            if trace::recorder::active() {
                self.with_secrets(&token.secret, |s| outcome::trace_answer(&resp, s));
            }
            scope::observe(resp.headers());
            if resp.status().is_success() {
                return Ok((resp, token.secret));
            }
            let api = outcome::read_error(resp, &secrets());
            if let Some(f) = fields
                && may_fall_back
                && refuses_content_type(&api)
            {
                may_fall_back = false;
                inner.json_fallback.store(true, Ordering::Relaxed);
                body = Some(json(f));
                trace::record(|| Event::Retry {
                    reason: "the content type was refused: sending JSON from now on".into(),
                    wait: Duration::ZERO,
                });
                continue;
            }
            let token_refused = api.status == 401 || api.code == Some(124);
            if token_refused && inner.tokens.can_refresh() && stale_token.is_none() {
                stale_token = Some(token.generation);
                trace::record(|| Event::Retry {
                    reason: format!(
                        "the token was refused (HTTP {}, code {}): fetching a new one",
                        api.status,
                        api.code.map_or("none".to_owned(), |c| c.to_string())
                    ),
                    wait: Duration::ZERO,
                });
                continue;
            }
            if api.status == 429
                && !scope.no_rate_limit_retries
                && let Some(wait) = inner.retry.rate_limit_wait(rate_limit_retries, &api)
                && deadline.allows(wait)
            {
                rate_limit_retries += 1;
                trace::record(|| Event::Retry {
                    reason: format!(
                        "rate limited (429{}): wait from {}",
                        api.rate_limit_type
                            .as_deref()
                            .map_or(String::new(), |t| format!(" {}", printable(t))),
                        if api.retry_after.is_some() {
                            "the answer"
                        } else {
                            "the retry policy"
                        }
                    ),
                    wait,
                });
                std::thread::sleep(wait);
                continue;
            }
            return Err(Error::from_api(api));
        }
    }

    /// Records the request about to be sent: its line, the headers zoomlive sets
    /// (`Authorization` as `Bearer <redacted>`), and the body's fields.
    fn trace_request(&self, patch: bool, url: &str, body: Option<&Body>) {
        if !trace::recorder::active() {
            return;
        }
        let path = url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
            .unwrap_or_else(|| url.to_owned());
        let encoding = match body {
            None => "none",
            Some(b) if b.content_type.starts_with("application/json") => "json",
            Some(_) => "multipart",
        };
        trace::record(|| Event::Request {
            method: if patch { "PATCH" } else { "GET" },
            path,
            encoding,
        });
        trace::record(|| Event::Header("Authorization", "Bearer <redacted>".into()));
        trace::record(|| Event::Header("User-Agent", crate::config::USER_AGENT.into()));
        if let Some(body) = body {
            trace::record(|| Event::Header("Content-Type", body.content_type.clone().into()));
            trace::record(|| Event::Header("Content-Length", body.bytes.len().to_string().into()));
            trace::record(|| Event::Fields(body.parts.clone()));
        }
    }

    fn send_once(
        &self,
        url: &str,
        token: &str,
        body: Option<&Body>,
        time_left: Duration,
    ) -> std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let agent = &self.inner.agent;
        let bearer = format!("Bearer {token}");
        let started = std::time::Instant::now();
        // Sent again, on a new connection, when a kept-alive one turned out closed by
        // the server before any of the answer arrived (net/keepalive.rs).
        keepalive::retry_stale(|| {
            let time_left = time_left.saturating_sub(started.elapsed());
            match body {
                Some(body) => agent
                    .patch(url)
                    .config()
                    .timeout_global(Some(time_left))
                    .build()
                    .header("Authorization", &bearer)
                    .content_type(&body.content_type)
                    .send(&body.bytes[..]),
                None => agent
                    .get(url)
                    .config()
                    .timeout_global(Some(time_left))
                    .build()
                    .header("Authorization", &bearer)
                    .call(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Credentials;

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

    #[test]
    fn a_refused_content_type_is_recognised_in_any_usual_spelling() {
        let api = |status, code, message: &str| ApiError {
            status,
            code,
            message: message.to_owned(),
            ..ApiError::default()
        };
        for message in [
            "Unsupported Content Type",
            "Unsupported Content-Type: multipart/form-data",
            "unsupported content-type",
            "UNSUPPORTED CONTENT_TYPE",
            "Content type is not supported.",
            "The ContentType multipart/form-data is not supported",
            "Unsupported Media Type",
            "This endpoint does not support the content-type multipart/form-data",
        ] {
            assert!(
                refuses_content_type(&api(400, Some(300), message)),
                "{message}"
            );
        }
        for (status, code, message) in [
            (400, Some(300), "Validation Failed."),
            (400, Some(300), "Invalid content type field value"),
            (400, Some(300), "Unsupported action"),
            (
                400,
                Some(124),
                "Unsupported Content-Type: multipart/form-data",
            ),
            (
                500,
                Some(300),
                "Unsupported Content-Type: multipart/form-data",
            ),
            (400, None, "Unsupported Content-Type: multipart/form-data"),
        ] {
            assert!(
                !refuses_content_type(&api(status, code, message)),
                "{message}"
            );
        }
        assert!(refuses_content_type(&api(415, None, "")));
    }
}
