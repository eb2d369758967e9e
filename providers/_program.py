"""Errors of the look-up functions as one line in ``pulumi up``, never a Python traceback.

The functions (``get_*``, timelines, exports, listings) run inside the user's program. An
exception the program does not catch ends it, and Pulumi's official
``pulumi-language-python-exec`` prints the traceback of any exception but a ``pulumi.RunError``,
whose message alone it reports. So :func:`reported` re-raises a function's API or settings
error as the same error class *and* a ``RunError``: a program that catches ``NotFoundError``
(or ``ApiError``, ``ConfigError``) still does, and one that does not ends with one line naming
the object, the API call and what to do.

The exec script then exits with code 1, and the language host adds "program exited with non-zero
exit code: 1" under the line. When a reported error was raised, an exit hook turns the exec's
code 1 (which it keeps only after reporting a ``RunError``) into 32, "already reported", the code
of the quiet cancels (:func:`providers._resource.exit_quietly_when_cancelled`): the one line
stays alone. Under another runner the hook does nothing.
"""

from __future__ import annotations

import atexit
import functools
import inspect
import os
import sys
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import pulumi

from providers._http import ApiError, NotFoundError, what_to_do
from providers._resource import ALREADY_REPORTED
from providers._settings import ConfigError

__all__ = [
    "LookupFailed",
    "LookupGone",
    "NoMatch",
    "ProgramConfigError",
    "ProgramValueError",
    "reported",
]

P = ParamSpec("P")
R = TypeVar("R")

EXEC_SCRIPT = "pulumi-language-python-exec"
"""The official program runner; its ``exit_code`` global is 1 at exit only after a reported ``RunError``."""
_REPORTED = threading.Event()  # a look-up failure was re-raised as a reported RunError


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


GONE = (
    "if this stack manages it, it was deleted outside Pulumi: run `pulumi up --refresh` "
    "to recreate it; otherwise check the identifier"
)


def _exit_already_reported() -> None:
    """At exit of the official runner, after one of ours was reported as a ``RunError``: code 32, not 1."""
    if not _REPORTED.is_set():
        return
    runner = sys.modules.get("__main__")
    if str(getattr(runner, "__file__", "")).endswith(EXEC_SCRIPT) and getattr(runner, "exit_code", 0) == 1:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(ALREADY_REPORTED)


# Registered at import, so that it runs after the exit handlers a program registers later (atexit
# runs them last in, first out): its os._exit skips only those registered before this module.
atexit.register(_exit_already_reported)


def _quiet_exit() -> None:
    _REPORTED.set()


def _failure(exc: ApiError, what: str) -> LookupFailed:
    cls = LookupGone if exc.status == 404 else LookupFailed
    verb = "not found" if exc.status == 404 else "could not be read"
    answer = f"HTTP {exc.status}" if exc.status is not None else "no answer"
    advice = what_to_do(exc, GONE) or "check the arguments of the call"
    message = f"{what} {verb} ({exc.method} {exc.path}: {answer}: {exc.message}); {advice}"
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
            except pulumi.RunError:
                _quiet_exit()
                raise
            except ApiError as exc:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                failure: Exception = _failure(exc, what.format(**bound.arguments))
            except ConfigError as exc:
                failure = ProgramConfigError(str(exc))
            except ValueError as exc:
                failure = ProgramValueError(f"{function.__name__}: {exc}")
            _quiet_exit()
            raise failure from None

        return call

    return decorate
