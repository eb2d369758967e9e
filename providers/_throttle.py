"""Each API's rate limit on the client side: one limiter per (API, base URL, credential) per process.

Every thread of a provider process that calls one API with one credential shares one
:class:`Throttle`, so the process as a whole keeps to the limit:

- **Pacing (opt-in).** With ``<api>:maxRequestsPerMinute`` set, calls start evenly spaced at
  that rate (with a small margin for network jitter), never in bursts: then every window of
  any length holds no more than its share, whatever window the server counts in. (Opsgenie
  checks its limits per minute *and per second*, over rolling windows: a minute's quota spent
  in one burst would be refused anyway.) Slots are handed out in the order they are asked
  for, so no thread is starved. Without it calls are not spaced at all: none of the APIs'
  docs publishes a limit (docs/api-assumptions.md, R4), so the server's 429s are the signal.
- **429s.** The server refused the call without acting on it, so it is sent again — for
  every method — after the wait the answer names: ``Retry-After`` (seconds or an HTTP date),
  else Opsgenie's ``X-RateLimit-Period-In-Sec`` (its 429 carries no ``Retry-After``), else an
  exponential backoff from one second. Every thread holds back that long (the quota is shared);
  each adds its own jitter so that they do not all come back at once.
- **Budget.** One call waits at most ``budget_s`` in all (pacing and 429s), and no single
  wait is longer than ``max_wait_s``. When the budget would be overrun the call fails at
  once with :class:`RateLimitExhausted`, naming the API, the limit and what to configure.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import requests

PERIOD_HEADER = "X-RateLimit-Period-In-Sec"
JITTER = 0.1
"""Each retry after a 429 waits up to this fraction longer than the shared pause."""
MARGIN = 0.02
"""Pacing spaces calls this fraction further apart than the limit: requests arrive with jitter."""

PERIOD_S = 60.0
"""The period the budget and the longest wait are counted in (the limit is per minute)."""
DEFAULT_BUDGET_PERIODS = 3
"""The wait budget of one call, in periods of its limit (at least two, so one 429 round fits)."""
MAX_WAIT_PERIODS = 2
"""The longest single wait, in periods of the limit."""

Lookup = Callable[[str, str], str | None]
"""Reads one setting: ``(config key, environment variable) -> value or None``."""


class RateLimitExhausted(Exception):
    """A call could not be made within its wait budget; the message says what to configure.

    ``response`` is the API's last 429, if the call was sent at all.
    """

    def __init__(self, message: str, response: requests.Response | None) -> None:
        super().__init__(message)
        self.response = response


@dataclass(frozen=True)
class RateLimit:
    """One API's limit: ``requests`` per ``period_s`` (None: not paced, only 429s waited for),
    and how long one call may wait."""

    api: str
    requests: int | None = None
    period_s: float = PERIOD_S
    budget_s: float = DEFAULT_BUDGET_PERIODS * PERIOD_S
    max_wait_s: float = MAX_WAIT_PERIODS * PERIOD_S

    @property
    def limit_key(self) -> str:
        """The stack config key of the limit."""
        return f"{self.api}:maxRequestsPerMinute"

    @property
    def budget_key(self) -> str:
        """The stack config key of the wait budget."""
        return f"{self.api}:rateLimitWaitSeconds"

    @classmethod
    def default(cls, api: str) -> RateLimit:
        """The limit used when nothing is configured: no pacing (none of the docs publishes a limit),
        429s retried within the default budget."""
        return cls(api)

    @classmethod
    def resolve(cls, api: str, lookup: Lookup) -> RateLimit:
        """``<api>:maxRequestsPerMinute`` and ``<api>:rateLimitWaitSeconds`` (or their environment
        variables, e.g. ``OPSGENIE_MAX_REQUESTS_PER_MINUTE``) over the defaults.

        Raises ValueError naming the key when a value is not a positive number.
        """
        prefix = api.upper().replace(" ", "_")
        base = cls.default(api)
        per_minute = _positive(
            lookup("maxRequestsPerMinute", f"{prefix}_MAX_REQUESTS_PER_MINUTE"), base.limit_key
        )
        budget = _positive(
            lookup("rateLimitWaitSeconds", f"{prefix}_RATE_LIMIT_WAIT_SECONDS"), base.budget_key
        )
        return cls(
            api,
            max(1, int(per_minute)) if per_minute is not None else base.requests,
            base.period_s,
            budget if budget is not None else base.budget_s,
            base.max_wait_s,
        )


def _positive(raw: str | None, key: str) -> float | None:
    if raw in (None, ""):
        return None
    try:
        value = float(str(raw))
    except ValueError:
        value = 0.0
    if value <= 0:
        raise ValueError(f"'{key}' must be a positive number, not '{raw}'")
    return value


def server_wait(resp: requests.Response, default: float, retry_after_max: float | None = None) -> float:
    """How long a 429 asks to wait: ``Retry-After`` (an explicit instruction; at most
    ``retry_after_max``), else Opsgenie's ``X-RateLimit-Period-In-Sec`` (its 429 carries no
    ``Retry-After``), else ``default``."""
    for header in ("Retry-After", PERIOD_HEADER):
        raw = (resp.headers.get(header) or "").strip()
        if not raw:
            continue
        try:
            wait = max(0.0, float(raw))
        except ValueError:
            try:  # Retry-After may be an HTTP date
                wait = max(0.0, parsedate_to_datetime(raw).timestamp() - time.time())
            except (TypeError, ValueError):
                continue
        if header == "Retry-After" and retry_after_max is not None:
            wait = min(wait, retry_after_max)
        return wait
    return default


class Throttle:
    """The shared limiter of one API and credential (see the module docstring)."""

    def __init__(
        self,
        limit: RateLimit,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.limit = limit
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._lock = threading.Lock()
        self._due = 0.0  # the earliest start of the next call
        self._paused_until = 0.0
        self.throttled = 0
        """429s met (for tests and benchmarks)."""

    def _reserve(self, deadline: float, not_before: float = 0.0) -> float | None:
        """The start time of the next call (reserved), or None when it would be after ``deadline``."""
        requests_ = self.limit.requests
        interval = self.limit.period_s / requests_ * (1 + MARGIN) if requests_ else 0.0
        with self._lock:
            at = max(self._clock(), not_before, self._paused_until, self._due)
            if at > deadline:
                return None
            self._due = at + interval
            return at

    def _pause(self, wait: float) -> None:
        with self._lock:
            self.throttled += 1
            self._paused_until = max(self._paused_until, self._clock() + wait)

    def send(
        self, call: Callable[[], requests.Response], retry_after_max: float | None = None
    ) -> requests.Response:
        """Make ``call`` within the limit; retried after each 429 while the budget lasts (a
        ``Retry-After`` waited at most ``retry_after_max``)."""
        started = self._clock()
        deadline = started + self.limit.budget_s
        resp: requests.Response | None = None
        refusals = 0
        not_before = 0.0
        while True:
            at = self._reserve(deadline, not_before)
            if at is None:
                raise RateLimitExhausted(self._exhausted(self._clock() - started, resp), resp)
            delay = at - self._clock()
            if delay > 0:
                self._sleep(delay)
            resp = call()
            if resp.status_code != 429:
                return resp
            refusals += 1
            backoff = float(2 ** (refusals - 1))
            wait = min(server_wait(resp, backoff, retry_after_max), self.limit.max_wait_s)
            self._pause(wait)
            not_before = self._clock() + wait * (1 + JITTER * self._jitter())
            if not_before > deadline:
                raise RateLimitExhausted(self._exhausted(self._clock() - started, resp), resp)
            resp.close()

    def _exhausted(self, waited: float, resp: requests.Response | None) -> str:
        limit = self.limit
        said = ""
        if resp is not None and resp.status_code == 429:
            said = "; the API answered 429"
            period = resp.headers.get(PERIOD_HEADER) or resp.headers.get("Retry-After")
            if period:
                said += f" (wait {period} s)"
        paced = (
            f"limit {limit.requests} requests per {limit.period_s:g} s" if limit.requests else "no limit set"
        )
        return (
            f"rate limited: no slot within the wait budget of {limit.budget_s:g} s "
            f"(waited {waited:.0f} s; {paced}{said}). "
            f"Set `pulumi config set {limit.limit_key} <n>` to the account's limit, "
            f"or allow longer waits with `pulumi config set {limit.budget_key} <seconds>`"
        )


def credential_key(api: str, base_url: str, auth_headers: Mapping[str, str]) -> str:
    """Names an API, base URL and credential without holding the credential."""
    fingerprint = hashlib.sha256(repr(sorted(auth_headers.items())).encode()).hexdigest()[:16]
    return f"{api}|{base_url}|{fingerprint}"


_THROTTLES: dict[str, Throttle] = {}
_THROTTLES_LOCK = threading.Lock()


def shared_throttle(
    api: str, base_url: str, auth_headers: Mapping[str, str], limit: RateLimit | None = None
) -> Throttle:
    """The process-wide limiter of this API, base URL and credential (created on first use).

    A later ``limit`` for the same key replaces the first one's settings only if it differs.
    """
    key = credential_key(api, base_url, auth_headers)
    wanted = limit or RateLimit.default(api)
    with _THROTTLES_LOCK:
        throttle = _THROTTLES.get(key)
        if throttle is None or throttle.limit != wanted:
            throttle = Throttle(wanted)
            _THROTTLES[key] = throttle
        return throttle
