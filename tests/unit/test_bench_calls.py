"""``bench``: a cell of the calls table below its minimum (an Opsgenie refresh: one listing for N
schedules, docs/api-assumptions.md O10) is no miss, and one above it is explained."""

from __future__ import annotations

from bench.goals import CallRow
from bench.notes import why_above
from bench.programs import minimum_calls

LIST, GET = "GET /v2/schedules", "GET /v2/schedules/{identifier}"


def test_an_opsgenie_refresh_below_its_minimum_is_no_miss() -> None:
    minimum = minimum_calls("opsgenie", "refresh", 334)
    listed = CallRow(1000, "refresh", "opsgenie", 334, 1, minimum, {LIST: 1})
    assert listed.calls < listed.minimum and why_above(listed) == ""
    by_id = CallRow(1000, "refresh", "opsgenie", 334, minimum + 1, minimum, {LIST: 1, GET: minimum})
    assert "O10" in why_above(by_id)
