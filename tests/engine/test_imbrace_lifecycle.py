"""iMBRACE schedulers under the real engine: up, preview, update, drift, deletion, import, destroy."""

from __future__ import annotations

import base64

import requests

from tests.conftest import SandboxServer
from tests.engine.harness import Engine
from tests.engine.imbrace_support import (
    api,
    assert_token_nowhere,
    by_name,
    imbrace_stack,
    patch_scheduler,
    scheduler,
    schedulers,
)

PROGRAM = """
import pulumi
from providers.imbrace import JobArgs, Scheduler, SchedulerArgs

cfg = pulumi.Config()
weekly = Scheduler("weekly", SchedulerArgs(
    name=cfg.get("weeklyName") or "weekly offer",
    event_type="whatsapp_outbound",
    trigger_frequency_unit="weeks",
    trigger_frequency_value=1,
    trigger_day_of_week=1,
    trigger_time="1970-01-01T09:00:00+08:00",
    job=JobArgs(type="webhook", url="https://hooks.example.com/send", method="post",
                data={"message": "Our offer", "files": [{"id": "upload-0", "file": {}, "name": "menu.pdf"}]}),
    files=["menu.pdf", pulumi.FileAsset("logo.png")],
))
yearly = Scheduler("yearly", SchedulerArgs(
    name="anniversary",
    event_type="board_automation",
    trigger_frequency_unit="years",
    trigger_frequency_value=1,
    trigger_month_and_day="2024-03-15T00:00:00Z",
    job=JobArgs(type="kafka", topic="ROUTER.OUTGOING_CRM_EVENT", workflow_id=1336),
))
launch = Scheduler("launch", SchedulerArgs(
    name="launch day",
    event_type="whatsapp",
    type="non_recurring",
    one_time_schedule_type="exact",
    start_datetime="2035-06-01T08:00:00Z",
    job=JobArgs(type="kafka", topic="ROUTER.OUTGOING_MESSAGE"),
))
adopt = cfg.get("adoptId")
if adopt:
    Scheduler("adopted", SchedulerArgs(
        name="adopted by pulumi",
        event_type="whatsapp",
        trigger_frequency_unit="days",
        trigger_frequency_value=2,
        job=JobArgs(type="kafka", topic="ROUTER.OUTGOING_MESSAGE"),
    ), opts=pulumi.ResourceOptions(import_=adopt))
pulumi.export("weekly_files", weekly.uploaded_files)
"""


def test_scheduler_lifecycle(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = imbrace_stack(engine, sandbox_server, PROGRAM, name="imbrace-life")
    (stack.workdir / "menu.pdf").write_bytes(b"%PDF-1.4 menu of the week")
    (stack.workdir / "logo.png").write_bytes(b"\x89PNG the logo")

    # ---- up: three schedulers, the weekly one with its two files -----------------------------
    up = stack.up()
    assert up.summary.resource_changes == {"create": 4}
    ids = {name: r["id"] for name, r in by_name(stack).items()}
    weekly = scheduler(sandbox_server, ids["weekly"])
    assert [(f["name"], f["size"]) for f in weekly["_files"]] == [("menu.pdf", 25), ("logo.png", 13)]
    assert weekly["trigger_time"] == "1970-01-01T01:00:00.000Z" and weekly["job"]["method"] == "POST"
    assert scheduler(sandbox_server, ids["yearly"])["triger_month_and_day"] == "2024-03-15T00:00:00.000Z"
    launch = scheduler(sandbox_server, ids["launch"])
    assert (launch["type"], launch["start_datetime"]) == ("non_recurring", "2035-06-01T08:00:00.000Z")
    state = by_name(stack)["weekly"]["outputs"]
    assert [f["name"] for f in state["files"]] == ["menu.pdf", "logo.png"]
    assert all(len(f["sha256"]) == 64 for f in state["files"])
    assert "menu of the week" not in stack.export_text(), "state keeps hashes, never the bytes"
    assert_token_nowhere(stack, engine)
    blob = base64.b64decode(by_name(stack)["weekly"]["inputs"]["__provider"])
    assert len(blob) < 300 and b"providers.imbrace.scheduler" in blob and b"_create_code" not in blob

    stack.assert_no_changes()

    # ---- update: a new name and new file content ---------------------------------------------
    stack.set_config({"weeklyName": "weekly offer (new menu)"})
    (stack.workdir / "menu.pdf").write_bytes(b"%PDF-1.4 the new menu")
    up = stack.up()
    assert up.summary.resource_changes == {"update": 1, "same": 3}
    weekly = scheduler(sandbox_server, ids["weekly"])
    assert weekly["name"] == "weekly offer (new menu)"
    menu = by_name(stack)["weekly"]["outputs"]["uploaded_files"][0]
    assert menu["file_id"] == weekly["job"]["files"][0]["file_id"]
    assert requests.get(menu["file_url"], timeout=10).content == b"%PDF-1.4 the new menu"
    stack.assert_no_changes()

    # ---- drift: changed outside Pulumi; refresh sees it and the next up corrects it ---------
    patch_scheduler(sandbox_server, ids["yearly"], {"name": "renamed by hand", "is_paused": True})
    refresh = stack.refresh()
    assert (refresh.summary.resource_changes or {}).get("update") == 1
    assert by_name(stack)["yearly"]["outputs"]["name"] == "renamed by hand"
    preview = stack.preview()
    assert preview.change_summary.get("update") == 1
    stack.up()
    yearly = scheduler(sandbox_server, ids["yearly"])
    assert (yearly["name"], yearly["is_paused"]) == ("anniversary", False)
    stack.assert_no_changes()

    # ---- deleted outside Pulumi: refresh drops it from state --------------------------------
    api(sandbox_server, "DELETE", f"/{ids['launch']}")
    stack.refresh()
    assert "launch" not in by_name(stack)

    # ---- import: adopt an existing scheduler through import_ (and recreate `launch`) -------
    made = api(
        sandbox_server,
        "POST",
        "",
        json={
            "name": "made by hand",
            "event_type": "whatsapp",
            "trigger_frequency_unit": "days",
            "trigger_frequency_value": 1,
            "job": {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE"},
        },
    ).json()
    stack.set_config({"adoptId": made["_id"]})
    up = stack.up()
    assert up.summary.resource_changes == {"create": 2, "same": 3}
    assert by_name(stack)["adopted"]["id"] == made["_id"]
    assert [d["_id"] for d in schedulers(sandbox_server, "adopted by pulumi")] == [made["_id"]]
    adopted = scheduler(sandbox_server, made["_id"])
    assert (adopted["trigger_frequency_value"], adopted["created_at"]) == (2, made["created_at"])
    assert schedulers(sandbox_server, "made by hand") == []
    assert len(schedulers(sandbox_server, "launch day")) == 1
    stack.assert_no_changes()

    # ---- destroy: gone from the sandbox -------------------------------------------------------
    managed = {r["id"] for r in by_name(stack).values()}
    stack.destroy()
    assert stack.resources() == []
    assert not managed & {d["_id"] for d in schedulers(sandbox_server)}
    assert len(schedulers(sandbox_server)) == 2  # the seeded two stay
