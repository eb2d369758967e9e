"""Settings of every API: ``<api>:<key>`` stack config, else an environment variable — in one place.

Each API's ``settings.py`` declares its :class:`Setting` s and one :class:`ApiSettings` subclass
whose ``resolve`` reads them through a :data:`Lookup`. The providers resolve it from the
configuration the engine hands them (:func:`stack_lookup`); the functions and scripts that run in
a Pulumi program from ``pulumi.Config`` (:func:`program_lookup`, :meth:`ApiSettings.from_program`).
A missing setting is always worded by :func:`missing_settings`, a URL that would send a credential
in clear always refused by :func:`api_url_setting`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Generic, Self, TypeVar

from providers._http import insecure_url_problem
from providers._throttle import RateLimit

ClientT = TypeVar("ClientT")

Lookup = Callable[[str, str], str | None]
"""Reads one setting: ``(config key, environment variable) -> value or None``."""


class ConfigError(Exception):
    """A provider setting is missing or wrong; the message says how to set it."""


@dataclass(frozen=True)
class Setting:
    """One setting: its config key (``<api>:<key>``), its environment variable, whether it is secret."""

    key: str
    env: str
    secret: bool = False

    def read(self, lookup: Lookup) -> str | None:
        """The value through ``lookup`` (None when unset or empty)."""
        return lookup(self.key, self.env) or None


def missing_settings(api: str, missing: Sequence[Setting]) -> ConfigError:
    """The one wording of missing settings: each config key with its variable, and how to set it."""
    hints = ", ".join(f"'{api}:{s.key}' (or {s.env})" for s in missing)
    first = missing[0]
    secret = "--secret " if first.secret else ""
    plural = "s" if len(missing) > 1 else ""
    return ConfigError(
        f"{api}: missing setting{plural} {hints}: run `pulumi config set {secret}{api}:{first.key} <value>` "
        f"or set the {first.env} environment variable"
    )


def require(api: str, lookup: Lookup, *settings: Setting) -> list[str]:
    """The values of ``settings``, in order; ConfigError naming every one that is missing."""
    values = [s.read(lookup) for s in settings]
    missing = [s for s, v in zip(settings, values, strict=True) if not v]
    if missing:
        raise missing_settings(api, missing)
    return [str(v) for v in values]


def api_url_setting(api: str, setting: Setting, url: str) -> str:
    """``url`` when credentials may be sent there (``https``, or ``http`` to a loopback address).

    The one check every API's URL setting goes through; the ConfigError names the config key
    and the environment variable the URL came from.
    """
    problem = insecure_url_problem(url)
    if problem:
        raise ConfigError(f"{api}: setting '{api}:{setting.key}' (or {setting.env}) {problem}")
    return url


def stack_lookup(api: str, config: Mapping[str, Any] | None) -> Lookup:
    """A lookup in the configuration the engine gives a provider (``<api>:<key>``), else the environment."""

    def lookup(key: str, env: str) -> str | None:
        value = config.get(f"{api}:{key}") if config is not None else None
        if value in (None, ""):
            value = os.environ.get(env)
        return None if value in (None, "") else str(value)

    return lookup


def program_lookup(api: str) -> Lookup:
    """A lookup in the running program's stack config (``pulumi.Config(api)``), else the environment."""
    import pulumi  # only a program has a stack config to read

    config = pulumi.Config(api)
    return lambda key, env: config.get(key) or os.environ.get(env) or None


def rate_limit(api: str, lookup: Lookup) -> RateLimit:
    """``<api>:maxRequestsPerMinute`` and ``<api>:rateLimitWaitSeconds`` (providers._throttle)."""
    try:
        return RateLimit.resolve(api, lookup)
    except ValueError as exc:
        raise ConfigError(f"{api}: {exc}") from None


class ApiSettings(Generic[ClientT]):
    """One API's settings object: where the API is and the credential to call it with.

    Subclasses are frozen dataclasses (``repr=False``) whose credential fields are declared
    ``field(repr=False)``: the ``repr`` here leaves them out.
    """

    api: ClassVar[str]
    """The API's name: the config namespace (``<api>:<key>``) and the prefix of messages."""

    @classmethod
    def resolve(cls, lookup: Lookup) -> Self:
        """The settings through ``lookup``; ConfigError saying how to set what is missing or wrong."""
        raise NotImplementedError

    @classmethod
    def from_program(cls) -> Self:
        """The settings of a Pulumi program (or script): stack config ``<api>:*``, else the environment."""
        return cls.resolve(program_lookup(cls.api))

    def client(self, rate_limit: RateLimit | None = None) -> ClientT:
        """The API client for these settings (no call is made)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)  # type: ignore[arg-type]
        return f"{type(self).__name__}({shown})"
