"""The pack's policies: each rule with its name, description, remediation and config schema, and
the adapters that run a rule under pulumi-policy (``__main__.py`` serves them).

Every rule has one signature, ``rule(resources, config) -> [Violation]``
(:mod:`policies.resources`): a resource policy hands it the resource being checked, a stack
policy the whole stack with each resource's property dependencies. Each violation is reported
with the URN of the resource it is about; the fix is the policy's ``remediation_steps``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from policies import rules, time_rules
from policies.resources import (
    IMBRACE_SCHEDULER,
    OMNI_SCHEDULE,
    OPSGENIE_OVERRIDE,
    OPSGENIE_ROTATION,
    OPSGENIE_SCHEDULE,
    Resource,
    Rule,
    Violation,
    plain,
)

_HORIZON = {
    "horizonWeeks": {"type": "number", "exclusiveMinimum": 0, "default": 4},
    "from": {"type": "string", "description": "ISO 8601 start of the horizon (default: now)"},
}
ONCALL = frozenset({OPSGENIE_SCHEDULE, OPSGENIE_ROTATION, OPSGENIE_OVERRIDE})
_WINDOW = {
    "type": "object",
    "properties": {
        "days": {"type": ["string", "array"]},
        "start": {"type": "string"},
        "end": {"type": "string"},
        "timezone": {"type": "string"},
        "name": {"type": "string"},
    },
}


@dataclass(frozen=True)
class Spec:
    """One policy of the pack."""

    name: str
    description: str
    remediation: str
    rule: Rule
    stack: bool = False
    """A stack policy (sees every resource and their dependencies) rather than a resource policy."""
    types: frozenset[str] | None = None
    """The resource types a stack policy reads (None: all); the others are not converted for it."""
    schema: dict[str, Any] | None = None


SPECS = (
    Spec(
        "opsgenie-owner-team",
        "Every Opsgenie schedule has an owner team.",
        "Set owner_team: {name: <team>} or {id: <team id>} on the schedule.",
        rules.owner_team,
    ),
    Spec(
        "opsgenie-inline-rotations-have-people",
        "A schedule's inline rotations put somebody on call.",
        "Add a user, team or escalation participant to a rotation.",
        rules.inline_rotations,
    ),
    Spec(
        "opsgenie-schedule-has-participant",
        "Every Opsgenie schedule has a rotation with a real participant.",
        "Give the schedule inline `rotations` or ScheduleRotation resources with a user, team or escalation.",
        rules.schedules_without_participants,
        stack=True,
        types=frozenset({OPSGENIE_SCHEDULE, OPSGENIE_ROTATION}),
    ),
    Spec(
        "canonical-timezones",
        "Timezones are canonical IANA zones (not legacy aliases such as US/Eastern).",
        "Use the canonical IANA zone name the message gives (e.g. America/New_York, Europe/Berlin, UTC).",
        rules.canonical_timezone,
    ),
    Spec(
        "imbrace-webhooks-https",
        "iMBRACE webhook jobs call https URLs (plain http only for allowed hosts).",
        "Use an https URL, or add the host to allowedHttpHosts in this stack's policy config.",
        rules.webhook_https,
        schema={"allowedHttpHosts": {"type": "array", "items": {"type": "string"}, "default": []}},
    ),
    Spec(
        "imbrace-min-interval",
        "Recurring iMBRACE schedulers run no more often than the stack allows.",
        "Raise trigger_frequency_value (or use a longer unit), or lower minIntervalMinutes in the config.",
        rules.min_interval,
        schema={"minIntervalMinutes": {"type": "integer", "minimum": 0, "default": 0}},
    ),
    Spec(
        "omni-paused-needs-allowance",
        "Omni schedules are not left paused without an allowance in the stack's policy config.",
        "Resume the schedule (paused=False), or add its id to allowPaused in this stack's policy config.",
        rules.omni_paused,
        schema={"allowPaused": {"type": "array", "items": {"type": "string"}, "default": []}},
    ),
    Spec(
        "no-plaintext-credentials",
        "No credential-looking values in plain resource inputs.",
        "Keep credentials in stack secrets (`pulumi config set --secret`), read by the providers.",
        rules.plaintext_credentials,
    ),
    Spec(
        "oncall-coverage",
        "Every Opsgenie schedule has somebody on call during its required hours (default 24x7).",
        "Add a rotation or override covering the gaps, or narrow the schedule's requiredHours in this "
        "stack's policy config (policies/config/<stack>.json).",
        time_rules.oncall_coverage,
        stack=True,
        types=ONCALL,
        schema={
            **_HORIZON,
            "requiredHours": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "schedules": {"type": "string"},
                        "timezone": {"type": "string"},
                        "windows": {"type": "array", "items": _WINDOW},
                    },
                },
                "default": [],
            },
            "maxGapsShown": {"type": "integer", "minimum": 1, "default": 3},
        },
    ),
    Spec(
        "oncall-load",
        "Nobody is on call more than maxHoursPerWeek in a week, nor longer than maxShiftHours at a stretch.",
        "Add participants to the rotation, shorten its length, or split it with a time restriction.",
        time_rules.oncall_load,
        stack=True,
        types=ONCALL,
        schema={
            **_HORIZON,
            "maxHoursPerWeek": {"type": "number", "minimum": 0, "default": 0},
            "maxShiftHours": {"type": "number", "minimum": 0, "default": 0},
        },
    ),
    Spec(
        "job-rate",
        "iMBRACE and Omni jobs run at most maxRunsPerDay times a day, and never in a freeze window.",
        "Run the job less often, or move it (or the freeze window) so they do not meet.",
        time_rules.job_rate,
        stack=True,
        types=frozenset({IMBRACE_SCHEDULER, OMNI_SCHEDULE}),
        schema={
            **_HORIZON,
            "maxRunsPerDay": {"type": "integer", "minimum": 0, "default": 0},
            "freezeWindows": {"type": "array", "items": _WINDOW, "default": []},
        },
    ),
)


class NotKnownYet(UnknownValueError):
    """What a rule could not judge at preview, raised after its violations are reported: the SDK
    turns it into an advisory diagnostic ("can't run policy … during preview: …") whatever the
    policy's enforcement level, so a note never blocks a deployment."""

    def __init__(self, message: str) -> None:
        Exception.__init__(self, message)  # not the SDK's __init__: it writes its own message
        self.unknown_type_sentinel, self.props, self.message = "", [], message


