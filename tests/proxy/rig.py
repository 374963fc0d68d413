#!/usr/bin/env python3
"""The proxy rig of issue 18 §4: real proxies on loopback in front of a local HTTPS API.

    rig.py DIR      prints one JSON line (what is where), then serves until stdin closes

What it starts, all on 127.0.0.0/8:
- an HTTPS stand-in for the API at ``https://api.zoomlive.test:PORT/v2`` (PATCH: 204,
  GET: a live stream, POST /oauth/token: a token), with a certificate for that name from
  a CA made here (openssl); the name resolves nowhere but in the proxies, so a request
  that reaches it went through one;
- squid (the Debian package) offering NTLM (``ntlm_fake_auth``: any password) and Basic
  (``basic_ncsa_auth`` with an htpasswd file: the password is checked), resolving
  ``api.zoomlive.test`` through its ``hosts_file``;
- squid's second port, open (no authentication), for the Windows system-settings tests;
- a PAC file on loopback HTTP naming that open port for ``api.zoomlive.test``;
- a CONNECT proxy of its own that checks the NTLM password: pyspnego's NTLM acceptor,
  reading the user file ``NTLM_USER_FILE`` (``CORP:alice:<password>``); it counts the
  Authenticate messages it judged, so a test can prove a wrong password was sent once.

Every loop is bounded; squid is stopped when stdin closes (or on SIGTERM).
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import select
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

NAME = "api.zoomlive.test"
USER, DOMAIN, PASSWORD = "alice", "CORP", "S3cret-Proxy-Pass"
SQUID = shutil.which("squid") or "/usr/sbin/squid"
HELPERS = Path("/usr/lib/squid")
MAX_CONNECTIONS = 500
MAX_REQUESTS = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_pki(d: Path) -> None:
    """A CA and a certificate for NAME that it signed (openssl, no prompts)."""
    run = lambda *a: subprocess.run(a, check=True, capture_output=True)  # noqa: E731
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=zoomlive proxy test CA", "-keyout", str(d / "ca.key"),
        "-out", str(d / "ca.pem"), "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={NAME}",
        "-keyout", str(d / "server.key"), "-out", str(d / "server.csr"))
    (d / "ext.cnf").write_text(f"subjectAltName=DNS:{NAME}\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", str(d / "server.csr"), "-CA", str(d / "ca.pem"),
        "-CAkey", str(d / "ca.key"), "-CAcreateserial", "-days", "2",
        "-extfile", str(d / "ext.cnf"), "-out", str(d / "server.pem"))


class Api(http.server.BaseHTTPRequestHandler):
    """The API stand-in: answers what the client's operations send."""

    protocol_version = "HTTP/1.1"
    seen: List[str] = []

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: bytes = b"") -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _read_body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1 << 20))

    def do_PATCH(self) -> None:  # noqa: N802
        self._read_body()
        Api.seen.append(f"PATCH {self.path}")
        self._answer(204)

    def do_GET(self) -> None:  # noqa: N802
        Api.seen.append(f"GET {self.path}")
        body = {"stream_url": "rtmp://live.example/app", "stream_key": "k3y-123456",
                "page_url": "https://example.com/live", "resolution": "720p"}
        self._answer(200, json.dumps(body).encode())

    def do_POST(self) -> None:  # noqa: N802
        self._read_body()
        Api.seen.append(f"POST {self.path}")
        self._answer(200, json.dumps({"access_token": "tok-from-rig", "token_type": "bearer",
                                      "expires_in": 3600}).encode())


class Threaded(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def start_api(d: Path) -> int:
    server = Threaded(("127.0.0.1", 0), Api)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(d / "server.pem"), str(d / "server.key"))
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return int(server.server_address[1])


def start_squid(d: Path, port: int, open_port: int) -> subprocess.Popen[bytes]:
    hashed = subprocess.run(["openssl", "passwd", "-apr1", PASSWORD], check=True,
                            capture_output=True, text=True).stdout.strip()
    (d / "htpasswd").write_text(f"{USER}:{hashed}\n")
    (d / "hosts").write_text(f"127.0.0.1 {NAME}\n")
    conf = f"""
http_port 127.0.0.1:{port}
http_port 127.0.0.1:{open_port} name=open
visible_hostname zoomlive-proxy-test
pid_filename {d}/squid.pid
cache_log {d}/cache.log
access_log stdio:{d}/access.log
cache deny all
cache_mem 8 MB
shutdown_lifetime 0 seconds
hosts_file {d}/hosts
dns_nameservers 127.0.0.1
auth_param ntlm program {HELPERS}/ntlm_fake_auth
auth_param ntlm children 2
auth_param basic program {HELPERS}/basic_ncsa_auth {d}/htpasswd
auth_param basic children 2
auth_param basic realm zoomlive proxy test
acl open_port myportname open
http_access allow open_port
acl authenticated proxy_auth REQUIRED
http_access allow authenticated
http_access deny all
"""
    (d / "squid.conf").write_text(conf)
    # squid drops root privileges to its own user: it must read and write here.
    os.chmod(d, 0o777)
    for name in ("htpasswd", "hosts", "squid.conf"):
        os.chmod(d / name, 0o644)
    proc = subprocess.Popen([SQUID, "-N", "-f", str(d / "squid.conf")],
                            stdout=subprocess.DEVNULL, stderr=open(d / "squid.err", "wb"))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"squid exited: {(d / 'squid.err').read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("squid did not listen within 20 s")


