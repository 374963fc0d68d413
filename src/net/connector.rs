//! The connector chain every client's agent uses: the connection pre-opened during a
//! token fetch, SOCKS proxies, HTTP CONNECT tunnels (ours, answering 407s), TCP, then
//! TLS for `https` URLs; and the two small links that time a new connection for the
//! call's trace.

use std::fmt;
use std::sync::Arc;

use rustls::ClientConfig;
use ureq::unversioned::transport::{
    ConnectionDetails, Connector, SocksConnector, TcpConnector, Transport,
};

use super::preconnect::Preopen;
use super::proxy::decide::Decider;
use super::proxy::tunnel::Tunnel;
use super::tls::stream::TlsConnector;
use crate::trace::event::Event;
use crate::trace::{self, recorder};

/// The connector chain of every client: a CONNECT tunnel where `decider` says so (or
/// SOCKS, configured on the agent), TCP, then TLS with `config` for `https` URLs.
pub(crate) fn connector(
    config: Arc<ClientConfig>,
    decider: Arc<Decider>,
) -> impl Connector<(), Out = impl Transport> + 'static {
    ().chain(ConnectStarts)
        // The API connection opened while the OAuth token was fetched (preconnect.rs).
        .chain(Preopen {
            config: config.clone(),
        })
        // SOCKS proxies (socks4/4a/5/5h; set on the agent by the builder).
        .chain(SocksConnector::default())
        // HTTP CONNECT proxies, with their authentication (proxy/tunnel.rs).
        .chain(Tunnel {
            decider,
            tls: config.clone(),
        })
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
