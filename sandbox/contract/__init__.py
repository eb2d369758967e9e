"""Strict mode: every request is checked against its API's documented contract before the emulator acts.

- Opsgenie: Opsgenie's own OpenAPI (Swagger 2.0, ``../shared/reference/opsgenie-oas``, or the
  folder named by ``SANDBOX_OPSGENIE_OAS``), validated with bravado-core: the operation must
  exist, every parameter and the body must match (types, enums, required fields, nullability),
  and no query parameter the operation does not declare may be sent.
- iMBRACE and Omni: JSON schemas written from their docs (:mod:`sandbox.contract.imbrace`,
  :mod:`sandbox.contract.omni`), with only the documented fields, types and values.

A request that does not match is answered 400 ``sandbox: request does not match <API>'s
documented contract: <where>: <why>`` and counted in ``/_sandbox/stats`` (``violations``),
so that a test of anything that sends it fails loudly. The emulators behind stay as lenient
or strict as the real services are documented to be: strict mode is the sandbox's own check
of *our* traffic, not an imitation of an answer the APIs give.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sandbox.contract.request import ContractViolation, RequestView

Checker = Callable[[RequestView], None]


@dataclass(frozen=True)
class Contract:
    """One API's request contract: its display name and the check (None: its source is missing)."""

    title: str
    check: Checker | None


def contracts() -> dict[str, Contract]:
    """The contract of each API (built once per sandbox app), from its package (``SandboxApi.contract``)."""
    from sandbox.apis import APIS  # here: the API packages import this module

    return {api.NAME: api.contract() for api in APIS}


__all__ = ["Contract", "ContractViolation", "RequestView", "contracts"]
