"""A stack's schedules and jobs as time: what is on call and what fires, from the state or the program.

``python -m stacks impact`` and ``python -m stacks calendar`` read a stack through this module.
It gathers, from one source, every Opsgenie schedule with the rotations and overrides declared
for it (inline or as their own resources, joined by ``schedule_id``), every iMBRACE scheduler and
every Omni schedule; the prediction itself is the providers' own pure functions
(``providers.opsgenie.oncall``, ``providers.imbrace.firings``, ``providers.omni.cron``), never
repeated here.

Two sources:

- the **state** (``pulumi stack export``): the inputs of the resources deployed now;
- the **program**: the stack's definition file (``stacks/environments/<stack>.yaml`` or the one
  ``schedules:definitions`` names), read and validated as the program reads it, without running
  the engine. A rotation or override refers to its schedule as ``${opsgenie.schedules.<resource>.id}``.
  An Omni schedule's cron and time zone are Omni's, not the program's: they come from the state
  (the program only pauses or resumes it), so a schedule not yet adopted has no known firings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from providers.imbrace.firings import FiringError
from providers.omni.cron import CronError
from providers.opsgenie.models import Timeline
from providers.opsgenie.oncall import PredictionError, predict_timeline
from providers.timewindows import RUNS_LIMIT, JobKind, job_runs
from stacks.definitions import REFERENCE, Definitions
from stacks.drift import own_inputs

DYNAMIC = "pulumi-python:dynamic/"
FIRINGS_LIMIT = RUNS_LIMIT
"""Firings computed per job and window at most (a job every minute for a week stays below)."""

TIME_FIELDS = ("timezone", "enabled", "rotations")
"""The fields of an Opsgenie schedule that say who is on call when."""

Api = JobKind


class TimeError(Exception):
    """A definition whose times cannot be computed; the message names the resource and the field."""


@dataclass(frozen=True)
class OnCallSchedule:
    """An Opsgenie schedule and the rotations and overrides declared for it."""

    resource: str
    """The Pulumi resource name."""
    name: str
    """The schedule's name in Opsgenie."""
    timezone: str
    """Its time zone ("UTC" when it names none)."""
    inputs: Mapping[str, Any]
    """The ``Schedule`` resource's inputs (snake_case, as the program gives them)."""
    rotations: tuple[Mapping[str, Any], ...] = ()
    """Inputs of its ``ScheduleRotation`` resources."""
    overrides: tuple[Mapping[str, Any], ...] = ()
    """Inputs of its ``ScheduleOverride`` resources."""
    id: str | None = None
    """Its Opsgenie id, once deployed."""

    def predict(self, start: datetime, end: datetime) -> Timeline:
        """The predicted final timeline over ``[start, end)``; TimeError naming the field."""
        try:
            return predict_timeline(
                self.inputs, start, end, rotations=self.rotations, overrides=self.overrides
            )
        except PredictionError as exc:
            raise TimeError(f"opsgenie schedule {self.resource}: {exc}") from None


@dataclass(frozen=True)
class Job:
    """Something that fires: an iMBRACE scheduler or an Omni schedule."""

    api: Api
    resource: str
    name: str
    inputs: Mapping[str, Any]
    """iMBRACE: the ``Scheduler``'s inputs; Omni: ``{"cron", "timezone", "paused"}``."""

    @property
    def label(self) -> str:
        """How reports name the kind of job."""
        return "iMBRACE scheduler" if self.api == "imbrace" else "Omni schedule"

    def firings(self, start: datetime, end: datetime, limit: int = FIRINGS_LIMIT) -> list[datetime]:
        """Its firings (aware, UTC) in ``[start, end)``; TimeError naming the field."""
        # An Omni job keeps Omni's `schedule` as "cron" (its inputs name no schedule of Omni's).
        props = self.inputs if self.api == "imbrace" else {**self.inputs, "schedule": self.inputs.get("cron")}
        try:
            return [run.astimezone(UTC) for run in job_runs(self.api, props, start, end, limit)]
        except (FiringError, CronError) as exc:
            raise TimeError(f"{self.label} {self.resource}: {exc}") from None


@dataclass
class Plan:
    """Everything of a stack that happens in time, from one source."""

    schedules: dict[str, OnCallSchedule] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """What could not be read (a value unknown until another resource exists)."""

    @property
    def timezone(self) -> str:
        """The stack's time zone: its first Opsgenie schedule's, else UTC."""
        return next((s.timezone for s in self.schedules.values()), "UTC")


def _schedule(resource: str, inputs: Mapping[str, Any], id_: str | None = None) -> OnCallSchedule:
    return OnCallSchedule(
        resource,
        name=str(inputs.get("name") or resource),
        timezone=str(inputs.get("timezone") or "UTC"),
        inputs=inputs,
        id=id_,
    )


