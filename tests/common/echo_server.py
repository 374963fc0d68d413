#!/usr/bin/env python3
"""A hostile server for the C and Python suites (issue 10 §1): it answers every request with the
request itself (request line, every header including Authorization, the body, and the
decoded Basic credential) in one response shape, chosen by the first path segment:

    http://127.0.0.1:PORT/<shape>/v2/...           the API
    http://127.0.0.1:PORT/<shape>/oauth/token      the OAuth endpoint

Shapes: json (message), errors (errors[].field/message), xml, plain, headers
(tracking id, rate-limit headers, Retry-After), oauth ({"error","reason"}), huge (the
echo placed across the 200, 1000 and 65536 cut points) and bidi (bidi controls,
zero-width characters and ESC around the echo). Prints its URL as the first line and
serves until killed. Usage: echo_server.py [PORT]
"""
from __future__ import annotations

import base64
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Tuple

SHAPES = ("json", "errors", "xml", "plain", "headers", "oauth", "huge", "bidi")


def echo_text(handler: BaseHTTPRequestHandler, body: bytes) -> str:
    auth = handler.headers.get("Authorization", "")
    decoded = ""
    if auth.startswith("Basic "):
        decoded = base64.b64decode(auth[6:]).decode("utf-8", "replace")
    lines = [handler.requestline] + [f"{k}: {v}" for k, v in handler.headers.items()]
    return " | ".join(lines) + " " + body.decode("utf-8", "replace") + " " + decoded


def answer(shape: str, handler: BaseHTTPRequestHandler, body: bytes
            ) -> Tuple[int, Dict[str, str], str]:
    echo = echo_text(handler, body)
    auth = handler.headers.get("Authorization", "")
    if shape == "json":
        return 400, {}, json.dumps({"code": 300, "message": echo})
    if shape == "errors":
        return 400, {}, json.dumps({"code": 300, "message": "Validation Failed.",
                                    "errors": [{"field": echo, "message": echo}]})
    if shape == "xml":
        esc = echo.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return 400, {"Content-Type": "application/xml"}, (
            f'<?xml version="1.0"?><error><code>300</code><message>{esc}</message></error>')
    if shape == "plain":
        return 502, {"Content-Type": "text/plain"}, echo
    if shape == "headers":
        headers = {k: auth for k in ("x-zm-trackingid", "X-RateLimit-Type",
                                     "X-RateLimit-Category", "X-RateLimit-Limit",
                                     "X-RateLimit-Remaining", "Retry-After")}
        return 429, headers, json.dumps({"code": 429, "message": "slow down"})
    if shape == "oauth":
        return 401, {"x-zm-trackingid": auth}, json.dumps({"error": auth, "reason": echo})
    if shape == "huge":
        text = ""
        for cut in (200, 1000, 65536):
            text += "x" * max(0, cut - 9 - len(text)) + echo
        return 500, {}, json.dumps({"code": 500, "message": text})
    if shape == "bidi":
        message = "\u202e" + echo + "\u2066\u200b\ufeff\x1b[31m\u202a\u2069\u200f\u2060"
        return 400, {}, json.dumps({"code": 300, "message": message,
                                    "errors": [{"field": "\u202e" + echo,
                                                "message": "\u2066" + echo}]},
                                   ensure_ascii=False)
    return 404, {}, json.dumps({"code": 0, "message": f"unknown shape {shape}"})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        shape = self.path.lstrip("/").split("/", 1)[0]
        status, headers, text = answer(shape, self, body)
        data = text.encode("utf-8")
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

    def log_message(self, *args: Any) -> None:
        pass




def start(port: int = 0) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 (`port` 0: any free one); call serve_forever() on it."""
    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def main() -> None:
    server = start(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
