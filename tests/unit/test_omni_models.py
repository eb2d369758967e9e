"""Omni inputs: one failure per bad field at check time, normalisation, records and outputs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from providers.core import UNKNOWN
from providers.omni.models import (
    ListFilters,
    OmniSchedule,
    ScheduleInputs,
    SchedulePage,
    ScheduleTriggerInputs,
)
from providers.omni.schedule import SCHEDULE_OUTPUTS, OmniProviderBase, OmniScheduleProvider
from providers.omni.schedule_trigger import OmniScheduleTriggerProvider
from tests.support.shared import SHARED

pytestmark = pytest.mark.usefixtures("credentials")  # check() reads the provider settings
ORDERS = "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc"


def docs_list_answer() -> dict[str, Any]:
    """The list answer printed in Omni's docs (six schedules)."""
    text = (SHARED / "api-docs" / "omni-schedules-v1.txt").read_text()
    start = text.index('{\n"pageInfo"')
    return dict(json.loads(text[start : text.index("\n400 Bad Request", start)]))


def failures(provider: Any, news: dict[str, Any]) -> dict[str, str]:
    result = provider.check({}, news)
    return {f.property: f.reason for f in result.failures}


def test_each_bad_schedule_input_is_one_failure_naming_its_field() -> None:
    found = failures(
        OmniScheduleProvider(),
        {
            "schedule_id": "not-a-uuid",
            "paused": "maybe",
            "recipients": ["ops@example.com", "nobody", 42],
            "delete_on_destroy": "sometimes",
            "colour": "blue",
        },
    )
    assert found.keys() == {
        "schedule_id",
        "paused",
        "recipients[1]",
        "recipients[2]",
        "delete_on_destroy",
        "colour",
    }
    assert "'not-a-uuid' is not a schedule id" in found["schedule_id"]
    assert "'nobody' is neither an email address nor an Omni user id" in found["recipients[1]"]
    assert "valid boolean" in found["paused"]


def test_each_bad_trigger_input_is_one_failure_naming_its_field() -> None:
    found = failures(
        OmniScheduleTriggerProvider(), {"schedule_id": "123", "triggers": ["a"], "api_version": "v2"}
    )
    assert found.keys() == {"schedule_id", "triggers", "api_version"}
    assert "'v1' or 'unstable'" in found["api_version"]


def test_unknown_values_are_not_judged_nor_looked_up(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lookup(*_args: object) -> None:
        raise AssertionError("looked up a schedule whose id is unknown")

    monkeypatch.setattr(OmniProviderBase, "lookup", no_lookup)
    result = OmniScheduleProvider().check({}, {"schedule_id": UNKNOWN, "recipients": [UNKNOWN]})
    assert result.failures == []
    trigger = OmniScheduleTriggerProvider().check({}, {"schedule_id": UNKNOWN, "triggers": {"v": UNKNOWN}})
    assert trigger.failures == []


def test_inputs_normalise_the_way_omni_compares_them() -> None:
    inputs = ScheduleInputs(
        schedule_id=f" {ORDERS.upper()} ",
        recipients=["Ops@Example.com", "ops@example.com ", "ABCDEF12-3456-7890-ABCD-EF1234567890", "a@b.co"],
    )
    assert inputs.schedule_id == ORDERS
    assert inputs.recipients == ["a@b.co", "abcdef12-3456-7890-abcd-ef1234567890", "ops@example.com"]
    assert inputs.model_dump(exclude_none=True) == {
        "schedule_id": ORDERS,
        "recipients": inputs.recipients,
        "delete_on_destroy": False,
    }
    assert ScheduleTriggerInputs(schedule_id=ORDERS).api_version == "v1"


@pytest.mark.parametrize("email", ["a..b@x.com", ".a@x.com", "a@x", "a@-x.com", "a b@x.com"])
def test_emails_omni_would_refuse_are_refused(email: str) -> None:
    assert "recipients[0]" in failures(OmniScheduleProvider(), {"schedule_id": ORDERS, "recipients": [email]})


def test_the_docs_list_answer_maps_to_snake_case_records_and_outputs() -> None:
    page = SchedulePage.model_validate(docs_list_answer())
    assert page.page_info.total_records == 6 and not page.page_info.has_next_page
    web, _query, orders_2, *_ = page.records
    assert web.paused and web.recipient_count == 5 and web.dashboard_name == "Web Traffic Analysis"
    assert orders_2.destination_type == "webhook" and orders_2.recipient_count == -1 and not orders_2.paused
    assert page.records[-1].slack_recipient_type == "users" and page.records[-1].last_status is None
    outputs = web.outputs()
    assert set(outputs) == SCHEDULE_OUTPUTS and "id" not in outputs
    # The pause time is Omni's own (no pause answer carries it): `paused` is the output.
    assert web.disabled_at == "2024-03-01T15:32:20.996Z" and "disabled_at" not in outputs
    assert outputs["schedule"] == "00 09 ? * 2,3,4,5,6 *"
    assert outputs["owner_id"] is None  # newer Omni versions list it; the docs' answer does not
    assert web.label == "'Web Traffic Analysis' (60d386ca-6f48-4143-9bfc-fd7a6f942c2c)"
    assert OmniSchedule.model_validate({"id": "x", "somethingNew": 1}).id == "x"  # new fields are ignored


def test_list_filters_validate_before_any_request() -> None:
    with pytest.raises(ValueError, match="destination"):
        ListFilters(destination="fax")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is not a user id"):
        ListFilters(owner_id="blob")
    assert ListFilters(owner_id=ORDERS.upper()).owner_id == ORDERS
