"""Turn a stack's definitions into resources, wire their references, and export what users need."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pulumi

from providers import opsgenie
from stacks.definitions import KINDS, REFERENCE, Definitions, Kind

Registry = dict[tuple[str, str, str], pulumi.CustomResource]


def resolve(value: Any, registry: Registry) -> Any:
    """Replace ``${api.kind.resource.output}`` references with the referred resources' outputs."""
    if isinstance(value, dict):
        return {k: resolve(v, registry) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, registry) for v in value]
    if not isinstance(value, str) or not REFERENCE.search(value):
        return value
    whole = REFERENCE.fullmatch(value)
    if whole:  # the value *is* one output: keep its type (a number, a list...)
        return _output(registry, *whole.groups())
    parts: list[Any] = []
    last = 0
    for m in REFERENCE.finditer(value):
        parts += [value[last : m.start()], _output(registry, *m.groups())]
        last = m.end()
    parts.append(value[last:])
    return pulumi.Output.concat(*parts)


def _output(registry: Registry, api: str, kind: str, resource: str, output: str) -> Any:
    target = registry[(api, kind, resource)]  # validated to exist before anything runs
    if not hasattr(target, output):
        raise pulumi.RunError(
            f"${{{api}.{kind}.{resource}.{output}}}: that resource has no output '{output}'"
        )
    return getattr(target, output)


def build(defs: Definitions) -> Registry:
    """Create every resource of the definitions, in the order of :data:`KINDS`."""
    registry: Registry = {}
    for kind in KINDS:
        for entry in defs.entries(kind):
            args = resolve(entry.args, registry)
            # `import_` adopts the object on the first `up`; once the resource is in state the
            # providers ignore it (their diff reads only the resource's own inputs).
            opts = pulumi.ResourceOptions(import_=entry.import_id) if entry.import_id else None
            # Every resource takes its arguments as keywords (providers.kinds).
            registry[(kind.api, kind.kind, entry.resource)] = kind.build(entry.resource, args, opts)
    return registry


def _of(registry: Registry, kind: Kind) -> dict[str, pulumi.CustomResource]:
    return {res: r for (api, k, res), r in registry.items() if (api, k) == (kind.api, kind.kind)}


def _summary(resource: pulumi.CustomResource, *fields: str) -> pulumi.Output[dict[str, Any]]:
    return pulumi.Output.all(id=resource.id, **{f: getattr(resource, f) for f in fields})


def next_on_call(schedule: opsgenie.Schedule, days: int = 7) -> pulumi.Output[list[str]]:
    """Who is on call in the schedule over ``days`` days from today, one line per period, in time order."""
    # From the start of today (UTC): repeated deployments on one day export the same lines.
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    timeline = opsgenie.get_schedule_timeline_output(
        schedule.id, interval=days, interval_unit="days", date=today
    )

    def lines(t: opsgenie.ScheduleTimeline) -> list[str]:
        periods = sorted(
            ((p, rotation.name) for rotation in t.final_timeline.rotations for p in rotation.periods),
            key=lambda item: (item[0].start_date, item[1] or ""),
        )
        return [f"{_when(p.start_date)} → {_when(p.end_date)}  {_who(p)}  ({name})" for p, name in periods]

    return timeline.apply(lines)


def _who(period: opsgenie.TimelinePeriod) -> str:
    return period.recipient.name or "?" if period.recipient else "nobody"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a %Y-%m-%d %H:%M UTC")


def export(registry: Registry) -> None:
    """Stack outputs: ids and names per API, and the Opsgenie on-call timeline of the coming week."""
    by_kind = {kind.key: _of(registry, kind) for kind in KINDS}
    schedules = by_kind["opsgenie.schedules"]
    pulumi.export("opsgenie_schedules", {n: _summary(r, "name") for n, r in schedules.items()})
    pulumi.export(
        "imbrace_schedulers", {n: _summary(r, "name") for n, r in by_kind["imbrace.schedulers"].items()}
    )
    pulumi.export(
        "omni_schedules", {n: _summary(r, "name", "paused") for n, r in by_kind["omni.schedules"].items()}
    )
    pulumi.export("oncall_next_7_days", {n: next_on_call(r) for n, r in schedules.items()})  # type: ignore[arg-type]
