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

/// Replaces every occurrence of each non-empty secret in `text` with `***`.
///
/// Used on anything a server sent back before it goes into an error message, so that
/// a server echoing the request (or a proxy's error page) cannot leak a credential.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        if out.contains(*secret) {
            out = out.replace(*secret, "***");
        }
    }
    out
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
}
