"""``python -m stacks calendar``: a stack's on-call time and job firings as one HTML page.

One self-contained file (inline CSS and SVG, no script, no network asset): a row per Opsgenie
schedule with a lane per participant and their on-call bands (labelled; overrides hatched), the
gaps when nobody is on call marked in red across the row, a row per iMBRACE scheduler and Omni
schedule with a tick per firing, a day axis in the stack's time zone and a "now" line. Every band,
gap and firing has a text alternative (an SVG ``<title>`` and ``aria-label``) and is listed in a
table kept for screen readers and print. ``--predicted`` (the default) computes the schedules from
the stack's definitions (stacks/timing.py); ``--live`` asks Opsgenie for the deployed schedules'
timelines instead (jobs are always predicted: no API lists future firings).

(Not ``calendar.py``: Pulumi runs the providers with ``stacks/`` first on ``sys.path``, where such a
module would stand in for the standard library's ``calendar``.)
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from providers.opsgenie.models import Timeline
from providers.opsgenie.oncall import Shift, gaps, shifts
from providers.timewindows import EN_DASH, local
from stacks.impact import Span
from stacks.timing import FIRINGS_LIMIT, OnCallSchedule, Plan

WIDTH, LABEL, PAD = 1400, 190, 12
LANE, ROW_GAP, AXIS, HEAD = 22, 12, 34, 20
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79",
)  # fmt: skip


@dataclass(frozen=True)
class ScheduleRow:
    """One schedule: its participants' shifts and its gaps over the window."""

    resource: str
    name: str
    timezone: str
    bands: list[Shift]
    gaps: list[Span]

    @property
    def participants(self) -> list[str]:
        """Its participants, in order of their first shift."""
        return list(dict.fromkeys(b.recipient for b in self.bands))


@dataclass(frozen=True)
class JobRow:
    """One job and its firings over the window."""

    resource: str
    name: str
    label: str
    firings: list[datetime]
    paused: bool = False


