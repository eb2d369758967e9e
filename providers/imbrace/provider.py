"""The ``Scheduler`` dynamic provider: which iMBRACE calls to make for each step of the lifecycle."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, DiffResult
from pydantic import ValidationError

from providers._base import IMPORT_KEY, LostCreate, ProviderBase
from providers._http import ApiError, NotFoundError
from providers.imbrace.client import API, ImbraceClient, ImbraceSettings, Upload
from providers.imbrace.mapping import (
    COMPUTED,
    SERVER_DEFAULTED,
    UNDOCUMENTED_IN_ANSWERS,
    computed,
    from_record,
    job_inputs,
    to_body,
    update_body,
)
from providers.imbrace.models import (
    FILES_ROOT,
    FileRef,
    Job,
    SchedulerInputs,
    SchedulerRecord,
    files_root,
    iso_utc,
    parse_datetime,
    read_file,
)


@contextmanager
def about(name: str | None, scheduler_id: str | None = None) -> Iterator[None]:
    """Add the scheduler an API error is about to its message (the error itself, with its
    class, status and other facts, is re-raised, so callers still tell a 404 or a lost answer)."""
    try:
        yield
    except ApiError as exc:
        label = "scheduler" + (f" '{name}'" if name else "") + (f" ({scheduler_id})" if scheduler_id else "")
        exc.message = f"{label}: {exc.message}"
        exc.args = (str(exc),)
        raise


def uploads(files: list[FileRef], root: Path) -> list[Upload]:
    """The files' bytes (under ``root``), checked against the hashes taken at preview."""
    out = []
    for index, ref in enumerate(files):
        if ref.path is None:
            raise ValueError(f"files[{index}]: '{ref.name}' has no local path to upload from")
        try:
            data = read_file(ref.path, root)
        except ValueError as exc:
            raise ValueError(f"files[{index}]: {exc}") from None
        if ref.sha256 and hashlib.sha256(data).hexdigest() != ref.sha256:
            raise ValueError(
                f"files[{index}]: '{ref.path}' changed since it was checked; run the update again"
            )
        out.append(Upload(ref.name, data))
    return out


def _files_changed(current: SchedulerRecord, old: SchedulerInputs, new: SchedulerInputs) -> bool:
    """Whether ``new``'s files must be uploaded: their content changed, or the API no longer
    holds files of their names and sizes."""
    if [(f.name, f.sha256) for f in old.files] != [(f.name, f.sha256) for f in new.files]:
        return True
    return [(f.name, f.size) for f in current.files] != [(f.name, f.size) for f in new.files]


