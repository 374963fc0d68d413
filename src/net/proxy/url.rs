//! A proxy as written in a setting (`scheme://[user:password@]host[:port][/]`), parsed
//! and checked once; its credentials are [`Secret`]s, its `Debug` shows no password.

use std::fmt;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// The proxy schemes understood, as written in the settings.
const SCHEMES: &[&str] = &["http", "https", "socks4", "socks4a", "socks5", "socks5h"];

/// A checked proxy setting.
#[derive(Clone)]
pub(crate) struct ProxyUrl {
    /// `http`, `https`, `socks4`, `socks4a`, `socks5` or `socks5h`, lower case.
    pub scheme: String,
    /// The host, without brackets for IPv6.
    pub host: String,
    /// The port (the scheme's default when none was written).
    pub port: u16,
    /// The user name of the URL's user info, percent-decoded.
    pub user: Option<Secret>,
    /// The password of the URL's user info, percent-decoded.
    pub password: Option<Secret>,
    /// ureq's form, for the SOCKS connector.
    pub ureq: ureq::Proxy,
}

impl ProxyUrl {
    /// Whether the proxy is reached with an HTTP CONNECT tunnel (`http`, `https`).
    pub fn is_connect(&self) -> bool {
        self.scheme == "http" || self.scheme == "https"
    }

    /// `host:port` (IPv6 in brackets), as messages name the proxy.
    pub fn host_port(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// `scheme://host:port`, without credentials: how a decision shows the proxy.
    pub fn shown(&self) -> String {
        format!("{}://{}", self.scheme, self.host_port())
    }
}

impl PartialEq for ProxyUrl {
    fn eq(&self, other: &Self) -> bool {
        (
            &self.scheme,
            &self.host,
            self.port,
            &self.user,
            &self.password,
        ) == (
            &other.scheme,
            &other.host,
            other.port,
            &other.user,
            &other.password,
        )
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown())?;
        if self.user.is_some() {
            f.write_str(" (with credentials)")?;
        }
        Ok(())
    }
}

/// Parses the proxy given by the setting `name` (a variable's name, or `proxy`).
/// Errors never repeat the value (it may carry a password).
pub(crate) fn parse(name: &'static str, value: &str) -> Result<ProxyUrl> {
    let value = value.trim();
    let bad = |what: &str| {
        Error::input(
            name,
            format!(
                "is not a usable proxy: {what} (expected scheme://[user:password@]host[:port])"
            ),
        )
    };
    if value.chars().any(|c| c.is_control() || c == ' ') {
        return Err(bad("it holds spaces or control characters"));
    }
    let (scheme, rest) = match value.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("http".to_owned(), value),
    };
    if !SCHEMES.contains(&scheme.as_str()) {
        let shown: String = scheme
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(16)
            .collect();
        return Err(Error::input(
            name,
            format!(
                "names a proxy with the unsupported scheme `{shown}://`; use http://, https://, \
                 socks4://, socks4a://, socks5:// or socks5h://"
            ),
        ));
    }
    let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    if !path.is_empty() && path != "/" {
        return Err(bad("it has a path, query or fragment after the host"));
    }
    let hostport = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => {
            if userinfo.is_empty() {
                return Err(bad("the user name before `@` is empty"));
            }
            hostport
        }
        None => authority,
    };
    let port = if let Some(v6) = hostport.strip_prefix('[') {
        let Some((address, after)) = v6.split_once(']') else {
            return Err(bad("an IPv6 address has no closing `]`"));
        };
        if address.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(bad("the IPv6 address between `[` and `]` is malformed"));
        }
        match after {
            "" => None,
            _ => match after.strip_prefix(':') {
                Some(port) => Some(port),
                None => return Err(bad("something other than `:port` follows `]`")),
            },
        }
    } else {
        let (host, port) = match hostport.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        };
        let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
        if host.is_empty() {
            return Err(bad("it has no host"));
        }
        if !host.chars().all(valid) {
            return Err(bad("the host holds characters a host name cannot have"));
        }
        port
    };
    if let Some(port) = port
        && !port.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(bad("the port is not a number from 1 to 65535"));
    }
    let proxy = ureq::Proxy::new(&format!("{scheme}://{authority}"))
        .map_err(|_| bad("it cannot be parsed as a URL"))?;
    Ok(ProxyUrl {
        host: proxy
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned(),
        port: proxy.port(),
        user: proxy.username().map(Secret::new),
        password: proxy.password().map(Secret::new),
        scheme,
        ureq: proxy,
    })
}
