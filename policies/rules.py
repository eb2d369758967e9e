"""The pack's rules about what a definition says (owner, participants, zones, URLs, credentials).

Every rule has the pack's one signature, ``rule(resources, config) -> [Violation]``
(:mod:`policies.resources`); the time rules are in :mod:`policies.time_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qsl, urlparse, urlsplit

from policies.resources import (
    IMBRACE_SCHEDULER,
    OMNI_SCHEDULE,
    OPSGENIE_ROTATION,
    OPSGENIE_SCHEDULE,
    Props,
    Resource,
    Violation,
    attached,
    known,
    of_type,
)
from providers.core import UNKNOWN

_CREDENTIAL_KEY = re.compile(
    r"(api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key|token|password|passwd|secret|"
    r"authorization|credentials?|bearer)$",
    re.IGNORECASE,
)
# Query parameters that carry a credential besides the names above (`?key=…`, signed URLs).
_CREDENTIAL_PARAMS = frozenset({"key", "sig", "signature", "auth"})
# An Authorization header's whole value: a scheme, then one token (not a sentence starting "Token …").
_AUTH_VALUE = re.compile(r"^\s*(bearer|basic|digest|token|genie\s*key)\s+[\w.~+/=:-]{6,}\s*$", re.IGNORECASE)
# Minutes per unit, for comparing frequencies (months and years by their shortest length).
_MINUTES = {"minutes": 1, "days": 1440, "weeks": 10080, "months": 40320, "years": 525600}


def owner_team(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """An Opsgenie schedule names its owner team (by id or name)."""
    out = []
    for schedule in of_type(resources, OPSGENIE_SCHEDULE):
        team = schedule.props.get("owner_team")
        if not team or not (team.get("id") or team.get("name")):
            out.append(Violation("an Opsgenie schedule needs an owner team", schedule.urn))
    return out


def has_real_participant(rotations: Iterable[Props]) -> bool:
    """Whether any rotation has a participant other than ``none``."""
    return any(p.get("type") != "none" for r in rotations for p in r.get("participants") or [])


def inline_rotations(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """Inline rotations must put somebody on call (separate ScheduleRotations: see the stack rule)."""
    return [
        Violation(
            "every rotation of this schedule has only 'none' participants: nobody would ever be on call",
            s.urn,
        )
        for s in of_type(resources, OPSGENIE_SCHEDULE)
        if (rotations := s.props.get("rotations")) is not None and not has_real_participant(rotations)
    ]


def schedules_without_participants(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """Schedules with no rotation, inline or a separate ``ScheduleRotation``, that puts a real
    participant on call."""
    separate = attached(resources, OPSGENIE_ROTATION)
    return [
        Violation(
            f"Opsgenie schedule '{schedule.name}' has no rotation with a real participant", schedule.urn
        )
        for schedule in of_type(resources, OPSGENIE_SCHEDULE)
        if not has_real_participant(
            [*(schedule.props.get("rotations") or []), *(r.props for r in separate.get(schedule.urn, []))]
        )
    ]


@cache
def _zones() -> tuple[frozenset[str], dict[str, str]]:
    """Canonical IANA zones and the backward-compatibility links (link -> zone), from tzdata."""
    zones, links = set(), {}
    for line in (files("tzdata") / "zoneinfo" / "tzdata.zi").read_text().splitlines():
        parts = line.split()
        if parts[:1] == ["Z"]:
            zones.add(parts[1])
        elif parts[:1] == ["L"]:
            links[parts[2]] = parts[1]
    return frozenset(zones | {"UTC"}), links


def canonical_timezone(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """A timezone, when given, is a canonical IANA zone: no legacy alias such as US/Eastern."""
    zones, links = _zones()
    out = []
    for resource in resources:
        tz = resource.props.get("timezone")
        if not known(tz) or tz in zones:
            continue
        if tz in links:
            out.append(
                Violation(
                    f"timezone '{tz}' is a legacy alias of the canonical zone '{links[tz]}'", resource.urn
                )
            )
        else:
            out.append(Violation(f"timezone '{tz}' is not an IANA time zone", resource.urn))
    return out


def webhook_https(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """iMBRACE webhook jobs call https URLs, except hosts the stack's policy config allows."""
    allowed = list(config.get("allowedHttpHosts") or [])
    out = []
    for scheduler in of_type(resources, IMBRACE_SCHEDULER):
        job = scheduler.props.get("job") or {}
        url = job.get("url")
        if job.get("type") != "webhook" or not known(url):
            continue
        parsed = urlparse(str(url))
        if parsed.scheme != "https" and parsed.hostname not in allowed:
            out.append(
                Violation(
                    f"webhook url '{url}' must use https (allowed http hosts: {allowed})", scheduler.urn
                )
            )
    return out


