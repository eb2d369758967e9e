"""The stack program: deploys ``stacks/environments/<stack>.yaml`` (see stacks/definitions.py).

Stack config ``schedules:definitions`` may point at another definition file, e.g. to preview a
change before it replaces the environment's file. Pulumi runs the program and the providers in
``stacks/``: relative paths (the definition file, iMBRACE ``files``) are relative to it.
"""

from pathlib import Path

import pulumi

from stacks.definitions import DefinitionError, load, load_for_stack
from stacks.program import build, export

override = pulumi.Config().get("definitions")
files_root = pulumi.Config("imbrace").get("filesRoot")  # as the iMBRACE provider reads it
try:
    if override:
        definitions = load(Path(override).resolve(), files_root)
    else:
        definitions = load_for_stack(pulumi.get_stack(), imbrace_files_root=files_root)
except DefinitionError as exc:
    # A user mistake: the message names the file, the entry and the field; no traceback.
    raise pulumi.RunError(f"invalid definitions:\n{exc}") from None

export(build(definitions))
