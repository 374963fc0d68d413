"""``zoomlive.AsyncClient``: the six operations as coroutines, for asyncio programs.

Each call is checked at once, in the awaiting coroutine, by the same Rust code the sync
:class:`~zoomlive.Client` uses (see ``_check_arguments``); then it runs on one of the client's own worker threads
(at most ``max_concurrency`` of them, never the loop's default executor) as a call of a
sync ``Client``, which releases the GIL while it talks to Zoom, and its result or
exception is handed back to the awaiting loop with ``loop.call_soon_threadsafe``.

The constructors forward their arguments to the sync constructors unchanged, so the two
faces take the same keywords (``_async.pyi`` lists them for type checkers).
"""

from __future__ import annotations

import asyncio
import atexit
import contextvars
import os
import queue
import threading
import time
import weakref
from types import TracebackType
from typing import Any, Callable, Dict, List, Optional, Set, Tuple, Type

from ._errors import InvalidInputError
from ._zoomlive import BatchResult, BatchRun, Client, Livestream

__all__ = ["AsyncBatchRun", "AsyncClient"]

DEFAULT_MAX_CONCURRENCY = 16
"""Worker threads an :class:`AsyncClient` may run at once unless told otherwise."""
MAX_CONCURRENCY_LIMIT = 1024
"""The largest ``max_concurrency`` accepted."""

# The core's default whole-call timeout (DEFAULT_TIMEOUT in src/builder.rs): how long
# aclose() waits for a call in flight when the client was built without `timeout=`.
_DEFAULT_TIMEOUT = 30.0
# Added to a call's timeout: the core starts its deadline a little after the worker
# picks the call up, and handing the result back takes a moment too.
_DEADLINE_GRACE = 1.0
# How long aclose() waits for its idle worker threads to end.
_THREAD_EXIT_WAIT = 2.0

_CLOSED_TEXT = "this zoomlive.AsyncClient is closed"

# A call's states; changed only under its client's lock.
_QUEUED, _RUNNING, _DONE, _DROPPED = range(4)


# --- Checking arguments on the loop thread ----------------------------------------------
#
# The checker is a closed sync Client: a call on it makes every check a real call makes
# (the argument types in src/python, each value and the request as a whole in the core,
# such as settings that apply to meetings only) before it looks at the client, then
# raises the closed client's RuntimeError. So it raises exactly the sync client's
# TypeError or InvalidInputError for bad arguments, and RuntimeError for good ones,
# without a call, a connection or a trace. The checks run once more on the worker
# thread, at no risk.

_checker: Optional[Client] = None
_checker_passed: Tuple[type, str] = (type(None), "")


def _make_checker() -> Client:
    global _checker, _checker_passed
    checker = Client("zoomlive-argument-checker", base_url="http://127.0.0.1:9/v2")
    checker.close()
    try:
        checker.get_meeting_livestream(1)
    except RuntimeError as passed:  # what good arguments get
        _checker_passed = (type(passed), str(passed))
    _checker = checker
    return checker


def _check_arguments(operation: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> None:
    """Raises what ``Client.<operation>(*args, **kwargs)`` raises for bad arguments."""
    checker = _checker or _make_checker()
    try:
        getattr(checker, operation)(*args, **kwargs)
    except RuntimeError as err:
        if (type(err), str(err)) == _checker_passed:
            return  # every argument is good
        raise
    raise AssertionError(f"the argument checker ran {operation}()")


# --- Handing results back to a loop -----------------------------------------------------


def _settle(future: asyncio.Future[Any], result: Any, error: Optional[BaseException]) -> None:
    """On the loop's thread: completes the awaited future, unless it was cancelled."""
    if future.done():
        return  # the awaiting task was cancelled: the result is dropped
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _hand_back(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    result: Any,
    error: Optional[BaseException],
) -> None:
    """From any thread: schedules `_settle` on the future's loop; a closed loop has
    nobody left to tell, so the outcome is dropped."""
    try:
        loop.call_soon_threadsafe(_settle, future, result, error)
    except RuntimeError:
        pass  # "Event loop is closed"


class _Call:
    """One awaited operation: where its outcome goes, and how far it got."""

    __slots__ = ("loop", "future", "state", "deadline", "trace")

    def __init__(self, loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any]) -> None:
        self.loop = loop
        self.future = future
        self.state = _QUEUED
        self.deadline = 0.0
        self.trace = ""  # set by the worker before it hands the outcome back


