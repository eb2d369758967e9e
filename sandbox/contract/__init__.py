"""Strict mode: every request is checked against its API's documented contract before the emulator acts.

- Opsgenie: Opsgenie's own OpenAPI (Swagger 2.0, ``../shared/reference/opsgenie-oas``, or the
  folder named by ``SANDBOX_OPSGENIE_OAS``), validated with bravado-core: the operation must
  exist, every parameter and the body must match (types, enums, required fields, nullability),
  and no query parameter the operation does not declare may be sent.
- iMBRACE and Omni: JSON schemas written from their docs (:mod:`sandbox.contract.imbrace`,
  :mod:`sandbox.contract.omni`), with only the documented fields, types and values.

Documented answers first: a request the check refuses is one the docs may still answer (a row of
an error table, Opsgenie's 422 for a body that breaks the schema, a 401). The emulator answers it
on a copy of the store (a dry run), and the API's :attr:`Contract.documented` decides whether that
answer — or one it builds, like Opsgenie's 422 — is the documented one; if so it is sent as the API
would send it, and nothing is counted.

Any other refused request is answered 400 ``sandbox: request does not match <API>'s documented
contract: <where>: <why>`` and counted in ``/_sandbox/stats`` (``violations``), so that a test of
anything that sends it fails loudly: strict mode is the sandbox's own check of *our* traffic, and
never changes what the APIs answer to a request their docs describe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sandbox.contract.asgi import Answer
from sandbox.contract.request import ContractViolation, RequestView

Checker = Callable[[RequestView], None]
Documented = Callable[[RequestView, ContractViolation, Answer], Answer | None]
"""Given a refused request, its violation and the emulator's answer on a dry run: the answer the
docs give that request (the emulator's, or one built from the violation), or None (none do)."""


def undocumented(_request: RequestView, _violation: ContractViolation, _answer: Answer) -> Answer | None:
    """The docs answer no refused request (the default)."""
    return None


@dataclass(frozen=True)
class Contract:
    """One API's request contract: its display name, the check (None: its source is missing) and
    which refused requests the docs still answer."""

    title: str
    check: Checker | None
    documented: Documented = undocumented


__all__ = ["Answer", "Contract", "ContractViolation", "Documented", "RequestView", "undocumented"]
