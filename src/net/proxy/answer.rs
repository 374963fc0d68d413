//! A proxy's answer to a CONNECT, read off the connection ([`Wire`]): the request
//! written, the answer's head (status, reason, `Proxy-Authenticate`, framing), and a
//! 407's body drained (by length or chunks) so the connection can carry the next leg.
//! Never more is read than the answer: what follows stays in the connection's buffer.

use ureq::unversioned::transport::{NextTimeout, Transport};

/// The largest answer head read from a proxy.
const HEAD_LIMIT: usize = 32 * 1024;
/// The most of a 407's body drained to keep the connection (larger: a new one).
const DRAIN_LIMIT: usize = 256 * 1024;

/// The head of a proxy's answer.
pub(crate) struct Head {
    pub status: u16,
    /// The reason phrase: printable, at most 100 characters, as the proxy sent it.
    pub reason: String,
    /// The `Proxy-Authenticate` values.
    pub authenticate: Vec<String>,
    pub content_length: Option<usize>,
    pub chunked: bool,
    /// The proxy will close the connection (HTTP/1.0, `Connection: close`).
    pub close: bool,
}

/// A connection to a proxy, with the time left for each wait and the failure naming
/// the proxy (`fail("what")` reads "proxy host:port what").
pub(crate) struct Wire<'a> {
    pub conn: &'a mut dyn Transport,
    pub timeout: &'a dyn Fn() -> Result<NextTimeout, ureq::Error>,
    pub fail: &'a dyn Fn(String) -> ureq::Error,
}

impl Wire<'_> {
    /// Writes `bytes` (through the connection's output buffer).
    pub(crate) fn send(&mut self, bytes: &[u8]) -> Result<(), ureq::Error> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let timeout = (self.timeout)()?;
            let out = self.conn.buffers().output();
            let n = out.len().min(rest.len());
            out[..n].copy_from_slice(&rest[..n]);
            self.conn.transmit_output(n, timeout)?;
            rest = &rest[n..];
        }
        Ok(())
    }

    /// Waits for more input; `false` when the proxy closed the connection.
    fn more(&mut self) -> Result<bool, ureq::Error> {
        let timeout = (self.timeout)()?;
        self.conn.await_input(timeout)
    }

    /// The head of the proxy's answer; `None` when it closed the connection before
    /// sending anything.
    pub(crate) fn read_head(&mut self) -> Result<Option<Head>, ureq::Error> {
        let fail = self.fail;
        loop {
            let input = self.conn.buffers().input();
            if let Some(end) = input.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = parse_head(&input[..end + 4], fail)?;
                self.conn.buffers().input_consume(end + 4);
                return Ok(Some(head));
            }
            if input.len() > HEAD_LIMIT {
                return Err((self.fail)("sent an oversized answer".to_owned()));
            }
            let had = input.len();
            let more = match self.more() {
                Ok(more) => more,
                // A reset before any answer byte reads as a close.
                Err(ureq::Error::Io(e)) if had == 0 && is_reset(&e) => false,
                Err(e) => return Err(e),
            };
            if !more {
                if had == 0 {
                    return Ok(None);
                }
                return Err((self.fail)(
                    "closed the connection in the middle of its answer".to_owned(),
                ));
            }
        }
    }

    /// Reads and discards a 407's body; `false` when the connection cannot be reused
    /// (no length, too long, or closed).
    pub(crate) fn drain(&mut self, head: &Head) -> Result<bool, ureq::Error> {
        if head.chunked {
            return self.drain_chunked();
        }
        let Some(mut left) = head.content_length else {
            return Ok(false);
        };
        if left > DRAIN_LIMIT {
            return Ok(false);
        }
        while left > 0 {
            let have = self.conn.buffers().input().len().min(left);
            self.conn.buffers().input_consume(have);
            left -= have;
            if left > 0 && !self.more()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn drain_chunked(&mut self) -> Result<bool, ureq::Error> {
        let mut drained = 0usize;
        loop {
            // The size line.
            let line_end = loop {
                let input = self.conn.buffers().input();
                if let Some(at) = input.windows(2).position(|w| w == b"\r\n") {
                    break at;
                }
                if input.len() > 1024 || !self.more()? {
                    return Ok(false);
                }
            };
            let line =
                String::from_utf8_lossy(&self.conn.buffers().input()[..line_end]).into_owned();
            self.conn.buffers().input_consume(line_end + 2);
            let size_text = line.split(';').next().unwrap_or("").trim();
            let Ok(size) = usize::from_str_radix(size_text, 16) else {
                return Ok(false);
            };
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    let input = self.conn.buffers().input();
                    if let Some(at) = input.windows(2).position(|w| w == b"\r\n") {
                        self.conn.buffers().input_consume(at + 2);
                        if at == 0 {
                            return Ok(true);
                        }
                        continue;
                    }
                    if input.len() > 8192 || !self.more()? {
                        return Ok(false);
                    }
                }
            }
            drained += size;
            if drained > DRAIN_LIMIT {
                return Ok(false);
            }
            let mut left = size + 2;
            while left > 0 {
                let have = self.conn.buffers().input().len().min(left);
                self.conn.buffers().input_consume(have);
                left -= have;
                if left > 0 && !self.more()? {
                    return Ok(false);
                }
            }
        }
    }
}

fn parse_head(bytes: &[u8], fail: &dyn Fn(String) -> ureq::Error) -> Result<Head, ureq::Error> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let bad = || fail("answered the CONNECT with something other than HTTP".to_owned());
    match response.parse(bytes) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return Err(bad()),
    }
    let status = response.code.ok_or_else(bad)?;
    let reason: String = response
        .reason
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let mut head = Head {
        status,
        reason,
        authenticate: Vec::new(),
        content_length: None,
        chunked: false,
        close: response.version == Some(0),
    };
    for h in response.headers.iter() {
        let value = String::from_utf8_lossy(h.value).trim().to_owned();
        let name = h.name.to_ascii_lowercase();
        match name.as_str() {
            "proxy-authenticate" => head.authenticate.push(value),
            "content-length" => head.content_length = value.parse().ok(),
            "transfer-encoding" => head.chunked = value.to_ascii_lowercase().contains("chunked"),
            "connection" | "proxy-connection" => {
                let v = value.to_ascii_lowercase();
                if v.contains("close") {
                    head.close = true;
                } else if v.contains("keep-alive") {
                    head.close = false;
                }
            }
            _ => {}
        }
    }
    Ok(head)
}

/// Whether an I/O error means the peer closed or reset the connection.
pub(crate) fn is_reset(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
    )
}
