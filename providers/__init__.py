"""Pulumi dynamic resource providers for Opsgenie schedules, iMBRACE schedulers and Omni schedules.

Each API has its own sub-package shaped the same way (``providers.opsgenie``,
``providers.imbrace``, ``providers.omni``: ``settings``, ``client``, ``models``, one module per
resource, ``functions``); ``providers.core`` holds the public names of the shared machinery,
``providers.kinds`` the registry of resource kinds. (The engine's floor for tests and benchmarks,
a provider that calls nothing, is ``bench.noop``.)
"""

__all__ = ["core", "imbrace", "kinds", "omni", "opsgenie"]
