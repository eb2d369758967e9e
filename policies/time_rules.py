"""The pack's rules about time: who is on call when, and when jobs fire (issue 22).

Stack rules with the pack's one signature (:mod:`policies.resources`). They read the one
computation of time there is: :mod:`providers.opsgenie.oncall` for on-call periods (rotations
and overrides declared as separate resources joined to their schedule), and
:func:`providers.timewindows.job_runs` for jobs; the weekly windows and weeks are
:mod:`providers.timewindows`. A definition with a value not known yet at preview is skipped with
a note (a :class:`Violation` with ``note=True``); it is judged again when the stack's outputs are
known (the end of ``pulumi up``).
"""

from __future__ import annotations

import bisect
import fnmatch
import functools
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from policies.resources import (
    IMBRACE_SCHEDULER,
    OMNI_SCHEDULE,
    OPSGENIE_OVERRIDE,
    OPSGENIE_ROTATION,
    OPSGENIE_SCHEDULE,
    Props,
    Resource,
    Rule,
    Violation,
    attached,
    moment,
    of_type,
    unknown_fields,
)
from providers.imbrace.firings import FiringError
from providers.imbrace.models import parse_datetime
from providers.omni.cron import CronError
from providers.opsgenie.models import ScheduleInputs, ScheduleOverrideInputs, ScheduleRotationInputs, Timeline
from providers.opsgenie.oncall import PredictionError, gaps, predict_timeline, shifts
from providers.opsgenie.windows import HOUR, Span, intersect, merge
from providers.timewindows import (
    RUNS_LIMIT,
    JobKind,
    WeeklyWindow,
    WindowError,
    describe,
    hours,
    job_runs,
    local,
    occurrences,
    parse_windows,
    utc_instant,
    weeks,
    zone,
)

ALWAYS = [WeeklyWindow(frozenset(range(7)), 0, 1440)]
"""24x7: the required hours of a schedule no ``requiredHours`` entry names."""
# The inputs each kind is predicted from: at the end of `pulumi up` the policies see the outputs
# too (ids, participant_ids, …), which would only make the prediction cache's keys longer and
# miss between preview and up. A separate rotation keeps its `id` (overrides may name it);
# `schedule_id` is what joined it to its schedule.
_INPUTS = {
    OPSGENIE_SCHEDULE: frozenset(ScheduleInputs.model_fields),
    OPSGENIE_ROTATION: frozenset(ScheduleRotationInputs.model_fields) - {"schedule_id"} | {"id"},
    OPSGENIE_OVERRIDE: frozenset(ScheduleOverrideInputs.model_fields) - {"schedule_id"},
}
_JOB_FIELDS = (
    "type",
    "paused",
    "start_datetime",
    "trigger_frequency_unit",
    "trigger_frequency_value",
    "trigger_time",
    "trigger_month_and_day",
    "trigger_day_of_week",
    "trigger_day_of_month",
)


def _config_checked(rule: Rule) -> Rule:
    """The rule, a policy config it cannot read reported once for the stack (not a traceback)."""

    @functools.wraps(rule)
    def checked(resources: Sequence[Resource], config: Props) -> list[Violation]:
        try:
            return rule(resources, config)
        except WindowError as exc:
            return [Violation(f"the policy config's {exc}")]

    return checked


def horizon(config: Props) -> tuple[datetime, datetime]:
    """``[from, from + horizonWeeks)``: the stretch a time rule judges (default: 4 weeks from now)."""
    start = moment(config)
    return start, start + timedelta(weeks=float(config.get("horizonWeeks") or 4))


def _note(resource: Resource, missing: list[str]) -> Violation:
    kind = resource.type.rsplit(":", 1)[-1]
    return Violation(
        f"{kind} '{resource.title}' skipped: {', '.join(missing)} not known yet (judged once known)",
        resource.urn,
        note=True,
    )


@dataclass(frozen=True)
class _Schedule:
    resource: Resource
    props: dict[str, Any]
    """Its inputs."""
    rotations: list[Props]
    overrides: list[Props]
    tz: ZoneInfo


