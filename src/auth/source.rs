//! The access token for each call: the static bearer token, or a Server-to-Server
//! OAuth token with one cached token per credential set in the process (shared by
//! every client with the same OAuth URL, account id, client id and secret; see
//! `cache.rs`), fetched by one thread at a time, refreshed ahead of expiry, and
//! optionally kept on disk between processes.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine as _;
use serde_json::Value;

use super::cache::{Disk, Key, Stored};
use super::credentials::{Credentials, basic_credential, check_token};
use crate::error::{ApiError, Error, Result};
use crate::exchange::deadline::Deadline;
use crate::exchange::outcome;
use crate::net::preconnect;
use crate::net::proxy::decide::Decider;
use crate::secret::Secret;
use crate::trace::event::{Event, TokenFrom};
use crate::trace::{self};

/// The most of a token answer that is read.
const TOKEN_BODY_LIMIT: u64 = 64 * 1024;

/// A token in use, with a generation number so that a 401 invalidates only the
/// token it was answered for.
pub(crate) struct Token {
    pub secret: Secret,
    pub generation: u64,
}

struct Cached {
    token: Secret,
    generation: u64,
    refresh_at: Instant,
}

/// The token cache and whether a thread is fetching a new token.
#[derive(Default)]
struct CacheState {
    cached: Option<Cached>,
    fetching: bool,
}

/// The token of one credential set, shared by the clients of the process that use it.
#[derive(Default)]
struct Shared {
    cache: Mutex<CacheState>,
    /// Signalled when a fetch ends, for the threads waiting for it.
    fetched: Condvar,
}

/// Hands out the token for each call.
pub(crate) struct TokenSource {
    credentials: Credentials,
    oauth_url: String,
    shared: Arc<Shared>,
    /// The credential set's hash (OAuth clients only).
    key: Option<Key>,
    /// The folder keeping tokens between processes, when configured.
    disk: Option<Disk>,
    /// Where the API connection is opened while a token is fetched (net/preconnect.rs).
    preopen: Option<Arc<preconnect::Target>>,
    /// The client's proxy decisions, whose credentials are scrubbed like the others.
    proxies: Option<Arc<Decider>>,
}

impl TokenSource {
    /// The token source of a client with these credentials; `cache_dir` keeps OAuth
    /// tokens on disk, `preopen` is where the API connection is opened during a fetch.
    pub fn new(
        credentials: Credentials,
        oauth_url: String,
        cache_dir: Option<PathBuf>,
        preopen: Option<Arc<preconnect::Target>>,
    ) -> Self {
        let key = match &credentials {
            Credentials::ServerToServer {
                account_id,
                client_id,
                client_secret,
            } => Some(Key::new(&oauth_url, account_id, client_id, client_secret)),
            Credentials::AccessToken(_) => None,
        };
        let shared = match key {
            Some(key) => super::cache::slot(key, Shared::default),
            None => Arc::default(),
        };
        TokenSource {
            credentials,
            oauth_url,
            shared,
            key,
            disk: cache_dir.filter(|_| key.is_some()).map(Disk::new),
            preopen: preopen.filter(|_| key.is_some()),
            proxies: None,
        }
    }

