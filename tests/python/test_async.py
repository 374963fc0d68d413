"""zoomlive.AsyncClient (issue 21) beyond what the sync suites check through
conftest.AsyncAsSync: its surface and stubs against the sync client's, arguments checked
inside the coroutine before any thread, its own bounded worker threads (200 delayed calls
with the loop still ticking), cancellation, aclose() with calls in flight, closed loops,
several loops in several threads, uvloop, interpreter exit, fork, and 1,000
create/use/close cycles without growing threads or memory."""

from __future__ import annotations

import ast
import asyncio
import gc
import inspect
import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Coroutine, Dict, Iterator, List, TypeVar

import pytest

import zoomlive
from conftest import (
    ACCOUNT,
    CLIENT_ID,
    MEETING,
    ROOT,
    SECRET,
    TOKEN,
    WEBINAR,
    Emulator,
)

try:
    import uvloop
except ImportError:  # optional: `make deps` installs it for `make bench`
    uvloop = None  # type: ignore[assignment]

T = TypeVar("T")
MEETINGS = [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008]
WORKER = re.compile(r"zoomlive-async-\d+$")
STREAM = dict(stream_url="rtmp://live.example/app", stream_key="k-1", page_url="https://e.example/p")


def run_uvloop(coro: Coroutine[Any, Any, T]) -> T:
    assert uvloop is not None
    result: T = uvloop.run(coro)
    return result


@pytest.fixture(
    params=[
        "asyncio",
        pytest.param("uvloop", marks=pytest.mark.skipif(uvloop is None, reason="uvloop is not installed")),
    ]
)
def run(request: pytest.FixtureRequest) -> Callable[[Coroutine[Any, Any, T]], T]:
    """Runs a coroutine to completion in a new event loop: asyncio's, or uvloop's."""
    return asyncio.run if request.param == "asyncio" else run_uvloop  # type: ignore[return-value]


def make_async(emu: Emulator, **options: Any) -> zoomlive.AsyncClient:
    return zoomlive.AsyncClient(TOKEN, base_url=emu.base_url, **options)


def workers() -> List[threading.Thread]:
    return [t for t in threading.enumerate() if WORKER.match(t.name)]


async def until(condition: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


@pytest.fixture
def background_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[List[object]]:
    """What threads and finalizers raised that nobody caught (must stay empty)."""
    seen: List[object] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: seen.append(args.exc_value))
    monkeypatch.setattr(sys, "unraisablehook", lambda args: seen.append(args.exc_value))
    yield seen


# --- the surface ---------------------------------------------------------------------------


def test_async_client_is_public_and_imported_on_first_use() -> None:
    code = (
        "import sys, zoomlive\n"
        "assert 'asyncio' not in sys.modules and 'zoomlive._async' not in sys.modules\n"
        "assert 'AsyncClient' in zoomlive.__all__ and 'AsyncClient' in dir(zoomlive)\n"
        "cls = zoomlive.AsyncClient\n"
        "assert cls.__module__ == 'zoomlive._async' and 'asyncio' in sys.modules\n"
        "from zoomlive import *\n"
        "assert AsyncClient is cls\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    with pytest.raises(AttributeError):
        zoomlive.NoSuchThing  # type: ignore[attr-defined]


def test_public_methods_have_docstrings() -> None:
    for name in dir(zoomlive.AsyncClient):
        if not name.startswith("_"):
            assert getattr(zoomlive.AsyncClient, name).__doc__, name
    assert zoomlive.AsyncClient.__doc__


OPERATIONS = [
    "update_meeting_livestream_status",
    "update_webinar_livestream_status",
    "update_meeting_livestream",
    "update_webinar_livestream",
    "get_meeting_livestream",
    "get_webinar_livestream",
]


def test_operations_are_coroutine_functions_named_as_the_sync_ones() -> None:
    # The rest are no calls: properties, close (aclose), and batch() and proxy_for(),
    # which the AsyncClient has as plain methods (a batch runs on threads of its own and
    # is read with `async for`; a proxy decision is made when the client is built).
    others = {"base_url", "encoding", "closed", "close", "server_to_server", "last_trace",
              "batch", "proxy_for"}
    sync_ops = {n for n in dir(zoomlive.Client) if not n.startswith("_")} - others
    assert sync_ops == set(OPERATIONS)
    for name in OPERATIONS:
        assert inspect.iscoroutinefunction(getattr(zoomlive.AsyncClient, name)), name
    for name in others - {"close"}:
        assert hasattr(zoomlive.AsyncClient, name), name
    assert not inspect.iscoroutinefunction(zoomlive.AsyncClient.batch)
    def names_and_defaults(fn: Any) -> List[tuple]:
        return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()][1:]

    assert names_and_defaults(zoomlive.AsyncClient.batch) == names_and_defaults(zoomlive.Client.batch)


