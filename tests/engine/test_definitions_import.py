"""``import_id`` in a stack's definitions, for every kind that takes it, through the real engine.

Objects made beforehand through the APIs (as a UI would) — an Opsgenie schedule with a rotation
and an override, an iMBRACE scheduler — are named by ``import_id`` in the definitions: the first
``up`` adopts each (no create call reaches an API; the ids in state are theirs), and afterwards
``import_id`` is ignored: changed or removed, the next preview shows no change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
import yaml

from harness import Engine, SandboxServer
from tests.support.accounts import IMBRACE, IMBRACE_PATH, OPSGENIE, imbrace_scheduler, posts
from tests.support.stacks_program import definitions_stack

ROTATION = {
    "name": "nights",
    "startDate": "2026-01-05T18:00:00Z",
    "type": "daily",
    "length": 1,
    "participants": [{"type": "user", "username": "dave@example.com"}],
}
OVERRIDE = {
    "alias": "holiday-cover",
    "user": {"type": "user", "username": "bob@example.com"},
    "startDate": "2030-07-01T09:00:00Z",
    "endDate": "2030-07-15T09:00:00Z",
}


def _made_in_the_ui(url: str) -> dict[str, str]:
    """A schedule with a rotation and an override, and a scheduler: their ids."""
    made = requests.post(
        f"{url}/opsgenie/v2/schedules",
        json={"name": "made-in-ui", "timezone": "UTC", "ownerTeam": {"name": "sre"}},
        headers=OPSGENIE,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    schedule = made.json()["data"]["id"]
    rotation = requests.post(
        f"{url}/opsgenie/v2/schedules/{schedule}/rotations", json=ROTATION, headers=OPSGENIE, timeout=10
    )
    assert rotation.status_code == 201, rotation.text
    override = requests.post(
        f"{url}/opsgenie/v2/schedules/{schedule}/overrides", json=OVERRIDE, headers=OPSGENIE, timeout=10
    )
    assert override.status_code == 201, override.text
    scheduler = requests.post(f"{url}{IMBRACE_PATH}", json=imbrace_scheduler(2), headers=IMBRACE, timeout=10)
    assert scheduler.status_code in (200, 201), scheduler.text
    return {
        "schedule": schedule,
        "rotation": f"{schedule}/{rotation.json()['data']['id']}",
        "override": f"{schedule}/{OVERRIDE['alias']}",
        "scheduler": scheduler.json()["_id"],
    }


def _definitions(ids: dict[str, str]) -> dict[str, Any]:
    # The scheduler as made (a webhook every 2 weeks): the API's fields are the inputs' names.
    scheduler = {"resource": "report-job", "import_id": ids["scheduler"], **imbrace_scheduler(2)}
    return {
        "opsgenie": {
            "schedules": [
                {
                    "resource": "made-in-ui",
                    "import_id": "made-in-ui",  # by name: names are unique in Opsgenie
                    "name": "made-in-ui",
                    "timezone": "UTC",
                    "owner_team": {"name": "sre"},
                }
            ],
            "rotations": [
                {
                    "resource": "nights",
                    "import_id": ids["rotation"],
                    "schedule_id": "${opsgenie.schedules.made-in-ui.id}",
                    "name": "nights",
                    "start_date": "2026-01-05T18:00:00Z",
                    "type": "daily",
                    "participants": [{"type": "user", "username": "dave@example.com"}],
                }
            ],
            "overrides": [
                {
                    "resource": "holiday-cover",
                    "import_id": ids["override"],
                    "schedule_id": "${opsgenie.schedules.made-in-ui.id}",
                    "alias": "holiday-cover",
                    "user": {"type": "user", "username": "bob@example.com"},
                    "start_date": "2030-07-01T09:00:00Z",
                    "end_date": "2030-07-15T09:00:00Z",
                }
            ],
        },
        "imbrace": {"schedulers": [scheduler]},
    }


def test_import_id_adopts_every_kind_once_and_is_ignored_afterwards(
    engine: Engine, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    sandbox_server.reset()
    ids = _made_in_the_ui(sandbox_server.url)
    path = tmp_path / "imported.yaml"
    definitions = _definitions(ids)
    path.write_text(yaml.safe_dump(definitions))
    stack = definitions_stack(engine, sandbox_server.url, path, stack="imported")
    requests.delete(f"{sandbox_server.url}/_sandbox/stats", timeout=10).raise_for_status()

    up = stack.up()
    assert up.summary.resource_changes == {"create": 5}  # the stack and four adoptions
    assert posts(sandbox_server.url) == {}, "an adoption created something"
    by_name = {r["urn"].rsplit("::", 1)[-1]: r["id"] for r in stack.resources()}
    assert by_name == {
        "made-in-ui": ids["schedule"],
        "nights": ids["rotation"],
        "holiday-cover": ids["override"],
        "report-job": ids["scheduler"],
    }
    stack.assert_no_changes()

    # Once in the state, import_id no longer matters: changed, or gone.
    for entry in (e for kind in definitions.values() for entries in kind.values() for e in entries):
        entry["import_id"] = "no-such-object"
    path.write_text(yaml.safe_dump(definitions))
    stack.assert_no_changes()
    for entry in (e for kind in definitions.values() for entries in kind.values() for e in entries):
        del entry["import_id"]
    path.write_text(yaml.safe_dump(definitions))
    stack.assert_no_changes()
