#!/usr/bin/env bash
# Write pgbouncer.ini and its user list from the environment, then run PgBouncer in the
# foreground. Transaction pooling: the app must run with POSTGRES_PGBOUNCER=true (no prepared
# statements, timeouts per transaction) and POSTGRES_DIRECT_URL naming the server itself.
set -euo pipefail

: "${POSTGRES_USER:?POSTGRES_USER is not set}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is not set: PgBouncer logs in to the server with it}"
conf="${PGBOUNCER_CONF_DIR:-/tmp/pgbouncer}"
mkdir -p "$conf"
umask 077

# The password in the list is what PgBouncer checks clients against (SCRAM) and what it logs in
# to the server with. Double quotes in it are doubled, as the file format wants.
printf '"%s" "%s"\n' "$POSTGRES_USER" "${POSTGRES_PASSWORD//\"/\"\"}" >"$conf/userlist.txt"

cat >"$conf/pgbouncer.ini" <<INI
[databases]
* = host=${POSTGRES_HOST:-db} port=${POSTGRES_PORT:-5432}

[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $conf/userlist.txt
pool_mode = transaction
; Server connections per database and user: what every replica shares. Keep it, plus the
; direct connections (jobs, backups, migrations), below the server's max_connections.
default_pool_size = ${PGBOUNCER_POOL_SIZE:-20}
max_client_conn = ${PGBOUNCER_MAX_CLIENTS:-1000}
server_reset_query =
ignore_startup_parameters = extra_float_digits
INI

exec pgbouncer "$conf/pgbouncer.ini"