class NtlmProxy(socketserver.BaseRequestHandler):
    """A CONNECT proxy that checks NTLM credentials with pyspnego's acceptor."""

    judged: List[bool] = []
    # The flags of each Authenticate message: Windows' SSPI (Wine's, through Samba's
    # ntlm_auth) negotiates key exchange (0x40000000), zoomlive's own NTLM never does.
    flags: List[int] = []
    # The scheme of each handshake begun (ntlm, negotiate).
    schemes: List[str] = []
    # Why pyspnego refused each refused message.
    errors: List[str] = []
    connects = 0

    def read_head(self, buf: bytearray) -> Optional[Tuple[str, Dict[str, str]]]:
        sock = self.request
        while b"\r\n\r\n" not in buf:
            if len(buf) > 65536:
                return None
            chunk = sock.recv(4096)
            if not chunk:
                return None
            buf += chunk
        head, _, rest = bytes(buf).partition(b"\r\n\r\n")
        buf[:] = rest
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return lines[0], headers

    def send(self, status: str, extra: str = "") -> None:
        body = b"proxy says no"
        self.request.sendall(
            f"HTTP/1.1 {status}\r\n{extra}Content-Length: {len(body)}\r\n\r\n".encode() + body)

    def handle(self) -> None:
        try:
            self.serve()
        except OSError:
            pass  # a client that went away

    def serve(self) -> None:
        import spnego

        buf = bytearray()
        ctx = None
        ctx_scheme = ""
        server_challenge = b""
        for _ in range(MAX_REQUESTS):
            got = self.read_head(buf)
            if got is None:
                return
            line, headers = got
            NtlmProxy.connects += 1
            method, target, _ = (line.split(" ") + ["", ""])[:3]
            if method != "CONNECT":
                self.send("405 Method Not Allowed")
                return
            auth = headers.get("proxy-authorization", "")
            scheme, _, b64 = auth.partition(" ")
            scheme = scheme.lower()
            if scheme not in ("ntlm", "negotiate"):
                ctx = None
                self.send("407 Proxy Authentication Required",
                          "Proxy-Authenticate: Negotiate\r\nProxy-Authenticate: NTLM\r\n"
                          "Proxy-Authenticate: Basic realm=\"x\"\r\n")
                continue
            token = base64.b64decode(b64.strip())
            if ctx is None or ctx_scheme != scheme or token[8:12] == b"\x01\x00\x00\x00":
                ctx = spnego.server(protocol=scheme)
                ctx_scheme = scheme
                NtlmProxy.schemes.append(scheme)
            if token[:12] == b"NTLMSSP\x00\x03\x00\x00\x00" and len(token) >= 64:
                NtlmProxy.flags.append(int.from_bytes(token[60:64], "little"))
            try:
                out = ctx.step(token)
                at = (out or b"").find(b"NTLMSSP\x00\x02\x00\x00\x00")
                if at >= 0:
                    server_challenge = (out or b"")[at + 24:at + 32]
            except Exception as e:  # noqa: BLE001 (any refusal of pyspnego's)
                if proof_holds(token, server_challenge):
                    out, ctx = None, None
                    NtlmProxy.judged.append(True)
                    NtlmProxy.errors.append(f"pyspnego: {str(e)[:200]}; the NTProofStr holds")
                    self.tunnel(target, buf)
                    return
                NtlmProxy.judged.append(False)
                NtlmProxy.errors.append(str(e)[:300])
                ctx = None
                self.send("407 Proxy Authentication Required",
                          "Proxy-Authenticate: Negotiate\r\nProxy-Authenticate: NTLM\r\n")
                continue
            if not ctx.complete:
                challenge = base64.b64encode(out or b"").decode()
                name = "Negotiate" if scheme == "negotiate" else "NTLM"
                self.send("407 Proxy Authentication Required",
                          f"Proxy-Authenticate: {name} {challenge}\r\n")
                continue
            NtlmProxy.judged.append(True)
            self.tunnel(target, buf)
            return

    def tunnel(self, target: str, buf: bytearray) -> None:
        host, _, port = target.rpartition(":")
        if host != NAME:
            self.send("502 Bad Gateway")
            return
        upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if buf:
            upstream.sendall(bytes(buf))
        relay(self.request, upstream)


