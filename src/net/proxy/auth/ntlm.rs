//! NTLM (NTLMv2) with explicit credentials, as every platform can: the message format
//! from the `ntlmclient` crate, its MD4/HMAC-MD5 from RustCrypto. Two legs: the
//! Negotiate message, then the Authenticate message answering the proxy's challenge.

use base64::Engine as _;
use ntlmclient::{Flags, Message, NegotiateMessage};

use super::Handshake;
use crate::secret::Secret;

/// The client side of one NTLM handshake with explicit credentials.
pub(crate) struct Ntlm {
    creds: ntlmclient::Credentials,
    /// Whether the Authenticate message was sent (the handshake's last leg).
    answered: bool,
}

impl std::fmt::Debug for Ntlm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ntlm(***)")
    }
}

/// Flags of the Negotiate message: Unicode, NTLM, NTLMv2 session security, ask for the
/// target's name and information (which NTLMv2 answers include).
fn negotiate_flags() -> Flags {
    Flags::NEGOTIATE_UNICODE
        | Flags::REQUEST_TARGET
        | Flags::NEGOTIATE_NTLM
        | Flags::NEGOTIATE_ALWAYS_SIGN
        | Flags::NEGOTIATE_NTLM2_KEY
        | Flags::NEGOTIATE_TARGET_INFO
        | Flags::NEGOTIATE_128BIT
}

impl Ntlm {
    /// A handshake for `user` (`DOMAIN\user` or `user`) with `password`.
    pub(crate) fn new(user: &Secret, password: &Secret) -> Self {
        let (domain, username) = match user.expose().split_once('\\') {
            Some((domain, user)) => (domain.to_owned(), user.to_owned()),
            None => (String::new(), user.expose().to_owned()),
        };
        Ntlm {
            creds: ntlmclient::Credentials {
                username,
                password: password.expose().to_owned(),
                domain,
            },
            answered: false,
        }
    }

    /// The first leg: `NTLM <Negotiate message>`.
    pub(crate) fn negotiate(&self) -> Result<Secret, String> {
        let message = Message::Negotiate(NegotiateMessage {
            flags: negotiate_flags(),
            supplied_domain: String::new(),
            supplied_workstation: String::new(),
            os_version: Default::default(),
        });
        let bytes = message
            .to_bytes()
            .map_err(|_| "the NTLM Negotiate message could not be built".to_owned())?;
        Ok(Secret::new(format!(
            "NTLM {}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )))
    }

    /// The second leg: `NTLM <Authenticate message>` answering the proxy's challenge
    /// (base64, as the `Proxy-Authenticate: NTLM <challenge>` header carries it).
    pub(crate) fn authenticate(&self, challenge: &str) -> Result<Secret, String> {
        let bad = |what: &str| format!("sent an NTLM challenge that {what}");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(challenge.trim())
            .map_err(|_| bad("is not base64"))?;
        let (server_challenge, target_info) = match Message::try_from(bytes.as_slice()) {
            Ok(Message::Challenge(challenge)) => (
                challenge.challenge,
                challenge
                    .target_information
                    .iter()
                    .flat_map(|entry| entry.to_bytes())
                    .collect(),
            ),
            _ => fixed_fields(&bytes).ok_or_else(|| bad("is not an NTLM Challenge message"))?,
        };
        let response = ntlmclient::respond_challenge_ntlm_v2(
            server_challenge,
            &target_info,
            ntlmclient::get_ntlm_time(),
            &self.creds,
        );
        let flags = Flags::NEGOTIATE_UNICODE
            | Flags::NEGOTIATE_NTLM
            | Flags::NEGOTIATE_ALWAYS_SIGN
            | Flags::NEGOTIATE_NTLM2_KEY
            | Flags::NEGOTIATE_TARGET_INFO
            | Flags::NEGOTIATE_128BIT;
        let bytes = response
            .to_message(&self.creds, "", flags)
            .to_bytes()
            .map_err(|_| "the NTLM Authenticate message could not be built".to_owned())?;
        Ok(Secret::new(format!(
            "NTLM {}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )))
    }
}

impl Handshake for Ntlm {
    fn first(&mut self) -> Result<Secret, String> {
        self.answered = false;
        self.negotiate()
    }

    fn answer(&mut self, challenge: &str) -> Result<Option<Secret>, String> {
        if self.answered {
            return Ok(None);
        }
        self.answered = true;
        self.authenticate(challenge).map(Some)
    }
}

/// The fixed fields of a Challenge message the crate refuses as malformed: the server
/// challenge (bytes 24..32) and the target information when its buffer lies within the
/// message (else none). squid's `ntlm_fake_auth` sends a target name whose offset points
/// outside the message; curl answers it the same way.
fn fixed_fields(bytes: &[u8]) -> Option<([u8; 8], Vec<u8>)> {
    let u16_at = |at: usize| Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    if bytes.get(..8)? != b"NTLMSSP\0" || u32_at(8)? != 2 {
        return None;
    }
    let challenge: [u8; 8] = bytes.get(24..32)?.try_into().ok()?;
    let target_info = (|| {
        let len = usize::from(u16_at(40)?);
        let offset = usize::try_from(u32_at(44)?).ok()?;
        bytes
            .get(offset..offset.checked_add(len)?)
            .map(<[u8]>::to_vec)
    })()
    .unwrap_or_default();
    Some((challenge, target_info))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_challenge_with_a_bogus_target_name_is_still_answered() {
        // What squid 5's ntlm_fake_auth sends: the target name's offset is 0xaaaaaaae.
        let squid = "TlRMTVNTUAACAAAACQAJAK6qqqoGgggA5HgUEh3vxFIAAAAAAAA6AFdPUktHUk9VUA==";
        let ntlm = Ntlm::new(&Secret::new("CORP\\alice"), &Secret::new("pw"));
        let answer = ntlm.authenticate(squid).unwrap();
        assert!(answer.expose().starts_with("NTLM TlRMTVNTUAADAAAA"));
        assert!(ntlm.authenticate("bm90IG50bG0=").is_err());
        assert!(ntlm.authenticate("%%%").is_err());
        assert!(format!("{ntlm:?}").contains("***"));
    }
}
