"""The project's policy pack: every deployment goes through it.

Run it with ``--policy-pack policies --policy-pack-config policies/config/<stack>.json``
(see docs/stacks.md, "Policies"). The policies are listed in ``pack.py``, their rules in
``rules.py`` (what a definition says) and ``time_rules.py`` (who is on call when, when jobs fire);
enforcement levels and the rules' settings are per stack, in ``policies/config/<stack>.json``.
"""

import sys
from pathlib import Path

# The engine runs the pack from this folder; its modules import each other as the `policies`
# package, as the tests and the bench do, so the repository root goes on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack

from policies.pack import policies

PolicyPack(name="schedules-policies", enforcement_level=EnforcementLevel.MANDATORY, policies=policies())
