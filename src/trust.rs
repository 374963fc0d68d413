//! The TLS side every client of a process shares: the operating system's trust store,
//! loaded once (lazily, on the first client that needs it); one rustls configuration
//! per set of extra CAs, kept for the process; one TLS session cache, so a client that
//! connects to a host some client of the process already talked to resumes the session;
//! and the connector that sends the end of the handshake and each request (head and
//! body) in one TLS record and one write.

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rustls::client::{ClientSessionMemoryCache, Resumption};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore};
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout,
    SocksConnector, TcpConnector, Transport, TransportAdapter,
};

use crate::error::{Error, Result};

/// How many times this process read the operating system's trust store (at most once).
static OS_STORE_LOADS: AtomicUsize = AtomicUsize::new(0);

/// TLS sessions remembered for resumption, per server name, for the whole process.
const SESSIONS_KEPT: usize = 256;
/// Configurations with extra CAs kept for the process (the C handle rebuilds its client
/// on every setter: the same PEM gets the same configuration back).
const EXTRA_CONFIGS_KEPT: usize = 8;
/// Plaintext held back before it is sealed and sent anyway (bounds memory per request).
const PENDING_LIMIT: usize = 64 * 1024;

/// How many times the operating system's trust store was read by this process: 0 before
/// the first client needed it, 1 ever after.
#[doc(hidden)]
pub fn os_trust_store_loads() -> usize {
    OS_STORE_LOADS.load(Ordering::Relaxed)
}

fn provider() -> Arc<CryptoProvider> {
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
/// for the server (src/lazy_roots.rs).
fn with_roots(extra: &[CertificateDer<'static>]) -> Result<Arc<ClientConfig>> {
    let mut store = RootCertStore::empty();
    let (added, _) = store.add_parsable_certificates(extra.iter().cloned());
    if !extra.is_empty() && added == 0 {
        return Err(Error::input(
            "extra_ca_pem",
            "holds no certificate usable as a CA",
        ));
    }
    let verifier = crate::lazy_roots::LazyRoots::new(store, extra.to_vec(), os_roots, provider())
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
        let verifier =
            rustls_platform_verifier::Verifier::new(provider()).map_err(|e| Error::Transport {
                kind: crate::error::TransportKind::Tls,
                message: format!("the platform's certificate verifier is unavailable: {e}"),
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

/// The connector chain of every client: an HTTP CONNECT proxy when configured, TCP,
/// then TLS with `config` for `https` URLs.
pub(crate) fn connector(
    config: Arc<ClientConfig>,
) -> impl Connector<(), Out = impl Transport> + 'static {
    ()
        // The API connection opened while the OAuth token was fetched (src/preconnect.rs).
        .chain(Preopen {
            config: config.clone(),
        })
        // SOCKS proxies (socks4/4a/5/5h in the environment; src/proxy.rs).
        .chain(SocksConnector::default())
        .chain(ConnectProxyConnector::default())
        .chain(TcpConnector::default())
        .chain(TlsConnector { config })
}

/// Hands out the connection pre-opened for the request's host (src/preconnect.rs), if
/// any; the rest of the chain then passes it through.
struct Preopen {
    config: Arc<ClientConfig>,
}

impl fmt::Debug for Preopen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Preopen")
    }
}

impl Connector<()> for Preopen {
    type Out = Either<(), TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        _: Option<()>,
    ) -> std::result::Result<Option<Self::Out>, ureq::Error> {
        let uri = &details.uri;
        let Some(host) = uri.host() else {
            return Ok(None);
        };
        if !details.needs_tls() || details.config.proxy().is_some() {
            return Ok(None);
        }
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let port = uri.port_u16().unwrap_or(443);
        let wait = *details.timeout.after;
        let Some(found) = crate::preconnect::take(host, port, &self.config, wait) else {
            return Ok(None);
        };
        let tcp = crate::preconnect::PlainTcp::new(
            found.stream,
            LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
        );
        let mut sock = TransportAdapter::new(tcp.boxed(), details.current_time.clone());
        sock.set_timeout(details.timeout);
        Ok(Some(Either::B(TlsTransport::new(
            details, found.conn, sock,
        ))))
    }
}

/// Wraps a connection in TLS with a shared configuration.
pub(crate) struct TlsConnector {
    config: Arc<ClientConfig>,
}

impl fmt::Debug for TlsConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TlsConnector")
    }
}

