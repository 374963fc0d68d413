//! The TLS configuration every client of a process shares: the operating system's
//! trust store, loaded once (lazily, at the first certificate check); one rustls
//! configuration per set of extra CAs, kept for the process; and one TLS session cache,
//! so a client that connects to a host some client of the process already talked to
//! resumes the session.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rustls::client::{ClientSessionMemoryCache, Resumption};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

use crate::error::{Error, Result};

/// How many times this process read the operating system's trust store (at most once).
static OS_STORE_LOADS: AtomicUsize = AtomicUsize::new(0);

/// TLS sessions remembered for resumption, per server name, for the whole process.
const SESSIONS_KEPT: usize = 256;
/// Configurations with extra CAs kept for the process (the C handle rebuilds its client
/// on every setter: the same PEM gets the same configuration back).
const EXTRA_CONFIGS_KEPT: usize = 8;

/// How many times the operating system's trust store was read by this process: 0 before
/// the first client needed it, 1 ever after.
#[doc(hidden)]
pub fn os_trust_store_loads() -> usize {
    OS_STORE_LOADS.load(Ordering::Relaxed)
}

pub(crate) fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| {
            CryptoProvider::get_default()
                .cloned()
                .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()))
        })
        .clone()
}

fn sessions() -> Arc<ClientSessionMemoryCache> {
    static SESSIONS: OnceLock<Arc<ClientSessionMemoryCache>> = OnceLock::new();
    SESSIONS
        .get_or_init(|| Arc::new(ClientSessionMemoryCache::new(SESSIONS_KEPT)))
        .clone()
}

/// The operating system's trusted roots, read on first use and kept for the process
/// (certificates the store cannot provide are skipped, as the platform verifier does).
fn os_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        OS_STORE_LOADS.fetch_add(1, Ordering::Relaxed);
        rustls_native_certs::load_native_certs().certs
    })
}

/// A configuration around `verifier`-building `builder`, with the shared session cache.
fn finish(config: ClientConfig) -> Arc<ClientConfig> {
    let mut config = config;
    config.resumption = Resumption::store(sessions());
    Arc::new(config)
}

fn builder() -> rustls::ConfigBuilder<ClientConfig, rustls::WantsVerifier> {
    ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports TLS 1.2 and 1.3")
}

/// A configuration trusting the OS store and `extra` (DER certificates). The OS store is
/// read at the first certificate check, and with extra CAs only when they do not vouch
/// for the server (roots.rs).
fn with_roots(extra: &[CertificateDer<'static>]) -> Result<Arc<ClientConfig>> {
    let mut store = RootCertStore::empty();
    let (added, _) = store.add_parsable_certificates(extra.iter().cloned());
    if !extra.is_empty() && added == 0 {
        return Err(Error::input(
            "extra_ca_pem",
            "holds no certificate usable as a CA",
        ));
    }
    let verifier = super::roots::LazyRoots::new(store, extra.to_vec(), os_roots, provider())
        .map_err(|e| Error::input("extra_ca_pem", format!("holds no usable CA: {e}")))?;
    Ok(finish(
        builder()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth(),
    ))
}

/// The configuration without extra CAs, built once per process: on Windows and Apple
/// systems the platform's verifier (which asks the OS, loading nothing), elsewhere the
/// OS store read once.
fn default_config() -> Result<Arc<ClientConfig>> {
    static DEFAULT: OnceLock<Arc<ClientConfig>> = OnceLock::new();
    if let Some(config) = DEFAULT.get() {
        return Ok(config.clone());
    }
    #[cfg(any(windows, target_vendor = "apple"))]
    let config = {
        let verifier = rustls_platform_verifier::Verifier::new(provider()).map_err(|e| {
            Error::transport(
                crate::error::TransportKind::Tls,
                format!("the platform's certificate verifier is unavailable: {e}"),
            )
        })?;
        finish(
            builder()
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth(),
        )
    };
    #[cfg(not(any(windows, target_vendor = "apple")))]
    let config = with_roots(&[])?;
    Ok(DEFAULT.get_or_init(|| config).clone())
}

/// The TLS configuration for a client: the process's default, or the OS store plus the
/// CA certificates of `extra_pem` (checked: valid PEM with at least one certificate).
pub(crate) fn client_config(extra_pem: Option<&[u8]>) -> Result<Arc<ClientConfig>> {
    let Some(pem) = extra_pem else {
        return default_config();
    };
    static EXTRA: Mutex<Vec<(Vec<u8>, Arc<ClientConfig>)>> = Mutex::new(Vec::new());
    if let Some((_, config)) = EXTRA
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(p, _)| p == pem)
    {
        return Ok(config.clone());
    }
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => {
                certs.push(CertificateDer::from(cert.der().to_vec()));
            }
            Ok(_) => {}
            Err(e) => {
                return Err(Error::input(
                    "extra_ca_pem",
                    format!("is not valid PEM: {e}"),
                ));
            }
        }
    }
    if certs.is_empty() {
        return Err(Error::input("extra_ca_pem", "holds no CERTIFICATE block"));
    }
    let config = with_roots(&certs)?;
    let mut kept = EXTRA.lock().unwrap_or_else(PoisonError::into_inner);
    if kept.len() >= EXTRA_CONFIGS_KEPT {
        kept.remove(0);
    }
    kept.push((pem.to_vec(), config.clone()));
    Ok(config)
}
