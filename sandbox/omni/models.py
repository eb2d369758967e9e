"""The records the Omni emulator stores, its list answer, and the admin seeding bodies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SCHEDULE_KIND = "omni.schedule"
USER_KIND = "omni.user"
# Destinations whose recipients are counted; the others print recipientCount -1
# (the docs' webhook schedule does).
COUNTED_DESTINATIONS = ("email", "slack")


class Recipient(BaseModel):
    """One recipient of a schedule: an email address, with the Omni user it belongs to if any."""

    email: str
    userId: str | None = None


class OmniUser(BaseModel):
    """An Omni user (membership) whose id can be a recipient's ``userIds`` entry or an ``ownerId``."""

    id: str
    name: str
    email: str


class Schedule(BaseModel):
    """One schedule as stored: the list's fields plus what the list does not show."""

    id: str
    schedule: str = "00 09 ? * 2,3,4,5,6 *"
    disabledAt: str | None = None
    name: str = "Sandbox schedule"
    timezone: str = "UTC"
    identifier: str = "5a4db0c1"
    dashboardName: str = "Sandbox dashboard"
    ownerName: str | None = None
    lastCompletedAt: str | None = None
    lastStatus: str | None = None
    destinationType: str = "email"
    content: str = "dashboard"
    slackRecipientType: str | None = None
    systemDisabledAt: str | None = None
    systemDisabledReason: str | None = None
    alert: Any = None
    # Not printed by the list (the docs' records have none of these).
    ownerId: str | None = None
    embedEntity: str | None = None
    recipients: list[Recipient] = Field(default_factory=list)
    # Sandbox bookkeeping: proof that triggers ran, and a dispatcher failure to simulate.
    triggerCount: int = 0
    lastTriggeredAt: str | None = None
    dispatchError: str | None = None

    @property
    def recipient_count(self) -> int:
        """``recipientCount``: the number of recipients, -1 for a destination without a list."""
        return len(self.recipients) if self.destinationType in COUNTED_DESTINATIONS else -1

    def to_list_record(self) -> dict[str, Any]:
        """The record as ``GET /api/v1/schedules`` prints it: the docs' 17 fields, in their order."""
        return {
            "id": self.id,
            "schedule": self.schedule,
            "disabledAt": self.disabledAt,
            "name": self.name,
            "timezone": self.timezone,
            "identifier": self.identifier,
            "dashboardName": self.dashboardName,
            "ownerName": self.ownerName,
            "lastCompletedAt": self.lastCompletedAt,
            "lastStatus": self.lastStatus,
            "destinationType": self.destinationType,
            "recipientCount": self.recipient_count,
            "content": self.content,
            "slackRecipientType": self.slackRecipientType,
            "systemDisabledAt": self.systemDisabledAt,
            "systemDisabledReason": self.systemDisabledReason,
            "alert": self.alert,
        }

    def to_admin(self) -> dict[str, Any]:
        """Everything stored, plus ``recipientCount`` (``GET /_sandbox/omni/schedules/{id}``)."""
        return {**self.to_list_record(), **self.model_dump()}


class ScheduleSeed(BaseModel):
    """Body of ``POST /_sandbox/omni/schedules`` and ``PATCH …/{id}``: any stored field.

    ``recipients`` are emails or ``{"email", "userId"}`` objects; without them, a
    ``recipientCount`` creates that many placeholder email recipients.
    """

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    schedule: str | None = None
    disabledAt: str | None = None
    name: str | None = None
    timezone: str | None = None
    identifier: str | None = None
    dashboardName: str | None = None
    ownerName: str | None = None
    ownerId: str | None = None
    lastCompletedAt: str | None = None
    lastStatus: str | None = None
    destinationType: str | None = None
    recipientCount: int | None = None
    content: str | None = None
    slackRecipientType: str | None = None
    systemDisabledAt: str | None = None
    systemDisabledReason: str | None = None
    alert: Any = None
    embedEntity: str | None = None
    recipients: list[str | Recipient] | None = None
    dispatchError: str | None = None


class UserSeed(BaseModel):
    """Body of ``POST /_sandbox/omni/users`` (``id`` generated when absent)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    name: str
    email: str


class PageInfo(BaseModel):
    """Cursor pagination of the list: ``nextCursor`` is the next page number, as a string."""

    hasNextPage: bool
    nextCursor: str | None
    pageSize: int
    totalRecords: int


class ScheduleList(BaseModel):
    """The answer of ``GET /api/v1/schedules``."""

    pageInfo: PageInfo
    records: list[dict[str, Any]]
