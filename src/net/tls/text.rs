//! TLS failures as sentences ("certificate expired"), not rustls's `Debug` dumps.

use rustls::{AlertDescription, CertificateError, PeerIncompatible};

/// The sentence for a ureq error that is (or carries) a rustls error, else `None`.
pub(crate) fn describe(err: &ureq::Error) -> Option<String> {
    let tls = match err {
        ureq::Error::Rustls(e) => Some(e),
        ureq::Error::Io(io) => io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()),
        _ => None,
    }?;
    Some(format!("TLS handshake failed: {}", sentence(tls)))
}

/// What went wrong, in words.
pub(crate) fn sentence(err: &rustls::Error) -> String {
    use rustls::Error as E;
    match err {
        E::InvalidCertificate(cert) => certificate(cert).to_owned(),
        E::NoCertificatesPresented => "the server sent no certificate".to_owned(),
        E::PeerIncompatible(
            PeerIncompatible::ServerDoesNotSupportTls12Or13
            | PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig
            | PeerIncompatible::Tls12NotOffered
            | PeerIncompatible::Tls12NotOfferedOrEnabled
            | PeerIncompatible::SupportedVersionsExtensionRequired,
        )
        | E::AlertReceived(AlertDescription::ProtocolVersion) => {
            "server offers only TLS 1.0/1.1 (TLS 1.2 or later is required)".to_owned()
        }
        E::PeerIncompatible(_) | E::AlertReceived(AlertDescription::HandshakeFailure) => {
            "the server offers no protocol version, cipher suite or key exchange this client \
             accepts (TLS 1.2 or 1.3 with modern ciphers is required)"
                .to_owned()
        }
        E::AlertReceived(
            AlertDescription::BadCertificate | AlertDescription::CertificateRequired,
        ) => "the server wants a client certificate, which zoomlive does not send".to_owned(),
        E::AlertReceived(alert) => {
            format!("the server ended the handshake with the TLS alert \"{alert:?}\"")
        }
        E::InvalidMessage(_) | E::InappropriateMessage { .. } | E::PeerSentOversizedRecord => {
            "the server did not answer in TLS (is it an http:// port, or a proxy \
             intercepting the connection?)"
                .to_owned()
        }
        E::InappropriateHandshakeMessage { .. } | E::PeerMisbehaved(_) => {
            "the server broke the TLS protocol during the handshake".to_owned()
        }
        E::DecryptError => "the TLS connection could not be decrypted".to_owned(),
        E::FailedToGetCurrentTime => "this machine's clock could not be read".to_owned(),
        _ => "the TLS connection failed".to_owned(),
    }
}

/// Why a certificate was refused.
fn certificate(err: &CertificateError) -> &'static str {
    use CertificateError as C;
    match err {
        C::UnknownIssuer => {
            "certificate is not trusted: self-signed, or issued by an authority this machine \
             does not trust (a TLS-inspecting proxy's CA can be added with extra_ca_pem or \
             extra_ca_file)"
        }
        C::BadSignature
        | C::UnsupportedSignatureAlgorithmContext { .. }
        | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            "certificate is not trusted: its signature is invalid or uses an algorithm that \
             is not accepted"
        }
        C::Expired | C::ExpiredContext { .. } => "certificate expired",
        C::NotValidYet | C::NotValidYetContext { .. } => {
            "certificate is not valid yet (is this machine's clock right?)"
        }
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            "certificate is for another host name"
        }
        C::Revoked => "certificate was revoked",
        C::UnknownRevocationStatus
        | C::ExpiredRevocationList
        | C::ExpiredRevocationListContext { .. } => "certificate's revocation status is unknown",
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
            "certificate is not meant for a TLS server"
        }
        C::BadEncoding | C::UnhandledCriticalExtension => {
            "certificate is malformed or uses an unsupported critical extension"
        }
        C::ApplicationVerificationFailure | C::Other(_) => {
            "certificate was refused by the system's certificate verifier"
        }
        _ => "certificate is not trusted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_have_no_debug_dumps() {
        let errors = [
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
            rustls::Error::InvalidCertificate(CertificateError::Expired),
            rustls::Error::InvalidCertificate(CertificateError::NotValidForName),
            rustls::Error::PeerIncompatible(PeerIncompatible::ServerDoesNotSupportTls12Or13),
            rustls::Error::AlertReceived(AlertDescription::ProtocolVersion),
            rustls::Error::AlertReceived(AlertDescription::UnknownCA),
            rustls::Error::General("x".to_owned()),
        ];
        for e in errors {
            let s = sentence(&e);
            assert!(!s.contains('{') && !s.contains("Context"), "{s}");
        }
        let io = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::Expired),
        );
        assert_eq!(
            describe(&ureq::Error::Io(io)).unwrap(),
            "TLS handshake failed: certificate expired"
        );
        assert_eq!(describe(&ureq::Error::HostNotFound), None);
    }
}
