"""Concurrent clients of the sandbox's three APIs that count every write they get acknowledged.

Each client mixes reads and writes; every write carries a unique key (an Opsgenie schedule
name, an iMBRACE scheduler's event type, an Omni recipient's email) so that afterwards the
sandbox's data can be checked write by write: acknowledged ones stored exactly once.

A client retries across a sandbox restart as the providers do: a request that got no answer is
sent again when it is idempotent; a create is first looked up by its key and only sent again
when the lost attempt made nothing. Retries are bounded in count and time.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from tests.support.imbrace import BASE as SCHEDULERS
from tests.support.imbrace import HEADERS as IMBRACE_HEADERS
from tests.support.omni import HEADERS as OMNI_HEADERS
from tests.support.opsgenie import HEADERS as OPSGENIE_HEADERS

APIS = ("opsgenie", "imbrace", "omni")
RETRY_FOR = 60.0  # seconds a request keeps retrying while the sandbox is away
# No answer, or one cut off: the crash can land before, during or after the answer is written.
NO_ANSWER = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


@dataclass
class Tally:
    """What all clients saw (thread-safe)."""

    statuses: Counter[int] = field(default_factory=Counter)
    retries: int = 0
    acked: dict[str, set[str]] = field(
        default_factory=lambda: {"opsgenie": set(), "imbrace": set(), "omni": set()}
    )
    found_after_loss: int = 0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def status(self, code: int) -> None:
        """Count one answer."""
        with self.lock:
            self.statuses[code] += 1

    def ack(self, api: str, key: str, *, found: bool = False) -> None:
        """Record an acknowledged write (``found``: its answer was lost, a look-up found it)."""
        with self.lock:
            self.acked[api].add(key)
            self.found_after_loss += found

    @property
    def requests(self) -> int:
        """Requests done: answered, or found made after their answer was lost."""
        return sum(self.statuses.values()) + self.found_after_loss


class LoadClient:
    """One client: its own keep-alive session, ``count`` requests over the three APIs."""

    def __init__(self, url: str, number: int, count: int, tally: Tally, schedules: list[str]) -> None:
        self.url, self.number, self.count, self.tally = url, number, count, tally
        self.schedules = schedules  # the Omni schedules to add recipients to
        self.http = requests.Session()
        self.dice = random.Random(number)
        self.made: list[str] = []  # Opsgenie names this client made (read back later)

    def run(self) -> None:
        """Send the requests: 50% writes (creates and recipient adds), 50% reads."""
        actions = [self.create_schedule, self.create_scheduler, self.add_recipient] + [self.read] * 3
        try:
            for i in range(self.count):
                self.dice.choice(actions)(f"load-{self.number:02d}-{i:03d}")
        except Exception as exc:  # recorded for the test to report: a thread cannot fail it
            with self.tally.lock:
                self.tally.failures.append(f"client {self.number}: {type(exc).__name__}: {exc}")
        finally:
            self.http.close()

    # ---- one request, retried across a restart -------------------------------------------------
    def send(
        self, method: str, path: str, lost: Callable[[], bool | None] | None = None, **kw: Any
    ) -> requests.Response:
        """Send until answered. After an unanswered create, ``lost()`` says whether the lost attempt
        made the object (None: no answer yet); it is sent again only when it did not."""
        deadline = time.monotonic() + RETRY_FOR
        while True:
            try:
                resp = self.http.request(method, self.url + path, timeout=30, **kw)
            except NO_ANSWER:
                with self.tally.lock:
                    self.tally.retries += 1
                if lost is not None and self.settle(lost, deadline):
                    return requests.Response()  # status_code None: made by the lost attempt
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
                continue
            self.tally.status(resp.status_code)
            return resp

    @staticmethod
    def settle(lost: Callable[[], bool | None], deadline: float) -> bool:
        """Ask ``lost()`` until it knows (the sandbox may be restarting)."""
        while (made := lost()) is None:
            if time.monotonic() > deadline:
                raise TimeoutError("the sandbox did not come back")
            time.sleep(0.2)
        return made

    # ---- writes ----------------------------------------------------------------------------------
    def create_schedule(self, key: str) -> None:
        """Opsgenie: POST a schedule named ``key`` (names are unique: the look-up is by name)."""

        def lost() -> bool | None:
            return self.opsgenie_exists(key)

        resp = self.send("POST", "/opsgenie/v2/schedules", lost, headers=OPSGENIE_HEADERS, json={"name": key})
        self.acknowledge("opsgenie", key, resp, (201,))
        self.made.append(key)

    def create_scheduler(self, key: str) -> None:
        """iMBRACE: POST a scheduler whose event type is ``key`` (the list filters on it)."""
        body = {
            "name": key,
            "event_type": key,
            "job": {"type": "kafka", "topic": "LOAD"},
            "trigger_frequency_unit": "days",
            "trigger_frequency_value": 1,
        }

        def lost() -> bool | None:
            count = self.imbrace_count(key)
            return None if count is None else count > 0

        resp = self.send("POST", SCHEDULERS, lost, headers=IMBRACE_HEADERS, json=body)
        self.acknowledge("imbrace", key, resp, (200, 201))

    def add_recipient(self, key: str) -> None:
        """Omni: PUT add-recipients of ``<key>@load.example`` (idempotent: simply sent again)."""
        schedule = self.dice.choice(self.schedules)
        path = f"/omni/api/v1/schedules/{schedule}/add-recipients"
        resp = self.send("PUT", path, headers=OMNI_HEADERS, json={"emails": [f"{key}@load.example"]})
        self.acknowledge("omni", f"{key}@load.example", resp, (200,))

    def acknowledge(self, api: str, key: str, resp: requests.Response, ok: tuple[int, ...]) -> None:
        """Record the write when the API acknowledged it (or a look-up found it after a loss)."""
        if resp.status_code in ok or resp.status_code is None:
            self.tally.ack(api, key, found=resp.status_code is None)

    # ---- reads -----------------------------------------------------------------------------------
    def read(self, key: str) -> None:
        """One read of one of the three APIs."""
        what = self.dice.randrange(3)
        if what == 0 and self.made:
            name = self.dice.choice(self.made)
            self.send("GET", f"/opsgenie/v2/schedules/{name}?identifierType=name", headers=OPSGENIE_HEADERS)
        elif what == 1:
            self.send("GET", SCHEDULERS + "?limit=5&event_type=whatsapp", headers=IMBRACE_HEADERS)
        else:
            self.send("GET", "/omni/api/v1/schedules?pageSize=10", headers=OMNI_HEADERS)

    def opsgenie_exists(self, name: str) -> bool | None:
        """Whether a schedule of that name exists (None while the sandbox is away)."""
        path = f"/opsgenie/v2/schedules/{name}?identifierType=name"
        resp = self.probe(path, OPSGENIE_HEADERS)
        return None if resp is None else resp.status_code == 200

    def imbrace_count(self, event_type: str) -> int | None:
        """How many schedulers have that event type (None while the sandbox is away)."""
        resp = self.probe(f"{SCHEDULERS}?limit=1&event_type={event_type}", IMBRACE_HEADERS)
        return None if resp is None else int(resp.json()["total"])

    def probe(self, path: str, headers: dict[str, str]) -> requests.Response | None:
        """A look-up's answer (None when the sandbox does not answer)."""
        try:
            resp = self.http.get(self.url + path, headers=headers, timeout=30)
        except NO_ANSWER:
            return None
        return resp if resp.status_code in (200, 404) else None
