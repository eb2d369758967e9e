"""Building blocks of the on-call prediction's tests: participants, rotations, restrictions, instants."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from providers.opsgenie.oncall import predict_timeline

A, B, C = "alice@example.com", "bob@example.com", "carol@example.com"


def who(*names: str | None) -> list[dict[str, Any]]:
    """Participants: usernames, None for ``none``."""
    return [{"type": "user", "username": n} if n else {"type": "none"} for n in names]


def at(text: str) -> datetime:
    """``"2030-01-07 09:00"`` as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def rotation(**fields: Any) -> dict[str, Any]:
    """A daily rotation from Monday 2030-01-07 09:00Z for Alice and Bob, overridable."""
    return {
        "name": "R",
        "start_date": "2030-01-07T09:00:00Z",
        "type": "daily",
        "participants": who(A, B),
        **fields,
    }


def periods(
    rotations: list[dict[str, Any]], start: str, end: str, tz: str = "UTC", order: int = 1, **kw: Any
) -> list[tuple[str, str, str]]:
    """The predicted periods of one rotation as ``(start, end, who)`` in UTC, ``+override`` marked."""
    timeline = predict_timeline(
        {"name": "S", "timezone": tz, "rotations": rotations}, at(start), at(end), **kw
    )
    return [
        (
            f"{p.start_date:%Y-%m-%d %H:%M}",
            f"{p.end_date:%Y-%m-%d %H:%M}",
            (p.recipient.name or p.recipient.id or "") + ("+override" if p.type == "override" else ""),
        )
        for p in timeline.rotations[order - 1].periods
        if p.recipient is not None
    ]


def time_of_day(sh: int, sm: int, eh: int, em: int) -> dict[str, Any]:
    return {
        "type": "time-of-day",
        "restriction": {"start_hour": sh, "start_min": sm, "end_hour": eh, "end_min": em},
    }


def weekly(*windows: tuple[str, int, int, str, int, int]) -> dict[str, Any]:
    keys = ("start_day", "start_hour", "start_min", "end_day", "end_hour", "end_min")
    return {
        "type": "weekday-and-time-of-day",
        "restrictions": [dict(zip(keys, w, strict=True)) for w in windows],
    }
