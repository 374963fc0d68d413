//! The HTTP CONNECT tunnel through a proxy, answering its `407` on the same connection.
//!
//! [`Tunnel`] sits in the connector chain where ureq's CONNECT connector was: for a
//! destination decided to go through an `http://` or `https://` proxy it connects to the
//! proxy (TCP, then TLS for `https://`), sends `CONNECT host:port`, and when the proxy
//! answers `407` it answers with the scheme chosen (auth/): Basic once, NTLM in two
//! legs on the same kept-alive connection (each 407's body read and discarded), at
//! most 3 legs per scheme, all within the connection's deadline. A proxy that closes
//! the connection after a 407 gets a new one, starting again with the first leg.
//!
//! The proxy's answers are final: a refusal (407 after the last leg, 403, 502, ...) is
//! an error marked as answered, never sent again; only a connection that failed before
//! the proxy answered may be retried. Messages name the proxy (host:port), never a
//! credential, token or challenge.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::ClientConfig;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, Resolver};
use ureq::unversioned::transport::{
    ConnectionDetails, Connector, Either, NextTimeout, TcpConnector, Transport, time,
};

use super::answer::{Wire, is_reset};
use super::auth::{self, Handshake, Offer, Scheme, basic};
use super::decide::{Decider, Route};
use super::decision::ProxyAuth;
use super::url::ProxyUrl;
use crate::net::failure::{Cause, NetFailure};
use crate::net::tls::stream::TlsConnector;
use crate::secret::{Secret, scrub};

/// The most legs sent per scheme, and connections opened per tunnel.
const MAX_LEGS: u32 = 3;
/// The `User-Agent` of a CONNECT.
const USER_AGENT: &str = concat!("zoomlive/", env!("CARGO_PKG_VERSION"));

/// The connector opening CONNECT tunnels for the destinations decided so.
pub(crate) struct Tunnel {
    pub(crate) decider: Arc<Decider>,
    pub(crate) tls: Arc<ClientConfig>,
}

impl fmt::Debug for Tunnel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Tunnel")
    }
}

impl<In: Transport> Connector<In> for Tunnel {
    type Out = Either<In, Box<dyn Transport>>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if let Some(transport) = chained {
            return Ok(Some(Either::A(transport)));
        }
        let url = details.uri.to_string();
        let decided = match self.decider.known(&url) {
            Some(d) => d,
            None => self
                .decider
                .decide(&url)
                .map_err(|e| NetFailure::new(Cause::Proxy, e.to_string(), true).into_ureq())?,
        };
        let Route::Connect(proxy) = &decided.route else {
            return Ok(None);
        };
        let mut tunnel = Opening::new(details, proxy, &self.decider, &self.tls);
        tunnel.open().map(|t| Some(Either::B(t)))
    }
}

/// A tunnel being opened.
struct Opening<'a> {
    details: &'a ConnectionDetails<'a>,
    proxy: &'a ProxyUrl,
    tls: &'a Arc<ClientConfig>,
    mode: ProxyAuth,
    /// Explicit credentials, else the proxy URL's.
    credentials: Option<(Secret, Secret)>,
    /// `host:port` of the destination.
    target: String,
    started: Instant,
    budget: Option<Duration>,
    /// The schemes the proxy offered (for messages).
    offered: Vec<String>,
    /// The schemes tried (for messages).
    tried: Vec<&'static str>,
    /// Whether the proxy answered anything yet.
    answered: bool,
}

impl<'a> Opening<'a> {
    fn new(
        details: &'a ConnectionDetails<'a>,
        proxy: &'a ProxyUrl,
        decider: &Decider,
        tls: &'a Arc<ClientConfig>,
    ) -> Self {
        let settings = decider.settings();
        let credentials = match (&settings.user, &settings.password) {
            (Some(u), p) => Some((u.clone(), p.clone().unwrap_or_else(|| Secret::new("")))),
            (None, _) => proxy
                .user
                .clone()
                .map(|u| (u, proxy.password.clone().unwrap_or_else(|| Secret::new("")))),
        };
        let host = details.uri.host().unwrap_or_default();
        let port = details
            .uri
            .port_u16()
            .unwrap_or(if details.uri.scheme_str() == Some("http") {
                80
            } else {
                443
            });
        let budget = (!details.timeout.after.is_not_happening()).then(|| *details.timeout.after);
        Opening {
            details,
            proxy,
            tls,
            mode: settings.auth,
            credentials,
            target: format!("{host}:{port}"),
            started: Instant::now(),
            budget,
            offered: Vec::new(),
            tried: Vec::new(),
            answered: false,
        }
    }

