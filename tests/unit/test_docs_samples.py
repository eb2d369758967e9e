"""The docs' own JSON samples as fixtures: requests against the strict contracts, answers through the
providers' parsing and mapping. The samples are extracted from ../shared/api-docs by
tests.support.docs_samples."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
import requests

from providers._http import default_error_parser
from providers.imbrace.mapping import from_record
from providers.imbrace.models import SchedulerFile, SchedulerInputs, SchedulerPage, SchedulerRecord
from providers.omni.models import OmniSchedule, SchedulePage
from providers.opsgenie.client import parse_error as opsgenie_error
from providers.opsgenie.models import ScheduleInputs, ScheduleMeta, ScheduleRecord, ScheduleTimeline
from providers.opsgenie.schedule import schedule_live
from sandbox.apis import contracts
from sandbox.contract import ContractViolation, RequestView
from tests.support.docs_samples import DOCS, Sample, all_samples
from tests.support.opsgenie_oas import OAS_WARNINGS, oas
from tests.support.shared import shared_missing

pytestmark = OAS_WARNINGS

SAMPLES = all_samples() if DOCS.is_dir() else []
MISSING = "the API docs are not at ../shared/api-docs (shared material missing)"

# Samples that cannot pass, and why (docs/api-assumptions.md, "The docs' own samples").
UNREADABLE = {
    "opsgenie-schedules:215": "Update Schedule: not JSON (a rotation's fields sit outside an object)",
}
REPAIRED = {
    "opsgenie-schedules:138": "Get Schedule answer: a trailing comma after a participant",
    "opsgenie-schedules:358": "Timeline answer: no comma between two periods",
}
# Readable samples the strict contracts refuse (sample: the complaint), or the providers cannot map
# (sample: the error): none today; an entry here must also be in the register.
REFUSED: dict[str, str] = {}
NOT_MAPPED: dict[str, str] = {}

PATH_VALUES = {
    "{organization_id}": "org_imbrace",
    "{user_id}": "u_imbrace_agent1",
    "{scheduler_id}": "670f990290e5ee13019669f4",
    "{file_id}": "ab014eec-3b7f-4e67-8164-27ca344b6556",
    ":scheduleId": "123e4567-e89b-12d3-a456-426614174000",
}


def by_kind(kind: str) -> list[Sample]:
    return [s for s in SAMPLES if s.kind == kind and s.parsed]


def ids(samples: list[Sample]) -> list[str]:
    return [s.name for s in samples]


def request_view(sample: Sample, body: Any, method: str = "", path: str = "") -> RequestView:
    path = path or sample.path
    for placeholder, value in PATH_VALUES.items():
        path = path.replace(placeholder, value)
    if sample.path.endswith(("/files", "/files/{scheduler_id}")):  # a "with Files" payload
        return RequestView.of(method or sample.method, path, form={"payload": json.dumps(body)})
    headers = {"Content-Type": "application/json"}
    return RequestView.of(method or sample.method, path, "", headers, json.dumps(body).encode())


def test_every_json_block_of_the_four_docs_is_a_sample() -> None:
    if not SAMPLES:
        shared_missing(MISSING)
    per_doc = Counter(s.doc for s in SAMPLES)
    assert set(per_doc) == {p.stem for p in DOCS.glob("*.txt")}, per_doc
    assert {s.name for s in SAMPLES if not s.parsed} == set(UNREADABLE)
    assert {s.name for s in SAMPLES if s.repaired} == set(REPAIRED)
    kinds = Counter(s.kind for s in SAMPLES)
    print(f"\ndocs samples checked: {len(SAMPLES)} ({dict(kinds)}; per doc {dict(per_doc)})")
    assert len(SAMPLES) >= 90 and kinds["request"] >= 10 and kinds["response"] >= 60


@pytest.mark.parametrize("sample", by_kind("request"), ids=ids(by_kind("request")))
def test_request_samples_meet_the_strict_contracts(sample: Sample) -> None:
    if sample.api == "opsgenie":
        oas()
    check = contracts()[sample.api].check
    assert check is not None
    view = request_view(sample, sample.value)
    if sample.name in REFUSED:
        with pytest.raises(ContractViolation, match=re.escape(REFUSED[sample.name])):
            check(view)
    else:
        check(view)


@pytest.mark.parametrize("sample", by_kind("fragment"), ids=ids(by_kind("fragment")))
def test_request_fragments_meet_the_oas_inside_a_create(sample: Sample) -> None:
    oas()
    rotation = {"type": "daily", "startDate": "2030-01-07T09:00:00Z", "participants": [{"type": "none"}]}
    body: dict[str, Any] = {"name": "Sample", "rotations": [rotation]}
    if set(sample.value) <= {"ownerTeam", "name", "description", "timezone", "enabled"}:
        body.update(sample.value)
    else:  # a rotation's field (participants, timeRestriction)
        rotation.update(sample.value)
    check = contracts()["opsgenie"].check
    assert check is not None
    check(request_view(sample, body, "POST", "/v2/schedules"))


def _response(sample: Sample) -> requests.Response:
    resp = requests.Response()
    resp.status_code = sample.status or 200
    resp._content = json.dumps(sample.value).encode()
    resp.headers["Content-Type"] = "application/json"
    return resp


def _opsgenie(sample: Sample) -> None:
    body = sample.value
    assert isinstance(body["took"], float) and body["requestId"]
    data = body.get("data")
    if sample.method == "DELETE":
        assert body["result"] == "Deleted"
    elif sample.method in ("POST", "PATCH"):
        assert ScheduleMeta.model_validate(data).id
    elif sample.path.endswith("/timeline"):
        timeline = ScheduleTimeline.model_validate(data)
        assert timeline.final_timeline is not None
    elif sample.path == "/v2/schedules":
        for item in data:  # the mapping gives inputs the provider accepts
            ScheduleInputs.model_validate(schedule_live(ScheduleRecord.model_validate(item))[0])
    else:
        inputs, outputs = schedule_live(ScheduleRecord.model_validate(data))
        assert inputs["name"] == data["name"] and len(outputs["rotation_ids"]) == len(data["rotations"])
        # The sample prints a time-of-day restriction as a `restrictions` list (the OAS and the
        # field table: a `restriction` object); both read as the same input.
        model = ScheduleInputs.model_validate(inputs)
        assert model.rotations is not None and model.rotations[0].time_restriction is not None
        assert model.rotations[0].time_restriction.restriction is not None


def _imbrace(sample: Sample) -> None:
    body = sample.value
    if "_id" in body and "job" in body:
        record = SchedulerRecord.model_validate(body)
        inputs, outputs = from_record(record)
        SchedulerInputs.model_validate(inputs)  # the mapping gives inputs the provider accepts
        assert record.created_at == body["created_at"] and outputs["is_finished"] == body["is_finished"]
    elif "data" in body:
        page = SchedulerPage.model_validate(body)
        for record in page.data:
            SchedulerInputs.model_validate(from_record(record)[0])
    elif "file_url" in body:
        assert SchedulerFile.model_validate(body).file_url == body["file_url"]
    else:
        # An answer the provider reads only as raw JSON: the update's (its shape differs across the
        # docs) and the create's before an id is known, or the delete's message.
        assert body.get("message") or body.get("type")


def _omni(sample: Sample) -> None:
    body = sample.value
    if "records" in body:
        page = SchedulePage.model_validate(body)
        assert len(page.records) == len(body["records"]) and page.page_info.total_records == 6
        assert all(isinstance(r, OmniSchedule) for r in page.records)
    else:
        assert body["success"] is True


RESPONSES = by_kind("response")


@pytest.mark.parametrize("sample", RESPONSES, ids=ids(RESPONSES))
def test_response_samples_go_through_the_providers_parsing_and_mapping(sample: Sample) -> None:
    if sample.status is not None and sample.status >= 400:
        parse = opsgenie_error if sample.api == "opsgenie" else default_error_parser
        message, _ = parse(_response(sample))
        assert message == (sample.value.get("message") or sample.value.get("detail")), message
        return
    check = {"opsgenie": _opsgenie, "imbrace": _imbrace, "omni": _omni}[sample.api]
    if sample.name in NOT_MAPPED:
        with pytest.raises(Exception, match=re.escape(NOT_MAPPED[sample.name])):
            check(sample)
    else:
        check(sample)