def _schedules(resources: Sequence[Resource]) -> tuple[list[_Schedule], list[Violation]]:
    """The stack's Opsgenie schedules with their separate rotations and overrides; those with a
    value unknown at preview are left out, with a note."""
    joined = attached(resources, OPSGENIE_ROTATION, OPSGENIE_OVERRIDE)
    out, notes = [], []
    for schedule in of_type(resources, OPSGENIE_SCHEDULE):
        parts = joined.get(schedule.urn, [])
        props = _inputs(schedule)
        separate = [_inputs(part) for part in parts]
        missing = unknown_fields(props, ("timezone", "rotations")) + [
            f"{part.name}.{path}"
            for part, inputs in zip(parts, separate, strict=True)
            for path in unknown_fields(inputs, list(inputs))
        ]
        if missing:
            notes.append(_note(schedule, missing))
            continue
        try:
            tz = zone(str(props.get("timezone") or "UTC"), "timezone")
        except WindowError as exc:  # the schedule's own field, not the policy config's
            notes.append(Violation(_uncomputable(schedule, exc), schedule.urn))
            continue
        out.append(
            _Schedule(
                schedule,
                props,
                [p for p, r in zip(separate, parts, strict=True) if r.type == OPSGENIE_ROTATION],
                [p for p, r in zip(separate, parts, strict=True) if r.type == OPSGENIE_OVERRIDE],
                tz,
            )
        )
    return out, notes


def _uncomputable(schedule: Resource, exc: Exception) -> str:
    return f"on-call time of '{schedule.title}' cannot be computed: {exc}"


def _inputs(resource: Resource) -> dict[str, Any]:
    """The inputs of an Opsgenie resource, without its outputs."""
    return {k: v for k, v in resource.props.items() if k in _INPUTS[resource.type]}


_PREDICTIONS: dict[str, Timeline] = {}
"""The predictions of this process, by definition and window: the analyzer runs oncall-coverage and
oncall-load one after the other over the same definitions, and both read one prediction."""


def clear_predictions() -> None:
    """Forget the predictions made so far (the bench times each run cold)."""
    _PREDICTIONS.clear()


