"""The stack program: deploys ``stacks/environments/<stack>.yaml`` (see stacks/definitions.py).

Stack config ``schedules:definitions`` may point at another definition file, e.g. to preview a
change before it replaces the environment's file. Pulumi runs the program and the providers in
``stacks/``: relative paths (the definition file, iMBRACE ``files``) are relative to it.

``python -m stacks adopt|drift|impact|calendar|recover …`` runs the tools of stacks/cli.py instead.
"""

import sys
from pathlib import Path

import pulumi


def deploy() -> None:
    """Register the stack's resources (run by Pulumi's language host)."""
    from stacks.definitions import DefinitionFileError, load, load_for_stack
    from stacks.program import build, export

    override = pulumi.Config().get("definitions")
    files_root = pulumi.Config("imbrace").get("filesRoot")  # as the iMBRACE provider reads it
    try:
        if override:
            # Relative paths in entries are read from here, the program directory, as the providers read them.
            definitions = load(Path(override).resolve(), files_root, base=Path.cwd())
        else:
            definitions = load_for_stack(pulumi.get_stack(), imbrace_files_root=files_root)
    except DefinitionFileError as exc:
        # A user mistake: the message names the file, the entry and the field; no traceback.
        raise pulumi.RunError(f"invalid definitions:\n{exc}") from None

    export(build(definitions))


# `python -m stacks` imports this as the module stacks.__main__; Pulumi runs the directory as a
# program, where the module is plain __main__.
if __spec__ is not None and __spec__.name == "stacks.__main__":
    from stacks.cli import main

    sys.exit(main())
else:
    deploy()
