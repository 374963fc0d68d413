//! Pacing for a whole batch: a GCRA limiter (`governor`) at a rate that only goes down
//! (Zoom's `X-RateLimit-Limit`, 80% after a per-second 429), and a pause every worker
//! waits out after a per-second 429.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// The slowest pace a batch is slowed to: one call every ten seconds.
pub(crate) const MIN_RATE: f64 = 0.1;
/// The longest a waiting worker sleeps before looking at the stop flag again.
const NAP: Duration = Duration::from_millis(50);

/// Why a worker was not given its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// The batch was asked to stop.
    Stopped,
    /// The turn would come after the batch's deadline.
    Deadline,
}

struct State {
    rate: f64,
    gcra: Arc<DefaultDirectRateLimiter>,
    paused_until: Instant,
}

/// Paces the calls of every worker of one batch.
pub(crate) struct Limiter {
    state: Mutex<State>,
    clock: DefaultClock,
}

/// A GCRA allowing one call every `1 / rate` seconds, without bursts.
fn gcra(rate: f64) -> Arc<DefaultDirectRateLimiter> {
    let period = Duration::from_secs_f64(1.0 / rate.max(MIN_RATE));
    let quota = Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::MIN);
    Arc::new(RateLimiter::direct(quota))
}

impl Limiter {
    /// A limiter at `rate` calls per second.
    pub(crate) fn new(rate: f64) -> Self {
        let rate = rate.max(MIN_RATE);
        Limiter {
            state: Mutex::new(State {
                rate,
                gcra: gcra(rate),
                paused_until: Instant::now(),
            }),
            clock: DefaultClock::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current rate, in calls per second.
    pub(crate) fn rate(&self) -> f64 {
        self.lock().rate
    }

    /// Waits for the caller's turn: after any pause, then when the GCRA allows a call.
    pub(crate) fn acquire(&self, until: Option<Instant>, stop: &AtomicBool) -> Result<(), Denied> {
        loop {
            if stop.load(Ordering::Relaxed) {
                return Err(Denied::Stopped);
            }
            let (paused_until, gcra) = {
                let s = self.lock();
                (s.paused_until, s.gcra.clone())
            };
            let now = Instant::now();
            let wait = if now < paused_until {
                paused_until - now
            } else {
                match gcra.check() {
                    Ok(()) => return Ok(()),
                    Err(not_until) => not_until.wait_time_from(self.clock.now()),
                }
            };
            if until.is_some_and(|u| now + wait >= u) {
                return Err(Denied::Deadline);
            }
            std::thread::sleep(wait.min(NAP));
        }
    }

    /// Lowers the rate to `rate` when that is lower (never raises it).
    pub(crate) fn cap(&self, rate: f64) {
        let mut s = self.lock();
        let rate = rate.max(MIN_RATE);
        if rate < s.rate {
            Self::set(&mut s, rate);
        }
    }

    /// Slows to `factor` (< 1) of the current rate.
    pub(crate) fn slow_down(&self, factor: f64) {
        let mut s = self.lock();
        let rate = (s.rate * factor).max(MIN_RATE);
        Self::set(&mut s, rate);
    }

    fn set(s: &mut State, rate: f64) {
        s.rate = rate;
        s.gcra = gcra(rate);
        // A new GCRA would allow a call at once: keep the new spacing from now.
        let spaced = Instant::now() + Duration::from_secs_f64(1.0 / rate);
        s.paused_until = s.paused_until.max(spaced);
    }

    /// Pauses every worker for `wait`, plus up to a fifth of it (at most 250 ms) of
    /// jitter, so that the workers (and other apps of the account) do not resume as one.
    pub(crate) fn pause(&self, wait: Duration) {
        let spread = (wait / 5).min(Duration::from_millis(250)).as_millis() as u64;
        let jitter = match spread {
            0 => 0,
            n => RandomState::new().hash_one(Instant::now()) % n,
        };
        let until = Instant::now() + wait + Duration::from_millis(jitter);
        let mut s = self.lock();
        s.paused_until = s.paused_until.max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_spaced_and_the_rate_only_goes_down() {
        let limiter = Limiter::new(50.0);
        let stop = AtomicBool::new(false);
        let started = Instant::now();
        for _ in 0..6 {
            limiter.acquire(None, &stop).unwrap();
        }
        // Five gaps of 20 ms.
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(95), "{took:?}");
        limiter.cap(80.0);
        assert_eq!(limiter.rate(), 50.0);
        limiter.cap(10.0);
        limiter.slow_down(0.8);
        assert!((limiter.rate() - 8.0).abs() < 1e-9);
        limiter.cap(0.0);
        assert_eq!(limiter.rate(), MIN_RATE);
    }

    #[test]
    fn a_pause_holds_every_worker_and_a_deadline_or_stop_ends_the_wait() {
        let limiter = Limiter::new(100.0);
        let stop = AtomicBool::new(false);
        limiter.pause(Duration::from_millis(100));
        let soon = Instant::now() + Duration::from_millis(50);
        assert_eq!(limiter.acquire(Some(soon), &stop), Err(Denied::Deadline));
        let started = Instant::now();
        limiter.acquire(None, &stop).unwrap();
        assert!(started.elapsed() >= Duration::from_millis(40));
        stop.store(true, Ordering::Relaxed);
        assert_eq!(limiter.acquire(None, &stop), Err(Denied::Stopped));
    }
}
