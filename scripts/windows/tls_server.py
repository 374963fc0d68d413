"""A TLS server on 127.0.0.1 for the Windows suite's TLS test (scripts/windows/test.sh).

    python3 tls_server.py CERT.pem KEY.pem

Prints its port as the first line of stdout, answers every request with 204 and logs
"METHOD PATH" to stderr. Exits by itself after 10 minutes at most (the suite kills it
sooner).
"""

import http.server
import ssl
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        sys.stderr.write(f"{self.command} {self.path}\n")
        sys.stderr.flush()
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PATCH = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def main() -> None:
    cert, key = sys.argv[1], sys.argv[2]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    threading.Timer(600, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
