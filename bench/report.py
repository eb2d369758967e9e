"""``bench/results.md``: the tables of one run, the goals met or missed, and what explains a miss."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bench import notes
from bench.estate import section as estate_section
from bench.goals import (
    STATE_ABOVE_FLOOR_MAX,
    call_rows,
    evaluate,
    ideal_seconds,
    marginal_costs,
    minimum_total,
    omni_list_calls,
    parallelism,
    provider_workers,
)
from bench.notes import why_above
from bench.ops import Cycle
from bench.plan import CHEAP
from bench.sections import Run, all_of
from bench.startup import IMPORT_GOAL_S
from bench.throttled import section as throttled_section
from bench.time_policies import section as time_policies_section


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _s(seconds: float) -> str:
    return f"{seconds:.1f}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def _repeats(cycle: Cycle, op: str) -> str:
    count = len(cycle.runs[op])
    return "" if count == 1 else f" (median of {count})"


def header(run: Run, machine: dict[str, str]) -> list[str]:
    """Title, machine, settings and the caveat about absolute timings."""
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python -m bench` ({run.plan.name} run) on {machine['date']}, in {machine['elapsed']}.",
        "",
        f"- Machine: {machine['cores']} cores ({machine['cpu']}), load average {machine['load']}",
        f"- Python {machine['python']}; the official Pulumi chain: the CLI {machine['engine']}",
        f"  (file:// backend), its Python language host {machine['host']}, and the dynamic providers",
        "  served by `pulumi-resource-pulumi-python` (`python -m pulumi.dynamic`)",
        f"- `--parallel {run.parallel}` on every operation (the CLI's default on this machine); the official",
        f"  provider launcher serves {provider_workers()} provider operations at once, so at most"
        f" {parallelism(run)} calls are in flight",
        f"- APIs measured: {', '.join(run.apis) or 'none'}",
        "- `providers/`, `bench/` and `stacks/` byte-compiled first, as pip compiles installed packages",
        "  (the dependencies are): an editable install under `PYTHONDONTWRITEBYTECODE` would otherwise",
        "  compile them from source in every process the engine starts",
    ]
    lines += [f"- **Not measured: {api}** — {why}" for api, why in run.missing.items()]
    lines += [
        "",
        "Times are wall-clock seconds of whole CLI runs through the Automation API (what a user waits",
        "for), on a machine shared with other work: compare the ratios within one run, not absolute",
        "times across runs. Call counts come from the sandbox's counters and do not depend on load.",
        "",
    ]
    return lines


def goals(run: Run) -> list[str]:
    """The goals table."""
    mark = {True: "met", False: "**missed**", None: "not measured"}
    rows = [(g.name, g.target, g.measured, mark[g.met]) for g in evaluate(run)]
    return ["## Goals", "", *table(("goal", "target", "measured", "result"), rows)]


def _floor_row(noop: Cycle, mixed: Cycle, op: str, n: int) -> tuple[str, ...]:
    """Wall and CPU times of one operation, noop against mixed ("-" where noop did not run it)."""
    wall, cpu = mixed.seconds(op), mixed.cpu(op)
    if op not in noop.runs:
        return ("-", _s(wall), "-", "-", _ms(wall / n), "-", _s(cpu), "-", _s(mixed.sandbox_cpu(op)))
    base, base_cpu = noop.seconds(op), noop.cpu(op)
    return (
        _s(base),
        _s(wall),
        f"{wall / base:.2f}",
        _ms(base / n),
        _ms(wall / n),
        _s(base_cpu),
        _s(cpu),
        f"{cpu / base_cpu:.2f}" if base_cpu else "-",
        _s(mixed.sandbox_cpu(op)),
    )


def floor_section(run: Run) -> list[str]:
    """Section 1: noop vs mixed per size and operation."""
    rows = []
    for n in run.plan.sizes:
        noop, mixed = run.floor.get(("noop", n)), run.floor.get(("mixed", n))
        if noop is None or mixed is None:
            continue
        for op in mixed.ops:
            rows.append((n, op + _repeats(mixed, op), *_floor_row(noop, mixed, op, n)))
    lines = [
        "## 1. Engine floor: the three APIs vs no-op resources (sandbox latency 0)",
        "",
        f"The mixed stack spreads N resources round-robin over {', '.join(run.apis)}; the noop stack",
        "deploys N `bench.noop.Noop`. `update` changes every resource; ratio = mixed ÷ noop.",
        "CPU = CPU seconds of the CLI, the program and the provider process (less sensitive to",
        "the machine's load than wall time); the sandbox's own CPU is counted apart.",
        "",
        *table(
            (
                "N",
                "operation",
                "noop s",
                "mixed s",
                "ratio",
                "noop ms/res",
                "mixed ms/res",
                "noop CPU s",
                "mixed CPU s",
                "CPU ratio",
                "sandbox CPU s",
            ),
            rows,
        ),
    ]
    growth = []
    for kind in ("noop", "mixed"):
        for op in CHEAP:
            steps = marginal_costs(run, kind, op)
            if steps:
                growth.append((kind, op, *(f"{_ms(c)} ({a}→{b})" for a, b, c in steps)))
    if growth and len(growth[0]) > 3:
        steps_header = [f"step {i + 1}" for i in range(len(growth[0]) - 2)]
        lines += [
            "Growth: milliseconds per added resource between consecutive sizes (flat = linear in N).",
            "",
            *table(("stack", "operation", *steps_header), growth),
        ]
    return lines


def calls_section(run: Run) -> list[str]:
    """Section 2: API calls per operation and API vs the minimum, the routes called, and why a
    cell is above its minimum."""
    rows = []
    for r in call_rows(run):
        routes = "; ".join(f"{route} x{count}" for route, count in sorted(r.routes.items()))
        ratio = f"{r.calls / r.minimum:.2f}" if r.minimum else ("-" if not r.calls else "∞")
        rows.append((r.n, r.op, r.api, r.resources, r.calls, r.minimum, ratio, routes or "-", why_above(r)))
    return [
        "## 2. API calls per operation (mixed stack) vs the minimum",
        "",
        "Minimum (`bench.programs.minimum_calls`), N = the API's resources in the stack: one call per",
        "resource to create, update, read or delete it; preview: none, except Omni's existence and",
        "destination checks, at most ⌈N/100⌉ list pages per process; Omni writes (pause, resume,",
        "recipients, delete): one call per action plus at most ⌈N/100⌉ list pages per process; Omni",
        "refresh: ⌈N/100⌉ list pages; iMBRACE update: the PUT plus at most one read. Opsgenie's refresh",
        "makes fewer: one list call for every schedule (O10); so does iMBRACE's for schedulers without",
        "files: ⌈N/100⌉ list pages per event type (I10).",
        '"why" explains every cell above its minimum; a cell below it is no miss.',
        "",
        *table(("N", "operation", "API", "resources", "calls", "minimum", "x min", "routes", "why"), rows),
    ]


def latency_section(run: Run) -> list[str]:
    """Section 3: latency-bound runs against the ideal, and the latency-dominated probes."""
    cycle = run.latency
    if cycle is None:
        return []
    floor = run.floor.get(("mixed", cycle.n))
    ms, p = run.plan.latency_ms, parallelism(run)
    rows = []
    for op in cycle.ops:
        wall, ideal = cycle.seconds(op), ideal_seconds(run, cycle, op, ms)
        base = floor.seconds(op) if floor and op in floor.runs else None
        rows.append(
            (
                op,
                sum(cycle.first(op).counters.requests.values()),
                minimum_total(cycle, op),
                _s(wall),
                _s(base) if base is not None else "-",
                f"{ideal:.1f}",
                f"{wall / ideal:.1f}" if ideal else "-",
                f"{(wall - base) / ideal:.1f}" if base is not None and ideal else "-",
            )
        )
    header = (
        "operation",
        "calls",
        "minimum calls",
        "wall s",
        "floor s",
        "ideal s",
        "wall ÷ ideal",
        "(wall - floor) ÷ ideal",
    )
    workers = provider_workers()
    return [
        f"## 3. Latency-bound: {ms} ms added to every API answer, mixed stack of N = {cycle.n}",
        "",
        f"Ideal = minimum calls (section 2) x {ms} ms ÷ {p}, the calls the chain keeps in flight:",
        f"min(`--parallel {run.parallel}`, {workers}). The official `pulumi-resource-pulumi-python` runs",
        "`python -m pulumi.dynamic`, whose gRPC server serves the engine with",
        f"`ThreadPoolExecutor(max_workers={workers})`, and each create, read, update or delete holds",
        "a thread for its API round trips. Floor = the same operation at latency 0 (section 1):",
        "what the latency adds is wall - floor.",
        "",
        *table(header, rows),
        *_probes(run),
    ]


def _probes(run: Run) -> list[str]:
    """The latency-dominated probes: one API's ``up`` where waiting outweighs the engine's work."""
    if not run.probes:
        return []
    ms = run.plan.probe_ms
    rows = []
    for api, probe in run.probes.items():
        up, ideal = probe.first("up"), ideal_seconds(run, probe, "up", ms)
        rows.append(
            (
                api,
                probe.n,
                sum(up.counters.requests.values()),
                minimum_total(probe, "up"),
                f"{ideal:.1f}",
                _s(probe.seconds("up")),
                f"{probe.seconds('up') / ideal:.1f}" if ideal else "-",
                up.counters.connections,
            )
        )
    return [
        f"Latency-dominated probes: `up` of one API's resources with {ms} ms per answer, so that",
        f"waiting outweighs the engine's own work; ideal as above (÷ {parallelism(run)}). The program's",
        f"side is wider (asyncio's default pool: {notes.program_threads()} threads here), so the",
        "provider process's pool is the limit. Connections opened show how many calls were in",
        "flight at once.",
        "",
        *table(("API", "N", "calls", "minimum calls", "ideal s", "wall s", "÷ ideal", "connections"), rows),
    ]


def startup_section(run: Run) -> list[str]:
    """Section 4: the provider process's start, and the imports of its first answer and of the program."""
    rows = []
    for key, provider in run.provider_start.items():
        program = run.program_start.get(key)
        steps = provider.steps
        rows.append(
            (
                f"`{key}`",
                _ms(provider.imports.total),
                _ms(provider.imports.ours),
                _ms(steps.get("load", 0)),
                _ms(steps.get("configure", 0)),
                _ms(steps.get("answer", 0)),
                _ms(program.imports.total) if program else "-",
                _ms(program.imports.ours) if program else "-",
                _ms(program.steps.get("declare", 0)) if program else "-",
            )
        )
    header = (
        "resources",
        "provider: imports ms",
        "ours ms",
        "unpickle ms",
        "configure ms",
        "check + diff ms",
        "program: imports ms",
        "ours ms",
        "declare ms",
    )
    heavy = []
    for label, starts in (("provider process", run.provider_start), ("program", run.program_start)):
        start = starts.get(all_of(run.apis))
        if start is not None:
            top = ", ".join(f"`{m}` {s * 1000:.0f}" for m, s in start.imports.heaviest)
            heavy.append(f"Heaviest imports, {label} (self ms): {top or '-'}.")
    return [
        "## 4. Provider and program start",
        "",
        f"`python -m pulumi.dynamic` listens after {_ms(run.server_start)} ms (fresh interpreter, median).",
        "Then its first request per resource unpickles our provider from the resource's `__provider`",
        "(importing its modules), configures it and answers `check` and `diff` with the inputs and",
        "outputs of a deployed resource (as a preview or `up` of a deployed stack does); the program",
        "imports our resource classes and declares one resource of each (under Pulumi's mocks).",
        "Imports: `python -X importtime`, everything imported after what the launcher (provider) or",
        "`import pulumi` (program) already has, cumulative; ours: the self time of `providers.*` and",
        f"`bench.*` modules. Goal: ≤ {IMPORT_GOAL_S * 1000:.0f} ms of our modules per process. Medians of",
        f"{run.plan.startup_repeats} fresh interpreters.",
        "",
        *table(header, rows),
        *[line for h in heavy for line in (h, "")],
    ]