def stub_functions(path: Path, cls: str) -> Dict[str, ast.AST]:
    tree = ast.parse(path.read_text())
    (node,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls]
    return {f.name: f for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}


def params(fn: Any, skip_first: bool) -> List[tuple]:
    """(kind, name, annotation, default) of each parameter of a stub function."""
    a = fn.args
    positional = a.posonlyargs + a.args
    pos_defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    out = [
        ("positional", p.arg, ast.unparse(p.annotation) if p.annotation else None,
         ast.unparse(d) if d is not None else None)
        for p, d in zip(positional, pos_defaults)
    ]
    out += [
        ("keyword", p.arg, ast.unparse(p.annotation) if p.annotation else None,
         ast.unparse(d) if d is not None else None)
        for p, d in zip(a.kwonlyargs, a.kw_defaults)
    ]
    return out[1:] if skip_first else out


def test_stubs_list_exactly_the_sync_stubs_parameters() -> None:
    """_async.pyi spells out what the constructors forward: the sync stubs' parameters
    (stubtest checks those against the compiled module, and _async.pyi against the
    signatures the async client copies from it at run time), plus max_concurrency."""
    package = Path(zoomlive.__file__).parent
    sync = stub_functions(package / "_zoomlive.pyi", "Client")
    asyn = stub_functions(package / "_async.pyi", "AsyncClient")
    extra = ("keyword", "max_concurrency", "int", "16")
    assert params(asyn["__init__"], skip_first=True) == params(sync["__new__"], skip_first=True) + [extra]
    assert params(asyn["server_to_server"], skip_first=True) == params(
        sync["server_to_server"], skip_first=False
    ) + [extra]
    for name in OPERATIONS:
        assert isinstance(asyn[name], ast.AsyncFunctionDef), name
        assert params(asyn[name], True) == params(sync[name], True), name
        assert ast.unparse(asyn[name].returns) == ast.unparse(sync[name].returns), name  # type: ignore[attr-defined]
    assert params(asyn["batch"], True) == params(sync["batch"], True)
    from zoomlive import _async

    assert _async.DEFAULT_MAX_CONCURRENCY == 16


def test_runtime_signatures_are_the_sync_clients() -> None:
    extra = ["max_concurrency"]
    assert list(inspect.signature(zoomlive.AsyncClient).parameters) == list(
        inspect.signature(zoomlive.Client).parameters
    ) + extra
    assert list(inspect.signature(zoomlive.AsyncClient.server_to_server).parameters) == list(
        inspect.signature(zoomlive.Client.server_to_server).parameters
    ) + extra
    for name in OPERATIONS:
        assert inspect.signature(getattr(zoomlive.AsyncClient, name)) == inspect.signature(
            getattr(zoomlive.Client, name)
        )


