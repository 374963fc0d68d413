//! Recording a call's events on the calling thread, and the finished [`Trace`].
//!
//! A call begins a recording ([`begin`]); every layer below records into it with
//! [`record`] (a no-op on a thread with no call in progress, such as a background
//! pre-connection). The events are kept as values and turned into text only when
//! someone reads the trace, or, event by event, when a `log` consumer listens to
//! target `zoomlive` at `debug`.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::event::Event;

/// The `log` target of every record zoomlive makes.
pub const LOG_TARGET: &str = "zoomlive";

struct Recording {
    start: Instant,
    events: Vec<(Duration, Event)>,
    /// Whether a `log` consumer takes the events (asked once per call).
    log: bool,
    /// Who vouched for the last server certificate checked (see [`set_verifier`]).
    verifier: Option<&'static str>,
}

thread_local! {
    static CURRENT: RefCell<Option<Recording>> = const { RefCell::new(None) };
    /// The last traces of this thread, by client (newest last).
    static LAST: RefCell<Vec<(u64, Trace)>> = const { RefCell::new(Vec::new()) };
    /// When the connection being opened started connecting (see [`mark_connect`]).
    static CONNECT_START: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Whether calls are recorded at all (`make bench` turns it off to measure its cost).
static RECORDING: AtomicBool = AtomicBool::new(true);

/// Turns the recording of traces on or off for the whole process (on by default). Off,
/// calls have no trace and make no log record: only `make bench` does this, to measure
/// what recording costs.
#[doc(hidden)]
pub fn set_recording(on: bool) {
    RECORDING.store(on, Ordering::Relaxed);
}

/// Clients whose last trace a thread keeps.
const LAST_KEPT: usize = 16;

/// The trace of one call: its events, one per line, each with the milliseconds since
/// the call began, for example
/// `+12.4ms tls TLSv1.3 TLS13_AES_256_GCM_SHA384 resumed=no verifier=os ...`.
///
/// It holds no token, secret, stream key or proxy credential. Two traces always
/// compare equal: a trace describes an error, it is not part of what the error is.
#[derive(Clone, Default)]
pub struct Trace(Option<Arc<Finished>>);

struct Finished {
    events: Vec<(Duration, Event)>,
    text: OnceLock<Box<str>>,
}

impl Trace {
    /// The trace as text, one event per line; `None` for an empty trace.
    pub fn as_str(&self) -> Option<&str> {
        let done = self.0.as_ref()?;
        Some(done.text.get_or_init(|| {
            let mut text = String::new();
            for (at, event) in &done.events {
                text.push_str(&line(*at, event));
                text.push('\n');
            }
            text.into_boxed_str()
        }))
    }

    /// Whether the trace has no event.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|d| d.events.is_empty())
    }

    /// The events, with the time since the call began.
    pub(crate) fn events(&self) -> &[(Duration, Event)] {
        self.0.as_ref().map_or(&[], |d| &d.events)
    }
}

impl PartialEq for Trace {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Trace {}

impl fmt::Debug for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.as_ref().map_or(0, |d| d.events.len());
        write!(f, "Trace({n} events)")
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str().unwrap_or(""))
    }
}

/// An event's text, each of its lines after the time since the call began.
fn line(at: Duration, event: &Event) -> String {
    let time = format!("+{:.1}ms ", at.as_secs_f64() * 1000.0);
    let text = event.to_string();
    let mut out = String::with_capacity(text.len() + time.len());
    for (i, part) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&time);
        out.push_str(part);
    }
    out
}

/// A call in progress on this thread; [`Call::finish`] ends it.
pub(crate) struct Call {
    /// The recording this call replaced (a call made while another one runs on the
    /// same thread, which zoomlive itself never does).
    outer: Option<Recording>,
    done: bool,
}

