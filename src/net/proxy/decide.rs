//! One proxy decision per destination, with its source, kept for the client's life.
//!
//! The order: the explicit settings (builder, C, Python, CLI, COM), then the
//! environment (env.rs, curl's rules), then on Windows the system settings (Internet
//! Options, PAC/WPAD, the machine's WinHTTP setting), then direct. Loopback
//! destinations are never proxied; the explicit `no_proxy` list bypasses every source.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::decision::{ProxyAuth, ProxyDecision};
use super::env::{self, FromEnv};
use super::url::ProxyUrl;
use crate::error::Result;
use crate::model::validate::is_loopback_host;
use crate::secret::Secret;

/// Reads one environment variable: `Ok(None)` when unset or empty.
pub(crate) type EnvReader = dyn Fn(&'static str) -> Result<Option<String>> + Send + Sync;

/// The explicit proxy setting.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Explicit {
    /// `"direct"`: no proxy, whatever the environment or the system says.
    Direct,
    /// This proxy for every destination except loopback and the `no_proxy` list.
    Proxy(ProxyUrl),
}

/// A client's proxy settings, checked.
#[derive(Clone, Debug, Default)]
pub(crate) struct Settings {
    pub explicit: Option<Explicit>,
    /// The explicit `no_proxy` list (checked when the client is built).
    pub no_proxy: Option<String>,
    /// Whether the Windows system settings are consulted (step 3).
    #[cfg_attr(not(windows), allow(dead_code))]
    pub system: bool,
    /// The longest a PAC/WPAD lookup may take (the client's connect timeout).
    #[cfg_attr(not(windows), allow(dead_code))]
    pub system_timeout: std::time::Duration,
    pub auth: ProxyAuth,
    /// Explicit proxy credentials (they take precedence over a proxy URL's).
    pub user: Option<Secret>,
    pub password: Option<Secret>,
}

/// How a destination is reached.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Route {
    Direct,
    /// Through an HTTP CONNECT tunnel (tunnel.rs).
    Connect(ProxyUrl),
    /// Through a SOCKS proxy (ureq's connector).
    Socks(ProxyUrl),
}

/// A decision: the route and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Decided {
    pub route: Route,
    pub source: String,
    /// Why an earlier source gave no answer (a PAC that could not be fetched or run).
    pub note: Option<String>,
}

impl Decided {
    fn new(route: Route, source: impl Into<String>) -> Self {
        Decided {
            route,
            source: source.into(),
            note: None,
        }
    }

    fn via(proxy: ProxyUrl, source: impl Into<String>) -> Self {
        let route = if proxy.is_connect() {
            Route::Connect(proxy)
        } else {
            Route::Socks(proxy)
        };
        Decided::new(route, source)
    }

    /// The proxy, if any.
    pub fn proxy(&self) -> Option<&ProxyUrl> {
        match &self.route {
            Route::Direct => None,
            Route::Connect(p) | Route::Socks(p) => Some(p),
        }
    }

    /// The public form (no credentials).
    pub fn public(&self) -> ProxyDecision {
        ProxyDecision::new(
            self.proxy().map(ProxyUrl::shown),
            self.source.clone(),
            self.note.clone(),
        )
    }
}

/// Decides, and remembers, the route of each destination (`scheme://host:port`).
pub(crate) struct Decider {
    settings: Settings,
    env: Box<EnvReader>,
    cache: Mutex<HashMap<String, Arc<Decided>>>,
}

impl std::fmt::Debug for Decider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decider")
            .field("settings", &self.settings)
            .finish()
    }
}

/// `scheme://host:port` of a URL (lower case, the scheme's default port filled in).
fn key(url: &str) -> String {
    let (scheme, host) = env::scheme_host(url);
    let scheme = scheme.to_ascii_lowercase();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let after_host = match hostport.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map_or("", |(_, after)| after),
        None => hostport.split_once(':').map_or("", |(_, port)| port),
    };
    let port = after_host
        .trim_start_matches(':')
        .parse::<u16>()
        .unwrap_or(if scheme == "http" { 80 } else { 443 });
    format!("{scheme}://{host}:{port}")
}

