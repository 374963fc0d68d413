//! The TLS layer of a connection: wraps a socket in rustls with a shared configuration
//! (config.rs), runs the handshake leaving its last flight queued, and sends that end
//! of the handshake with each request (head and body) in one TLS record and one write.

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::Arc;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
    TransportAdapter,
};

use crate::trace::event::{Event, TlsSession};
use crate::trace::{self, cert, recorder};

/// Records the TLS session of a connection just set up: protocol, cipher suite,
/// resumption, who vouched for the server (`verifier`), and its certificate's names.
pub(crate) fn trace_session(conn: &ClientConnection, verifier: Option<&'static str>) {
    if !recorder::active() {
        return;
    }
    let resumed = matches!(conn.handshake_kind(), Some(rustls::HandshakeKind::Resumed));
    let names = conn
        .peer_certificates()
        .and_then(|certs| certs.first())
        .and_then(|leaf| cert::subject_and_issuer(leaf));
    let (subject, issuer) = names.unwrap_or_else(|| ("?".into(), "?".into()));
    trace::record(|| {
        Event::Tls(Box::new(TlsSession {
            version: conn
                .protocol_version()
                .map_or("?".into(), |v| format!("{v:?}").replace("_", ".")),
            suite: conn
                .negotiated_cipher_suite()
                .map_or("?".into(), |s| format!("{:?}", s.suite())),
            resumed,
            verifier: verifier.unwrap_or(if resumed { "session" } else { "os" }),
            subject,
            issuer,
        }))
    });
}

/// Plaintext held back before it is sealed and sent anyway (bounds memory per request).
const PENDING_LIMIT: usize = 64 * 1024;

/// Wraps a connection in TLS with a shared configuration.
pub(crate) struct TlsConnector {
    pub(crate) config: Arc<ClientConfig>,
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
        trace_session(&conn, recorder::take_verifier());
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
    pub(crate) fn new(
        details: &ConnectionDetails,
        conn: ClientConnection,
        sock: TransportAdapter,
    ) -> Self {
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
