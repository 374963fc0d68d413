"""TLS from Python (issue 12 §4): ``extra_ca_file=`` trusts a CA in addition to the
operating system's, with the C setter's checks; a loopback HTTPS server with a CA made
by openssl."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import threading
from pathlib import Path
from typing import Iterator, Tuple

import pytest

import zoomlive
from conftest import MEETING, TOKEN

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key), the server's for 127.0.0.1."""
    d = tmp_path_factory.mktemp("pki")
    ca_key, ca, key, csr, cert, ext = (
        d / "ca.key", d / "ca.pem", d / "srv.key", d / "srv.csr", d / "srv.pem", d / "ext"
    )
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key),
             "-out", str(ca), "-days", "2", "-subj", "/CN=zoomlive test CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign")
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr),
             "-subj", "/CN=127.0.0.1")
    ext.write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
             "-CAcreateserial", "-out", str(cert), "-days", "2", "-extfile", str(ext))
    return ca, cert, key


@pytest.fixture
def https(pki: Tuple[Path, Path, Path]) -> Iterator[Tuple[str, list]]:
    """A one-thread HTTPS server on 127.0.0.1 answering 204 to each request, at most 20
    connections; yields (base URL, the request lines it saw)."""
    _, cert, key = pki
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    seen: list = []

    def serve() -> None:
        for _ in range(20):
            try:
                raw, _ = listener.accept()
            except OSError:
                return
            try:
                with ctx.wrap_socket(raw, server_side=True) as tls:
                    tls.settimeout(10)
                    f = tls.makefile("rb")
                    line = f.readline()
                    seen.append(line.decode().strip())
                    length = 0
                    while True:
                        h = f.readline()
                        if h in (b"\r\n", b""):
                            break
                        if h.lower().startswith(b"content-length:"):
                            length = int(h.split(b":")[1])
                    f.read(length)
                    tls.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            except (OSError, ssl.SSLError):
                continue

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}/v2", seen
    listener.close()


def test_an_extra_ca_file_is_trusted(pki, https) -> None:
    ca, _, _ = pki
    url, seen = https
    for path in (str(ca), ca):  # str or os.PathLike
        with zoomlive.Client(TOKEN, base_url=url, extra_ca_file=path) as c:
            c.update_meeting_livestream_status(MEETING, "start")
    assert len(seen) == 2 and seen[0].startswith("PATCH /v2/meetings/")


def test_without_it_the_server_is_refused(https) -> None:
    url, seen = https
    with zoomlive.Client(TOKEN, base_url=url) as c:
        with pytest.raises(zoomlive.TransportError):
            c.update_meeting_livestream_status(MEETING, "start")
    assert seen == []


def test_the_file_is_checked_as_the_c_setter_checks_it(tmp_path: Path) -> None:
    with pytest.raises(zoomlive.InvalidInputError) as e:
        zoomlive.Client(TOKEN, extra_ca_file=str(tmp_path / "missing.pem"))
    assert e.value.field == "extra_ca_file"
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate\n")
    with pytest.raises(zoomlive.InvalidInputError) as e:
        zoomlive.Client.server_to_server("a", "c", "s", extra_ca_file=bad)
    assert e.value.field == "extra_ca_pem"
    with pytest.raises(TypeError):
        zoomlive.Client(TOKEN, extra_ca_file=5)  # type: ignore[arg-type]
