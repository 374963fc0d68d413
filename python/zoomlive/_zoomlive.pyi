"""Type stubs of the compiled module ``zoomlive._zoomlive`` (src/python/).

Import the names from ``zoomlive``; the exceptions live in ``zoomlive._errors``.
"""

import os
from types import TracebackType
from typing import Any, Callable, Dict, Iterable, Iterator, Mapping, Optional, Union, final

__all__ = [
    "Client",
    "Livestream",
    "BatchRun",
    "BatchResult",
    "DEFAULT_BASE_URL",
    "DEFAULT_OAUTH_URL",
    "USER_AGENT",
    "__version__",
    "reset_logging",
]
__version__: str
"""The package version, the same as the Rust crate's."""
DEFAULT_BASE_URL: str
"""Zoom's REST API v2 base URL, used when ``base_url`` is not given."""
DEFAULT_OAUTH_URL: str
"""Zoom's Server-to-Server OAuth token URL, used when ``oauth_url`` is not given."""
USER_AGENT: str
"""The ``User-Agent`` every request sends."""

_Id = Union[int, str]
"""A meeting or webinar id: an int, or a str of ASCII decimal digits."""

_Settings = Union[Dict[str, Any], str]
"""Live-stream settings: a dict, or one JSON object as text."""

@final
class Livestream:
    """A live stream's configuration, as the ``get_*_livestream`` calls return it."""

    @property
    def stream_url(self) -> Optional[str]:
        """The streaming endpoint URL (``rtmp://...``); None when Zoom sent none."""
    @property
    def stream_key(self) -> Optional[str]:
        """The stream key (``repr()`` shows ``***``); None when Zoom sent none."""
    @property
    def page_url(self) -> Optional[str]:
        """The page where viewers watch the stream; None when Zoom sent none."""
    @property
    def resolution(self) -> Optional[str]:
        """``"720p"``, ``"1080p"``, or None when Zoom reports none."""
    def __new__(
        cls,
        *,
        stream_url: Optional[str],
        stream_key: Optional[str],
        page_url: Optional[str],
        resolution: Optional[str] = None,
    ) -> Livestream: ...
    def to_dict(self) -> Dict[str, Optional[str]]:
        """The four fields as a dict (the stream key included; None when missing)."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Client:
    """Performs Zoom's REST v2 live-stream operations; safe to share between threads.

    Each call releases the GIL while it talks to Zoom and raises a
    ``zoomlive.ZoomLiveError`` subclass on failure; success returns None (or a
    :class:`Livestream`).
    """

    def __new__(
        cls,
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
    ) -> Client:
        """A client authenticating with a bearer access token.

        ``encoding`` is ``"auto"`` (default: multipart, then JSON for good once Zoom
        refuses multipart with HTTP 415), ``"multipart"`` or ``"json"``; ``timeout`` and
        ``connect_timeout`` are seconds; ``max_retries`` counts retries after a 429;
        ``extra_ca_file`` is a PEM file of CA certificates trusted in addition to the
        operating system's (checked when the client is built).

        ``proxy`` is a proxy URL (``"http://[user:password@]host:port"``) or
        ``"direct"``; unset, the environment's variables, then (Windows) the system
        settings decide, unless ``system_proxy=False``. ``no_proxy`` lists hosts
        reached directly (``NO_PROXY`` syntax). ``proxy_user``/``proxy_password``
        answer a proxy's 407 (``"DOMAIN\\user"`` accepted); ``proxy_auth`` is
        ``"auto"``, ``"basic"``, ``"ntlm"``, ``"negotiate"`` or ``"none"``.
        """
    @staticmethod
    def server_to_server(
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
    ) -> Client:
        """A client using a Server-to-Server OAuth app (tokens fetched and cached).

        Clients of the process with the same credentials share one token;
        ``token_cache_dir`` (off by default) also keeps it on disk between processes.
        """
    @property
    def base_url(self) -> str:
        """The API base URL in use, without a trailing ``/``."""
    @property
    def encoding(self) -> str:
        """The encoding configured: ``"auto"``, ``"multipart"`` or ``"json"``."""
    @property
    def last_trace(self) -> str:
        """The trace of this thread's last call on this client, success or failure: one
        event per line, with no token, secret or stream key; ``""`` before any call."""
    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called."""
    def proxy_for(self, url: str) -> Dict[str, Optional[str]]:
        """The proxy decision for ``url``: ``{"proxy": "http://host:port" or None,
        "source": "explicit"}`` (``explicit``, a variable's name, ``internet-options``,
        ``pac:<url>``, ``wpad``, ``winhttp``, ``loopback``, ``bypass:<rule>``, ``none``)."""
    def close(self) -> None:
        """Releases the connections; later calls raise ``RuntimeError``."""
    def __enter__(self) -> Client: ...
    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...
    def update_meeting_livestream_status(
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
    def update_webinar_livestream_status(
        self,
        webinar_id: _Id,
        action: str,
        *,
        settings: Optional[_Settings] = None,
        active_speaker_name: Optional[bool] = None,
        display_name: Optional[str] = None,
    ) -> None:
        """Starts (``"start"``) or stops (``"stop"``) a webinar's live stream."""
    def update_meeting_livestream(
        self,
        meeting_id: _Id,
        *,
        stream_url: str,
        stream_key: str,
        page_url: str,
        resolution: Optional[str] = None,
    ) -> None:
        """Sets where a meeting streams to."""
    def update_webinar_livestream(
        self,
        webinar_id: _Id,
        *,
        stream_url: str,
        stream_key: str,
        page_url: str,
        resolution: Optional[str] = None,
    ) -> None:
        """Sets where a webinar streams to."""
    def get_meeting_livestream(self, meeting_id: _Id) -> Livestream:
        """Reads a meeting's live stream configuration."""
    def get_webinar_livestream(self, webinar_id: _Id) -> Livestream:
        """Reads a webinar's live stream configuration."""
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
    ) -> BatchRun:
        """Runs many operations (dicts with the batch CSV's names, see ``zoomlive.op``),
        all checked before any is sent: paced at ``rate`` per second (default half the
        ``plan``'s Light limit), ``concurrency`` in flight, one at a time per meeting or
        webinar, journaled and resumable. Iterate the result for ``BatchResult``s in
        completion order."""

