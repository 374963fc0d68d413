//! The proxy the environment names for a URL, with curl's rules (the second source of
//! a decision, after the explicit settings; see decide.rs).
//!
//! - `http://` URLs use `http_proxy`, then `HTTP_PROXY` (ignored when `REQUEST_METHOD`
//!   is set: a CGI request header could have set it, "httpoxy"); `https://` URLs use
//!   `https_proxy`, then `HTTPS_PROXY`; both fall back to `all_proxy`, then `ALL_PROXY`.
//!   An empty value counts as unset.
//! - `no_proxy` (or `NO_PROXY`) lists hosts reached directly, separated by commas or
//!   spaces: `*` (every host), host names (matching the host and its subdomains, with or
//!   without a leading `.` or `*.`), IP addresses and CIDR blocks (`10.0.0.0/8`,
//!   `fd00::/8`). The explicit `no_proxy` setting has the same syntax.
//! - A proxy value is `scheme://[user:password@]host[:port][/]` (url.rs). Anything else
//!   is an `InvalidInput` error whose field is the variable's name, never a silent
//!   direct connection. No message repeats the value (it may carry a password).

use std::net::IpAddr;

use super::url::{ProxyUrl, parse};
use crate::error::{Error, Result};

/// The variables naming a proxy, in the order they are tried for an `http://` URL.
const FOR_HTTP: &[&str] = &["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];
/// The variables naming a proxy, in the order they are tried for an `https://` URL.
const FOR_HTTPS: &[&str] = &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
/// The variables listing the hosts reached without a proxy, in order of precedence.
const NO_PROXY: &[&str] = &["no_proxy", "NO_PROXY"];

/// Reads a variable of the process environment: `Ok(None)` when unset or empty, an
/// error naming it when it is not valid Unicode.
pub(crate) fn process_env(name: &'static str) -> Result<Option<String>> {
    match std::env::var_os(name) {
        None => Ok(None),
        Some(value) => match value.into_string() {
            Ok(text) if text.trim().is_empty() => Ok(None),
            Ok(text) => Ok(Some(text)),
            Err(_) => Err(Error::input(name, "is not valid UTF-8")),
        },
    }
}

/// What the environment says about a URL.
#[derive(Debug)]
pub(crate) enum FromEnv {
    /// No variable names a proxy for the URL's scheme.
    Unset,
    /// The variable `variable` names `proxy`.
    Proxy {
        variable: &'static str,
        proxy: ProxyUrl,
    },
    /// A proxy is named, but `no_proxy` lists the host (`rule` is the entry that matched).
    Bypassed { rule: String },
}

/// What the environment, read with `env`, says about `url` (an endpoint already
/// checked: `http(s)://host...`). A malformed value is an error even when the host is
/// bypassed, so a mistake shows the first time, not on another host.
pub(crate) fn for_url_in(
    url: &str,
    env: &dyn Fn(&'static str) -> Result<Option<String>>,
) -> Result<FromEnv> {
    let (scheme, host) = scheme_host(url);
    let variables = if scheme.eq_ignore_ascii_case("http") {
        FOR_HTTP
    } else {
        FOR_HTTPS
    };
    let cgi = env("REQUEST_METHOD")?.is_some();
    let mut chosen = None;
    for &name in variables {
        if name == "HTTP_PROXY" && cgi {
            continue;
        }
        if let Some(value) = env(name)? {
            chosen = Some((name, value));
            break;
        }
    }
    let Some((variable, value)) = chosen else {
        return Ok(FromEnv::Unset);
    };
    let proxy = parse(variable, &value)?;
    for &name in NO_PROXY {
        if let Some(list) = env(name)? {
            if let Some(rule) = bypass_rule(name, &list, &host)? {
                return Ok(FromEnv::Bypassed { rule });
            }
            break;
        }
    }
    Ok(FromEnv::Proxy { variable, proxy })
}

/// The scheme and host (lower case, no brackets, port or trailing dot) of a URL.
pub(crate) fn scheme_host(url: &str) -> (&str, String) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    (scheme, host_of(authority).to_ascii_lowercase())
}

/// The host of an authority (`user@host:port`, `[::1]:80`), without brackets, port or
/// a trailing dot, lower-cased.
fn host_of(authority: &str) -> &str {
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        hostport.split(':').next().unwrap_or("")
    };
    host.trim_end_matches('.')
}

