"""What every rule of the pack reads and returns: one signature for resource and stack rules.

A rule is ``rule(resources, config) -> [Violation]``: a resource policy hands it the one
resource being checked, a stack policy every resource of the stack (``__main__.py`` wires
both). Each :class:`Violation` names the resource's URN, so the engine prints it against that
resource; what to do about it is the policy's ``remediation_steps``, not part of the message.
Keeping the rules free of the policy SDK lets the tests call them directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from providers.core import UNKNOWN, field_path, unknown_paths
from providers.timewindows import utc_instant

OPSGENIE_SCHEDULE = "pulumi-python:dynamic/opsgenie:Schedule"
OPSGENIE_ROTATION = "pulumi-python:dynamic/opsgenie:ScheduleRotation"
OPSGENIE_OVERRIDE = "pulumi-python:dynamic/opsgenie:ScheduleOverride"
IMBRACE_SCHEDULER = "pulumi-python:dynamic/imbrace:Scheduler"
OMNI_SCHEDULE = "pulumi-python:dynamic/omni:Schedule"

Props = Mapping[str, Any]


@dataclass(frozen=True)
class Resource:
    """A resource as a rule sees it: its inputs (unknown values at preview read as ``UNKNOWN``)."""

    type: str
    name: str
    props: Props
    urn: str = ""
    depends_on: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """The URNs each input comes from (the engine's property dependencies): a ``ScheduleRotation``
    whose ``schedule_id`` is ``schedule.id`` depends on that schedule through ``schedule_id``."""

    @property
    def title(self) -> str:
        """How messages name it: the API's name when known, else the resource name."""
        name = self.props.get("name")
        return name if isinstance(name, str) and name != UNKNOWN else self.name


@dataclass(frozen=True)
class Violation:
    """One finding: what is wrong, about which resource (by URN; empty: the stack)."""

    message: str
    urn: str = ""
    note: bool = False
    """A note, not a violation: what could not be judged yet (a value unknown at preview)."""


Rule = Callable[[Sequence[Resource], Props], list[Violation]]
"""Every rule of the pack: the resources to judge and the policy's config, to the violations."""


def of_type(resources: Sequence[Resource], *types: str) -> Iterator[Resource]:
    """The resources of those types."""
    return (r for r in resources if r.type in types)


def attached(resources: Sequence[Resource], *types: str) -> dict[str, list[Resource]]:
    """The resources of those types by the URN of the resource their ``schedule_id`` comes from
    (a rotation or override declared apart from its schedule, joined through the engine's
    property dependencies; one whose ``schedule_id`` is a literal id belongs to no resource here)."""
    out: dict[str, list[Resource]] = {}
    for resource in of_type(resources, *types):
        for urn in resource.depends_on.get("schedule_id", ()):
            out.setdefault(urn, []).append(resource)
    return out


def known(value: Any) -> bool:
    """Whether a value is there and known (at preview, values from other resources are not yet)."""
    return value is not None and not unknown_paths(value)


def unknown_fields(props: Props, keys: Sequence[str]) -> list[str]:
    """The fields under ``keys`` not known yet, as Pulumi prints paths (``rotations[0].start_date``)."""
    return [field_path((key, *path)) for key in keys if key in props for path in unknown_paths(props[key])]


def plain(value: Any) -> Any:
    """A copy of pulumi-policy's props as plain dicts and lists; a value the SDK cannot read yet
    (its ``UnknownValueError``) becomes :data:`~providers.core.UNKNOWN`, as dynamic inputs show it."""
    if isinstance(value, Mapping):
        return {str(k): plain(_read(value, k)) for k in list(value)}
    if isinstance(value, list | tuple):
        return [plain(_read(value, i)) for i in range(len(value))]
    return value


def _read(container: Any, key: Any) -> Any:
    try:
        return container[key]
    except Exception as exc:  # pulumi_policy's UnknownValueError: nothing to judge in it yet
        if type(exc).__name__ != "UnknownValueError":
            raise
        return UNKNOWN


def moment(config: Props) -> datetime:
    """Where a time rule's horizon starts: the config's ``from`` (ISO 8601 with an offset), or now."""
    text = config.get("from")
    return utc_instant(text, "from") if text else datetime.now(UTC)