def test_every_sync_keyword_is_forwarded(emu: Emulator, tmp_path: Path) -> None:
    # Whatever keywords the sync constructors have (today's and later ones), the async
    # ones take them too, with the same defaults.
    makers: List[Any] = [
        (zoomlive.Client, zoomlive.AsyncClient, [TOKEN]),
        (
            zoomlive.Client.server_to_server,
            zoomlive.AsyncClient.server_to_server,
            [ACCOUNT, CLIENT_ID, SECRET],
        ),
    ]
    for sync_make, async_make, positional in makers:
        keywords = {
            p.name: p.default
            for p in inspect.signature(sync_make).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        }
        assert "base_url" in keywords and "token_cache_dir" in keywords
        client = async_make(*positional, **keywords)
        assert client.base_url == sync_make(*positional, **keywords).base_url
    client = zoomlive.AsyncClient(
        access_token=TOKEN, base_url=emu.base_url + "/", encoding="JSON", timeout=5,
        connect_timeout=2, max_retries=1, allow_insecure_http=True, extra_ca_file=None,
        token_cache_dir=tmp_path, max_concurrency=3,
    )
    assert (client.base_url, client.encoding, client.max_concurrency) == (emu.base_url, "json", 3)
    assert not client.closed
    s2s = zoomlive.AsyncClient.server_to_server(
        account_id=ACCOUNT, client_id=CLIENT_ID, client_secret=SECRET, oauth_url=emu.oauth_url,
        base_url=emu.base_url,
    )
    assert s2s.max_concurrency == 16 and s2s.encoding == "auto"


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: zoomlive.AsyncClient(""), "access_token"),
        (lambda: zoomlive.AsyncClient(TOKEN, timeout=0), "timeout"),
        (lambda: zoomlive.AsyncClient.server_to_server(ACCOUNT, "a:b", SECRET), "client_id"),
        (lambda: zoomlive.AsyncClient(TOKEN, max_concurrency=0), "max_concurrency"),
        (lambda: zoomlive.AsyncClient(TOKEN, max_concurrency=-3), "max_concurrency"),
        (lambda: zoomlive.AsyncClient(TOKEN, max_concurrency=1025), "max_concurrency"),
        (
            lambda: zoomlive.AsyncClient.server_to_server(ACCOUNT, CLIENT_ID, SECRET, max_concurrency=0),
            "max_concurrency",
        ),
    ],
)
def test_invalid_configuration(make: Callable[[], object], field: str) -> None:
    with pytest.raises(zoomlive.InvalidInputError) as caught:
        make()
    assert caught.value.field == field
    assert str(caught.value).startswith(f"invalid {field}: ")
    assert TOKEN not in str(caught.value) and SECRET not in str(caught.value)


