"""`python -m sandbox` from a wheel installed without its `sandbox` extra: one line, no traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Runs the module as `python -m sandbox` would, with uvicorn (a `sandbox` extra) made unimportable.
_WITHOUT = textwrap.dedent(
    """
    import runpy, sys
    from importlib.abc import MetaPathFinder

    class Missing(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == MISSING or name.startswith(MISSING + "."):
                raise ModuleNotFoundError(f"No module named '{name}'", name=name)
            return None

    sys.meta_path.insert(0, Missing())
    sys.argv = ["python -m sandbox", "--port", "0"]
    runpy.run_module("sandbox", run_name="__main__", alter_sys=True)
    """
)


def _run_without(module: str) -> subprocess.CompletedProcess[str]:
    code = f"MISSING = {module!r}\n" + _WITHOUT
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_a_missing_extra_is_named_in_one_line() -> None:
    done = _run_without("uvicorn")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "python -m sandbox: the module 'uvicorn' is missing: the sandbox needs the package's `sandbox` "
        "extra (pip install 'saas-schedules[sandbox]')"
    ]


def test_a_missing_module_of_our_own_is_not_blamed_on_the_extra() -> None:
    done = _run_without("sandbox.apis")
    assert done.returncode == 1
    assert "Traceback" in done.stderr
    assert "ModuleNotFoundError: No module named 'sandbox.apis'" in done.stderr
    assert "extra" not in done.stderr
