"""Drives the official ``imbrace`` Python SDK (1.3.1, PyPI) against the documented scheduler calls.

Run by tests/conformance/test_imbrace_sdk.py with the Python of a virtualenv of its own (the SDK
is not a dependency of the project). The SDK's ``client.schedule`` targets another service
(``<gateway>/data-board/v1/schedulers``); the documented third-party calls live under
``/3rd/organization/{organization_id}/users/{user_id}/schedulers``, so this drives the SDK's
own transport (``client.http``: its auth headers, retries and error classes) and its
``ScheduleResource`` pointed at that documented path, with bodies in the forms the SDK documents
for each frequency unit. One JSON line per call: ``{"call", "ok", "detail"}``.

Environment: IMBRACE_GATEWAY (the sandbox's ``/imbrace``), IMBRACE_TOKEN, IMBRACE_ORG, IMBRACE_USER.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from imbrace import ImbraceClient
from imbrace.exceptions import ApiError, AuthError
from imbrace.resources.schedule import ScheduleResource

FAILED = False


def report(call: str, check: Callable[[], str | None]) -> None:
    """Run ``check`` (an SDK call and what its answer must hold); print the call's line."""
    global FAILED
    try:
        problem = check()
    except Exception as exc:  # every SDK failure is a finding, reported by name
        problem = f"{type(exc).__name__}: {exc}"
    line: dict[str, Any] = {"call": call, "ok": problem is None}
    if problem is not None:
        line["detail"] = problem
        FAILED = True
    print(json.dumps(line), flush=True)


def expect(ok: bool, why: str) -> str | None:
    return None if ok else why


def refused(call: Callable[[], Any], status: int, message: str) -> str | None:
    """The SDK raises its error class for the documented answer, with the status and the text."""
    try:
        call()
    except (ApiError, AuthError) as exc:
        code = getattr(exc, "status_code", None)
        body = getattr(exc, "body", None) or str(exc).split("] ", 1)[-1]
        text = json.loads(body).get("message")
        return expect((code, text) == (status, message), f"{code} {text!r}")
    return "no error"