def _weeks_of(schedule: _Schedule, start: datetime, end: datetime) -> list[Span]:
    """The local calendar weeks oncall-load sums over: from ``start``'s to the one holding the
    horizon's last moment (``end`` is not in it), so a horizon from a Wednesday ends in a week
    with its Monday to Wednesday judged too."""
    first, last = (moment.astimezone(schedule.tz).date() for moment in (start, end - timedelta.resolution))
    mondays = (last - timedelta(days=last.weekday())) - (first - timedelta(days=first.weekday()))
    return weeks(schedule.tz, start, max(1, mondays.days // 7 + 1))


def _predicted(schedule: _Schedule, start: datetime, end: datetime) -> Timeline:
    """The schedule's timeline over the horizon and its calendar weeks, one window for both rules."""
    span = _weeks_of(schedule, start, end)
    lo, hi = min(start, span[0][0]), max(end, span[-1][1])
    definition = [
        schedule.props,
        schedule.rotations,
        schedule.overrides,
        lo.isoformat(),
        hi.isoformat(),
    ]
    key = json.dumps(definition, sort_keys=True, default=str)
    if key not in _PREDICTIONS:
        if len(_PREDICTIONS) > 4096:
            _PREDICTIONS.clear()
        _PREDICTIONS[key] = predict_timeline(
            schedule.props, lo, hi, rotations=schedule.rotations, overrides=schedule.overrides
        )
    return _PREDICTIONS[key]


def _required(schedule: _Schedule, config: Props) -> tuple[list[WeeklyWindow], ZoneInfo]:
    """The windows a schedule must cover: the first ``requiredHours`` entry whose ``schedules``
    pattern matches its name (or resource name); 24x7 when none does."""
    for i, entry in enumerate(config.get("requiredHours") or []):
        pattern = str(entry.get("schedules", "*"))
        if fnmatch.fnmatchcase(schedule.resource.title, pattern) or fnmatch.fnmatchcase(
            schedule.resource.name, pattern
        ):
            where = f"requiredHours[{i}]"
            tz = zone(entry["timezone"], f"{where}.timezone") if entry.get("timezone") else schedule.tz
            return parse_windows(entry.get("windows"), f"{where}.windows"), tz
    return ALWAYS, schedule.tz


def _judged(resources: Sequence[Resource], judge: Callable[[_Schedule], list[str]]) -> list[Violation]:
    """``judge``'s messages for every schedule, a definition that cannot be predicted named as such."""
    schedules, out = _schedules(resources)
    for schedule in schedules:
        try:
            messages = judge(schedule)
        except (PredictionError, WindowError) as exc:
            messages = [_uncomputable(schedule.resource, exc)]
        out += [Violation(m, schedule.resource.urn) for m in messages]
    return out


@_config_checked
def oncall_coverage(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """Every Opsgenie schedule has somebody on call during its required hours over the horizon."""
    start, end = horizon(config)
    shown = int(config.get("maxGapsShown") or 3)

    def judge(schedule: _Schedule) -> list[str]:
        windows, tz = _required(schedule, config)
        required = [(start, end)] if windows is ALWAYS else occurrences(windows, tz, start, end)
        open_ = gaps(_predicted(schedule, start, end), start, end)
        uncovered = merge([part for gap in open_ for part in intersect(gap, required)])
        if not uncovered:
            return []
        more = f" and {len(uncovered) - shown} more" if len(uncovered) > shown else ""
        listed = "; ".join(describe(span, tz) for span in uncovered[:shown])
        return [
            f"Opsgenie schedule '{schedule.resource.title}' leaves its required hours uncovered: "
            f"{listed}{more} ({hours(uncovered):.1f} h uncovered in the {_weeks(start, end)} "
            f"from {local(start, tz)})"
        ]

    return _judged(resources, judge)


def _hours_in(span: Span, week: Span) -> float:
    """The hours of ``span`` within ``week``."""
    return max(timedelta(), min(span[1], week[1]) - max(span[0], week[0])) / HOUR


def _weeks(start: datetime, end: datetime) -> str:
    count = (end - start) / timedelta(weeks=1)
    return f"{count:g} week{'s' if count != 1 else ''}"


@_config_checked
def oncall_load(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """No participant is on call more than ``maxHoursPerWeek`` in any local calendar week of the
    horizon, and no shift lasts longer than ``maxShiftHours`` (0 or absent: no limit)."""
    per_week, per_shift = float(config.get("maxHoursPerWeek") or 0), float(config.get("maxShiftHours") or 0)
    start, end = horizon(config)

    def judge(schedule: _Schedule) -> list[str]:
        tz, title = schedule.tz, schedule.resource.title
        span = _weeks_of(schedule, start, end)
        on_call: dict[str, list[Span]] = {}  # per participant: when, merged (rotations and overrides)
        for shift in shifts(_predicted(schedule, start, end)):
            if shift.recipient != "(nobody)":
                on_call.setdefault(shift.recipient, []).append((shift.start, shift.end))
        weekly, stretches = [], []
        for who, spans in sorted(on_call.items()):
            merged = merge(spans)
            above = [(h, week) for week in span if (h := sum(_hours_in(s, week) for s in merged)) > per_week]
            if per_week and above:
                worst, week = max(above, key=lambda item: item[0])
                others = (
                    f" (and {len(above) - 1} other week{'s' if len(above) > 2 else ''})"
                    if len(above) > 1
                    else ""
                )
                weekly.append(
                    f"Opsgenie schedule '{title}': {who} is on call {worst:.1f} h in the week of "
                    f"{local(week[0], tz)} {tz.key}{others}, above maxHoursPerWeek {per_week:g}"
                )
            when = max(merged, key=lambda s: s[1] - s[0])  # the first of the longest
            if per_shift and (length := (when[1] - when[0]) / HOUR) > per_shift:
                stretches.append(
                    f"Opsgenie schedule '{title}': {who} has a shift of {length:.1f} h "
                    f"({describe(when, tz)}), above maxShiftHours {per_shift:g}"
                )
        return weekly + stretches

    return _judged(resources, judge)


@dataclass(frozen=True)
class _Freeze:
    name: str
    spans: list[Span]
    tz: ZoneInfo | None
    """The zone it is written in (None: shown in each job's zone)."""


def _freezes(config: Props, start: datetime, end: datetime) -> list[_Freeze]:
    """The configured freeze windows not over at ``start``: absolute ones (``start``/``end`` with
    offsets), and weekly ones (``days``/``start``/``end`` in a ``timezone``) within the horizon."""
    out = []
    for i, entry in enumerate(config.get("freezeWindows") or []):
        where = f"freezeWindows[{i}]"
        name = str(entry.get("name") or where)
        tz = zone(entry["timezone"], f"{where}.timezone") if entry.get("timezone") else None
        if "days" in entry:
            spans = occurrences(parse_windows([entry], where), tz or zone("UTC"), start, end)
        else:
            a, b = (
                utc_instant(entry.get("start"), f"{where}.start"),
                utc_instant(entry.get("end"), f"{where}.end"),
            )
            if b <= a:  # a mistyped freeze would freeze nothing
                raise WindowError(f"{where}.end", f"{entry.get('end')!r} is not after start")
            spans = [(max(a, start), b)] if b > start else []
        out.append(_Freeze(name, spans, tz))
    return out


@_config_checked
def job_rate(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """No iMBRACE scheduler or Omni schedule runs more than ``maxRunsPerDay`` times on a day (UTC
    for iMBRACE, the schedule's zone for Omni) of the horizon — of the same stretch from its
    start, for a scheduler that starts later — nor inside a freeze window."""
    limit = int(config.get("maxRunsPerDay") or 0)
    start, end = horizon(config)
    freezes = _freezes(config, start, end)
    out = []
    for job in of_type(resources, IMBRACE_SCHEDULER, OMNI_SCHEDULE):
        omni = job.type == OMNI_SCHEDULE
        missing = unknown_fields(job.props, ("schedule", "timezone", "paused") if omni else _JOB_FIELDS)
        if omni and "schedule" not in job.props:
            missing.append("schedule (read from Omni when the schedule is adopted)")
        if missing:
            out.append(_note(job, missing))
            continue
        what = f"{'Omni schedule' if omni else 'iMBRACE scheduler'} '{job.title}'"
        try:
            runs, tz, begins = _runs(job, omni)
            ahead = runs(start, end)  # the horizon's runs, read again for the freezes within it
            whole = len(ahead) < RUNS_LIMIT
            first = max(start, begins or start)
            counted = ahead if first == start else runs(first, first + (end - start))
            busiest = Counter(r.date() for r in counted).most_common(1)  # runs are in tz already
            if limit and busiest and busiest[0][1] > limit:
                day, count = busiest[0]
                message = (
                    f"{what} runs {count} times on {day:%a %Y-%m-%d} ({tz.key}), above maxRunsPerDay {limit}"
                )
                out.append(Violation(message, job.urn))
            for freeze in freezes:
                hits = [
                    (span, inside)
                    for span in freeze.spans
                    if (inside := _within(ahead, span) if whole and span[1] <= end else runs(*span))
                ]
                if hits:
                    (span, inside), shown = hits[0], freeze.tz or tz
                    message = (
                        f"{what} runs {sum(len(i) for _, i in hits)} time(s) inside freeze window "
                        f"'{freeze.name}', first at {local(inside[0], shown)} ({describe(span, shown)})"
                    )
                    out.append(Violation(message, job.urn))
        except (FiringError, CronError, WindowError) as exc:
            out.append(Violation(f"when {what} runs cannot be computed: {exc}", job.urn))
    return out


Runs = Callable[[datetime, datetime], list[datetime]]


def _within(runs: list[datetime], span: Span) -> list[datetime]:
    """The runs (in time order) inside ``span``."""
    return runs[bisect.bisect_left(runs, span[0]) : bisect.bisect_left(runs, span[1])]


def _runs(job: Resource, omni: bool) -> tuple[Runs, ZoneInfo, datetime | None]:
    """A job's runs in a window (in the zone its days are counted in), that zone, and its start if
    any: an iMBRACE ``start_datetime`` read as its provider reads it (no offset: UTC)."""
    props = job.props
    kind: JobKind = "omni" if omni else "imbrace"
    tz = zone(str(props.get("timezone") or "UTC")) if omni else zone("UTC")
    try:
        begins = None if omni or not props.get("start_datetime") else parse_datetime(props["start_datetime"])
    except ValueError as exc:
        raise FiringError("start_datetime", str(exc)) from None
    return functools.partial(job_runs, kind, props), tz, begins
