"""iMBRACE schedulers: the ``Scheduler`` resource's inputs and the API's records.

The inputs are validated and normalised the way the API stores them, so that a clean
``pulumi up`` is followed by a preview with no changes:

- dates (start, trigger time, month-and-day) become ISO 8601 in UTC with milliseconds
  (``2024-09-11T14:35:00.000Z``), as the API prints them; a date without offset is UTC;
- an empty ``job.data`` (``{}``) is dropped and so is the browser's ``"file": {}`` in
  ``job.data.files`` entries — the docs' answers show both left out;
- webhook methods are upper case, a numeric workflow id becomes a string;
- each file becomes ``{name, path, size, sha256}``: a change of content is an update,
  and only the hash — never the bytes — is kept in state. A file must lie under the files
  root (the program directory, or ``imbrace:filesRoot``): absolute paths, ``..`` escapes and
  symbolic links out of it are refused, and so are files over ``MAX_FILE_BYTES``.

Rules that depend on another field are field validators on the dependent field (with
``validate_default``, fields declared after the ones they depend on), so every failure
names the field it is about.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from providers._fields import Behaviour

FrequencyUnit = Literal["minutes", "days", "weeks", "months", "years"]
SchedulerType = Literal["recurring", "non_recurring"]
JobType = Literal["kafka", "webhook"]
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


# ---- normalisers ---------------------------------------------------------------------------
def parse_datetime(value: Any) -> datetime:
    """An ISO 8601 date-time (``Z``, an offset, or none for UTC) or a ``datetime``, as aware UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ValueError(f"'{value}' is not an ISO 8601 date-time (e.g. 2030-01-31T09:00:00Z)") from None
    else:
        raise ValueError("expected an ISO 8601 date-time such as 2030-01-31T09:00:00Z")
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso_utc(value: Any) -> str:
    """A date-time the way the API prints it: UTC, milliseconds, ``Z`` (JavaScript's toISOString)."""
    moment = parse_datetime(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


NonBlank = Annotated[str, AfterValidator(_non_blank)]


def clean_job_data(data: Any) -> dict[str, Any] | None:
    """``job.data`` as the API keeps it: None for ``{}``, no ``"file"`` in ``files`` entries."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("must be an object (a dict)")
    if not data:
        return None
    files = data.get("files")
    if isinstance(files, list):
        entries = [{k: v for k, v in e.items() if k != "file"} if isinstance(e, dict) else e for e in files]
        return {**data, "files": entries}
    return dict(data)


def _only_for(info: ValidationInfo, field: str, wanted: object, what: str, value: object) -> None:
    """Fail when ``value`` is set although ``field`` (validated earlier) is not ``wanted``."""
    if value is not None and field in info.data and info.data[field] != wanted:
        raise ValueError(f"only applies to {what}")


# ---- the job ---------------------------------------------------------------------------------
class Job(BaseModel):
    """What the scheduler does when it fires: publish to Kafka, or call a webhook."""

    model_config = ConfigDict(extra="forbid")

    type: JobType
    """``kafka`` (publish ``data`` to ``topic``) or ``webhook`` (call ``url`` with ``method``)."""
    topic: str | None = Field(None, validate_default=True)
    """Kafka topic, e.g. ``ROUTER.OUTGOING_MESSAGE`` (kafka jobs; required there)."""
    workflow_id: str | None = None
    """Workflow the Kafka message belongs to (kafka jobs; a number is kept as text)."""
    url: str | None = Field(None, validate_default=True)
    """URL the webhook calls (webhook jobs; required there; http or https)."""
    method: str | None = Field(None, validate_default=True)
    """HTTP method of the webhook call: GET, POST, PUT, PATCH or DELETE (webhook jobs; required there)."""
    data: dict[str, Any] | None = None
    """Free-form payload handed to the job (the message, tags, sender, …)."""

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str | None, info: ValidationInfo) -> str | None:
        _only_for(info, "type", "kafka", "kafka jobs", value)
        if info.data.get("type") == "kafka" and not (value and value.strip()):
            raise ValueError("is required for a kafka job")
        return value

    @field_validator("workflow_id", mode="before")
    @classmethod
    def _workflow_id(cls, value: Any, info: ValidationInfo) -> Any:
        _only_for(info, "type", "kafka", "kafka jobs", value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # numbers arrive from the engine as floats
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None, info: ValidationInfo) -> str | None:
        _only_for(info, "type", "webhook", "webhook jobs", value)
        if info.data.get("type") == "webhook" and not value:
            raise ValueError("is required for a webhook job")
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"'{value}' is not an http(s) URL")
        return value

    @field_validator("method")
    @classmethod
    def _method(cls, value: str | None, info: ValidationInfo) -> str | None:
        _only_for(info, "type", "webhook", "webhook jobs", value)
        if info.data.get("type") == "webhook" and not value:
            raise ValueError("is required for a webhook job")
        if value is None:
            return None
        if value.upper() not in HTTP_METHODS:
            raise ValueError(f"'{value}' is not one of {', '.join(HTTP_METHODS)}")
        return value.upper()

    @field_validator("data", mode="before")
    @classmethod
    def _data(cls, value: Any) -> dict[str, Any] | None:
        return clean_job_data(value)


# ---- files -----------------------------------------------------------------------------------
class FileRef(BaseModel):
    """One file attached to a scheduler, as kept in state: where it is, and its content's hash.

    The program gives a path (a ``pulumi.FileAsset`` is turned into its path by the resource
    class, before the engine would hash it); it is read here, so a missing file fails at
    preview under ``files[i]``. Entries read back from state or from the API are dicts and
    are taken as they are (a file that has since left the disk must not break a delete).
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    """The file's name as uploaded (the path's last part)."""
    path: str | None = None
    """Local path; a relative one is read from the program directory (where Pulumi runs the providers)."""
    size: int | None = None
    """Size in bytes."""
    sha256: str | None = None
    """SHA-256 of the content; None for a file found on the API that is not known to match."""

    @model_validator(mode="before")
    @classmethod
    def _from_path(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, dict) and "unsupported" in value:
            raise ValueError(
                f"a {value['unsupported']} cannot be attached: give a local path or a pulumi.FileAsset"
            )
        if isinstance(value, dict):
            return value
        if not isinstance(value, str) or not value.strip():
            raise ValueError("expected a local file path or a pulumi.FileAsset")
        root = (info.context or {}).get(FILES_ROOT) or files_root()
        data = read_file(value, root)
        return {
            "name": Path(value).name,
            "path": value,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }


MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest file attached (the docs state no limit; see docs/api-assumptions.md)."""
FILES_ROOT = "files_root"
"""Validation-context key: the directory files must lie under (default: :func:`files_root`)."""


def files_root(configured: str | None = None) -> Path:
    """The directory attached files must lie under: ``configured`` (``imbrace:filesRoot``,
    relative to the program directory) or the program directory, where Pulumi runs providers."""
    base = Path.cwd()
    return (base / Path(configured).expanduser()).resolve() if configured else base.resolve()


def read_file(path: str, root: Path) -> bytes:
    """The bytes of the file ``path`` names under ``root``; a ValueError saying what is wrong.

    Only relative paths that stay under ``root`` once resolved: an absolute path, a ``..``
    escape or a symbolic link leading out of it could send any local file (``~/.aws/credentials``)
    to the API. Files over ``MAX_FILE_BYTES`` are refused before they are read.
    """
    hint = f"give a path relative to {root} (stack config imbrace:filesRoot names another root)"
    if Path(path).is_absolute() or path.startswith("~"):
        raise ValueError(f"'{path}' is an absolute path; {hint}")
    resolved = (root / path).resolve()
    if not resolved.is_relative_to(root):
        raise ValueError(f"'{path}' leads outside {root} (through '..' or a symbolic link); {hint}")
    if not resolved.is_file():
        raise ValueError(f"file '{path}' not found (looked for {root / path})")
    if resolved.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"file '{path}' is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    with resolved.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew since the check above
        raise ValueError(f"file '{path}' is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    return data


# ---- the resource's inputs ---------------------------------------------------------------------
# Inputs the API fills in when left out: a program that leaves them out does not manage them.
SERVER_DEFAULTED = Behaviour(optional=True)
# Sent (the official SDK takes them) but in no answer the docs show: a server that does not print
# them must not make every `up` send them again (docs/api-assumptions.md, I3).
UNDOCUMENTED_IN_ANSWERS = Behaviour(kept_when_unread=True)


class SchedulerInputs(BaseModel):
    """The ``Scheduler`` resource's inputs, normalised as the API stores them (field order matters:
    a field's rules may look at the fields declared before it)."""

    model_config = ConfigDict(extra="forbid")

    name: NonBlank
    """The scheduler's name."""
    event_type: NonBlank
    """What the scheduler is for, e.g. ``whatsapp``, ``board_automation`` (the list can filter on it)."""
    type: SchedulerType = "recurring"
    """``recurring`` (every ``trigger_frequency_value`` ``trigger_frequency_unit``) or
    ``non_recurring`` (runs once at ``start_datetime``)."""
    trigger_frequency_unit: FrequencyUnit | None = Field(None, validate_default=True)
    """minutes, days, weeks, months or years (recurring; required there)."""
    trigger_frequency_value: int | None = Field(None, validate_default=True)
    """Every how many units it runs, at least 1 (recurring; required there)."""
    trigger_time: str | None = None
    """Time of day it runs, an ISO date-time whose time part counts (recurring)."""
    trigger_month_and_day: str | None = Field(None, validate_default=True)
    """Month and day of a yearly run, as an ISO date-time (required when the unit is years;
    sent as the API's ``triger_month_and_day``)."""
    trigger_day_of_week: Annotated[int | None, UNDOCUMENTED_IN_ANSWERS] = None
    """Day of a weekly run, 0 = Sunday … 6 = Saturday (unit weeks)."""
    trigger_day_of_month: Annotated[int | None, UNDOCUMENTED_IN_ANSWERS] = None
    """Day of a monthly run, 1 to 31 (unit months)."""
    start_datetime: Annotated[str | None, SERVER_DEFAULTED] = Field(None, validate_default=True)
    """When it starts (ISO 8601; no offset means UTC). Required for a one-time scheduler and then
    in the future; a recurring one left without starts when created."""
    one_time_schedule_type: Annotated[str | None, SERVER_DEFAULTED] = None
    """How a one-time scheduler fires, e.g. ``exact`` (non_recurring)."""
    description: str = ""
    """Free text."""
    channel_source: str = ""
    """The channel it belongs to."""
    paused: bool = False
    """Whether it is paused."""
    job: Job
    """What runs when it fires."""
    files: Annotated[list[FileRef], Behaviour(replaces_when_removed=True)] = Field(default_factory=list)
    """Files to attach: local paths (relative to the program directory) or ``pulumi.FileAsset``s.
    A change of content is an update; state keeps their SHA-256, not their bytes. Dropping every
    file replaces the scheduler: the docs give no way to detach all files (docs/api-assumptions.md, I5)."""

    @field_validator("description", "channel_source", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return "" if value is None else value

    @field_validator("trigger_frequency_unit", "trigger_frequency_value")
    @classmethod
    def _recurring_needs(cls, value: Any, info: ValidationInfo) -> Any:
        _only_for(info, "type", "recurring", "a recurring scheduler", value)
        if info.data.get("type") == "recurring" and value is None:
            raise ValueError("is required for a recurring scheduler")
        if info.field_name == "trigger_frequency_value" and value is not None and value < 1:
            raise ValueError(f"must be at least 1 (got {value})")
        return value

    @field_validator("trigger_time")
    @classmethod
    def _trigger_time(cls, value: str | None, info: ValidationInfo) -> str | None:
        _only_for(info, "type", "recurring", "a recurring scheduler", value)
        return None if value is None else iso_utc(value)

    @field_validator("trigger_month_and_day")
    @classmethod
    def _month_and_day(cls, value: str | None, info: ValidationInfo) -> str | None:
        _only_for(info, "trigger_frequency_unit", "years", "a yearly scheduler (unit years)", value)
        if info.data.get("trigger_frequency_unit") == "years" and value is None:
            raise ValueError("is required when trigger_frequency_unit is years")
        return None if value is None else iso_utc(value)

    @field_validator("trigger_day_of_week")
    @classmethod
    def _day_of_week(cls, value: int | None, info: ValidationInfo) -> int | None:
        _only_for(info, "trigger_frequency_unit", "weeks", "a weekly scheduler (unit weeks)", value)
        if value is not None and not 0 <= value <= 6:
            raise ValueError(f"must be 0 (Sunday) to 6 (Saturday), got {value}")
        return value

    @field_validator("trigger_day_of_month")
    @classmethod
    def _day_of_month(cls, value: int | None, info: ValidationInfo) -> int | None:
        _only_for(info, "trigger_frequency_unit", "months", "a monthly scheduler (unit months)", value)
        if value is not None and not 1 <= value <= 31:
            raise ValueError(f"must be 1 to 31, got {value}")
        return value

    @field_validator("start_datetime")
    @classmethod
    def _start(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("type") == "non_recurring" and value is None:
            raise ValueError("is required for a one-time (non_recurring) scheduler")
        return None if value is None else iso_utc(value)

    @field_validator("one_time_schedule_type")
    @classmethod
    def _one_time_type(cls, value: str | None, info: ValidationInfo) -> str | None:
        _only_for(info, "type", "non_recurring", "a one-time (non_recurring) scheduler", value)
        return value


# ---- the API's records -------------------------------------------------------------------------
class UploadedFile(BaseModel):
    """One entry of ``job.files``: a file the API stored for a scheduler."""

    model_config = ConfigDict(extra="ignore")

    file_id: str
    name: str
    size: int | None = None
    file_type: str | None = None
    file_extension: str | None = None
    file_url: str | None = None
    file_path: str | None = None
    is_public: bool | None = None
    short_path: str | None = None
    organization_id: str | None = None


class SchedulerRecord(BaseModel):
    """A scheduler as the API answers it (snake_case as the API; ``id`` is the API's ``_id``)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: str = Field(alias="_id")
    type: str = "recurring"
    name: str
    event_type: str
    description: str | None = ""
    options: Any = None
    job: dict[str, Any] = Field(default_factory=dict)
    organization_id: str | None = None
    internal_id: str | None = None
    trigger_frequency_unit: str | None = None
    trigger_frequency_value: int | None = None
    trigger_time: str | None = None
    trigger_month_and_day: str | None = Field(None, alias="triger_month_and_day")
    trigger_day_of_week: Any = None
    trigger_day_of_month: Any = None
    start_date: str | None = None
    start_time: str | None = None
    start_datetime: str | None = None
    one_time_schedule_type: str | None = None
    is_paused: bool = False
    is_finished: bool = False
    channel_source: str | None = ""
    created_by: str | None = None
    updated_by: str | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def files(self) -> list[UploadedFile]:
        """The files the API keeps for this scheduler (``job.files``)."""
        entries = self.job.get("files")
        if not isinstance(entries, list):
            return []
        return [UploadedFile.model_validate(e) for e in entries if isinstance(e, dict) and "file_id" in e]


class SchedulerPage(BaseModel):
    """One page of "Get User Schedulers by Event Type"."""

    data: list[SchedulerRecord]
    count: int = 0
    total: int = 0
    has_more: bool = False


class SchedulerFile(BaseModel):
    """The answer of "Get Scheduler File": where a scheduler's file can be downloaded."""

    model_config = ConfigDict(extra="ignore")

    file_url: str
    file_name: str
    file_type: str | None = None
    file_size: int | None = None
    created_at: str | None = None
