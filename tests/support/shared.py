"""The shared material beside the repository (``../shared``: API docs, Opsgenie's OAS)."""

from __future__ import annotations

import os

import pytest

from harness import REPO

SHARED = REPO.parent / "shared"


def shared_missing(reason: str) -> None:
    """A test needs ../shared, which is absent: it fails under ``CI=true``, else it is skipped."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)
