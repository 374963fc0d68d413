//! The connector chain every client's agent uses: the connection pre-opened during a
//! token fetch, SOCKS or HTTP CONNECT proxies, TCP, then TLS for `https` URLs; and the
//! two small links that time a new connection for the call's trace.

use std::fmt;
use std::sync::Arc;

use rustls::ClientConfig;
use ureq::unversioned::transport::{
    ConnectProxyConnector, ConnectionDetails, Connector, SocksConnector, TcpConnector, Transport,
};

use super::preconnect::Preopen;
use super::tls::stream::TlsConnector;
use crate::trace::event::Event;
use crate::trace::{self, recorder};

/// The connector chain of every client: an HTTP CONNECT proxy when configured, TCP,
/// then TLS with `config` for `https` URLs.
pub(crate) fn connector(
    config: Arc<ClientConfig>,
) -> impl Connector<(), Out = impl Transport> + 'static {
    ().chain(ConnectStarts)
        // The API connection opened while the OAuth token was fetched (preconnect.rs).
        .chain(Preopen {
            config: config.clone(),
        })
        // SOCKS proxies (socks4/4a/5/5h in the environment; proxy.rs).
        .chain(SocksConnector::default())
        .chain(ConnectProxyConnector::default())
        .chain(TcpConnector::default())
        .chain(Connected)
        .chain(TlsConnector { config })
}

/// Notes when a new connection starts (for the trace's TCP time).
#[derive(Debug)]
struct ConnectStarts;

impl Connector<()> for ConnectStarts {
    type Out = ();

    fn connect(
        &self,
        _: &ConnectionDetails,
        _: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        recorder::mark_connect();
        Ok(None)
    }
}

/// Records a new TCP connection (not the pre-opened one, already in TLS) in the trace.
struct Connected;

impl fmt::Debug for Connected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Connected")
    }
}

impl<In: Transport> Connector<In> for Connected {
    type Out = In;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if let Some(transport) = &chained
            && !transport.is_tls()
        {
            let took = recorder::since_connect_mark();
            let addr = details.addrs.first().copied();
            trace::record(|| Event::Connect { addr, took });
        }
        Ok(chained)
    }
}
