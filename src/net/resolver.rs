//! Name resolution with a short memory. ureq resolves the host on every call — on a
//! new thread when a timeout applies — even when a pooled connection is then reused.
//! IP literals need no lookup at all, and a host name's addresses are kept for 30 s.
//! A destination reached through a CONNECT proxy is not looked up (the proxy resolves
//! it); a name that does not resolve is a `Dns` failure naming the host.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::http::uri::Scheme;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

use super::failure::{Cause, NetFailure};
use super::proxy::decide::{Decider, Route};
use crate::trace::event::{Event, Resolved};
use crate::trace::{self};

/// Records a resolution in the call's trace.
fn traced(host: &str, addrs: &ResolvedSocketAddrs, cached: bool, took: Duration) {
    trace::record(|| {
        Event::Dns(Box::new(Resolved {
            host: host.to_owned(),
            addrs: addrs.iter().copied().collect(),
            cached,
            took,
        }))
    });
}

/// How long a host name's addresses are reused.
const TTL: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    lookup: DefaultResolver,
    cache: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
    /// The client's proxy decisions: CONNECT-proxied destinations are not looked up.
    decider: Option<Arc<Decider>>,
}

impl CachingResolver {
    /// A resolver for a client whose proxies `decider` decides.
    pub(crate) fn new(decider: Arc<Decider>) -> Self {
        CachingResolver {
            decider: Some(decider),
            ..CachingResolver::default()
        }
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return self.lookup.resolve(uri, config, timeout);
        };
        if let Some(decider) = &self.decider
            && decider
                .known(&uri.to_string())
                .is_some_and(|d| matches!(d.route, Route::Connect(_)))
        {
            return Ok(self.empty());
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']');
        if let Ok(ip) = host.parse::<IpAddr>() {
            let default_port = if *scheme == Scheme::HTTPS { 443 } else { 80 };
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(
                ip,
                authority.port_u16().unwrap_or(default_port),
            ));
            return Ok(addrs);
        }
        let key = format!("{scheme}://{authority}");
        let cached = self
            .cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned();
        if let Some((at, addrs)) = cached
            && at.elapsed() < TTL
        {
            traced(host, &addrs, true, Duration::ZERO);
            return Ok(addrs);
        }
        let started = Instant::now();
        let addrs = self.lookup.resolve(uri, config, timeout).map_err(|e| {
            trace::record(|| Event::DnsFailed {
                host: host.to_owned(),
                reason: e.to_string(),
            });
            match e {
                ureq::Error::HostNotFound | ureq::Error::Io(_) => NetFailure::new(
                    Cause::Dns,
                    format!(
                        "the name {} did not resolve ({})",
                        authority.host(),
                        match &e {
                            ureq::Error::Io(io) => io.to_string(),
                            other => other.to_string(),
                        }
                    ),
                    // As before: a name that does not resolve is not tried again.
                    false,
                )
                .into_ureq(),
                other => other,
            }
        })?;
        traced(host, &addrs, false, started.elapsed());
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.retain(|_, (at, _)| at.elapsed() < TTL);
        cache.insert(key, (Instant::now(), addrs.clone()));
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_literals_are_not_looked_up() {
        let r = CachingResolver::default();
        let config = Config::default();
        for (url, want) in [
            ("http://127.0.0.1:8080/v2", "127.0.0.1:8080"),
            ("https://[::1]/v2", "[::1]:443"),
            ("http://10.1.2.3/x", "10.1.2.3:80"),
        ] {
            let uri: Uri = url.parse().unwrap();
            let addrs = r.resolve(&uri, &config, NextTimeout::default()).unwrap();
            assert_eq!(addrs.len(), 1);
            assert_eq!(addrs[0].to_string(), want);
        }
        assert!(r.cache.lock().unwrap().is_empty());
    }

    #[test]
    fn host_names_are_cached() {
        let r = CachingResolver::default();
        let uri: Uri = "http://zoomlive-test.invalid:8080/v2".parse().unwrap();
        // A planted entry for a name that cannot resolve: only a cache hit answers it.
        let mut planted = r.empty();
        planted.push("127.9.8.7:8080".parse().unwrap());
        r.cache.lock().unwrap().insert(
            "http://zoomlive-test.invalid:8080".into(),
            (Instant::now(), planted),
        );
        let got = r
            .resolve(&uri, &Config::default(), NextTimeout::default())
            .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].to_string(), "127.9.8.7:8080");
        // An expired entry is not used: the real lookup runs (and fails for .invalid).
        r.cache.lock().unwrap().values_mut().for_each(|(at, _)| {
            *at = Instant::now().checked_sub(TTL * 2).unwrap();
        });
        assert!(
            r.resolve(&uri, &Config::default(), NextTimeout::default())
                .is_err()
        );
        // A real name is looked up once and then kept.
        let local: Uri = "http://localhost:8080/v2".parse().unwrap();
        let first = r
            .resolve(&local, &Config::default(), NextTimeout::default())
            .unwrap();
        assert!(!first.is_empty());
        assert!(
            r.cache
                .lock()
                .unwrap()
                .contains_key("http://localhost:8080")
        );
    }
}