@final
class BatchResult:
    """The result of one batch operation: the results file's columns, plus ``error``
    and ``livestream``."""

    @property
    def index(self) -> int:
        """The operation's 1-based position in the input."""
    @property
    def key(self) -> Optional[str]:
        """The caller's key, if the operation had one."""
    @property
    def op(self) -> str:
        """``start``, ``stop``, ``update`` or ``get``."""
    @property
    def kind(self) -> str:
        """``meeting`` or ``webinar``."""
    @property
    def id(self) -> str:
        """The meeting or webinar id."""
    @property
    def outcome(self) -> str:
        """``ok``, ``failed``, ``deferred``, ``skipped`` or ``uncertain``."""
    @property
    def http_status(self) -> Optional[int]:
        """The HTTP status of the last answer, if there was one."""
    @property
    def zoom_code(self) -> Optional[int]:
        """Zoom's error code, if it gave one."""
    @property
    def error_kind(self) -> Optional[str]:
        """``not_found``, ``rate_limited``, ... when it failed."""
    @property
    def message(self) -> Optional[str]:
        """What went wrong, or which row a skipped one repeats."""
    @property
    def tracking_id(self) -> Optional[str]:
        """Zoom's tracking id, to quote to Zoom support."""
    @property
    def attempts(self) -> int:
        """Calls made for it (0 when not sent)."""
    @property
    def ms(self) -> int:
        """Milliseconds from its first call to its result."""
    @property
    def resume_at(self) -> Optional[str]:
        """For a daily-limit deferral: when Zoom's limit resets (ISO 8601, UTC)."""
    @property
    def error(self) -> Optional[BaseException]:
        """The ``zoomlive.ZoomLiveError`` it failed with, or None."""
    @property
    def livestream(self) -> Optional[Livestream]:
        """A ``get``'s answer, or None."""

@final
class BatchRun:
    """A running batch: an iterator of :class:`BatchResult` in completion order;
    ``len()`` is the number of operations. Ctrl-C stops dispatching, lets calls in
    flight finish and raises ``KeyboardInterrupt``, leaving a resumable journal."""

    def __iter__(self) -> Iterator[BatchResult]: ...
    def __next__(self) -> BatchResult: ...
    def __len__(self) -> int: ...
    @property
    def to_send(self) -> int:
        """How many operations this run sends."""
    @property
    def expected_seconds(self) -> float:
        """How long sending them should take at the starting rate."""
    @property
    def rate(self) -> Optional[float]:
        """The current pace in calls per second, lowered by Zoom's limits (None after Ctrl-C)."""
    @property
    def summary(self) -> Dict[str, int]:
        """Counts of the results read so far, by outcome."""
    def stop(self) -> None:
        """Stops dispatching; calls in flight finish, the rest are deferred."""


def reset_logging() -> None:
    """Makes zoomlive ask Python's ``logging`` again for the ``"zoomlive"`` logger's
    levels, which it caches: call it after changing logging levels at run time."""