/// Begins recording a call on this thread.
pub(crate) fn begin() -> Call {
    if !RECORDING.load(Ordering::Relaxed) {
        return Call {
            outer: CURRENT.with(|c| c.borrow_mut().take()),
            done: false,
        };
    }
    let log = log::log_enabled!(target: LOG_TARGET, log::Level::Debug);
    let outer = CURRENT.with(|c| {
        c.borrow_mut().replace(Recording {
            start: Instant::now(),
            // A warm call makes about a dozen events (80 bytes each with their time).
            events: Vec::with_capacity(12),
            log,
            verifier: None,
        })
    });
    Call { outer, done: false }
}

impl Call {
    /// Ends the call: its trace, also kept as the thread's last trace of `client`.
    pub(crate) fn finish(mut self, client: u64) -> Trace {
        self.done = true;
        let recording =
            CURRENT.with(|c| std::mem::replace(&mut *c.borrow_mut(), self.outer.take()));
        let Some(recording) = recording else {
            return Trace::default();
        };
        let trace = Trace(Some(Arc::new(Finished {
            events: recording.events,
            text: OnceLock::new(),
        })));
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            last.retain(|(id, _)| *id != client);
            if last.len() >= LAST_KEPT {
                last.remove(0);
            }
            last.push((client, trace.clone()));
        });
        trace
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        if !self.done {
            let outer = self.outer.take();
            CURRENT.with(|c| *c.borrow_mut() = outer);
        }
    }
}

/// Records an event of the call in progress on this thread (none: nothing happens,
/// and `make` is not run).
pub(crate) fn record(make: impl FnOnce() -> Event) {
    CURRENT.with(|c| {
        let mut current = c.borrow_mut();
        let Some(rec) = current.as_mut() else {
            return;
        };
        let at = rec.start.elapsed();
        let event = make();
        if rec.log {
            for one in line(at, &event).split('\n') {
                log::debug!(target: LOG_TARGET, "{one}");
            }
        }
        rec.events.push((at, event));
    });
}

/// Whether a call is being recorded on this thread.
pub(crate) fn active() -> bool {
    CURRENT.with(|c| c.borrow().is_some())
}

/// Notes who vouched for the server certificate just checked (`os`, `extra-ca`,
/// `os+extra-ca`), for the TLS event that follows the handshake.
pub(crate) fn set_verifier(verifier: &'static str) {
    CURRENT.with(|c| {
        if let Some(rec) = c.borrow_mut().as_mut() {
            rec.verifier = Some(verifier);
        }
    });
}

/// Takes what [`set_verifier`] noted.
pub(crate) fn take_verifier() -> Option<&'static str> {
    CURRENT.with(|c| c.borrow_mut().as_mut().and_then(|r| r.verifier.take()))
}

/// Notes that a new connection starts connecting now (for the TCP event's time).
pub(crate) fn mark_connect() {
    if active() {
        CONNECT_START.with(|c| c.set(Some(Instant::now())));
    }
}

/// How long since [`mark_connect`] (zero when it was not called).
pub(crate) fn since_connect_mark() -> Duration {
    CONNECT_START.with(|c| c.take().map(|t| t.elapsed()).unwrap_or_default())
}

/// This thread's last trace of the client numbered `client`.
pub(crate) fn last(client: u64) -> Option<Trace> {
    LAST.with(|last| {
        last.borrow()
            .iter()
            .rev()
            .find(|(id, _)| *id == client)
            .map(|(_, t)| t.clone())
    })
}

/// Forgets this thread's last trace of the client numbered `client` (so a face can
/// tell whether its next step reached the client at all).
pub(crate) fn forget(client: u64) {
    LAST.with(|last| last.borrow_mut().retain(|(id, _)| *id != client));
}

/// Logs the one line of a finished call at `info` (when a consumer listens).
pub(crate) fn log_summary(summary: impl FnOnce() -> String) {
    if log::log_enabled!(target: LOG_TARGET, log::Level::Info) {
        log::info!(target: LOG_TARGET, "{}", summary());
    }
}
