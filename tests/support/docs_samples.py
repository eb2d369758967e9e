"""Every JSON sample of ../shared/api-docs/*.txt, found programmatically (no hand copies).

A sample is a balanced ``{…}`` block that holds a quoted key; path placeholders such as
``{organization_id}`` are not samples. Each is classified by the text before it in the doc:

- ``request``: after ``Body:``, ``Payload Structure:``, ``--data``, ``--form`` or ``-d``;
- ``fragment``: after "field example:" (a piece of a request body, e.g. ``ownerTeam``);
- ``response``: after ``Result``, ``Response``, ``Status code`` or a status line.

and given the operation it documents (the nearest endpoint or ``curl`` line before it) and, for
a response, its status. Samples with small syntax slips (a trailing comma, a missing comma
between two objects) are repaired and marked so; the ones that cannot be read stay unparsed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.shared import SHARED

DOCS = SHARED / "api-docs"

_REQUEST_MARKERS = (
    "Body:",
    "Payload Structure:",
    "--data",
    "--form",
    "-d '",
    "Sample Requests",
    "Sample Request",
)
_FRAGMENT_MARKERS = ("field example",)
_RESPONSE_MARKERS = (
    "Result",
    "Response",
    "Status code",
    "similar to the following",
    " Bad Request",
    " Not Found",
)
_STATUS = re.compile(
    r"(?:Status code: )?\b([1-5]\d\d)\b (?:OK|Created|Bad Request|Unauthorized|Not Found|Too Many|Internal)"
)
_ENDPOINTS = (
    re.compile(r"curl -X (GET|POST|PUT|PATCH|DELETE)\s+'https://api\.opsgenie\.com(/[^'\s]*)'"),
    re.compile(r"\b(GET|POST|PUT|DELETE) https://app-gateway\.imbrace\.co(/\S+?)(?= -|\s|$)"),
    re.compile(r"^(GET|POST|PUT|DELETE) (/api/\S+)$", re.MULTILINE),
)


@dataclass(frozen=True)
class Sample:
    """One JSON sample of a doc."""

    doc: str
    line: int
    kind: str
    """``request``, ``fragment`` or ``response``."""
    method: str
    path: str
    status: int | None
    text: str
    value: Any
    repaired: bool
    escaped: bool
    """The sample sits inside a shell string with ``\\"`` escapes (a ``curl --form`` payload)."""

    @property
    def api(self) -> str:
        """``opsgenie``, ``imbrace`` or ``omni``."""
        return self.doc.split("-", 1)[0]

    @property
    def parsed(self) -> bool:
        """Whether the sample could be read as JSON (perhaps after a repair)."""
        return self.value is not None

    @property
    def name(self) -> str:
        """``<doc>:<line>`` — how the register names a sample."""
        return f"{self.doc}:{self.line}"


def _blocks(text: str) -> list[tuple[int, str]]:
    """Top-level balanced ``{…}`` blocks (braces inside strings do not count).

    A block inside a shell string (``--form 'payload="{ \\"type\\": …}"'``) quotes with ``\\"``.
    """
    found: list[tuple[int, str]] = []
    start = text.find("{")
    while start >= 0:
        first_quote = text.find('"', start)
        shell = first_quote > 0 and text[first_quote - 1] == "\\"
        depth, in_string, end = 0, False, start
        while end < len(text):
            char = text[end]
            # A quote counts when it is escaped exactly in a shell string (else it is escaped JSON).
            if char == '"' and (text[end - 1] == "\\") == shell:
                in_string = not in_string
            elif not in_string and char == "{":
                depth += 1
            elif not in_string and char == "}":
                depth -= 1
                if depth == 0:
                    break
            end += 1
        found.append((start, text[start : end + 1]))
        start = text.find("{", end + 1)
    return found


def _read(text: str) -> tuple[Any, bool]:
    """The JSON value, and whether a repair was needed; ``(None, False)`` when it cannot be read."""
    try:
        return json.loads(text), False
    except ValueError:
        pass
    repaired = re.sub(r",(\s*[}\]])", r"\1", text)  # trailing commas
    repaired = re.sub(r"}(\s*){", r"},\1{", repaired)  # a missing comma between two objects
    try:
        return json.loads(repaired), True
    except ValueError:
        return None, False


def _last(text: str, markers: tuple[str, ...]) -> int:
    return max(text.rfind(m) for m in markers)


def extract(path: Path) -> list[Sample]:
    """The samples of one doc."""
    text = path.read_text()
    samples = []
    for start, block in _blocks(text):
        if '"' not in block:
            continue  # a path placeholder such as {organization_id}
        before = text[:start]
        escaped = '\\"' in block
        value, repaired = _read(block.replace('\\"', '"') if escaped else block)
        marks = {
            "request": _last(before, _REQUEST_MARKERS),
            "fragment": _last(before, _FRAGMENT_MARKERS),
            "response": _last(before, _RESPONSE_MARKERS),
        }
        kind = max(marks, key=lambda k: marks[k])
        method, where = "", ""
        for pattern in _ENDPOINTS:
            hits = list(pattern.finditer(before))
            if hits:
                method, where = hits[-1].group(1), hits[-1].group(2)
        statuses = list(_STATUS.finditer(before[marks["response"] - 40 :])) if kind == "response" else []
        status = int(statuses[-1].group(1)) if statuses else (200 if kind == "response" else None)
        samples.append(
            Sample(
                doc=path.stem,
                line=text.count("\n", 0, start) + 1,
                kind=kind,
                method=method,
                path=where.split("?", 1)[0],
                status=status,
                text=block,
                value=value,
                repaired=repaired,
                escaped=escaped,
            )
        )
    return samples


def all_samples() -> list[Sample]:
    """The samples of every doc, in doc and line order."""
    return [s for path in sorted(DOCS.glob("*.txt")) for s in extract(path)]
