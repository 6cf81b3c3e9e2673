"""A throwaway PostgreSQL database for one e2e run, dropped when stdin closes.

Prints one JSON line, {"url": "postgresql+psycopg://..."}, then waits. Uses TEST_POSTGRES_URL
(a server it may create databases on) when set, else an embedded server from the pgserver
wheel. Closing stdin (the e2e runner exiting, however it exits) drops the database, so a
rerun is always safe.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

from sqlalchemy import URL, create_engine, make_url, text


def server_url() -> URL:
    raw = os.environ.get("TEST_POSTGRES_URL")
    if raw:
        return make_url(raw).set(drivername="postgresql+psycopg")
    try:
        import pgserver
    except ImportError:
        sys.exit("TEST_POSTGRES_URL is unset and pgserver is not installed: pip install -r backend/requirements-dev.txt")
    server = pgserver.get_server(Path(f"/tmp/sms-e2e-pgserver-{os.getuid()}"), cleanup_mode="stop")
    socket_dir = str(server.get_uri()).rsplit("host=", 1)[1]
    return URL.create("postgresql+psycopg", username="postgres", database="postgres", query={"host": socket_dir})


def main() -> int:
    server = server_url()
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"sms_e2e_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        print(json.dumps({"url": server.set(database=name).render_as_string(hide_password=False)}), flush=True)
        sys.stdin.read()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
