"""``python -m stacks impact``: what a pending change does to time — who is on call, what fires.

Predicts every schedule and job of the stack twice over the same window, from the **state**
(what is deployed) and from the **program** (the stack's definition file, as the next ``up``
deploys it; see stacks/timing.py), and reports what differs: per Opsgenie schedule, the on-call
hours of each participant before → after and the gaps (nobody on call) the change opens or
closes; per iMBRACE scheduler and Omni schedule, the firings per day before → after and the next
three. Schedules and jobs whose times do not change are not listed.

Exit status: 0 when nothing changes in time, 1 when something does, 2 when the report cannot be
made. Markdown by default (a comment on a change request), ``--json`` for a bot.

``--verify-live`` compares instead the prediction of each deployed Opsgenie schedule with the
timeline Opsgenie itself answers (``GET /v2/schedules/{id}/timeline``) and reports every period
that differs: how to learn where the real service and the prediction disagree.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from providers.opsgenie.models import ScheduleTimeline
from providers.opsgenie.oncall import compare as compare_live
from providers.opsgenie.oncall import gaps, hours_by_recipient, shifts
from providers.opsgenie.windows import subtract
from providers.timewindows import describe
from stacks.timing import FIRINGS_LIMIT, Job, OnCallSchedule, Plan

Span = tuple[datetime, datetime]
T = TypeVar("T", OnCallSchedule, Job)
HOUR, MINUS = timedelta(hours=1), "\u2212"
"""An hour, and the minus sign of a decrease as reports print it."""
NEXT = 3
"""How many next firings a job's report lists."""


@dataclass(frozen=True)
class Hours:
    """One participant's on-call hours over the window, before and after the change."""

    participant: str
    before: float
    after: float


@dataclass(frozen=True)
class ScheduleImpact:
    """How a change moves one schedule's on-call time."""

    resource: str
    name: str
    timezone: str
    status: str
    """``changed``, ``added`` or ``removed``."""
    hours: list[Hours]
    opened: list[Span]
    """Gaps the change opens (nobody on call after, somebody before)."""
    closed: list[Span]
    """Gaps the change closes."""


@dataclass(frozen=True)
class JobImpact:
    """How a change moves one job's firings."""

    api: str
    resource: str
    name: str
    status: str
    per_day_before: float
    per_day_after: float
    next_before: list[datetime]
    next_after: list[datetime]


