//! Answering a proxy's `407`: the schemes it offers (`Proxy-Authenticate`), the one
//! chosen, and each scheme's tokens (basic.rs, ntlm.rs).

pub(crate) mod basic;
pub(crate) mod ntlm;
#[cfg(windows)]
pub(crate) mod sspi;

use super::decision::ProxyAuth;
use crate::secret::Secret;

/// A multi-leg scheme's client side (NTLM, Negotiate): the first token, then the
/// answer to each challenge (`None`: nothing more to send, the proxy should have let
/// the tunnel through).
pub(crate) trait Handshake: Send {
    /// The first leg's `Proxy-Authorization` value.
    fn first(&mut self) -> Result<Secret, String>;
    /// The next leg's value for the proxy's `challenge` (base64).
    fn answer(&mut self, challenge: &str) -> Result<Option<Secret>, String>;
}

/// The handshake for `scheme` toward the proxy `host`: on Windows through SSPI (the
/// logged-on user's credentials when none are `explicit`), falling back to NTLM of our
/// own with explicit credentials when SSPI cannot (Wine without Samba's ntlm_auth);
/// elsewhere NTLM with explicit credentials.
pub(crate) fn handshake(
    scheme: Scheme,
    host: &str,
    explicit: Option<(&Secret, &Secret)>,
) -> Result<Box<dyn Handshake>, String> {
    #[cfg(windows)]
    {
        let sspi = sspi::Sspi::new(scheme, host, explicit).and_then(|mut s| {
            let first = s.first()?;
            Ok(Primed {
                first: Some(first),
                inner: s,
            })
        });
        match sspi {
            Ok(primed) => return Ok(Box::new(primed)),
            Err(why) if scheme != Scheme::Ntlm || explicit.is_none() => return Err(why),
            Err(_) => {}
        }
    }
    let _ = host;
    match (scheme, explicit) {
        (Scheme::Ntlm, Some((user, password))) => Ok(Box::new(ntlm::Ntlm::new(user, password))),
        (Scheme::Ntlm, None) => Err("asks for NTLM and no credentials are set".to_owned()),
        _ => Err(format!(
            "asks for {}, which needs Windows (SSPI)",
            scheme.name()
        )),
    }
}

/// A handshake whose first token was already made (to know SSPI works before choosing it).
#[cfg(windows)]
struct Primed<H> {
    first: Option<Secret>,
    inner: H,
}

#[cfg(windows)]
impl<H: Handshake> Handshake for Primed<H> {
    fn first(&mut self) -> Result<Secret, String> {
        match self.first.take() {
            Some(first) => Ok(first),
            None => self.inner.first(),
        }
    }

    fn answer(&mut self, challenge: &str) -> Result<Option<Secret>, String> {
        self.inner.answer(challenge)
    }
}

/// A scheme the client can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    Negotiate,
    Ntlm,
    Basic,
}

impl Scheme {
    /// The scheme's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Negotiate => "Negotiate",
            Scheme::Ntlm => "NTLM",
            Scheme::Basic => "Basic",
        }
    }

    fn from_name(name: &str) -> Option<Scheme> {
        [Scheme::Negotiate, Scheme::Ntlm, Scheme::Basic]
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }
}

/// One challenge of a `Proxy-Authenticate` header: the scheme's name as offered, and
/// its token (an NTLM challenge), if any.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Offer {
    pub name: String,
    pub token: Option<String>,
}

impl std::fmt::Debug for Offer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A challenge is never shown.
        f.write_str(&self.name)
    }
}

impl Offer {
    /// The scheme, when the client knows it.
    pub fn scheme(&self) -> Option<Scheme> {
        Scheme::from_name(&self.name)
    }
}

/// The challenges of the `Proxy-Authenticate` header values: `Basic realm="x"`,
/// `NTLM`, `NTLM TlRMTVNT...`, `Negotiate`, several per value separated by commas.
pub(crate) fn offers<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<Offer> {
    let mut found: Vec<Offer> = Vec::new();
    for value in values {
        for part in value.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (first, rest) = part.split_once(' ').unwrap_or((part, ""));
            let rest = rest.trim();
            if first.contains('=') {
                // An auth-param of the previous challenge (`Basic realm="a", charset=..`).
                continue;
            }
            let token = (!rest.is_empty() && !rest.contains('=')
                || rest.ends_with('=') && !rest.contains(' '))
            .then(|| rest.to_owned());
            found.push(Offer {
                name: first.to_owned(),
                token,
            });
        }
    }
    found
}

/// The scheme to answer `offers` with, under `mode`, when credentials are `explicit`
/// (or not): Negotiate (Windows' SSPI), then NTLM (explicit credentials, or on Windows
/// the logged-on user's), then Basic (explicit credentials).
pub(crate) fn choose(offers: &[Offer], mode: ProxyAuth, explicit: bool) -> Option<Scheme> {
    let offered = |s: Scheme| offers.iter().any(|o| o.scheme() == Some(s));
    let can = |s: Scheme| match s {
        Scheme::Negotiate => cfg!(windows),
        Scheme::Ntlm => explicit || cfg!(windows),
        Scheme::Basic => explicit,
    };
    let allowed: &[Scheme] = match mode {
        ProxyAuth::Auto => &[Scheme::Negotiate, Scheme::Ntlm, Scheme::Basic],
        ProxyAuth::Basic => &[Scheme::Basic],
        ProxyAuth::Ntlm => &[Scheme::Ntlm],
        ProxyAuth::Negotiate => &[Scheme::Negotiate],
        ProxyAuth::None => &[],
    };
    allowed.iter().copied().find(|&s| offered(s) && can(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_are_read_from_every_header_form() {
        let o = offers([
            "Basic realm=\"Squid proxy\", NTLM",
            "Negotiate",
            "NTLM TlRMTVNTUAACAAAA==",
        ]);
        let names: Vec<_> = o.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["Basic", "NTLM", "Negotiate", "NTLM"]);
        assert_eq!(o[0].token, None);
        assert_eq!(o[3].token.as_deref(), Some("TlRMTVNTUAACAAAA=="));
        assert!(!format!("{o:?}").contains("TlRM"));
    }

    #[test]
    fn the_strongest_answerable_scheme_is_chosen() {
        let o = offers(["Basic realm=x", "NTLM", "Negotiate"]);
        let strongest = if cfg!(windows) {
            Scheme::Negotiate
        } else {
            Scheme::Ntlm
        };
        assert_eq!(choose(&o, ProxyAuth::Auto, true), Some(strongest));
        assert_eq!(choose(&o, ProxyAuth::Basic, true), Some(Scheme::Basic));
        assert_eq!(choose(&o, ProxyAuth::None, true), None);
        let basic_only = offers(["Basic realm=x"]);
        assert_eq!(choose(&basic_only, ProxyAuth::Ntlm, true), None);
        assert_eq!(choose(&basic_only, ProxyAuth::Auto, false), None);
        if !cfg!(windows) {
            assert_eq!(choose(&o, ProxyAuth::Auto, false), None);
            assert_eq!(choose(&o, ProxyAuth::Negotiate, true), None);
        }
    }
}