    /// Scrubs the proxy credentials `proxies` knows from what the token endpoint or a
    /// proxy on the way to it sends back.
    pub fn with_proxies(mut self, proxies: Arc<Decider>) -> Self {
        self.proxies = Some(proxies);
        self
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// True when a refused token can be replaced by fetching a new one.
    pub fn can_refresh(&self) -> bool {
        matches!(self.credentials, Credentials::ServerToServer { .. })
    }

    /// The current token; with OAuth, fetched when missing, near expiry, or when it is
    /// the `stale` generation a 401 was answered for. One fetch at a time per client;
    /// other threads wait for it, but never past their own call's `deadline`.
    pub fn token(
        &self,
        agent: &ureq::Agent,
        stale: Option<u64>,
        deadline: &Deadline,
    ) -> Result<Token> {
        let Credentials::ServerToServer {
            account_id,
            client_id,
            client_secret,
        } = &self.credentials
        else {
            let Credentials::AccessToken(t) = &self.credentials else {
                unreachable!()
            };
            trace::record(|| Event::Token(TokenFrom::Static, Duration::ZERO));
            return Ok(Token {
                secret: t.clone(),
                generation: 0,
            });
        };
        // A poisoned lock only means another thread panicked: the state is still valid.
        let mut state = self
            .shared
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let asked = Instant::now();
        let mut waited = false;
        loop {
            if let Some(c) = state.cached.as_ref()
                && Instant::now() < c.refresh_at
                && stale != Some(c.generation)
            {
                trace::record(|| match waited {
                    true => Event::Token(TokenFrom::Waited, asked.elapsed()),
                    false => Event::Token(TokenFrom::Process, Duration::ZERO),
                });
                return Ok(Token {
                    secret: c.token.clone(),
                    generation: c.generation,
                });
            }
            if !state.fetching {
                break;
            }
            let wait = deadline.remaining("waiting for another thread's token fetch")?;
            waited = true;
            state = self
                .shared
                .fetched
                .wait_timeout(state, wait)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        state.fetching = true;
        let generation = state.cached.as_ref().map_or(1, |c| c.generation + 1);
        // Zoom refused the token in use (401 or code 124): the stored copy goes too.
        let refused = stale.is_some() && state.cached.as_ref().map(|c| c.generation) == stale;
        drop(state);
        let disk = self.disk.as_ref().zip(self.key.as_ref());
        if refused && let Some((disk, key)) = disk {
            disk.drop_token(key);
        }
        let fetched = match disk.filter(|_| !refused).and_then(|(d, k)| d.load(k)) {
            Some(stored) => {
                trace::record(|| Event::Token(TokenFrom::Disk, Duration::ZERO));
                Ok(stored)
            }
            None => {
                // The token crosses the network: open the API connection meanwhile.
                if stale.is_none()
                    && let Some(target) = &self.preopen
                {
                    target.start();
                }
                let started = Instant::now();
                let fetched = self.fetch(agent, account_id, client_id, client_secret, deadline);
                trace::record(|| Event::Token(TokenFrom::Fetched, started.elapsed()));
                fetched.map(|(token, lifetime, _)| (token, lifetime))
            }
            .map(|(token, lifetime)| {
                // Refresh a quarter of the lifetime early, at most five minutes early.
                let margin = (lifetime / 4).min(Duration::from_secs(300));
                let expires_at = SystemTime::now() + lifetime;
                let stored = Stored {
                    token,
                    expires_at,
                    refresh_at: expires_at - margin,
                };
                if let Some((disk, key)) = disk {
                    disk.store(key, &stored);
                }
                stored
            }),
        };
        let mut state = self
            .shared
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.fetching = false;
        self.shared.fetched.notify_all();
        let Stored {
            token, refresh_at, ..
        } = fetched?;
        let until_refresh = refresh_at
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        state.cached = Some(Cached {
            token: token.clone(),
            generation,
            refresh_at: Instant::now() + until_refresh,
        });
        Ok(Token {
            secret: token,
            generation,
        })
    }

    /// Fetches a new token for `zoomlive doctor`, leaving the cache as it is: its
    /// lifetime and the scopes the answer lists (`None` for a bearer token).
    pub fn probe(
        &self,
        agent: &ureq::Agent,
        deadline: &Deadline,
    ) -> Result<Option<(Duration, Vec<String>)>> {
        let Credentials::ServerToServer {
            account_id,
            client_id,
            client_secret,
        } = &self.credentials
        else {
            return Ok(None);
        };
        let (_, lifetime, scopes) =
            self.fetch(agent, account_id, client_id, client_secret, deadline)?;
        Ok(Some((lifetime, scopes)))
    }

    /// Asks the OAuth endpoint for a token: the token, its lifetime, and its scopes.
    fn fetch(
        &self,
        agent: &ureq::Agent,
        account_id: &str,
        client_id: &str,
        client_secret: &Secret,
        deadline: &Deadline,
    ) -> Result<(Secret, Duration, Vec<String>)> {
        let time_left = deadline.remaining("before the OAuth token was fetched")?;
        let mut secrets = self.credentials.secrets();
        secrets.extend(crate::secret::proxy_credentials());
        if let Some(proxies) = &self.proxies {
            secrets.extend(proxies.secrets());
        }
        let basic = base64::engine::general_purpose::STANDARD
            .encode(basic_credential(client_id, client_secret));
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "account_credentials")
            .append_pair("account_id", account_id)
            .finish();
        // Sent again on a new connection if a kept-alive one was closed by the server
        // before any of the answer arrived (net/keepalive.rs).
        let started = Instant::now();
        trace::record(|| Event::Request {
            method: "POST",
            path: self
                .oauth_url
                .split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
                .unwrap_or_default(),
            encoding: "form",
        });
        trace::record(|| Event::Header("Authorization", "Basic <redacted>".into()));
        trace::record(|| Event::Field {
            name: "grant_type".into(),
            size: "account_credentials".len(),
            value: Some("account_credentials".into()),
        });
        trace::record(|| Event::Field {
            name: "account_id".into(),
            size: account_id.len(),
            value: Some(account_id.to_owned()),
        });
        let mut resp = crate::net::keepalive::retry_stale(|| {
            agent
                .post(&self.oauth_url)
                .config()
                .timeout_global(Some(time_left.saturating_sub(started.elapsed())))
                .build()
                .header("Authorization", format!("Basic {basic}"))
                .content_type("application/x-www-form-urlencoded")
                .send(body.as_bytes())
        })
        .map_err(|e| outcome::classify(e, &secrets).error)?;
        outcome::trace_answer(&resp, &secrets);
        if !resp.status().is_success() {
            let api = outcome::read_error(resp, &secrets);
            return Err(if api.status == 429 {
                Error::RateLimited(Box::new(api))
            } else {
                Error::Auth(Box::new(api))
            });
        }
        let status = resp.status().as_u16();
        let bad_answer = |why: &str| {
            Error::Auth(Box::new(ApiError {
                status,
                message: format!("the OAuth token answer {why}"),
                ..Default::default()
            }))
        };
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(TOKEN_BODY_LIMIT)
            .read_to_vec()
            .map_err(|e| outcome::classify(e, &secrets).error)?;
        let json: Value = serde_json::from_slice(&bytes).map_err(|_| bad_answer("is not JSON"))?;
        let token = json
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or_else(|| bad_answer("has no access_token"))?;
        check_token(token).map_err(|_| bad_answer("holds an unusable access_token"))?;
        let seconds = json
            .get("expires_in")
            .and_then(Value::as_u64)
            .unwrap_or(3600)
            .clamp(1, 86_400);
        let scopes = json
            .get("scope")
            .and_then(Value::as_str)
            .map(|s| s.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        Ok((Secret::new(token), Duration::from_secs(seconds), scopes))
    }
}
