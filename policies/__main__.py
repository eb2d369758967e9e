"""The project's policy pack: every deployment goes through it.

Run it with ``--policy-pack policies --policy-pack-config policies/config/<stack>.json``
(see docs/stacks.md, "Policies"). The rules themselves are in ``rules.py``; enforcement levels and
the rules' settings are per stack, in ``policies/config/<stack>.json``.
"""

from collections.abc import Callable, Mapping
from typing import Any

import rules
from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

Rule = Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]]


def _on(types: set[str] | None, rule: Rule) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        # Provider resources carry the stack's config (secrets included), not resource inputs.
        if args.resource_type.startswith("pulumi:providers:"):
            return
        if types is None or args.resource_type in types:
            for message in rule(args.props, args.get_config()):
                report(message)

    return validate


def _participants(args: StackValidationArgs, report: ReportViolation) -> None:
    schedules = {r.name: r.props for r in args.resources if r.resource_type == rules.OPSGENIE_SCHEDULE}
    by_schedule: dict[str, list[Mapping[str, Any]]] = {}
    for r in args.resources:
        if r.resource_type == rules.OPSGENIE_ROTATION:
            # A rotation belongs to the schedule its schedule_id comes from.
            for owner in r.property_dependencies.get("schedule_id", []):
                by_schedule.setdefault(owner.name, []).append(r.props)
    for message in rules.schedules_without_participants(schedules, by_schedule):
        report(message)


def _resource_policy(
    name: str, description: str, types: set[str] | None, rule: Rule, schema: dict[str, Any] | None = None
) -> ResourceValidationPolicy:
    return ResourceValidationPolicy(
        name=name,
        description=description,
        validate=_on(types, rule),
        config_schema=PolicyConfigSchema(properties=schema) if schema else None,
    )


PolicyPack(
    name="schedules-policies",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        _resource_policy(
            "opsgenie-owner-team",
            "Every Opsgenie schedule has an owner team.",
            {rules.OPSGENIE_SCHEDULE},
            lambda props, _: rules.owner_team(props),
        ),
        _resource_policy(
            "opsgenie-inline-rotations-have-people",
            "A schedule's inline rotations put somebody on call.",
            {rules.OPSGENIE_SCHEDULE},
            lambda props, _: rules.inline_rotations(props),
        ),
        StackValidationPolicy(
            name="opsgenie-schedule-has-participant",
            description="Every Opsgenie schedule has a rotation with a real participant.",
            validate=_participants,
        ),
        _resource_policy(
            "canonical-timezones",
            "Timezones are canonical IANA zones (not legacy aliases such as US/Eastern).",
            None,
            lambda props, _: rules.canonical_timezone(props),
        ),
        _resource_policy(
            "imbrace-webhooks-https",
            "iMBRACE webhook jobs call https URLs (plain http only for allowed hosts).",
            {rules.IMBRACE_SCHEDULER},
            rules.webhook_https,
            {"allowedHttpHosts": {"type": "array", "items": {"type": "string"}, "default": []}},
        ),
        _resource_policy(
            "imbrace-min-interval",
            "Recurring iMBRACE schedulers run no more often than the stack allows.",
            {rules.IMBRACE_SCHEDULER},
            rules.min_interval,
            {"minIntervalMinutes": {"type": "integer", "minimum": 0, "default": 0}},
        ),
        _resource_policy(
            "omni-paused-needs-allowance",
            "Omni schedules are not left paused without an allowance in the stack's policy config.",
            {rules.OMNI_SCHEDULE},
            rules.omni_paused,
            {"allowPaused": {"type": "array", "items": {"type": "string"}, "default": []}},
        ),
        _resource_policy(
            "no-plaintext-credentials",
            "No credential-looking values in plain resource inputs.",
            None,
            lambda props, _: rules.plaintext_credentials(props),
        ),
    ],
)
