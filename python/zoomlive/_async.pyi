"""Type stubs of ``zoomlive._async`` (``zoomlive.AsyncClient``).

At run time the constructors and operations forward their arguments to the sync
:class:`~zoomlive.Client`; these stubs spell them out, and the Python tests check that
they list exactly the sync stubs' parameters (``_zoomlive.pyi``), plus ``max_concurrency``.
"""

import os
from types import TracebackType
from typing import Callable, Dict, Iterable, Mapping, Optional, Type, Union

from ._zoomlive import BatchResult, BatchRun, Livestream, _Id, _Settings

__all__ = ["AsyncBatchRun", "AsyncClient"]

DEFAULT_MAX_CONCURRENCY: int
"""Worker threads an :class:`AsyncClient` may run at once unless told otherwise (16)."""
MAX_CONCURRENCY_LIMIT: int
"""The largest ``max_concurrency`` accepted (1024)."""

class AsyncClient:
    """Performs Zoom's REST v2 live-stream operations as coroutines.

    Each call is checked when awaited, before anything is sent, then runs on one of the
    client's worker threads (at most ``max_concurrency`` at once) with the GIL released
    while it talks to Zoom; results and exceptions are the sync :class:`Client`'s.
    """

    def __init__(
        self,
        access_token: str,
        *,
        base_url: Optional[str] = None,
        encoding: str = "auto",
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        allow_insecure_http: bool = False,
        extra_ca_file: Optional[Union[str, os.PathLike[str]]] = None,
        token_cache_dir: Optional[Union[str, os.PathLike[str]]] = None,
        proxy: Optional[str] = None,
        no_proxy: Optional[str] = None,
        system_proxy: bool = True,
        proxy_user: Optional[str] = None,
        proxy_password: Optional[str] = None,
        proxy_auth: str = "auto",
        max_concurrency: int = 16,
    ) -> None:
        """A client authenticating with a bearer access token; the arguments of
        ``Client(...)``, plus ``max_concurrency`` (1 to 1024): calls run at once."""
    @classmethod
    def server_to_server(
        cls,
        account_id: str,
        client_id: str,
        client_secret: str,
        *,
        base_url: Optional[str] = None,
        oauth_url: Optional[str] = None,
        encoding: str = "auto",
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        allow_insecure_http: bool = False,
        extra_ca_file: Optional[Union[str, os.PathLike[str]]] = None,
        token_cache_dir: Optional[Union[str, os.PathLike[str]]] = None,
        proxy: Optional[str] = None,
        no_proxy: Optional[str] = None,
        system_proxy: bool = True,
        proxy_user: Optional[str] = None,
        proxy_password: Optional[str] = None,
        proxy_auth: str = "auto",
        max_concurrency: int = 16,
    ) -> AsyncClient:
        """A client using a Server-to-Server OAuth app; the arguments of
        ``Client.server_to_server(...)``, plus ``max_concurrency``."""
    @property
    def base_url(self) -> str:
        """The API base URL in use, without a trailing ``/``."""
    @property
    def encoding(self) -> str:
        """The encoding configured: ``"auto"``, ``"multipart"`` or ``"json"``."""
    @property
    def max_concurrency(self) -> int:
        """How many calls may run at once (worker threads)."""
    @property
    def closed(self) -> bool:
        """True once :meth:`aclose` was called."""
    @property
    def last_trace(self) -> str:
        """The trace of the last call awaited on this client by the current task (its
        context), success or failure; ``""`` before any call."""
    def proxy_for(self, url: str) -> Dict[str, Optional[str]]:
        """The proxy decision for ``url``, as :meth:`Client.proxy_for`."""
    def batch(
        self,
        ops: Iterable[Mapping[str, Union[str, int, bool, None]]],
        *,
        concurrency: int = 4,
        rate: Optional[float] = None,
        plan: str = "pro",
        deadline: Optional[float] = None,
        journal: Union[str, os.PathLike[str], None] = None,
        resume: bool = False,
        resume_uncertain: bool = False,
        on_result: Optional[Callable[[BatchResult], object]] = None,
    ) -> AsyncBatchRun:
        """Runs many operations as :meth:`Client.batch` (the same arguments, checked
        before anything is sent); ``async for`` over the result gives the
        ``BatchResult`` s in completion order; ``on_result`` is called on the loop."""
    async def aclose(self) -> None:
        """Closes the client: later calls raise ``RuntimeError``; calls waiting for a
        worker are not sent (``RuntimeError``); calls talking to Zoom are waited for (each
        at most its timeout), then connections and threads are released."""
    async def __aenter__(self) -> AsyncClient: ...
    async def __aexit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...
    async def update_meeting_livestream_status(
        self,
        meeting_id: _Id,
        action: str,
        *,
        settings: Optional[_Settings] = None,
        active_speaker_name: Optional[bool] = None,
        display_name: Optional[str] = None,
        layout: Optional[str] = None,
        close_caption: Optional[str] = None,
    ) -> None:
        """Starts (``"start"``) or stops (``"stop"``) a meeting's live stream."""
    async def update_webinar_livestream_status(
        self,
        webinar_id: _Id,
        action: str,
        *,
        settings: Optional[_Settings] = None,
        active_speaker_name: Optional[bool] = None,
        display_name: Optional[str] = None,
    ) -> None:
        """Starts (``"start"``) or stops (``"stop"``) a webinar's live stream."""
    async def update_meeting_livestream(
        self,
        meeting_id: _Id,
        *,
        stream_url: str,
        stream_key: str,
        page_url: str,
        resolution: Optional[str] = None,
    ) -> None:
        """Sets where a meeting streams to."""
    async def update_webinar_livestream(
        self,
        webinar_id: _Id,
        *,
        stream_url: str,
        stream_key: str,
        page_url: str,
        resolution: Optional[str] = None,
    ) -> None:
        """Sets where a webinar streams to."""
    async def get_meeting_livestream(self, meeting_id: _Id) -> Livestream:
        """Reads a meeting's live stream configuration."""
    async def get_webinar_livestream(self, webinar_id: _Id) -> Livestream:
        """Reads a webinar's live stream configuration."""

class AsyncBatchRun:
    """A running batch of an :class:`AsyncClient`: ``async for`` gives its
    ``BatchResult`` s in completion order; ``len()`` is the number of operations; ``async
    with`` (or :meth:`aclose`) stops dispatching when the loop is left early."""

    def __init__(
        self, run: BatchRun, on_result: Optional[Callable[[BatchResult], object]]
    ) -> None:
        """Made by :meth:`AsyncClient.batch`, around the sync client's run."""
    def __len__(self) -> int: ...
    @property
    def to_send(self) -> int:
        """How many operations this run sends."""
    @property
    def expected_seconds(self) -> float:
        """How long sending them should take at the starting rate."""
    @property
    def rate(self) -> Optional[float]:
        """The current pace in calls per second, lowered by Zoom's limits."""
    @property
    def summary(self) -> Dict[str, int]:
        """Counts of the results read so far, by outcome."""
    def stop(self) -> None:
        """Stops dispatching; calls in flight finish, the rest are deferred."""
    def __aiter__(self) -> AsyncBatchRun: ...
    async def __anext__(self) -> BatchResult: ...
    async def aclose(self) -> None:
        """Stops dispatching and waits (without blocking the loop) for the calls in
        flight; results not read are dropped."""
    async def __aenter__(self) -> AsyncBatchRun: ...
    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...
