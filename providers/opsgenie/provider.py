"""The bases of the Opsgenie providers: the API's settings, and the schedule's children (a rotation
or an override, whose id is ``<schedule id>/<key>``); what the request bodies and references look
like is in ``providers.opsgenie.mapping``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import pulumi
from pydantic import BaseModel

from providers._base import Live, ProviderBase
from providers._http import ApiError
from providers.opsgenie.client import API, OpsgenieClient
from providers.opsgenie.mapping import body, split_id
from providers.opsgenie.settings import OpsgenieSettings

InputsT = TypeVar("InputsT", bound=BaseModel)


def read_back(
    what: str, id_: str, read: Callable[[], dict[str, Any]], blank: dict[str, Any]
) -> dict[str, Any]:
    """The outputs of an object just created, read back with ``read``; ``blank`` when that fails.

    The create reached the API, so its id must reach the state whatever fails after it (a
    throttled or lost GET): losing it would leave an object no state knows, and the next
    ``up`` would create it again. The outputs are then filled in by ``pulumi refresh``.
    """
    try:
        return read()
    except ApiError as exc:
        pulumi.log.warn(
            f"opsgenie: {what} {id_} was created, but reading it back failed ({exc}); "
            "its computed outputs are empty until `pulumi refresh`"
        )
        return blank


class OpsgenieProvider(ProviderBase[InputsT, OpsgenieClient]):
    """The base of the Opsgenie providers: ``opsgenie:apiKey``, ``apiUrl``, ``region`` (settings.py)."""

    api = API
    settings_type = OpsgenieSettings


class ScheduleChildProvider(OpsgenieProvider[InputsT]):
    """A rotation or override: its id is ``<schedule id>/<key>`` (the rotation id or the alias)."""

    key_name: ClassVar[str]

    def fetch(self, client: OpsgenieClient, schedule_id: str, key: str) -> Live:
        """The live ``(inputs, outputs)`` (a 404 raises ``NotFoundError``)."""
        raise NotImplementedError

    def read_remote(self, client: OpsgenieClient, id_: str) -> Live | None:
        """The live object (a 404, it or its schedule gone, is read as gone by the base)."""
        return self.fetch(client, *split_id(id_, self.key_name))

    blank_outputs: ClassVar[dict[str, Any]]
    """The outputs of an object just made whose read-back failed (see :func:`read_back`)."""

    def create_child(self, client: OpsgenieClient, schedule_id: str, body: dict[str, Any]) -> str:
        """``POST`` the object under its schedule; its key (the rotation id or the alias)."""
        raise NotImplementedError

    def create_remote(self, client: OpsgenieClient, inputs: InputsT) -> tuple[str, dict[str, Any]]:
        """Create the object under its schedule, then read its outputs (:meth:`made`)."""
        schedule_id: str = inputs.schedule_id  # type: ignore[attr-defined]  # both children's inputs have it
        key = self.create_child(client, schedule_id, body(inputs, "schedule_id"))
        return self.made(client, schedule_id, key)

    def made(self, client: OpsgenieClient, schedule_id: str, key: str) -> tuple[str, dict[str, Any]]:
        """Id and outputs of an object just made (a GET: the create answers hold no resolved ids)."""
        id_ = f"{schedule_id}/{key}"
        blank = {**self.blank_outputs, **({"rotation_id": key} if "rotation_id" in self.output_keys else {})}
        return id_, read_back(self.key_name, id_, lambda: self.fetch(client, schedule_id, key)[1], blank)
