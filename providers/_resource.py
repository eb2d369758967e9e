"""The user-facing resources' base: one signature for every resource, outputs registered, ``import_``.

Every resource is ``Resource(resource_name, args: XArgs | None = None, opts=None, **kwargs)``,
taking its ``XArgs`` object or the same fields as keywords (as Pulumi's generated SDKs do); the
provider (:mod:`providers._base`) gets the same properties either way. Import is turned into an
input (see ``providers._base``: dynamic resources cannot go through the engine's import step).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Mapping
from dataclasses import MISSING, fields, is_dataclass
from typing import Any, ClassVar, Generic, TypeVar

import pulumi
from pulumi.dynamic import Resource

from providers._base import IMPORT_KEY, ProviderBase

__all__ = ["ALREADY_REPORTED", "ResourceBase", "exit_quietly_when_cancelled", "resource_props"]

ArgsT = TypeVar("ArgsT")

ALREADY_REPORTED = 32
"""The exit code that tells Pulumi's Python language host the engine already has the error."""


def _exit_when_cancelled(_signum: int, _frame: object) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(ALREADY_REPORTED)


def exit_quietly_when_cancelled() -> None:
    """Let the engine's cancellation end the program without a Python traceback.

    When a resource fails its checks or a mandatory policy fails, the engine stops the program
    with SIGINT; Pulumi's official ``pulumi-language-python-exec`` does not catch the
    ``KeyboardInterrupt``, so every such failure would end in two tracebacks of the SDK's event
    loop under the real error. The engine already has that error and owns every operation in
    flight, so the program just ends. Installed once, from the main thread, over Python's default
    handler only (a handler the user set stays).
    """
    if threading.current_thread() is threading.main_thread() and (
        signal.getsignal(signal.SIGINT) is signal.default_int_handler
    ):
        signal.signal(signal.SIGINT, _exit_when_cancelled)


def resource_props(args_type: type[Any], args: Any, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """A resource's properties from its ``XArgs`` object or from the same fields as keywords.

    The keyword form fills in the ``XArgs`` defaults and leaves out what is not given, so a
    missing or misspelt argument is the provider's check failure (naming it) at preview.
    """
    if args is not None and kwargs:
        raise TypeError(f"pass either a {args_type.__name__} or keyword arguments, not both")
    if args is not None:
        if not isinstance(args, args_type):
            raise TypeError(f"args should be a {args_type.__name__}, not {type(args).__name__}")
        return {f.name: getattr(args, f.name) for f in fields(args)}
    assert is_dataclass(args_type)
    defaults = {
        f.name: f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        for f in fields(args_type)
        if f.default is not MISSING or f.default_factory is not MISSING
    }
    return {**defaults, **kwargs}


class ResourceBase(Resource, Generic[ArgsT]):
    """Base of the user-facing resources: one signature, registered outputs, and ``import_``.

    Every resource is ``Resource(resource_name, args: XArgs | None = None, opts=None, **kwargs)``,
    taking its ``XArgs`` object or the same fields as keywords (as Pulumi's generated SDKs do).
    """

    provider_type: ClassVar[type[ProviderBase[Any, Any]]]
    """The provider that manages the resource."""
    args_type: ClassVar[type[Any]]
    """The resource's ``XArgs`` dataclass."""

    def __init__(
        self,
        resource_name: str,
        args: ArgsT | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(args, pulumi.ResourceOptions) and opts is None:
            args, opts = None, args  # the earlier Opsgenie form: Resource(name, opts, **fields)
        props = self.prepare(resource_name, resource_props(self.args_type, args, kwargs), opts)
        provider = self.provider_type()
        exit_quietly_when_cancelled()
        props = {**props, **{k: None for k in provider.output_keys}}
        if opts is not None and opts.import_:
            # See the module docstring: the import is done by the provider's create.
            props[IMPORT_KEY] = opts.import_
            opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions())
            opts.import_ = None
        super().__init__(provider, resource_name, props, opts)

    def prepare(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> dict[str, Any]:
        """The properties as the provider takes them (default: unchanged)."""
        return props
