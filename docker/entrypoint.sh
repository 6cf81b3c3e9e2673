#!/usr/bin/env bash
# Container entrypoint: bring the schema to head, then serve API and frontend.
# Any arguments replace the server (e.g. `docker compose run app python -m backend.scripts...`)
# and skip the upgrade, so one-off tools such as the migration helper manage the schema themselves.
set -euo pipefail

if [[ $# -gt 0 ]]; then
    exec "$@"
fi

# Replicas started at once take turns on a database lock: one upgrades, the others find it done.
python -m backend.db.migrations upgrade
# exec: the server becomes PID 1 and receives SIGTERM from `docker stop` for a graceful shutdown
# (GRACEFUL_SHUTDOWN_SECONDS). WEB_CONCURRENCY workers, by default one per core of the container.
exec python -m backend.serve --host 0.0.0.0 --port 8000 --default-workers cores --proxy-headers
