"""Accounts made the way a user's UI makes them: plain HTTP calls to the sandbox's APIs.

Used by the tests of ``python -m stacks adopt`` and ``drift``: many Opsgenie schedules with every
participant and time-restriction form, iMBRACE schedulers with every frequency unit, job type
and attachments, on top of the Omni schedules the sandbox starts with.
"""

from __future__ import annotations

import json
from typing import Any

import requests

OPSGENIE = {"Authorization": "GenieKey sandbox-opsgenie"}
IMBRACE = {"x-access-token": "sandbox-imbrace", "x-organization-id": "org_sandbox", "x-user-id": "u_sandbox"}
IMBRACE_PATH = "/imbrace/3rd/organization/org_sandbox/users/u_sandbox/schedulers"

# Participant forms: by username or name, by id (as the UI sends them), nobody.
PARTICIPANTS: list[list[dict[str, Any]]] = [
    [{"type": "user", "username": "alice@example.com"}, {"type": "user", "username": "bob@example.com"}],
    [{"type": "team", "name": "sre"}],
    [
        {"type": "escalation", "name": "sre_escalation"},
        {"type": "user", "id": "0bd9e74c-6bb8-4c35-b345-fdfce2845bee"},
    ],
    [{"type": "user", "username": "dave@example.com"}, {"type": "none"}],
]
RESTRICTIONS: list[dict[str, Any] | None] = [
    None,
    {"type": "time-of-day", "restriction": {"startHour": 18, "startMin": 0, "endHour": 8, "endMin": 30}},
    {
        "type": "weekday-and-time-of-day",
        "restrictions": [
            {
                "startDay": "monday",
                "startHour": 9,
                "startMin": 0,
                "endDay": "friday",
                "endHour": 17,
                "endMin": 30,
            }
        ],
    },
]
TIMEZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"]
UNITS: list[dict[str, Any]] = [
    {"trigger_frequency_unit": "minutes", "trigger_frequency_value": 90},
    {
        "trigger_frequency_unit": "days",
        "trigger_frequency_value": 1,
        "trigger_time": "2030-01-01T08:00:00.000Z",
    },
    {
        "trigger_frequency_unit": "weeks",
        "trigger_frequency_value": 2,
        "trigger_time": "2030-01-01T09:30:00.000Z",
        "trigger_day_of_week": 3,
    },
    {
        "trigger_frequency_unit": "months",
        "trigger_frequency_value": 1,
        "trigger_time": "2030-01-01T07:00:00.000Z",
        "trigger_day_of_month": 15,
    },
    {
        "trigger_frequency_unit": "years",
        "trigger_frequency_value": 1,
        "trigger_time": "2030-01-01T06:00:00.000Z",
        "triger_month_and_day": "2030-03-01T00:00:00.000Z",
    },
]


def opsgenie_schedule(i: int) -> dict[str, Any]:
    """The ``i``-th schedule's body: rotations cycling through the participant and restriction forms."""
    rotations = []
    for r in range(1 + i % 2):
        k = i + r
        rotation: dict[str, Any] = {
            "name": f"rotation-{r + 1}",
            "startDate": "2026-01-05T09:00:00Z",
            "type": ["weekly", "daily", "hourly"][k % 3],
            "length": 1 + k % 2,
            "participants": PARTICIPANTS[k % len(PARTICIPANTS)],
        }
        if (restriction := RESTRICTIONS[k % len(RESTRICTIONS)]) is not None:
            rotation["timeRestriction"] = restriction
        if k % 5 == 4:
            rotation["endDate"] = "2031-01-05T09:00:00Z"
        rotations.append(rotation)
    return {
        # Two names share a slug ("Team 01 on-call" / "team-01 on-call"): adopt keeps them apart.
        "name": f"Team {i:02d} on-call" if i != 11 else "team-01 on-call",
        "description": f"made in the UI ({i})",
        "timezone": TIMEZONES[i % len(TIMEZONES)],
        "enabled": i % 7 != 6,
        "ownerTeam": {"name": ["ops_team", "network_team", "sre"][i % 3]},
        "rotations": rotations,
    }


def imbrace_scheduler(i: int) -> dict[str, Any]:
    """The ``i``-th scheduler's body: every frequency unit, kafka and webhook jobs, some one-time."""
    job: dict[str, Any] = (
        {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "workflow_id": str(1000 + i), "data": {}}
        if i % 2
        else {
            "type": "webhook",
            "method": "POST",
            "url": f"https://hooks.example.com/job/{i}",
            "data": {"n": i},
        }
    )
    body: dict[str, Any] = {
        "name": f"job {i:02d}",
        "event_type": ["whatsapp", "board_automation"][i % 2],
        "channel_source": "",
        "description": f"made in the UI ({i})",
        "job": job,
        "start_datetime": "2030-01-01T08:00:00.000Z",
    }
    if i % 6 == 5:
        body.update(type="non_recurring", one_time_schedule_type="exact")
    else:
        body.update(type="recurring", **UNITS[i % len(UNITS)])
    return body


def seed(url: str, schedules: int = 30, schedulers: int = 30, with_files: int = 3) -> dict[str, list[str]]:
    """Make ``schedules`` Opsgenie schedules and ``schedulers`` iMBRACE schedulers (the first
    ``with_files`` with attachments); their ids."""
    ids: dict[str, list[str]] = {"opsgenie": [], "imbrace": []}
    for i in range(schedules):
        resp = requests.post(
            f"{url}/opsgenie/v2/schedules", json=opsgenie_schedule(i), headers=OPSGENIE, timeout=30
        )
        assert resp.status_code == 201, resp.text
        ids["opsgenie"].append(resp.json()["data"]["id"])
    for i in range(schedulers):
        body = imbrace_scheduler(i)
        if i < with_files:
            files = [
                ("files", (f"brief-{i}.txt", f"attachment of job {i}\n".encode() * (i + 1), "text/plain"))
            ]
            resp = requests.post(
                f"{url}{IMBRACE_PATH}/files",
                data={"payload": json.dumps(body)},
                files=files,
                headers={"x-access-token": IMBRACE["x-access-token"]},
                timeout=30,
            )
        else:
            resp = requests.post(f"{url}{IMBRACE_PATH}", json=body, headers=IMBRACE, timeout=30)
        assert resp.status_code in (200, 201), resp.text
        ids["imbrace"].append(resp.json()["_id"])
    return ids


def posts(url: str) -> dict[str, int]:
    """The sandbox's POST counts per route (Opsgenie, iMBRACE and Omni)."""
    counts = requests.get(f"{url}/_sandbox/stats", timeout=10).json()["requests"]
    return {k: v for k, v in counts.items() if " POST " in f" {k} "}