def min_interval(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """Recurring iMBRACE schedulers run no more often than ``minIntervalMinutes``."""
    minimum = int(config.get("minIntervalMinutes") or 0)
    out = []
    for scheduler in of_type(resources, IMBRACE_SCHEDULER):
        props = scheduler.props
        unit, value = props.get("trigger_frequency_unit"), props.get("trigger_frequency_value")
        if (
            props.get("type", "recurring") != "recurring"
            or not minimum
            or not known(unit)
            or not known(value)
        ):
            continue
        value = int(value or 0)  # numbers reach policies as floats (protobuf Struct)
        every = _MINUTES.get(str(unit), 0) * value
        if every < minimum:
            allows = f"this stack allows at most one run per {minimum} min"
            out.append(Violation(f"runs every {value} {unit} ({every} min); {allows}", scheduler.urn))
    return out


def omni_paused(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """An Omni schedule is not left paused unless the stack's policy config allows that schedule."""
    allowed = set(config.get("allowPaused") or [])
    return [
        Violation(f"Omni schedule {schedule.props.get('schedule_id')} would be left paused", schedule.urn)
        for schedule in of_type(resources, OMNI_SCHEDULE)
        if schedule.props.get("paused") is True and schedule.props.get("schedule_id") not in allowed
    ]


def _credential_in_value(value: str) -> str | None:
    """What makes a string a credential in itself (never the credential's text), or None."""
    if _AUTH_VALUE.match(value):
        return "holds an Authorization value (scheme and token)"
    if "://" not in value:
        return None
    try:
        parts = urlsplit(value.strip())
        query = parse_qsl(parts.query, keep_blank_values=False)
        has_userinfo = "@" in parts.netloc
    except ValueError:
        return None
    if has_userinfo:
        return "holds a URL with a user name or password (user:password@host)"
    for name, item in query:
        if item and (_CREDENTIAL_KEY.search(name) or name.lower() in _CREDENTIAL_PARAMS):
            return f"holds a URL whose query parameter '{name}' looks like a credential"
    return None


def _credentials(props: Props) -> list[str]:
    """Where a resource's inputs hold credentials (the input's path and why, never the value)."""
    found: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key.startswith("__") and not path:
                    continue
                where = f"{path}.{key}" if path else key
                plain = isinstance(item, str | int | float) and not isinstance(item, bool)
                if _CREDENTIAL_KEY.search(key) and (plain and item != ""):
                    found.append(f"input '{where}' looks like a credential")
                    continue
                walk(item, where)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif isinstance(value, str) and value != UNKNOWN and (problem := _credential_in_value(value)):
            found.append(f"input '{path}' {problem}")

    walk(props, "")
    return found


def plaintext_credentials(resources: Sequence[Resource], config: Props) -> list[Violation]:
    """No credential-looking inputs: credentials are stack secrets read by the providers.

    A key named like a credential (``api_key``, ``token``, ``Authorization``, ``password``…)
    counts whatever its value, even one not known yet at preview (e.g. built from another
    resource's output): the key alone says a credential will be sent in plain inputs. Any
    string that is itself a credential counts under any key: an Authorization value
    (``Bearer …``), a URL with ``user:password@`` or with a token in its query string.
    Messages name the input, never its value.
    """
    return [Violation(message, r.urn) for r in resources for message in _credentials(r.props)]
