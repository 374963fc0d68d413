//! Running a batch: workers on the client's own threads take the next operation whose
//! owner is idle (one call per meeting or webinar at a time, in input order), wait for
//! the limiter, journal, call, and report; a per-second 429 pauses everyone and slows
//! the pace, a daily-limit 429 or the deadline stops dispatching.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::journal::{Journal, Prior};
use super::limiter::{Denied, Limiter};
use super::op::BatchOp;
use super::options::BatchOptions;
use super::results::{BatchResult, Outcome, Summary, iso_after};
use super::schedule::{Prepared, Schedule, prepare};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::exchange::scope::{self, Scope};

/// Calls made for one operation at most (the first and retries after per-second 429s).
const MAX_ATTEMPTS: u32 = 5;
/// The longest per-second-429 wait honoured as such; a longer one pauses this long.
const MAX_PAUSE: Duration = Duration::from_secs(60);
/// The rate kept after a per-second 429, as a share of the rate before it.
const SLOW_DOWN: f64 = 0.8;

/// Why dispatching stopped.
#[derive(Debug, Clone, PartialEq)]
enum Halt {
    /// The caller asked (Ctrl-C, `Batch::stop`), or the journal could not be written.
    Stopped(String),
    /// The batch's deadline passed.
    Deadline,
    /// Zoom's daily limit: resume at this time, when Zoom said.
    Daily(Option<String>),
}

