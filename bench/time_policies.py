"""What the time rules add to a preview: the pack's stack policies over N definitions of each kind.

A stack of N Opsgenie schedules in DST zones (two inline rotations each, as the sandbox stack's;
every fourth — in the heavy variant every one — with a ``ScheduleRotation`` and a
``ScheduleOverride`` joined to it through ``schedule_id``), N iMBRACE schedulers (every unit)
and N Omni schedules, handed to the pack's own policies
(``policies.pack.policies()``) as pulumi-policy's ``StackValidationArgs``: the work the analyzer
does per preview for each policy, in this process, without the engine's gRPC round trip (one per
policy, the same with or without these rules). The goal: at most 1 s for all the time rules at
N = 200 (issue 22).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    StackValidationArgs,
    StackValidationPolicy,
)

from policies import time_rules
from policies.pack import SPECS, policies
from policies.resources import (
    IMBRACE_SCHEDULER as SCHEDULER,
)
from policies.resources import (
    OMNI_SCHEDULE as REPORT,
)
from policies.resources import (
    OPSGENIE_OVERRIDE as OVERRIDE,
)
from policies.resources import (
    OPSGENIE_ROTATION as ROTATION,
)
from policies.resources import (
    OPSGENIE_SCHEDULE as SCHEDULE,
)

TIME_RULES = ("oncall-coverage", "oncall-load", "job-rate")
GOAL_S = 1.0
"""The most the time rules may add to a preview of 200 schedules."""
CONFIG: dict[str, dict[str, Any]] = {
    "oncall-coverage": {
        "requiredHours": [
            {"schedules": "bench-*-nights", "windows": [{"days": "daily", "start": "18:00", "end": "08:00"}]}
        ]
    },
    "oncall-load": {"maxHoursPerWeek": 169, "maxShiftHours": 169},
    "job-rate": {
        "maxRunsPerDay": 288,
        "freezeWindows": [
            {"name": "year end", "start": "2026-12-24T00:00:00Z", "end": "2027-01-02T00:00:00Z"},
            {
                "name": "maintenance",
                "days": "sun",
                "start": "02:00",
                "end": "04:00",
                "timezone": "Europe/Berlin",
            },
        ],
    },
}
_ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC")
_UNITS = (("minutes", 30), ("days", 1), ("weeks", 1), ("months", 1), ("years", 1))
_CRONS = ("00 09 ? * 2,3,4,5,6 *", "*/30 8-18 ? * MON-FRI *", "0 7 1 * ? *", "15 10 ? * 6L *")


@dataclass(frozen=True)
class TimePolicies:
    """The pack's stack policies timed over one stack."""

    n: int
    heavy: bool
    resources: int
    seconds: dict[str, float]
    """Median wall seconds per policy name (the time rules and the older stack rule, for scale)."""
    cpu: dict[str, float]
    """Median CPU seconds of this process per policy name: the work itself, whatever else the
    machine runs (the analyzer is one thread: on a free core, wall time is this)."""
    violations: int

    @property
    def added(self) -> float:
        """What the time rules add to a preview, wall seconds."""
        return sum(self.seconds[name] for name in TIME_RULES)

    @property
    def added_cpu(self) -> float:
        """What the time rules add to a preview, CPU seconds (the goal's measure)."""
        return sum(self.cpu[name] for name in TIME_RULES)


def _options() -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def _resource(
    kind: str, name: str, props: dict[str, Any], depends: list[PolicyResource] | None = None
) -> PolicyResource:
    urn = f"urn:pulumi:bench::bench::{kind}::{name}"
    deps = {"schedule_id": depends} if depends else {}
    return PolicyResource(kind, props, urn, name, _options(), None, None, list(depends or []), deps)


def _user(i: int) -> dict[str, str]:
    return {"type": "user", "username": f"user{i}@example.com"}


UNKNOWN_ID = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # a schedule id not known yet at preview


def _schedule(i: int, heavy: bool) -> list[PolicyResource]:
    """Schedule ``i``: the sandbox stack's shape (a weekly primary of three, a business-hours team
    backup); every fourth — ``heavy``: every one — adds a 12-hourly weekend rotation and a
    holiday override declared as separate resources."""
    weekly = {
        "name": "primary",
        "type": "weekly",
        "start_date": "2026-01-05T09:00:00+01:00",
        "participants": [_user(i), _user(i + 1), _user(i + 2)],
    }
    office = {"start_hour": 9, "start_min": 0, "end_hour": 17, "end_min": 30}
    backup = {
        "name": "office",
        "type": "daily",
        "start_date": "2026-01-05T09:00:00+01:00",
        "participants": [{"type": "team", "name": f"team{i}"}],
        "time_restriction": {"type": "time-of-day", "restriction": office},
    }
    props = {
        "name": f"bench-{i}-nights" if i % 2 else f"bench-{i}",
        "timezone": _ZONES[i % len(_ZONES)],
        "owner_team": {"name": "ops"},
        "rotations": [weekly, backup],
    }
    schedule = _resource(SCHEDULE, f"og-{i}", props)
    if not heavy and i % 4:
        return [schedule]
    rotation = {
        "schedule_id": UNKNOWN_ID,
        "name": "weekend",
        "type": "hourly",
        "length": 12,
        "start_date": "2026-01-03T00:00:00Z",
        "participants": [_user(i + 3), _user(i + 4)],
    }
    override = {
        "schedule_id": UNKNOWN_ID,
        "user": _user(i + 5),
        "start_date": "2026-12-20T00:00:00Z",
        "end_date": "2026-12-27T00:00:00Z",
    }
    return [
        schedule,
        _resource(ROTATION, f"og-{i}-weekend", rotation, [schedule]),
        _resource(OVERRIDE, f"og-{i}-holiday", override, [schedule]),
    ]


