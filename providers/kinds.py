"""The registry of resource kinds: every resource of every API, by ``<api>.<kind>``.

The stacks program builds its resources from it and the definitions loader validates entries with
it, so a new resource (or a fourth API) is registered here once. The order is the order of creation:
a definition may refer only to kinds listed before its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pydantic import BaseModel

from providers._base import ResourceBase
from providers.imbrace import Scheduler
from providers.omni import Schedule as OmniSchedule
from providers.omni import ScheduleTrigger
from providers.opsgenie import Schedule, ScheduleOverride, ScheduleRotation

__all__ = ["KINDS", "Kind", "kind"]


@dataclass(frozen=True)
class Kind:
    """One kind of resource: where it is listed (``<api>.<kind>``) and its resource class."""

    api: str
    kind: str
    resource: type[ResourceBase[Any]]
    importable: bool = True
    """Whether an existing object may be adopted with ``import_`` (an Omni schedule is always
    adopted by its ``schedule_id``; a trigger is only a run)."""

    @property
    def key(self) -> str:
        """``"<api>.<kind>"``, as in the definitions' references."""
        return f"{self.api}.{self.kind}"

    @property
    def inputs_model(self) -> type[BaseModel]:
        """The pydantic model the provider validates the resource's inputs with."""
        return self.resource.provider_type.inputs_model

    def build(
        self, name: str, args: dict[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> ResourceBase[Any]:
        """The resource ``name`` with ``args`` as keyword arguments (the one signature of every resource)."""
        return self.resource(name, opts=opts, **args)


KINDS: tuple[Kind, ...] = (
    Kind("opsgenie", "schedules", Schedule),
    Kind("opsgenie", "rotations", ScheduleRotation),
    Kind("opsgenie", "overrides", ScheduleOverride),
    Kind("imbrace", "schedulers", Scheduler),
    Kind("omni", "schedules", OmniSchedule, importable=False),
    Kind("omni", "triggers", ScheduleTrigger, importable=False),
)


def kind(key: str) -> Kind:
    """The kind registered as ``<api>.<kind>`` (KeyError when there is none)."""
    return {k.key: k for k in KINDS}[key]
