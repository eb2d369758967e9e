"""Settings and shared state handed to every API router of the sandbox."""

from __future__ import annotations

import os
import random
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field, PrivateAttr

from sandbox.contract import Contract
from sandbox.store import Store


@dataclass(frozen=True)
class Credentials:
    """The credentials the sandbox accepts; each can be overridden by an environment variable."""

    opsgenie_key: str = "sandbox-opsgenie"
    opsgenie_readonly_key: str = "sandbox-opsgenie-readonly"
    imbrace_token: str = "sandbox-imbrace"
    imbrace_org: str = "org_sandbox"
    imbrace_user: str = "u_sandbox"
    omni_token: str = "sandbox-omni"

    @classmethod
    def from_env(cls) -> Credentials:
        """Defaults, overridden by ``SANDBOX_OPSGENIE_KEY`` and the like when set."""
        env = os.environ
        d = cls()
        return cls(
            opsgenie_key=env.get("SANDBOX_OPSGENIE_KEY", d.opsgenie_key),
            opsgenie_readonly_key=env.get("SANDBOX_OPSGENIE_READONLY_KEY", d.opsgenie_readonly_key),
            imbrace_token=env.get("SANDBOX_IMBRACE_TOKEN", d.imbrace_token),
            imbrace_org=env.get("SANDBOX_IMBRACE_ORG", d.imbrace_org),
            imbrace_user=env.get("SANDBOX_IMBRACE_USER", d.imbrace_user),
            omni_token=env.get("SANDBOX_OMNI_TOKEN", d.omni_token),
        )


class FaultConfig(BaseModel):
    """Faults injected into one API's answers (``PUT /_sandbox/faults``)."""

    latency_ms: int = Field(0, ge=0, le=60_000, description="Delay added before every answer.")
    p429: float = Field(0.0, ge=0, le=1, description="Probability of a 429 with Retry-After.")
    p500: float = Field(0.0, ge=0, le=1, description="Probability of a 500.")
    pdrop: float = Field(0.0, ge=0, le=1, description="Probability of closing the connection unanswered.")
    retry_after_s: int = Field(1, ge=0, le=600, description="Value of the Retry-After header on a 429.")
    seed: int | None = Field(None, description="Seed for the fault dice, for repeatable runs.")
    methods: list[str] | None = Field(None, description="Only requests with these methods (default: all).")
    path_regex: str | None = Field(None, description="Only requests whose path matches (re.search).")
    drop_after_processing: bool = Field(
        False, description="A drop lets the API act first, then closes the connection unanswered."
    )
    pdrop_after: float = Field(
        0.0, ge=0, le=1, description="Probability of letting the API act, then closing the connection."
    )
    pdelay: float = Field(0.0, ge=0, le=1, description="Probability of delaying an answer by delay_ms.")
    delay_ms: int = Field(2000, ge=0, le=60_000, description="How long a delayed answer (pdelay) waits.")
    delay_after_processing: bool = Field(
        False, description="A delay lets the API act first, then holds back its answer."
    )
    remaining: int | None = Field(
        None, ge=0, description="Inject this many faults, then stop (default: no limit)."
    )

    _dice: random.Random | None = PrivateAttr(None)

    def roll(self) -> float:
        """The next number in [0, 1) of this configuration's dice (seeded: the same run repeats)."""
        if self._dice is None:
            self._dice = random.Random(self.seed)
        return self._dice.random()

    def pick(self, roll: float) -> str | None:
        """The fault a roll in [0, 1) picks: the probabilities are consecutive slices (None: no fault)."""
        slices = (
            ("drop-after" if self.drop_after_processing else "drop", self.pdrop),
            ("429", self.p429),
            ("500", self.p500),
            ("drop-after", self.pdrop_after),
            ("delay-after" if self.delay_after_processing else "delay", self.pdelay),
        )
        edge = 0.0
        for kind, probability in slices:
            edge += probability
            if roll < edge:
                return kind
        return None

    def applies_to(self, method: str, path: str) -> bool:
        """Whether this request is one the faults are aimed at."""
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.methods and method.upper() not in {m.upper() for m in self.methods}:
            return False
        return not self.path_regex or re.search(self.path_regex, path) is not None


