"""``python -m bench [--smoke] [--out FILE] [--only SECTIONS]``: run the benchmarks, write the results page.

Exits non-zero when the harness breaks (the sandbox or the engine fails, an operation errors);
a missed goal is reported in the page, never as a failure.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import sections
from bench.plan import FULL, SMOKE, Plan
from bench.report import render
from bench.world import World, cpu_count, world
from harness import REPO, TOOLS, VENV_PYTHON

DEFAULT_OUT = REPO / "bench" / "results.md"
SMOKE_OUT = REPO / "bench" / "out" / "results-smoke.md"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()


def machine_info(started: float) -> dict[str, str]:
    """The facts the results page states about where it ran."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    minutes, seconds = divmod(int(time.monotonic() - started), 60)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "elapsed": f"{minutes} min {seconds} s",
        "cores": str(cpu_count()),
        "cpu": _cpu_model(),
        "load": f"{load} at the end (1, 5, 15 min)",
        "python": _version(str(VENV_PYTHON), "-c", "import platform; print(platform.python_version())"),
        "engine": _version(str(TOOLS / "bin" / "pulumi"), "version"),
        "host": _version(str(TOOLS / "bin" / "pulumi-language-python"), "-version"),
    }


def _step(name: str, started: float, action: Callable[[], None]) -> None:
    print(f"[bench {time.monotonic() - started:6.0f} s] {name}", flush=True)
    action()


def compile_sources() -> None:
    """Byte-compile our packages, as pip does for installed ones (their dependencies are): with
    ``PYTHONDONTWRITEBYTECODE`` set (as here), an editable install's modules would otherwise be
    compiled from source by every process the engine starts, and the imports measured with it."""
    for package in ("providers", "bench", "stacks"):
        compileall.compile_dir(str(REPO / package), quiet=1)


SECTIONS: dict[str, Callable[[World, sections.Run], None]] = {
    "floor": sections.floor,
    "latency": sections.latency,
    "omni-refresh": sections.omni_refresh,
    "throttled": sections.throttled,
    "checkpoints": sections.checkpoints,
    "estate": sections.large_estate,
    "start": sections.provider_start,
    "policies": sections.policies_on_time,
}
"""Every section, in the order a run measures them (``start`` samples the resources ``floor`` deployed)."""


def measure(
    plan: Plan, started: float, keep: bool = False, only: tuple[str, ...] = tuple(SECTIONS)
) -> sections.Run:
    """The sections ``only`` of ``plan``, in one sandbox."""
    compile_sources()
    apis, missing = sections.importable_apis()
    run = sections.Run(plan=plan, parallel=sections.engine_default_parallel(), apis=apis, missing=missing)
    titles = {
        "floor": f"1. engine floor, N = {', '.join(map(str, plan.sizes))}",
        "latency": f"3. latency-bound, N = {plan.latency_n}",
        "omni-refresh": "Omni refresh",
        "throttled": "throttled Opsgenie up",
        "checkpoints": "6. by-value anchor and checkpoints",
        "estate": f"7. large estates, N = {plan.estate[0]}",
        "start": "4. provider and program start",
        "policies": f"policies on time, N = {plan.time_policies[0]}",
    }
    with world(keep=keep) as w:
        for name, section in SECTIONS.items():
            if name in only:
                _step(titles[name], started, lambda section=section: section(w, run))  # type: ignore[misc]
    return run


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, measure, print and write the results page."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="small N, no repeats: checks the harness")
    parser.add_argument("--out", type=Path, help=f"results page (default {DEFAULT_OUT}; smoke: {SMOKE_OUT})")
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch directory (sandbox db, engines)"
    )
    parser.add_argument(
        "--only",
        type=lambda text: tuple(part.strip() for part in text.split(",")),
        default=tuple(SECTIONS),
        help=f"comma-separated sections to measure (default: all): {', '.join(SECTIONS)}; "
        "`start` needs `floor` (it samples the resources deployed there)",
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.only if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # progress lines as they come, under make too
    plan = SMOKE if args.smoke else FULL
    out: Path = args.out or (SMOKE_OUT if args.smoke else DEFAULT_OUT)
    started = time.monotonic()
    run = measure(plan, started, keep=args.keep, only=args.only)
    page = render(run, machine_info(started))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page)
    print(page)
    print(f"[bench] wrote {out} in {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
