"""The causes behind missed goals, each with this run's numbers, and the checkpoint anchor table.

The explanations of extra API calls are keyed by the route that carries them; they describe
what the providers' code does (read in ``providers/``), and the numbers come from the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence

from bench.goals import (
    call_rows,
    evaluate,
    ideal_seconds,
    minimum_total,
    parallelism,
    provider_workers,
    ratio_n,
)
from bench.plan import CHEAP
from bench.sections import Run

Table = Callable[[Sequence[str], Iterable[Sequence[object]]], list[str]]

OMNI_LIST = "GET /api/v1/schedules"
# (api, operation, route) → why the provider makes more of these calls than the minimum.
EXTRA_CALLS: dict[tuple[str, str, str], str] = {
    (
        "imbrace",
        "update",
        "GET /3rd/organization/{organization_id}/users/{user_id}/schedulers/{scheduler_id}",
    ): (
        "`SchedulerProvider.update_remote` reads the scheduler before its PUT (to send back the start "
        "and files the program leaves to the API) and again after it (the PUT's answer differs in shape "
        "from the record): 2 GETs per update"
    ),
    ("omni", "up", OMNI_LIST): (
        "after each pause/resume `ScheduleCache.written()` marks the schedule stale and "
        "`update_remote` re-reads it through a list filtered by its dashboard (1 list call per "
        "written schedule), on top of the pages `check` lists"
    ),
    ("omni", "preview", OMNI_LIST): (
        "`check` validates every schedule against the live list (exists, destination, system-disabled): "
        "the pages, once per process"
    ),
    (
        "omni",
        "destroy",
        OMNI_LIST,
    ): "`delete_remote` lists the schedules to name the one it deletes in errors",
}
EXTRA_CALLS[("omni", "update", OMNI_LIST)] = EXTRA_CALLS[("omni", "up", OMNI_LIST)]


def _calls_causes(run: Run) -> list[str]:
    lines = []
    seen: set[tuple[str, str]] = set()
    for row in sorted(call_rows(run), key=lambda r: -r.n):  # each cause once, at the largest size
        if row.calls <= row.minimum or (row.api, row.op) in seen:
            continue
        seen.add((row.api, row.op))
        known = [(route, n) for route, n in row.routes.items() if (row.api, row.op, route) in EXTRA_CALLS]
        why = "; ".join(
            f"{EXTRA_CALLS[(row.api, row.op, route)]} (`{route}` x{n} for {row.resources} resources)"
            for route, n in known
        )
        lines.append(
            f"- {row.api} `{row.op}` (N = {row.n}): {row.calls} calls vs {row.minimum}: "
            + (why or "see the routes in section 2")
            + "."
        )
    return lines


def _ratio_causes(run: Run) -> list[str]:
    n = ratio_n(run)
    noop, mixed = run.floor.get(("noop", n)), run.floor.get(("mixed", n))
    together = run.first_request.get(" + ".join(run.apis))
    if noop is None or mixed is None:
        return []
    lines = []
    for op in CHEAP:
        if op not in noop.runs or op not in mixed.runs:
            continue
        extra = mixed.seconds(op) - noop.seconds(op)
        calls = sum(mixed.first(op).counters.requests.values())
        cpu = mixed.cpu(op) - noop.cpu(op)
        plural = "" if calls == 1 else "s"
        lines.append(
            f"{op} {extra:+.1f} s for {calls} API call{plural} ({cpu:+.1f} CPU s in the engine's"
            f" processes, {mixed.sandbox_cpu(op):.1f} CPU s in the sandbox)"
        )
    if not lines:
        return []
    text = f"- Ratio at N = {n}: the mixed stack costs " + "; ".join(lines) + "."
    if together is not None:
        noop_start = run.first_request["noop"].total
        text += (
            f" A fixed part is importing `providers.*`: {together.load:.2f} s in the provider process before"
            f" its first answer (noop: {noop_start * 1000:.0f} ms), under a lock every first request waits"
            " on, and about as much again in the program, on every operation. The rest is the HTTP"
            " round trips: the providers' clients (requests, pydantic) and the sandbox, which shares"
            " the machine's cores with the engine."
        )
    return [text]


def program_threads() -> int:
    """Threads of asyncio's default executor, on which the Python SDK sends RegisterResource."""
    return min(32, (os.cpu_count() or 1) + 4)


