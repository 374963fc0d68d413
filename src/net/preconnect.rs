//! The API connection opened while the OAuth token is fetched.
//!
//! A cold Server-to-Server call fetches a token from one host (`zoom.us`) and then calls
//! another (`api.zoom.us`): one after the other that is 6 round trips (TCP, TLS and the
//! exchange, twice). When a client's first call has to fetch a token over the network,
//! [`Target::start`] opens the API connection (TCP and TLS handshake) on a background
//! thread meanwhile and parks it here, keyed by host, port and TLS configuration; the
//! connector chain (connector.rs) takes it instead of dialing when the call asks for
//! that host, so the call takes 4 round trips. Only `https` base URLs that no proxy
//! applies to are pre-opened; a parked connection unused after [`PARKED_FOR`] is closed.
//! A cached token or a bearer token changes nothing.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
    TransportAdapter,
};

use super::tls::stream::{TlsTransport, handshake, trace_session};

/// How long a pre-opened connection waits to be used before it is closed.
pub(crate) const PARKED_FOR: Duration = Duration::from_secs(5);
/// The most connections parked or being opened at once (one per cold client, briefly).
const SLOTS: usize = 16;
/// The most addresses of the API host tried.
const ADDRESSES_TRIED: usize = 4;

/// Host, port and the TLS configuration (by address: clients share configurations).
type Key = (String, u16, usize);

enum State {
    /// A thread is connecting; a call for this host waits for it.
    Opening,
    /// Ready for the first call that asks, until the deadline.
    Ready(Box<Preopened>, Instant),
}

/// A TCP connection whose TLS handshake is done (its last flight still queued in
/// `conn`, to leave with the request).
pub(crate) struct Preopened {
    pub(crate) stream: TcpStream,
    pub(crate) conn: ClientConnection,
    /// Who vouched for the server's certificate (for the call's trace).
    pub(crate) verifier: Option<&'static str>,
}

struct Parking {
    slots: Mutex<Vec<(Key, State)>>,
    changed: Condvar,
}

static PARKING: Parking = Parking {
    slots: Mutex::new(Vec::new()),
    changed: Condvar::new(),
};

fn key(host: &str, port: u16, config: &Arc<ClientConfig>) -> Key {
    (host.to_owned(), port, Arc::as_ptr(config) as usize)
}

/// Closes parked connections whose time is up.
fn expire(slots: &mut Vec<(Key, State)>) {
    let now = Instant::now();
    slots.retain(|(_, s)| !matches!(s, State::Ready(_, until) if *until <= now));
}

/// The connection pre-opened for this host, port and configuration, if any: waits (at
/// most `wait`) while one is still being opened. `None` when there is none, it failed,
/// or it was not ready in time: the caller then dials as usual.
pub(crate) fn take(
    host: &str,
    port: u16,
    config: &Arc<ClientConfig>,
    wait: Duration,
) -> Option<Preopened> {
    let key = key(host, port, config);
    let until = Instant::now() + wait;
    let mut slots = PARKING.slots.lock().unwrap_or_else(PoisonError::into_inner);
    // Each round waits on the condvar with a timeout that shrinks to zero: bounded.
    loop {
        expire(&mut slots);
        let at = slots.iter().position(|(k, _)| *k == key)?;
        if let State::Ready(..) = slots[at].1 {
            let (_, State::Ready(found, _)) = slots.swap_remove(at) else {
                unreachable!()
            };
            return Some(*found);
        }
        let left = until.checked_duration_since(Instant::now())?;
        slots = PARKING
            .changed
            .wait_timeout(slots, left)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

/// Where a client's API connection can be pre-opened: an `https` base URL with no proxy.
pub(crate) struct Target {
    host: String,
    port: u16,
    config: Arc<ClientConfig>,
    connect_timeout: Duration,
    /// A client pre-opens at most once (on its first call that fetches a token).
    started: AtomicBool,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({}:{})", self.host, self.port)
    }
}

impl Target {
    /// The target of `base_url` (checked), or `None` for `http` URLs or with a proxy.
    pub(crate) fn for_url(
        base_url: &str,
        proxied: bool,
        config: Arc<ClientConfig>,
        connect_timeout: Duration,
    ) -> Option<Arc<Target>> {
        let uri: ureq::http::Uri = base_url.parse().ok()?;
        if proxied || uri.scheme_str() != Some("https") {
            return None;
        }
        let host = uri.host()?.trim_start_matches('[').trim_end_matches(']');
        Some(Arc::new(Target {
            host: host.to_owned(),
            port: uri.port_u16().unwrap_or(443),
            config,
            connect_timeout,
            started: AtomicBool::new(false),
        }))
    }

    /// Starts opening the API connection on a background thread (once per client).
    pub(crate) fn start(self: &Arc<Self>) {
        if self.started.swap(true, Ordering::Relaxed) {
            return;
        }
        let slot = key(&self.host, self.port, &self.config);
        {
            let mut slots = PARKING.slots.lock().unwrap_or_else(PoisonError::into_inner);
            expire(&mut slots);
            if slots.len() >= SLOTS || slots.iter().any(|(k, _)| *k == slot) {
                return;
            }
            slots.push((slot.clone(), State::Opening));
        }
        let target = self.clone();
        let parked = slot.clone();
        let spawned = std::thread::Builder::new()
            .name("zoomlive-preconnect".to_owned())
            .spawn(move || {
                let opened = target.open();
                let waiting = opened.is_some();
                target.park(parked, opened);
                if waiting {
                    // Then closes it if no call took it (the thread is the timer).
                    std::thread::sleep(PARKED_FOR + Duration::from_millis(10));
                    expire(&mut PARKING.slots.lock().unwrap_or_else(PoisonError::into_inner));
                }
            });
        if spawned.is_err() {
            self.park(slot, None);
        }
    }

    /// Replaces the `Opening` entry with the connection, or removes it on failure.
    fn park(&self, key: Key, opened: Option<Preopened>) {
        let mut slots = PARKING.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.retain(|(k, s)| !(*k == key && matches!(s, State::Opening)));
        if let Some(found) = opened {
            let until = Instant::now() + PARKED_FOR;
            slots.push((key, State::Ready(Box::new(found), until)));
        }
        drop(slots);
        PARKING.changed.notify_all();
    }

    /// TCP connect and TLS handshake, each read and connect bounded by the connect
    /// timeout; any failure leaves the call to dial as usual.
    fn open(&self) -> Option<Preopened> {
        let addrs: Vec<SocketAddr> = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .ok()?
            .take(ADDRESSES_TRIED)
            .collect();
        let stream = addrs
            .iter()
            .find_map(|a| TcpStream::connect_timeout(a, self.connect_timeout).ok())?;
        stream.set_nodelay(true).ok()?;
        stream.set_read_timeout(Some(self.connect_timeout)).ok()?;
        stream.set_write_timeout(Some(self.connect_timeout)).ok()?;
        let name = ServerName::try_from(self.host.as_str()).ok()?.to_owned();
        let mut conn = ClientConnection::new(self.config.clone(), name).ok()?;
        let mut sock = &stream;
        // A recording of this thread's own, only to learn who vouched for the server.
        let recording = crate::trace::begin();
        let shaken = handshake(&mut conn, &mut sock);
        let verifier = crate::trace::recorder::take_verifier();
        drop(recording);
        shaken.ok()?;
        Some(Preopened {
            stream,
            conn,
            verifier,
        })
    }
}

/// A pre-opened TCP stream as a ureq transport (what ureq's own TCP connector makes,
/// which ureq does not export), for the TLS layer of tls/stream.rs to run over.
pub(crate) struct PlainTcp {
    stream: TcpStream,
    buffers: LazyBuffers,
}

impl PlainTcp {
    pub(crate) fn new(stream: TcpStream, buffers: LazyBuffers) -> Self {
        PlainTcp { stream, buffers }
    }
}

impl fmt::Debug for PlainTcp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainTcp")
    }
}

