"""``python -m stacks adopt|drift|impact|calendar|recover``: the tools beside ``pulumi up`` (see
stacks/adopt.py, stacks/drift.py, stacks/impact.py, stacks/calendar_page.py, stacks/recover.py).

All run in the project directory (``--cwd``), on a stack of the user's backend, with the
``pulumi`` CLI on PATH (``--pulumi`` to name another) — as ``pulumi up`` would be run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from providers.core import ApiError, ConfigError
from providers.stackcli import PulumiError
from stacks import adopt, drift, recover, timeviews
from stacks.browser import BrowserError
from stacks.definitions import DefinitionFileError
from stacks.stack import Stack, StackError
from stacks.timing import TimeError

FAILURES: tuple[type[Exception], ...] = (
    PulumiError,
    StackError,
    OSError,
    yaml.YAMLError,
    DefinitionFileError,
)
FAILURES += (TimeError, BrowserError, ApiError, ConfigError)


def _apis(text: str) -> list[str]:
    apis = [a.strip() for a in text.split(",") if a.strip()]
    unknown = [a for a in apis if a not in adopt.APIS]
    if unknown or not apis:
        raise argparse.ArgumentTypeError(f"expected some of {','.join(adopt.APIS)}, not '{text}'")
    return apis


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m stacks")
    commands = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--stack", required=True, help="the stack (its config and state are used)")
    common.add_argument("--cwd", type=Path, default=Path.cwd(), help="the project directory (default: here)")
    common.add_argument("--pulumi", default="pulumi", help="the pulumi CLI to run (default: on PATH)")
    a = commands.add_parser(
        "adopt", parents=[common], help="definition entries, with import_id, for live objects the stack lacks"
    )
    a.add_argument("--api", type=_apis, default=list(adopt.APIS), help="opsgenie,imbrace,omni (default: all)")
    a.add_argument("--out", type=Path, help="write (or append to) this definition file instead of printing")
    d = commands.add_parser("drift", parents=[common], help="live fields that differ from the state (exit 1)")
    d.add_argument("--json", action="store_true", help="JSON instead of a Markdown table")
    timeviews.add_parsers(commands, common)
    commands.add_parser("recover", help="resolve the pending creates of an interrupted `pulumi up` (--help)")
    return parser


def run_adopt(args: argparse.Namespace) -> int:
    """Read the accounts, then print or write the entries; 1 when something was left out."""
    stack = Stack.open(args.stack, args.cwd, args.pulumi)
    doc, problems = adopt.adopt(stack, args.api)
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.out is None:
        sys.stdout.write(adopt.render(doc, args.stack))
    else:
        existing = yaml.safe_load(args.out.read_text()) if args.out.exists() else None
        if existing:
            doc = adopt.merge(existing, doc)
            print(f"adopt: appended to {args.out} (its comments are not kept)", file=sys.stderr)
        args.out.write_text(adopt.render(doc, args.stack))
    return 1 if problems else 0


def run_drift(args: argparse.Namespace) -> int:
    """Report the drift; 0 clean, 1 drift."""
    found = drift.check(Stack.open(args.stack, args.cwd, args.pulumi))
    sys.stdout.write(
        (drift.as_json(args.stack, found) + "\n") if args.json else drift.markdown(args.stack, found)
    )
    return 1 if found else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit 2 (with the reason, no traceback) when it cannot run."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["recover"]:
        return recover.main(argv[1:])  # its own options (stacks/recover.py)
    args = _parser().parse_args(argv)
    try:
        runs = {"adopt": run_adopt, "drift": run_drift, **timeviews.COMMANDS}
        return runs[args.command](args)
    except FAILURES as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