def _attach(
    plan: Plan, by_key: Mapping[str, str], children: Iterable[tuple[str, str, Mapping[str, Any]]]
) -> None:
    """Join rotations and overrides (``(kind, resource, inputs)``) to their schedules."""
    for kind, resource, inputs in children:
        owner = by_key.get(str(inputs.get("schedule_id")))
        if owner is None:
            plan.notes.append(f"opsgenie {kind} {resource}: its schedule is not in this stack; left out")
            continue
        schedule = plan.schedules[owner]
        extra = {kind: (*getattr(schedule, kind), inputs)}
        plan.schedules[owner] = OnCallSchedule(**{**schedule.__dict__, **extra})


def from_state(deployment: Mapping[str, Any]) -> Plan:
    """The plan of the resources in a checkpoint (``pulumi stack export``'s ``deployment``)."""
    plan = Plan()
    children: list[tuple[str, str, Mapping[str, Any]]] = []
    ids: dict[str, str] = {}
    for res in deployment.get("resources") or []:
        type_ = str(res.get("type", ""))
        if not type_.startswith(DYNAMIC) or res.get("delete"):
            continue
        resource = str(res["urn"]).rsplit("::", 1)[-1]
        inputs, outputs = own_inputs(res.get("inputs")), dict(res.get("outputs") or {})
        kind = type_.removeprefix(DYNAMIC)
        if kind == "opsgenie:Schedule":
            plan.schedules[resource] = _schedule(resource, inputs, res.get("id"))
            ids[str(res.get("id"))] = resource
        elif kind in ("opsgenie:ScheduleRotation", "opsgenie:ScheduleOverride"):
            children.append(("rotations" if kind.endswith("Rotation") else "overrides", resource, inputs))
        elif kind == "imbrace:Scheduler":
            plan.jobs[resource] = Job("imbrace", resource, str(inputs.get("name") or resource), inputs)
        elif kind == "omni:Schedule":
            paused = inputs.get("paused")
            omni = {
                "cron": outputs.get("schedule"),
                "timezone": outputs.get("timezone"),
                "paused": outputs.get("paused") if paused is None else paused,
                "schedule_id": inputs.get("schedule_id"),
            }
            plan.jobs[resource] = Job("omni", resource, str(outputs.get("name") or resource), omni)
    _attach(plan, ids, children)
    return plan


def _reference_owner(value: Any) -> str | None:
    """``${opsgenie.schedules.<resource>.id}`` → ``<resource>``."""
    match = REFERENCE.fullmatch(value) if isinstance(value, str) else None
    return match.group(3) if match and match.group(1, 2) == ("opsgenie", "schedules") else None


def _unknown(value: Any) -> bool:
    if isinstance(value, str):
        return REFERENCE.search(value) is not None
    if isinstance(value, Mapping):
        return any(_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_unknown(v) for v in value)
    return False


def from_program(defs: Definitions, state: Plan) -> Plan:
    """The plan of a stack's definitions (``state`` gives Omni schedules their crons)."""
    plan = Plan()
    for entry in defs.opsgenie.schedules:
        plan.schedules[entry.resource] = _schedule(entry.resource, entry.args)
    children: list[tuple[str, str, Mapping[str, Any]]] = []
    for kind, entries in (("rotations", defs.opsgenie.rotations), ("overrides", defs.opsgenie.overrides)):
        for entry in entries:
            args = entry.args
            owner = _reference_owner(args.get("schedule_id"))
            deployed = next((s for s in state.schedules.values() if s.id == args.get("schedule_id")), None)
            key = owner or (deployed.resource if deployed else None)
            children.append((kind, entry.resource, {**args, "schedule_id": key}))
    _attach(plan, {name: name for name in plan.schedules}, children)
    for name, schedule in list(plan.schedules.items()):
        timed = [schedule.inputs.get(k) for k in TIME_FIELDS]
        children_ = schedule.rotations + schedule.overrides
        timed += [{k: v for k, v in c.items() if k != "schedule_id"} for c in children_]
        if _unknown(timed):
            plan.notes.append(f"opsgenie schedule {name}: a time field refers to another resource; left out")
            del plan.schedules[name]
    for entry in defs.imbrace.schedulers:
        args = {k: v for k, v in entry.args.items() if k not in ("job", "files")}  # no time in them
        if _unknown(args):
            plan.notes.append(f"iMBRACE scheduler {entry.resource}: a time field refers to another resource")
            continue
        name = str(args.get("name") or entry.resource)
        plan.jobs[entry.resource] = Job("imbrace", entry.resource, name, entry.args)
    for entry in defs.omni.schedules:
        deployed_job = state.jobs.get(entry.resource)
        if deployed_job is None or deployed_job.api != "omni":
            plan.notes.append(f"Omni schedule {entry.resource}: its cron is Omni's, known once it is adopted")
            continue
        paused = entry.args.get("paused")
        inputs = {**deployed_job.inputs, **({"paused": paused} if paused is not None else {})}
        plan.jobs[entry.resource] = Job("omni", entry.resource, deployed_job.name, inputs)
    return plan
