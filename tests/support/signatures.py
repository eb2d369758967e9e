"""The typed keyword signatures of the resources, rendered from their ``XArgs`` dataclasses.

Each resource class declares, under ``if TYPE_CHECKING:``, its constructor's signature with both
call forms: ``Resource(name, XArgs(...), opts)`` and ``Resource(name, opts=..., field=...)``.
:func:`overloads` renders it from the ``XArgs``
(names, annotations, required or not, in order); ``tests/unit/test_signatures.py`` checks each
resource class holds exactly that code (compared as syntax trees, so formatting is free), and
prints it to paste when an ``XArgs`` changed.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any

INDENT = " " * 8
WIDTH = 108


def args_fields(args_type: type[Any]) -> list[tuple[str, str, bool]]:
    """``(name, annotation source, has a default)`` of each field of a dataclass, in order."""
    source = textwrap.dedent(inspect.getsource(args_type))
    cls = ast.parse(source).body[0]
    assert isinstance(cls, ast.ClassDef)
    return [
        (stmt.target.id, str(ast.get_source_segment(source, stmt.annotation)), stmt.value is not None)
        for stmt in cls.body
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
    ]


def overloads(args_type: type[Any]) -> str:
    """The ``if TYPE_CHECKING:`` constructor signature of the resource taking ``args_type``.

    One signature, not an overload per call form: mypy then names a misspelt keyword or a
    mistyped field ("Unexpected keyword argument", "Argument ... has incompatible type"), where
    with overloads it says only "No overload variant matches". A field the Args require is
    optional here (the ``XArgs`` form passes none): its absence is the provider's check failure,
    naming it, at preview. The parameters are packed into lines (``fmt: off``): it is generated
    text, read through the Args, not a list to read line by line.
    """
    params = [
        "self",
        "resource_name: str",
        f"args: {args_type.__name__} | None = None",
        "opts: pulumi.ResourceOptions | None = None",
        "*",
        *(f"{name}: {annotation} = ..." for name, annotation, _default in args_fields(args_type)),
    ]
    first, indent = f"{INDENT}def __init__(", " " * (len(INDENT) + len("def __init__("))
    lines, line = [], first
    for param in params:
        piece = f"{param}, "
        if len(line) + len(piece) > WIDTH and line not in (first, indent):
            lines.append(line.rstrip())
            line = indent
        line += piece
    lines.append(line.removesuffix(", ") + ") -> None: ...")
    return (
        "    if TYPE_CHECKING:  # what type checkers and editors read (tests/unit/test_signatures.py)\n"
        f"{INDENT}# fmt: off\n" + "\n".join(lines) + f"\n{INDENT}# fmt: on\n"
    )


def declared_overloads(resource: type[Any]) -> str:
    """The resource class's ``if TYPE_CHECKING:`` block, as a syntax-tree dump ("" if none)."""
    source = textwrap.dedent(inspect.getsource(resource))
    cls = ast.parse(source).body[0]
    assert isinstance(cls, ast.ClassDef)
    blocks = [s for s in cls.body if isinstance(s, ast.If) and ast.unparse(s.test) == "TYPE_CHECKING"]
    return ast.dump(blocks[0]) if len(blocks) == 1 else ""


def rendered_overloads(args_type: type[Any]) -> str:
    """:func:`overloads` as a syntax-tree dump."""
    block = ast.parse(textwrap.dedent(overloads(args_type))).body[0]
    return ast.dump(block)