# --- The worker threads -----------------------------------------------------------------
#
# The event loop's thread only puts jobs on a queue (SimpleQueue: C code, no Python lock
# to wait for): it never starts a thread, since Thread.start() waits until the new
# thread runs, which on a busy machine can stall the loop for milliseconds per thread.
# Workers are started by one process-wide daemon thread, the starter, when jobs wait and
# no worker is idle (told so by the loop, or by a worker that took a job and saw more).


class _Workers:
    """Up to ``limit`` daemon threads running jobs from one queue, started as the work
    needs them; idle ones wait on the queue until the pool is stopped."""

    def __init__(self, limit: int, name: str, job_seconds: float) -> None:
        self.limit = limit
        self.name = name
        self.job_seconds = job_seconds  # the longest a job may run (for the exit wait)
        self._numbered = 0
        self._reset()
        _live_workers.add(self)

    def _reset(self) -> None:
        # Also the state of a forked child: the parent's threads do not exist there.
        self._jobs: queue.SimpleQueue[Optional[Callable[[], None]]] = queue.SimpleQueue()
        self._lock = threading.Lock()  # workers and the starter; never the loop
        self._threads: Set[threading.Thread] = set()
        self._idle = 0
        self._starting = 0
        self._wanted = False  # the starter was asked to look at this pool
        self._stopped = False

    def submit(self, job: Callable[[], None]) -> None:
        """From the event loop: never blocks."""
        if self._stopped:
            raise RuntimeError(_CLOSED_TEXT)
        self._jobs.put(job)
        # Read without the lock: a worker that takes a job checks again.
        if not self._idle:
            self._want_more()

    def stop(self) -> List[threading.Thread]:
        """Drops the queued jobs and lets every worker end once its job is done;
        returns the workers that may still be alive."""
        with self._lock:
            self._stopped = True
            threads = list(self._threads)
        try:
            while True:
                self._jobs.get_nowait()
        except queue.Empty:
            pass
        for _ in threads:
            self._jobs.put(None)
        return threads

    def _want_more(self) -> None:
        if len(self._threads) < self.limit and not self._wanted and not self._stopped:
            self._wanted = True
            _starter_queue().put(self)

    def _grow(self) -> None:
        """On the starter thread: starts workers while jobs outnumber the idle ones."""
        self._wanted = False
        while True:
            with self._lock:
                if (
                    self._stopped
                    or len(self._threads) >= self.limit
                    or self._jobs.qsize() <= self._idle + self._starting
                ):
                    return
                self._numbered += 1
                thread = threading.Thread(
                    target=self._work, name=f"{self.name}-{self._numbered}", daemon=True
                )
                self._threads.add(thread)
                self._starting += 1
            try:
                thread.start()
            except RuntimeError:  # can't start new thread: the others carry on
                with self._lock:
                    self._threads.discard(thread)
                    self._starting -= 1
                return

    def _work(self) -> None:
        me = threading.current_thread()
        jobs, lock = self._jobs, self._lock
        with lock:
            self._starting -= 1
        while True:
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                with lock:
                    self._idle += 1
                try:
                    job = jobs.get()
                finally:
                    with lock:
                        self._idle -= 1
            if job is None:  # stopped
                with lock:
                    self._threads.discard(me)
                return
            if not self._idle and jobs.qsize():
                self._want_more()
            job()
            del job


# Every pool that may still have threads: stopped at exit, reset in a forked child.
_live_workers: "weakref.WeakSet[_Workers]" = weakref.WeakSet()

_starter: Optional["queue.SimpleQueue[_Workers]"] = None
_starter_lock = threading.Lock()


def _starter_queue() -> "queue.SimpleQueue[_Workers]":
    """The queue of the process-wide thread that starts workers (started once)."""
    global _starter
    if _starter is None:
        with _starter_lock:
            if _starter is None:
                wanted: queue.SimpleQueue[_Workers] = queue.SimpleQueue()
                threading.Thread(
                    target=_start_workers, args=(wanted,), name="zoomlive-async-starter",
                    daemon=True,
                ).start()
                _starter = wanted
    return _starter


def _start_workers(wanted: "queue.SimpleQueue[_Workers]") -> None:
    while True:
        pool = wanted.get()
        try:
            pool._grow()
        except BaseException:  # pragma: no cover - never let the starter die
            pass
        del pool


