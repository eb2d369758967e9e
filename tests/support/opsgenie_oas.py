"""The Opsgenie emulator's tests' OAS validator and validating client (requests and answers).

The OAS is Opsgenie's official Swagger 2.0 spec, kept out of this repository in
``../shared/reference/opsgenie-oas``; the sandbox's strict mode reads it
(:mod:`sandbox.contract.opsgenie`, which explains how the split files are merged and
adapted), and the tests here use that same reading to validate requests, plus
bravado-core's response validation for the emulator's answers.
"""

from __future__ import annotations

import copy
import functools
import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from harness import OPSGENIE_KEY, OPSGENIE_READ_ONLY_KEY
from sandbox.contract.opsgenie import OpsgenieOas
from sandbox.contract.opsgenie import load as load_oas
from sandbox.contract.request import ContractViolation, RequestView
from tests.support.shared import SHARED, shared_missing

OAS_DIR = SHARED / "reference" / "opsgenie-oas"
MISSING_OAS = "Opsgenie OAS not found at ../shared/reference/opsgenie-oas (shared material missing)"

# bravado-core and swagger-spec-validator still use jsonschema's deprecated RefResolver.
OAS_WARNINGS = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:bravado_core"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:swagger_spec_validator"),
]

KEY = {"Authorization": f"GenieKey {OPSGENIE_KEY}"}
READ_ONLY_KEY = {"Authorization": f"GenieKey {OPSGENIE_READ_ONLY_KEY}"}
PREFIX = "/opsgenie"

ALICE = {"id": "6bc13753-1a48-4ed3-84fd-7b16feb856c0", "username": "alice@example.com"}
BOB = {"id": "c9d6332a-75fc-42b5-b067-62a750a5f4e9", "username": "bob@example.com"}
CAROL = {"id": "0bd9e74c-6bb8-4c35-b345-fdfce2845bee", "username": "carol@example.com"}
# The docs' weekly time restriction (Create Schedule sample): Monday 08:00 - Tuesday 18:30 and
# Wednesday 08:00 - Thursday 18:30.
_DOCS_WEEKDAY_RESTRICTION: dict[str, Any] = {
    "type": "weekday-and-time-of-day",
    "restrictions": [
        {
            "startDay": "monday",
            "startHour": 8,
            "startMin": 0,
            "endDay": "tuesday",
            "endHour": 18,
            "endMin": 30,
        },
        {
            "startDay": "wednesday",
            "startHour": 8,
            "startMin": 0,
            "endDay": "thursday",
            "endHour": 18,
            "endMin": 30,
        },
    ],
}


def docs_weekday_restriction() -> dict[str, Any]:
    """A fresh copy of the docs' weekly time restriction (tests may change it)."""
    return copy.deepcopy(_DOCS_WEEKDAY_RESTRICTION)


def docs_create_schedule(participants: list[dict[str, Any]]) -> dict[str, Any]:
    """The docs' Create Schedule sample body, with the given participants."""
    return {
        "name": "ScheduleName",
        "description": "ScheduleDescription",
        "timezone": "Europe/Kirov",
        "enabled": True,
        "ownerTeam": {"name": "ops_team"},
        "rotations": [
            {
                "name": "First Rotation",
                "startDate": "2017-02-06T05:00:00Z",
                "endDate": "2017-02-23T06:00:00Z",
                "type": "hourly",
                "length": 6,
                "participants": participants,
                "timeRestriction": docs_weekday_restriction(),
            }
        ],
    }


OPS_TEAM = {"id": "a2010e5d-8895-460a-8acd-c0c6df4a0acb", "name": "ops_team"}
SRE_ESCALATION = {"id": "86f850a6-12c3-4405-9873-552ce95e0b47", "name": "sre_escalation"}


@functools.cache
def load_validator() -> OasValidator | None:
    """The validator of the shared OAS, or None when the shared material is absent."""
    oas = load_oas(OAS_DIR)
    return None if oas is None else OasValidator(oas)


def oas() -> OasValidator:
    """The OAS validator; skips the calling test when the OAS is missing."""
    validator = load_validator()
    if validator is None:
        shared_missing(MISSING_OAS)
    assert validator is not None
    return validator


@dataclass
class _Outgoing:
    """A response as bravado-core's ``OutgoingResponse`` interface wants it."""

    content_type: str
    text: str
    headers: Any
    raw_bytes: bytes

    def json(self, **_: Any) -> Any:
        return json.loads(self.text)


