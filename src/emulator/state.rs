//! What the emulator remembers: live streams, issued tokens, received requests and
//! queued faults.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde_json::{Map, Value, json};

use super::Config;
use super::faults::Fault;

/// A Server-to-Server OAuth app the emulator issues tokens to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthApp {
    /// The Zoom account id the app belongs to.
    pub account_id: String,
    /// The app's client id.
    pub client_id: String,
    /// The app's client secret (emulator credentials are not real secrets).
    pub client_secret: String,
}

impl Default for OAuthApp {
    fn default() -> Self {
        OAuthApp {
            account_id: "demo-account".into(),
            client_id: "demo-client".into(),
            client_secret: "demo-secret".into(),
        }
    }
}

/// One request as the emulator received it; credentials redacted.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// Arrival number, from 1.
    pub seq: u64,
    /// `GET`, `PATCH`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// `multipart`, `json`, `form` (urlencoded), `none` or `other`.
    pub encoding: String,
    /// The parsed body fields (form parts as strings, JSON values as they came).
    pub fields: Map<String, Value>,
    /// Why the body could not be parsed, if it could not.
    pub body_error: Option<String>,
    /// The `Authorization` scheme with the credential replaced by `***`.
    pub authorization: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The `Accept` header.
    pub accept: Option<String>,
    /// Body length in bytes.
    pub body_bytes: usize,
    /// The status answered (`None` when the connection was dropped or is still open).
    pub status: Option<u16>,
}

impl RecordedRequest {
    /// The JSON form served by `GET /_emulator/requests`.
    pub fn to_json(&self) -> Value {
        json!({
            "seq": self.seq,
            "method": self.method,
            "path": self.path,
            "content_type": self.content_type,
            "encoding": self.encoding,
            "fields": self.fields,
            "body_error": self.body_error,
            "authorization": self.authorization,
            "user_agent": self.user_agent,
            "accept": self.accept,
            "body_bytes": self.body_bytes,
            "status": self.status,
        })
    }
}

/// Meeting or webinar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Meeting,
    Webinar,
}

/// One meeting's or webinar's live stream.
#[derive(Debug, Clone, Default)]
pub struct Stream {
    pub live: bool,
    pub last_start: Option<Instant>,
    pub settings: Map<String, Value>,
    pub stream_url: String,
    pub stream_key: String,
    pub page_url: String,
    pub resolution: Option<String>,
}

#[derive(Default)]
struct Inner {
    streams: HashMap<(Kind, u64), Stream>,
    issued: HashMap<String, Instant>,
    issued_count: u64,
    requests: Vec<RecordedRequest>,
    seq: u64,
    faults: VecDeque<Fault>,
}

pub struct State {
    pub config: Config,
    /// TCP connections accepted so far (keep-alive means few).
    pub connections: std::sync::atomic::AtomicU64,
    inner: Mutex<Inner>,
    random: RandomState,
}

impl State {
    pub fn new(config: Config) -> Self {
        let state = State {
            config,
            inner: Mutex::new(Inner::default()),
            connections: Default::default(),
            random: RandomState::new(),
        };
        state.reset_streams();
        state
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn reset_streams(&self) {
        let mut inner = self.lock();
        inner.streams.clear();
        for &id in &self.config.meetings {
            inner.streams.insert((Kind::Meeting, id), Stream::default());
        }
        for &id in &self.config.webinars {
            inner.streams.insert((Kind::Webinar, id), Stream::default());
        }
    }

    /// Runs `f` on a stream, if it exists.
    pub fn with_stream<T>(
        &self,
        kind: Kind,
        id: u64,
        f: impl FnOnce(&mut Stream) -> T,
    ) -> Option<T> {
        self.lock().streams.get_mut(&(kind, id)).map(f)
    }

    pub fn live(&self, kind: Kind, id: u64) -> Option<bool> {
        self.with_stream(kind, id, |s| s.live)
    }

    pub fn streams_json(&self) -> Value {
        let inner = self.lock();
        let mut out: Vec<Value> = inner
            .streams
            .iter()
            .map(|((kind, id), s)| {
                json!({
                    "kind": if *kind == Kind::Meeting { "meeting" } else { "webinar" },
                    "id": id.to_string(),
                    "live": s.live,
                    "settings": s.settings,
                    "stream_url": s.stream_url,
                    "page_url": s.page_url,
                    "resolution": s.resolution,
                })
            })
            .collect();
        out.sort_by_key(|v| v["id"].as_str().unwrap_or("").to_owned());
        Value::Array(out)
    }

    pub fn token_valid(&self, token: &str) -> bool {
        if self.config.tokens.iter().any(|t| t == token) {
            return true;
        }
        self.lock()
            .issued
            .get(token)
            .is_some_and(|expiry| Instant::now() < *expiry)
    }

    pub fn issue_token(&self) -> String {
        let mut inner = self.lock();
        inner.issued_count += 1;
        let mut token = String::from("emu.");
        for part in 0..3u64 {
            let mut h = self.random.build_hasher();
            h.write_u64(inner.issued_count);
            h.write_u64(part);
            token.push_str(&format!("{:016x}", h.finish()));
        }
        let expiry = Instant::now() + self.config.token_ttl;
        inner.issued.insert(token.clone(), expiry);
        token
    }

    pub fn expire_tokens(&self) {
        let now = Instant::now();
        for expiry in self.lock().issued.values_mut() {
            *expiry = now;
        }
    }

    pub fn tokens_issued(&self) -> u64 {
        self.lock().issued_count
    }

    pub fn tracking_id(&self, seq: u64) -> String {
        format!("v=2.0;clid=emu;rid={seq}")
    }

    pub fn record(&self, mut request: RecordedRequest) -> u64 {
        let mut inner = self.lock();
        inner.seq += 1;
        request.seq = inner.seq;
        inner.requests.push(request);
        inner.seq
    }

    pub fn set_status(&self, seq: u64, status: u16) {
        let mut inner = self.lock();
        if let Some(r) = inner.requests.iter_mut().rev().find(|r| r.seq == seq) {
            r.status = Some(status);
        }
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    pub fn push_fault(&self, fault: Fault) {
        self.lock().faults.push_back(fault);
    }

    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// Takes (one use of) the first queued fault matching `path`.
    pub fn take_fault(&self, path: &str) -> Option<Fault> {
        let mut inner = self.lock();
        let idx = inner.faults.iter().position(|f| path.contains(&f.path))?;
        let fault = &mut inner.faults[idx];
        if fault.times > 1 {
            fault.times -= 1;
            Some(fault.clone())
        } else {
            inner.faults.remove(idx)
        }
    }
}
