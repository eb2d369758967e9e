"""Test-only policy pack: a Noop resource whose value is "forbidden" is denied."""

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)


def _no_forbidden(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == "pulumi-python:dynamic:Resource" and args.props.get("value") == "forbidden":
        report("Noop value 'forbidden' is not allowed by the smoke policy")


PolicyPack(
    name="smoke-policy",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="no-forbidden-value",
            description="Denies Noop resources whose value is 'forbidden'.",
            validate=_no_forbidden,
        )
    ],
)