impl Decider {
    /// A decider reading the process environment.
    pub fn new(settings: Settings) -> Self {
        Decider::with_env(settings, Box::new(env::process_env))
    }

    /// A decider reading variables with `env` (tests).
    pub fn with_env(settings: Settings, env: Box<EnvReader>) -> Self {
        Decider {
            settings,
            env,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The settings decided with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The decision for `url` (an `http(s)://` URL), made once per destination.
    pub fn decide(&self, url: &str) -> Result<Arc<Decided>> {
        let key = key(url);
        if let Some(d) = self.lock().get(&key) {
            return Ok(d.clone());
        }
        let decided = Arc::new(self.decide_now(url)?);
        self.lock().entry(key).or_insert(decided.clone());
        Ok(decided)
    }

    /// The decision for `url` if it was already made (the connector's fast path).
    pub fn known(&self, url: &str) -> Option<Arc<Decided>> {
        self.lock().get(&key(url)).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Decided>>> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The explicit `no_proxy` entry covering `host`, as a decision.
    fn bypassed(&self, host: &str) -> Result<Option<Decided>> {
        let Some(list) = &self.settings.no_proxy else {
            return Ok(None);
        };
        Ok(env::bypass_rule("no_proxy", list, host)?
            .map(|rule| Decided::new(Route::Direct, format!("bypass:{rule}"))))
    }

    fn decide_now(&self, url: &str) -> Result<Decided> {
        let (_, host) = env::scheme_host(url);
        let loopback = is_loopback_host(&host);
        let loopback_decision = || Decided::new(Route::Direct, "loopback");
        if let Some(explicit) = &self.settings.explicit {
            if loopback {
                return Ok(loopback_decision());
            }
            if let Some(bypass) = self.bypassed(&host)? {
                return Ok(bypass);
            }
            return Ok(match explicit {
                Explicit::Direct => Decided::new(Route::Direct, "explicit"),
                Explicit::Proxy(p) => Decided::via(p.clone(), "explicit"),
            });
        }
        // A malformed variable is an error whatever the host (env.rs).
        let from_env = env::for_url_in(url, &*self.env)?;
        if loopback {
            return Ok(loopback_decision());
        }
        if let Some(bypass) = self.bypassed(&host)? {
            return Ok(bypass);
        }
        match from_env {
            FromEnv::Proxy { variable, proxy } => return Ok(Decided::via(proxy, variable)),
            FromEnv::Bypassed { rule } => {
                return Ok(Decided::new(Route::Direct, format!("bypass:{rule}")));
            }
            FromEnv::Unset => {}
        }
        #[cfg(windows)]
        if self.settings.system
            && let Some(system) = super::windows::decide(url, &host, self.settings.system_timeout)
        {
            let mut decided = match system.proxy {
                Some(p) => Decided::via(p, system.source),
                None => Decided::new(Route::Direct, system.source),
            };
            decided.note = system.note;
            return Ok(decided);
        }
        Ok(Decided::new(Route::Direct, "none"))
    }

    /// The proxy credentials this decider knows (explicit, and those of the proxy URLs
    /// decided so far): each alone, `user:password`, and its Basic encoding, for the
    /// scrubber.
    pub fn secrets(&self) -> Vec<String> {
        use base64::Engine as _;
        let mut pairs = vec![(self.settings.user.clone(), self.settings.password.clone())];
        if let Some(Explicit::Proxy(p)) = &self.settings.explicit {
            pairs.push((p.user.clone(), p.password.clone()));
        }
        for d in self.lock().values() {
            if let Some(p) = d.proxy() {
                pairs.push((p.user.clone(), p.password.clone()));
            }
        }
        let mut found = Vec::new();
        for (user, password) in pairs {
            let user = user.map(|u| u.expose().to_owned()).unwrap_or_default();
            let password = password.map(|p| p.expose().to_owned()).unwrap_or_default();
            if user.is_empty() && password.is_empty() {
                continue;
            }
            let both = format!("{user}:{password}");
            found.push(base64::engine::general_purpose::STANDARD.encode(&both));
            found.extend([user, password, both]);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::proxy::url::parse;

    fn decider(settings: Settings, vars: &'static [(&'static str, &'static str)]) -> Decider {
        Decider::with_env(
            settings,
            Box::new(move |name| {
                Ok(vars
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned()))
            }),
        )
    }

    fn shown(d: &Decider, url: &str) -> String {
        d.decide(url).unwrap().public().to_string()
    }

    #[test]
    fn explicit_then_environment_then_none_and_loopback_never() {
        let env = &[("https_proxy", "http://u:pw@envproxy:3128")];
        let d = decider(Settings::default(), env);
        assert_eq!(
            shown(&d, "https://api.zoom.us/v2"),
            "http://envproxy:3128 (https_proxy)"
        );
        assert_eq!(shown(&d, "http://api.zoom.us/v2"), "direct (none)");
        for url in [
            "http://127.0.0.1:8080/v2",
            "https://localhost/v2",
            "https://LOCALHOST:1/v2",
            "http://[::1]:9/v2",
            "http://127.9.9.9/v2",
        ] {
            assert_eq!(shown(&d, url), "direct (loopback)", "{url}");
        }
        let explicit = Settings {
            explicit: Some(Explicit::Proxy(parse("proxy", "corp:8080").unwrap())),
            no_proxy: Some("internal.corp, 10.0.0.0/8".into()),
            ..Settings::default()
        };
        let d = decider(explicit, env);
        assert_eq!(
            shown(&d, "https://api.zoom.us/v2"),
            "http://corp:8080 (explicit)"
        );
        assert_eq!(
            shown(&d, "https://x.internal.corp/v2"),
            "direct (bypass:internal.corp)"
        );
        assert_eq!(
            shown(&d, "https://10.1.2.3/v2"),
            "direct (bypass:10.0.0.0/8)"
        );
        assert_eq!(shown(&d, "http://127.0.0.1:1/v2"), "direct (loopback)");
        let direct = Settings {
            explicit: Some(Explicit::Direct),
            ..Settings::default()
        };
        let d = decider(direct, env);
        assert_eq!(shown(&d, "https://api.zoom.us/v2"), "direct (explicit)");
        // The explicit no_proxy list bypasses the environment's proxy too.
        let bypass_env = Settings {
            no_proxy: Some("zoom.us".into()),
            ..Settings::default()
        };
        let d = decider(bypass_env, env);
        assert_eq!(
            shown(&d, "https://api.zoom.us/v2"),
            "direct (bypass:zoom.us)"
        );
        let d = decider(
            Settings::default(),
            &[("https_proxy", "p:1"), ("no_proxy", "*.zoom.us")],
        );
        assert_eq!(
            shown(&d, "https://api.zoom.us/v2"),
            "direct (bypass:*.zoom.us)"
        );
        let d = decider(Settings::default(), &[("ALL_PROXY", "socks5://s:1080")]);
        assert_eq!(
            shown(&d, "https://api.zoom.us/v2"),
            "socks5://s:1080 (ALL_PROXY)"
        );
    }

    #[test]
    fn decisions_are_kept_per_destination_and_show_no_credentials() {
        let d = decider(
            Settings::default(),
            &[("https_proxy", "http://user:hunter2pw@p:3128")],
        );
        let first = d.decide("https://api.zoom.us/v2").unwrap();
        let again = d.decide("https://API.zoom.us:443/other").unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert!(d.known("https://api.zoom.us:443/x").is_some());
        assert!(d.known("https://zoom.us/oauth/token").is_none());
        let shown = format!("{first:?} {} {}", first.public(), first.public().to_json());
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(
            first.public().to_json(),
            r#"{"proxy":"http://p:3128","source":"https_proxy"}"#
        );
        assert!(d.secrets().iter().any(|s| s == "hunter2pw"));
    }
}
