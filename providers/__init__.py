"""Pulumi dynamic resource providers for Opsgenie schedules, iMBRACE schedulers and Omni schedules.

Each API has its own sub-package (``providers.opsgenie``, ``providers.imbrace``,
``providers.omni``); ``providers.noop`` is the engine's floor for tests and benchmarks.
"""
