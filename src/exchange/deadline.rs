//! One deadline per call: the call's timeout bounds everything it does (waiting for
//! another thread's token fetch, the fetch, every attempt, every Retry-After wait).

use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// When a call must be over.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    at: Instant,
    timeout: Duration,
}

impl Deadline {
    /// A deadline `timeout` from now.
    pub(crate) fn after(timeout: Duration) -> Self {
        Deadline {
            at: Instant::now() + timeout,
            timeout,
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
    }
}
