//! The text and URL checks every validated value and endpoint shares.

use std::net::IpAddr;

use ureq::http::Uri;

use crate::error::{Error, Result};

/// Refuses control characters (CR, LF, NUL, ...), which could split headers or parts.
pub(crate) fn check_no_controls(field: &'static str, value: &str) -> Result<()> {
    match value.chars().find(|c| c.is_control()) {
        Some(c) => Err(Error::input(
            field,
            format!("contains the control character U+{:04X}", c as u32),
        )),
        None => Ok(()),
    }
}

/// A required text field: not empty, at most `max` characters, no control characters.
pub(crate) fn check_text(field: &'static str, value: &str, max: usize) -> Result<()> {
    if value.is_empty() {
        return Err(Error::input(field, "is required and must not be empty"));
    }
    let chars = value.chars().count();
    if chars > max {
        return Err(Error::input(
            field,
            format!("is {chars} characters long; Zoom allows at most {max}"),
        ));
    }
    check_no_controls(field, value)
}

/// Parses an absolute `http://` or `https://` URL with a host.
///
/// Non-ASCII characters (a page URL in a user's language) are allowed: they are
/// checked as if percent-encoded, which is what a browser sends for them.
pub(crate) fn parse_http_url(field: &'static str, url: &str) -> Result<Uri> {
    if url.contains(char::is_whitespace) {
        return Err(Error::input(field, "must not contain spaces"));
    }
    let ascii: String = url
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let not_http = || Error::input(field, "must be an absolute http:// or https:// URL");
    let uri: Uri = ascii.parse().map_err(|_| not_http())?;
    match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {}
        _ => return Err(not_http()),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(Error::input(field, "must name a host after the scheme"));
    }
    Ok(uri)
}

/// Checks that `url` is an absolute `http://` or `https://` URL with a host.
pub(crate) fn check_http_url(field: &'static str, url: &str) -> Result<()> {
    parse_http_url(field, url).map(drop)
}

/// True for `localhost` and loopback addresses (`127.0.0.0/8`, `::1`).
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Checks an endpoint URL (API base or OAuth token URL) and returns it without a
/// trailing `/`: http(s), no credentials, query or fragment, and `http://` only to
/// loopback unless `allow_insecure_http`.
pub(crate) fn check_endpoint(
    field: &'static str,
    url: &str,
    allow_insecure_http: bool,
) -> Result<String> {
    check_no_controls(field, url)?;
    if url.contains(['?', '#']) {
        return Err(Error::input(field, "must not have a query or fragment"));
    }
    let uri = parse_http_url(field, url)?;
    let authority = uri.authority().map_or("", |a| a.as_str());
    if authority.contains('@') {
        return Err(Error::input(field, "must not carry user:password@"));
    }
    let insecure = uri
        .scheme_str()
        .is_some_and(|s| s.eq_ignore_ascii_case("http"));
    if insecure && !allow_insecure_http && !is_loopback_host(uri.host().unwrap_or("")) {
        return Err(Error::input(
            field,
            "uses http:// to a host that is not loopback; use https:// (or allow insecure http explicitly)",
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.8.9.10",
            "[::1]",
            "::1",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "10.0.0.1",
            "example.com",
            "[::2]",
            "localhost.example.com",
            "128.0.0.1",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn http_urls() {
        assert!(check_http_url("page_url", "https://example.com/live/1?x=a+b&y=c").is_ok());
        assert!(check_http_url("page_url", "HTTP://example.com").is_ok());
        assert!(check_http_url("page_url", "https://exämple.com/café").is_ok());
        for bad in [
            "ftp://x",
            "https://",
            "",
            "https://a b",
            "example.com/x",
            "https:///x",
        ] {
            assert_eq!(
                check_http_url("page_url", bad).unwrap_err().field(),
                Some("page_url"),
                "{bad}"
            );
        }
    }
}
