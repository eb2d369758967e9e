"""The HTTP layer every API client shares: pooled sessions, timeouts, safe retries, readable errors.

- One ``requests.Session`` per (API, base URL, credential) per process, shared by every
  resource and thread of the dynamic-provider process, so connections are kept alive.
- Rate limits: a 429 is retried for every method (the server refused the request without
  acting on it) by the per-API, per-credential limiter of :mod:`providers._throttle`, which
  also paces the calls and bounds the waiting.
- urllib3 ``Retry`` with exponential backoff: 5xx answers and broken connections only for
  idempotent methods, because repeating a
  create after a lost answer could create twice — providers resolve that case by looking
  the object up instead (see ``ProviderBase.find_created``). An answer cut off after its
  headers, which urllib3 does not retry, is asked for again for idempotent methods too.
- Every failure becomes an :class:`ApiError` carrying the API's own message and request
  id. Credentials live only in the session's headers and never enter a message.
- Credentials stay with their origin: a session holding them follows a redirect only within
  the scheme, host and port it was sent to (:class:`SameOriginSession`), and refuses a base URL
  that is neither ``https`` nor a loopback address (:func:`insecure_url_problem`). A server's
  ``Retry-After`` is waited at most ``RETRY_AFTER_MAX`` seconds (on a 429 too: the limiter
  is told so).
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from providers._throttle import RateLimitExhausted, Throttle, credential_key

# Default timeouts (connect, read) in seconds: a hung API must not hang `pulumi up`.
DEFAULT_TIMEOUT = (10.0, 60.0)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"})
CUT_OFF_RETRIES = 2  # an idempotent call whose answer broke off mid-body is sent again this often
RETRY_AFTER_MAX = 30.0
"""The longest a server's ``Retry-After`` is waited before a retry: a hung API must not hang `pulumi up`."""


class ApiError(Exception):
    """An API call failed; the message names the API, the call, the API's own text and request id."""

    def __init__(
        self,
        api: str,
        method: str,
        path: str,
        status: int | None,
        message: str,
        request_id: str | None = None,
        *,
        sent: bool = True,
        timed_out: bool = False,
        advised: bool = False,
    ) -> None:
        self.api = api
        self.method = method
        self.path = path
        self.status = status
        self.message = message
        self.request_id = request_id
        self.sent = sent  # False: the request never reached the server (no connection)
        self.timed_out = timed_out  # True: no answer in time; the server may still be working on it
        self.advised = advised  # True: the message already says what to do (see :meth:`advised_by`)
        super().__init__(str(self))

    @property
    def ambiguous(self) -> bool:
        """True when the server may have acted although no success came back (timeout, drop, 5xx)."""
        if self.status is None:
            return self.sent
        return self.status >= 500

    @property
    def settled(self) -> bool:
        """True when the server is done with the request, so a look-up made now sees all it did.

        It answered with its own error (500, 503) or closed the connection. Not after a
        timeout or a gateway's 502/504: the API behind may still be acting on the request.
        """
        if self.status is None:
            return self.sent and not self.timed_out
        return self.status in (500, 503)

    def with_context(self, context: str, note: str = "") -> Self:
        """This error with ``context`` before its message (and ``note`` after it), to raise again.

        The one way to say what an error is about ("schedule 'oncall'"): the error keeps its
        class, status and facts, so callers still tell a 404 or a lost answer.
        """
        self.message = f"{context}: {self.message}{note}"
        self.args = (str(self),)
        return self

    def advised_by(self, gone: str) -> Self:
        """This error with what the user can do after its message (``gone``: the advice for a 404),
        to raise again; said once, however many layers advise."""
        advice = what_to_do(self, gone)
        if not self.advised and advice:
            self.advised = True
            self.message = f"{self.message}; {advice}"
            self.args = (str(self),)
        return self

    def __str__(self) -> str:
        where = f"{self.api} {self.method} {self.path}"
        what = f"HTTP {self.status}" if self.status is not None else "no answer"
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"{where} failed: {what}: {self.message}{rid}"


class NotFoundError(ApiError):
    """The API answered 404 for the object."""


def what_to_do(exc: ApiError, gone: str) -> str:
    """What a user can do about a failed call, by its status (``gone``: for a 404; "": none)."""
    if exc.status == 404:
        return gone
    if exc.status in (401, 403):
        return f"check the credential in the stack config ({exc.api}:*) and what it may do"
    if exc.status == 429:
        return f"{exc.api} is throttling: run again later, or lower {exc.api}:maxRequestsPerMinute"
    if exc.status is None:
        return f"check {exc.api}'s URL setting and the network, then run again"
    if exc.status >= 500:
        return f"{exc.api} failed on its side: run again later"
    return ""


