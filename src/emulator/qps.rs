//! Zoom's per-second limit, per account: a token bucket of `qps` calls refilled at
//! `qps` per second. A call finding it empty gets Zoom's per-second 429 (its message,
//! and with `rate_limit_headers` its `X-RateLimit-*` headers and `Retry-After: 1`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// One account's bucket.
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Every account's bucket, and the limit (changed at run time through the control API).
pub(crate) struct Qps {
    inner: Mutex<(Option<f64>, HashMap<String, Bucket>)>,
}

/// What a call was told.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Verdict {
    /// No limit configured.
    Unlimited,
    /// Allowed: the limit and what is left of it in the current second.
    Allowed { limit: u64, remaining: u64 },
    /// Refused: over the limit.
    Refused { limit: u64 },
}

impl Qps {
    /// A limit of `qps` calls per second per account (`None`: none).
    pub(crate) fn new(qps: Option<f64>) -> Self {
        Qps {
            inner: Mutex::new((qps.filter(|q| *q > 0.0), HashMap::new())),
        }
    }

    /// Changes the limit (`None` or 0: none); buckets start full again.
    pub(crate) fn set(&self, qps: Option<f64>) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *inner = (qps.filter(|q| *q > 0.0), HashMap::new());
    }

    /// The limit in force.
    pub(crate) fn limit(&self) -> Option<f64> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).0
    }

    /// Takes one call from `account`'s bucket.
    pub(crate) fn take(&self, account: &str) -> Verdict {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let Some(qps) = inner.0 else {
            return Verdict::Unlimited;
        };
        let now = Instant::now();
        let bucket = inner.1.entry(account.to_owned()).or_insert(Bucket {
            tokens: qps,
            at: now,
        });
        bucket.tokens = (bucket.tokens + (now - bucket.at).as_secs_f64() * qps).min(qps);
        bucket.at = now;
        let limit = qps.ceil() as u64;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Verdict::Allowed {
                limit,
                remaining: bucket.tokens.floor() as u64,
            }
        } else {
            Verdict::Refused { limit }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_per_account_refills_at_the_limit() {
        let q = Qps::new(Some(2.0));
        assert_eq!(
            q.take("a"),
            Verdict::Allowed {
                limit: 2,
                remaining: 1
            }
        );
        assert_eq!(
            q.take("a"),
            Verdict::Allowed {
                limit: 2,
                remaining: 0
            }
        );
        assert_eq!(q.take("a"), Verdict::Refused { limit: 2 });
        assert!(matches!(q.take("b"), Verdict::Allowed { .. }));
        std::thread::sleep(std::time::Duration::from_millis(520));
        assert!(matches!(q.take("a"), Verdict::Allowed { .. }));
        q.set(None);
        assert_eq!(q.take("a"), Verdict::Unlimited);
    }
}