    /// The time left, as ureq's transports take it.
    fn timeout(&self) -> Result<NextTimeout, ureq::Error> {
        let mut next = self.details.timeout;
        if let Some(budget) = self.budget {
            let left = budget.saturating_sub(self.started.elapsed());
            if left.is_zero() {
                return Err(ureq::Error::Timeout(next.reason));
            }
            next.after = time::Duration::Exact(left);
        }
        Ok(next)
    }

    fn failure(&self, cause: Cause, message: String) -> ureq::Error {
        NetFailure::new(cause, message, !self.answered).into_ureq()
    }

    /// The ProxyAuth failure: names the proxy, what it offered and what was tried.
    fn auth_failure(&self, what: &str) -> ureq::Error {
        let offered = if self.offered.is_empty() {
            "nothing".to_owned()
        } else {
            self.offered.join(", ")
        };
        let tried = if self.tried.is_empty() {
            "nothing".to_owned()
        } else {
            self.tried.join(", ")
        };
        self.failure(
            Cause::ProxyAuth,
            format!(
                "proxy {} {what} (it offers {offered}; tried {tried})",
                self.proxy.host_port()
            ),
        )
    }

    /// A connection to the proxy: resolved, TCP, then TLS for an `https://` proxy.
    fn connect(&self) -> Result<Box<dyn Transport>, ureq::Error> {
        let named = self.proxy.host_port();
        let uri: Uri = format!("{}://{named}", self.proxy.scheme)
            .parse()
            .map_err(|_| self.failure(Cause::Proxy, format!("proxy {named} is not a URL")))?;
        let timeout = self.timeout()?;
        let addrs = DefaultResolver::default()
            .resolve(&uri, self.details.config, timeout)
            .map_err(|e| match e {
                ureq::Error::Timeout(_) => e,
                _ => self.failure(
                    Cause::Dns,
                    format!("the proxy's name {} did not resolve ({e})", self.proxy.host),
                ),
            })?;
        let details = ConnectionDetails {
            uri: &uri,
            addrs,
            config: self.details.config,
            request_level: self.details.request_level,
            resolver: self.details.resolver,
            now: self.details.now,
            timeout,
            current_time: self.details.current_time.clone(),
            run_connector: self.details.run_connector.clone(),
            register_shutdown: self.details.register_shutdown.clone(),
        };
        let down = |e: ureq::Error| match e {
            ureq::Error::Timeout(_) => e,
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => self
                .failure(
                    Cause::Connect,
                    format!("proxy {named} refused the connection"),
                ),
            other => self.failure(
                Cause::Connect,
                format!("proxy {named} could not be reached ({other})"),
            ),
        };
        let tcp = Connector::<()>::connect(&TcpConnector::default(), &details, None)
            .map_err(down)?
            .ok_or_else(|| self.failure(Cause::Connect, format!("proxy {named}: no address")))?
            .boxed();
        if self.proxy.scheme != "https" {
            return Ok(tcp);
        }
        let tls = TlsConnector {
            config: self.tls.clone(),
        };
        Ok(
            Connector::<Box<dyn Transport>>::connect(&tls, &details, Some(tcp))?
                .ok_or_else(|| self.failure(Cause::Connect, format!("proxy {named}: no TLS")))?
                .boxed(),
        )
    }

