"""Typed calls to Opsgenie's Schedule, Schedule Rotation and Schedule Override APIs (one per endpoint).

Authentication is ``Authorization: GenieKey <key>``; the key lives only in the pooled
session's headers. Request bodies are the API's own (camelCase) dictionaries, built by
the provider from the input models; answers come back as the records of :mod:`providers.opsgenie.models`.
Errors name what was being done ("schedule 'oncall'"), carry the API's own message, its
field errors and the request id, and say so plainly when the key is read-only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import quote

import requests

from providers._http import ApiError, HttpClient, NotFoundError, RetryPolicy, shared_session
from providers._throttle import RateLimit, shared_throttle
from providers.opsgenie.listing import ScheduleListing
from providers.opsgenie.models import (
    OverrideRecord,
    RotationRecord,
    ScheduleMeta,
    ScheduleRecord,
    ScheduleTimeline,
)

API = "opsgenie"
REGION_URLS = {"us": "https://api.opsgenie.com", "eu": "https://api.eu.opsgenie.com"}
READ_ONLY_CODE = 40301  # Opsgenie's code for "API Key is not granted with write access."
IdentifierType = Literal["id", "name"]
Body = Mapping[str, Any]
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def identifier_type_of(identifier: str) -> IdentifierType:
    """``id`` for a UUID (Opsgenie's ids are UUIDs), else ``name``."""
    return "id" if _UUID.match(identifier) else "name"


def api_url(url: str | None, region: str | None) -> str:
    """The base URL: an explicit ``url`` wins, else the region's (``us`` by default)."""
    if url:
        return url.rstrip("/")
    key = (region or "us").strip().lower()
    if key not in REGION_URLS:
        raise ValueError(f"unknown Opsgenie region '{region}': use us or eu (or set apiUrl)")
    return REGION_URLS[key]


def parse_error(resp: requests.Response) -> tuple[str, str | None]:
    """The API's message with its field errors and read-only hint, and the request id.

    (A 429 never gets here: the limiter of providers._throttle retries it, then words its own error.)
    """
    rid = resp.headers.get("X-Request-ID")
    try:
        body = resp.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return (resp.text.strip()[:300] or resp.reason or "error"), rid
    message = str(body.get("message") or resp.reason or "error")
    errors = body.get("errors")
    if isinstance(errors, dict) and errors:
        message += " " + "; ".join(f"{field}: {reason}" for field, reason in errors.items())
    if resp.status_code == 403 and (body.get("code") == READ_ONLY_CODE or "write access" in message):
        message = f"the Opsgenie API key is read-only: {message}"
    elif resp.status_code == 401:
        message = f"the Opsgenie API key was refused: {message}"
    return message, str(body.get("requestId") or rid or "") or None


def _seg(value: str) -> str:
    """A path segment: a schedule name may hold spaces or slashes."""
    return quote(value, safe="")


class OpsgenieClient:
    """One Opsgenie account at one base URL."""

    def __init__(
        self,
        api_key: str,
        base_url: str,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        auth = {"Authorization": f"GenieKey {api_key}"}
        session = shared_session(API, base_url, auth, retry)
        throttle = shared_throttle(API, base_url, auth, rate_limit)
        self.http = HttpClient(
            api=API, base_url=base_url, session=session, parse_error=parse_error, throttle=throttle
        )
        self.listing = ScheduleListing(lambda: self.list_schedules(expand_rotations=True))
        """The account's schedules, listed once for this client (providers.opsgenie.listing)."""

    def _call(self, subject: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return self.http.request(method, path, **kwargs)
        except ApiError as exc:
            exc.with_context(subject)
            raise

    def _json(self, subject: str, method: str, path: str, **kwargs: Any) -> Any:
        resp = self._call(subject, method, path, **kwargs)
        return resp.json().get("data") if resp.content else None

    # ---- schedules -----------------------------------------------------------------------
    def create_schedule(self, body: Body) -> ScheduleMeta:
        """``POST /v2/schedules``: the new schedule's id, name and enabled state."""
        data = self._json(f"schedule '{body.get('name')}'", "POST", "/v2/schedules", json=body)
        meta = ScheduleMeta.model_validate(data)
        self.listing.written(meta.id)
        return meta

    def get_schedule(self, identifier: str, identifier_type: IdentifierType = "id") -> ScheduleRecord:
        """``GET /v2/schedules/{identifier}`` by id or name."""
        data = self._json(
            f"schedule '{identifier}'",
            "GET",
            f"/v2/schedules/{_seg(identifier)}",
            params={"identifierType": identifier_type},
        )
        return ScheduleRecord.model_validate(data)

    def find_schedule(self, name: str) -> ScheduleRecord | None:
        """The schedule named ``name`` (names are unique), or None.

        By ``identifierType=name``; a name with a slash is looked for in the list as well, since
        a server may decode ``%2F`` in the path before routing (the sandbox does).
        """
        try:
            return self.get_schedule(name, "name")
        except NotFoundError:
            if "/" not in name:
                return None
        return next((s for s in self.list_schedules(expand_rotations=True) if s.name == name), None)

    def name_holder(self, name: str) -> str | None:
        """The id of the schedule named ``name`` in the account's schedules, listed once for this
        client (``GET /v2/schedules`` answers every schedule at once): the look-up of each new
        schedule's name in ``check`` costs one call per process, not one per schedule (O9)."""
        return self.listing.name_holder(name)

    def read_schedule(self, schedule_id: str) -> ScheduleRecord:
        """The schedule with id ``schedule_id`` from the client's one listing (O10); by ``GET`` when
        this client wrote it, the listing lacks it or the listing failed (a 404 raises ``NotFoundError``)."""
        record = self.listing.record(schedule_id)
        return record if record is not None else self.get_schedule(schedule_id)

    def list_schedules(self, expand_rotations: bool = False) -> list[ScheduleRecord]:
        """``GET /v2/schedules`` (with ``expand=rotation`` to include the rotations)."""
        params = {"expand": "rotation"} if expand_rotations else None
        data = self._json("schedules", "GET", "/v2/schedules", params=params)
        return [ScheduleRecord.model_validate(item) for item in data or []]

    def update_schedule(self, identifier: str, body: Body) -> ScheduleMeta:
        """``PATCH /v2/schedules/{id}``: only the fields given change; given rotations replace all."""
        self.listing.written(identifier)  # before sending: a PATCH whose answer is lost may have acted
        data = self._json(f"schedule '{identifier}'", "PATCH", f"/v2/schedules/{_seg(identifier)}", json=body)
        return ScheduleMeta.model_validate(data)

    def delete_schedule(self, identifier: str) -> None:
        """``DELETE /v2/schedules/{id}``."""
        self.listing.written(identifier)
        self._call(f"schedule '{identifier}'", "DELETE", f"/v2/schedules/{_seg(identifier)}")

    def get_timeline(
        self,
        identifier: str,
        identifier_type: IdentifierType = "id",
        *,
        expand: list[str] | None = None,
        interval: int | None = None,
        interval_unit: str | None = None,
        date: str | None = None,
    ) -> ScheduleTimeline:
        """``GET /v2/schedules/{identifier}/timeline``."""
        params: dict[str, Any] = {"identifierType": identifier_type}
        optional = {"interval": interval, "intervalUnit": interval_unit, "date": date}
        params.update({k: v for k, v in optional.items() if v is not None})
        if expand:
            params["expand"] = ",".join(expand)
        path = f"/v2/schedules/{_seg(identifier)}/timeline"
        return ScheduleTimeline.model_validate(
            self._json(f"timeline of schedule '{identifier}'", "GET", path, params=params)
        )

    def export_ics(self, identifier: str, identifier_type: IdentifierType = "id") -> str:
        """``GET /v2/schedules/{identifier}.ics``: the iCalendar text."""
        resp = self._call(
            f"export of schedule '{identifier}'",
            "GET",
            f"/v2/schedules/{_seg(identifier)}.ics",
            params={"identifierType": identifier_type},
            headers={"Accept": "text/calendar"},
        )
        return resp.content.decode("utf-8")

    # ---- rotations and overrides: ``/v2/schedules/{id}/<kind>[/<key>]`` (schedule by id) ----------
    def _child(
        self,
        kind: str,
        schedule_id: str,
        method: str,
        key: str | None = None,
        label: Any = None,
        **kwargs: Any,
    ) -> Any:
        """A call on a schedule's ``rotations`` or ``overrides`` (``key``: rotation id or alias); its data."""
        path = f"/v2/schedules/{_seg(schedule_id)}/{kind}" + (f"/{_seg(key)}" if key is not None else "")
        if method != "GET":
            self.listing.written(schedule_id)  # its listed rotations may no longer hold
        named = label or key
        subject = f"{kind[:-1]} '{named}'" if named else kind
        resp = self._call(f"{subject} of schedule '{schedule_id}'", method, path, **kwargs)
        return resp.json().get("data") if resp.content else None

    def create_rotation(self, schedule_id: str, body: Body) -> str:
        """``POST /v2/schedules/{id}/rotations``: the new rotation's id."""
        data = self._child("rotations", schedule_id, "POST", label=body.get("name") or "(unnamed)", json=body)
        return str(data["id"])

    def list_rotations(self, schedule_id: str) -> list[RotationRecord]:
        """``GET /v2/schedules/{id}/rotations``, in order."""
        data = self._child("rotations", schedule_id, "GET")
        return [RotationRecord.model_validate(item) for item in data or []]

    def get_rotation(self, schedule_id: str, rotation_id: str) -> RotationRecord:
        """``GET /v2/schedules/{id}/rotations/{rotationId}``."""
        data = self._child("rotations", schedule_id, "GET", rotation_id)
        return RotationRecord.model_validate(data)

    def update_rotation(self, schedule_id: str, rotation_id: str, body: Body) -> None:
        """``PATCH /v2/schedules/{id}/rotations/{rotationId}``: only the fields given change."""
        self._child("rotations", schedule_id, "PATCH", rotation_id, json=body)

    def delete_rotation(self, schedule_id: str, rotation_id: str) -> None:
        """``DELETE /v2/schedules/{id}/rotations/{rotationId}``."""
        self._child("rotations", schedule_id, "DELETE", rotation_id)

    def create_override(self, schedule_id: str, body: Body) -> str:
        """``POST /v2/schedules/{id}/overrides``: the new override's alias."""
        data = self._child("overrides", schedule_id, "POST", label=body.get("alias"), json=body)
        return str(data["alias"])

    def list_overrides(self, schedule_id: str) -> list[OverrideRecord]:
        """``GET /v2/schedules/{id}/overrides``."""
        data = self._child("overrides", schedule_id, "GET")
        return [OverrideRecord.model_validate(item) for item in data or []]

    def get_override(self, schedule_id: str, alias: str) -> OverrideRecord:
        """``GET /v2/schedules/{id}/overrides/{alias}``."""
        data = self._child("overrides", schedule_id, "GET", alias)
        return OverrideRecord.model_validate(data)

    def update_override(self, schedule_id: str, alias: str, body: Body) -> None:
        """``PUT /v2/schedules/{id}/overrides/{alias}``: replaces the override (user and dates required)."""
        self._child("overrides", schedule_id, "PUT", alias, json=body)

    def delete_override(self, schedule_id: str, alias: str) -> None:
        """``DELETE /v2/schedules/{id}/overrides/{alias}``."""
        self._child("overrides", schedule_id, "DELETE", alias)