def _jobs(i: int) -> list[PolicyResource]:
    """iMBRACE scheduler ``i`` (the units in turn) and Omni schedule ``i`` (a few crons in turn)."""
    unit, value = _UNITS[i % len(_UNITS)]
    scheduler = {
        "name": f"bench-{i}",
        "event_type": "whatsapp",
        "trigger_frequency_unit": unit,
        "trigger_frequency_value": float(value),
        "trigger_time": "1970-01-01T09:00:00Z",
        "start_datetime": "2026-01-01T09:00:00Z",
        "job": {"type": "kafka", "topic": "T"},
    }
    if unit == "years":
        scheduler["trigger_month_and_day"] = "1970-03-15T00:00:00Z"
    report = {
        "schedule_id": f"id-{i}",
        "name": f"Report {i}",
        "schedule": _CRONS[i % len(_CRONS)],
        "timezone": _ZONES[i % len(_ZONES)],
    }
    return [_resource(SCHEDULER, f"im-{i}", scheduler), _resource(REPORT, f"om-{i}", report)]


def stack(n: int, heavy: bool = False) -> list[PolicyResource]:
    """N Opsgenie schedules (their separate rotations and overrides), N iMBRACE schedulers and N
    Omni schedules, as the analyzer hands them to a stack policy."""
    return [r for i in range(n) for r in (*_schedule(i, heavy), *_jobs(i))]


def measure(n: int, repeats: int = 3, heavy: bool = False) -> TimePolicies:
    """Each stack policy of the pack over :func:`stack` ``(n, heavy)``, the median of ``repeats`` runs."""
    resources = stack(n, heavy)
    found: list[str] = []
    seconds: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    stack_policies = [p for p in policies() if isinstance(p, StackValidationPolicy)]
    for _ in range(repeats):
        found.clear()
        time_rules.clear_predictions()  # each run cold, as one preview's pack process is
        for policy in stack_policies:
            args = StackValidationArgs(
                resources, {"from": "2026-12-07T00:00:00Z", **CONFIG.get(policy.name, {})}
            )
            started, used = time.perf_counter(), time.process_time()
            policy.validate(args, lambda message, urn=None: found.append(message))
            seconds.setdefault(policy.name, []).append(time.perf_counter() - started)
            cpu.setdefault(policy.name, []).append(time.process_time() - used)
    assert {s.name for s in SPECS if s.stack} == set(seconds)
    return TimePolicies(
        n,
        heavy,
        len(resources),
        {k: statistics.median(v) for k, v in seconds.items()},
        {k: statistics.median(v) for k, v in cpu.items()},
        len(found),
    )


def section(results: list[TimePolicies]) -> list[str]:
    """The results page's section: each stack policy's time, and what the time rules add."""
    if not results:
        return []
    names = list(results[0].seconds)
    lines = [
        f"## Policies on time, N = {results[0].n}",
        "",
        "The pack's stack policies over N Opsgenie schedules, N iMBRACE schedulers and N Omni schedules",
        "(`bench/time_policies.py`), in this process as the analyzer runs them (its gRPC round trip per",
        "policy left out). Typical: two inline rotations per schedule (the sandbox stack's), a separate",
        "rotation and override on every fourth; heavy: on every one. Milliseconds, median of the runs:",
        "wall / CPU of this process (on a machine shared with other work, wall time waits for a core).",
        "",
        "| stack | resources | " + " | ".join(f"`{n}`" for n in names) + " | added by the time rules |",
        "|" + "|".join(" --- " for _ in range(len(names) + 3)) + "|",
    ]
    for r in results:
        cells = " | ".join(f"{r.seconds[n] * 1000:.0f} / {r.cpu[n] * 1000:.0f}" for n in names)
        lines.append(
            f"| {'heavy' if r.heavy else 'typical'} | {r.resources} | {cells} "
            f"| {r.added * 1000:.0f} / {r.added_cpu * 1000:.0f} ms |"
        )
    return [*lines, ""]