/// The entry of a `no_proxy`-style `list` (the setting `name`) that covers `host`
/// (lower case), if any; an error naming the setting when an entry is malformed.
pub(crate) fn bypass_rule(name: &'static str, list: &str, host: &str) -> Result<Option<String>> {
    let ip = host.parse::<IpAddr>().ok();
    for entry in list.split([',', ' ', '\t']).filter(|e| !e.is_empty()) {
        if matches_entry(name, entry, host, ip)? {
            return Ok(Some(entry.to_owned()));
        }
    }
    Ok(None)
}

/// Whether one `no_proxy` entry covers `host` (lower-case; `ip` when it is an address).
fn matches_entry(name: &'static str, entry: &str, host: &str, ip: Option<IpAddr>) -> Result<bool> {
    if entry == "*" {
        return Ok(true);
    }
    if let Some((network, bits)) = entry.split_once('/') {
        let network = network.trim_start_matches('[').trim_end_matches(']');
        let (Ok(network), Ok(bits)) = (network.parse::<IpAddr>(), bits.parse::<u8>()) else {
            return Err(Error::input(
                name,
                format!("has the entry `{entry}`, which is not a CIDR block such as 10.0.0.0/8"),
            ));
        };
        let max = if network.is_ipv4() { 32 } else { 128 };
        if bits > max {
            return Err(Error::input(
                name,
                format!("has the entry `{entry}`, whose prefix length is over {max}"),
            ));
        }
        return Ok(ip.is_some_and(|ip| in_block(ip, network, bits)));
    }
    let bare = entry.trim_start_matches('[');
    let bare = match bare.split_once(']') {
        Some((v6, _)) => v6,
        // `host:port`: the port is not considered.
        None if bare.matches(':').count() == 1 => bare.split(':').next().unwrap_or(""),
        None => bare,
    };
    if let Ok(listed) = bare.parse::<IpAddr>() {
        return Ok(ip == Some(listed));
    }
    let name = bare
        .trim_start_matches('*')
        .trim_start_matches('.')
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if name.is_empty() {
        return Ok(false);
    }
    Ok(host == name || host.strip_suffix(&name).is_some_and(|h| h.ends_with('.')))
}

