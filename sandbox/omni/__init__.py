"""Emulator of Omni's schedule API (``/omni`` stands for ``https://<org>.omniapp.co``).

The documented calls of ``/api/v1/schedules`` (list, trigger, add/remove recipients,
pause, resume, delete) and the beta ``/api/unstable/schedules/{id}/trigger``, with their
documented error texts, plus test-support routes under ``/_sandbox/omni``. See
:mod:`sandbox.omni.listing`, :mod:`sandbox.omni.recipients` and :mod:`sandbox.omni.routes`
for the decisions taken where the docs are silent.
"""

from __future__ import annotations

from sandbox.omni.admin import build_admin_router
from sandbox.omni.errors import error_response
from sandbox.omni.routes import build_router
from sandbox.omni.seed import seed

PREFIX = "/omni"

__all__ = ["PREFIX", "build_admin_router", "build_router", "error_response", "seed"]
