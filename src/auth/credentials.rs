//! Credentials: a static bearer token or Server-to-Server OAuth app credentials,
//! checked when made; `Debug` and the secrets list keep them out of every output.

use std::fmt;

use base64::Engine as _;

use crate::error::{Error, Result};
use crate::model::validate::check_no_controls;
use crate::secret::Secret;

/// Zoom's Server-to-Server OAuth token endpoint.
pub const DEFAULT_OAUTH_URL: &str = "https://zoom.us/oauth/token";

/// How a client authenticates. `Debug` never shows a token or secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A bearer token obtained elsewhere.
    AccessToken(Secret),
    /// Server-to-Server OAuth app credentials; tokens are fetched as needed.
    ServerToServer {
        /// The Zoom account id.
        account_id: String,
        /// The app's client id.
        client_id: String,
        /// The app's client secret.
        client_secret: Secret,
    },
}

impl Credentials {
    /// A static bearer token (checked: non-empty, visible ASCII only).
    pub fn access_token(token: &str) -> Result<Self> {
        check_token(token)?;
        Ok(Credentials::AccessToken(Secret::new(token)))
    }

    /// Server-to-Server OAuth credentials (each checked; the client id cannot hold ':').
    pub fn server_to_server(
        account_id: &str,
        client_id: &str,
        client_secret: &str,
    ) -> Result<Self> {
        check_credential("account_id", account_id)?;
        check_credential("client_id", client_id)?;
        if client_id.contains(':') {
            return Err(Error::input("client_id", "must not contain ':'"));
        }
        check_credential("client_secret", client_secret)?;
        Ok(Credentials::ServerToServer {
            account_id: account_id.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: Secret::new(client_secret),
        })
    }

    /// The values that must never appear in output: the static token, or the client
    /// secret and the OAuth request's Basic credential, encoded and decoded.
    pub(crate) fn secrets(&self) -> Vec<String> {
        match self {
            Credentials::AccessToken(t) => vec![t.expose().to_owned()],
            Credentials::ServerToServer {
                client_id,
                client_secret,
                ..
            } => {
                let decoded = basic_credential(client_id, client_secret);
                let encoded = base64::engine::general_purpose::STANDARD.encode(&decoded);
                vec![client_secret.expose().to_owned(), decoded, encoded]
            }
        }
    }
}

/// `client_id:client_secret`, what the OAuth request's Basic header encodes.
pub(crate) fn basic_credential(client_id: &str, client_secret: &Secret) -> String {
    format!("{client_id}:{}", client_secret.expose())
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::AccessToken(_) => f.write_str("AccessToken(***)"),
            Credentials::ServerToServer {
                account_id,
                client_id,
                ..
            } => f
                .debug_struct("ServerToServer")
                .field("account_id", account_id)
                .field("client_id", client_id)
                .field("client_secret", &"***")
                .finish(),
        }
    }
}

/// The longest token accepted (Zoom's JWTs are well under 2 KiB).
const TOKEN_MAX_BYTES: usize = 8 * 1024;
/// The longest account id, client id or client secret accepted.
const CREDENTIAL_MAX_BYTES: usize = 1024;

pub(crate) fn check_token(token: &str) -> Result<()> {
    if token.is_empty() {
        return Err(Error::input("access_token", "is empty"));
    }
    if token.len() > TOKEN_MAX_BYTES {
        return Err(Error::input(
            "access_token",
            format!("is longer than {TOKEN_MAX_BYTES} bytes"),
        ));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        // The value itself is never quoted.
        return Err(Error::input(
            "access_token",
            "may hold only visible ASCII characters (no spaces, control characters or line breaks)",
        ));
    }
    Ok(())
}

fn check_credential(field: &'static str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::input(field, "is empty"));
    }
    if value.len() > CREDENTIAL_MAX_BYTES {
        return Err(Error::input(
            field,
            format!("is longer than {CREDENTIAL_MAX_BYTES} bytes"),
        ));
    }
    check_no_controls(field, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_checked_and_hidden() {
        let c = Credentials::server_to_server("acct", "cid", "TOPSECRET").unwrap();
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("TOPSECRET") && shown.contains("cid"),
            "{shown}"
        );
        let t = Credentials::access_token("eyJ.abc.def").unwrap();
        assert!(!format!("{t:?}").contains("eyJ"));
        for bad in ["", "has space", "line\nbreak", "nul\0", "é"] {
            let err = Credentials::access_token(bad).unwrap_err();
            assert_eq!(err.field(), Some("access_token"));
            if !bad.is_empty() {
                assert!(!err.to_string().contains(bad));
            }
        }
        assert_eq!(
            Credentials::server_to_server("a", "c:d", "s")
                .unwrap_err()
                .field(),
            Some("client_id")
        );
        assert_eq!(
            Credentials::server_to_server("a", "c", "")
                .unwrap_err()
                .field(),
            Some("client_secret")
        );
        assert_eq!(
            Credentials::server_to_server("a\r\n", "c", "s")
                .unwrap_err()
                .field(),
            Some("account_id")
        );
    }
}
