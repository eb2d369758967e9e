"""The calendar page (stacks/calendar_page.py) rendered by a real headless Chromium.

The sandbox stack's definitions, plus an override and an Omni schedule as a deployed checkpoint
has it, over a fixed fortnight in which the iMBRACE jobs fire: Chromium's DOM holds exactly as
many on-call bands, overrides, gaps and firings as the prediction has, each with its text
alternative, and the screenshot is a picture (many colours), not a blank page. Chromium comes
from ``make test-deps`` (scripts/install-chromium); without it the test is skipped, and fails
under ``CI=true``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from PIL import Image

from harness import REPO
from stacks import calendar_page as calendar
from stacks.browser import BrowserError, chromium, dump_dom, print_pdf, screenshot
from stacks.definitions import load
from stacks.timing import from_program, from_state

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2030, 2, 25, tzinfo=BERLIN)
END = START + timedelta(weeks=2)
OVERRIDE = {
    "resource": "dave-covers",
    "schedule_id": "${opsgenie.schedules.platform-oncall.id}",
    "user": {"type": "user", "username": "dave@example.com"},
    "start_date": "2030-02-27T09:00:00+01:00",
    "end_date": "2030-02-28T21:00:00+01:00",
}
DEPLOYED_OMNI = {
    "resources": [
        {
            "type": "pulumi-python:dynamic/omni:Schedule",
            "urn": "urn:pulumi:sandbox::schedules::pulumi-python:dynamic/omni:Schedule::orders-report",
            "id": "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc",
            "inputs": {"schedule_id": "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc", "paused": False},
            "outputs": {
                "name": "Orders report",
                "schedule": "0 9 ? * MON-FRI *",
                "timezone": "America/New_York",
            },
        }
    ]
}


class Elements(HTMLParser):
    """Counts the DOM's elements by class, and collects every band's, gap's and firing's label."""

    def __init__(self) -> None:
        super().__init__()
        self.classes: Counter[str] = Counter()
        self.labels: list[str] = []
        self.titles = 0
        self.table_rows = 0
        self._in_table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        css = found.get("class") or ""
        if css:
            self.classes[css] += 1
        if tag == "rect" and css.split(" ")[0] in ("band", "gap", "firing"):
            self.labels.append(found.get("aria-label") or "")
        if tag == "title":
            self.titles += 1
        if tag == "table" and found.get("id") == "periods":
            self._in_table = True
        if tag == "tr" and self._in_table:
            self.table_rows += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False


@pytest.fixture(scope="module")
def browser() -> str:
    try:
        return chromium()
    except BrowserError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def sandbox_calendar(tmp_path: Path) -> calendar.Calendar:
    """The sandbox stack's calendar with an override, over the fixed fortnight."""
    raw = yaml.safe_load((REPO / "stacks" / "environments" / "sandbox.yaml").read_text())
    raw["opsgenie"]["overrides"] = [OVERRIDE]
    path = tmp_path / "sandbox.yaml"
    path.write_text(yaml.safe_dump(raw))
    plan = from_program(load(path, base=REPO / "stacks"), from_state(DEPLOYED_OMNI))
    cal = calendar.build("sandbox", plan, START, END)
    cal.now = START + timedelta(days=3, hours=10)
    return cal


def test_chromium_draws_every_band_gap_and_firing_of_the_prediction(browser: str, tmp_path: Path) -> None:
    cal = sandbox_calendar(tmp_path)
    expected = calendar.counts(cal)
    # The fortnight has a bit of everything: the check below would pass vacuously on zeros.
    assert expected["band"] > 10 and expected["override"] == 1 and expected["gap"] > 5, expected
    assert expected["firing"] == 14 + 1 + 10, expected  # the daily digest, the launch, 10 weekdays
    page = tmp_path / "calendar.html"
    page.write_text(calendar.render(cal))

    dom = Elements()
    dom.feed(dump_dom(page))
    assert dom.classes["band"] + dom.classes["band override"] == expected["band"]
    assert dom.classes["band override"] == expected["override"]
    assert dom.classes["gap"] == expected["gap"]
    assert dom.classes["firing"] == expected["firing"]
    assert dom.classes["now"] == 1
    # A text alternative for every mark: its aria-label, its <title>, a row of the hidden table.
    marks = expected["band"] + expected["gap"] + expected["firing"]
    assert len(dom.labels) == marks and all(dom.labels)
    assert dom.titles >= marks + 1  # plus the page's own
    assert dom.table_rows == marks + 1  # plus the header
    assert any(
        "dave@example.com override Wed 2030-02-27 09:00 Europe/Berlin" in label for label in dom.labels
    )
    assert any(label.startswith("network-oncall: nobody on call") for label in dom.labels)
    # Self-contained: no script and no asset from anywhere.
    text = page.read_text()
    assert "<script" not in text and "src=" not in text and "href=" not in text


def test_the_screenshot_is_a_picture_not_a_blank_page(browser: str, tmp_path: Path) -> None:
    cal = sandbox_calendar(tmp_path)
    page = tmp_path / "calendar.html"
    page.write_text(calendar.render(cal))
    png = screenshot(page, tmp_path / "calendar.png", 1500, calendar.page_height(cal, 1500))
    with Image.open(png) as image:
        assert image.size == (1500, calendar.page_height(cal, 1500))
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 100, "the screenshot has almost no colours: blank?"
    white = max(count for count, colour in colours if colour == (255, 255, 255))
    assert white < 0.9 * image.size[0] * image.size[1], "the screenshot is mostly white"


def test_it_prints_on_one_a4_landscape_page(browser: str, tmp_path: Path) -> None:
    page = tmp_path / "calendar.html"
    page.write_text(calendar.render(sandbox_calendar(tmp_path)))
    pdf = print_pdf(page, tmp_path / "calendar.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # the screen readers' table is not printed
    assert boxes and all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in boxes), boxes
