//! Certificate checks that read the operating system's trust store only when needed:
//! at the first check (not when a client is built: the C handle builds one before its
//! setters give it an extra CA), and, for a client with extra CAs, only when they alone
//! do not vouch for the server.
//!
//! A client given an extra CA (a corporate TLS-inspecting proxy's) trusts that CA and
//! the OS store. Behind such a proxy every server certificate comes from the extra CA,
//! so reading and parsing the OS store (a few milliseconds for ~300 certificates, a
//! large share of a one-shot call) is wasted. The answer is the same as with one store
//! holding both: a chain the extra CAs vouch for is one the union vouches for, and when
//! they do not, the union decides (its error is the one reported).

use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// Checks against the extra CAs (if any), then (loaded on first need) the extra CAs and
/// the OS store.
#[derive(Debug)]
pub(crate) struct LazyRoots {
    extra: Option<Arc<WebPkiServerVerifier>>,
    certs: Vec<CertificateDer<'static>>,
    os_roots: fn() -> &'static [CertificateDer<'static>],
    provider: Arc<CryptoProvider>,
    union: OnceLock<Arc<WebPkiServerVerifier>>,
}

impl LazyRoots {
    /// `extra`: the parsed extra CAs (`certs`), possibly none.
    pub(crate) fn new(
        extra: RootCertStore,
        certs: Vec<CertificateDer<'static>>,
        os_roots: fn() -> &'static [CertificateDer<'static>],
        provider: Arc<CryptoProvider>,
    ) -> Result<Self, rustls::client::VerifierBuilderError> {
        let verifier = if extra.is_empty() {
            None
        } else {
            Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(extra), provider.clone())
                    .build()?,
            )
        };
        Ok(LazyRoots {
            extra: verifier,
            certs,
            os_roots,
            provider,
            union: OnceLock::new(),
        })
    }

    /// The verifier with the extra CAs and the OS store (read on first use).
    fn union(&self) -> Result<&Arc<WebPkiServerVerifier>, rustls::Error> {
        if let Some(v) = self.union.get() {
            return Ok(v);
        }
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(self.certs.iter().cloned());
        store.add_parsable_certificates((self.os_roots)().iter().cloned());
        // No root at all (an empty OS store): nothing can vouch for the server.
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(store), self.provider.clone())
                .build()
                .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))?;
        Ok(self.union.get_or_init(|| verifier))
    }
}

impl ServerCertVerifier for LazyRoots {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let first = self.extra.as_ref().map(|extra| {
            extra.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        });
        match first {
            Some(Ok(verified)) => {
                crate::trace::recorder::set_verifier("extra-ca");
                Ok(verified)
            }
            _ => {
                crate::trace::recorder::set_verifier(if self.extra.is_some() {
                    "os+extra-ca"
                } else {
                    "os"
                });
                self.union()?.verify_server_cert(
                    end_entity,
                    intermediates,
                    server_name,
                    ocsp_response,
                    now,
                )
            }
        }
    }

    // Signatures do not depend on the roots: checked with the provider's algorithms.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
