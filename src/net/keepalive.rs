//! A kept-alive connection closed by the server is not an error.
//!
//! A server may close an idle keep-alive connection at the very moment the client takes
//! it from the pool to send a request: the write then fails (broken pipe, reset) or the
//! answer never starts (end of stream, reset). The server never handled that request,
//! so it is sent once more, on a new connection.
//!
//! [`Tracking`] ends every connector chain: it wraps each connection to tell when such a
//! failure happens on a *reused* connection before any byte of the answer arrived, and
//! tags the error ([`is_stale`]). After one, the pool's connections idle since before it
//! count as closed too, so the second try gets a fresh connection. [`retry_stale`] sends
//! a request once more after a tagged failure.

use std::cell::Cell;
use std::fmt;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// When the connections of one agent were last found closed by the server.
#[derive(Debug)]
struct Shared {
    epoch: Instant,
    /// Nanoseconds after `epoch` of the last stale failure (0: none yet).
    stale_at: AtomicU64,
}

impl Shared {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos())
            .unwrap_or(u64::MAX)
            .max(1)
    }
}

/// The last connector of a chain: wraps each connection in a [`Tracked`] one.
#[derive(Debug)]
pub(crate) struct Tracking {
    shared: Arc<Shared>,
}

impl Tracking {
    pub(crate) fn new() -> Self {
        Tracking {
            shared: Arc::new(Shared {
                epoch: Instant::now(),
                stale_at: AtomicU64::new(0),
            }),
        }
    }
}

impl<In: Transport> Connector<In> for Tracking {
    type Out = Tracked<In>;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| Tracked {
            inner,
            last_used: self.shared.now(),
            shared: self.shared.clone(),
            answered: false,
            reused: false,
        }))
    }
}

/// A connection that knows whether it is being reused and whether the answer started.
pub(crate) struct Tracked<T> {
    inner: T,
    shared: Arc<Shared>,
    /// When it last sent or received (see [`Shared::now`]).
    last_used: u64,
    /// Some of the current exchange's answer arrived.
    answered: bool,
    /// The current exchange is not the connection's first.
    reused: bool,
}

impl<T> fmt::Debug for Tracked<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracked")
            .field("reused", &self.reused)
            .finish()
    }
}

/// The error of a request that failed on a reused connection the server had closed,
/// before any of the answer arrived (the server never handled it).
#[derive(Debug)]
struct StaleConnection(String);

impl fmt::Display for StaleConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server closed the kept-alive connection as it was reused ({})",
            self.0
        )
    }
}

impl std::error::Error for StaleConnection {}

/// Whether `err` is a request failing on a reused connection that the server had
/// closed, before any byte of the answer: sending it again on a new one is safe.
pub(crate) fn is_stale(err: &ureq::Error) -> bool {
    matches!(err, ureq::Error::Io(io) if io.get_ref().is_some_and(|e| e.is::<StaleConnection>()))
}

thread_local! {
    /// Set while this thread resends a request: no pooled connection will do, only a
    /// new one (another thread may have just returned one the server will close too).
    static NEW_CONNECTION_ONLY: Cell<bool> = const { Cell::new(false) };
}

/// Runs `send`, and once more when it failed on a connection the server had closed
/// (see [`is_stale`]), that time on a newly opened connection.
pub(crate) fn retry_stale<T>(
    mut send: impl FnMut() -> Result<T, ureq::Error>,
) -> Result<T, ureq::Error> {
    match send() {
        Err(e) if is_stale(&e) => {
            crate::trace::record(|| crate::trace::event::Event::Retry {
                reason:
                    "the server had closed the kept-alive connection: sending again on a new one"
                        .into(),
                wait: std::time::Duration::ZERO,
            });
            NEW_CONNECTION_ONLY.with(|f| f.set(true));
            let again = send();
            NEW_CONNECTION_ONLY.with(|f| f.set(false));
            again
        }
        other => other,
    }
}

/// Whether an I/O error means the peer closed the connection.
fn closed_by_peer(err: &ureq::Error) -> Option<io::ErrorKind> {
    use io::ErrorKind::*;
    match err {
        ureq::Error::Io(io) => match io.kind() {
            kind @ (ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
            | NotConnected) => Some(kind),
            _ => None,
        },
        _ => None,
    }
}

impl<T: Transport> Tracked<T> {
    /// Whether a failure now would be a stale connection's.
    fn may_be_stale(&self) -> bool {
        self.reused && !self.answered
    }

    /// Tags `what` as a stale connection's failure and marks the connections idle
    /// since before now as suspect.
    fn stale(&self, kind: io::ErrorKind, what: String) -> ureq::Error {
        self.shared
            .stale_at
            .fetch_max(self.shared.now(), Ordering::Relaxed);
        ureq::Error::Io(io::Error::new(kind, StaleConnection(what)))
    }
}

impl<T: Transport> Transport for Tracked<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if self.answered {
            // The previous exchange got its answer: this is a new request on a reused
            // connection.
            self.reused = true;
            self.answered = false;
            let idle =
                std::time::Duration::from_nanos(self.shared.now().saturating_sub(self.last_used));
            crate::trace::record(|| crate::trace::event::Event::Pooled { idle });
        }
        self.last_used = self.shared.now();
        match self.inner.transmit_output(amount, timeout) {
            Err(e) if self.may_be_stale() => match closed_by_peer(&e) {
                Some(kind) => Err(self.stale(kind, e.to_string())),
                None => Err(e),
            },
            other => other,
        }
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let result = self.inner.await_input(timeout);
        self.last_used = self.shared.now();
        match result {
            Ok(true) => {
                self.answered = true;
                Ok(true)
            }
            Ok(false) if self.may_be_stale() && self.inner.buffers().input().is_empty() => {
                Err(self.stale(io::ErrorKind::UnexpectedEof, "end of stream".to_owned()))
            }
            Err(e) if self.may_be_stale() => match closed_by_peer(&e) {
                Some(kind) => Err(self.stale(kind, e.to_string())),
                None => Err(e),
            },
            other => other,
        }
    }

    fn is_open(&mut self) -> bool {
        // Idle since before another connection was found closed by the server: the
        // server most likely closed this one as well. And a resend takes a new one.
        !NEW_CONNECTION_ONLY.with(Cell::get)
            && self.last_used >= self.shared.stale_at.load(Ordering::Relaxed)
            && self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
