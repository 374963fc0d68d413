//! What the emulator remembers: live streams, issued tokens, received requests and
//! queued faults.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde::Serialize;
use serde_json::{Map, Value};

use super::config::{Config, Kind};
use super::faults::Fault;
use super::qps::Qps;

/// What the request log shows instead of a credential or a stream key.
pub(crate) const REDACTED: &str = "***";

/// One request as the emulator received it; credentials and stream keys redacted.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The parsed body fields (form parts as strings, JSON values as they came), with
    /// a `stream_key` shown as `***`.
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
        serde_json::to_value(self).expect("a recorded request serialises")
    }
}

/// One meeting's or webinar's live stream, as the emulator holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stream {
    /// Whether it is started.
    pub live: bool,
    /// The settings sent with `action`, merged.
    pub settings: Map<String, Value>,
    /// The stream URL set last (empty before any).
    pub stream_url: String,
    /// The stream key set last; never in the control API's answers.
    #[serde(skip)]
    pub stream_key: String,
    /// The page URL set last.
    pub page_url: String,
    /// The resolution set last, if any.
    pub resolution: Option<String>,
    /// When it was last started (for the start cooldown).
    #[serde(skip)]
    pub(crate) last_start: Option<Instant>,
}

/// An entry of `GET /_emulator/streams`.
#[derive(Serialize)]
struct Listed<'a> {
    kind: Kind,
    id: String,
    #[serde(flatten)]
    stream: &'a Stream,
}

#[derive(Default)]
struct Inner {
    streams: HashMap<(Kind, u64), Stream>,
    issued: HashMap<String, Instant>,
    /// The account of each issued token (for the per-second limit).
    accounts: HashMap<String, String>,
    issued_count: u64,
    requests: Vec<RecordedRequest>,
    seq: u64,
    faults: VecDeque<Fault>,
    /// Authorised API calls since the start or the last reset (for the daily limit).
    calls: u64,
}

/// Everything an emulator shares between its connections.
pub(crate) struct State {
    /// How it behaves.
    pub config: Config,
    /// TCP connections accepted so far (keep-alive means few).
    pub connections: std::sync::atomic::AtomicU64,
    inner: Mutex<Inner>,
    random: RandomState,
    /// The per-second limit's buckets.
    pub qps: Qps,
}

impl State {
    /// A fresh state: every known stream stopped and empty.
    pub fn new(config: Config) -> Self {
        let state = State {
            qps: Qps::new(config.qps),
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

    /// Forgets requests, faults, calls counted and stream state.
    pub fn reset(&self) {
        self.clear_requests();
        self.clear_faults();
        self.reset_streams();
    }

    fn reset_streams(&self) {
        let mut inner = self.lock();
        inner.calls = 0;
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

    /// Whether a stream is started (`None`: no such stream).
    pub fn live(&self, kind: Kind, id: u64) -> Option<bool> {
        self.with_stream(kind, id, |s| s.live)
    }

    /// Every stream, ordered by id, as `GET /_emulator/streams` lists them.
    pub fn streams_json(&self) -> Value {
        let inner = self.lock();
        let mut listed: Vec<Listed<'_>> = inner
            .streams
            .iter()
            .map(|(&(kind, id), stream)| Listed {
                kind,
                id: id.to_string(),
                stream,
            })
            .collect();
        listed.sort_by(|a, b| a.id.cmp(&b.id));
        serde_json::to_value(listed).expect("streams serialise")
    }

    /// Counts one authorised API call; returns how many there were so far.
    pub fn count_call(&self) -> u64 {
        let mut inner = self.lock();
        inner.calls += 1;
        inner.calls
    }

    /// Whether `token` is accepted: configured, or issued and not expired.
    pub fn token_valid(&self, token: &str) -> bool {
        if self.config.tokens.iter().any(|t| t == token) {
            return true;
        }
        self.lock()
            .issued
            .get(token)
            .is_some_and(|expiry| Instant::now() < *expiry)
    }

    /// The account a valid token belongs to: its app's for an issued token, `static`
    /// for a configured one.
    pub fn account_of(&self, token: &str) -> String {
        self.lock()
            .accounts
            .get(token)
            .cloned()
            .unwrap_or_else(|| "static".to_owned())
    }

    /// Issues a new OAuth token for `account`.
    pub fn issue_token(&self, account: &str) -> String {
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
        inner.accounts.insert(token.clone(), account.to_owned());
        token
    }

    /// Makes every issued token expire now.
    pub fn expire_tokens(&self) {
        let now = Instant::now();
        for expiry in self.lock().issued.values_mut() {
            *expiry = now;
        }
    }

    /// How many tokens were issued.
    pub fn tokens_issued(&self) -> u64 {
        self.lock().issued_count
    }

    /// The `x-zm-trackingid` of request number `seq`.
    pub fn tracking_id(&self, seq: u64) -> String {
        format!("v=2.0;clid=emu;rid={seq}")
    }

    /// Logs a request (its stream key shown as `***`); returns its number.
    pub fn record(&self, mut request: RecordedRequest) -> u64 {
        if let Some(key) = request.fields.get_mut("stream_key") {
            *key = Value::String(REDACTED.to_owned());
        }
        let mut inner = self.lock();
        inner.seq += 1;
        request.seq = inner.seq;
        inner.requests.push(request);
        inner.seq
    }

    /// Notes the status answered to request number `seq`.
    pub fn set_status(&self, seq: u64, status: u16) {
        let mut inner = self.lock();
        if let Some(r) = inner.requests.iter_mut().rev().find(|r| r.seq == seq) {
            r.status = Some(status);
        }
    }

    /// The request log.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    /// Queues a fault.
    pub fn push_fault(&self, fault: Fault) {
        self.lock().faults.push_back(fault);
    }

    /// Drops every queued fault.
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