def main() -> int:
    gateway = os.environ["IMBRACE_GATEWAY"]
    org, user = os.environ["IMBRACE_ORG"], os.environ["IMBRACE_USER"]
    client = ImbraceClient(gateway=gateway, access_token=os.environ["IMBRACE_TOKEN"], organization_id=org)
    print(json.dumps({"sdk_schedule_base": client.schedule._base}), flush=True)
    base = f"{gateway}/3rd/organization/{org}/users/{user}"
    schedulers = ScheduleResource(client.http, base)  # /3rd/…/schedulers, the documented path
    url = f"{base}/schedulers"
    future = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    job = {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "data": {}, "workflow_id": "123"}
    common = {"event_type": "whatsapp", "channel_source": "", "description": "", "job": job}
    at = "1969-12-31T16:00:00.000Z"
    bodies = {
        # The SDK's forms per frequency unit (ScheduleResource.create), with the docs' start_datetime.
        "minutes": {"trigger_frequency_unit": "minutes", "trigger_frequency_value": 30},
        "days": {"trigger_frequency_unit": "days", "trigger_frequency_value": 1, "trigger_time": at},
        "weeks": {
            "trigger_frequency_unit": "weeks",
            "trigger_frequency_value": 1,
            "trigger_time": at,
            "trigger_day_of_week": 1,
        },
        "months": {
            "trigger_frequency_unit": "months",
            "trigger_frequency_value": 1,
            "trigger_time": at,
            "trigger_day_of_month": 15,
        },
        "years": {
            "trigger_frequency_unit": "years",
            "trigger_frequency_value": 1,
            "trigger_time": at,
            "triger_month_and_day": "1969-12-31T16:32:00.000Z",
        },
    }
    made: dict[str, str] = {}

    def create(unit: str, body: dict[str, Any]) -> str | None:
        answer = schedulers.create(body)
        made[unit] = answer["_id"]
        return expect(answer["name"] == body["name"] and answer.get("type") == body["type"], str(answer))

    for unit, fields in bodies.items():
        body = {"type": "recurring", "name": f"sdk-{unit}", **common, **fields, "start_datetime": future}
        report(f"create recurring {unit}", lambda u=unit, b=body: create(u, b))
    once = {
        "type": "non_recurring",
        "name": "sdk-once",
        **common,
        "one_time_schedule_type": "exact",
        "start_datetime": future,
        "job": {
            "type": "webhook",
            "data": {"message": "hi"},
            "method": "POST",
            "url": "https://example.com/h",
        },
    }
    report("create non_recurring webhook", lambda: create("once", once))

    report("list", lambda: expect(len(schedulers.list()["data"]) >= len(made), "missing schedulers"))
    report(
        "list event_type limit skip",
        lambda: expect(
            len(schedulers.list({"event_type": "whatsapp", "limit": 2, "skip": 1})["data"]) == 2,
            "not a page of 2",
        ),
    )
    for unit, scheduler_id in made.items():
        report(
            f"get {unit}", lambda i=scheduler_id: expect(schedulers.get(i)["_id"] == i, "another scheduler")
        )
    days = {"type": "recurring", "name": "sdk-days", **common, **bodies["days"], "start_datetime": future}
    report(
        "update (full body)",
        lambda: expect(
            schedulers.update(made["days"], {**days, "name": "sdk-days-2", "is_paused": True})["name"]
            == "sdk-days-2",
            "not renamed",
        ),
    )

    # The "with Files" calls, through the SDK's transport (the SDK has no call of its own for them).
    upload = [("files", ("note.txt", b"hello", "text/plain"))]

    def with_files() -> str | None:
        payload = json.dumps({**once, "name": "sdk-files"})
        answer = client.http.request("POST", f"{url}/files", data={"payload": payload}, files=upload).json()
        made["files"] = answer["_id"]
        files = answer["job"]["files"]
        made["file"] = files[0]["file_id"]
        return expect(len(files) == 1 and files[0]["name"] == "note.txt", str(answer["job"]))

    report("create with files", with_files)
    report(
        "get scheduler file",
        lambda: expect(
            client.http.request("GET", f"{url}/{made['files']}/files/{made['file']}").json()["file_name"]
            == "note.txt",
            "another file",
        ),
    )
    report(
        "update with files",
        lambda: expect(
            client.http.request(
                "PUT",
                f"{url}/files/{made['files']}",
                data={"payload": json.dumps({**once, "name": "sdk-files-2"})},
                files=[("files", ("more.txt", b"more", "text/plain"))],
            ).json()["name"]
            == "sdk-files-2",
            "not renamed",
        ),
    )

    # Documented error answers, as the SDK raises them.
    report(
        "404 Scheduler not found",
        lambda: refused(lambda: schedulers.get("670f990290e5ee13019669f4"), 404, "Scheduler not found"),
    )
    report(
        "400 name is required",
        lambda: refused(lambda: schedulers.create({**days, "name": None}), 400, "name is required"),
    )
    report(
        "400 payload is required",
        lambda: refused(
            lambda: client.http.request("POST", f"{url}/files", files=upload), 400, "payload is required"
        ),
    )
    report(
        "400 Invalid JSON in payload",
        lambda: refused(
            lambda: client.http.request("POST", f"{url}/files", data={"payload": "{nope"}, files=upload),
            400,
            "Invalid JSON in payload",
        ),
    )
    stranger = ImbraceClient(gateway=gateway, access_token="not-the-token", organization_id=org)
    report(
        "401 Unauthorized",
        lambda: refused(lambda: ScheduleResource(stranger.http, base).list(), 401, "Unauthorized"),
    )

    for unit, scheduler_id in made.items():
        if unit != "file":
            report(
                f"delete {unit}",
                lambda i=scheduler_id: expect("deleted" in schedulers.delete(i)["message"], "not deleted"),
            )
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