class OasValidator:
    """The sandbox's own reading of the OAS (:class:`sandbox.contract.opsgenie.OpsgenieOas`), plus
    response validation: finds a request's operation and validates requests and answers."""

    def __init__(self, oas: OpsgenieOas) -> None:
        self.oas = oas
        self.spec = oas.spec
        self.routes = oas.routes

    def operation(self, method: str, path: str) -> tuple[Any, dict[str, str]]:
        """The operation serving ``method path`` (path without the /opsgenie prefix) and its path params."""
        try:
            return self.oas.operation(method, path)
        except ContractViolation as exc:
            raise AssertionError(f"{method} {path} is not an operation of the OAS: {exc}") from None

    def check_response(self, method: str, path: str, status: int, headers: Any, content: bytes) -> None:
        """Fail unless the answer is one the OAS declares for this operation and status."""
        from bravado_core.response import get_response_spec, validate_response, validate_response_headers
        from bravado_core.validate import validate_schema_object

        op, _ = self.operation(method, path)
        response_spec = get_response_spec(status, op)
        content_type = headers.get("content-type", "").split(";")[0].strip()
        outgoing = _Outgoing(content_type, content.decode(), headers, content)
        if status >= 400 and content_type not in op.produces:
            # The export "produces" only text/calendar, yet its errors are ErrorResponse
            # objects: check those as the JSON they are.
            assert content_type == "application/json", content_type
            validate_schema_object(self.spec, self.spec.deref(response_spec["schema"]), outgoing.json())
            validate_response_headers(op, response_spec, outgoing)
            return
        validate_response(response_spec, op, outgoing)

    def check_request(
        self, method: str, url: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        """Read a request the way strict mode does; raises ``jsonschema.ValidationError`` when the OAS
        refuses it (so the tests read like bravado-core's own)."""
        from jsonschema import ValidationError

        parts = urlsplit(url)
        content = {"Content-Type": "application/json"} if body is not None else {}
        view = RequestView.of(
            method,
            parts.path,
            parts.query,
            {**KEY, **content, **(headers or {})},
            json.dumps(body).encode() if body is not None else b"",
        )
        try:
            return self.oas.check(view)
        except ContractViolation as exc:
            raise ValidationError(str(exc)) from None


class Opsgenie:
    """An HTTP client of the emulator that checks every Opsgenie answer against the OAS (when present).

    ``http`` is a Starlette ``TestClient`` or a ``requests.Session``; paths are given
    without the ``/opsgenie`` prefix, as in the docs.
    """

    def __init__(self, http: Any, base_url: str = "", validate: bool = True) -> None:
        self.http = http
        self.base_url = base_url
        self.validator = load_validator() if validate else None

    def request(self, method: str, path: str, *, key: dict[str, str] | None = KEY, **kwargs: Any) -> Any:
        """Send a request; unless ``key`` is None, with the full-access key."""
        headers = {**(key or {}), **kwargs.pop("headers", {})}
        response = self.http.request(method, self.base_url + PREFIX + path, headers=headers, **kwargs)
        if self.validator is not None:
            self.validator.check_response(
                method, urlsplit(path).path, response.status_code, response.headers, response.content
            )
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        """GET ``path``."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        """POST ``path``."""
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        """PATCH ``path``."""
        return self.request("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        """PUT ``path``."""
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        """DELETE ``path``."""
        return self.request("DELETE", path, **kwargs)

    def create_schedule(self, **fields: Any) -> str:
        """Create a schedule (``name`` defaults to "Schedule") and return its id."""
        body = {"name": "Schedule", **fields}
        response = self.post("/v2/schedules", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["data"]["id"])


def assert_error(response: Any, status: int, message: str | None = None) -> dict[str, Any]:
    """Check an Opsgenie error answer (status, envelope, request id header, message); its body."""
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["took"], float)
    assert str(uuid.UUID(body["requestId"])) == body["requestId"]
    assert response.headers["X-Request-ID"] == body["requestId"]
    if message is not None:
        assert body["message"] == message
    return dict(body)


def rotation(**fields: Any) -> dict[str, Any]:
    """A valid rotation body: daily from 2030-01-07 09:00Z for Alice and Bob, overridable."""
    return {
        "name": "Primary",
        "startDate": "2030-01-07T09:00:00Z",
        "type": "daily",
        "participants": [{"type": "user", "username": ALICE["username"]}, {"type": "user", "id": BOB["id"]}],
        **fields,
    }


def periods(
    timeline: dict[str, Any], which: str = "finalTimeline", order: int = 1
) -> list[tuple[str, str, str]]:
    """``(start, end, recipient name)`` of each period of one rotation of a timeline answer."""
    rotations = {r["order"]: r for r in timeline["data"][which]["rotations"]}
    return [(p["startDate"], p["endDate"], p["recipient"]["name"]) for p in rotations[order]["periods"]]
