"""Print where to log in after `make run` (never the password itself), the demo school's accounts too.

It reads the settings exactly as the app will (SECRET_KEY included), so a setting that would
stop the app stops here first, with the same one line and exit code 2 (docs/CLI.md).
"""

from __future__ import annotations

import argparse

from backend.cli import exit_codes
from backend.config import ConfigError, load_settings
from backend.db.engine_builder import create_database_engine
from backend.seed.accounts import demo_login_hint


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python scripts/print_login.py", description="Print where to log in after `make run`."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"SMS cannot start: {exc}")
        return exit_codes.USAGE
    print(f"SMS on {settings.database.kind}: {settings.database.masked_url}")
    demo = None
    sqlite_path = settings.database.sqlite_path
    if sqlite_path is None or sqlite_path.exists():  # connecting would create the file
        engine = create_database_engine(settings.database, settings.engine_options)
        try:
            demo = demo_login_hint(engine, settings.DEFAULT_ADMIN_EMAIL)
        finally:
            engine.dispose()
    if demo:
        print(f"Open http://{args.host}:{args.port}/. {demo}")
        return exit_codes.OK
    print(f"Open http://{args.host}:{args.port}/ and log in as {settings.DEFAULT_ADMIN_EMAIL}")
    print("The first admin's password is DEFAULT_ADMIN_PASSWORD in .env.")
    return exit_codes.OK


if __name__ == "__main__":
    raise SystemExit(main())
