//! The connector chain every client's agent uses: the connection pre-opened during a
//! token fetch, SOCKS or HTTP CONNECT proxies, TCP, then TLS for `https` URLs.

use std::sync::Arc;

use rustls::ClientConfig;
use ureq::unversioned::transport::{
    ConnectProxyConnector, Connector, SocksConnector, TcpConnector, Transport,
};

use super::preconnect::Preopen;
use super::tls::stream::TlsConnector;

/// The connector chain of every client: an HTTP CONNECT proxy when configured, TCP,
/// then TLS with `config` for `https` URLs.
pub(crate) fn connector(
    config: Arc<ClientConfig>,
) -> impl Connector<(), Out = impl Transport> + 'static {
    ()
        // The API connection opened while the OAuth token was fetched (preconnect.rs).
        .chain(Preopen {
            config: config.clone(),
        })
        // SOCKS proxies (socks4/4a/5/5h in the environment; proxy.rs).
        .chain(SocksConnector::default())
        .chain(ConnectProxyConnector::default())
        .chain(TcpConnector::default())
        .chain(TlsConnector { config })
}