/// The socket timeout for `timeout` (none when it never happens, else at least 1 ms:
/// a zero timeout means "block" to the OS).
fn socket_timeout(timeout: &NextTimeout) -> Option<Duration> {
    (!timeout.after.is_not_happening()).then(|| (*timeout.after).max(Duration::from_millis(1)))
}

/// An I/O error as ureq reports it: a timeout as `Timeout` with the deadline's reason.
fn io_error(e: io::Error, timeout: &NextTimeout) -> ureq::Error {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => ureq::Error::Timeout(timeout.reason),
        _ => ureq::Error::Io(e),
    }
}

impl Transport for PlainTcp {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.stream.set_write_timeout(socket_timeout(&timeout))?;
        let output = &self.buffers.output()[..amount];
        (&self.stream)
            .write_all(output)
            .map_err(|e| io_error(e, &timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.stream.set_read_timeout(socket_timeout(&timeout))?;
        let input = self.buffers.input_append_buf();
        let amount = (&self.stream)
            .read(input)
            .map_err(|e| io_error(e, &timeout))?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        // Open unless a peek without waiting finds the end of the stream or an error.
        if self.stream.set_nonblocking(true).is_err() {
            return false;
        }
        let open = match self.stream.peek(&mut [0u8; 1]) {
            Ok(n) => n > 0,
            Err(e) => e.kind() == io::ErrorKind::WouldBlock,
        };
        self.stream.set_nonblocking(false).is_ok() && open
    }
}

/// Hands out the connection pre-opened for the request's host (above), if
/// any; the rest of the chain then passes it through.
pub(crate) struct Preopen {
    /// The TLS configuration the parked connection must have been opened with.
    pub(crate) config: Arc<ClientConfig>,
}

impl fmt::Debug for Preopen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Preopen")
    }
}

impl Connector<()> for Preopen {
    type Out = Either<(), TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        _: Option<()>,
    ) -> std::result::Result<Option<Self::Out>, ureq::Error> {
        let uri = &details.uri;
        let Some(host) = uri.host() else {
            return Ok(None);
        };
        if !details.needs_tls() || details.config.proxy().is_some() {
            return Ok(None);
        }
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let port = uri.port_u16().unwrap_or(443);
        let wait = *details.timeout.after;
        let Some(found) = take(host, port, &self.config, wait) else {
            return Ok(None);
        };
        let tcp = PlainTcp::new(
            found.stream,
            LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
        );
        let mut sock = TransportAdapter::new(tcp.boxed(), details.current_time.clone());
        sock.set_timeout(details.timeout);
        crate::trace::record(|| crate::trace::event::Event::Preopened);
        trace_session(&found.conn, found.verifier);
        Ok(Some(Either::B(TlsTransport::new(
            details, found.conn, sock,
        ))))
    }
}
