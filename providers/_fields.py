"""Field behaviour, declared once on each inputs model and read by the base provider.

A field's :class:`Behaviour` is an ``Annotated`` marker (``Annotated[str | None, Behaviour(optional=True)]``):
pydantic keeps it in the field's metadata, where :func:`declared` finds it. Light on purpose (pydantic
only), so the models import without the Pulumi SDK.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

__all__ = ["Behaviour", "DefinitionError", "behaviours", "cleared_on_removal", "declared", "is_empty"]


class DefinitionError(ValueError):
    """A definition that cannot be read or computed; ``field`` names the input as Pulumi prints it
    (``rotations[0].end_date``), ``reason`` says what is wrong with it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Behaviour:
    """How the base treats one input field, declared on the model: ``Annotated[T, Behaviour(...)]``."""

    replaces: bool = False
    """A change replaces the object (the API cannot change it in place)."""
    replaces_when_removed: bool = False
    """Removing it (to None or empty) replaces the object: the API cannot clear it in place."""
    cleared_as: Any = None
    """Removing it sends this value to clear it (None: removal sends nothing)."""
    optional: bool = False
    """Left out, it is not managed: the API's value stays and never shows as drift."""
    kept_when_unread: bool = False
    """The API's answers may not show it: refresh and import keep the reference's value."""
    state_only: bool = False
    """The API never shows it: refresh keeps the state's value; an import starts without it."""


def behaviours(model: type[BaseModel]) -> dict[str, Behaviour]:
    """The :class:`Behaviour` of each field of ``model`` that declares one."""
    found: dict[str, Behaviour] = {}
    for name, info in model.model_fields.items():
        for marker in info.metadata:
            if isinstance(marker, Behaviour):
                found[name] = marker
    return found


def declared(model: type[BaseModel], flag: str) -> frozenset[str]:
    """The fields of ``model`` whose :class:`Behaviour` sets ``flag``."""
    return frozenset(name for name, b in behaviours(model).items() if getattr(b, flag))


def cleared_on_removal(model: type[BaseModel], by_alias: bool = False) -> dict[str, Any]:
    """Per field declared ``cleared_as``, the value that clears it (by API name with ``by_alias``)."""
    out = {}
    for name, b in behaviours(model).items():
        if b.cleared_as is not None:
            alias = model.model_fields[name].alias if by_alias else None
            out[alias or name] = b.cleared_as
    return out


def is_empty(value: Any) -> bool:
    """None, ``[]`` or ``{}``: a field removed (``Behaviour.replaces_when_removed``)."""
    return value is None or value == [] or value == {}