class QuotaConfig(BaseModel):
    """A request quota of one API (``PUT /_sandbox/quotas``): past it, 429 as the API documents it."""

    requests: int | None = Field(None, ge=1, description="Requests allowed per period (None: no quota).")
    period_s: float = Field(60.0, gt=0, le=3600, description="The period's length in seconds.")


C = TypeVar("C", bound=BaseModel)


def _unset() -> Any:
    # Validated into the field's model (validate_default): the model's defaults.
    return {}


class PerApi(BaseModel, Generic[C]):
    """One settings model per API (its ``NAME``); an API left out gets the model's defaults."""

    opsgenie: C = Field(default_factory=_unset, validate_default=True)
    imbrace: C = Field(default_factory=_unset, validate_default=True)
    omni: C = Field(default_factory=_unset, validate_default=True)


class Quotas(PerApi[QuotaConfig]):
    """Per-API quotas; an API left out has none. Windows are fixed: each opens on its first request."""


@dataclass
class QuotaWindows:
    """The current window of each API's quota: its start and the requests it admitted; thread-safe."""

    windows: dict[str, tuple[float, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, api: str, quota: QuotaConfig, now: float) -> bool:
        """Count one request against ``api``'s quota; False when the window is full (answer 429)."""
        if quota.requests is None:
            return True
        with self._lock:
            start, count = self.windows.get(api, (now, 0))
            if now >= start + quota.period_s:
                start, count = now, 0
            if count >= quota.requests:
                self.windows[api] = (start, count)
                return False
            self.windows[api] = (start, count + 1)
            return True

    def reset(self) -> None:
        """Forget every window."""
        with self._lock:
            self.windows.clear()


class AnswerMode(BaseModel):
    """``PUT /_sandbox/answers``: how much the answers say."""

    documented_fields_only: bool = Field(
        False, description="Leave out every answer field the docs don't show (iMBRACE: the SDK's day fields)."
    )


class Faults(PerApi[FaultConfig]):
    """Per-API fault settings; an API left out has none."""


@dataclass
class Stats:
    """Request counters served by ``GET /_sandbox/stats``; thread-safe."""

    requests: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    connections: int = 0
    violations: list[str] = field(default_factory=list)
    """Every request strict mode refused since the server started (never reset: a suite asserts none)."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def count_request(self, api: str, method: str, route: str) -> None:
        """Count one answered request under ``"<api> <METHOD> <route template>"``."""
        with self._lock:
            self.requests[f"{api} {method} {route}"] += 1

    def count_fault(self, api: str, kind: str) -> None:
        """Count one injected fault."""
        with self._lock:
            self.faults[f"{api} {kind}"] += 1

    def count_violation(self, message: str) -> None:
        """Record one request strict mode refused."""
        with self._lock:
            self.violations.append(message)

    def count_connection(self) -> None:
        """Count one TCP connection opened by a client."""
        with self._lock:
            self.connections += 1

    def reset(self) -> None:
        """Zero every counter."""
        with self._lock:
            self.requests.clear()
            self.faults.clear()
            self.connections = 0


@dataclass
class SandboxContext:
    """Everything a router needs: the store, accepted credentials, faults and counters."""

    store: Store
    credentials: Credentials
    faults: Faults = field(default_factory=Faults)
    stats: Stats = field(default_factory=Stats)
    quotas: Quotas = field(default_factory=Quotas)
    windows: QuotaWindows = field(default_factory=QuotaWindows)
    strict: bool = True
    """Check every request against its API's documented contract (sandbox.contract)."""
    documented_answers_only: bool = False
    """Answers carry only the fields the docs show (``PUT /_sandbox/answers``)."""
    contracts: dict[str, Contract] = field(default_factory=dict)
    root_api: str | None = None
    """The NAME of the API also served at ``/`` (``python -m sandbox --root-api``), if any."""
