"""The exceptions zoomlive raises.

Every one derives from :class:`ZoomLiveError`. They are plain Python classes so that
each can also derive from the builtin a caller would naturally catch (``ValueError``,
``ConnectionError``, ``TimeoutError``); the Rust extension imports this module and
raises them, filling in the attributes from the core's error. No message or attribute
ever holds an access token, client secret or stream key.
"""

from __future__ import annotations

import builtins

# `typing` (with re, enum, collections) would be most of `import zoomlive`'s time;
# the annotations here are strings, so it is imported for type checkers only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, List, Optional, Tuple

__all__ = [
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
]


class FieldError(tuple[str, str]):
    """One entry of a Zoom validation error's ``errors`` list: ``(field, message)``."""

    __slots__ = ()

    def __new__(cls, field: str, message: str) -> FieldError:
        return super().__new__(cls, (field, message))

    @property
    def field(self) -> str:
        """The field Zoom complains about (``"settings.display_name"``, ...)."""
        return self[0]

    @property
    def message(self) -> str:
        """Zoom's reason."""
        return self[1]

    def __getnewargs__(self) -> Tuple[str, str]:
        # pickle (and so ProcessPoolExecutor) rebuilds it with both arguments.
        return (self[0], self[1])

    def __repr__(self) -> str:
        return f"FieldError(field={self[0]!r}, message={self[1]!r})"


class ZoomLiveError(Exception):
    """The root of every zoomlive error; ``str()`` of it is one explanatory line."""

    kind: str = "error"
    """A stable snake_case category: ``invalid_input``, ``transport``, ``timeout``,
    ``auth``, ``not_found``, ``rate_limited``, ``api`` or ``proxy_auth``."""

    trace: Optional[str] = None
    """The trace of the call that failed: one event per line (``+12.4ms tls TLSv1.3
    ...``), with no token, secret or stream key in it. ``None`` for input errors
    (nothing was sent)."""


class InvalidInputError(ZoomLiveError, ValueError):
    """A value was refused before anything was sent (bad id, action, settings, URL...)."""

    kind = "invalid_input"

    field: str
    """The argument or field refused: ``meeting_id``, ``settings.display_name``, ..."""
    reason: str
    """Why it was refused."""

    def __init__(self, description: str, /, *, field: str = "", reason: str = "") -> None:
        super().__init__(description)
        self.field = field
        self.reason = reason


class TransportError(ZoomLiveError, ConnectionError):
    """The connection failed: DNS, connect, TLS, reset, or an answer that is not HTTP."""

    kind = "transport"


class TimeoutError(TransportError, builtins.TimeoutError):
    """Connecting, or the whole call, took longer than the client's timeout."""

    kind = "timeout"


class ProxyAuthError(TransportError):
    """The proxy asked for credentials and refused those given, offered no scheme the
    client can answer (Negotiate and single sign-on on Windows, NTLM, Basic), or none
    were set. The message names the proxy, what it offered and what was tried; never a
    credential."""

    kind = "proxy_auth"


class ApiError(ZoomLiveError):
    """Zoom (or the OAuth endpoint) answered with a non-2xx status.

    The base of :class:`AuthError`, :class:`NotFoundError` and :class:`RateLimitError`;
    raised as itself for the other statuses (300, 400, 5xx, ...).
    """

    kind = "api"

    status: int
    """The HTTP status code."""
    code: Optional[int]
    """Zoom's numeric error code (``3001``, ``300``, ``124``, ...), when it gave one."""
    message: str
    """Zoom's own message (or OAuth's ``reason``); ``str(error)`` is the full line."""
    errors: Tuple[FieldError, ...]
    """The per-field complaints of a validation failure (often empty)."""
    tracking_id: Optional[str]
    """The ``x-zm-trackingid`` header, to quote to Zoom support."""
    retry_after: Optional[float]
    """``Retry-After`` in seconds, when the answer carried one."""
    oauth_error: Optional[str]
    """OAuth's ``error`` identifier (``invalid_client``, ...), for token failures."""
    rate_limit_type: Optional[str]
    """The ``X-RateLimit-Type`` header (``QPS``, ``Daily-limit``, ...)."""
    rate_limit_category: Optional[str]
    """The ``X-RateLimit-Category`` header (``Light``, ``Medium``, ``Heavy``, ...)."""
    rate_limit_limit: Optional[int]
    """The ``X-RateLimit-Limit`` header: calls allowed in the current window."""
    rate_limit_remaining: Optional[int]
    """The ``X-RateLimit-Remaining`` header: calls left in the current window."""
    missing_scopes: List[str]
    """The scopes the token lacks (Zoom codes 4700 and 4711, an :class:`AuthError`):
    add them to the Zoom app. Empty for any other error."""

    def __init__(
        self,
        description: str,
        /,
        *,
        status: int = 0,
        code: Optional[int] = None,
        message: str = "",
        errors: Iterable[Tuple[str, str]] = (),
        tracking_id: Optional[str] = None,
        retry_after: Optional[float] = None,
        oauth_error: Optional[str] = None,
        rate_limit_type: Optional[str] = None,
        rate_limit_category: Optional[str] = None,
        rate_limit_limit: Optional[int] = None,
        rate_limit_remaining: Optional[int] = None,
        missing_scopes: Iterable[str] = (),
    ) -> None:
        super().__init__(description)
        self.status = status
        self.code = code
        self.message = message
        self.errors = tuple(FieldError(*e) for e in errors)
        self.tracking_id = tracking_id
        self.retry_after = retry_after
        self.oauth_error = oauth_error
        self.rate_limit_type = rate_limit_type
        self.rate_limit_category = rate_limit_category
        self.rate_limit_limit = rate_limit_limit
        self.rate_limit_remaining = rate_limit_remaining
        self.missing_scopes = list(missing_scopes)


class AuthError(ApiError):
    """The access token was refused (401, or Zoom code 124), it lacks scopes (Zoom codes
    4700 and 4711: see ``missing_scopes``), or Server-to-Server OAuth failed."""

    kind = "auth"


class NotFoundError(ApiError):
    """No such meeting, webinar or user: HTTP 404, or Zoom codes 3001 and 1001 on the
    HTTP 400 webinar calls answer with."""

    kind = "not_found"


class RateLimitError(ApiError):
    """Zoom answered 429 and the retry policy gave up (or the wait Zoom asked for, or a
    daily limit, was too long to wait); see ``retry_after`` and ``rate_limit_*``."""

    kind = "rate_limited"
