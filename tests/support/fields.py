"""The fields of a resource's ``XArgs`` (dataclass, nested TypedDicts) and of its pydantic inputs,
side by side: names, required or not, types and docstrings, recursively.

Both say what a field is: the Args for the user's editor, the pydantic model for ``check``. They
are written in two places, so ``tests/unit/test_args_models.py`` compares them through
:func:`differences`; one that drifts (a key added to one, a type or a docstring changed in one)
is named with its path.
"""

from __future__ import annotations

import ast
import collections.abc
import dataclasses
import inspect
import itertools
import sys
import textwrap
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin, is_typeddict

import pulumi
from pydantic import BaseModel

Shape = Any
"""A type reduced to what both sides can say: ``"str"``, ``("list", Shape)``,
``("literal", sorted values)``, ``("object", type)``, ``("mapping",)``, ``("any",)``."""


def _lineage(cls: type[Any]) -> list[type[Any]]:
    """The class and its bases, bases first (a TypedDict's bases are in ``__orig_bases__`` only)."""
    if is_typeddict(cls):
        # Python 3.11 keeps no trace of a TypedDict's bases at run time: read them from its source.
        node = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
        assert isinstance(node, ast.ClassDef)
        module = vars(sys.modules[cls.__module__])
        bases = [module.get(ast.unparse(b)) for b in node.bases]
        parents = [b for b in bases if b is not None and is_typeddict(b)]
        return [k for p in parents for k in _lineage(p)] + [cls]
    return list(reversed(cls.__mro__))


def attribute_docstrings(cls: type[Any]) -> dict[str, str]:
    """Each attribute's docstring (the string after it in the class body), base classes first."""
    found: dict[str, str] = {}
    for klass in _lineage(cls):
        if klass.__module__ in ("builtins", "typing") or klass.__module__.startswith("pydantic"):
            continue
        try:
            source = textwrap.dedent(inspect.getsource(klass))
        except (OSError, TypeError):
            continue
        node = ast.parse(source).body[0]
        if not isinstance(node, ast.ClassDef):
            continue
        body = node.body
        for stmt, after in itertools.pairwise(body):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                found[stmt.target.id] = inspect.cleandoc(after.value.value)
    return found


def shape(tp: Any) -> Shape:
    """A type (of either side) reduced to :data:`Shape`."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return shape(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        shapes = [shape(a) for a in get_args(tp) if a is not type(None)]
        return ("union", tuple(shapes)) if len(shapes) > 1 else shapes[0]
    if origin is Literal:
        return ("literal", tuple(sorted(get_args(tp), key=repr)))
    if origin in (list, collections.abc.Sequence):
        return ("list", shape(get_args(tp)[0]))
    if origin in (dict, collections.abc.Mapping) or tp in (dict, collections.abc.Mapping):
        return ("mapping",)
    if tp is Any:
        return ("any",)
    if (
        is_typeddict(tp)
        or dataclasses.is_dataclass(tp)
        or (isinstance(tp, type) and issubclass(tp, BaseModel))
    ):
        return ("object", tp)
    if tp is pulumi.FileAsset:
        return "str"  # a file to upload: a path or a FileAsset, both read as a path
    return getattr(tp, "__name__", repr(tp))


class _Unwrapped:
    """``pulumi.Input[T]`` read as ``T`` (what both sides agree on: either may be an Output)."""

    def __getitem__(self, item: Any) -> Any:
        return item


class _Pulumi:
    Input = _Unwrapped()
    Output = _Unwrapped()
    FileAsset = pulumi.FileAsset


def _annotations(cls: type[Any]) -> dict[str, tuple[bool, Any]]:
    """The class's own and inherited fields as ``(required, type)``, with ``pulumi.Input`` unwrapped.

    Evaluated here (the modules use ``from __future__ import annotations``): a TypedDict keeps its
    string annotations unevaluated, so its ``Required[...]`` keys are read from them too.
    """
    out: dict[str, tuple[bool, Any]] = {}
    for klass in reversed(cls.__mro__):
        module = sys.modules.get(klass.__module__)
        if module is None or klass.__module__ in ("builtins", "typing"):
            continue
        namespace = {**vars(module), "pulumi": _Pulumi}
        total = getattr(klass, "__total__", True)
        for name, annotation in inspect.get_annotations(klass).items():
            if isinstance(annotation, typing.ForwardRef):
                annotation = annotation.__forward_arg__
            value = eval(annotation, namespace) if isinstance(annotation, str) else annotation
            required = total
            if get_origin(value) in (typing.Required, typing.NotRequired):
                required = get_origin(value) is typing.Required
                value = get_args(value)[0]
            out[name] = (required, value)
    return out


def args_side(cls: type[Any]) -> dict[str, tuple[bool, Any]]:
    """Each field of an Args dataclass or TypedDict: ``(required, type)``."""
    fields = _annotations(cls)
    if is_typeddict(cls):
        return fields
    return {
        f.name: (
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            fields[f.name][1],
        )
        for f in dataclasses.fields(cls)
    }


def model_side(model: type[BaseModel]) -> dict[str, tuple[bool, Any]]:
    """Each field of a pydantic model: ``(required, type)``."""
    return {name: (info.is_required(), info.annotation) for name, info in model.model_fields.items()}


def differences(args: type[Any], model: type[BaseModel], path: str = "") -> list[str]:
    """Where ``args`` and ``model`` disagree, recursively: missing keys, requiredness, types, docstrings."""
    out: list[str] = []
    a_fields, m_fields = args_side(args), model_side(model)
    a_docs, m_docs = attribute_docstrings(args), attribute_docstrings(model)
    for name in sorted(set(a_fields) | set(m_fields)):
        where = f"{path}{name}"
        if name not in m_fields:
            out.append(f"{where}: in {args.__name__}, not in {model.__name__}")
            continue
        if name not in a_fields:
            out.append(f"{where}: in {model.__name__}, not in {args.__name__}")
            continue
        (a_required, a_type), (m_required, m_type) = a_fields[name], m_fields[name]
        if a_required != m_required:
            out.append(f"{where}: required in {'the Args' if a_required else 'the model'} only")
        if a_docs.get(name) != m_docs.get(name):
            out.append(f"{where}: docstrings differ: {a_docs.get(name)!r} ≠ {m_docs.get(name)!r}")
        a_shape, m_shape = shape(a_type), shape(m_type)
        out.extend(_compare(a_shape, m_shape, where))
    return out


def _compare(a: Shape, m: Shape, where: str) -> list[str]:
    if isinstance(a, tuple) and isinstance(m, tuple) and a[0] == m[0] == "object":
        return differences(a[1], m[1], f"{where}.")
    if isinstance(a, tuple) and isinstance(m, tuple) and a[0] == m[0] == "list":
        return _compare(a[1], m[1], f"{where}[]")
    if isinstance(a, tuple) and a[0] == "union":
        # An Args object or a plain mapping (``JobArgs | Mapping[str, Any]``): the object is compared.
        objects = [s for s in a[1] if isinstance(s, tuple) and s[0] == "object"]
        if objects and all(s == ("mapping",) or s in objects for s in a[1]):
            return [d for s in objects for d in _compare(s, m, where)]
    if a != m:
        return [f"{where}: types differ: {a!r} ≠ {m!r}"]
    return []
