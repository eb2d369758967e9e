"""The rules of the policy pack as plain functions: ``(inputs, config) -> [violation messages]``.

``__main__.py`` wires them into pulumi-policy; keeping them free of the policy SDK lets the
unit tests call them directly, while the engine tests prove the wiring.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qsl, urlparse, urlsplit

from providers.core import is_unknown

OPSGENIE_SCHEDULE = "pulumi-python:dynamic/opsgenie:Schedule"
OPSGENIE_ROTATION = "pulumi-python:dynamic/opsgenie:ScheduleRotation"
IMBRACE_SCHEDULER = "pulumi-python:dynamic/imbrace:Scheduler"
OMNI_SCHEDULE = "pulumi-python:dynamic/omni:Schedule"

Props = Mapping[str, Any]
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


def _known(value: Any) -> bool:
    # During a preview, values that depend on other resources are not known yet: no verdict.
    return value is not None and not is_unknown(value)


def owner_team(props: Props) -> list[str]:
    """An Opsgenie schedule names its owner team (by id or name)."""
    team = props.get("owner_team")
    if not team or not (team.get("id") or team.get("name")):
        return ["an Opsgenie schedule needs an owner team (owner_team: {name: ...} or {id: ...})"]
    return []


def has_real_participant(rotations: Iterable[Props]) -> bool:
    """Whether any rotation has a participant other than ``none``."""
    return any(p.get("type") != "none" for r in rotations for p in r.get("participants") or [])


def inline_rotations(props: Props) -> list[str]:
    """Inline rotations must put somebody on call (separate ScheduleRotations: see the stack rule)."""
    rotations = props.get("rotations")
    if rotations is not None and not has_real_participant(rotations):
        return ["every rotation of this schedule has only 'none' participants: nobody would ever be on call"]
    return []


def schedules_without_participants(
    schedules: Mapping[str, Props], rotations_by_schedule: Mapping[str, list[Props]]
) -> list[str]:
    """Schedules (by resource name) with no rotation that puts a real participant on call."""
    out = []
    for name, props in schedules.items():
        rotations = list(props.get("rotations") or []) + rotations_by_schedule.get(name, [])
        if not has_real_participant(rotations):
            out.append(
                f"Opsgenie schedule '{name}' has no rotation with a real participant "
                "(inline `rotations` or ScheduleRotation resources)"
            )
    return out


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


def canonical_timezone(props: Props) -> list[str]:
    """A timezone, when given, is a canonical IANA zone: no legacy alias such as US/Eastern."""
    tz = props.get("timezone")
    if not _known(tz):
        return []
    zones, links = _zones()
    if tz in zones:
        return []
    if tz in links:
        return [f"timezone '{tz}' is a legacy alias; use the canonical zone '{links[tz]}'"]
    return [f"timezone '{tz}' is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)"]


def webhook_https(props: Props, config: Props) -> list[str]:
    """iMBRACE webhook jobs call https URLs, except hosts the stack's policy config allows."""
    job = props.get("job") or {}
    url = job.get("url")
    if job.get("type") != "webhook" or not _known(url):
        return []
    parsed = urlparse(str(url))
    allowed = list(config.get("allowedHttpHosts") or [])
    if parsed.scheme == "https" or parsed.hostname in allowed:
        return []
    return [f"webhook url '{url}' must use https (plain http is allowed only for hosts {allowed})"]


def min_interval(props: Props, config: Props) -> list[str]:
    """Recurring iMBRACE schedulers run no more often than ``minIntervalMinutes``."""
    minimum = int(config.get("minIntervalMinutes") or 0)
    unit, value = props.get("trigger_frequency_unit"), props.get("trigger_frequency_value")
    if props.get("type", "recurring") != "recurring" or not minimum or not _known(unit) or not _known(value):
        return []
    value = int(value)  # numbers reach policies as floats (protobuf Struct)
    every = _MINUTES.get(str(unit), 0) * value
    if every < minimum:
        return [
            f"runs every {value} {unit} ({every} min); this stack allows at most one run per {minimum} min"
        ]
    return []


def omni_paused(props: Props, config: Props) -> list[str]:
    """An Omni schedule is not left paused unless the stack's policy config allows that schedule."""
    if props.get("paused") is not True:
        return []
    schedule_id = props.get("schedule_id")
    if schedule_id in set(config.get("allowPaused") or []):
        return []
    return [
        f"Omni schedule {schedule_id} would be left paused; add it to allowPaused in this stack's "
        "policy config if that is intended"
    ]


class _Unknown:
    """A value not known yet during a preview (reading it raised pulumi-policy's UnknownValueError)."""


UNKNOWN_VALUE = _Unknown()


def _read(container: Any, key: Any) -> Any:
    try:
        return container[key]
    except Exception as exc:  # pulumi_policy's UnknownValueError: nothing to judge in it yet
        if type(exc).__name__ != "UnknownValueError":
            raise
        return UNKNOWN_VALUE


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


def plaintext_credentials(props: Props) -> list[str]:
    """No credential-looking inputs: credentials are stack secrets read by the providers.

    A key named like a credential (``api_key``, ``token``, ``Authorization``, ``password``…)
    counts whatever its value, even one not known yet at preview (e.g. built from another
    resource's output): the key alone says a credential will be sent in plain inputs. Any
    string that is itself a credential counts under any key: an Authorization value
    (``Bearer …``), a URL with ``user:password@`` or with a token in its query string.
    Messages name the input, never its value.
    """
    found: list[str] = []
    advice = "use `pulumi config set --secret`"

    def walk(value: Any, path: str) -> None:
        if isinstance(value, Mapping):
            for key in list(value):
                key = str(key)
                if key.startswith("__") and not path:
                    continue
                item, where = _read(value, key), f"{path}.{key}" if path else key
                plain = isinstance(item, str | int | float) and not isinstance(item, bool)
                if _CREDENTIAL_KEY.search(key) and (item is UNKNOWN_VALUE or (plain and item != "")):
                    found.append(f"input '{where}' looks like a credential; {advice}")
                    continue
                walk(item, where)
        elif isinstance(value, list):
            for i in range(len(value)):
                walk(_read(value, i), f"{path}[{i}]")
        elif isinstance(value, str) and (problem := _credential_in_value(value)):
            found.append(f"input '{path}' {problem}; {advice}")

    walk(props, "")
    return found
