//! A local stand-in for Zoom's live-stream API and OAuth token endpoint, for tests in
//! every language, `make demo`, and trying legacy code offline.
//!
//! Real HTTP/1.1 with keep-alive (hyper), bodies parsed by multer and serde_json: it
//! shares no code with the client's encoder, so it checks it. Besides Zoom's routes it
//! has a control API under `/_emulator/` (see [`routes`]).

mod faults;
mod forms;
mod reply;
pub mod routes;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

pub use faults::Fault;
pub use state::{OAuthApp, RecordedRequest};

/// The token the wire captures in `shared/wire/` carry; accepted by default.
pub const DEFAULT_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef";
/// The meeting id of the seeds, known by default.
pub const DEFAULT_MEETING: u64 = 68423085;
/// The webinar id of the wire captures, known by default.
pub const DEFAULT_WEBINAR: u64 = 91234567890;

/// How the emulator behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (port 0: any free port).
    pub bind: SocketAddr,
    /// Known meeting ids.
    pub meetings: Vec<u64>,
    /// Known webinar ids.
    pub webinars: Vec<u64>,
    /// Bearer tokens accepted as they are (besides those issued by `/oauth/token`).
    pub tokens: Vec<String>,
    /// Server-to-Server OAuth apps that may fetch tokens.
    pub oauth_apps: Vec<OAuthApp>,
    /// Lifetime of issued OAuth tokens.
    pub token_ttl: Duration,
    /// Refuse form data as a strict, JSON-only Zoom would.
    pub json_only: bool,
    /// Minimum time between two starts of one meeting's stream; a faster start gets 429
    /// with `Retry-After`. Zero turns this off.
    pub start_cooldown: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            meetings: vec![DEFAULT_MEETING],
            webinars: vec![DEFAULT_WEBINAR],
            tokens: vec![DEFAULT_TOKEN.to_owned()],
            oauth_apps: vec![OAuthApp::default()],
            token_ttl: Duration::from_secs(3600),
            json_only: false,
            start_cooldown: Duration::ZERO,
        }
    }
}

/// Serves HTTP/1.1 on one connection (a TCP stream, or a tunnel opened by CONNECT).
pub(crate) async fn serve<I>(state: Arc<state::State>, io: I)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    // A fault may ask to close this connection later, as a server ending an idle
    // keep-alive connection does.
    let closer = Arc::new(tokio::sync::Notify::new());
    let close = closer.clone();
    let service = service_fn(move |req| routes::handle(state.clone(), closer.clone(), req));
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service)
        .with_upgrades();
    // Errors here are clients going away or faults dropping the connection on purpose.
    let closed = close.notified();
    let _ = futures_util::future::select(std::pin::pin!(conn), std::pin::pin!(closed)).await;
}

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
                tokio::spawn(serve(state, TokioIo::new(stream)));
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
        self.state.live(state::Kind::Meeting, id)
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