@pytest.mark.parametrize("value", [1.5, True, "4", None])
def test_max_concurrency_must_be_an_int(value: object) -> None:
    with pytest.raises(TypeError, match="max_concurrency must be an int"):
        zoomlive.AsyncClient(TOKEN, max_concurrency=value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        zoomlive.AsyncClient(TOKEN, "https://api.zoom.us/v2")  # type: ignore[misc]
    assert zoomlive.AsyncClient(TOKEN, max_concurrency=1024).max_concurrency == 1024


def test_repr_shows_configuration_never_credentials(emu: Emulator) -> None:
    client = make_async(emu, encoding="json", max_concurrency=4)
    shown = repr(client)
    assert shown == (
        f"<zoomlive.AsyncClient base_url='{emu.base_url}' encoding='json' "
        "auth='access_token' max_concurrency=4>"
    )
    s2s = zoomlive.AsyncClient.server_to_server(ACCOUNT, CLIENT_ID, SECRET, base_url=emu.base_url)
    assert "auth='server_to_server'" in repr(s2s)
    for text in (repr(client), str(client), repr(s2s)):
        assert TOKEN not in text and SECRET not in text and TOKEN[:12] not in text
    asyncio.run(client.aclose())
    assert repr(client).endswith(" max_concurrency=4 closed>")


# --- arguments: checked in the coroutine, before any thread ------------------------------------


def test_a_closed_sync_client_checks_every_argument_and_sends_nothing(emu: Emulator) -> None:
    """What the async client's argument check relies on: a closed sync client makes
    every check a real call makes, the core's checks of the whole request included,
    before it raises RuntimeError for being closed; nothing reaches the emulator and
    no call is traced."""
    client = zoomlive.Client(TOKEN, base_url=emu.base_url, max_retries=0)
    client.close()
    with pytest.raises(zoomlive.InvalidInputError):
        client.update_meeting_livestream_status(MEETING, "pause")
    with pytest.raises(zoomlive.InvalidInputError) as caught:  # the core's check of the request
        client.update_webinar_livestream_status(WEBINAR, "start", settings={"layout": "x"})
    assert caught.value.field == "settings.layout"
    with pytest.raises(zoomlive.InvalidInputError):
        client.update_webinar_livestream(WEBINAR, **{**STREAM, "page_url": "ftp://x"})
    with pytest.raises(zoomlive.InvalidInputError):
        client.get_webinar_livestream("0")
    with pytest.raises(TypeError):
        client.get_meeting_livestream()  # type: ignore[call-arg]
    good = [
        lambda: client.update_meeting_livestream_status(MEETING, "start", display_name="ok"),
        lambda: client.update_webinar_livestream_status(WEBINAR, "stop"),
        lambda: client.update_meeting_livestream(MEETING, **STREAM),
        lambda: client.update_webinar_livestream(WEBINAR, **STREAM, resolution="720p"),
        lambda: client.get_meeting_livestream(MEETING),
        lambda: client.get_webinar_livestream(WEBINAR),
    ]
    texts = set()
    for call in good:
        with pytest.raises(RuntimeError) as closed:
            call()
        texts.add(str(closed.value))
    assert texts == {"this zoomlive.Client is closed"}
    assert emu.requests() == []
    assert client.last_trace == ""


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda c: c.get_meeting_livestream("12a"), zoomlive.InvalidInputError),
        (lambda c: c.update_meeting_livestream_status(MEETING, "pause"), zoomlive.InvalidInputError),
        (lambda c: c.update_webinar_livestream_status(WEBINAR, "start", display_name="x" * 51), zoomlive.InvalidInputError),
        (lambda c: c.update_meeting_livestream(MEETING, **{**STREAM, "resolution": "4k"}), zoomlive.InvalidInputError),
        (lambda c: c.update_webinar_livestream(WEBINAR, **{**STREAM, "stream_key": ""}), zoomlive.InvalidInputError),
        (lambda c: c.get_webinar_livestream(1.5), TypeError),
        (lambda c: c.update_meeting_livestream_status(MEETING), TypeError),
        (lambda c: c.update_webinar_livestream_status(WEBINAR, "start", layout="x"), TypeError),
        (
            lambda c: c.update_webinar_livestream_status(WEBINAR, "start", settings='{"close_caption":"x"}'),
            zoomlive.InvalidInputError,
        ),
    ],
)
def test_bad_arguments_raise_in_the_coroutines_first_step(
    emu: Emulator, call: Callable[[Any], Any], error: type
) -> None:
    client = make_async(emu)
    coroutine = call(client)  # creating it checks nothing, as for any coroutine
    # Its first step raises, with no event loop at all: nothing was queued for a thread.
    with pytest.raises(error) as caught:
        coroutine.send(None)
    with pytest.raises(error) as sync_caught:
        call(zoomlive.Client(TOKEN, base_url=emu.base_url))
    assert str(caught.value) == str(sync_caught.value)  # the sync client's own error
    assert client._pool._jobs.qsize() == 0 and not client._pool._threads
    assert emu.requests() == []


def test_a_call_on_a_closed_client_raises_runtime_error(emu: Emulator) -> None:
    async def main() -> None:
        async with make_async(emu) as client:
            await client.get_meeting_livestream(MEETING)
        assert client.closed
        with pytest.raises(RuntimeError, match="AsyncClient is closed"):
            await client.update_meeting_livestream_status(MEETING, "stop")
        with pytest.raises(zoomlive.InvalidInputError):  # arguments first, as the sync client
            await client.get_meeting_livestream("x")
        await client.aclose()  # twice is harmless
        assert client.closed

    asyncio.run(main())
    assert len(emu.api_requests()) == 1


# --- operations, loops and threads ------------------------------------------------------------