def _stop_all_workers() -> None:
    """At interpreter exit: calls already talking to Zoom finish (each within its
    timeout) before the interpreter goes away under their daemon threads."""
    pools = list(_live_workers)
    threads = [t for pool in pools for t in pool.stop()]
    until = time.monotonic() + max((pool.job_seconds for pool in pools), default=0.0)
    for thread in threads:
        if thread.is_alive():
            thread.join(max(0.0, until - time.monotonic()))


def _reset_after_fork() -> None:
    global _starter, _starter_lock
    _starter, _starter_lock = None, threading.Lock()
    for pool in list(_live_workers):
        pool._reset()
    for client in list(_live_clients):
        client._reset_after_fork()


atexit.register(_stop_all_workers)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _check_max_concurrency(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"max_concurrency must be an int, not {type(value).__name__}")
    if not 1 <= value <= MAX_CONCURRENCY_LIMIT:
        reason = f"must be between 1 and {MAX_CONCURRENCY_LIMIT}"
        raise InvalidInputError(
            f"invalid max_concurrency: {reason}", field="max_concurrency", reason=reason
        )
    return int(value)


class AsyncClient:
    """Performs Zoom's REST v2 live-stream operations as coroutines.

    ``AsyncClient(access_token, *, max_concurrency=16, **options)`` and
    ``AsyncClient.server_to_server(account_id, client_id, client_secret, *,
    max_concurrency=16, **options)`` take exactly the arguments of :class:`Client` and
    ``Client.server_to_server``, plus ``max_concurrency``: how many calls run at once,
    each on one of the client's own worker threads (later calls wait their turn).

    Arguments are checked when the coroutine is awaited, before anything is sent;
    results and exceptions are the sync client's. Use it as ``async with`` (or ``await
    aclose()``). One client may serve several event loops, in several threads.
    """

    __slots__ = (
        "_sync", "_pool", "_lock", "_calls", "_waiters", "_closed", "_timeout",
        "_max_concurrency", "_trace", "_batches", "__weakref__",
    )

    _sync: Client
    _pool: _Workers
    _lock: threading.Lock
    _calls: Set[_Call]
    _waiters: List[Tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]
    _closed: bool
    _timeout: float
    _max_concurrency: int
    _trace: contextvars.ContextVar[str]
    _batches: "weakref.WeakSet[AsyncBatchRun]"

    def __init__(
        self, *args: Any, max_concurrency: int = DEFAULT_MAX_CONCURRENCY, **options: Any
    ) -> None:
        limit = _check_max_concurrency(max_concurrency)
        self._setup(Client(*args, **options), limit, options)

    @classmethod
    def server_to_server(
        cls, *args: Any, max_concurrency: int = DEFAULT_MAX_CONCURRENCY, **options: Any
    ) -> AsyncClient:
        """A client using a Server-to-Server OAuth app; the arguments of
        ``Client.server_to_server``, plus ``max_concurrency``."""
        limit = _check_max_concurrency(max_concurrency)
        self = cls.__new__(cls)
        self._setup(Client.server_to_server(*args, **options), limit, options)
        return self

    def _setup(self, sync: Client, max_concurrency: int, options: Dict[str, Any]) -> None:
        timeout = options.get("timeout")
        self._sync = sync
        self._timeout = float(timeout) if timeout is not None else _DEFAULT_TIMEOUT
        self._max_concurrency = max_concurrency
        # The trace of the last call made in each context (asyncio gives every task a
        # context of its own), as the sync client keeps one per thread.
        self._trace = contextvars.ContextVar("zoomlive_async_last_trace", default="")
        self._batches = weakref.WeakSet()
        self._pool = _Workers(
            max_concurrency, "zoomlive-async", self._timeout + _DEADLINE_GRACE
        )
        self._closed = False
        self._reset_after_fork()
        _live_clients.add(self)
        # A client dropped without aclose(): its idle workers end.
        weakref.finalize(self, self._pool.stop)

    def _reset_after_fork(self) -> None:
        self._lock = threading.Lock()
        self._calls = set()
        self._waiters = []

    # --- properties -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API base URL in use, without a trailing ``/``."""
        return self._sync.base_url

    @property
    def encoding(self) -> str:
        """The encoding configured: ``"auto"``, ``"multipart"`` or ``"json"``."""
        return self._sync.encoding

    @property
    def max_concurrency(self) -> int:
        """How many calls may run at once (worker threads)."""
        return self._max_concurrency

    @property
    def closed(self) -> bool:
        """True once :meth:`aclose` was called (or the ``async with`` block ended)."""
        return self._closed

    @property
    def last_trace(self) -> str:
        """The trace of the last call awaited on this client by the current task (its
        context), success or failure, as :attr:`Client.last_trace`: ``""`` before any
        call and after arguments refused before anything was sent. Calls of other tasks
        do not change it."""
        return self._trace.get()

    def proxy_for(self, url: str) -> Dict[str, Optional[str]]:
        """The proxy decision for ``url``, as :meth:`Client.proxy_for` (made once per
        destination when the client is built, so this does not block the loop)."""
        return self._sync.proxy_for(url)

    def __repr__(self) -> str:
        # The sync client's repr, which never shows a credential, renamed.
        inner = repr(self._sync)
        prefix = "<zoomlive.Client "
        body = inner[len(prefix) : -1] if inner.startswith(prefix) else inner
        body = body.removesuffix(" closed")
        shown = f"<zoomlive.AsyncClient {body} max_concurrency={self._max_concurrency}"
        return shown + (" closed>" if self._closed else ">")

    # --- closing ----------------------------------------------------------------------

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the client: later calls raise ``RuntimeError``; calls waiting for a
        worker are not sent and raise ``RuntimeError``; calls already talking to Zoom
        are waited for (each at most its timeout), then the connections and worker
        threads are released. Closing twice is harmless."""
        loop = asyncio.get_running_loop()
        waiter: Optional[asyncio.Future[None]] = None
        deadline = 0.0
        for run in list(self._batches):
            await run.aclose()
        with self._lock:
            self._closed = True
            queued = [c for c in self._calls if c.state == _QUEUED]
            for call in queued:
                call.state = _DROPPED
                self._calls.discard(call)
            if self._calls:
                deadline = max(c.deadline for c in self._calls)
                waiter = loop.create_future()
                self._waiters.append((loop, waiter))
        for call in queued:
            _hand_back(call.loop, call.future, None, RuntimeError(_CLOSED_TEXT))
        try:
            if waiter is not None:
                left = deadline - time.monotonic()
                if left > 0:
                    await asyncio.wait([waiter], timeout=left)
        finally:
            with self._lock:
                if waiter is not None and not waiter.done():
                    self._waiters = [w for w in self._waiters if w[1] is not waiter]
                stragglers = bool(self._calls)
            self._sync.close()
            threads = self._pool.stop()
        if stragglers:
            return  # past their deadline: their threads end when the core gives up
        # The idle workers end at once; waits for them without blocking the loop.
        until = time.monotonic() + _THREAD_EXIT_WAIT
        pause = 0.0002
        for thread in threads:
            while thread.is_alive() and time.monotonic() < until:
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.02)

    # --- the operations ---------------------------------------------------------------

    async def update_meeting_livestream_status(self, *args: Any, **kwargs: Any) -> None:
        """Starts (``"start"``) or stops (``"stop"``) a meeting's live stream; the
        arguments of ``Client.update_meeting_livestream_status``."""
        await self._run("update_meeting_livestream_status", args, kwargs)

    async def update_webinar_livestream_status(self, *args: Any, **kwargs: Any) -> None:
        """Starts (``"start"``) or stops (``"stop"``) a webinar's live stream; the
        arguments of ``Client.update_webinar_livestream_status``."""
        await self._run("update_webinar_livestream_status", args, kwargs)

    async def update_meeting_livestream(self, *args: Any, **kwargs: Any) -> None:
        """Sets where a meeting streams to; the arguments of
        ``Client.update_meeting_livestream``."""
        await self._run("update_meeting_livestream", args, kwargs)

    async def update_webinar_livestream(self, *args: Any, **kwargs: Any) -> None:
        """Sets where a webinar streams to; the arguments of
        ``Client.update_webinar_livestream``."""
        await self._run("update_webinar_livestream", args, kwargs)

    async def get_meeting_livestream(self, *args: Any, **kwargs: Any) -> Livestream:
        """Reads a meeting's live stream configuration."""
        result: Livestream = await self._run("get_meeting_livestream", args, kwargs)
        return result

    async def get_webinar_livestream(self, *args: Any, **kwargs: Any) -> Livestream:
        """Reads a webinar's live stream configuration."""
        result: Livestream = await self._run("get_webinar_livestream", args, kwargs)
        return result

    # --- many operations ----------------------------------------------------------------

    def batch(
        self,
        ops: Any,
        *,
        concurrency: int = 4,
        rate: Optional[float] = None,
        plan: str = "pro",
        deadline: Optional[float] = None,
        journal: Any = None,
        resume: bool = False,
        resume_uncertain: bool = False,
        on_result: Optional[Callable[[BatchResult], object]] = None,
    ) -> AsyncBatchRun:
        """Runs many operations as :meth:`Client.batch` does (the same arguments, all
        checked here, before anything is sent), on the batch's own threads; iterate the
        result with ``async for`` for the ``BatchResult`` s in completion order.
        ``on_result`` is called on the loop, as each result is read. Use it as ``async
        with`` (or ``await run.aclose()``) to stop dispatching when the loop is left
        early: calls in flight finish, the rest are ``deferred`` and a journal stays
        resumable. The journal is opened here (file I/O, nothing sent)."""
        if self._closed:
            raise RuntimeError(_CLOSED_TEXT)
        sync_run = self._sync.batch(
            ops, concurrency=concurrency, rate=rate, plan=plan, deadline=deadline,
            journal=journal, resume=resume, resume_uncertain=resume_uncertain,
        )
        run = AsyncBatchRun(sync_run, on_result)
        self._batches.add(run)
        return run

    # --- running a call ---------------------------------------------------------------

    async def _run(self, operation: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        # As the sync client: the arguments first, then whether it is closed.
        self._trace.set("")
        _check_arguments(operation, args, kwargs)
        loop = asyncio.get_running_loop()
        call = _Call(loop, loop.create_future())
        with self._lock:
            if self._closed:
                raise RuntimeError(_CLOSED_TEXT)
            self._calls.add(call)
        try:
            method = getattr(self._sync, operation)
            self._pool.submit(lambda: self._work(call, method, args, kwargs))
        except BaseException:
            # The pool was shut down by aclose() in between (or the interpreter is
            # exiting); nobody will await the future, so nothing may settle it.
            call.future.cancel()
            self._forget(call)
            if self._closed:
                raise RuntimeError(_CLOSED_TEXT) from None
            raise
        try:
            return await call.future
        except asyncio.CancelledError:
            self._forget(call)  # never sent when it had not started yet
            raise
        finally:
            # Written by the worker before it handed the outcome back (a cancelled
            # call's stays "").
            self._trace.set(call.trace)

    def _work(
        self, call: _Call, method: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any]
    ) -> None:
        """On a worker thread: runs the sync call (which releases the GIL while it
        talks to Zoom) and hands its outcome back to the awaiting loop."""
        with self._lock:
            if call.state != _QUEUED:
                return  # cancelled, or the client closed, before its turn
            call.state = _RUNNING
            call.deadline = time.monotonic() + self._timeout + _DEADLINE_GRACE
        try:
            result = method(*args, **kwargs)
        except BaseException as error:
            call.trace = self._sync.last_trace  # this thread's call: the one just made
            _hand_back(call.loop, call.future, None, error)
        else:
            call.trace = self._sync.last_trace
            _hand_back(call.loop, call.future, result, None)
        finally:
            self._finish(call)

    def _forget(self, call: _Call) -> None:
        """The awaiting side gave up: a call that has not started never will."""
        with self._lock:
            if call.state != _QUEUED:
                return
            call.state = _DROPPED
        self._finish(call)

    def _finish(self, call: _Call) -> None:
        with self._lock:
            if call.state == _RUNNING:
                call.state = _DONE
            self._calls.discard(call)
            if self._calls or not self._waiters:
                return
            waiters, self._waiters = self._waiters, []
        for loop, waiter in waiters:
            _hand_back(loop, waiter, None, None)