/// Whether `ip` is in `network/bits` (an IPv4-mapped IPv6 address counts as IPv4).
fn in_block(ip: IpAddr, network: IpAddr, bits: u8) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    match (ip, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(
        vars: &'a [(&'static str, &'a str)],
    ) -> impl Fn(&'static str) -> Result<Option<String>> + 'a {
        move |name| {
            Ok(vars
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
                .filter(|v| !v.is_empty()))
        }
    }

    fn chosen(url: &str, vars: &[(&'static str, &str)]) -> Option<String> {
        match for_url_in(url, &env(vars)).unwrap() {
            FromEnv::Proxy { proxy, .. } => Some(proxy.host_port()),
            _ => None,
        }
    }

    fn error(url: &str, vars: &[(&'static str, &str)]) -> Error {
        for_url_in(url, &env(vars)).unwrap_err()
    }

    #[test]
    fn each_scheme_has_its_variables() {
        let all = [
            ("HTTP_PROXY", "http://h:1"),
            ("HTTPS_PROXY", "http://s:2"),
            ("ALL_PROXY", "http://a:3"),
        ];
        assert_eq!(chosen("http://api.example/v2", &all).unwrap(), "h:1");
        assert_eq!(chosen("https://api.example/v2", &all).unwrap(), "s:2");
        let only_http = [("HTTP_PROXY", "http://h:1"), ("http_proxy", "http://l:4")];
        assert_eq!(chosen("https://api.example/v2", &only_http), None);
        assert_eq!(chosen("http://api.example/v2", &only_http).unwrap(), "l:4");
        let only_https = [("https_proxy", "http://s:2")];
        assert_eq!(chosen("http://api.example/v2", &only_https), None);
        let only_all = [("all_proxy", "a:3")];
        assert_eq!(chosen("https://api.example/v2", &only_all).unwrap(), "a:3");
        assert_eq!(chosen("http://api.example/v2", &only_all).unwrap(), "a:3");
        assert_eq!(
            chosen("https://api.example/v2", &[("HTTPS_PROXY", "")]),
            None
        );
    }

    #[test]
    fn httpoxy_upper_case_http_proxy_is_ignored_under_cgi() {
        let cgi = [("HTTP_PROXY", "http://evil:1"), ("REQUEST_METHOD", "GET")];
        assert_eq!(chosen("http://api.example/v2", &cgi), None);
        let cgi_lower = [("http_proxy", "http://ok:1"), ("REQUEST_METHOD", "GET")];
        assert_eq!(chosen("http://api.example/v2", &cgi_lower).unwrap(), "ok:1");
    }

    #[test]
    fn no_proxy_takes_names_suffixes_addresses_and_cidr_blocks() {
        let with = |list: &'static str| [("https_proxy", "http://p:1"), ("NO_PROXY", list)];
        for (list, url) in [
            ("*", "https://api.zoom.us/v2"),
            ("zoom.us", "https://api.zoom.us/v2"),
            ("zoom.us", "https://zoom.us/v2"),
            (".zoom.us", "https://api.zoom.us/v2"),
            ("*.zoom.us", "https://api.zoom.us/v2"),
            ("other, ZOOM.US", "https://api.zoom.us/v2"),
            ("10.0.0.0/8", "https://10.20.30.40/v2"),
            ("192.168.1.7", "https://192.168.1.7:8443/v2"),
            ("fd00::/8", "https://[fd12::1]/v2"),
            ("api.zoom.us:443", "https://api.zoom.us/v2"),
        ] {
            assert_eq!(chosen(url, &with(list)), None, "{list} {url}");
        }
        for (list, url) in [
            ("zoom.us", "https://notzoom.us/v2"),
            (".zoom.us", "https://zoom.us.example/v2"),
            ("10.0.0.0/8", "https://11.0.0.1/v2"),
            ("10.0.0.0/8", "https://ten.example/v2"),
            ("192.168.1.7", "https://192.168.1.8/v2"),
        ] {
            assert!(chosen(url, &with(list)).is_some(), "{list} {url}");
        }
        let lower_first = [
            ("https_proxy", "http://p:1"),
            ("no_proxy", "zoom.us"),
            ("NO_PROXY", "other"),
        ];
        assert_eq!(chosen("https://api.zoom.us/v2", &lower_first), None);
        let bad = error(
            "https://x/v2",
            &[("https_proxy", "p:1"), ("NO_PROXY", "10.0.0.0/40")],
        );
        assert_eq!(bad.field(), Some("NO_PROXY"));
    }

    #[test]
    fn malformed_values_and_unknown_schemes_name_the_variable() {
        for value in [
            "ftp://proxy:21",
            "http://[broken",
            "http://[::zz]:1",
            "http://proxy:99999",
            "http://proxy:port",
            "http://pro xy:1",
            "http://:8080",
            "http://proxy:8080/some/path",
            "http://proxy\r\n:8080",
            "gopher://x",
            "http://pro%78y:1",
        ] {
            let err = error("https://api.example/v2", &[("HTTPS_PROXY", value)]);
            assert_eq!(err.field(), Some("HTTPS_PROXY"), "{value}");
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput, "{value}");
        }
        // Even for a bypassed destination: the setting is wrong, whatever the host.
        let err = error(
            "http://a/v2",
            &[("http_proxy", "ftp://p"), ("NO_PROXY", "*")],
        );
        assert_eq!(err.field(), Some("http_proxy"));
        let err = error("https://a/v2", &[("ALL_PROXY", "ftp://p")]);
        assert!(err.to_string().contains("ftp://"), "{err}");
    }

    #[test]
    fn supported_schemes_parse() {
        for (value, port) in [
            ("proxy.corp:3128", 3128),
            ("http://proxy.corp", 80),
            ("https://proxy.corp", 443),
            ("socks5://proxy.corp", 1080),
            ("socks5h://u:p@proxy.corp:9050/", 9050),
            ("SOCKS4A://proxy.corp:1", 1),
            ("http://[::1]:8080", 8080),
            ("http://us%40er:p%3Ass@proxy.corp:8080", 8080),
        ] {
            let p = parse("HTTPS_PROXY", value).unwrap();
            assert_eq!(p.port, port, "{value}");
        }
    }

    #[test]
    fn messages_never_show_the_credentials() {
        for value in [
            "ftp://user:hunter2secret@proxy:1",
            "http://user:hunter2secret@proxy:99999",
            "http://user:hunter2secret@[broken",
            "http://user:hunter2secret@proxy/path",
            "http://user:hunter2secret@pr oxy",
        ] {
            let err = parse("HTTPS_PROXY", value).unwrap_err();
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(!shown.contains("user:h"), "{shown}");
        }
        let p = parse("HTTPS_PROXY", "http://user:hunter2secret@proxy:1").unwrap();
        assert!(!format!("{p:?}").contains("hunter2"));
    }
}
