"""zoomlive: Zoom REST API v2 live-stream operations, with a Rust core.

Start or stop a meeting's or webinar's live stream, set where it streams to, read its
configuration::

    import zoomlive

    with zoomlive.Client(access_token) as client:
        client.update_meeting_livestream_status(
            68423085, "start", active_speaker_name=False, display_name="Town hall"
        )

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
from ._zoomlive import (
    DEFAULT_BASE_URL,
    DEFAULT_OAUTH_URL,
    USER_AGENT,
    Client,
    Livestream,
    __version__,
)

__all__ = [
    "Client",
    "Livestream",
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
]
