"""Errors of the look-up functions as one line in ``pulumi up``, never a Python traceback.

The functions (``get_*``, timelines, exports, listings) run inside the user's program. An
exception the program does not catch ends it, and Pulumi's official
``pulumi-language-python-exec`` prints the traceback of any exception but a ``pulumi.RunError``,
whose message alone it reports. So :func:`reported` re-raises a function's API or settings
error as the same error class *and* a ``RunError``: a program that catches ``NotFoundError``
(or ``ApiError``, ``ConfigError``) still does, and one that does not ends with one line naming
the object, the API call and what to do.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import pulumi

from providers._http import ApiError, NotFoundError
from providers._settings import ConfigError

__all__ = [
    "LookupFailed",
    "LookupGone",
    "NoMatch",
    "ProgramConfigError",
    "ProgramValueError",
    "reported",
    "what_to_do",
]

P = ParamSpec("P")
R = TypeVar("R")


class LookupFailed(ApiError, pulumi.RunError):
    """A look-up function's API call failed (reported by Pulumi as its message alone)."""

    def __str__(self) -> str:
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"{self.api}: {self.message}{rid}"


class LookupGone(NotFoundError, LookupFailed):
    """The object a look-up function reads does not exist (HTTP 404)."""


class ProgramConfigError(ConfigError, pulumi.RunError):
    """A setting a look-up function needs is missing or wrong (reported as its message alone)."""


class ProgramValueError(ValueError, pulumi.RunError):
    """A look-up function's argument is wrong (reported as its message alone)."""


class NoMatch(LookupError, pulumi.RunError):
    """A search found no object, or several, where one is wanted (reported as its message alone)."""


def what_to_do(exc: ApiError) -> str:
    """What a user can do about a failed call, by its status."""
    if exc.status == 404:
        return (
            "if this stack manages it, it was deleted outside Pulumi: run `pulumi up --refresh` "
            "to recreate it; otherwise check the identifier"
        )
    if exc.status in (401, 403):
        return f"check the credential in the stack config ({exc.api}:*) and what it may read"
    if exc.status == 429:
        return f"{exc.api} is throttling: run again later, or lower {exc.api}:maxRequestsPerMinute"
    if exc.status is None:
        return f"check {exc.api}:apiUrl and the network, then run again"
    if exc.status >= 500:
        return f"{exc.api} failed on its side: run again later"
    return "check the arguments of the call"


def _failure(exc: ApiError, what: str) -> LookupFailed:
    cls = LookupGone if exc.status == 404 else LookupFailed
    verb = "does not exist" if exc.status == 404 else "could not be read"
    answer = f"HTTP {exc.status}" if exc.status is not None else "no answer"
    message = f"{what} {verb} ({exc.method} {exc.path}: {answer}: {exc.message}); {what_to_do(exc)}"
    return cls(exc.api, exc.method, exc.path, exc.status, message, exc.request_id, sent=exc.sent)


def reported(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A look-up function whose failures are one line naming ``what`` it reads.

    ``what`` is formatted with the call's arguments by name, e.g. ``"schedule '{identifier}'"``.
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return function(*args, **kwargs)
            except ApiError as exc:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                raise _failure(exc, what.format(**bound.arguments)) from None
            except ConfigError as exc:
                raise ProgramConfigError(str(exc)) from None
            except ValueError as exc:
                if isinstance(exc, pulumi.RunError):
                    raise
                raise ProgramValueError(f"{function.__name__}: {exc}") from None

        return call

    return decorate