def test_every_operation_under_each_loop(emu: Emulator, run: Callable[[Any], Any]) -> None:
    async def main() -> Dict[str, Any]:
        async with make_async(emu, encoding="json") as client:
            await client.update_meeting_livestream(MEETING, **STREAM, resolution="1080p")
            await client.update_webinar_livestream(str(WEBINAR), **STREAM)
            await client.update_meeting_livestream_status(MEETING, "start", display_name="Hall")
            await client.update_webinar_livestream_status(WEBINAR, "start", active_speaker_name=True)
            got: Dict[str, Any] = {
                "meeting": await client.get_meeting_livestream(MEETING),
                "webinar": await client.get_webinar_livestream(WEBINAR),
            }
            with pytest.raises(zoomlive.NotFoundError) as missing:
                await client.get_meeting_livestream(1)
            got["missing"] = missing.value
            return got

    got = run(main())
    assert got["meeting"] == zoomlive.Livestream(**STREAM, resolution="1080p")
    assert got["webinar"] == zoomlive.Livestream(**STREAM)
    assert (got["missing"].status, got["missing"].code) == (404, 3001)
    streams = emu.streams()
    assert streams[f"meeting:{MEETING}"]["live"] and streams[f"webinar:{WEBINAR}"]["live"]
    assert [r["status"] for r in emu.api_requests()] == [204, 204, 204, 204, 200, 200, 404]


def test_last_trace_is_each_tasks_own_last_call(emu: Emulator, run: Callable[[Any], Any]) -> None:
    async def succeed(client: zoomlive.AsyncClient) -> str:
        await asyncio.sleep(0)
        await client.update_meeting_livestream_status(MEETING, "start", display_name="Hall")
        return client.last_trace

    async def fail(client: zoomlive.AsyncClient) -> tuple[str, str]:
        with pytest.raises(zoomlive.NotFoundError) as missing:
            await client.get_meeting_livestream(1)
        assert missing.value.trace is not None
        return client.last_trace, missing.value.trace

    async def main() -> Dict[str, Any]:
        async with make_async(emu) as client:
            got: Dict[str, Any] = {"before": client.last_trace}
            # Two tasks at once: each sees its own call, whatever finished last.
            got["ok"], (got["failed"], got["error"]) = await asyncio.gather(
                succeed(client), fail(client)
            )
            got["main"] = client.last_trace  # this task made no call
            await client.get_meeting_livestream(MEETING)
            got["get"] = client.last_trace
            with pytest.raises(zoomlive.InvalidInputError):
                await client.get_meeting_livestream(0)
            got["refused"] = client.last_trace
        return got

    got = run(main())
    assert got["before"] == "" and got["main"] == "" and got["refused"] == ""
    assert f"request PATCH /v2/meetings/{MEETING}/livestream/status" in got["ok"], got["ok"]
    assert " outcome ok " in got["ok"] and TOKEN not in got["ok"]
    assert got["failed"] == got["error"] and " answer 404 " in got["failed"]
    assert f"request GET /v2/meetings/{MEETING}/livestream" in got["get"]


