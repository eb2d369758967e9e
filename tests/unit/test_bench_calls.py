"""``bench``: a cell of the calls table below its minimum (an Opsgenie refresh: one listing for N
schedules, docs/api-assumptions.md O10; an iMBRACE one: a listing per event type, I10) is no miss,
and one above it is explained."""

from __future__ import annotations

from bench.goals import CallRow
from bench.notes import why_above
from bench.programs import minimum_calls

LIST, GET = "GET /v2/schedules", "GET /v2/schedules/{identifier}"
IMBRACE_LIST = "GET /3rd/organization/{organization_id}/users/{user_id}/schedulers"


def test_an_opsgenie_refresh_below_its_minimum_is_no_miss() -> None:
    minimum = minimum_calls("opsgenie", "refresh", 334)
    listed = CallRow(1000, "refresh", "opsgenie", 334, 1, minimum, {LIST: 1})
    assert listed.calls < listed.minimum and why_above(listed) == ""
    by_id = CallRow(1000, "refresh", "opsgenie", 334, minimum + 1, minimum, {LIST: 1, GET: minimum})
    assert "O10" in why_above(by_id)


def test_an_imbrace_refresh_below_its_minimum_is_no_miss() -> None:
    list_, get = IMBRACE_LIST, IMBRACE_LIST + "/{scheduler_id}"
    minimum = minimum_calls("imbrace", "refresh", 333)
    listed = CallRow(1000, "refresh", "imbrace", 333, 4, minimum, {list_: 4})
    assert listed.calls < listed.minimum and why_above(listed) == ""
    by_id = CallRow(1000, "refresh", "imbrace", 333, minimum + 1, minimum, {list_: 1, get: minimum})
    assert "I10" in why_above(by_id) and "not explained" not in why_above(by_id)