    /// Opens the tunnel, answering 407s.
    fn open(&mut self) -> Result<Box<dyn Transport>, ureq::Error> {
        let mut conn = self.connect()?;
        let mut connections = 1;
        // The scheme being answered, the NTLM handshake, and the legs sent per scheme.
        let mut scheme: Option<Scheme> = None;
        // The NTLM or Negotiate handshake under way.
        let mut handshake: Option<Box<dyn Handshake>> = None;
        let mut legs = [0u32; 3];
        // Basic is sent up front when it is the one scheme allowed and credentials
        // are set (one round trip, as the proxy URL's credentials always were).
        let mut authorization: Option<Secret> = match (&self.credentials, self.mode) {
            (Some((user, password)), ProxyAuth::Basic) => {
                scheme = Some(Scheme::Basic);
                self.tried.push(Scheme::Basic.name());
                legs[2] = 1;
                Some(basic::authorization(user, password))
            }
            _ => None,
        };
        // Whether the current connection already carried a 407.
        let mut reused = false;
        loop {
            let sent = self.send_connect(&mut *conn, authorization.as_ref());
            let outcome = sent.and_then(|()| self.wire(&mut *conn, |w| w.read_head()));
            let closed = match &outcome {
                Ok(None) => true,
                Err(ureq::Error::Io(e)) => is_reset(e),
                _ => false,
            };
            // Closed silently after a 407 (an idle timeout, a proxy that answers one
            // request per connection): the leg again on a new connection, or NTLM's
            // first leg again (its handshake is bound to a connection).
            if closed && reused && connections < MAX_LEGS {
                connections += 1;
                reused = false;
                conn = self.connect()?;
                if let Some(s @ (Scheme::Ntlm | Scheme::Negotiate)) = scheme {
                    authorization = Some(self.first_leg(s, &mut handshake)?);
                }
                continue;
            }
            let head = match outcome {
                Ok(Some(head)) => head,
                Ok(None) => {
                    return Err(self.failure(
                        Cause::Proxy,
                        format!(
                            "proxy {} closed the connection without answering the CONNECT",
                            self.proxy.host_port()
                        ),
                    ));
                }
                Err(e) => return Err(e),
            };
            self.answered = true;
            reused = true;
            crate::trace::record(|| {
                let leg = match scheme {
                    Some(s) => {
                        let sent = legs[match s {
                            Scheme::Negotiate => 0,
                            Scheme::Ntlm => 1,
                            _ => 2,
                        }];
                        format!(" scheme={} leg={sent}", s.name())
                    }
                    None => String::new(),
                };
                let offers: Vec<String> =
                    auth::offers(head.authenticate.iter().map(String::as_str))
                        .into_iter()
                        .map(|o| crate::trace::event::printable(&o.name))
                        .collect();
                let offered = if head.status == 407 {
                    format!(" offers={}", offers.join(","))
                } else {
                    String::new()
                };
                crate::trace::event::Event::Tunnel(format!(
                    "CONNECT {} via {}{leg} -> {}{offered}",
                    self.target,
                    self.proxy.host_port(),
                    head.status
                ))
            });
            match head.status {
                200..=299 => return Ok(conn),
                407 => {}
                status => {
                    // A reason phrase echoing the request shows no credential or token.
                    let mut sent: Vec<String> = Vec::new();
                    if let Some(value) = &authorization {
                        sent.push(value.expose().to_owned());
                        sent.extend(value.expose().split_once(' ').map(|(_, t)| t.to_owned()));
                    }
                    if let Some((user, password)) = &self.credentials {
                        sent.push(user.expose().to_owned());
                        sent.push(password.expose().to_owned());
                    }
                    return Err(self.failure(
                        Cause::Proxy,
                        format!(
                            "proxy {} refused the tunnel to {}: HTTP {status} {}",
                            self.proxy.host_port(),
                            self.target,
                            scrub(&head.reason, &sent)
                        ),
                    ));
                }
            }
            let offers = auth::offers(head.authenticate.iter().map(String::as_str));
            for o in &offers {
                if !self.offered.iter().any(|n| n.eq_ignore_ascii_case(&o.name)) {
                    self.offered.push(o.name.clone());
                }
            }
            let reusable = !head.close && self.wire(&mut *conn, |w| w.drain(&head))?;
            // What to send next on this connection (or on a new one).
            let next = match scheme {
                None => {
                    let Some(chosen) = auth::choose(&offers, self.mode, self.credentials.is_some())
                    else {
                        return Err(self.auth_failure(&self.why_nothing()));
                    };
                    scheme = Some(chosen);
                    self.tried.push(chosen.name());
                    self.first_leg(chosen, &mut handshake)?
                }
                Some(s @ (Scheme::Ntlm | Scheme::Negotiate)) if reusable && handshake.is_some() => {
                    let refused =
                        || self.auth_failure(&format!("refused the {} credentials", s.name()));
                    let Some(challenge) = challenge(&offers, s) else {
                        return Err(refused());
                    };
                    match handshake.as_mut().map(|h| h.answer(challenge)) {
                        Some(Ok(Some(next))) => next,
                        Some(Err(why)) => return Err(self.auth_failure(&why)),
                        _ => return Err(refused()),
                    }
                }
                Some(s @ (Scheme::Ntlm | Scheme::Negotiate)) if handshake.is_some() => {
                    // Closed after a 407: start again on a new connection.
                    self.first_leg(s, &mut handshake)?
                }
                Some(s) => {
                    return Err(self.auth_failure(&format!("refused the {} credentials", s.name())));
                }
            };
            let index = match scheme {
                Some(Scheme::Negotiate) => 0,
                Some(Scheme::Ntlm) => 1,
                _ => 2,
            };
            legs[index] += 1;
            if legs[index] > MAX_LEGS {
                return Err(self.auth_failure("kept asking for more (3 legs sent)"));
            }
            authorization = Some(next);
            if !reusable {
                if connections >= MAX_LEGS {
                    return Err(self.auth_failure("closed every connection it answered 407 on"));
                }
                connections += 1;
                reused = false;
                conn = self.connect()?;
            }
        }
    }