def test_calls_never_use_the_loops_default_executor(emu: Emulator) -> None:
    class Refusing(ThreadPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the default executor was used")

    async def main() -> None:
        asyncio.get_running_loop().set_default_executor(Refusing(max_workers=1))
        async with make_async(emu) as client:
            await asyncio.gather(*(client.get_meeting_livestream(m) for m in MEETINGS))
            await client.update_meeting_livestream_status(MEETING, "start")

    asyncio.run(main())
    assert len(emu.api_requests()) == len(MEETINGS) + 1


def test_200_delayed_calls_run_50_at_a_time_while_the_loop_keeps_ticking(
    emu: Emulator, run: Callable[[Any], Any]
) -> None:
    delay, n, limit = 0.1, 200, 50
    emu.fault(delay_ms=int(delay * 1000), times=n, path="/livestream")

    async def main() -> Dict[str, Any]:
        async with make_async(emu, max_concurrency=limit) as client:
            ticks: List[float] = []
            peak = [0]
            done = asyncio.Event()

            async def ticker() -> None:
                while not done.is_set():
                    await asyncio.sleep(0.01)
                    ticks.append(time.monotonic())
                    peak[0] = max(peak[0], len(client._pool._threads))

            ticking = asyncio.create_task(ticker())
            await asyncio.sleep(0.03)
            started = time.monotonic()
            results = await asyncio.gather(
                *(client.get_meeting_livestream(MEETINGS[i % 8]) for i in range(n))
            )
            elapsed = time.monotonic() - started
            done.set()
            await ticking
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        return {"results": results, "elapsed": elapsed, "max_gap": max(gaps), "peak": peak[0]}

    out = run(main())
    assert len(out["results"]) == n and all(isinstance(r, zoomlive.Livestream) for r in out["results"])
    # 50 at a time: at least 4 rounds of 100 ms; about 0.4 s on an idle machine, and far
    # below the 20 s of one call after the other.
    assert 4 * delay * 0.95 <= out["elapsed"] < n * delay / 5, out
    assert 2 <= out["peak"] <= limit, out
    # The event loop ran all along: a 10 ms ticker was never held up long.
    assert out["max_gap"] < 0.25, out
    assert len(emu.api_requests()) == n


def test_the_loop_runs_while_a_call_talks_to_zoom(emu: Emulator) -> None:
    emu.fault(delay_ms=1000)

    async def main() -> int:
        ticks = 0
        async with make_async(emu) as client:
            call = asyncio.create_task(client.update_meeting_livestream_status(MEETING, "start"))
            while not call.done():
                await asyncio.sleep(0.01)
                ticks += 1
            await call
        return ticks

    # The GIL is released during the call: held, the loop would tick once or twice.
    assert asyncio.run(main()) >= 20


def test_several_event_loops_in_several_threads_share_one_client(emu: Emulator) -> None:
    client = make_async(emu, max_concurrency=8)
    barrier = threading.Barrier(4)

    async def work(meeting: int) -> List[zoomlive.Livestream]:
        barrier.wait()  # the four loops run at once
        got = []
        for round_ in range(5):
            url = f"rtmp://live.example/{meeting}/{round_}"
            await client.update_meeting_livestream(meeting, **{**STREAM, "stream_url": url})
            reads = await asyncio.gather(*(client.get_meeting_livestream(meeting) for _ in range(4)))
            assert {r.stream_url for r in reads} == {url}
            got.append(reads[0])
        return got

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda m: asyncio.run(work(m)), MEETINGS[:4]))
    for meeting, got in zip(MEETINGS[:4], results):
        assert [g.stream_url for g in got] == [f"rtmp://live.example/{meeting}/{r}" for r in range(5)]
    asyncio.run(client.aclose())  # from yet another loop
    assert len(emu.api_requests()) == 4 * 5 * 5
    assert not [t for t in client._pool._threads if t.is_alive()]


# --- cancellation, aclose, closed loops ------------------------------------------------------------


def test_cancelling_the_awaiting_task_is_immediate_and_the_call_finishes_behind(
    emu: Emulator, background_errors: List[object]
) -> None:
    emu.fault(delay_ms=1000)
    handled: List[Dict[str, Any]] = []

    async def main() -> Dict[str, float]:
        asyncio.get_running_loop().set_exception_handler(lambda _, ctx: handled.append(ctx))
        client = make_async(emu)
        task = asyncio.create_task(client.update_meeting_livestream_status(MEETING, "start"))
        await until(lambda: bool(emu.api_requests()), "the call to reach the emulator")
        cancelled_at = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        raised_after = time.monotonic() - cancelled_at
        closing = time.monotonic()
        await client.aclose()  # waits for the call still on the wire
        return {"raised_after": raised_after, "aclose": time.monotonic() - closing}

    out = asyncio.run(main())
    assert out["raised_after"] < 0.2, out  # at once, not when Zoom answers
    assert out["aclose"] > 0.2, out  # the call was still running: aclose() waited for it
    (req,) = emu.api_requests()
    assert req["status"] == 204  # it completed; its result was dropped
    assert emu.streams()[f"meeting:{MEETING}"]["live"] is True
    assert handled == [] and background_errors == []


def test_a_call_cancelled_while_waiting_for_a_worker_is_never_sent(emu: Emulator) -> None:
    emu.fault(delay_ms=1000, times=1)

    async def main() -> None:
        async with make_async(emu, max_concurrency=1) as client:
            first = asyncio.create_task(client.update_meeting_livestream_status(1001, "start"))
            second = asyncio.create_task(client.update_meeting_livestream_status(1002, "start"))
            await until(lambda: bool(emu.api_requests()), "the first call to reach the emulator")
            second.cancel()
            await first
            with pytest.raises(asyncio.CancelledError):
                await second
            await client.get_meeting_livestream(1003)  # the worker carries on

    asyncio.run(main())
    assert [r["path"] for r in emu.api_requests()] == [
        "/v2/meetings/1001/livestream/status",
        "/v2/meetings/1003/livestream",
    ]


