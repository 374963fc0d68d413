//! The public face of proxying: which proxy a destination uses and why
//! ([`ProxyDecision`]), and how a proxy's `407` is answered ([`ProxyAuth`]).

use std::fmt;

use crate::error::{Error, Result};

/// Which proxy carries the requests to one destination, and where that came from.
///
/// `proxy` is `scheme://host:port` (never with credentials), or `None` for a direct
/// connection. `source` is `explicit`, the environment variable's name
/// (`https_proxy`, ...), `internet-options`, `pac:<url>`, `wpad`, `winhttp`,
/// `loopback`, `bypass:<the rule that matched>` or `none`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyDecision {
    proxy: Option<String>,
    source: String,
    note: Option<String>,
}

impl ProxyDecision {
    pub(crate) fn new(
        proxy: Option<String>,
        source: impl Into<String>,
        note: Option<String>,
    ) -> Self {
        ProxyDecision {
            proxy,
            source: source.into(),
            note,
        }
    }

    /// Why an earlier source gave no answer, when one did not: a PAC file that could not
    /// be fetched or run (Windows), for example.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The proxy as `scheme://host:port`, or `None` when the connection is direct.
    pub fn proxy(&self) -> Option<&str> {
        self.proxy.as_deref()
    }

    /// Where the decision came from (see the type's documentation).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The decision as one JSON object: `{"proxy": "http://host:port" | null, "source":
    /// "..."}`, with `"note": "..."` when there is one.
    pub fn to_json(&self) -> String {
        let mut value = serde_json::json!({"proxy": self.proxy, "source": self.source});
        if let Some(note) = &self.note {
            value["note"] = note.as_str().into();
        }
        value.to_string()
    }
}

impl fmt::Display for ProxyDecision {
    /// `http://host:port (source)`, or `direct (source)`, then `; note` when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.proxy {
            Some(p) => write!(f, "{p} ({})", self.source)?,
            None => write!(f, "direct ({})", self.source)?,
        }
        match &self.note {
            Some(note) => write!(f, "; {note}"),
            None => Ok(()),
        }
    }
}

/// How a proxy's `407 Proxy Authentication Required` is answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProxyAuth {
    /// The strongest scheme the proxy offers that the client can answer: Negotiate
    /// (Windows' SSPI), then NTLM (explicit credentials, or on Windows the logged-on
    /// user's), then Basic (explicit credentials).
    #[default]
    Auto,
    /// Basic only (user and password, base64: use it over a trusted network only).
    Basic,
    /// NTLM (NTLMv2) only.
    Ntlm,
    /// Negotiate (Kerberos, falling back to NTLM) only, through Windows' SSPI;
    /// elsewhere a `407` asking for it is a ProxyAuth error.
    Negotiate,
    /// Never answer a `407`: it is a `ProxyAuth` error.
    None,
}

impl ProxyAuth {
    /// Parses `auto`, `basic`, `ntlm`, `negotiate` or `none` (any case); anything else
    /// is an `InvalidInput` error for the field `proxy_auth`.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ProxyAuth::Auto),
            "basic" => Ok(ProxyAuth::Basic),
            "ntlm" => Ok(ProxyAuth::Ntlm),
            "negotiate" => Ok(ProxyAuth::Negotiate),
            "none" => Ok(ProxyAuth::None),
            _ => Err(Error::input(
                "proxy_auth",
                "must be auto, basic, ntlm, negotiate or none",
            )),
        }
    }

    /// The name [`parse`](Self::parse) reads.
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyAuth::Auto => "auto",
            ProxyAuth::Basic => "basic",
            ProxyAuth::Ntlm => "ntlm",
            ProxyAuth::Negotiate => "negotiate",
            ProxyAuth::None => "none",
        }
    }
}

impl std::str::FromStr for ProxyAuth {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        ProxyAuth::parse(s)
    }
}
