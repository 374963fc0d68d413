//! When a failed call is tried again: rate limits within a wait cap, and connections
//! that failed before anything was sent. Nothing else is retried.

use std::time::Duration;

use crate::error::ApiError;

/// How rate-limited (429) calls are retried.
///
/// The defaults (2 retries, at most 5 s per wait) keep a desktop app responsive: a
/// call blocks at most about 10 s longer than it would anyway. A 429 asking for a longer
/// wait (Zoom's "retry after 30 seconds") or a daily limit is returned at once, with
/// its `retry_after`, for the application to schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after a 429 (0 turns rate-limit retries off).
    pub max_retries: u32,
    /// The longest single wait accepted; a longer `Retry-After` is not waited for.
    pub max_wait: Duration,
    /// The wait when a 429 has no usable `Retry-After` (doubled on each retry).
    pub default_wait: Duration,
    /// Retries when the connection failed before the request was sent.
    pub connect_retries: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            max_wait: Duration::from_secs(5),
            default_wait: Duration::from_secs(1),
            connect_retries: 1,
        }
    }
}

impl RetryPolicy {
    /// No retries of any kind.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            connect_retries: 0,
            ..Self::default()
        }
    }

    /// The wait before retry number `attempt` (0-based) of a 429, or `None` when the
    /// error must be returned: retries used up, daily limit, or too long a wait (from
    /// `Retry-After`, or stated in Zoom's message: never retried inside a stated window).
    pub fn rate_limit_wait(&self, attempt: u32, api: &ApiError) -> Option<Duration> {
        if attempt >= self.max_retries {
            return None;
        }
        if api.is_daily_limit() {
            return None;
        }
        let wait = api
            .retry_after
            .unwrap_or_else(|| self.default_wait.saturating_mul(1 << attempt.min(16)));
        (wait <= self.max_wait).then_some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited(retry_after: Option<u64>, kind: Option<&str>) -> ApiError {
        ApiError {
            status: 429,
            retry_after: retry_after.map(Duration::from_secs),
            rate_limit_type: kind.map(str::to_owned),
            ..Default::default()
        }
    }

    #[test]
    fn waits_within_the_cap_and_count() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.rate_limit_wait(0, &limited(Some(2), Some("QPS"))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            p.rate_limit_wait(1, &limited(None, None)),
            Some(Duration::from_secs(2))
        );
        assert_eq!(p.rate_limit_wait(2, &limited(Some(1), None)), None);
        assert_eq!(p.rate_limit_wait(0, &limited(Some(30), None)), None);
        assert_eq!(
            p.rate_limit_wait(0, &limited(Some(1), Some("Daily-limit"))),
            None
        );
        assert_eq!(
            RetryPolicy::none().rate_limit_wait(0, &limited(Some(1), None)),
            None
        );
    }
}
