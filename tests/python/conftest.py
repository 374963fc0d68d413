"""Fixtures: the real emulator (the `zoomlive emulator` CLI) as a subprocess, its
control API, and clients of every auth mode and encoding pointed at it."""

from __future__ import annotations

import asyncio
import json
import os
import re
import selectors
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

import zoomlive

ROOT = Path(os.environ.get("ZOOMLIVE_ROOT") or Path(__file__).resolve().parents[2])
BIN = Path(os.environ.get("ZOOMLIVE_BIN") or ROOT / "target" / "debug" / "zoomlive")
LIB = Path(os.environ.get("ZOOMLIVE_LIB") or ROOT / "target" / "debug" / "libzoomlive.so")

TOKEN = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
ACCOUNT, CLIENT_ID, SECRET = "demo-account", "demo-client", "demo-secret"
MEETING = 68423085
WEBINAR = 91234567890
START_TIMEOUT = 10.0


class Emulator:
    """One running `zoomlive emulator` process and its control API."""

    def __init__(self, *flags: str) -> None:
        if not BIN.exists():
            raise RuntimeError(f"{BIN} is missing: run `cargo build --features cli`")
        self.proc = subprocess.Popen(
            [str(BIN), "emulator", "--bind", "127.0.0.1:0", *flags],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        # Its first line is its URL; wait for it at most START_TIMEOUT seconds.
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            ready = sel.select(timeout=START_TIMEOUT)
        first = self.proc.stdout.readline().strip() if ready else ""
        if not first.startswith("http://"):
            self.proc.kill()
            _, err = self.proc.communicate(timeout=10)
            raise RuntimeError(
                f"the emulator did not start within {START_TIMEOUT}s: first line {first!r}, "
                f"stderr {err[-2000:]!r}"
            )
        self.url = first
        self.base_url = first + "/v2"
        self.oauth_url = first + "/oauth/token"

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + "/_emulator/" + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def requests(self, path_contains: str = "") -> List[Dict[str, Any]]:
        """The requests received (credentials redacted), oldest first."""
        return [r for r in self._call("GET", "requests") if path_contains in r["path"]]

    def api_requests(self) -> List[Dict[str, Any]]:
        """The REST API requests received (not the OAuth token requests)."""
        return [r for r in self.requests() if r["path"].startswith("/v2/")]

    def token_requests(self) -> List[Dict[str, Any]]:
        """The OAuth token requests received."""
        return self.requests("/oauth/token")

    def fault(self, **fault: Any) -> None:
        """Queues a fault for the next matching request(s)."""
        self._call("POST", "faults", fault)

    def streams(self) -> Dict[str, Dict[str, Any]]:
        """The emulated live streams, by "meeting:ID" / "webinar:ID"."""
        return {f"{s['kind']}:{s['id']}": s for s in self._call("GET", "streams")}

    def livestream(self, kind: str, id: int) -> Dict[str, Any]:
        """Zoom's GET .../livestream for a "meeting" or "webinar" (stream key included)."""
        req = urllib.request.Request(
            f"{self.base_url}/{kind}s/{id}/livestream",
            headers={"Authorization": "Bearer " + TOKEN, "Accept": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            result: Dict[str, Any] = json.loads(resp.read())
        return result

    def expire_tokens(self) -> None:
        self._call("POST", "expire-tokens")

    def reset(self) -> None:
        self._call("POST", "reset")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="session")
def make_emulator() -> Iterator[Callable[..., Emulator]]:
    """Starts emulators with extra flags; all are killed at the end of the session."""
    started: List[Emulator] = []

    def make(*flags: str) -> Emulator:
        emu = Emulator(*flags)
        started.append(emu)
        return emu

    yield make
    for emu in started:
        emu.close()


EMULATOR_FLAGS = (
    "--meeting", str(MEETING), "--meeting", "1001", "--meeting", "1002",
    "--meeting", "1003", "--meeting", "1004", "--meeting", "1005",
    "--meeting", "1006", "--meeting", "1007", "--meeting", "1008",
    "--webinar", str(WEBINAR),
)


@pytest.fixture(scope="session")
def _shared_emulator(make_emulator: Callable[..., Emulator]) -> Emulator:
    return make_emulator(*EMULATOR_FLAGS)


@pytest.fixture
def s2s_emu(make_emulator: Callable[..., Emulator]) -> Emulator:
    """A fresh emulator with the shared one's meetings and its own OAuth URL: the clients
    of a process share one S2S token per OAuth URL and credentials, so a test counting
    token fetches needs an OAuth endpoint no earlier test fetched from."""
    return make_emulator(*EMULATOR_FLAGS)


@pytest.fixture
def emu(_shared_emulator: Emulator) -> Emulator:
    """The session's emulator, with requests, faults and streams reset for this test."""
    _shared_emulator.reset()
    return _shared_emulator


def make_client(
    emu: Emulator, auth: str = "token", encoding: str = "multipart", **options: Any
) -> zoomlive.Client:
    """A client of the given auth mode ("token" or "s2s") pointed at `emu`."""
    if auth == "token":
        return zoomlive.Client(TOKEN, base_url=emu.base_url, encoding=encoding, **options)
    return zoomlive.Client.server_to_server(
        ACCOUNT, CLIENT_ID, SECRET,
        base_url=emu.base_url, oauth_url=emu.oauth_url, encoding=encoding, **options,
    )


@pytest.fixture(params=["token", "s2s"])
def auth(request: pytest.FixtureRequest) -> str:
    """Each auth mode: a static access token, and Server-to-Server OAuth."""
    return str(request.param)


@pytest.fixture(params=["multipart", "json"])
def encoding(request: pytest.FixtureRequest) -> str:
    """Each body encoding."""
    return str(request.param)


@pytest.fixture
def client(emu: Emulator, auth: str, encoding: str) -> Iterator[zoomlive.Client]:
    """A client for every auth mode and encoding, closed after the test."""
    with make_client(emu, auth, encoding) as c:
        yield c


@pytest.fixture
def token_client(emu: Emulator) -> Iterator[zoomlive.Client]:
    """A token client with multipart bodies and no rate-limit retries."""
    with make_client(emu, max_retries=0) as c:
        yield c


# --- The async client behind the sync client's interface ------------------------------

ASYNC_OPERATIONS = (
    "update_meeting_livestream_status",
    "update_webinar_livestream_status",
    "update_meeting_livestream",
    "update_webinar_livestream",
    "get_meeting_livestream",
    "get_webinar_livestream",
)


class AsyncAsSync:
    """A `zoomlive.AsyncClient` with the sync client's interface: each operation is
    awaited in its own `asyncio.run` (a new event loop each time), `close()` awaits
    `aclose()`. Every argument error must be raised before the call reaches the
    client's worker threads: the pool's `submit` is counted to check it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._setup(zoomlive.AsyncClient(*args, **kwargs))

    @staticmethod
    def server_to_server(*args: Any, **kwargs: Any) -> "AsyncAsSync":
        adapter = AsyncAsSync.__new__(AsyncAsSync)
        adapter._setup(zoomlive.AsyncClient.server_to_server(*args, **kwargs))
        return adapter

    def _setup(self, client: Any) -> None:
        self.async_client = client
        # The count lives apart: the pool (kept by its worker threads) must not keep
        # this adapter, and so the client, alive.
        self.submitted = submitted = [0]
        pool = client._pool
        submit = pool.submit

        def counted(*args: Any, **kwargs: Any) -> Any:
            submitted[0] += 1
            return submit(*args, **kwargs)

        pool.submit = counted

    def _call(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        before = self.submitted[0]
        try:
            return asyncio.run(getattr(self.async_client, operation)(*args, **kwargs))
        except (TypeError, ValueError):  # ValueError: zoomlive.InvalidInputError
            assert self.submitted[0] == before, f"{operation}: refused on a worker thread"
            raise

    def __getattr__(self, name: str) -> Any:
        if name in ASYNC_OPERATIONS:
            return lambda *args, **kwargs: self._call(name, *args, **kwargs)
        return getattr(self.async_client, name)  # base_url, encoding, closed

    def close(self) -> None:
        asyncio.run(self.async_client.aclose())

    def __enter__(self) -> "AsyncAsSync":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture(params=["sync", "async"])
def face(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each Python face: a module marked `pytest.mark.usefixtures("face")` runs every
    test twice, the second time with `zoomlive.Client` (and so `make_client` and the
    client fixtures) replaced by `AsyncAsSync`, the async client behind the sync
    interface; the tests themselves stay as written for the sync client."""
    if request.param == "async":
        monkeypatch.setattr(zoomlive, "Client", AsyncAsSync)
    return str(request.param)


def sent_settings(request: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The `settings` a recorded request carried, decoded whatever the encoding."""
    value = request["fields"].get("settings")
    if isinstance(value, str):  # multipart: JSON text in a form part
        decoded: Dict[str, Any] = json.loads(value)
        return decoded
    return value


def cargo_version() -> str:
    """The crate version in Cargo.toml."""
    text = (ROOT / "Cargo.toml").read_text()
    match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    assert match, "no version in Cargo.toml"
    return match.group(1)
