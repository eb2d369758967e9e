"""When an iMBRACE scheduler fires, computed from its definition (no API call).

INTERFACE STUB (being implemented on branch ``time-jobs``): the contract that the policies,
``python -m stacks impact`` and ``stacks calendar`` code against.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any


class FiringError(ValueError):
    """A definition whose firings cannot be computed; ``field`` names the input."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def next_firings(
    scheduler: Mapping[str, Any], start: datetime, end: datetime, *, limit: int = 10_000
) -> list[datetime]:
    """The firings (aware, UTC) of a ``Scheduler`` resource's inputs in ``[start, end)``, at most
    ``limit``; a paused scheduler fires never, a one-time one at most once."""
    raise NotImplementedError("providers.imbrace.firings.next_firings: see branch time-jobs")