struct Shared {
    client: Client,
    ops: Vec<BatchOp>,
    schedule: Mutex<Schedule>,
    changed: Condvar,
    limiter: Limiter,
    journal: Option<Journal>,
    halted: AtomicBool,
    halt: Mutex<Option<Halt>>,
    until: Option<Instant>,
    /// Rows repeating an earlier one (reported when it ends), by that row.
    duplicates: HashMap<usize, Vec<usize>>,
    workers_left: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running batch: an iterator over its results in completion order (each input
/// operation once). Dropping it stops dispatching and waits for calls in flight.
pub struct Batch {
    results: Receiver<BatchResult>,
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
    total: usize,
    to_send: usize,
    start_rate: f64,
    summary: Summary,
}

/// What [`Batch::next_within`] found.
#[derive(Debug)]
pub enum Next {
    /// An operation ended.
    Result(Box<BatchResult>),
    /// None ended within the wait.
    Pending,
    /// Every operation has been reported.
    Done,
}

/// Stops a batch's dispatching from anywhere (a Ctrl-C handler, another thread).
#[derive(Clone)]
pub struct Stopper(Arc<Shared>);

impl Stopper {
    /// Stops dispatching: calls in flight finish, the rest are `deferred` (and stay
    /// in a journal as not sent).
    pub fn stop(&self) {
        self.0
            .halt(Halt::Stopped("not sent: the batch was stopped".into()));
    }
}

impl Shared {
    fn halt(&self, why: Halt) {
        let mut halt = lock(&self.halt);
        if halt.is_none() {
            *halt = Some(why);
        }
        self.halted.store(true, Ordering::SeqCst);
        drop(halt);
        self.changed.notify_all();
    }

    /// Marks `result` deferred for the reason dispatching stopped.
    fn defer(&self, result: &mut BatchResult) {
        result.outcome = Outcome::Deferred;
        match lock(&self.halt).clone() {
            Some(Halt::Daily(at)) => {
                result.resume_at = at;
                if result.message.is_none() {
                    result.message = Some("not sent: Zoom's daily limit is used up".into());
                }
            }
            Some(Halt::Deadline) => {
                result.message = Some("not sent before the batch's deadline".into());
            }
            Some(Halt::Stopped(why)) => result.message = Some(why),
            None => {}
        }
    }

    /// The next operation to send, or `None` when none is left or dispatching stopped.
    fn take(&self) -> Option<usize> {
        let mut s = lock(&self.schedule);
        loop {
            if self.halted.load(Ordering::SeqCst) {
                return None;
            }
            if let Some(index) = s.ready.pop_first() {
                s.in_flight += 1;
                return Some(index);
            }
            if s.in_flight == 0 {
                return None;
            }
            s = self
                .changed
                .wait_timeout(s, Duration::from_millis(100))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Operation `index` ended: its owner's next operation becomes ready.
    fn finished(&self, index: usize) {
        let owner = self.ops[index - 1].owner;
        let mut s = lock(&self.schedule);
        s.in_flight -= 1;
        let queue = s
            .queues
            .get_mut(&owner)
            .expect("a taken operation's owner is queued");
        queue.pop_front();
        if let Some(&next) = queue.front() {
            s.ready.insert(next);
        }
        drop(s);
        self.changed.notify_all();
    }

    /// Journals and sends a result, then those of the rows repeating it.
    fn report(&self, tx: &Sender<BatchResult>, result: BatchResult) {
        let dups = self
            .duplicates
            .get(&result.index)
            .cloned()
            .unwrap_or_default();
        let mut result = result;
        if !dups.is_empty() && result.outcome == Outcome::Ok {
            let rows: Vec<String> = dups.iter().map(ToString::to_string).collect();
            result.message = Some(format!(
                "sent once for this row and row(s) {}",
                rows.join(", ")
            ));
        }
        for dup in &dups {
            let op = &self.ops[dup - 1];
            let mut copy = result.clone();
            copy.index = *dup;
            copy.key = op.key.clone();
            if result.outcome == Outcome::Ok {
                copy.outcome = Outcome::Skipped;
            }
            copy.message = Some(match &result.message {
                Some(m) if result.outcome != Outcome::Ok => {
                    format!("duplicate of row {}: {m}", result.index)
                }
                _ => format!("duplicate of row {}: sent once", result.index),
            });
            self.emit(tx, copy);
        }
        self.emit(tx, result);
    }

    fn emit(&self, tx: &Sender<BatchResult>, result: BatchResult) {
        let journaled = match (&self.journal, result.outcome) {
            // An uncertain row keeps its `sending` line last, so a later resume sees
            // it uncertain again.
            (_, Outcome::Uncertain) | (None, _) => Ok(()),
            (Some(j), _) => j.result(&result),
        };
        if let Err(e) = journaled {
            self.halt(Halt::Stopped(format!("not sent: {e}")));
        }
        let _ = tx.send(result);
    }

    /// Learns from the rate-limit headers of the last answer: a per-second limit
    /// lower than the pace lowers it; none left in this second pauses for one.
    fn learn(&self) {
        let Some(seen) = scope::take_observed() else {
            return;
        };
        if !seen.per_second {
            return;
        }
        if let Some(limit) = seen.limit.filter(|&l| l > 0) {
            self.limiter.cap(limit as f64);
        }
        if seen.remaining == Some(0) {
            self.limiter.pause(Duration::from_secs(1));
        }
    }

    /// Sends operation `index` until it ends (retrying per-second 429s).
    fn run_one(&self, index: usize) -> BatchResult {
        let op = &self.ops[index - 1];
        let mut result = BatchResult::new(index, op, Outcome::Failed);
        let mut first_sent = None;
        let call_scope = Scope {
            until: self.until,
            no_rate_limit_retries: true,
        };
        loop {
            match self.limiter.acquire(self.until, &self.halted) {
                Ok(()) if !self.halted.load(Ordering::SeqCst) => {}
                Ok(()) | Err(Denied::Stopped) => {
                    self.defer(&mut result);
                    return result;
                }
                Err(Denied::Deadline) => {
                    self.halt(Halt::Deadline);
                    self.defer(&mut result);
                    return result;
                }
            }
            if let Some(journal) = &self.journal
                && let Err(e) = journal.sending(index, op, result.attempts + 1)
            {
                self.halt(Halt::Stopped(format!("not sent: {e}")));
                self.defer(&mut result);
                return result;
            }
            result.attempts += 1;
            let sent_at = *first_sent.get_or_insert_with(Instant::now);
            let answer = scope::with(call_scope, || op.call(&self.client));
            self.learn();
            result.ms = sent_at.elapsed().as_millis() as u64;
            let error = match answer {
                Ok(livestream) => {
                    result.outcome = Outcome::Ok;
                    result.livestream = livestream;
                    return result;
                }
                Err(e) => e,
            };
            let (daily, wait) = match error.api().filter(|a| a.status == 429) {
                Some(api) => (api.is_daily_limit(), api.retry_after),
                None => {
                    result.set_error(error);
                    return result;
                }
            };
            if daily {
                self.halt(Halt::Daily(wait.map(iso_after)));
                result.set_error(error);
                self.defer(&mut result);
                return result;
            }
            // A per-second 429: everyone waits, then goes on more slowly.
            let wait = wait.unwrap_or(Duration::from_secs(1)).min(MAX_PAUSE);
            self.limiter.pause(wait.max(Duration::from_millis(100)));
            self.limiter.slow_down(SLOW_DOWN);
            if let Some(journal) = &self.journal {
                let _ = journal.retry(index, result.attempts);
            }
            if result.attempts >= MAX_ATTEMPTS {
                result.set_error(error);
                return result;
            }
        }
    }

    /// The last worker out reports every operation never taken as deferred.
    fn drain(&self, tx: &Sender<BatchResult>) {
        let left: Vec<usize> = {
            let mut s = lock(&self.schedule);
            s.ready.clear();
            let mut left: Vec<usize> = s.queues.values_mut().flat_map(|q| q.drain(..)).collect();
            left.sort_unstable();
            left
        };
        for index in left {
            let mut result = BatchResult::new(index, &self.ops[index - 1], Outcome::Deferred);
            self.defer(&mut result);
            self.report(tx, result);
        }
    }

    fn work(&self, tx: Sender<BatchResult>) {
        while let Some(index) = self.take() {
            let result = self.run_one(index);
            self.report(&tx, result);
            self.finished(index);
        }
        if self.workers_left.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.drain(&tx);
        }
    }
}

impl Batch {
    /// Checks the options, opens the journal (refusing one from another input) and
    /// starts the workers. Nothing is sent when this fails. The operations are checked
    /// values already (see [`BatchOp`] and [`parse`](super::parse)).
    pub fn start(client: &Client, ops: Vec<BatchOp>, options: &BatchOptions) -> Result<Batch> {
        options.check()?;
        if ops.is_empty() {
            return Err(Error::input("operations", "holds no operation"));
        }
        let (journal, prior) = match &options.journal {
            Some(path) => {
                let (j, p) = Journal::open(path, &ops, options.resume)?;
                (Some(j), p)
            }
            None => (None, Prior::default()),
        };
        let (tx, rx) = mpsc::channel();
        let Prepared {
            early,
            schedule,
            duplicates,
            to_send,
        } = prepare(&ops, &prior, options.resume_uncertain);
        let start_rate = options.start_rate();
        let workers = options.concurrency.min(to_send.max(1));
        let shared = Arc::new(Shared {
            client: client.clone(),
            ops,
            schedule: Mutex::new(schedule),
            changed: Condvar::new(),
            limiter: Limiter::new(start_rate),
            journal,
            halted: AtomicBool::new(false),
            halt: Mutex::new(None),
            until: options.deadline.map(|d| Instant::now() + d),
            duplicates,
            workers_left: AtomicUsize::new(workers),
        });
        let total = shared.ops.len();
        for r in early {
            shared.emit(&tx, r);
        }
        let mut handles = Vec::new();
        for n in 0..workers {
            let (shared, tx) = (shared.clone(), tx.clone());
            let handle = std::thread::Builder::new()
                .name(format!("zoomlive-batch-{n}"))
                .spawn(move || shared.work(tx))
                .map_err(|e| {
                    Error::input(
                        "concurrency",
                        format!("a worker thread could not start: {e}"),
                    )
                })?;
            handles.push(handle);
        }
        Ok(Batch {
            results: rx,
            shared,
            workers: handles,
            total,
            to_send,
            start_rate,
            summary: Summary::default(),
        })
    }

    /// How many operations the input holds (and results will be reported).
    pub fn total(&self) -> usize {
        self.total
    }

    /// How many operations this run will send (not done by an earlier run, not
    /// duplicates, not uncertain).
    pub fn to_send(&self) -> usize {
        self.to_send
    }

    /// How long sending them should take at the starting rate.
    pub fn expected_duration(&self) -> Duration {
        Duration::from_secs_f64(self.to_send as f64 / self.start_rate)
    }

    /// The current pace, in calls per second (lowered by 429s and Zoom's headers).
    pub fn rate(&self) -> f64 {
        self.shared.limiter.rate()
    }

    /// The counts of the results reported so far.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// A handle that stops dispatching (for a Ctrl-C handler or another thread).
    pub fn stopper(&self) -> Stopper {
        Stopper(self.shared.clone())
    }

    /// Stops dispatching; see [`Stopper::stop`].
    pub fn stop(&self) {
        self.stopper().stop();
    }

    /// Waits at most `wait` for the next result.
    pub fn next_within(&mut self, wait: Duration) -> Next {
        match self.results.recv_timeout(wait) {
            Ok(r) => {
                self.summary.add(r.outcome);
                Next::Result(Box::new(r))
            }
            Err(RecvTimeoutError::Timeout) => Next::Pending,
            Err(RecvTimeoutError::Disconnected) => {
                self.join();
                Next::Done
            }
        }
    }

    /// Runs to the end; the results in input order.
    pub fn collect_sorted(mut self) -> Vec<BatchResult> {
        let mut all: Vec<BatchResult> = self.by_ref().collect();
        all.sort_by_key(|r| r.index);
        all
    }

    fn join(&mut self) {
        for handle in self.workers.drain(..) {
            let _ = handle.join();
        }
    }
}

impl Iterator for Batch {
    type Item = BatchResult;

    fn next(&mut self) -> Option<BatchResult> {
        match self.results.recv() {
            Ok(r) => {
                self.summary.add(r.outcome);
                Some(r)
            }
            Err(_) => {
                self.join();
                None
            }
        }
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if !self.workers.is_empty() {
            self.stop();
            // The workers report into a channel nobody reads now; that is fine.
            self.join();
        }
    }
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("total", &self.total)
            .field("to_send", &self.to_send)
            .field("rate", &self.rate())
            .finish()
    }
}