@contextmanager
def error_context(context: str) -> Iterator[None]:
    """Re-raise an :class:`ApiError` of the block with ``context`` before its message."""
    try:
        yield
    except ApiError as exc:
        exc.with_context(context)
        raise


ErrorParser = Callable[[requests.Response], tuple[str, str | None]]
"""Extracts ``(message, request id)`` from an API's error answer."""


def default_error_parser(resp: requests.Response) -> tuple[str, str | None]:
    """``message``/``detail`` from a JSON body (or the start of the text), request id from headers."""
    rid = resp.headers.get("X-Request-Id") or resp.headers.get("X-Request-ID")
    try:
        body = resp.json()
    except ValueError:
        return (resp.text.strip()[:300] or resp.reason or "error"), rid
    if isinstance(body, dict):
        message = body.get("message") or body.get("detail") or body.get("error") or resp.reason
        return str(message), body.get("requestId") or rid
    return str(body)[:300], rid


class CappedRetryAfter(Retry):
    """urllib3 Retry that waits at most ``RETRY_AFTER_MAX`` seconds, whatever ``Retry-After`` says."""

    def parse_retry_after(self, retry_after: str) -> float:
        """The server's wait (seconds or an HTTP date), capped at ``RETRY_AFTER_MAX``."""
        return min(float(super().parse_retry_after(retry_after)), RETRY_AFTER_MAX)


class _Retry(CappedRetryAfter):
    """urllib3 Retry that leaves every 429 to the API's limiter (providers._throttle)."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        """Never a 429 (urllib3 would retry one that has a Retry-After); the rest as urllib3 decides."""
        return status_code != 429 and bool(super().is_retry(method, status_code, has_retry_after))


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry (see the module docstring for what is retried)."""

    attempts: int = 5
    backoff_factor: float = 0.5
    backoff_max: float = 30.0

    def to_urllib3(self) -> Retry:
        """The urllib3 ``Retry`` object for this policy."""
        return _Retry(
            total=self.attempts,
            connect=self.attempts,
            read=self.attempts,
            status=self.attempts,
            other=0,
            allowed_methods=IDEMPOTENT_METHODS,
            status_forcelist=(500, 502, 503, 504),  # 429: the limiter's (providers._throttle)
            backoff_factor=self.backoff_factor,
            backoff_max=self.backoff_max,
            respect_retry_after_header=True,
            raise_on_status=False,
        )


@dataclass
class HttpClient:
    """A typed wrapper around one pooled session for one API endpoint and credential."""

    api: str
    base_url: str
    session: requests.Session
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    parse_error: ErrorParser = default_error_parser
    throttle: Throttle | None = None
    """The API's shared rate limiter (:func:`providers._throttle.shared_throttle`); None: no limit."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201, 202, 204),
    ) -> requests.Response:
        """Send one request; return the response when its status is in ``ok``, else raise ApiError."""
        url = self.base_url.rstrip("/") + path
        body = {"params": params, "json": json, "data": data, "files": files, "headers": headers}
        try:
            resp = self._limited(method, url, body)
        except RateLimitExhausted as exc:
            said, rid = self.parse_error(exc.response) if exc.response is not None else ("", None)
            message = f"{exc}" + (f" (the API said: {said})" if said else "")
            raise ApiError(self.api, method, path, 429, message, rid) from None
        except requests.RequestException as exc:
            sent, timed_out = _may_have_been_sent(method, exc), _timed_out(exc)
            reason = _transport_reason(exc)
            raise ApiError(self.api, method, path, None, reason, sent=sent, timed_out=timed_out) from None
        if resp.status_code in ok:
            return resp
        message, rid = refused_redirect(resp) or self.parse_error(resp)
        cls = NotFoundError if resp.status_code == 404 else ApiError
        raise cls(self.api, method, path, resp.status_code, message, rid)

    def _limited(self, method: str, url: str, body: Mapping[str, Any]) -> requests.Response:
        """One call through the API's limiter, when it has one."""
        if self.throttle is None:
            return self._send(method, url, **body)
        return self.throttle.send(lambda: self._send(method, url, **body), retry_after_max=RETRY_AFTER_MAX)

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One call. An answer cut off after its headers is asked for again when the call is
        idempotent: urllib3's ``Retry`` is done once the headers are in, so it cannot."""
        for attempt in range(CUT_OFF_RETRIES + 1):
            try:
                return self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.exceptions.ChunkedEncodingError:
                if method.upper() not in IDEMPOTENT_METHODS or attempt == CUT_OFF_RETRIES:
                    raise
        raise AssertionError("unreachable")


