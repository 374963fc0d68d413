//! `Client`: performs the live-stream operations over one connection pool, with
//! authentication, retries and error classification.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::auth::TokenSource;
use crate::config::Config;
use crate::error::{ApiError, Error, Result};
use crate::exchange::deadline::Deadline;
use crate::exchange::encoding::{Body, BodyEncoding, Fields};
use crate::exchange::outcome;
use crate::exchange::retry::RetryPolicy;
use crate::model::validate::check_endpoint;
use crate::model::{
    Action, Livestream, LivestreamSettings, LivestreamUpdate, MeetingId, Owner, WebinarId,
};
use crate::net::proxy::decide::Decider;
use crate::net::proxy::decision::ProxyDecision;
use crate::net::{keepalive, preconnect};
use crate::secret::Secret;

/// The most of a successful answer's body that is read.
const SUCCESS_BODY_LIMIT: u64 = 1024 * 1024;

struct Inner {
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
    /// The proxy decision of each destination (net/proxy/decide.rs).
    proxies: Arc<Decider>,
    /// The stream keys this client sent or read back (the newest few), scrubbed from
    /// every answer like its credentials.
    stream_keys: Mutex<Vec<Secret>>,
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
        let tokens = TokenSource::new(
            config.credentials.clone(),
            oauth_url,
            config.token_cache_dir.clone(),
            preopen,
        )
        .with_proxies(proxies.clone());
        Client {
            inner: Arc::new(Inner {
                agent,
                oauth_agent,
                tokens,
                base_url,
                encoding: config.encoding,
                json_fallback: AtomicBool::new(false),
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
        if let Some(settings) = settings {
            settings.check_for(owner.kind())?;
        }
        self.patch(
            &owner.livestream_path("/status"),
            &Fields::status(action, settings),
        )
    }

    /// `PATCH /{meetings|webinars}/{id}/livestream` for either owner.
    pub fn update_livestream(
        &self,
        owner: impl Into<Owner>,
        update: &LivestreamUpdate,
    ) -> Result<()> {
        self.remember_stream_key(update.stream_key());
        self.patch(&owner.into().livestream_path(""), &Fields::stream(update))
    }

    /// `GET /{meetings|webinars}/{id}/livestream` for either owner.
    pub fn get_livestream(&self, owner: impl Into<Owner>) -> Result<Livestream> {
        let mut resp = self.exchange(&owner.into().livestream_path(""), None)?;
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
        let mut secrets = self.inner.tokens.credentials().secrets();
        secrets.extend(token.map(|t| t.expose().to_owned()));
        let keys = self
            .inner
            .stream_keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        secrets.extend(keys.iter().map(|k| k.expose().to_owned()));
        secrets.extend(crate::secret::proxy_credentials());
        secrets.extend(self.inner.proxies.secrets());
        secrets
    }

    fn patch(&self, path: &str, fields: &Fields) -> Result<()> {
        let mut resp = self.exchange(path, Some(fields))?;
        // Drain what little a success carries so the connection can be reused.
        let _ = resp
            .body_mut()
            .with_config()
            .limit(SUCCESS_BODY_LIMIT)
            .read_to_vec();
        Ok(())
    }

    /// Sends one request (PATCH with a body, GET without), retrying as the policy
    /// allows, and returns the 2xx answer.
    ///
    /// Tried again: a connection that failed before sending; a 401 or Zoom code 124
    /// once with a fresh OAuth token; a 429 as the policy allows; and, for an `Auto`
    /// client sending multipart, a refused content type once as JSON (after which the
    /// client sends JSON for good).
    fn exchange(
        &self,
        path: &str,
        fields: Option<&Fields>,
    ) -> Result<ureq::http::Response<ureq::Body>> {
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
        // The call's timeout bounds the whole call, retries and token fetches included.
        let deadline = Deadline::after(inner.config.timeout);
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
            let sent = self.send_once(&url, token.secret.expose(), body.as_ref(), time_left);
            let resp = match sent {
                Ok(resp) => resp,
                Err(e) => {
                    let failure = outcome::classify(e, &secrets());
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
            let api = outcome::read_error(resp, &secrets());
            if let Some(f) = fields
                && may_fall_back
                && refuses_content_type(&api)
            {
                may_fall_back = false;
                inner.json_fallback.store(true, Ordering::Relaxed);
                body = Some(json(f));
                continue;
            }
            let token_refused = api.status == 401 || api.code == Some(124);
            if token_refused && inner.tokens.can_refresh() && stale_token.is_none() {
                stale_token = Some(token.generation);
                continue;
            }
            if api.status == 429
                && let Some(wait) = inner.retry.rate_limit_wait(rate_limit_retries, &api)
                && deadline.allows(wait)
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
