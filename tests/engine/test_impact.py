"""``python -m stacks impact`` and ``calendar`` on a real stack deployed by the engine on the sandbox.

The sandbox stack's definitions are deployed; then, as a user runs them in the project directory:
``impact`` exits 0 while the definitions say what is deployed (and after a change that moves no
time: a description), and 1 naming the hours that move when a participant is swapped for
another. ``calendar`` draws as many bands and gaps from Opsgenie's live timelines (``--live``) as
it predicts. ``impact --verify-live`` finds the prediction of every deployed schedule equal to
the sandbox's timeline answer, and lists the periods that differ once the schedule's time zone is
changed behind the stack's back.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import requests
import yaml

from harness import REPO, Engine, SandboxServer
from tests.support.stacks_program import definitions_stack, stacks_tool

SANDBOX_DEFINITIONS = REPO / "stacks" / "environments" / "sandbox.yaml"
OPSGENIE = {"Authorization": "GenieKey sandbox-opsgenie"}


def _marks(page: Path, css: str) -> int:
    return page.read_text().count(f'class="{css}"')


def test_impact_calendar_and_verify_live_on_a_deployed_stack(
    engine: Engine, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    sandbox_server.reset()
    definitions = tmp_path / "sandbox.yaml"
    shutil.copy(SANDBOX_DEFINITIONS, definitions)
    stack = definitions_stack(engine, sandbox_server.url, definitions, stack="impact")
    shutil.copytree(REPO / "stacks" / "files", stack.workdir / "files")  # the iMBRACE attachment
    stack.up()

    same = stacks_tool(stack, "impact")
    assert same.returncode == 0, same.stdout + same.stderr
    assert "No change in time" in same.stdout

    # The calendar from the definitions and from Opsgenie's (the sandbox's) own timelines.
    predicted, live = tmp_path / "predicted.html", tmp_path / "live.html"
    for page, source in ((predicted, "--predicted"), (live, "--live")):
        done = stacks_tool(
            stack, "calendar", source, "--weeks", "2", "--from", "2030-02-25", "--out", str(page)
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == str(page)
    assert _marks(predicted, "band") > 10 and _marks(predicted, "gap") > 5
    for css in ("band", "gap"):
        assert _marks(live, css) == _marks(predicted, css), css
    assert _marks(live, "firing") == _marks(predicted, "firing") > 0

    verified = stacks_tool(stack, "impact", "--verify-live", "--weeks", "2")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "2 deployed Opsgenie schedule(s)" in verified.stdout and "0 difference(s)" in verified.stdout

    # A change that moves no time, then carol's turns given to dave.
    doc = yaml.safe_load(definitions.read_text())
    doc["opsgenie"]["schedules"][0]["description"] = "reworded"
    definitions.write_text(yaml.safe_dump(doc))
    reworded = stacks_tool(stack, "impact")
    assert reworded.returncode == 0, reworded.stdout + reworded.stderr
    participants = doc["opsgenie"]["schedules"][0]["rotations"][0]["participants"]
    participants[2] = {"type": "user", "username": "dave@example.com"}
    definitions.write_text(yaml.safe_dump(doc))
    swapped = stacks_tool(stack, "impact", "--json")
    assert swapped.returncode == 1, swapped.stdout + swapped.stderr
    report = json.loads(swapped.stdout)
    assert [s["resource"] for s in report["schedules"]] == ["platform-oncall"] and report["jobs"] == []
    hours = {h["participant"]: (h["before"], h["after"]) for h in report["schedules"][0]["hours"]}
    carol, dave = hours["carol@example.com"], hours["dave@example.com"]
    assert carol[0] > 0 and carol[1] == 0 and dave == (0, carol[0]), hours
    swapped_pair = ("carol@example.com", "dave@example.com")
    others = {who: moved for who, moved in hours.items() if who not in swapped_pair}
    assert others and all(before == after for before, after in others.values()), hours
    markdown = stacks_tool(stack, "impact")
    assert markdown.returncode == 1
    moved = f"{carol[0]:g}"
    assert f"| carol@example.com | {moved} | 0 | \u2212{moved} |" in markdown.stdout, markdown.stdout
    assert f"| dave@example.com | 0 | {moved} | +{moved} |" in markdown.stdout

    # Someone moves the schedule to New York in Opsgenie's UI: the business-hours backup's
    # weekday windows now run in New York's hours there, while the state still says Berlin.
    found = requests.get(
        f"{sandbox_server.url}/opsgenie/v2/schedules/platform-oncall",
        params={"identifierType": "name"},
        headers=OPSGENIE,
        timeout=10,
    )
    patched = requests.patch(
        f"{sandbox_server.url}/opsgenie/v2/schedules/{found.json()['data']['id']}",
        json={"timezone": "America/New_York"},
        headers=OPSGENIE,
        timeout=10,
    )
    assert patched.status_code == 200, patched.text
    differs = stacks_tool(stack, "impact", "--verify-live", "--weeks", "2")
    assert differs.returncode == 1, differs.stdout + differs.stderr
    lines = differs.stdout.splitlines()
    prefix = "- platform-oncall: rotation 'business-hours-backup'"
    backup = [line for line in lines if line.startswith(prefix)]
    assert backup and all(" sre (default), live " in line for line in backup), differs.stdout
    assert not any("network-oncall" in line for line in lines[1:])
    assert "Traceback" not in differs.stderr
