"""The causes behind missed goals, each with this run's numbers, and the checkpoint anchor table.

The explanations of extra API calls are keyed by the route that carries them; they describe
what the providers' code does (read in ``providers/``), and the numbers come from the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence

from bench.goals import (
    CallRow,
    above_floor,
    call_rows,
    evaluate,
    ideal_seconds,
    minimum_total,
    parallelism,
    provider_workers,
    ratio_sizes,
)
from bench.plan import CHEAP
from bench.sections import Run, all_of

Table = Callable[[Sequence[str], Iterable[Sequence[object]]], list[str]]

OMNI_LIST = "GET /api/v1/schedules"
IMBRACE_LIST = "GET /3rd/organization/{organization_id}/users/{user_id}/schedulers"
IMBRACE_ONE = IMBRACE_LIST + "/{scheduler_id}"
# (api, operation, route) → why the provider makes more of these calls than the minimum.
EXTRA_CALLS: dict[tuple[str, str, str], str] = {
    ("opsgenie", "up", "GET /v2/schedules"): (
        "`check` looks each new schedule's name up (issue 14: the preview fails when the name is taken,"
        " and a create never adopts someone else's schedule) in one listing of the account's schedules"
        " per provider process (docs/api-assumptions.md, O9)"
    ),
    ("opsgenie", "up", "GET /v2/schedules/{identifier}"): (
        "a schedule's outputs read back after its create (the create's answer holds only its id)"
    ),
    ("opsgenie", "refresh", "GET /v2/schedules/{identifier}"): (
        "a schedule the one listing lacks (made since, or deleted), or every schedule when the listing"
        " failed, read by id (docs/api-assumptions.md, O10)"
    ),
    ("imbrace", "refresh", IMBRACE_ONE): (
        "a scheduler read by id: one with files, one the listing of its event type lacks (made since, or"
        " deleted), or every one when that listing failed (docs/api-assumptions.md, I10)"
    ),
    ("imbrace", "refresh", IMBRACE_LIST): (
        "the listing of each event type, ⌈N/100⌉ pages, on top of the schedulers read by id (I10)"
    ),
    (
        "imbrace",
        "update",
        IMBRACE_ONE,
    ): (
        "the read before the PUT: the PUT replaces the scheduler, so what the program leaves to the API"
        " (the start, the one-time type, the uploads) is sent back as it is now (I9)"
    ),
    ("omni", "up", OMNI_LIST): (
        "a schedule whose recipients changed is read again (a list call filtered by its dashboard): the"
        " recipient calls answer counts, 0 when resent after a lost answer (docs/api-assumptions.md, M3);"
        " otherwise the schedules listed more than once in one process"
    ),
    ("omni", "preview", OMNI_LIST): "the schedules listed more than once in one process",
    ("omni", "destroy", OMNI_LIST): "the schedules listed more than once in one process",
}
EXTRA_CALLS[("omni", "update", OMNI_LIST)] = EXTRA_CALLS[("omni", "up", OMNI_LIST)]


def why_above(row: CallRow) -> str:
    """Why a cell of the calls table is above its minimum ("" when it is not)."""
    if row.calls <= row.minimum:
        return ""
    known = [
        f"{EXTRA_CALLS[(row.api, row.op, route)]} (`{route}` x{n})"
        for route, n in sorted(row.routes.items())
        if (row.api, row.op, route) in EXTRA_CALLS
    ]
    return "; ".join(known) or "not explained: see the routes"


def _calls_causes(run: Run) -> list[str]:
    over = [r for r in call_rows(run) if r.calls > r.minimum]
    cells = sorted({f"{r.api} `{r.op}`" for r in over})
    where = ", ".join(cells)
    cell = "cell" if len(over) == 1 else "cells"
    return [f'- Calls above the minimum in {len(over)} {cell} ({where}): section 2, column "why".']


def _ratio_causes(run: Run) -> list[str]:
    out = []
    for n in ratio_sizes(run):
        noop, mixed = run.floor.get(("noop", n)), run.floor.get(("mixed", n))
        if noop is None or mixed is None:
            continue
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
        if lines:
            out.append(f"- Ratio at N = {n}: the mixed stack costs " + "; ".join(lines) + ".")
    together = all_of(run.apis)
    provider, program = run.provider_start.get(together), run.program_start.get(together)
    if out and provider is not None and program is not None:
        out.append(
            f"- A fixed part of every operation is importing: {provider.imports.total * 1000:.0f} ms in the"
            f" provider process before its first answer (noop: {_noop_imports(run) * 1000:.0f} ms) and"
            f" {program.imports.total * 1000:.0f} ms in the program (section 4). The rest is the HTTP round"
            " trips: the providers' clients and the sandbox, which shares the machine's cores with the"
            " engine."
        )
    return out


def _noop_imports(run: Run) -> float:
    noop = run.provider_start.get("noop")
    return noop.imports.total if noop else 0.0


def _start_causes(run: Run) -> list[str]:
    together = all_of(run.apis)
    lines = []
    for label, starts in (("provider process", run.provider_start), ("program", run.program_start)):
        start = starts.get(together)
        if start is None or start.met:
            continue
        heavy = ", ".join(f"`{m}` {s * 1000:.0f}" for m, s in start.imports.heaviest)
        lines.append(
            f"- Start, {label}: {start.imports.ours * 1000:.0f} ms of our modules' own imports for"
            f" `{together}` ({start.imports.total * 1000:.0f} ms in all); heaviest (self ms): {heavy}."
        )
    return lines


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
    found = above_floor(run)
    if found is None:
        return []
    n, extra = found
    mixed, noop = run.floor[("mixed", n)].state, run.floor[("noop", n)].state
    assert mixed is not None and noop is not None
    floor = noop.dynamic().get("noop")
    if floor is None:
        return []
    parts = []
    for api, t in mixed.dynamic().items():
        ins, outs = t.inputs_each - floor.inputs_each, t.outputs_each - floor.outputs_each
        trace = t.trace_each - floor.trace_each
        parts.append(
            f"{api} {t.bytes_each - floor.bytes_each:+.0f} (inputs {ins:+.0f}, outputs {outs:+.0f},"
            f" stackTrace {trace:+.0f})"
        )
    return [
        f"- State at N = {n}: {extra:.0f} export bytes per resource above the no-op floor; per entry"
        " (compact JSON, bytes above a no-op entry): " + "; ".join(parts) + ". The outputs hold the"
        " inputs again: the dynamic-provider server hands `diff` and `read` only the outputs"
        " (`pulumi/dynamic/__main__.py`), so whatever the diff compares must be in them."
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
    if any(m.startswith("provider start") for m in missed):
        lines += _start_causes(run)
    if any(m.startswith("latency") for m in missed):
        lines += _latency_causes(run)
    if "growth linear in N" in missed:
        lines += _checkpoint_causes(run)
    if any(m.startswith("state per resource") for m in missed):
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
