//! The connector chain every client's agent uses: the connection pre-opened during a
//! token fetch, SOCKS proxies, HTTP CONNECT tunnels (ours, answering 407s), TCP, then
//! TLS for `https` URLs.

use std::sync::Arc;

use rustls::ClientConfig;
use ureq::unversioned::transport::{Connector, SocksConnector, TcpConnector, Transport};

use super::preconnect::Preopen;
use super::proxy::decide::Decider;
use super::proxy::tunnel::Tunnel;
use super::tls::stream::TlsConnector;

/// The connector chain of every client: a CONNECT tunnel where `decider` says so (or
/// SOCKS, configured on the agent), TCP, then TLS with `config` for `https` URLs.
pub(crate) fn connector(
    config: Arc<ClientConfig>,
    decider: Arc<Decider>,
) -> impl Connector<(), Out = impl Transport> + 'static {
    ()
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
        .chain(TlsConnector { config })
}
