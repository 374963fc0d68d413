"""Type stubs of ``zoomlive._async`` (``zoomlive.AsyncClient``).

At run time the constructors and operations forward their arguments to the sync
:class:`~zoomlive.Client`; these stubs spell them out, and the Python tests check that
they list exactly the sync stubs' parameters (``_zoomlive.pyi``), plus ``max_concurrency``.
"""

import os
from types import TracebackType
from typing import Dict, Optional, Union

from ._zoomlive import Livestream, _Id, _Settings

__all__ = ["AsyncClient"]

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
