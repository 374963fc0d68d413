//! What a caller above the client (the batch runner) asks of the calls made on its
//! thread, and what those calls saw: a cap on every call's deadline, rate-limit retries
//! left to the caller, and the `X-RateLimit-*` headers of the last answer.

use std::cell::Cell;
use std::time::Instant;

/// How calls on this thread behave while a scope is set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Scope {
    /// No call on this thread runs past this instant (a batch's deadline).
    pub until: Option<Instant>,
    /// A 429 is returned at once: the caller paces and retries for all its threads.
    pub no_rate_limit_retries: bool,
}

/// The rate-limit headers of an answer (any status).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RateHeaders {
    /// `X-RateLimit-Limit`.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<u64>,
    /// Whether `X-RateLimit-Type` says the limit is per second (`QPS`), or is absent.
    pub per_second: bool,
}

thread_local! {
    static SCOPE: Cell<Scope> = const { Cell::new(Scope { until: None, no_rate_limit_retries: false }) };
    static SEEN: Cell<Option<RateHeaders>> = const { Cell::new(None) };
}

/// Runs `f` with `scope` set on this thread (restored afterwards, even on panic).
pub(crate) fn with<T>(scope: Scope, f: impl FnOnce() -> T) -> T {
    struct Restore(Scope);
    impl Drop for Restore {
        fn drop(&mut self) {
            SCOPE.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(SCOPE.with(|s| s.replace(scope)));
    f()
}

/// The scope in force on this thread (the default outside [`with`]).
pub(crate) fn current() -> Scope {
    SCOPE.with(Cell::get)
}

/// Notes the rate-limit headers of an answer received on this thread.
pub(crate) fn observe(headers: &ureq::http::HeaderMap) {
    let number = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok())
    };
    let (limit, remaining) = (number("x-ratelimit-limit"), number("x-ratelimit-remaining"));
    if limit.is_none() && remaining.is_none() {
        return;
    }
    let per_second = headers
        .get("x-ratelimit-type")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.trim().eq_ignore_ascii_case("qps"));
    SEEN.with(|s| {
        s.set(Some(RateHeaders {
            limit,
            remaining,
            per_second,
        }))
    });
}

/// Takes the rate-limit headers noted since the last call of this function.
pub(crate) fn take_observed() -> Option<RateHeaders> {
    SEEN.with(Cell::take)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_is_restored_and_headers_are_taken_once() {
        let scope = Scope {
            until: Some(Instant::now()),
            no_rate_limit_retries: true,
        };
        assert_eq!(with(scope, current), scope);
        assert_eq!(current(), Scope::default());
        let mut headers = ureq::http::HeaderMap::new();
        headers.insert("x-ratelimit-limit", "30".parse().unwrap());
        headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
        observe(&headers);
        let seen = take_observed().unwrap();
        assert_eq!(
            (seen.limit, seen.remaining, seen.per_second),
            (Some(30), Some(0), true)
        );
        assert_eq!(take_observed(), None);
        headers.insert("x-ratelimit-type", "Daily-limit".parse().unwrap());
        observe(&headers);
        assert!(!take_observed().unwrap().per_second);
    }
}
