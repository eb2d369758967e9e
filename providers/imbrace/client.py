"""Typed calls to iMBRACE's third-party scheduler gateway, one method per documented endpoint.

Every path is ``/3rd/organization/{organization_id}/users/{user_id}/schedulers…``. The docs
show ``x-access-token`` on every call and, per call, ``x-organization-id`` / ``x-user-id``;
each method sends exactly the headers its call documents. Error bodies are
``{"message": "..."}`` (read by the shared HTTP layer's default parser).
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import requests

from providers._http import ApiError, HttpClient, shared_session
from providers._throttle import RateLimit, Throttle, shared_throttle
from providers.imbrace.listing import SchedulerListing
from providers.imbrace.models import SchedulerFile, SchedulerPage, SchedulerRecord

API = "imbrace"
PAGE_SIZE = 100


class Account(Protocol):
    """Who calls the gateway and where (``providers.imbrace.settings.ImbraceSettings`` is one):
    the client needs only these, so it does not import the settings that build it."""

    @property
    def base_url(self) -> str:
        """The gateway's URL."""
        ...

    @property
    def organization_id(self) -> str:
        """The organisation."""
        ...

    @property
    def user_id(self) -> str:
        """The user whose schedulers these are."""
        ...

    @property
    def access_token(self) -> str:
        """The ``x-access-token``."""
        ...


@dataclass(frozen=True)
class Upload:
    """A file to send in a multipart call's ``files`` parts."""

    name: str
    data: bytes

    def part(self) -> tuple[str, tuple[str, bytes, str]]:
        """The ``requests`` multipart tuple (content type guessed from the name)."""
        content_type = mimetypes.guess_type(self.name)[0] or "application/octet-stream"
        return ("files", (self.name, self.data, content_type))


def _seg(value: str) -> str:
    return quote(value, safe="")


