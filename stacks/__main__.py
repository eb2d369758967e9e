"""The stack program: composes the providers for one environment.

Until the provider issues land, every stack deploys one no-op resource, which
proves the chain (engine → language host → program → dynamic provider → policy pack).
"""

import pulumi

from providers.noop import Noop

marker = Noop("deployment-marker", value={"stack": pulumi.get_stack(), "project": pulumi.get_project()})
pulumi.export("stack", pulumi.get_stack())
pulumi.export("marker", marker.value)