    /// Why no scheme could be chosen, for the ProxyAuth message.
    fn why_nothing(&self) -> String {
        match (self.mode, &self.credentials) {
            (ProxyAuth::None, _) => "asks for credentials and proxy_auth is none".to_owned(),
            (ProxyAuth::Negotiate, _) => {
                "asks for credentials, and Negotiate needs Windows (SSPI)".to_owned()
            }
            (_, None) => "asks for credentials and none are set (proxy_credentials, or \
                          user:password in the proxy URL)"
                .to_owned(),
            (mode, Some(_)) => format!(
                "asks for credentials in no scheme proxy_auth {} can answer",
                mode.as_str()
            ),
        }
    }

    /// The first leg of `scheme` (a new handshake for NTLM and Negotiate).
    fn first_leg(
        &self,
        scheme: Scheme,
        handshake: &mut Option<Box<dyn Handshake>>,
    ) -> Result<Secret, ureq::Error> {
        let explicit = self.credentials.as_ref().map(|(u, p)| (u, p));
        match scheme {
            Scheme::Basic => match explicit {
                Some((user, password)) => Ok(basic::authorization(user, password)),
                None => Err(self.auth_failure(&self.why_nothing())),
            },
            Scheme::Ntlm | Scheme::Negotiate => {
                let mut started = auth::handshake(scheme, &self.proxy.host, explicit)
                    .map_err(|why| self.auth_failure(&why))?;
                let first = started.first().map_err(|why| self.auth_failure(&why))?;
                *handshake = Some(started);
                Ok(first)
            }
        }
    }

    fn send_connect(
        &self,
        conn: &mut dyn Transport,
        authorization: Option<&Secret>,
    ) -> Result<(), ureq::Error> {
        let mut request = format!(
            "CONNECT {t} HTTP/1.1\r\nHost: {t}\r\nUser-Agent: {USER_AGENT}\r\n\
             Proxy-Connection: Keep-Alive\r\n",
            t = self.target
        );
        if let Some(value) = authorization {
            request.push_str("Proxy-Authorization: ");
            request.push_str(value.expose());
            request.push_str("\r\n");
        }
        request.push_str("\r\n");
        self.wire(conn, |wire| wire.send(request.as_bytes()))
    }

    /// Runs `read` on the connection with this tunnel's deadline and failures.
    fn wire<T>(
        &self,
        conn: &mut dyn Transport,
        read: impl FnOnce(&mut Wire<'_>) -> Result<T, ureq::Error>,
    ) -> Result<T, ureq::Error> {
        let named = self.proxy.host_port();
        let timeout = || self.timeout();
        let fail = |what: String| self.failure(Cause::Proxy, format!("proxy {named} {what}"));
        read(&mut Wire {
            conn,
            timeout: &timeout,
            fail: &fail,
        })
    }
}

/// The challenge of `scheme` among the offers.
fn challenge(offers: &[Offer], scheme: Scheme) -> Option<&str> {
    offers
        .iter()
        .find(|o| o.scheme() == Some(scheme))
        .and_then(|o| o.token.as_deref())
}