class ImbraceClient:
    """The scheduler calls of the iMBRACE gateway for one organisation and user."""

    def __init__(self, settings: Account, rate_limit: RateLimit | None = None) -> None:
        self.settings = settings
        auth = {"x-access-token": settings.access_token}
        session = shared_session(API, settings.base_url, auth)
        throttle = shared_throttle(API, settings.base_url, auth, rate_limit)
        self.http = HttpClient(API, settings.base_url, session, throttle=throttle)
        # The files' public URLs are absolute and take no credentials: a session without any.
        # Storage answers 429 (or S3's 503 SlowDown) on its own terms: retried, not paced by the API's limit.
        files_limit = RateLimit(f"{API} files", requests=6000)
        self.files = HttpClient(
            f"{API} files", "", shared_session(f"{API} files", "", {}), throttle=Throttle(files_limit)
        )
        self.base_path = (
            f"/3rd/organization/{_seg(settings.organization_id)}/users/{_seg(settings.user_id)}/schedulers"
        )
        self.listing = SchedulerListing(lambda event_type: list(self.iter_schedulers(event_type)))
        """The user's schedulers, listed once per event type for this client (providers.imbrace.listing)."""

    # Headers each call documents besides x-access-token (which the session sends).
    def _org(self) -> dict[str, str]:
        return {"x-organization-id": self.settings.organization_id}

    def _org_user(self) -> dict[str, str]:
        return {**self._org(), "x-user-id": self.settings.user_id}

    # ---- 1. Get User Schedulers by Event Type ---------------------------------------------------
    def list_page(
        self, event_type: str | None = None, *, limit: int = PAGE_SIZE, skip: int = 0
    ) -> SchedulerPage:
        """One page of the user's schedulers (``event_type``: exact, or ``contains:a,b``)."""
        params: dict[str, Any] = {"limit": limit, "skip": skip}
        if event_type:
            params["event_type"] = event_type
        resp = self.http.request("GET", self.base_path, params=params)
        return SchedulerPage.model_validate(resp.json())

    def iter_schedulers(
        self, event_type: str | None = None, *, page_size: int = PAGE_SIZE
    ) -> Iterator[SchedulerRecord]:
        """Every scheduler of the user, walking ``limit``/``skip`` pages until ``has_more`` is false."""
        skip = 0
        while True:
            page = self.list_page(event_type, limit=page_size, skip=skip)
            yield from page.data
            if not page.has_more or not page.data:  # an empty page that claims more would loop forever
                return
            skip += len(page.data)

    # ---- 2. Get Scheduler File -------------------------------------------------------------------
    def get_scheduler_file(self, scheduler_id: str, file_id: str) -> SchedulerFile:
        """Where one file of a scheduler can be downloaded."""
        resp = self.http.request("GET", f"{self.base_path}/{_seg(scheduler_id)}/files/{_seg(file_id)}")
        return SchedulerFile.model_validate(resp.json())

    # ---- 3. Get Scheduler by ID ------------------------------------------------------------------
    def get_scheduler(self, scheduler_id: str) -> SchedulerRecord:
        """One scheduler (NotFoundError when it does not exist)."""
        resp = self.http.request("GET", f"{self.base_path}/{_seg(scheduler_id)}", headers=self._org_user())
        return SchedulerRecord.model_validate(resp.json())

    def read_scheduler(self, scheduler_id: str, event_type: str) -> SchedulerRecord:
        """The scheduler with id ``scheduler_id`` from the client's one listing of ``event_type`` (I10);
        by ``GET`` when this client wrote it, it has files, the listing lacks it or the listing
        failed (a 404 raises ``NotFoundError``)."""
        record = self.listing.record(scheduler_id, event_type)
        return record if record is not None else self.get_scheduler(scheduler_id)

    # ---- 4./5. Create Scheduler (with Files) -----------------------------------------------------
    def create_scheduler(self, body: dict[str, Any]) -> SchedulerRecord:
        """Create from a JSON body."""
        resp = self.http.request("POST", self.base_path, json=body, headers=self._org_user())
        return self._made(SchedulerRecord.model_validate(resp.json()))

    def create_scheduler_with_files(
        self, payload: dict[str, Any], files: Sequence[Upload]
    ) -> SchedulerRecord:
        """Create from a multipart ``payload`` (the JSON body as text) plus ``files``."""
        resp = self.http.request(
            "POST",
            f"{self.base_path}/files",
            files=_multipart(payload, files),
        )
        return self._made(SchedulerRecord.model_validate(resp.json()))

    def _made(self, record: SchedulerRecord) -> SchedulerRecord:
        self.listing.written(record.id)  # made here: never read from a listing
        return record

    # ---- 6./7. Update Scheduler (with Files) -----------------------------------------------------
    def update_scheduler(self, scheduler_id: str, body: dict[str, Any]) -> requests.Response:
        """Replace a scheduler from a JSON body (the answer's shape differs across the docs: raw)."""
        self.listing.written(scheduler_id)  # before sending: a PUT whose answer is lost may have acted
        return self.http.request(
            "PUT", f"{self.base_path}/{_seg(scheduler_id)}", json=body, headers=self._org_user()
        )

    def update_scheduler_with_files(
        self, scheduler_id: str, payload: dict[str, Any], files: Sequence[Upload]
    ) -> requests.Response:
        """Replace a scheduler and its files from a multipart ``payload`` plus ``files``."""
        self.listing.written(scheduler_id)  # before sending: a PUT whose answer is lost may have acted
        return self.http.request(
            "PUT",
            f"{self.base_path}/files/{_seg(scheduler_id)}",
            files=_multipart(payload, files),
            headers=self._org_user(),
        )

    # ---- 8. Delete Scheduler ---------------------------------------------------------------------
    def delete_scheduler(self, scheduler_id: str) -> None:
        """Delete a scheduler (its optional body is not needed)."""
        self.listing.written(scheduler_id)
        self.http.request("DELETE", f"{self.base_path}/{_seg(scheduler_id)}", headers=self._org())

    # ---- the files' public URLs ------------------------------------------------------------------
    def download(self, url: str) -> bytes | None:
        """The bytes behind a public ``file_url`` (like S3): fetched without credentials, retried as
        every call is; None when the file is not there (a 4xx answer). A download that fails for
        good (5xx, 429, no answer) raises ``ApiError``: whether the file changed cannot be told."""
        try:
            return self.files.request("GET", url, ok=(200,)).content
        except ApiError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return None
            raise


def _multipart(payload: dict[str, Any], files: Sequence[Upload]) -> list[tuple[str, Any]]:
    """The form of a "with Files" call: ``payload`` as a text part, then the ``files`` parts.

    Always multipart/form-data, as the docs' ``curl --form`` sends it: given ``data=`` and no
    files, requests would send the form URL-encoded instead.
    """
    return [("payload", (None, json.dumps(payload))), *(f.part() for f in files)]