def test_aclose_waits_for_calls_in_flight_and_refuses_queued_ones(emu: Emulator) -> None:
    emu.fault(delay_ms=1000, times=2)

    async def main() -> Dict[str, Any]:
        client = make_async(emu, max_concurrency=2)
        calls = [
            asyncio.create_task(client.update_meeting_livestream_status(m, "start"))
            for m in (1001, 1002, 1003)
        ]
        await until(lambda: len(emu.api_requests()) == 2, "two calls on the wire")
        started = time.monotonic()
        await client.aclose()
        took = time.monotonic() - started
        finished = [c.done() for c in calls[:2]]
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
        return {"took": took, "finished": finished, "outcomes": outcomes, "client": client}

    out = asyncio.run(main())
    assert out["finished"] == [True, True], "aclose() returned before the calls in flight"
    assert out["outcomes"][:2] == [None, None]
    assert isinstance(out["outcomes"][2], RuntimeError) and "closed" in str(out["outcomes"][2])
    assert 0.2 < out["took"] < 5, out["took"]
    assert out["client"].closed
    assert not [t for t in out["client"]._pool._threads if t.is_alive()]
    assert [r["status"] for r in emu.api_requests()] == [204, 204]  # the third never left


def test_aclose_waits_no_longer_than_the_calls_timeout(emu: Emulator) -> None:
    emu.fault(hang=True)

    async def main() -> Dict[str, Any]:
        client = make_async(emu, timeout=0.5, max_retries=0)
        call = asyncio.create_task(client.get_meeting_livestream(MEETING))
        await until(lambda: bool(emu.api_requests()), "the call to reach the emulator")
        started = time.monotonic()
        await client.aclose()
        took = time.monotonic() - started
        with pytest.raises(zoomlive.TimeoutError):
            await call
        return {"took": took}

    out = asyncio.run(main())
    assert out["took"] < 3.0, out  # the call's 0.5 s deadline (+ grace), not the hang


def test_a_loop_closed_before_the_answer_gets_nothing_and_nothing_breaks(
    emu: Emulator, background_errors: List[object]
) -> None:
    emu.fault(delay_ms=400)
    client = make_async(emu)
    loop = asyncio.new_event_loop()
    handled: List[Dict[str, Any]] = []
    loop.set_exception_handler(lambda _, ctx: handled.append(ctx))
    task = loop.create_task(client.update_meeting_livestream_status(MEETING, "start"))
    loop.run_until_complete(until(lambda: bool(emu.api_requests()), "the call on the wire"))
    loop.close()  # the task still waits for the answer
    wait_until(lambda: not client._calls, "the call to finish on its worker")
    assert emu.api_requests()[0]["status"] == 204
    # The client and its worker carry on in another loop.
    got = asyncio.run(client.get_meeting_livestream(MEETING))
    assert isinstance(got, zoomlive.Livestream)
    asyncio.run(client.aclose())
    assert not task.done()
    del task
    gc.collect()
    assert background_errors == []
    assert all("destroyed but it is pending" in str(ctx.get("message")) for ctx in handled), handled


def test_a_client_dropped_without_aclose_lets_its_threads_go(emu: Emulator) -> None:
    async def use() -> List[threading.Thread]:
        client = make_async(emu)
        await asyncio.gather(*(client.get_meeting_livestream(m) for m in MEETINGS[:3]))
        return list(client._pool._threads)

    threads = asyncio.run(use())
    assert threads and all(WORKER.match(t.name) for t in threads)
    gc.collect()
    wait_until(
        lambda: not any(t.is_alive() for t in threads), "the dropped client's workers to end"
    )


# --- process level -----------------------------------------------------------------------------


def run_python(code: str, emu: Emulator, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, BASE_URL=emu.base_url, TOKEN=TOKEN)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=timeout
    )


