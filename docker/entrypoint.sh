#!/usr/bin/env bash
# Container entrypoint: bring the schema to head, then serve API and frontend.
# Any arguments replace the server (e.g. `docker compose run app python -m backend.scripts...`)
# and skip the upgrade, so one-off tools such as the migration helper manage the schema themselves.
set -euo pipefail

if [[ $# -gt 0 ]]; then
    exec "$@"
fi

python -m backend.db.migrations upgrade
# exec: uvicorn becomes PID 1 and receives SIGTERM from `docker stop` for a graceful shutdown.
exec uvicorn backend.main:app --host 0.0.0.0 --port 8000 --proxy-headers
