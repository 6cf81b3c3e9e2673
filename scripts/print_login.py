"""Print where to log in after `make run` (never the password itself)."""

from __future__ import annotations

import argparse

from backend.config import ConfigError, load_settings


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"SMS cannot start: {exc}")
        return 2
    print(f"SMS on {settings.database.kind}: {settings.database.masked_url}")
    print(f"Open http://{args.host}:{args.port}/ and log in as {settings.DEFAULT_ADMIN_EMAIL}")
    print("The first admin's password is DEFAULT_ADMIN_PASSWORD in .env.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
