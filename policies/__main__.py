"""The project's policy pack; run it with ``--policy-pack policies/pack`` (see README)."""

import re

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

_CREDENTIAL_KEY = re.compile(r"(api_?key|access_?token|api_?token|password|secret)$", re.IGNORECASE)


def _no_plain_credentials(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Credentials belong in stack config secrets, read by the providers, never in resource inputs."""

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}" if path else str(key)
                if _CREDENTIAL_KEY.search(str(key)) and isinstance(item, str) and item:
                    report(f"input '{where}' looks like a credential; use `pulumi config set --secret`")
                walk(item, where)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")

    walk({k: v for k, v in args.props.items() if not k.startswith("__")}, "")


PolicyPack(
    name="schedules-policies",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="no-plaintext-credentials",
            description="No credential-looking values in plain resource inputs.",
            validate=_no_plain_credentials,
        ),
    ],
)
