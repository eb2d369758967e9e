"""``python -m bench``: see :mod:`bench.run`."""

import sys
import warnings

# tests.conftest (the sandbox fixture the bench reuses) imports FastAPI's TestClient, which warns.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")

from bench.run import main  # noqa: E402

sys.exit(main())