def test_interpreter_exit_lets_a_call_in_flight_finish(emu: Emulator) -> None:
    emu.fault(delay_ms=700)
    code = (
        "import asyncio, os, zoomlive\n"
        "client = zoomlive.AsyncClient(os.environ['TOKEN'], base_url=os.environ['BASE_URL'])\n"
        "async def main():\n"
        "    await client.get_meeting_livestream(1001)  # workers exist\n"
        "    asyncio.create_task(client.update_meeting_livestream_status(68423085, 'start'))\n"
        "    await asyncio.sleep(0.3)  # on the wire; asyncio.run then cancels the task\n"
        "asyncio.run(main())\n"
        "print('main done', flush=True)\n"
    )
    started = time.monotonic()
    proc = run_python(code, emu)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "main done\n" and proc.stderr == ""
    assert [r["status"] for r in emu.api_requests()] == [200, 204]  # it completed
    assert time.monotonic() - started < 30


def test_interpreter_exit_with_idle_workers_is_prompt(emu: Emulator) -> None:
    code = (
        "import asyncio, os, zoomlive\n"
        "client = zoomlive.AsyncClient(os.environ['TOKEN'], base_url=os.environ['BASE_URL'])\n"
        "async def main():\n"
        "    await asyncio.gather(*(client.get_meeting_livestream(68423085) for _ in range(20)))\n"
        "asyncio.run(main())\n"
    )
    started = time.monotonic()
    proc = run_python(code, emu)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert time.monotonic() - started < 10


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_forked_child_gets_workers_of_its_own(emu: Emulator) -> None:
    code = (
        "import asyncio, os, sys, zoomlive\n"
        "client = zoomlive.AsyncClient(os.environ['TOKEN'], base_url=os.environ['BASE_URL'])\n"
        "asyncio.run(client.get_meeting_livestream(1001))  # the parent's workers exist\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    got = asyncio.run(asyncio.wait_for(client.get_meeting_livestream(1002), 10))\n"
        "    os._exit(0 if got.page_url is not None else 3)\n"
        "_, status = os.waitpid(pid, 0)\n"
        "asyncio.run(client.get_meeting_livestream(1003))\n"
        "asyncio.run(client.aclose())\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n"
    )
    proc = run_python(code, emu)
    assert proc.returncode == 0, (proc.returncode, proc.stderr)
    assert sorted(r["path"] for r in emu.api_requests()) == [
        f"/v2/meetings/{m}/livestream" for m in (1001, 1002, 1003)
    ]


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_1000_create_use_close_cycles_grow_neither_threads_nor_memory(emu: Emulator) -> None:
    async def cycles(n: int, peak: List[int]) -> None:
        for i in range(n):
            async with make_async(emu) as client:
                if i % 2:
                    await client.get_meeting_livestream(MEETING)
                else:
                    await client.update_meeting_livestream_status(MEETING, "stop")
                peak[0] = max(peak[0], len(workers()))  # its worker is alive
            peak[1] = max(peak[1], len(workers()))  # aclose() ended it

    asyncio.run(cycles(100, [0, 0]))  # warm-up: allocator pools, the starter thread
    gc.collect()
    # Threads of earlier tests may still be ending: none may be added, none may stay.
    threads_before, workers_before, rss_before = threading.active_count(), len(workers()), rss_bytes()
    peak = [0, 0]
    asyncio.run(cycles(1000, peak))
    gc.collect()
    grown = rss_bytes() - rss_before
    assert 1 <= peak[0] <= workers_before + 1, (peak, workers_before)
    assert peak[1] <= workers_before, (peak, workers_before)
    assert threading.active_count() <= threads_before
    assert grown < 8 * 1024 * 1024, f"RSS grew {grown / 1024:.0f} KiB over 1,000 cycles"
    assert len(emu.api_requests()) == 1100


def test_the_example_runs_against_the_emulator(emu: Emulator) -> None:
    example = ROOT / "examples" / "python" / "async_livestream.py"
    env = dict(os.environ, ZOOM_ACCESS_TOKEN=TOKEN, ZOOM_BASE_URL=emu.base_url)
    proc = subprocess.run(
        [sys.executable, str(example), "1001", "1002", "1003"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("1001: streams to rtmp://live.example.com/app (720p)")
    assert TOKEN not in proc.stdout + proc.stderr
    assert len(emu.api_requests()) == 3 * 3 + 1
    assert not any(s["live"] for k, s in emu.streams().items() if k.startswith("meeting:100"))
