"""Package exports imported on first use (PEP 562), so that importing a package costs nothing.

The provider process unpickles one provider (``providers.opsgenie.schedule``, say) and the
program imports the resources it declares: neither should pay for every module a package
exports (the other resources, the look-up functions, their models).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, Sequence[str]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``exports`` maps each module to the names it
    exports; a name's module is imported when the name is first asked for."""
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
