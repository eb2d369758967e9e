"""Multipart bodies of the "…with Files" calls, the stored uploads, and the public file URLs."""

from __future__ import annotations

import json
import mimetypes
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.responses import Response

from sandbox.common import ApiError, to_iso
from sandbox.deps import StoreDep
from sandbox.imbrace.errors import error_response
from sandbox.imbrace.models import FILE_KIND, StoredFile
from sandbox.store import Tx

_OCTET_STREAM = "application/octet-stream"
# Starlette caps a non-file multipart field at 1 MiB by default; a payload may be bigger.
_MAX_PAYLOAD = 16 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """One uploaded ``files`` part, read into memory."""

    name: str
    content_type: str
    data: bytes


async def read_multipart(request: Request) -> tuple[dict[str, Any], list[Upload]]:
    """The ``payload`` (a JSON object) and the ``files`` parts of a multipart request.

    400 ``payload is required`` when the field is missing or blank (also for a body that
    is not multipart at all), 400 ``Invalid JSON in payload`` when it does not parse as a
    JSON object.
    """
    try:
        async with request.form(max_part_size=_MAX_PAYLOAD) as form:
            raw = form.get("payload")
            if isinstance(raw, UploadFile):  # `curl -F payload=@file.json` sends a file part
                raw = (await raw.read()).decode("utf-8", errors="replace")
            uploads = [
                Upload(
                    name=PurePosixPath(part.filename.replace("\\", "/")).name,
                    content_type=part.content_type or "",
                    data=await part.read(),
                )
                for part in form.getlist("files")
                if isinstance(part, UploadFile) and part.filename
            ]
    except (HTTPException, MultiPartException) as exc:  # malformed multipart: no usable payload
        raise ApiError(400, "payload is required") from exc
    if not isinstance(raw, str) or not raw.strip():
        raise ApiError(400, "payload is required")
    try:
        payload = json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, "Invalid JSON in payload") from exc
    if not isinstance(payload, dict):
        raise ApiError(400, "Invalid JSON in payload")
    return payload, uploads


def _content_type(upload: Upload) -> str:
    declared = upload.content_type.split(";")[0].strip().lower()
    if declared and declared != _OCTET_STREAM:
        return declared
    return mimetypes.guess_type(upload.name)[0] or _OCTET_STREAM


def _extension(content_type: str, name: str) -> str:
    # The docs print "jpeg" for iphone13.jpg sent as image/jpeg: the API takes the
    # extension from the MIME subtype, and only an untyped file falls back to its name.
    if content_type != _OCTET_STREAM:
        return content_type.split("/", 1)[-1]
    return PurePosixPath(name).suffix.lstrip(".").lower()


def store_uploads(
    tx: Tx, uploads: list[Upload], scheduler_id: str, organization_id: str, now: datetime
) -> list[StoredFile]:
    """Keep each upload's bytes as a blob and its metadata as a document; return the metadata."""
    stamp = int(now.timestamp() * 1000)
    stored: list[StoredFile] = []
    for index, upload in enumerate(uploads):
        content_type = _content_type(upload)
        record = StoredFile(
            file_id=str(uuid.uuid4()),
            scheduler_id=scheduler_id,
            organization_id=organization_id,
            name=upload.name,
            file_type=content_type,
            file_extension=_extension(content_type, upload.name),
            size=len(upload.data),
            # The S3 key layout the docs show: <org>/<epoch ms>/<name>, one ms apart.
            file_path=f"{organization_id}/{stamp + index}/{upload.name}",
            short_path=secrets.token_hex(3),
            created_at=to_iso(now),
        )
        tx.put_blob(record.file_id, upload.data, content_type)
        tx.put(FILE_KIND, record.file_id, record.model_dump())
        stored.append(record)
    return stored


def delete_files(tx: Tx, scheduler_id: str) -> None:
    """Forget every file uploaded for a scheduler (its bytes too)."""
    for doc in tx.list(FILE_KIND):
        if doc["scheduler_id"] == scheduler_id:
            tx.delete(FILE_KIND, doc["file_id"])
            tx.delete_blob(doc["file_id"])


def get_file(tx: Tx, scheduler_id: str, file_id: str) -> StoredFile | None:
    """The metadata of a scheduler's file, or None."""
    doc = tx.get(FILE_KIND, file_id)
    if doc is None or doc["scheduler_id"] != scheduler_id:
        return None
    return StoredFile.model_validate(doc)


# ``GET /files/{file_id}/{name}``: the bytes behind a ``file_url``, with no auth (a public S3 URL),
# hence no iMBRACE route class.
router = APIRouter()


@router.get("/files/{file_id}/{name:path}")
def download(file_id: str, name: str, store: StoreDep) -> Response:
    """Serve an uploaded file with the content type it was uploaded with."""
    with store.tx() as tx:
        doc = tx.get(FILE_KIND, file_id)
        blob = tx.get_blob(file_id)
    if doc is None or blob is None or doc["name"] != name:
        return error_response(404, "File not found")
    data, content_type = blob
    return Response(content=data, media_type=content_type)