def _latency_causes(run: Run) -> list[str]:
    cycle = run.latency
    if cycle is None:
        return []
    floor = run.floor.get(("mixed", cycle.n))
    p, parts = parallelism(run), []
    for op in cycle.ops:
        ideal = ideal_seconds(run, cycle, op, run.plan.latency_ms)
        calls, minimum = sum(cycle.first(op).counters.requests.values()), minimum_total(cycle, op)
        if floor is not None and op in floor.runs and ideal:
            part = (
                f"{op}: floor {floor.seconds(op):.1f} s = {floor.seconds(op) / ideal:.1f}x the ideal,"
                f" the latency adds {cycle.seconds(op) - floor.seconds(op):.1f} s"
            )
            if calls > minimum:
                part += f" ({calls} calls, {calls - minimum} above the minimum)"
            parts.append(part)
    text = (
        f"- Latency-bound at N = {cycle.n}, against the engine's own work (the floor: the same"
        " operation at latency 0): "
        + "; ".join(parts)
        + f". Where waiting dominates, at most {p} calls are in flight, not `--parallel {run.parallel}`:"
        " the official `pulumi-resource-pulumi-python` serves the engine from"
        f" `ThreadPoolExecutor(max_workers={provider_workers()})` (`pulumi/dynamic/__main__.py`), each"
        " operation holding a thread for its API round trips; the ideal divides by that."
    )
    for api, probe in run.probes.items():
        ideal = ideal_seconds(run, probe, "up", run.plan.probe_ms)
        if ideal:
            text += (
                f" {api} probe (N = {probe.n}, {run.plan.probe_ms} ms per answer):"
                f" {probe.seconds('up'):.1f} s = {probe.seconds('up') / ideal:.1f}x its ideal."
            )
    up = cycle.runs.get("up")
    omni_lists = up[0].counters.requests.get(f"omni {OMNI_LIST}", 0) if up else 0
    if omni_lists:
        text += (
            f" Omni's {omni_lists} list calls in `up` are mostly the re-read after each write (Omni's"
            " answers to writes carry no record); they overlap, as only whole listings are made"
            " under the process-wide cache lock."
        )
    return [text]


def _checkpoint_causes(run: Run) -> list[str]:
    lines = []
    for (kind, n), probe in sorted(run.no_checkpoints.items(), key=lambda kv: kv[0][1]):
        ref = run.anchor.get(n) if kind == "by-value" else run.floor.get((kind, n))
        if ref is None or "up" not in ref.runs:
            continue
        lines.append(f"{kind} N = {n}: {ref.seconds('up'):.1f} s → {probe.seconds('up'):.1f} s")
    if not lines:
        return []
    return [
        "- Growth: the file backend rewrites the whole checkpoint after every step, so an `up` of N"
        " resources writes O(N²) bytes. The same `up` with the checkpoint written once"
        " (`PULUMI_SKIP_CHECKPOINTS=true PULUMI_EXPERIMENTAL=true`): " + "; ".join(lines) + "."
    ]


def _state_causes(run: Run) -> list[str]:
    n = max((n for (k, n), c in run.floor.items() if k == "noop" and c.state), default=None)
    noop = run.floor.get(("noop", n)) if n else None
    if noop is None or noop.state is None or n is None:
        return []
    ours = [t for type_, t in noop.state.types.items() if type_.startswith("pulumi-python:dynamic")]
    if not ours:
        return []
    entry = ours[0]
    return [
        f"- State: a no-op resource's entry alone is {entry.bytes_each:.0f} bytes of compact JSON"
        f" ({noop.state.per_resource(n):.0f} in the indented export), {entry.trace_each:.0f} of them the"
        " `stackTrace` the engine records for every resource (deeper programs record more); each API's"
        " inputs and outputs add to that (section 6). The engine's floor is above 2 KB before any"
        " provider field."
    ]


def causes(run: Run) -> list[str]:
    """What explains each missed goal, with this run's numbers (empty when all are met)."""
    missed = {g.name.split(" (")[0].split(" at ")[0] for g in evaluate(run) if g.met is False}
    lines: list[str] = []
    if any(m.startswith("engine-floor") for m in missed):
        lines += _ratio_causes(run)
    if "API calls per operation" in missed:
        lines += _calls_causes(run)
    if any(m.startswith("Omni refresh") for m in missed):
        lines.append(
            "- Omni refresh: the provider's list cache lives 30 s (`providers/omni/cache.py`);"
            " an operation longer than that lists again."
        )
    if any(m.startswith("latency") for m in missed):
        lines += _latency_causes(run)
    if "growth linear in N" in missed:
        lines += _checkpoint_causes(run)
    if "state per resource" in missed:
        lines += _state_causes(run)
    return ["### Why goals are missed", "", *lines, ""] if lines else []


def anchor_table(run: Run, table: Table) -> list[str]:
    """The by-value anchor against noop: time and size per resource as N grows."""
    rows = []
    for n, anchor in sorted(run.anchor.items()):
        noop = run.floor.get(("noop", n))
        state = anchor.state
        size = f"{state.per_resource(n):.0f} / {state.checkpoint_per_resource(n):.0f}" if state else "-"
        rows.append(
            (
                n,
                f"{noop.seconds('up'):.1f}" if noop and "up" in noop.runs else "-",
                f"{anchor.seconds('up'):.1f}",
                f"{noop.seconds('up') / n * 1000:.0f}" if noop and "up" in noop.runs else "-",
                f"{anchor.seconds('up') / n * 1000:.0f}",
                size,
            )
        )
    if not rows:
        return []
    probes = [
        f"{kind} N = {n}: {c.seconds('up'):.1f} s" for (kind, n), c in sorted(run.no_checkpoints.items())
    ]
    lines = [
        "The anchor: `NoopProvider`'s own source defined in the program's `__main__`, which dill",
        "pickles by value (the class and its bytecode in every resource's `__provider`).",
        "",
        *table(
            (
                "N",
                "noop up s",
                "by-value up s",
                "noop ms/res",
                "by-value ms/res",
                "by-value bytes/res: export / checkpoint",
            ),
            rows,
        ),
    ]
    if probes:
        lines += [
            "`up` with the checkpoint written only at the end (`PULUMI_SKIP_CHECKPOINTS`): "
            + "; ".join(probes)
            + ".",
            "",
        ]
    return lines
