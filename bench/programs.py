"""The stack programs the bench deploys, and what each costs at the minimum.

A bench stack's ``__main__.py`` is one line (:data:`PROGRAM`) calling :func:`main`, which reads
``bench:*`` config: ``kind`` (``noop``, ``mixed`` or ``omni``), ``n`` resources, ``gen`` (bumping
it changes every resource: an update), ``apis`` (the APIs a mixed stack spreads over,
round-robin) and ``offset`` (the first resource's index: the stacks of a split estate). The
by-value anchor (:func:`by_value_program`) is the one program written out
as source, because its provider class must live in ``__main__`` to be pickled by value.
"""

from __future__ import annotations

import inspect
import math
import uuid
from collections.abc import Callable, Sequence

import pulumi

from bench.noop import Noop, NoopProvider

APIS = ("opsgenie", "imbrace", "omni")
"""The APIs a mixed stack can spread over."""
PROGRAM = "from bench.programs import main\n\nmain()\n"
"""The ``__main__.py`` of every bench stack but the by-value anchor."""
OMNI_PAGE = 100
"""Omni's largest list page: a refresh of N schedules needs ceil(N / 100) list calls."""
_OMNI_NAMESPACE = uuid.UUID("3f1c9a52-8d0e-4c1b-9a57-6b0f2e7d4c11")


def omni_id(index: int) -> str:
    """The id of the ``index``-th Omni schedule the bench seeds (the program computes the same)."""
    return str(uuid.uuid5(_OMNI_NAMESPACE, f"bench-{index}"))


def spread(n: int, apis: Sequence[str], offset: int = 0) -> dict[str, list[int]]:
    """Which resource indices go to which API in a mixed stack of ``n`` starting at ``offset``
    (round-robin by index, so stacks split at any offset hold the same resources as one stack)."""
    return {api: [i for i in range(offset, offset + n) if i % len(apis) == k] for k, api in enumerate(apis)}


def omni_pages(n: int) -> int:
    """Omni list pages holding ``n`` schedules (none for none)."""
    return math.ceil(n / OMNI_PAGE)


def minimum_calls(api: str, op: str, n: int) -> int:
    """The fewest API calls ``op`` on ``n`` resources of ``api`` (one provider process) can make.

    One call per resource to create, update, read or delete it; a preview needs none. Omni has
    no create and no get-by-id, so its existence and destination checks read the list, at most
    ⌈n/100⌉ pages per process (preview and every write operation); its writes (pause, resume,
    recipients, delete) are one call per action on top, its refresh the pages alone. An
    iMBRACE update is the PUT plus at most one read (the PUT's answer is not the record).
    An Opsgenie refresh stays below this bound: one listing reads every schedule
    (docs/api-assumptions.md, O10); so does an iMBRACE refresh of schedulers without files, ⌈n/100⌉
    list pages per event type (I10); a cell below its minimum is no miss (``bench.goals``).
    """
    if n == 0:
        return 0
    if api == "omni":
        return {"preview": 0, "refresh": 0}.get(op, n) + omni_pages(n)
    if op == "preview":
        return 0
    if api == "imbrace" and op == "update":
        return 2 * n
    return n


# ---- inside the Pulumi program ------------------------------------------------------------------
def _opsgenie(index: int, gen: int) -> None:
    from providers.opsgenie import Schedule

    Schedule(f"og-{index}", name=f"bench-{index}", timezone="Europe/Berlin", description=f"gen {gen}")


def _imbrace(index: int, gen: int) -> None:
    from providers.imbrace import JobArgs, Scheduler, SchedulerArgs

    args = SchedulerArgs(
        name=f"bench-{index}",
        event_type="whatsapp",
        job=JobArgs(type="kafka", topic="ROUTER.OUTGOING_MESSAGE"),
        trigger_frequency_unit="days",
        trigger_frequency_value=1,
        trigger_time="2030-01-01T09:00:00Z",
        start_datetime="2030-01-01T09:00:00Z",
        description=f"gen {gen}",
    )
    Scheduler(f"im-{index}", args)


def _omni(index: int, gen: int) -> None:
    from providers.omni import Schedule, ScheduleArgs

    # The seeded schedules run: generation 0 pauses them (one call each), 1 resumes them.
    args = ScheduleArgs(schedule_id=omni_id(index), paused=gen % 2 == 0, delete_on_destroy=True)
    Schedule(f"om-{index}", args)


def _omni_read_only(index: int, _gen: int) -> None:
    from providers.omni import Schedule, ScheduleArgs

    # Adopted and released untouched: only the list is read (the refresh-of-500 goal).
    Schedule(f"om-{index}", ScheduleArgs(schedule_id=omni_id(index)))


def _noop(index: int, gen: int) -> None:
    Noop(f"noop-{index}", value=f"value {index}, gen {gen}")


_DECLARE: dict[str, Callable[[int, int], None]] = {
    "opsgenie": _opsgenie,
    "imbrace": _imbrace,
    "omni": _omni,
    "noop": _noop,
}


def declare(kind: str, index: int, gen: int) -> None:
    """Declare the ``index``-th resource of ``kind`` (an API or ``noop``) at generation ``gen``."""
    _DECLARE[kind](index, gen)


def main() -> None:
    """Declare the stack's resources from the ``bench:*`` config (runs inside ``pulumi up``)."""
    config = pulumi.Config("bench")
    kind = config.require("kind")
    n = config.require_int("n")
    gen = config.get_int("gen") or 0
    offset = config.get_int("offset") or 0
    if kind == "noop":
        for index in range(n):
            declare("noop", index, gen)
    elif kind == "omni":
        for index in range(n):
            _omni_read_only(index, gen)
    else:
        for api, indices in spread(n, config.require("apis").split(","), offset).items():
            for index in indices:
                declare(api, index, gen)


_BY_VALUE_TEMPLATE = '''"""The by-value anchor: a Noop-like provider in __main__, pickled by value."""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult

{provider}

class Inline(Resource):
    """A dynamic resource served by InlineProvider."""


config = pulumi.Config("bench")
gen = config.get_int("gen") or 0
for index in range(config.require_int("n")):
    Inline(InlineProvider(), f"inline-{{index}}", {{"value": f"value {{index}}, gen {{gen}}"}})
'''


def by_value_program() -> str:
    """The anchor program: :class:`~bench.noop.NoopProvider`'s own source, defined in ``__main__``."""
    provider = inspect.getsource(NoopProvider).replace("class NoopProvider", "class InlineProvider")
    return _BY_VALUE_TEMPLATE.format(provider=provider)
