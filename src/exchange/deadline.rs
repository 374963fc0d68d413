//! One deadline per call: the call's timeout bounds everything it does (waiting for
//! another thread's token fetch, the fetch, every attempt, every Retry-After wait).

use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// When a call must be over.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    at: Instant,
    timeout: Duration,
    /// Whether `at` is a caller's earlier cap (a batch's deadline), not the timeout.
    capped: bool,
}

impl Deadline {
    /// A deadline `timeout` from now.
    pub(crate) fn after(timeout: Duration) -> Self {
        Deadline {
            at: Instant::now() + timeout,
            timeout,
            capped: false,
        }
    }

    /// This deadline, or `until` when that comes first (a batch's deadline bounds
    /// each of its calls: still one deadline per call).
    pub(crate) fn capped(self, until: Option<Instant>) -> Self {
        match until {
            Some(until) if until < self.at => Deadline {
                at: until,
                capped: true,
                ..self
            },
            _ => self,
        }
    }

    /// The time left, or a timeout error naming `what` was still to be done.
    pub(crate) fn remaining(&self, what: &str) -> Result<Duration> {
        let left = self.at.saturating_duration_since(Instant::now());
        if left < Duration::from_millis(1) {
            return Err(self.expired(what));
        }
        Ok(left)
    }

    /// The timeout error for this call.
    pub(crate) fn expired(&self, what: &str) -> Error {
        if self.capped {
            return Error::timeout(format!("the batch's deadline passed {what}"));
        }
        Error::timeout(format!(
            "the call's timeout of {:.3} s ran out {what}",
            self.timeout.as_secs_f64()
        ))
    }

    /// True when `wait` still fits before the deadline.
    pub(crate) fn allows(&self, wait: Duration) -> bool {
        Instant::now() + wait < self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_runs_out() {
        let d = Deadline::after(Duration::from_millis(30));
        assert!(d.remaining("x").unwrap() <= Duration::from_millis(30));
        assert!(d.allows(Duration::from_millis(5)));
        assert!(!d.allows(Duration::from_secs(1)));
        std::thread::sleep(Duration::from_millis(40));
        let err = d.remaining("before the answer").unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Timeout);
        assert!(err.to_string().contains("0.030 s"), "{err}");
        let capped = Deadline::after(Duration::from_secs(30)).capped(Some(Instant::now()));
        let err = capped.remaining("before the request was sent").unwrap_err();
        assert!(err.to_string().contains("batch's deadline"), "{err}");
        let later = Instant::now() + Duration::from_secs(60);
        assert!(
            !Deadline::after(Duration::from_secs(1))
                .capped(Some(later))
                .capped
        );
    }
}