class SchedulerProvider(ProviderBase[SchedulerInputs, ImbraceClient]):
    """Creates, reads, updates and deletes iMBRACE schedulers, with their files."""

    api = API
    inputs_model = SchedulerInputs
    output_keys = frozenset(COMPUTED)

    def make_client(self) -> ImbraceClient:
        """A client for the configured gateway, organisation and user."""
        settings = ImbraceSettings.resolve(lambda key, env: self.setting(key, env))
        return ImbraceClient(settings, self.rate_limit())

    def files_root(self) -> Path:
        """The directory ``files`` must lie under: ``imbrace:filesRoot``, else the program directory."""
        return files_root(self.setting("filesRoot", "IMBRACE_FILES_ROOT"))

    def validation_context(self) -> dict[str, Any]:
        """Files are judged against this stack's files root."""
        return {FILES_ROOT: self.files_root()}

    # ---- preview ------------------------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """The model's checks, plus: a one-time scheduler's start must be in the future.

        Only when the start is new or changed: a start that was valid at create must not
        fail the previews of the following weeks. A scheduler being adopted (``import_``, not
        yet in state) is left to the API, which knows its current start.
        """
        result = super().check(olds, news)
        adopting = bool(news.get(IMPORT_KEY)) and not olds
        if result.failures or adopting or result.inputs.get("type") != "non_recurring":
            return result
        try:
            start = iso_utc(result.inputs.get("start_datetime"))
        except ValueError:
            return result  # not known yet at this preview
        if start != olds.get("start_datetime") and parse_datetime(start) <= datetime.now(UTC):
            reason = f"must be in the future for a one-time (non_recurring) scheduler; {start} has passed"
            return CheckResult(result.inputs, [CheckFailure("start_datetime", reason)])
        return result

    # ---- lifecycle ----------------------------------------------------------------------------
    def create_remote(self, client: ImbraceClient, inputs: SchedulerInputs) -> tuple[str, dict[str, Any]]:
        """Create with the JSON call, or the multipart one when there are files."""
        body = to_body(inputs)
        with about(inputs.name):
            if inputs.files:
                record = client.create_scheduler_with_files(body, uploads(inputs.files, self.files_root()))
            else:
                record = client.create_scheduler(body)
        return record.id, computed(record)

    def find_created(
        self, client: ImbraceClient, inputs: SchedulerInputs, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """The scheduler a lost create made: same name, event type, start (when given) and job,
        created since the create was sent, owned by no other resource; the newest wins.

        Names are not unique in iMBRACE: two alike schedulers made within the same minutes by
        different programs cannot be told apart (give them different names)."""
        # The list reads "a,b" and "contains:…" as filters of several types: then filter here only.
        plain = "," not in inputs.event_type and not inputs.event_type.startswith("contains:")
        exact = inputs.event_type if plain else None
        with about(inputs.name):
            candidates = [
                r
                for r in client.iter_schedulers(exact)
                if r.name == inputs.name
                and r.id not in lost.taken
                and r.event_type == inputs.event_type
                and _created_since(r, lost.since)
                and _same_job(r, inputs.job)
                and (inputs.start_datetime is None or _start_of(r) == inputs.start_datetime)
            ]
        if not candidates:
            return None
        newest = max(candidates, key=lambda r: (r.created_at or "", r.id))
        return newest.id, computed(newest)

    def read_remote(self, client: ImbraceClient, id_: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The live scheduler, or None when it is gone."""
        try:
            with about(None, id_):
                record = client.get_scheduler(id_)
        except NotFoundError:
            return None
        return from_record(record)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """As the base, but dropping every file replaces the scheduler.

        The docs give no way to detach all files (a "with Files" update needs some, and a JSON
        update's ``job.files: []`` is not documented): a new scheduler without files is made
        instead, which the preview shows as a replacement (docs/api-assumptions.md, I5).
        """
        result = super().diff(_id, olds, news)
        if not olds.get("files") or news.get("files"):  # (an unknown value is truthy too)
            return result
        return DiffResult(
            changes=True,
            replaces=sorted({*(result.replaces or []), "files"}),
            stables=[k for k in (result.stables or []) if k != "files"],
            delete_before_replace=self.delete_before_replace,
        )

    def update_remote(
        self, client: ImbraceClient, id_: str, old: SchedulerInputs, new: SchedulerInputs
    ) -> dict[str, Any]:
        """Send the full body (the API replaces the scheduler); upload the files only when they changed.

        The current scheduler is read first: a start or one-time type the program leaves to
        the API is sent back unchanged, and so are the uploaded files when they stay.
        """
        with about(new.name, id_):
            current = client.get_scheduler(id_)
            body = update_body(current, old, new)
            if new.files and _files_changed(current, old, new):
                body["job"].pop("files", None)  # the uploads replace them
                client.update_scheduler_with_files(id_, body, uploads(new.files, self.files_root()))
            else:
                client.update_scheduler(id_, body)
            # The docs' answers to an update differ in shape from the record: read it back.
            return computed(client.get_scheduler(id_))

    def delete_remote(self, client: ImbraceClient, id_: str, inputs: SchedulerInputs) -> None:
        """Delete the scheduler (the API drops its files with it)."""
        with about(inputs.name, id_):
            client.delete_scheduler(id_)

    # ---- refresh and import -------------------------------------------------------------------
    def align(
        self, live: tuple[dict[str, Any], dict[str, Any]], reference: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Keep what only the state knows: the files' paths and hashes, once their content is
        verified (same name and size, then the downloaded bytes' hash); leave out the start /
        one-time type the API chose for a program that does not set them; and keep the weekly /
        monthly day the program set when the answer does not print it (docs/api-assumptions.md, I3)."""
        inputs, outputs = dict(live[0]), live[1]
        for field in SERVER_DEFAULTED:
            if reference.get(field) is None:
                inputs.pop(field, None)
        for field in UNDOCUMENTED_IN_ANSWERS:
            # Sent (the official SDK takes them) but in no answer the docs show: a server that
            # does not print them must not make every `up` send them again.
            if inputs.get(field) is None and reference.get(field) is not None:
                inputs[field] = reference[field]
        wanted = [FileRef.model_validate(f) for f in reference.get("files") or []]
        uploaded = outputs.get("uploaded_files") or []
        if len(wanted) == len(uploaded):
            inputs["files"] = [
                want.model_dump(exclude_none=True) if self._holds(up, want) else remote
                for want, up, remote in zip(wanted, uploaded, inputs.get("files", []), strict=True)
            ]
        return inputs, outputs

    def _holds(self, uploaded: Mapping[str, Any], want: FileRef) -> bool:
        """Whether an uploaded file has ``want``'s content (checked by downloading it)."""
        if uploaded.get("name") != want.name or uploaded.get("size") != want.size or not want.sha256:
            return False
        url = uploaded.get("file_url")
        data = self.client().download(url) if isinstance(url, str) else None
        return data is not None and hashlib.sha256(data).hexdigest() == want.sha256


def _start_of(record: SchedulerRecord) -> str | None:
    start = record.start_datetime or record.start_date
    try:
        return iso_utc(start)
    except ValueError:
        return None


def _same_job(record: SchedulerRecord, job: Job) -> bool:
    try:
        return Job.model_validate(job_inputs(record.job)) == job
    except ValidationError:
        return False


def _created_since(record: SchedulerRecord, since: datetime) -> bool:
    try:
        return parse_datetime(record.created_at) >= since
    except ValueError:
        return True  # an API that does not say when cannot rule it out