def report(violations: Sequence[Violation], report_violation: ReportViolation) -> None:
    """Violations to the engine, each with its resource's URN; then the notes, as one
    :class:`NotKnownYet`."""
    notes = []
    for violation in violations:
        if violation.note:
            notes.append(violation.message)
        else:
            report_violation(violation.message, violation.urn or None)
    if notes:
        raise NotKnownYet("; ".join(notes))


def _resource_policy(spec: Spec) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        # Provider resources carry the stack's config (secrets included), not resource inputs.
        if args.resource_type.startswith("pulumi:providers:"):
            return
        resource = Resource(args.resource_type, args.name, plain(args.props), args.urn)
        report(spec.rule([resource], args.get_config()), report_violation)

    return ResourceValidationPolicy(
        name=spec.name,
        description=spec.description,
        validate=validate,
        config_schema=PolicyConfigSchema(properties=spec.schema) if spec.schema else None,
        remediation_steps=spec.remediation,
    )


def _stack_policy(spec: Spec) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [
            Resource(
                r.resource_type,
                r.name,
                plain(r.props),
                r.urn,
                {key: [d.urn for d in deps] for key, deps in r.property_dependencies.items()},
            )
            for r in args.resources
            if (spec.types is None or r.resource_type in spec.types)
            and not r.resource_type.startswith("pulumi:providers:")
        ]
        report(spec.rule(resources, args.get_config()), report_violation)

    return StackValidationPolicy(
        name=spec.name,
        description=spec.description,
        validate=validate,
        config_schema=PolicyConfigSchema(properties=spec.schema) if spec.schema else None,
        remediation_steps=spec.remediation,
    )


def policies() -> list[Policy]:
    """Every policy of the pack, ready for ``PolicyPack``."""
    return [_stack_policy(s) if s.stack else _resource_policy(s) for s in SPECS]
