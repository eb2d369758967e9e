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
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from providers._throttle import RateLimitExhausted, Throttle, credential_key

# Default timeouts (connect, read) in seconds: a hung API must not hang `pulumi up`.
DEFAULT_TIMEOUT = (10.0, 60.0)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"})
CUT_OFF_RETRIES = 2  # an idempotent call whose answer broke off mid-body is sent again this often


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
    ) -> None:
        self.api = api
        self.method = method
        self.path = path
        self.status = status
        self.message = message
        self.request_id = request_id
        self.sent = sent  # False: the request never reached the server (no connection)
        self.timed_out = timed_out  # True: no answer in time; the server may still be working on it
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

    def __str__(self) -> str:
        where = f"{self.api} {self.method} {self.path}"
        what = f"HTTP {self.status}" if self.status is not None else "no answer"
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"{where} failed: {what}: {self.message}{rid}"


class NotFoundError(ApiError):
    """The API answered 404 for the object."""


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


class _Retry(Retry):
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
        message, rid = self.parse_error(resp)
        cls = NotFoundError if resp.status_code == 404 else ApiError
        raise cls(self.api, method, path, resp.status_code, message, rid)

    def _limited(self, method: str, url: str, body: Mapping[str, Any]) -> requests.Response:
        """One call through the API's limiter, when it has one."""
        if self.throttle is None:
            return self._send(method, url, **body)
        return self.throttle.send(lambda: self._send(method, url, **body))

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


_SESSIONS: dict[str, requests.Session] = {}
_SESSIONS_LOCK = threading.Lock()


def shared_session(
    api: str,
    base_url: str,
    auth_headers: Mapping[str, str],
    retry: RetryPolicy | None = None,
    pool_size: int = 32,
) -> requests.Session:
    """The process-wide session for this API, base URL and credential (created on first use)."""
    key = credential_key(api, base_url, auth_headers)
    with _SESSIONS_LOCK:
        session = _SESSIONS.get(key)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(
                pool_connections=4, pool_maxsize=pool_size, max_retries=(retry or RetryPolicy()).to_urllib3()
            )
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            session.headers.update({"Accept": "application/json", **auth_headers})
            _SESSIONS[key] = session
        return session
