# Sourced by the plugin launchers: pick the Python of the project's virtualenv.
# Order: the virtualenv the engine names, the active one, this repo's .venv, python3.
_here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${PULUMI_RUNTIME_VIRTUALENV:-}" ] && [ -x "$PULUMI_RUNTIME_VIRTUALENV/bin/python" ]; then
    PY="$PULUMI_RUNTIME_VIRTUALENV/bin/python"
elif [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
    PY="$VIRTUAL_ENV/bin/python"
elif [ -x "$_here/../../.venv/bin/python" ]; then
    PY="$_here/../../.venv/bin/python"
else
    PY=python3
fi
