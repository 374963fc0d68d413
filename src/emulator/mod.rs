//! A local stand-in for Zoom's live-stream API and OAuth token endpoint, for tests in
//! every language, `make demo`, and trying legacy code offline.
//!
//! Real HTTP/1.1 with keep-alive (hyper), bodies parsed by multer and serde_json: it
//! shares no code with the client's encoder, so it checks it.
//!
//! Zoom's routes (with or without the `/v2` prefix): `PATCH /v2/meetings/{id}/livestream/status`,
//! `PATCH /v2/webinars/{id}/livestream/status`, `PATCH|GET /v2/meetings/{id}/livestream`,
//! `PATCH|GET /v2/webinars/{id}/livestream`, and `POST /oauth/token` (Server-to-Server
//! OAuth). They answer as Zoom documents, including its refusals: 401 code 124, an
//! invalid id (code 300, HTTP 400 or 300), an unknown meeting (404, code 3001) or
//! webinar (400, code 3001), a webinar whose host is gone (400, code 1001), missing
//! scopes (400, code 4700), the daily limit and the start cooldown (429), form data to
//! a JSON-only Zoom (415), settings while live (400, code 3000), and validation errors
//! (400, code 300, `errors[]`). See [`Config`].
//!
//! The control API under `/_emulator/` (requests log, faults, token expiry, streams,
//! reset) is for tests in any language; see [`Fault`] for what a fault can do.

mod api;
mod config;
mod control;
mod faults;
mod forms;
mod oauth;
mod operations;
mod qps;
mod refusal;
mod reply;
mod server;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use hyper_util::rt::TokioIo;

pub use config::{
    Config, DEFAULT_MEETING, DEFAULT_TOKEN, DEFAULT_WEBINAR, DELETED_HOST, Kind, OAuthApp,
};
pub use faults::Fault;
pub use state::{RecordedRequest, Stream};

/// A running emulator; it stops when dropped.
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<state::State>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Emulator {
    /// Binds and starts serving on background threads.
    pub fn start(config: Config) -> std::io::Result<Emulator> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("zoomlive-emulator")
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(config.bind))?;
        let addr = listener.local_addr()?;
        let state = Arc::new(state::State::new(config));
        let accept_state = state.clone();
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                accept_state.connections.fetch_add(1, Ordering::Relaxed);
                let state = accept_state.clone();
                tokio::spawn(server::serve(state, TokioIo::new(stream)));
            }
        });
        Ok(Emulator {
            addr,
            state,
            runtime: Some(runtime),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The API base URL: `http://127.0.0.1:PORT/v2`.
    pub fn base_url(&self) -> String {
        format!("{}/v2", self.url())
    }

    /// The OAuth token URL: `http://127.0.0.1:PORT/oauth/token`.
    pub fn oauth_url(&self) -> String {
        format!("{}/oauth/token", self.url())
    }

    /// The requests received so far (control requests excluded).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }

    /// Queues a fault for the next matching request.
    pub fn push_fault(&self, fault: Fault) {
        self.state.push_fault(fault);
    }

    /// Makes every token issued by `/oauth/token` expire now.
    pub fn expire_tokens(&self) {
        self.state.expire_tokens();
    }

    /// How many tokens `/oauth/token` has issued.
    pub fn tokens_issued(&self) -> u64 {
        self.state.tokens_issued()
    }

    /// How many TCP connections it has accepted.
    pub fn connections(&self) -> u64 {
        self.state.connections.load(Ordering::Relaxed)
    }

    /// Whether a meeting's live stream is started.
    pub fn meeting_live(&self, id: u64) -> Option<bool> {
        self.state.live(Kind::Meeting, id)
    }

    /// A meeting's or webinar's live stream as the emulator holds it, stream key
    /// included (the request log and the control API never show it).
    pub fn stream(&self, kind: Kind, id: u64) -> Option<Stream> {
        self.state.with_stream(kind, id, |s| s.clone())
    }

    /// Changes the per-second limit at run time (`None`: none); every bucket starts full.
    pub fn set_qps(&self, qps: Option<f64>) {
        self.state.qps.set(qps);
    }

    /// Blocks the calling thread for as long as the emulator runs (the CLI uses it).
    pub fn wait(self) -> ! {
        loop {
            std::thread::park();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
