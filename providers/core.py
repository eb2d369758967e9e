"""The public names of the providers' shared machinery, for code outside ``providers/``.

Stacks, policies and tools import these (never a ``providers._*`` module): the unknown-value
helpers, field paths as Pulumi prints them, the errors, the settings' lookups and the base of
every provider (for tools that configure one beside ``pulumi up``).
"""

from providers._base import (
    IMPORT_KEY,
    UNIQUE_KEY_FREE,
    UNKNOWN,
    CannotTell,
    LostCreate,
    ProviderBase,
    field_path,
    is_unknown,
    unknown_paths,
)
from providers._fields import Behaviour, DefinitionError
from providers._http import ApiError, NotFoundError, error_context
from providers._program import LookupFailed, LookupGone
from providers._resource import ResourceBase
from providers._settings import ApiSettings, ConfigError, Lookup, Setting, program_lookup, stack_lookup

__all__ = [
    "IMPORT_KEY",
    "UNIQUE_KEY_FREE",
    "UNKNOWN",
    "ApiError",
    "ApiSettings",
    "Behaviour",
    "CannotTell",
    "ConfigError",
    "DefinitionError",
    "Lookup",
    "LookupFailed",
    "LookupGone",
    "LostCreate",
    "NotFoundError",
    "ProviderBase",
    "ResourceBase",
    "Setting",
    "error_context",
    "field_path",
    "is_unknown",
    "program_lookup",
    "stack_lookup",
    "unknown_paths",
]