@dataclass
class Calendar:
    """What the page shows."""

    stack: str
    start: datetime
    end: datetime
    timezone: str
    source: str
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    schedules: list[ScheduleRow] = field(default_factory=list)
    jobs: list[JobRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


LiveTimeline = Callable[[OnCallSchedule, datetime, datetime], Timeline]


def build(
    stack: str,
    plan: Plan,
    start: datetime,
    end: datetime,
    *,
    timezone: str | None = None,
    live: LiveTimeline | None = None,
) -> Calendar:
    """The calendar of ``plan`` over ``[start, end)``; with ``live``, schedules come from it."""
    cal = Calendar(stack, start, end, timezone or plan.timezone, "live" if live else "predicted")
    cal.notes.extend(plan.notes)
    for schedule in plan.schedules.values():
        if live is not None and schedule.id is None:
            cal.notes.append(f"opsgenie schedule {schedule.resource}: not deployed, no live timeline")
            continue
        timeline = live(schedule, start, end) if live else schedule.predict(start, end)
        bands = [
            Shift(max(s.start, start), min(s.end, end), s.recipient, s.override)
            for s in shifts(timeline)
            if min(s.end, end) > max(s.start, start)
        ]
        found = gaps(timeline, start, end)
        cal.schedules.append(ScheduleRow(schedule.resource, schedule.name, schedule.timezone, bands, found))
    for job in plan.jobs.values():
        paused = bool(job.inputs.get("paused"))
        firings = job.firings(start, end)
        if len(firings) >= FIRINGS_LIMIT:
            cal.notes.append(f"{job.label} {job.resource}: only its first {FIRINGS_LIMIT} firings are drawn")
        cal.jobs.append(JobRow(job.resource, job.name, job.label, firings, paused))
    return cal


class _Axis:
    """Time → x in the SVG."""

    def __init__(self, start: datetime, end: datetime) -> None:
        self.start, self.span = start, (end - start).total_seconds()

    def x(self, moment: datetime) -> float:
        frac = (moment - self.start).total_seconds() / self.span
        return round(LABEL + (WIDTH - LABEL - PAD) * min(max(frac, 0.0), 1.0), 2)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _when(moment: datetime, tz: str) -> str:
    return f"{local(moment, ZoneInfo(tz))} {tz}"


def _days(cal: Calendar) -> list[datetime]:
    """Local midnights inside the window."""
    tz = ZoneInfo(cal.timezone)
    day = cal.start.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    out = []
    while day < cal.end:
        if day >= cal.start:
            out.append(day)
        day = (day + timedelta(days=1, hours=3)).replace(hour=0)  # DST-proof next midnight
    return out


def _axis_svg(cal: Calendar, axis: _Axis, height: float) -> list[str]:
    days = _days(cal)
    every = 1 if len(days) <= 21 else 7
    out = []
    for i, day in enumerate(days):
        x = axis.x(day)
        weekend = day.weekday() >= 5
        nxt = axis.x(min(day + timedelta(days=1), cal.end))
        if weekend:
            box = f'x="{x}" y="{AXIS}" width="{nxt - x}" height="{height - AXIS}"'
            out.append(f'<rect class="weekend" {box}/>')
        out.append(f'<line class="grid" x1="{x}" y1="{AXIS - 6}" x2="{x}" y2="{height}"/>')
        if i % every == 0 and x < WIDTH - PAD - 70:
            out.append(f'<text class="day" x="{x + 3}" y="{AXIS - 12}">{_e(day.strftime("%a %d %b"))}</text>')
    return out


def _schedule_svg(row: ScheduleRow, y: float, axis: _Axis, colours: dict[str, str], tz: str) -> list[str]:
    lanes = row.participants or ["(nobody)"]
    out = [
        f'<g class="schedule" data-resource="{_e(row.resource)}">',
        f'<text class="row-title" x="6" y="{y + 14}">{_e(row.name)}'
        f'<tspan class="row-sub" dx="8">{_e(row.timezone)}</tspan></text>',
    ]
    y += HEAD
    height = LANE * len(lanes)
    for start, end in row.gaps:
        label = f"{row.name}: nobody on call {_when(start, tz)} {EN_DASH} {_when(end, tz)}"
        out.append(
            f'<rect class="gap" x="{axis.x(start)}" y="{y}" width="{axis.x(end) - axis.x(start)}" '
            f'height="{height}" role="img" aria-label="{_e(label)}"><title>{_e(label)}</title></rect>'
        )
    for lane, who in enumerate(lanes):
        ly = y + lane * LANE
        out.append(f'<text class="lane" x="16" y="{ly + 15}">{_e(who)}</text>')
        for band in (b for b in row.bands if b.recipient == who):
            x0, x1 = axis.x(band.start), axis.x(band.end)
            kind = "override" if band.override else "on call"
            label = f"{row.name}: {who} {kind} {_when(band.start, tz)} {EN_DASH} {_when(band.end, tz)}"
            css = "band override" if band.override else "band"
            out.append(
                f'<rect class="{css}" data-who="{_e(who)}" data-start="{band.start.isoformat()}" '
                f'data-end="{band.end.isoformat()}" x="{x0}" y="{ly + 2}" width="{max(x1 - x0, 0.5)}" '
                f'height="{LANE - 4}" rx="3" fill="{colours[who]}" role="img" aria-label="{_e(label)}">'
                f"<title>{_e(label)}</title></rect>"
            )
            if x1 - x0 > 7 * len(who):
                label_css = "band-label dark" if band.override else "band-label"
                out.append(f'<text class="{label_css}" x="{x0 + 4}" y="{ly + 15}">{_e(who)}</text>')
    out.append("</g>")
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _job_svg(row: JobRow, y: float, axis: _Axis, tz: str) -> list[str]:
    out = [
        f'<g class="job" data-resource="{_e(row.resource)}">',
        f'<text class="row-title" x="6" y="{y + 14}">{_e(row.name)}'
        f'<tspan class="row-sub" dx="8">{_count(len(row.firings), "firing")}{" · paused" * row.paused}'
        "</tspan></text>",
        f'<text class="lane" x="16" y="{y + HEAD + 15}">{_e(row.label)}</text>',
    ]
    y += HEAD
    mid = y + LANE / 2
    out.append(f'<line class="track" x1="{LABEL}" y1="{mid}" x2="{WIDTH - PAD}" y2="{mid}"/>')
    for moment in row.firings:
        label = f"{row.name} fires {_when(moment, tz)}"
        out.append(
            f'<rect class="firing" data-at="{moment.isoformat()}" x="{axis.x(moment) - 1}" y="{y + 2}" '
            f'width="2" height="{LANE - 4}" role="img" aria-label="{_e(label)}">'
            f"<title>{_e(label)}</title></rect>"
        )
    out.append("</g>")
    return out


def _table(cal: Calendar) -> list[str]:
    tz = cal.timezone
    rows: list[tuple[str, str, str, datetime, datetime | None]] = [
        (s.name, b.recipient, "override" if b.override else "on call", b.start, b.end)
        for s in cal.schedules
        for b in s.bands
    ]
    rows += [(s.name, "nobody", "gap", a, b) for s in cal.schedules for a, b in s.gaps]
    rows += [(j.name, j.label, "fires", m, None) for j in cal.jobs for m in j.firings]
    body = [
        f"<tr><td>{_e(r)}</td><td>{_e(who)}</td><td>{_e(what)}</td><td>{_e(_when(a, tz))}</td>"
        f"<td>{_e(_when(b, tz)) if b else ''}</td></tr>"
        for r, who, what, a, b in sorted(rows, key=lambda r: (r[0], r[3]))
    ]
    return [
        '<div class="visually-hidden"><table id="periods">',
        f"<caption>Every on-call period, gap and firing of stack {_e(cal.stack)}</caption>",
        "<thead><tr><th>schedule or job</th><th>who</th><th>what</th><th>from</th><th>until</th></tr>",
        "</thead>",
        "<tbody>",
        *body,
        "</tbody></table></div>",
    ]


STYLE = """
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       margin: 24px; color: #1d2330; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } p.meta { margin: 0 0 14px; color: #4a5262; }
svg { width: 100%; height: auto; display: block; }
.day { font-size: 12px; fill: #333; } .grid { stroke: #d5d9e0; stroke-width: 1; }
.weekend { fill: #f3f4f7; } .row-title { font-size: 13px; font-weight: 600; fill: #1d2330; }
.row-sub { font-size: 11px; fill: #5d6576; } .lane { font-size: 12px; fill: #333; }
.band { stroke: #fff; stroke-width: 0.5; } .band.override { stroke: #000; stroke-width: 1.5;
       stroke-dasharray: 3 2; fill: url(#hatch); }
.band-label { font-size: 11px; fill: #fff; pointer-events: none; }
.band-label.dark { fill: #1d2330; font-weight: 600; }
.gap { fill: #d62728; fill-opacity: 0.22; stroke: #d62728; stroke-width: 1; }
.firing { fill: #1d2330; } .track { stroke: #c3c8d2; stroke-width: 1; }
.now { stroke: #d62728; stroke-width: 2; } .now-label { font-size: 11px; fill: #d62728; font-weight: 600; }
.separator { stroke: #9aa1ad; stroke-width: 0.5; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 10px 0; padding: 0; list-style: none; }
.legend span { display: inline-block; width: 14px; height: 10px; margin-right: 5px; vertical-align: middle; }
.notes { color: #5d6576; font-size: 12px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
       white-space: nowrap; }
@page { size: A4 landscape; margin: 10mm; }
@media print { body { margin: 0; } .visually-hidden { display: none; }
               * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def _legend(colours: dict[str, str]) -> list[str]:
    items = [f'<li><span style="background:{c}"></span>{_e(who)}</li>' for who, c in colours.items()]
    items.append('<li><span style="background:#d62728;opacity:.35"></span>gap: nobody on call</li>')
    items.append('<li><span style="border:1.5px dashed #000"></span>override</li>')
    items.append('<li><span style="background:#1d2330;width:2px"></span>firing</li>')
    return ['<ul class="legend" aria-label="legend">', *items, "</ul>"]


def _separator(y: float) -> str:
    return f'<line class="separator" x1="0" y1="{y}" x2="{WIDTH}" y2="{y}"/>'


def render(cal: Calendar) -> str:
    """The page as one self-contained HTML document."""
    axis = _Axis(cal.start, cal.end)
    people = sorted({b.recipient for row in cal.schedules for b in row.bands})
    colours = {who: PALETTE[i % len(PALETTE)] for i, who in enumerate(people)}
    rows: list[str] = []
    y = float(AXIS + 6)
    for schedule in cal.schedules:
        rows += _schedule_svg(schedule, y, axis, colours, cal.timezone)
        y += HEAD + LANE * max(len(schedule.participants), 1) + ROW_GAP
        rows.append(_separator(y - ROW_GAP / 2))
    for job in cal.jobs:
        rows += _job_svg(job, y, axis, cal.timezone)
        y += HEAD + LANE + ROW_GAP
        rows.append(_separator(y - ROW_GAP / 2))
    height = y + 4
    now: list[str] = []
    if cal.start <= cal.now < cal.end:
        x = axis.x(cal.now)
        now = [
            f'<line class="now" x1="{x}" y1="{AXIS - 4}" x2="{x}" y2="{height}"><title>now: '
            f"{_e(_when(cal.now, cal.timezone))}</title></line>",
            f'<text class="now-label" x="{x + 3}" y="{AXIS - 1}">now</text>',
        ]
    title = f"Stack {cal.stack}: on call and firings"
    span = f"{_when(cal.start, cal.timezone)} {EN_DASH} {_when(cal.end, cal.timezone)}"
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="group" '
        f'aria-labelledby="title" font-family="inherit">',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fbe3a8"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#e0a526" stroke-width="2.5"/></pattern></defs>',
        *_axis_svg(cal, axis, height),
        *rows,
        *now,
        "</svg>",
    ]
    notes = [f"<li>{_e(n)}</li>" for n in cal.notes]
    source = "predicted from the definitions" if cal.source == "predicted" else "Opsgenie's live timelines"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
            f'<h1 id="title">{_e(title)}</h1>',
            f'<p class="meta">{_e(span)} · times in {_e(cal.timezone)} · schedules {_e(source)}, '
            "jobs predicted from their definitions</p>",
            *_legend(colours),
            *svg,
            *(['<ul class="notes">', *notes, "</ul>"] if notes else []),
            *_table(cal),
            "</body></html>",
        ]
    )


def counts(cal: Calendar) -> dict[str, int]:
    """How many bands, overrides, gaps and firings the page draws (what a test counts in the DOM)."""
    return {
        "band": sum(len(s.bands) for s in cal.schedules),
        "override": sum(b.override for s in cal.schedules for b in s.bands),
        "gap": sum(len(s.gaps) for s in cal.schedules),
        "firing": sum(len(j.firings) for j in cal.jobs),
    }


def page_height(cal: Calendar, width: int) -> int:
    """About how tall the page is in a ``width`` px window (to size a screenshot)."""
    svg = AXIS + 10 + sum(HEAD + LANE * max(len(s.participants), 1) + ROW_GAP for s in cal.schedules)
    svg += (HEAD + LANE + ROW_GAP) * len(cal.jobs)
    return int(170 + 18 * len(cal.notes) + svg * (width - 48) / WIDTH)