/// A rustls error as ureq reports handshake failures: an I/O error carrying it (which
/// `transport::classify` recognises as a TLS failure).
fn tls_error(e: rustls::Error) -> ureq::Error {
    ureq::Error::Io(io::Error::new(io::ErrorKind::InvalidData, e))
}

impl<In: Transport> Connector<In> for TlsConnector {
    type Out = Either<In, TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> std::result::Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }
        let host = details
            .uri
            .host()
            .ok_or(ureq::Error::Tls("the URL has no host"))?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let name = ServerName::try_from(host)
            .map_err(|_| ureq::Error::Tls("the host is not a valid TLS server name"))?
            .to_owned();
        let mut conn = ClientConnection::new(self.config.clone(), name)?;
        let mut sock = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        sock.set_timeout(details.timeout);
        handshake(&mut conn, &mut sock)?;
        Ok(Some(Either::B(TlsTransport::new(details, conn, sock))))
    }
}

/// Sends everything rustls has sealed in one write.
fn send_sealed(conn: &mut ClientConnection, sock: &mut impl Write) -> io::Result<()> {
    let mut out = Vec::new();
    // Each round moves at least one byte out of rustls' buffer, so this ends.
    while conn.wants_write() {
        if conn.write_tls(&mut out)? == 0 {
            break;
        }
    }
    if !out.is_empty() {
        sock.write_all(&out)?;
    }
    Ok(())
}

/// Runs the handshake until application data may be sent, leaving the client's last
/// handshake flight (TLS 1.3's Finished) queued so it leaves with the first request.
pub(crate) fn handshake(
    conn: &mut ClientConnection,
    sock: &mut (impl Read + Write),
) -> std::result::Result<(), ureq::Error> {
    // Every round sends or reads at least one byte (a read of 0 bytes ends it), and the
    // transport's timeout bounds each read.
    while conn.is_handshaking() {
        if conn.wants_write() {
            send_sealed(conn, sock)?;
        }
        if !conn.is_handshaking() {
            break;
        }
        if conn.read_tls(sock)? == 0 {
            return Err(ureq::Error::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection during the TLS handshake",
            )));
        }
        if let Err(e) = conn.process_new_packets() {
            // Tell the server why (the alert rustls queued), then report it.
            let _ = send_sealed(conn, sock);
            return Err(tls_error(e));
        }
    }
    Ok(())
}

/// A TLS connection that holds a request back until its answer is awaited, then seals
/// it (with any handshake bytes still queued) and sends it in one write.
pub(crate) struct TlsTransport {
    buffers: LazyBuffers,
    conn: ClientConnection,
    sock: TransportAdapter,
    pending: Vec<u8>,
}

impl TlsTransport {
    fn new(details: &ConnectionDetails, conn: ClientConnection, sock: TransportAdapter) -> Self {
        TlsTransport {
            buffers: LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
            conn,
            sock,
            pending: Vec::new(),
        }
    }

    fn flush_pending(&mut self, timeout: NextTimeout) -> io::Result<()> {
        self.sock.set_timeout(timeout);
        if !self.pending.is_empty() {
            self.conn.writer().write_all(&self.pending)?;
            self.pending.clear();
        }
        send_sealed(&mut self.conn, &mut self.sock)
    }
}

impl Transport for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(
        &mut self,
        amount: usize,
        timeout: NextTimeout,
    ) -> std::result::Result<(), ureq::Error> {
        let output = &self.buffers.output()[..amount];
        self.pending.extend_from_slice(output);
        if self.pending.len() >= PENDING_LIMIT {
            self.flush_pending(timeout)?;
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> std::result::Result<bool, ureq::Error> {
        self.flush_pending(timeout)?;
        let input = self.buffers.input_append_buf();
        let amount = rustls::Stream::new(&mut self.conn, &mut self.sock).read(input)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.sock.get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}

impl fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TlsTransport")
    }
}