@dataclass
class Impact:
    """The time impact of a stack's pending change over ``[start, end)``."""

    stack: str
    start: datetime
    end: datetime
    schedules: list[ScheduleImpact] = field(default_factory=list)
    jobs: list[JobImpact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything changes in time."""
        return bool(self.schedules or self.jobs)


def window(start: datetime | None, weeks: int) -> Span:
    """``[start, start + weeks)``; by default from the start of the current hour (UTC)."""
    begin = start or datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return begin, begin + timedelta(weeks=weeks)


def _which(before: T | None, after: T | None) -> tuple[T, str]:
    """The side to name a thing by, and whether it is ``changed``, ``added`` or ``removed``."""
    if after is None:
        assert before is not None
        return before, "removed"
    return after, "changed" if before is not None else "added"


def schedule_impact(
    before: OnCallSchedule | None, after: OnCallSchedule | None, start: datetime, end: datetime
) -> ScheduleImpact | None:
    """The change of one schedule (None when its on-call time stays the same)."""
    old = before.predict(start, end) if before else None
    new = after.predict(start, end) if after else None
    if old is not None and new is not None and shifts(old) == shifts(new):
        return None
    old_hours = hours_by_recipient(old, start, end) if old is not None else {}
    new_hours = hours_by_recipient(new, start, end) if new is not None else {}
    hours = [
        Hours(p, round(old_hours.get(p, 0.0), 2), round(new_hours.get(p, 0.0), 2))
        for p in sorted(set(old_hours) | set(new_hours))
    ]
    old_gaps = gaps(old, start, end) if old is not None else []
    new_gaps = gaps(new, start, end) if new is not None else []
    shown, status = _which(before, after)
    return ScheduleImpact(
        shown.resource,
        shown.name,
        shown.timezone,
        status,
        hours,
        opened=subtract(new_gaps, old_gaps) if new is not None else [],
        closed=subtract(old_gaps, new_gaps) if old is not None and new is not None else [],
    )


def job_impact(before: Job | None, after: Job | None, start: datetime, end: datetime) -> JobImpact | None:
    """The change of one job's firings (None when they stay the same)."""
    old = before.firings(start, end) if before else []
    new = after.firings(start, end) if after else []
    if before and after and old == new:
        return None
    shown, status = _which(before, after)
    return JobImpact(
        shown.api,
        shown.resource,
        shown.name,
        status,
        per_day(old, start, end),
        per_day(new, start, end),
        old[:NEXT],
        new[:NEXT],
    )


def per_day(firings: list[datetime], start: datetime, end: datetime) -> float:
    """Firings per day over ``[start, end)``; over the stretch they cover when the list was cut at
    :data:`~stacks.timing.FIRINGS_LIMIT` (a job every minute for weeks)."""
    if len(firings) >= FIRINGS_LIMIT:
        end = firings[-1]
    days = (end - start) / timedelta(days=1)
    return round(len(firings) / days, 2) if days > 0 else 0.0


def compare(stack: str, state: Plan, program: Plan, start: datetime, end: datetime) -> Impact:
    """The impact of going from the deployed ``state`` to the ``program`` over ``[start, end)``."""
    impact = Impact(stack, start, end, notes=[*state.notes, *program.notes])
    for name in sorted(set(state.schedules) | set(program.schedules)):
        found = schedule_impact(state.schedules.get(name), program.schedules.get(name), start, end)
        if found:
            impact.schedules.append(found)
    for name in sorted(set(state.jobs) | set(program.jobs)):
        moved = job_impact(state.jobs.get(name), program.jobs.get(name), start, end)
        if moved:
            impact.jobs.append(moved)
    return impact


def _num(value: float) -> str:
    return f"{value:g}" if value == round(value, 2) else f"{value:.2f}"


def _delta(before: float, after: float) -> str:
    diff = after - before
    return "0" if diff == 0 else f"+{_num(diff)}" if diff > 0 else f"{MINUS}{_num(-diff)}"


def _gap_lines(title: str, spans: list[Span], timezone: str) -> list[str]:
    if not spans:
        return [f"- {title}: none"]
    tz = ZoneInfo(timezone)
    # `Sat 2026-12-12 00:00 - Mon 2026-12-14 09:00 Europe/Berlin (57 h)`, with an en dash
    return [f"- {title}:", *(f"  - {describe(s, tz)} ({_num((s[1] - s[0]) / HOUR)} h)" for s in spans)]


def _schedule_md(s: ScheduleImpact) -> list[str]:
    lines = [
        f"### Opsgenie schedule `{s.resource}` ({s.status})",
        "",
        "| participant | hours before | hours after | change |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {h.participant} | {_num(h.before)} | {_num(h.after)} | {_delta(h.before, h.after)} |"
            for h in s.hours
        ),
        "",
        *_gap_lines("gaps opened", s.opened, s.timezone),
        *_gap_lines("gaps closed", s.closed, s.timezone),
        "",
    ]
    return lines


def _next(moments: list[datetime]) -> str:
    return ", ".join(m.strftime("%a %Y-%m-%d %H:%M UTC") for m in moments) or "—"


def _job_md(j: JobImpact) -> list[str]:
    label = "iMBRACE scheduler" if j.api == "imbrace" else "Omni schedule"
    return [
        f"### {label} `{j.resource}` ({j.status})",
        "",
        "| | before | after |",
        "| --- | --- | --- |",
        f"| firings per day | {_num(j.per_day_before)} | {_num(j.per_day_after)} |",
        f"| next {NEXT} | {_next(j.next_before)} | {_next(j.next_after)} |",
        "",
    ]


def markdown(impact: Impact) -> str:
    """The report as Markdown, meant as a comment on a change request."""
    days = (impact.end - impact.start) / timedelta(days=1)
    head = [
        f"## Time impact on stack `{impact.stack}`",
        "",
        f"Over {_num(days)} days from {impact.start.strftime('%a %Y-%m-%d %H:%M UTC')}: "
        "deployed (the state) → the change (the definitions).",
        "",
    ]
    if not impact.changed:
        head.append("No change in time: every schedule and job is on call and fires as before.")
    body = [line for s in impact.schedules for line in _schedule_md(s)]
    body += [line for j in impact.jobs for line in _job_md(j)]
    notes = [f"- note: {n}" for n in impact.notes]
    return "\n".join([*head, *body, *notes]).rstrip() + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def as_json(impact: Impact) -> str:
    """The report as JSON: ``{stack, start, end, changed, schedules, jobs, notes}``."""
    return json.dumps(_plain({**asdict(impact), "changed": impact.changed}), indent=2, ensure_ascii=False)


# --- --verify-live ---------------------------------------------------------------------


def live_differences(schedule: OnCallSchedule, live: ScheduleTimeline) -> list[str]:
    """Every period in which the prediction and Opsgenie's answer differ, over the answer's window."""
    predicted = schedule.predict(live.start_date, live.end_date)
    return [f"{schedule.resource}: {line}" for line in compare_live(predicted, live.final_timeline)]
