"""The records the iMBRACE emulator stores and the answers it builds from them."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

SCHEDULER_KIND = "imbrace.scheduler"
FILE_KIND = "imbrace.file"
# Where the sandbox serves uploaded files (standing for the public S3 bucket).
FILES_PATH = "/imbrace/files"

# Fields the API prints only when the scheduler has them (the docs' examples leave
# e.g. trigger_time out of a minutes scheduler and one_time_schedule_type out of a
# recurring one); every other field is always printed, null when unset.
_PRINTED_WHEN_SET = frozenset(
    {
        "internal_id",
        "trigger_time",
        "triger_month_and_day",
        "trigger_day_of_week",
        "trigger_day_of_month",
        "one_time_schedule_type",
    }
)


UNDOCUMENTED_IN_ANSWERS = frozenset({"trigger_day_of_week", "trigger_day_of_month"})
"""Fields the sandbox stores that no answer in the docs shows (they come from the official SDK)."""


class Scheduler(BaseModel):
    """One scheduler as stored, with the fields (and field order) the docs show."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(alias="_id")
    type: str
    name: str
    event_type: str
    description: str = ""
    options: Any = None
    job: dict[str, Any]
    organization_id: str
    internal_id: str | None = None
    trigger_frequency_unit: str | None = None
    trigger_frequency_value: int | None = None
    trigger_time: str | None = None
    # The server's own spelling (the imbrace SDK sends it so too).
    triger_month_and_day: str | None = None
    trigger_day_of_week: Any = None
    trigger_day_of_month: Any = None
    start_date: str
    start_time: str
    start_datetime: str
    one_time_schedule_type: str | None = None
    is_paused: bool = False
    is_finished: bool = False
    channel_source: str = ""
    created_by: str | None = None
    updated_by: str | None = None
    created_at: str
    updated_at: str

    def to_doc(self) -> dict[str, Any]:
        """The document kept in the store."""
        return self.model_dump(by_alias=True)

    def to_api(self, base_url: str, documented_only: bool = False) -> dict[str, Any]:
        """The scheduler as the API prints it; sandbox file URLs made absolute on ``base_url``.

        ``documented_only``: without the fields no answer in the docs shows (the official SDK's
        ``trigger_day_of_week`` / ``trigger_day_of_month``), as a server that keeps but never
        prints them would answer.
        """
        unset = {name for name in _PRINTED_WHEN_SET if getattr(self, name) is None}
        if documented_only:
            unset |= UNDOCUMENTED_IN_ANSWERS
        body = self.model_dump(by_alias=True, exclude=unset)
        body["job"] = _absolute_file_urls(body["job"], base_url)
        return body


def _absolute_file_urls(job: dict[str, Any], base_url: str) -> dict[str, Any]:
    # Uploaded files are stored with a sandbox-relative URL so that they stay reachable
    # when the server comes back on another host or port; each answer makes it absolute.
    files = job.get("files")
    if not isinstance(files, list):
        return job
    job = copy.deepcopy(job)
    for entry in job["files"]:
        url = entry.get("file_url") if isinstance(entry, dict) else None
        if isinstance(url, str) and url.startswith(FILES_PATH + "/"):
            entry["file_url"] = base_url + url
    return job


class StoredFile(BaseModel):
    """An uploaded file's metadata (its bytes are a store blob with the same id)."""

    file_id: str
    scheduler_id: str
    organization_id: str
    name: str
    file_type: str
    file_extension: str
    size: int
    file_path: str
    short_path: str
    created_at: str

    def relative_url(self) -> str:
        """Where the sandbox serves the bytes, relative to its base URL."""
        return f"{FILES_PATH}/{self.file_id}/{quote(self.name, safe='')}"

    def job_entry(self) -> JobFile:
        """The entry of ``job.files`` describing this file (URL still relative)."""
        return JobFile(
            organization_id=self.organization_id,
            name=self.name,
            file_path=self.file_path,
            file_id=self.file_id,
            size=self.size,
            file_type=self.file_type,
            file_extension=self.file_extension,
            file_url=self.relative_url(),
            is_public=True,
            short_path=self.short_path,
        )

    def info(self, base_url: str) -> SchedulerFileInfo:
        """The answer of "Get Scheduler File"."""
        return SchedulerFileInfo(
            file_url=base_url + self.relative_url(),
            file_name=self.name,
            file_type=self.file_type,
            file_size=self.size,
            created_at=self.created_at,
        )


class JobFile(BaseModel):
    """One entry of ``job.files`` in the answers of the multipart calls."""

    organization_id: str
    name: str
    file_path: str
    file_id: str
    size: int
    file_type: str
    file_extension: str
    file_url: str
    is_public: bool
    short_path: str


class SchedulerFileInfo(BaseModel):
    """The answer of ``GET …/schedulers/{scheduler_id}/files/{file_id}``."""

    file_url: str
    file_name: str
    file_type: str
    file_size: int
    created_at: str


class SchedulerPage(BaseModel):
    """The answer of the list call: ``count`` is the number of items in this page."""

    data: list[dict[str, Any]]
    count: int
    total: int
    has_more: bool