def connections_section(run: Run) -> list[str]:
    """Section 5: TCP connections opened per operation."""
    rows = []
    cycles = [c for (kind, _n), c in sorted(run.floor.items(), key=lambda kv: kv[0][1]) if kind == "mixed"]
    for label, c in [("latency 0", c) for c in cycles] + [(f"latency {run.plan.latency_ms} ms", run.latency)]:
        for op in c.ops if c else ():
            assert c is not None
            first = c.first(op)
            calls = sum(first.counters.requests.values())
            per = f"{calls / first.counters.connections:.0f}" if first.counters.connections else "-"
            rows.append((c.n, label, op, calls, first.counters.connections, per))
    return [
        "## 5. Connections opened per operation (mixed stack)",
        "",
        "From the sandbox's count of TCP connections. With keep-alive, a provider process opens at",
        f"most one connection per concurrent request and API (≤ {provider_workers()} workers x"
        f" {len(run.apis)} APIs), whatever N.",
        "",
        *table(("N", "sandbox", "operation", "calls", "connections", "calls per connection"), rows),
    ]


def state_section(run: Run) -> list[str]:
    """Section 6: checkpoint size per resource, above the no-op floor, by type; the by-value anchor."""
    rows: list[tuple[object, ...]] = []
    for (kind, n), c in sorted(run.floor.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if c.state is None:
            continue
        st = c.state
        noop = run.floor.get(("noop", n))
        floor = noop.state if noop is not None else None
        above = f"{st.per_resource(n) - floor.per_resource(n):.0f}" if floor and kind != "noop" else ""
        per = (f"{st.per_resource(n):.0f}", above, f"{st.checkpoint_per_resource(n):.0f}")
        rows.append((n, kind, "", st.total, *per, "", "", "", "", ""))
        for api, t in st.dynamic().items():
            sizes = (t.bytes_each, t.inputs_each, t.outputs_each, t.provider_each, t.trace_each)
            rows.append(("", "", api, "", "", "", "", *(f"{x:.0f}" for x in sizes)))
    header = (
        "N",
        "stack",
        "type",
        "export bytes",
        "export bytes/res",
        "above noop",
        "checkpoint bytes/res",
        "entry bytes",
        "inputs",
        "outputs",
        "__provider",
        "stackTrace",
    )
    lines = [
        "## 6. State size",
        "",
        "After `up`: `pulumi stack export` (indented JSON) and the checkpoint file the backend",
        "rewrites after every step (compact JSON), per declared resource; above noop = export bytes",
        f"per resource above the no-op stack's of the same N (goal ≤ {STATE_ABOVE_FLOOR_MAX} bytes). Per",
        "type: one resource's entry in compact JSON, its inputs and outputs (each with `__provider`,",
        "the base64 pickle), `__provider` alone, and the `stackTrace` the engine records for it.",
        "",
        *table(header, rows),
    ]
    return lines + notes.anchor_table(run, table)


def render(run: Run, machine: dict[str, str]) -> str:
    """The whole results page."""
    parts = [
        header(run, machine),
        goals(run),
        notes.causes(run),
        floor_section(run),
        calls_section(run),
        latency_section(run),
        startup_section(run),
        connections_section(run),
        state_section(run),
        estate_section(run.estate),
        throttled_section(run.throttled),
        time_policies_section(run.time_policies),
    ]
    if run.omni_refresh is not None:
        c = run.omni_refresh
        parts.append(
            [
                f"Omni refresh of {c.n} adopted schedules: {omni_list_calls(c, 'refresh')} list calls, "
                f"{_s(c.seconds('refresh'))} s (its `up`: {omni_list_calls(c, 'up')} list calls, "
                f"{_s(c.seconds('up'))} s).",
                "",
            ]
        )
    return "\n".join(line for part in parts for line in part).rstrip() + "\n"
