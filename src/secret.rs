//! `Secret`: a string that never shows itself in `Debug` or `Display` output.

use std::fmt;

/// A token, client secret or stream key. Its `Debug` and `Display` print `***`;
/// read the value only through [`Secret::expose`], at the point where it is sent.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value that must not appear in logs or error messages.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself, for putting on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The shortest secret that is scrubbed (shorter values would blank ordinary words).
const MIN_SECRET_LEN: usize = 4;

/// Replaces every occurrence of each secret (4 characters or more) in `text` with
/// `***`, then drops a trailing fragment of 4 characters or more that is the
/// beginning of a secret (what is left when a secret crossed the point where the
/// text was cut).
///
/// Used on anything a server sent back, before it is parsed, stored or cut, so that a
/// server echoing the request (or a proxy's error page) cannot leak a credential.
pub(crate) fn scrub<S: AsRef<str>>(text: &str, secrets: &[S]) -> String {
    let mut out = text.to_owned();
    // Longest first, so that a secret holding another is replaced whole.
    let mut sorted: Vec<&str> = secrets
        .iter()
        .map(AsRef::as_ref)
        .filter(|s| s.len() >= MIN_SECRET_LEN)
        .collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in &sorted {
        if out.contains(*secret) {
            out = out.replace(*secret, "***");
        }
    }
    let cut = sorted
        .iter()
        .filter_map(|secret| {
            (MIN_SECRET_LEN..secret.len())
                .rev()
                .filter(|&n| secret.is_char_boundary(n))
                .find(|&n| out.ends_with(&secret[..n]))
        })
        .max();
    if let Some(n) = cut {
        out.truncate(out.len() - n);
    }
    out
}

/// The user names and passwords of the proxies named in the environment (each alone,
/// `user:password`, and its Basic encoding), which a proxy's error page may echo.
pub(crate) fn proxy_credentials() -> Vec<String> {
    use base64::Engine as _;
    let mut found = Vec::new();
    for name in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        let Ok(value) = std::env::var(name) else {
            continue;
        };
        let after_scheme = value.split_once("://").map_or(value.as_str(), |(_, r)| r);
        let authority = after_scheme.split('/').next().unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            let decoded = form_urlencoded::parse(format!("u={userinfo}").as_bytes())
                .next()
                .map_or_else(|| userinfo.to_owned(), |(_, v)| v.into_owned());
            for text in [userinfo.to_owned(), decoded] {
                if let Some((user, password)) = text.split_once(':') {
                    found.push(user.to_owned());
                    found.push(password.to_owned());
                }
                found.push(base64::engine::general_purpose::STANDARD.encode(&text));
                found.push(text);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("hunter2-token");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(s.expose(), "hunter2-token");
    }

    #[test]
    fn scrub_replaces_every_occurrence() {
        let out = scrub("a TOKEN1 b TOKEN1 c", &["TOKEN1", ""]);
        assert_eq!(out, "a *** b *** c");
    }

    #[test]
    fn scrub_drops_a_trailing_fragment_of_a_secret() {
        assert_eq!(scrub("cut here: TOKE", &["TOKEN1"]), "cut here: ");
        assert_eq!(scrub("cut here: TOK", &["TOKEN1"]), "cut here: TOK");
        assert_eq!(scrub("a TOKEN1TOKEN1", &["TOKEN1"]), "a ******");
        // The longer of two overlapping secrets is replaced whole.
        assert_eq!(scrub("id:sekrit", &["sekrit", "id:sekrit"]), "***");
    }
}
