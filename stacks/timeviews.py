"""The command lines of ``python -m stacks impact`` and ``python -m stacks calendar`` (stacks/cli.py).

Both read the stack as ``pulumi up`` would: its state and config through the ``pulumi`` CLI, its
definition file from the program directory; Opsgenie is called only by ``impact --verify-live``
and ``calendar --live``, with the stack's own settings and credentials.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from providers.opsgenie.models import ScheduleTimeline, Timeline
from providers.opsgenie.schedule import ScheduleProvider
from providers.timewindows import WindowError, zone
from stacks import browser, calendar_page, impact
from stacks.definitions import load
from stacks.stack import Stack
from stacks.timing import OnCallSchedule, Plan, TimeError, from_program, from_state

SHOT_WIDTH = 1500
"""The screenshot's width in pixels (its height fits the page)."""


def plans(stack: Stack) -> tuple[Plan, Plan]:
    """The stack's plan from its state and from its program (definitions)."""
    state = from_state(stack.pulumi.deployment())
    files_root = stack.config.get("imbrace:filesRoot")
    defs = load(stack.definitions_path, str(files_root) if files_root else None, base=stack.program_dir)
    return state, from_program(defs, state)


def live_timelines(stack: Stack) -> Callable[[OnCallSchedule, datetime, int], ScheduleTimeline]:
    """Opsgenie's own timeline of a deployed schedule from a moment over whole days (one GET)."""
    client = stack.provider(ScheduleProvider()).client()

    def fetch(schedule: OnCallSchedule, start: datetime, days: int) -> ScheduleTimeline:
        if schedule.id is None:
            raise TimeError(f"opsgenie schedule {schedule.resource}: not deployed, no live timeline")
        date = start.astimezone(UTC).isoformat(timespec="seconds")
        return client.get_timeline(schedule.id, "id", interval=days, interval_unit="days", date=date)

    return fetch


def live_calendar(stack: Stack) -> calendar_page.LiveTimeline:
    """The final timelines the calendar draws with ``--live``: ``[start, end)`` and then some."""
    fetch = live_timelines(stack)

    def final(schedule: OnCallSchedule, start: datetime, end: datetime) -> Timeline:
        # Opsgenie counts the interval's days on the schedule's wall clock: across a DST change
        # the answer ends an hour short of `end`, so one more day is asked for (and cut off).
        days = math.ceil((end - start) / timedelta(days=1)) + 1
        return fetch(schedule, start, days).final_timeline

    return final


def _moment(text: str) -> datetime:
    """``--from``: an ISO date or date-time; without an offset it is wall-clock time (see ``_in``).

    Not :func:`providers.timewindows.utc_instant`, which refuses a value without an offset: here
    ``2026-12-07`` is a day on the calendar's own clock, whose zone is known only after parsing.
    """
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        example = "2026-12-07 or 2026-12-07T09:00+01:00"
        raise argparse.ArgumentTypeError(f"expected a date like {example}, not '{text}'") from None


def _in(moment: datetime, timezone: str) -> datetime:
    """``moment`` in ``timezone`` when it has no offset of its own."""
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


def _zone(text: str) -> str:
    try:
        zone(text)
    except WindowError:
        raise argparse.ArgumentTypeError(
            f"unknown time zone '{text}': expected an IANA name like Europe/Berlin"
        ) from None
    return text


def _weeks(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 52:
        raise argparse.ArgumentTypeError(f"expected a whole number of weeks from 1 to 52, not '{text}'")
    return int(text)


def _window(parser: argparse.ArgumentParser, weeks: int, start: str) -> None:
    parser.add_argument("--weeks", type=_weeks, default=weeks, help=f"the window, in weeks (default {weeks})")
    parser.add_argument("--from", dest="start", type=_moment, help=start)


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``impact`` and ``calendar`` to the subcommands."""
    i = commands.add_parser(
        "impact", parents=[common], help="who is on call and what fires, before → after the pending change"
    )
    _window(i, 4, "start of the window, UTC unless it has an offset (default: this hour)")
    i.add_argument("--json", action="store_true", help="JSON instead of Markdown")
    i.add_argument(
        "--verify-live",
        action="store_true",
        help="compare each deployed Opsgenie schedule's prediction with Opsgenie's timeline instead",
    )
    c = commands.add_parser("calendar", parents=[common], help="an HTML page of on-call bands and firings")
    _window(c, 2, "first day, in --timezone unless it has an offset (default: today)")
    source = c.add_mutually_exclusive_group()
    source.add_argument("--predicted", action="store_true", help="schedules from the definitions (default)")
    source.add_argument("--live", action="store_true", help="schedules from Opsgenie's live timelines")
    c.add_argument("--timezone", type=_zone, help="the time axis's zone (default: the first schedule's)")
    c.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    c.add_argument("--png", type=Path, help="also a screenshot of the page (headless Chromium)")


def run_impact(args: argparse.Namespace) -> int:
    """Report the time impact (or, with ``--verify-live``, the live differences); 0 none, 1 some."""
    stack = Stack.open(args.stack, args.cwd, args.pulumi)
    start, end = impact.window(_in(args.start, "UTC") if args.start else None, args.weeks)
    if args.verify_live:
        return verify_live(stack, start, end)
    state, program = plans(stack)
    found = impact.compare(args.stack, state, program, start, end)
    sys.stdout.write(impact.as_json(found) + "\n" if args.json else impact.markdown(found))
    return 1 if found.changed else 0


def verify_live(stack: Stack, start: datetime, end: datetime) -> int:
    """Print every difference between the predicted and the live timelines; 1 when there is one."""
    state = from_state(stack.pulumi.deployment())
    fetch = live_timelines(stack)
    days = math.ceil((end - start) / timedelta(days=1))
    differences: list[str] = []
    for schedule in state.schedules.values():
        # The prediction covers the window of Opsgenie's answer (its days are the schedule's).
        answer = fetch(schedule, start, days)
        differences += impact.live_differences(schedule, answer)
    print(
        f"verify-live: {len(state.schedules)} deployed Opsgenie schedule(s) of stack {stack.name}, "
        f"{days} days from {start.isoformat()}: {len(differences)} difference(s)"
    )
    for line in differences:
        print(f"- {line}")
    return 1 if differences else 0


def run_calendar(args: argparse.Namespace) -> int:
    """Write the calendar page; print its path."""
    stack = Stack.open(args.stack, args.cwd, args.pulumi)
    state, program = plans(stack)
    plan = state if args.live else program
    timezone = args.timezone or plan.timezone
    today = (
        datetime.now(UTC).astimezone(ZoneInfo(timezone)).replace(hour=0, minute=0, second=0, microsecond=0)
    )
    start = _in(args.start, timezone) if args.start else today
    live = live_calendar(stack) if args.live else None
    end = start + timedelta(weeks=args.weeks)
    cal = calendar_page.build(args.stack, plan, start, end, timezone=timezone, live=live)
    args.out.write_text(calendar_page.render(cal), encoding="utf-8")
    print(args.out.resolve())
    if args.png:
        print(
            browser.screenshot(
                args.out, args.png, SHOT_WIDTH, calendar_page.page_height(cal, SHOT_WIDTH)
            ).resolve()
        )
    return 0


COMMANDS = {"impact": run_impact, "calendar": run_calendar}
