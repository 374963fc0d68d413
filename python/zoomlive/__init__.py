"""zoomlive: Zoom REST API v2 live-stream operations, with a Rust core.

Start or stop a meeting's or webinar's live stream, set where it streams to, read its
configuration::

    import zoomlive

    with zoomlive.Client(access_token) as client:
        client.update_meeting_livestream_status(
            68423085, "start", active_speaker_name=False, display_name="Town hall"
        )

For asyncio, :class:`AsyncClient` takes the same arguments and offers the same
operations as coroutines (``await client.get_meeting_livestream(68423085)``).

Many operations at once, paced, journaled and resumable: :meth:`Client.batch` with
:mod:`zoomlive.op`.

Every value is checked before anything is sent; every failure is a
:class:`ZoomLiveError` (see its subclasses). No message, ``repr()`` or attribute ever
holds the access token, client secret or stream key.
"""

from ._errors import (
    ApiError,
    AuthError,
    FieldError,
    InvalidInputError,
    NotFoundError,
    ProxyAuthError,
    RateLimitError,
    TimeoutError,
    TransportError,
    ZoomLiveError,
)
from . import op
from ._zoomlive import (
    DEFAULT_BASE_URL,
    DEFAULT_OAUTH_URL,
    USER_AGENT,
    BatchResult,
    BatchRun,
    Client,
    Livestream,
    __version__,
    reset_logging,
)

# `AsyncClient` and `AsyncBatchRun` (and with them asyncio) are imported on first use:
# most programs never need them, and asyncio would be most of `import zoomlive`'s time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._async import AsyncBatchRun as AsyncBatchRun
    from ._async import AsyncClient as AsyncClient

_LAZY = ("AsyncClient", "AsyncBatchRun")


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from . import _async

        value = getattr(_async, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'zoomlive' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Client",
    "AsyncClient",
    "AsyncBatchRun",
    "Livestream",
    "BatchRun",
    "BatchResult",
    "op",
    "ZoomLiveError",
    "InvalidInputError",
    "TransportError",
    "TimeoutError",
    "ProxyAuthError",
    "ApiError",
    "AuthError",
    "NotFoundError",
    "RateLimitError",
    "FieldError",
    "DEFAULT_BASE_URL",
    "DEFAULT_OAUTH_URL",
    "USER_AGENT",
    "__version__",
    "reset_logging",
]
