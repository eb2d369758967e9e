"""Where an operation's CPU goes: ``python -m bench.profile KIND N OP`` (needs py-spy, a dev dependency).

Deploys a stack of ``N`` resources of ``KIND`` (``noop``, ``mixed``, ``omni``), then runs ``OP``
(``preview``, ``refresh``, ``update`` or ``destroy``) while py-spy samples every Python process the
engine starts for it (the program and the dynamic-provider process, found among the CLI's
descendants), and prints the functions holding the most CPU samples, inclusive, per process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from bench.ops import run_op
from bench.programs import APIS
from bench.world import world
from harness import VENV_PYTHON

PY_SPY = VENV_PYTHON.parent / "py-spy"
ROLES = {"pulumi.dynamic": "provider", "pulumi-language-python-exec": "program"}


def _descendants(root: int) -> list[int]:
    """Every process below ``root`` (from each process's parent in ``/proc/<pid>/stat``)."""
    kids: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        kids.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        below = kids.get(todo.pop(), [])
        out += below
        todo += below
    return out


def _role(pid: int) -> str | None:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    return next((role for key, role in ROLES.items() if key in cmdline), None)


class Sampler:
    """Attaches py-spy to each program and provider process below this one, until stopped."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: dict[str, list[Path]] = {}
        self._seen: set[int] = set()
        self._stop = threading.Event()
        self._spies: list[subprocess.Popen[bytes]] = []
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        for spy in self._spies:
            spy.wait(timeout=60)

    def _watch(self) -> None:
        while not self._stop.is_set():
            for pid in _descendants(os.getpid()):
                role = _role(pid)
                if pid in self._seen or role is None:
                    continue
                self._seen.add(pid)
                path = self.out / f"{role}-{pid}.txt"
                self.files.setdefault(role, []).append(path)
                cmd = [str(PY_SPY), "record", "-r", "250", "--nonblocking", "-f", "raw", "-o", str(path)]
                self._spies.append(
                    subprocess.Popen(
                        [*cmd, "--pid", str(pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                    )
                )
            time.sleep(0.02)


def _frame(raw: str) -> str:
    """``func (path:line)`` as ``func (path)``: the lines of one function count together."""
    name, _, where = raw.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if where else name


def hot_functions(files: list[Path], top: int, match: str = "") -> tuple[int, list[tuple[str, int, int]]]:
    """Total samples and the ``top`` functions as ``(frame, inclusive, self)`` samples.

    Inclusive counts a function once per sampled stack it is on; self, when it is the leaf.
    ``match`` keeps only frames containing that text (e.g. ``providers/``).
    """
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    total = 0
    for path in files:
        lines = path.read_text().splitlines() if path.exists() else []
        for line in lines:
            stack, _, count = line.rpartition(" ")
            frames = [_frame(f) for f in stack.split(";")]
            total += int(count)
            leaf[frames[-1]] += int(count)
            for frame in set(frames):
                inclusive[frame] += int(count)
    ranked = [(f, n, leaf[f]) for f, n in inclusive.most_common() if match in f]
    return total, ranked[:top]


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, deploy, profile the operation and print the hot functions."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("kind", choices=["noop", "mixed", "omni"])
    parser.add_argument("n", type=int)
    parser.add_argument("op", choices=["preview", "refresh", "update", "destroy"])
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="only frames containing this text")
    parser.add_argument("--out", type=Path, default=Path("bench/out/profile"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with world() as w:
        w.prepare(args.kind, args.n, APIS)
        stack = w.stack(args.kind, args.n, APIS)
        run_op(stack, "up", w.sandbox, args.parallel)
        with Sampler(args.out) as sampler:
            run = run_op(stack, args.op, w.sandbox, args.parallel)
    print(
        f"{args.op} of {args.n} {args.kind}: {run.seconds:.2f} s, {sum(run.counters.requests.values())} calls"
    )
    for role, files in sorted(sampler.files.items()):
        total, hot = hot_functions(files, args.top, args.match)
        print(f"\n{role}: {total} samples at 250/s ({total / 250:.2f} CPU s); inclusive, self")
        for frame, count, own in hot:
            print(f"  {100 * count / max(total, 1):5.1f}% {100 * own / max(total, 1):5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