def proof_holds(token: bytes, server_challenge: bytes) -> bool:
    """Whether an NTLMv2 Authenticate message proves the user file's password: its
    NTProofStr is HMAC-MD5(NTOWFv2(password, user, domain), server challenge + blob),
    what a domain controller checks. pyspnego's acceptor instead rebuilds the whole
    response and compares bytes, which refuses Samba's ntlm_auth (Wine's SSPI): it lays
    out the blob differently, with a valid proof."""
    import hmac

    from spnego._ntlm_raw.crypto import ntowfv1, ntowfv2

    if token[:12] != b"NTLMSSP\x00\x03\x00\x00\x00" or len(server_challenge) != 8:
        return False

    def field(at: int) -> bytes:
        length = int.from_bytes(token[at:at + 2], "little")
        offset = int.from_bytes(token[at + 4:at + 8], "little")
        return token[offset:offset + length]

    # Names are UTF-16LE when NTLMSSP_NEGOTIATE_UNICODE (0x1) is set, else the OEM code page.
    flags = int.from_bytes(token[60:64], "little") if len(token) >= 64 else 0
    codec = "utf-16-le" if flags & 1 else "latin-1"
    try:
        nt, domain, user = field(20), field(28).decode(codec), field(36).decode(codec)
    except UnicodeDecodeError:
        return False
    if len(nt) <= 24 or (domain.upper(), user.lower()) != (DOMAIN, USER):
        return False
    key = ntowfv2(user, ntowfv1(PASSWORD), domain)
    return hmac.compare_digest(hmac.new(key, server_challenge + nt[16:], "md5").digest(), nt[:16])


def relay(a: socket.socket, b: socket.socket) -> None:
    """Copies both ways until either side closes (bounded by an idle time)."""
    socks = [a, b]
    for _ in range(100000):
        ready, _, _ = select.select(socks, [], [], 30)
        if not ready:
            break
        for s in ready:
            data = s.recv(65536)
            if not data:
                b.close()
                return
            (b if s is a else a).sendall(data)
    b.close()


def start_pac(open_port: int) -> int:
    """A PAC file on loopback: the open squid port for NAME, DIRECT for the rest."""
    pac = (f'function FindProxyForURL(url, host) {{ if (host == "{NAME}") '
           f'return "PROXY 127.0.0.1:{open_port}"; return "DIRECT"; }}\n').encode()

    class Pac(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            Api.seen.append(f"PAC {self.path}")
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ns-proxy-autoconfig")
            self.send_header("Content-Length", str(len(pac)))
            self.end_headers()
            self.wfile.write(pac)

    server = Threaded(("127.0.0.1", 0), Pac)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return int(server.server_address[1])


def start_ntlm_proxy(d: Path) -> int:
    (d / "ntlm-users").write_text(f"{DOMAIN}:{USER}:{PASSWORD}\n")
    os.environ["NTLM_USER_FILE"] = str(d / "ntlm-users")

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), NtlmProxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return int(server.server_address[1])


def main() -> int:
    d = Path(sys.argv[1]).resolve()
    d.mkdir(parents=True, exist_ok=True)
    make_pki(d)
    api_port = start_api(d)
    squid_port, open_port = free_port(), free_port()
    squid = start_squid(d, squid_port, open_port)
    pac_port = start_pac(open_port)
    stop = lambda *_: (squid.terminate(), sys.exit(0))  # noqa: E731
    signal.signal(signal.SIGTERM, stop)
    ntlm_port = start_ntlm_proxy(d)
    print(json.dumps({
        "api": f"https://{NAME}:{api_port}/v2",
        "oauth": f"https://{NAME}:{api_port}/oauth/token",
        "ca": str(d / "ca.pem"),
        "squid": f"http://127.0.0.1:{squid_port}",
        "squid_open": f"127.0.0.1:{open_port}",
        "pac": f"http://127.0.0.1:{pac_port}/proxy.pac",
        "ntlm_proxy": f"http://127.0.0.1:{ntlm_port}",
        "user": f"{DOMAIN}\\{USER}",
        "password": PASSWORD,
        "dir": str(d),
    }), flush=True)
    # Commands on stdin: "stats" prints what the checking proxy and the API saw.
    try:
        for line in sys.stdin:
            if line.strip() == "stats":
                print(json.dumps({"judged": NtlmProxy.judged, "connects": NtlmProxy.connects,
                                  "flags": NtlmProxy.flags,
                                  "schemes": NtlmProxy.schemes,
                                  "errors": NtlmProxy.errors,
                                  "api": Api.seen}), flush=True)
    finally:
        squid.terminate()
        try:
            squid.wait(timeout=10)
        except subprocess.TimeoutExpired:
            squid.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
