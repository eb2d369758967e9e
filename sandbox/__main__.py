"""``python -m sandbox [--host H] [--port P] [--db PATH] [--root-api NAME]``: serve the API emulators."""

from __future__ import annotations

import argparse
import sys

# The modules of the `sandbox` extra's packages that this module imports first (pyproject.toml).
_EXTRA = frozenset(
    {
        "uvicorn",
        "fastapi",
        "starlette",
        "multipart",
        "python_multipart",
        "bravado_core",
        "jsonschema",
        "icalendar",
        "yaml",
    }
)

try:
    import uvicorn

    from sandbox.apis import BY_NAME
    from sandbox.app import create_app
    from sandbox.contract import opsgenie as opsgenie_contract
except ModuleNotFoundError as missing:  # the wheel without its `sandbox` extra
    if (missing.name or "").split(".")[0] not in _EXTRA:
        raise  # not one of the extra's: a broken install, shown as it is
    sys.exit(
        f"python -m sandbox: the module '{missing.name}' is missing: the sandbox needs the package's "
        "`sandbox` extra (pip install 'saas-schedules[sandbox]')"
    )


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787, help="0 picks a free port")
    parser.add_argument("--db", default=".sandbox/sandbox.db", help="SQLite file, or :memory:")
    parser.add_argument("--log-level", default="warning")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="do not refuse requests that the APIs' docs/OAS do not allow (strict is the default)",
    )
    parser.add_argument(
        "--root-api",
        choices=sorted(BY_NAME),
        help="also serve this API's paths at / (for clients that take a bare host, e.g. Opsgenie's Go SDK)",
    )
    args = parser.parse_args(argv)

    app = create_app(args.db, strict=not args.lenient, root_api=args.root_api)
    if args.lenient:
        print("sandbox: lenient: no request is checked against its API's documented contract", flush=True)
    else:
        print(f"sandbox: strict: {opsgenie_contract.source_note()}", flush=True)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    server = uvicorn.Server(config)

    # Print the base URL once the socket listens (port 0 resolves to the real one).
    original_startup = server.startup

    async def startup(sockets: object = None) -> None:
        await original_startup(sockets=sockets)  # type: ignore[arg-type]
        for srv in server.servers:
            for sock in srv.sockets:
                host, port = sock.getsockname()[:2]
                print(f"sandbox listening on http://{host}:{port}", flush=True)
                return

    server.startup = startup  # type: ignore[method-assign]
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