def _may_have_been_sent(method: str, exc: requests.RequestException) -> bool:
    """False only when a non-idempotent request never got a connection, so it cannot have acted.

    urllib3 retries failed connections for every method but read failures only for
    idempotent ones: when such a request's last error is a failed connection, no attempt
    reached the server. An idempotent request may have been sent by an earlier attempt.
    """
    if method.upper() in IDEMPOTENT_METHODS:
        return True
    if isinstance(exc, requests.ConnectTimeout):
        return False
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return not (isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError))


def _timed_out(exc: requests.RequestException) -> bool:
    """Whether the request went unanswered for too long (rather than being refused or cut off)."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.Timeout) or isinstance(reason, ReadTimeoutError)


def _transport_reason(exc: requests.RequestException) -> str:
    """A one-line reason for a failure without an answer (urllib3's reprs are long and nested)."""
    if isinstance(exc, requests.Timeout):
        return "the request timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the answer was cut off before its end"
    if isinstance(exc, requests.exceptions.RetryError):
        return "gave up after repeated errors or rate limiting"
    if isinstance(exc, requests.ConnectionError):
        return "the connection failed or was closed before an answer"
    return type(exc).__name__


_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of a URL, lower case, with the scheme's default port filled in
    (port -1 when it is not a number: such a URL is nobody's origin)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "", "", -1
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is ``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def insecure_url_problem(url: str) -> str | None:
    """Why credentials must not be sent to ``url``; None when it is ``https`` or a loopback ``http``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"'{url}' is not a valid URL"
    if parts.username or parts.password:
        return "must not hold a user name or password (credentials belong in their own secret setting)"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"'{url}' is not an http(s) URL"
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return (
            f"'{url}' is not https: credentials would travel in clear text "
            "(plain http is allowed only for loopback addresses such as 127.0.0.1 and localhost)"
        )
    return None


class SameOriginSession(requests.Session):
    """A session that follows a redirect only within the origin the request went to.

    ``requests`` drops only ``Authorization``, and only when the host changes; credentials
    in custom headers (iMBRACE's ``x-access-token``) would follow a redirect anywhere. A
    redirect to another scheme, host or port is therefore not followed: the 3xx answer
    comes back and becomes an :class:`ApiError` (see :func:`refused_redirect`).
    """

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        """The redirect's target when it stays on the request's origin, else None (not followed)."""
        target = super().get_redirect_target(resp)
        if target is None or origin(urljoin(resp.url, target)) != origin(resp.url):
            return None
        return str(target)


def refused_redirect(resp: requests.Response) -> tuple[str, str | None] | None:
    """The error message for a redirect :class:`SameOriginSession` did not follow, else None."""
    location = resp.headers.get("Location")
    if not resp.is_redirect or not location:
        return None
    scheme, host, port = origin(urljoin(resp.url, location))
    return (
        f"the API redirected to another origin ({scheme}://{host}:{port}); not followed, so the "
        "credentials stay with the configured URL — check the API URL setting",
        None,
    )


_SESSIONS: dict[str, requests.Session] = {}
_SESSIONS_LOCK = threading.Lock()


def shared_session(
    api: str,
    base_url: str,
    auth_headers: Mapping[str, str],
    retry: RetryPolicy | None = None,
    pool_size: int = 32,
) -> requests.Session:
    """The process-wide session for this API, base URL and credential (created on first use).

    A session with credentials needs an ``https`` (or loopback) ``base_url`` and follows
    redirects only within its origin; ValueError otherwise.
    """
    problem = insecure_url_problem(base_url) if auth_headers else None
    if problem:
        raise ValueError(f"{api}: the API URL {problem}")
    key = credential_key(api, base_url, auth_headers)
    with _SESSIONS_LOCK:
        session = _SESSIONS.get(key)
        if session is None:
            session = SameOriginSession() if auth_headers else requests.Session()
            adapter = HTTPAdapter(
                pool_connections=4, pool_maxsize=pool_size, max_retries=(retry or RetryPolicy()).to_urllib3()
            )
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            session.headers.update({"Accept": "application/json", **auth_headers})
            _SESSIONS[key] = session
        return session