_END = object()  # the end of a batch's results, on its queue


class AsyncBatchRun:
    """A running batch of an :class:`AsyncClient`: ``async for result in run`` gives its
    ``BatchResult`` s in completion order; ``len()`` is the number of operations.

    One thread of its own iterates the sync :class:`BatchRun` (which waits with the GIL
    released) and hands each result to the loop of the first ``async for``, so no
    result is lost to a cancelled ``await``: the next ``async for`` gets it.
    """

    __slots__ = ("_run", "_on_result", "_queue", "_loop", "_thread", "_ended", "__weakref__")

    def __init__(self, run: BatchRun, on_result: Optional[Callable[[BatchResult], object]]) -> None:
        self._run = run
        self._on_result = on_result
        self._queue: Optional[asyncio.Queue[Any]] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._ended = False
        # Dropped without aclose(): dispatching stops (calls in flight finish).
        weakref.finalize(self, run.stop)

    def __len__(self) -> int:
        return len(self._run)

    @property
    def to_send(self) -> int:
        """How many operations this run sends (not done by an earlier run, not repeats)."""
        return self._run.to_send

    @property
    def expected_seconds(self) -> float:
        """How long sending them should take at the starting rate, in seconds."""
        return self._run.expected_seconds

    @property
    def rate(self) -> Optional[float]:
        """The current pace, in calls per second, lowered by Zoom's limits."""
        return self._run.rate

    @property
    def summary(self) -> Dict[str, int]:
        """Counts of the results read so far, by outcome."""
        return self._run.summary

    def stop(self) -> None:
        """Stops dispatching; calls in flight finish, the rest are deferred (their
        results still come, as ``deferred``)."""
        self._run.stop()

    def __aiter__(self) -> AsyncBatchRun:
        return self

    async def __anext__(self) -> BatchResult:
        if self._ended:
            raise StopAsyncIteration
        queue_ = self._start()
        item = await queue_.get()
        if item is _END:
            self._ended = True
            raise StopAsyncIteration
        if isinstance(item, BaseException):
            self._ended = True
            raise item
        if self._on_result is not None:
            self._on_result(item)
        result: BatchResult = item
        return result

    async def aclose(self) -> None:
        """Stops dispatching and waits, without blocking the loop, until the calls in
        flight have finished and the batch's journal is written; the results not read
        are dropped. Closing twice is harmless."""
        self._run.stop()
        if self._thread is None:
            # Never iterated: read the rest on a thread of its own, then drop it.
            self._start()
        pause = 0.001
        while self._thread is not None and self._thread.is_alive():
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)
        self._ended = True

    async def __aenter__(self) -> AsyncBatchRun:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    def _start(self) -> asyncio.Queue[Any]:
        if self._queue is not None:
            return self._queue
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        # (_pump holds the sync run, never this object, so dropping it still stops it)
        self._thread = threading.Thread(
            target=_pump, args=(self._run, self._loop, self._queue), name="zoomlive-async-batch",
            daemon=True,
        )
        self._thread.start()
        return self._queue



