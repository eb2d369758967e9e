"""Omni starting data: the six schedules of the docs' list example and the users behind them."""

from __future__ import annotations

from typing import Any

from sandbox.context import Credentials
from sandbox.omni.models import SCHEDULE_KIND, USER_KIND, OmniUser, Recipient, Schedule
from sandbox.store import Tx

BLOBBY_HILL = OmniUser(
    id="3e7c4152-cdac-42ce-8749-fe3b81d5d8ab", name="Blobby Hill", email="blobby@blobsrus.com"
)
BLOB_ROSS = OmniUser(
    id="987fcdeb-51a2-43d7-9b56-254415f67890", name="Blob Ross", email="blob.ross@blobsrus.com"
)
# Ids from the docs' own examples (the recipients list and the add-recipients curl),
# so those examples work as printed; the last user is a member on no schedule.
USERS = (
    BLOBBY_HILL,
    BLOB_ROSS,
    OmniUser(id="abcdef12-3456-7890-abcd-ef1234567890", name="Blob Marley", email="blob.marley@blobsrus.com"),
    OmniUser(id="c0ffee00-1234-4abc-8def-0123456789ab", name="Blobette Jones", email="blobette@blobsrus.com"),
)


def _user(user: OmniUser) -> Recipient:
    return Recipient(email=user.email, userId=user.id)


def _email(address: str) -> Recipient:
    return Recipient(email=address)


_COMMON: dict[str, Any] = {
    "schedule": "00 09 ? * 2,3,4,5,6 *",
    "timezone": "America/New_York",
    "content": "dashboard",
}

SCHEDULES = (
    Schedule(
        **{**_COMMON, "timezone": "America/Los_Angeles"},
        id="60d386ca-6f48-4143-9bfc-fd7a6f942c2c",
        disabledAt="2024-03-01T15:32:20.996Z",
        name="Web Traffic Analysis",
        identifier="1169b547",
        dashboardName="Web Traffic Analysis",
        ownerId=BLOB_ROSS.id,
        ownerName=BLOB_ROSS.name,
        lastCompletedAt="2024-02-29T17:00:56.107Z",
        lastStatus="COMPLETE",
        destinationType="email",
        recipients=[
            _user(BLOB_ROSS),
            _user(BLOBBY_HILL),
            _email("analytics@blobsrus.com"),
            _email("marketing@blobsrus.com"),
            _email("web-team@blobsrus.com"),
        ],
    ),
    Schedule(
        **{**_COMMON, "content": "single tile"},
        id="f68aba72-b558-4012-a381-bb74954dd025",
        name="⚡️🍣 Query",
        identifier="eadde573",
        dashboardName="Blob R Us Sales",
        ownerId=BLOBBY_HILL.id,
        ownerName=BLOBBY_HILL.name,
        lastCompletedAt="2025-05-19T13:00:35.457Z",
        lastStatus="ERROR_DELIVERED",
        destinationType="email",
        recipients=[_user(BLOBBY_HILL)],
    ),
    Schedule(
        **_COMMON,
        id="2af41989-1bed-4c65-a602-927f71205a32",
        name="Orders (2)",
        identifier="12db1a0a",
        dashboardName="Orders",
        ownerId=BLOBBY_HILL.id,
        ownerName=BLOBBY_HILL.name,
        lastCompletedAt="2025-05-19T13:00:27.517Z",
        lastStatus="COMPLETE",
        destinationType="webhook",
    ),
    Schedule(
        **_COMMON,
        id="61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc",
        name="Orders",
        identifier="12db1a0a",
        dashboardName="Orders",
        ownerId=BLOB_ROSS.id,
        ownerName=BLOB_ROSS.name,
        lastCompletedAt="2025-05-19T13:00:25.376Z",
        lastStatus="COMPLETE",
        destinationType="email",
        recipients=[_user(BLOB_ROSS)],
    ),
    Schedule(
        **_COMMON,
        id="3db84f26-db0f-451d-846e-0f7148ae5a7d",
        disabledAt="2024-12-31T17:23:45.063Z",
        name="External users",
        identifier="0958c2d8",
        dashboardName="Sales Data by Quarter",
        ownerId=BLOBBY_HILL.id,
        ownerName=BLOBBY_HILL.name,
        lastCompletedAt="2024-12-31T14:00:51.558Z",
        lastStatus="COMPLETE",
        destinationType="email",
        recipients=[_email("partner@external-blobs.com")],
    ),
    Schedule(
        **_COMMON,
        id="8cc895ec-a2af-493f-a4e4-08c3017fa42d",
        disabledAt="2024-11-21T21:52:16.059Z",
        name="Daily Slack update",
        identifier="0958c2d8",
        dashboardName="Sales Data by Quarter",
        ownerId=BLOBBY_HILL.id,
        ownerName=BLOBBY_HILL.name,
        destinationType="slack",
        slackRecipientType="users",
        recipients=[_user(BLOBBY_HILL)],
    ),
)


def seed(tx: Tx, credentials: Credentials) -> None:
    """Store the users and the docs' six schedules (recipient lists matching ``recipientCount``)."""
    for user in USERS:
        tx.put(USER_KIND, user.id, user.model_dump())
    for schedule in SCHEDULES:
        tx.put(SCHEDULE_KIND, schedule.id, schedule.model_dump())
