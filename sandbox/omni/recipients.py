"""``PUT /api/v1/schedules/{id}/add-recipients`` and ``…/remove-recipients``.

The two calls share their checks but not all their texts: the remove call prefixes the
uuid and email errors with ``Bad Request: `` and words the destination error differently,
exactly as the docs' tables do. Decisions where the docs are silent:

- "Empty request body" is no body, a body that is not a JSON object, or ``{}``:
  ``Please provide either valid email addresses, valid user IDs, or both``;
- an object naming neither list (or both as null) answers
  ``At least one recipient must be provided``; a list present but empty answers
  ``<emails|userIds>: Array must contain at least 1 element(s)`` (the docs' two bullets);
- a list that is not an array answers ``<field>: Expected array, received <type>`` (zod's
  wording, not in the docs), with the endpoint's prefix;
- emails are checked before userIds; body errors come before the schedule lookup (404),
  then the destination type, then whether the users exist;
- an id that is not a uuid is not a documented error here: it is a schedule that does not
  exist (404);
- a recipient is keyed by its email, case-insensitively: a user id stands for that user's
  email, so adding a user whose email is already a recipient adds nothing. Only
  recipients actually added or removed are counted; removing an absent one is no error.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.common import ApiError, JsonBody, is_uuid
from sandbox.omni.models import USER_KIND, OmniUser, Recipient, Schedule
from sandbox.store import Tx

# zod's email pattern (Omni validates with zod).
_EMAIL_RE = re.compile(
    r"^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-\.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}$", re.IGNORECASE
)
_JSON_TYPES = {str: "string", int: "number", float: "number", bool: "boolean", dict: "object"}


class RecipientChange:
    """The validated body of an add/remove call: the emails and user ids it names."""

    def __init__(self, body: JsonBody, *, removing: bool) -> None:
        self.removing = removing
        self.prefix = "Bad Request: " if removing else ""
        value = body.value if body.valid else None
        if not isinstance(value, dict) or not value:
            raise ApiError(400, "Please provide either valid email addresses, valid user IDs, or both")
        if value.get("emails") is None and value.get("userIds") is None:
            raise ApiError(400, "At least one recipient must be provided")
        self.emails: list[str] = self._list(value, "emails", "Invalid email address", _is_email)
        self.user_ids: list[str] = self._list(value, "userIds", "Invalid uuid", is_uuid)

    def _list(self, body: dict[str, Any], field: str, invalid: str, valid: Any) -> list[str]:
        items = body.get(field)
        if items is None:
            return []
        if not isinstance(items, list):
            received = _JSON_TYPES.get(type(items), "unknown")
            raise ApiError(400, f"{self.prefix}{field}: Expected array, received {received}")
        if not items:
            raise ApiError(400, f"{field}: Array must contain at least 1 element(s)")
        if not all(isinstance(item, str) and valid(item) for item in items):
            raise ApiError(400, f"{self.prefix}{field}: {invalid}")
        return list(items)

    def check_destination(self, schedule: Schedule) -> None:
        """400 unless the schedule delivers by email (the only kind with editable recipients)."""
        if schedule.destinationType == "email":
            return
        if self.removing:
            message = (
                f"Cannot change recipients on a scheduled task destination of type {schedule.destinationType}"
            )
        else:
            message = f"Cannot add recipients to destination type {schedule.destinationType}"
        raise ApiError(400, message)

    def resolve_users(self, tx: Tx) -> list[OmniUser]:
        """The users named by ``userIds``; 400 naming every id that is not a member."""
        users: list[OmniUser] = []
        unknown: list[str] = []
        for user_id in self.user_ids:
            doc = tx.get(USER_KIND, user_id.lower())
            if doc is None:
                unknown.append(user_id)
            else:
                users.append(OmniUser.model_validate(doc))
        if unknown:
            raise ApiError(
                400,
                "Invalid recipient(s): The following members do not exist or do not have access "
                "to this organization: " + ", ".join(unknown),
            )
        return users

    def apply(self, tx: Tx, schedule: Schedule) -> int:
        """Add or remove the recipients on ``schedule`` (not saved); the number changed."""
        users = self.resolve_users(tx)
        if self.removing:
            targets = {e.casefold() for e in self.emails} | {u.email.casefold() for u in users}
            kept = [r for r in schedule.recipients if r.email.casefold() not in targets]
            removed = len(schedule.recipients) - len(kept)
            schedule.recipients = kept
            return removed
        by_email = {u.email.casefold(): u.id for u in _all_users(tx)}
        wanted = [Recipient(email=u.email, userId=u.id) for u in users] + [
            Recipient(email=e, userId=by_email.get(e.casefold())) for e in self.emails
        ]
        present = {r.email.casefold() for r in schedule.recipients}
        added = 0
        for recipient in wanted:
            if recipient.email.casefold() not in present:
                present.add(recipient.email.casefold())
                schedule.recipients.append(recipient)
                added += 1
        return added


def _is_email(value: str) -> bool:
    return _EMAIL_RE.match(value) is not None


def _all_users(tx: Tx) -> list[OmniUser]:
    return [OmniUser.model_validate(d) for d in tx.list(USER_KIND)]