def _pump(run: BatchRun, loop: asyncio.AbstractEventLoop, queue_: asyncio.Queue[Any]) -> None:
    """On a batch's thread: every result, then the end, onto the loop's queue; a closed
    loop stops the batch (nobody is left to read it)."""
    item: Any = _END
    try:
        for result in run:
            try:
                loop.call_soon_threadsafe(queue_.put_nowait, result)
            except RuntimeError:  # the loop is closed
                run.stop()
    except BaseException as error:  # the journal could not be written, say
        item = error
    try:
        loop.call_soon_threadsafe(queue_.put_nowait, item)
    except RuntimeError:
        pass


# Every client, for the fork handler (its lock may have been held by another thread).
_live_clients: "weakref.WeakSet[AsyncClient]" = weakref.WeakSet()

_OPERATIONS = (
    "update_meeting_livestream_status",
    "update_webinar_livestream_status",
    "update_meeting_livestream",
    "update_webinar_livestream",
    "get_meeting_livestream",
    "get_webinar_livestream",
)


def _mirror_signatures() -> None:
    """Gives the forwarding constructors and operations the sync client's signatures
    (plus ``max_concurrency``), for ``help()``, ``inspect`` and stubtest, which then
    checks _async.pyi against the sync client's parameters as they are at run time."""
    import inspect

    param = inspect.Parameter
    extra = param("max_concurrency", param.KEYWORD_ONLY, default=DEFAULT_MAX_CONCURRENCY)
    constructors: List[Tuple[Any, Any, str]] = [
        (AsyncClient.__init__, Client, "self"),
        (AsyncClient.__dict__["server_to_server"].__func__, Client.server_to_server, "cls"),
    ]
    try:
        for target, source, first in constructors:
            sig = inspect.signature(source)
            params = [param(first, param.POSITIONAL_OR_KEYWORD), *sig.parameters.values(), extra]
            setattr(target, "__signature__", sig.replace(parameters=params))
        for name in _OPERATIONS:
            setattr(getattr(AsyncClient, name), "__signature__", inspect.signature(getattr(Client, name)))
    except (TypeError, ValueError):  # pragma: no cover - no text signature to mirror
        pass


_mirror_signatures()
