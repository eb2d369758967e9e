"""Emulator of iMBRACE's third-party scheduler API (``/imbrace`` stands for ``https://app-gateway.imbrace.co``).

Every documented call under ``/3rd/organization/{organization_id}/users/{user_id}/schedulers``
with its documented answers and error texts, the uploaded files behind each ``file_url``
(``/imbrace/files/<file_id>/<name>``, public like an S3 URL), and test-support routes
under ``/_sandbox/imbrace``. See :mod:`sandbox.imbrace.routes` for the decisions taken
where the docs are silent.
"""

from __future__ import annotations

from sandbox.imbrace.admin import build_admin_router
from sandbox.imbrace.errors import error_response
from sandbox.imbrace.routes import build_router
from sandbox.imbrace.seed import seed

PREFIX = "/imbrace"

__all__ = ["PREFIX", "build_admin_router", "build_router", "error_response", "seed"]
