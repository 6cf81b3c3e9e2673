#!/usr/bin/env bash
# Run SMS with Docker Compose on Linux/macOS: the POSIX twin of DOCKER.ps1, same .env, same rules.
# Written for bash 3.2 too (macOS): no associative arrays, no ${var,,}.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# SMS_ENV_FILE / SMS_ENV_EXAMPLE point the script at other files (tests, diagnostics). The
# container always reads ./.env, so leave them unset for real use.
ENV_FILE="${SMS_ENV_FILE:-$ROOT/.env}"
ENV_EXAMPLE="${SMS_ENV_EXAMPLE:-$ROOT/.env.example}"
CONTAINER_SQLITE=/app/data/student_management.db
CONTAINER_BACKUPS=/app/backups
HEALTH_PROBE="import sys, urllib.request as u; \
sys.exit(0 if u.urlopen('http://127.0.0.1:8000/health/ready', timeout=5).status == 200 else 1)"
# What `install` generates: the app refuses a weak SECRET_KEY in production, the compose server
# needs a password, and without DEFAULT_ADMIN_PASSWORD no first admin is created.
GENERATED_KEYS="SECRET_KEY POSTGRES_PASSWORD DEFAULT_ADMIN_PASSWORD"
PG_PASSTHROUGH_KEYS="POSTGRES_HOST POSTGRES_PORT POSTGRES_DB POSTGRES_USER POSTGRES_PASSWORD POSTGRES_PGBOUNCER POSTGRES_DIRECT_URL"
# --pgbouncer: docker-compose.yml's `pgbouncer` service, the port it listens on, and the bundled
# server behind it (its own POSTGRES_HOST and POSTGRES_PORT, fixed there).
PGBOUNCER_SERVICE=pgbouncer
PGBOUNCER_PORT=6432
PGBOUNCER_SERVER=db:5432
PGBOUNCER_PROBE="exec 3<>/dev/tcp/127.0.0.1/$PGBOUNCER_PORT"
# Every profile: stop and status see every service, whichever options started it.
ALL_PROFILES=postgres,pgbouncer
# 1 with --pgbouncer (start, restart, stop, status, mode).
PGBOUNCER=0
# The app's own reading of .env (backend/config_describe.py): the engine rules live there only.
DESCRIBE=(-m backend.config describe --compose)

usage() {
    cat <<'EOF'
Usage: scripts/docker.sh COMMAND [ARGS]

Run the Student Management System with Docker Compose. The database mode comes from .env, read
by the app's own code (python -m backend.config describe, run in the image): PostgreSQL only
when DATABASE_ENGINE=postgresql or DATABASE_URL is a PostgreSQL URL, else SQLite.
The bundled db service runs only when PostgreSQL mode points at it (POSTGRES_HOST blank or db,
or a DATABASE_URL with host db); with any other host the app runs alone against that server.

Commands:
  start [--pgbouncer]
                    Build and start the app (and the bundled db service when .env uses it);
                    --pgbouncer also starts PgBouncer (transaction pooling) in front of the
                    bundled db and points the app at it (PostgreSQL mode, bundled db only)
  stop [--pgbouncer]
                    Stop and remove the containers, PgBouncer's too with or without
                    --pgbouncer (volumes and data are kept)
  restart [--pgbouncer]
                    stop, then start (picks up .env changes); --pgbouncer as for start
  status [--pgbouncer]
                    Show the containers and the /health/ready result; --pgbouncer shows the
                    app's way in through PgBouncer and checks that PgBouncer accepts connections
  logs              Follow the app logs (the startup line shows the masked database URL)
  backup            Create a backup inside the app container (backend.scripts.backup create)
  restore FILE|NAME [--yes]
                    Restore a backup: a file on this machine (its FILE.meta.json must be
                    beside it; both are copied into /app/backups) or a NAME already there
  migrate [FLAGS]   Copy the SQLite data into PostgreSQL, the bundled db or the external
                    server .env names (PostgreSQL mode only);
                    FLAGS go to migrate_sqlite_to_postgres: --batch-size N, --tables T ...,
                    --no-truncate, --skip-migrations, --dry-run, --yes,
                    --keep-source-writable, --force-live-target, --source-encoding C
  install [--force] Create .env from .env.example with random SECRET_KEY, POSTGRES_PASSWORD
                    and DEFAULT_ADMIN_PASSWORD (never printed)
  mode [--pgbouncer]
                    Print the database mode decided from .env: sqlite, postgresql (bundled db)
                    or postgresql (external host HOST); with --pgbouncer, postgresql (bundled
                    db, through PgBouncer), or the one-line reason it cannot be
  help              Show this help
EOF
}

err() { printf 'error: %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
    err "$*"
    exit 1
}
die_with() {
    err "$2"
    exit "$1"
}

trim() {
    local s="$1"
    s="${s#"${s%%[![:space:]]*}"}"
    printf '%s' "${s%"${s##*[![:space:]]}"}"
}

# .env values live in DOTENV_<KEY> shell variables; env_get reads one ("" when absent). Only
# APP_PORT and POSTGRES_PASSWORD are read here: the database itself is describe's to decide.
load_env() {
    local line key value
    [[ -f $ENV_FILE ]] || return 0
    while IFS= read -r line || [[ -n $line ]]; do
        line="$(trim "${line%$'\r'}")"
        [[ -z $line || $line == \#* || $line != *=* ]] && continue
        line="${line#export }"
        key="$(trim "${line%%=*}")"
        [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
        value="$(trim "${line#*=}")"
        case "$value" in
            \"*) value="${value#\"}" && value="${value%%\"*}" ;;
            \'*) value="${value#\'}" && value="${value%%\'*}" ;;
            *) value="$(trim "${value%%[[:space:]]#*}")" ;;
        esac
        printf -v "DOTENV_$key" '%s' "$value"
    done <"$ENV_FILE"
}
env_get() {
    local name="DOTENV_$1"
    printf '%s' "${!name-}"
}

# describe as this machine's Python answers it, with the container's view of .env (the file
# alone, the container's SQLite path); fails unless that Python has the backend's packages.
describe_here() {
    local python="$ROOT/.venv/bin/python"
    [[ -x $python ]] || python=python3
    (cd "$ROOT" && env -i PATH="$PATH" HOME="${HOME-}" SMS_ENV_FILE="$ENV_FILE" \
        SQLITE_PATH="$CONTAINER_SQLITE" BACKUP_DIR="$CONTAINER_BACKUPS" "$python" "${DESCRIBE[@]}" 2>/dev/null)
}

# describe as the image answers it: the code that will run, given what Compose gives the app
# container. ARGS go to `compose run` (--build in `start`).
describe_in_image() {
    local key
    (
        # The container must see .env alone, not the caller's POSTGRES_*, and no db service.
        for key in $PG_PASSTHROUGH_KEYS; do unset "$key"; done
        COMPOSE_PROFILES="" compose run --rm --no-deps -T "$@" app python "${DESCRIBE[@]}"
    )
}

# Set MODE (sqlite|postgresql), MASKED_URL, PG_SERVER, BUNDLED (1: the bundled db service),
# MODE_LABEL (for `mode`) and CONTAINER_ENV from describe's answer; show its warnings, stop at
# its error. --here: ask this machine's Python first, so that `mode` needs no Docker.
resolve_mode() {
    local report="" line rc=0
    if [[ ${1-} == --here ]]; then
        report="$(describe_here)" || rc=$?
        # 0 or 2 is describe's own answer; anything else means no usable Python here.
        if [[ $rc -ne 0 && $rc -ne 2 ]]; then
            require_docker
            rc=0
            report="$(describe_in_image)" || rc=$?
        fi
    else
        report="$(describe_in_image "$@")" || rc=$?
    fi
    MODE="" MASKED_URL="" PG_SERVER="" BUNDLED=0 CONTAINER_ENV="" RESOLVED_FROM=""
    while IFS= read -r line; do
        case "$line" in
            "engine: "*) MODE="${line#engine: }" ;;
            # Without its options (sslmode=...): the guides show the server and database.
            "url: "*) MASKED_URL="${line#url: }" && MASKED_URL="${MASKED_URL%%\?*}" ;;
            "host: "*) PG_SERVER="${line#host: }" ;;
            "resolved from: "*) RESOLVED_FROM="${line#resolved from: }" ;;
            "bundled db: yes") BUNDLED=1 ;;
            "container env: "*) CONTAINER_ENV="$CONTAINER_ENV${line#container env: }"$'\n' ;;
            "warning: "*) warn "${line#warning: }" ;;
            "error: "*) die "${line#error: }" ;;
        esac
    done <<<"$report"
    [[ $rc -eq 0 && -n $MODE ]] ||
        die "could not read the settings: 'python ${DESCRIBE[*]}' in the app image failed (exit $rc); see the message above"
    MODE_LABEL="$MODE"
    [[ $MODE != postgresql ]] || MODE_LABEL="postgresql (external host $PG_SERVER)"
    [[ $BUNDLED -eq 0 ]] || MODE_LABEL="postgresql (bundled db)"
    [[ $PGBOUNCER -eq 0 ]] || use_pgbouncer
}

# A value describe resolved for the app container (container env: KEY=VALUE).
container_env() {
    local line
    while IFS= read -r line; do
        [[ ${line%%=*} != "$1" ]] || printf '%s' "${line#*=}"
    done <<<"$CONTAINER_ENV"
}

# --pgbouncer: PgBouncer goes in front of the bundled db, and the app reaches it through
# POSTGRES_HOST and POSTGRES_PORT; anything else in .env contradicts that, in one line. Then
# MODE_LABEL and MASKED_URL name the app's way in.
use_pgbouncer() {
    local how="leave --pgbouncer out"
    [[ $MODE == postgresql ]] ||
        die "--pgbouncer needs PostgreSQL mode with the bundled db service, but $ENV_FILE gives SQLite: set DATABASE_ENGINE=postgresql there first, or $how"
    if [[ $PG_SERVER == "$PGBOUNCER_SERVICE" ]]; then
        die "--pgbouncer points the app at PgBouncer itself, but $ENV_FILE already names host $PGBOUNCER_SERVICE: leave DATABASE_URL and POSTGRES_HOST blank there (the app then uses the bundled db behind PgBouncer)"
    fi
    [[ $BUNDLED -eq 1 ]] ||
        die "--pgbouncer puts PgBouncer in front of the bundled db service, but $ENV_FILE names the external host $PG_SERVER: $how"
    [[ $RESOLVED_FROM != DATABASE_URL* ]] ||
        die "--pgbouncer points the app at PgBouncer through POSTGRES_HOST and POSTGRES_PORT, which DATABASE_URL in $ENV_FILE overrides: leave DATABASE_URL blank there (DATABASE_ENGINE=postgresql, POSTGRES_HOST blank), or $how"
    MODE_LABEL="postgresql (bundled db, through PgBouncer)"
    MASKED_URL="postgresql+psycopg://$(container_env POSTGRES_USER):***@$PGBOUNCER_SERVICE:$PGBOUNCER_PORT/$(container_env POSTGRES_DB)"
}

# Say so when the app will use a server outside Compose; the bundled db stays down.
say_external() {
    [[ $MODE != postgresql || $BUNDLED -eq 1 ]] ||
        echo "server: external PostgreSQL host $PG_SERVER (the bundled db service is not started)"
}

# Percent-encode a URL's user, password or database name, byte by byte (any character works).
url_encode() {
    local byte char out=""
    for byte in $(printf '%s' "$1" | od -An -v -tx1); do
        case "$byte" in
            # Unreserved: 0-9 A-Z a-z - . _ ~
            3[0-9] | 4[1-9a-f] | 5[0-9a] | 6[1-9a-f] | 7[0-9a] | 2d | 2e | 5f | 7e)
                printf -v char '%b' "\\x$byte"
                out+="$char"
                ;;
            *) out+="%$byte" ;;
        esac
    done
    printf '%s' "$out"
}

require_pg_password() {
    [[ -n "$(env_get POSTGRES_PASSWORD)" ]] ||
        die "POSTGRES_PASSWORD is empty in $ENV_FILE: the compose PostgreSQL server needs one (set it, or run 'scripts/docker.sh install' for a new .env)"
}

# Compose reads these at interpolation time; .env stays the single source of truth. Without
# the postgres profile the db service does not exist, and the app's optional depends_on on it
# drops out: the app starts alone.
export_compose_env() {
    local key line
    export COMPOSE_PROFILES=""
    [[ $BUNDLED -eq 0 ]] || COMPOSE_PROFILES=postgres
    for key in $PG_PASSTHROUGH_KEYS; do unset "$key"; done
    [[ $MODE == postgresql ]] || return 0
    # The POSTGRES_* describe resolved with (blank ones mean the bundled db service).
    while IFS= read -r line; do
        key="${line%%=*}"
        [[ " $PG_PASSTHROUGH_KEYS " != *" $key "* ]] || export "${line?}"
    done <<<"$CONTAINER_ENV"
    POSTGRES_PASSWORD="$(env_get POSTGRES_PASSWORD)"
    export POSTGRES_PASSWORD
    [[ $PGBOUNCER -eq 0 ]] || export_pgbouncer_env
}

# --pgbouncer (after use_pgbouncer): the `pgbouncer` profile on, and the app sent to it. The
# bundled db behind it stays POSTGRES_DIRECT_URL, for background jobs and backups; its password
# goes through the environment only, like POSTGRES_PASSWORD.
export_pgbouncer_env() {
    local user database
    user="$(url_encode "$(container_env POSTGRES_USER)")"
    database="$(url_encode "$(container_env POSTGRES_DB)")"
    POSTGRES_DIRECT_URL="postgresql://$user:$(url_encode "$POSTGRES_PASSWORD")@$PGBOUNCER_SERVER/$database"
    export COMPOSE_PROFILES="$ALL_PROFILES" POSTGRES_HOST="$PGBOUNCER_SERVICE" POSTGRES_PORT="$PGBOUNCER_PORT"
    export POSTGRES_PGBOUNCER=true POSTGRES_DIRECT_URL
}

require_docker() {
    command -v docker >/dev/null 2>&1 ||
        die "Docker is not installed: 'docker' was not found on PATH (install Docker Engine or Docker Desktop)"
    docker info >/dev/null 2>&1 ||
        die "Docker is not running: 'docker info' failed (start the Docker daemon and try again)"
    docker compose version >/dev/null 2>&1 ||
        die "Docker Compose v2 is missing: 'docker compose version' failed (install the compose plugin)"
}

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# With -f, Compose no longer picks up docker-compose.override.yml by itself, so name it too.
compose() {
    local files=(-f "$ROOT/docker-compose.yml")
    [[ ! -f $ROOT/docker-compose.override.yml ]] || files+=(-f "$ROOT/docker-compose.override.yml")
    docker compose --project-directory "$ROOT" "${files[@]}" "$@"
}

app_port() {
    local port
    port="$(env_get APP_PORT)"
    printf '%s' "${port:-8080}"
}

confirm() {
    local answer
    read -r -p "$1 Type 'yes' to continue: " answer || true
    [[ $answer == yes ]]
}

cmd_start() {
    [[ -f $ENV_FILE ]] || warn "$ENV_FILE not found: running on defaults (run 'scripts/docker.sh install' to create it)"
    require_docker
    # --build: the settings are read by the code that is about to run.
    resolve_mode --build
    [[ $BUNDLED -eq 0 ]] || require_pg_password
    export_compose_env
    echo "Starting SMS in $MODE mode"
    echo "database: $MASKED_URL (the app logs the same line at startup; see 'logs')"
    say_external
    [[ $PGBOUNCER -eq 0 ]] ||
        echo "pgbouncer: transaction pooling in front of the bundled db ($PGBOUNCER_SERVER, which background jobs and backups use directly)"
    [[ ! -f $ROOT/docker-compose.override.yml ]] || echo "compose: docker-compose.yml + docker-compose.override.yml"
    compose up -d --build --wait --wait-timeout 300 ||
        die "SMS did not become healthy; run 'scripts/docker.sh logs' to see why"
    echo "SMS is running: http://localhost:$(app_port)"
}

cmd_stop() {
    require_docker
    # Every profile, so a db or PgBouncer left over from an earlier run stops as well.
    COMPOSE_PROFILES="$ALL_PROFILES" compose down
    echo "SMS stopped (volumes kept)"
}

cmd_status() {
    require_docker
    resolve_mode
    echo "mode: $MODE_LABEL  database: $MASKED_URL"
    COMPOSE_PROFILES="$ALL_PROFILES" compose ps
    if [[ $PGBOUNCER -eq 1 ]]; then
        if COMPOSE_PROFILES="$ALL_PROFILES" compose exec -T "$PGBOUNCER_SERVICE" bash -c "$PGBOUNCER_PROBE" >/dev/null 2>&1; then
            echo "pgbouncer: pass (accepts connections on $PGBOUNCER_SERVICE:$PGBOUNCER_PORT)"
        else
            err "pgbouncer: fail (not running or not accepting connections; start it with 'scripts/docker.sh start --pgbouncer')"
            return 1
        fi
    fi
    if compose exec -T app python -c "$HEALTH_PROBE" >/dev/null 2>&1; then
        echo "health/ready: pass (http://localhost:$(app_port)/health/ready)"
    else
        err "health/ready: fail (app not running or database not ready; see 'scripts/docker.sh logs')"
        return 1
    fi
}

# The sha256 a backup's metadata (on stdin) records.
meta_sha256() { sed -n 's/.*"sha256":[[:space:]]*"\([0-9a-fA-F]*\)".*/\1/p' | head -n 1; }

# Copy a backup and its metadata into the backups volume, owned by the app's user (docker cp
# creates root-owned files; the app runs as uid 10001).
copy_backup_in() {
    compose cp "$1" "app:$2" && compose cp "$1.meta.json" "app:$2.meta.json" &&
        compose exec -T -u root app chown 10001:10001 "$2" "$2.meta.json"
}

# Leave the backups volume as it was: the copy was only there to be restored.
remove_copy() { compose exec -T -u root app rm -f -- "$1" "$1.meta.json" || true; }

cmd_restore() {
    local file="" yes=0 local_file=0 name target here there rc=0
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --yes | -y) yes=1 ;;
            -*) die "restore: unknown option $1" ;;
            *)
                [[ -z $file ]] || die "restore takes one FILE or NAME"
                file="$1"
                ;;
        esac
        shift
    done
    [[ -n $file ]] || die "restore needs a FILE or NAME: scripts/docker.sh restore FILE|NAME [--yes]"
    # Everything that can be checked here is checked before Docker is touched.
    if [[ -f $file ]]; then
        local_file=1
        name="$(basename "$file")"
        [[ $name != *.meta.json ]] || die "$file is a backup's metadata: pass the backup file itself, ${file%.meta.json}"
        [[ -f $file.meta.json ]] ||
            die "$file has no metadata file beside it ($file.meta.json), which restore needs: copy it from where the backup was made"
    elif [[ $file == */* ]]; then
        die "no such file: $file (give the path of a backup file on this machine, or the NAME of one in $CONTAINER_BACKUPS)"
    else
        name="$file"
    fi
    # Whether NAME is a backup name is the backup tool's to say (restore refuses any other).
    target="$CONTAINER_BACKUPS/$name"
    require_docker
    resolve_mode
    export_compose_env
    compose exec -T app true >/dev/null 2>&1 ||
        die "the app container is not running: start it with 'scripts/docker.sh start', then restore"
    if [[ $local_file -eq 1 ]] && compose exec -T app test -e "$target"; then
        # docker cp would overwrite it: only the same backup (same checksum) may stand in for it.
        here="$(meta_sha256 <"$file.meta.json")"
        there="$(compose exec -T app cat "$target.meta.json" 2>/dev/null | meta_sha256)" || there=""
        [[ -n $here && $here == "$there" ]] ||
            die "a different backup named $name is already in $CONTAINER_BACKUPS: rename $file and its .meta.json alike, then restore again"
        echo "$name is already in $CONTAINER_BACKUPS with the same checksum: restoring that copy"
        local_file=0
    elif [[ $local_file -eq 0 ]] && ! compose exec -T app test -f "$target"; then
        die "there is no backup named $name in $CONTAINER_BACKUPS: pick one from 'docker compose exec app python -m backend.scripts.backup list', or give a file path"
    fi
    if [[ $yes -eq 0 ]] && ! confirm "Restore '$name' into the $MODE database ($MASKED_URL)? This replaces its current data."; then
        die "restore cancelled; nothing changed"
    fi
    if [[ $local_file -eq 1 ]] && ! copy_backup_in "$file" "$target"; then
        remove_copy "$target"
        die "could not copy $file and its .meta.json into the app container: nothing was restored"
    fi
    compose exec -T app python -m backend.scripts.backup restore "$name" --yes || rc=$?
    if [[ $rc -ne 0 ]]; then
        [[ $local_file -eq 0 ]] || remove_copy "$target"
        die_with "$rc" "restore failed (exit $rc): see the message above"
    fi
    # Restart so the app reopens its connections and upgrades an older backup's schema.
    compose restart app
    echo "Restored $name; the app was restarted"
}

cmd_migrate() {
    local rc=0 tty=() arg writes=1 help=0
    require_docker
    resolve_mode
    [[ $MODE == postgresql ]] ||
        die "migrate needs PostgreSQL mode: set DATABASE_ENGINE=postgresql in $ENV_FILE first (now: sqlite)"
    for arg in "$@"; do
        case "$arg" in
            --dry-run) writes=0 ;;
            -h | --help) writes=0 help=1 ;;
        esac
    done
    [[ $BUNDLED -eq 0 ]] || require_pg_password
    export_compose_env
    [[ -t 0 ]] || tty=(-T)
    echo "Target: $MASKED_URL"
    say_external
    if [[ $BUNDLED -eq 1 ]]; then
        compose up -d --wait db || die "the db service did not become healthy; see 'docker compose logs db'"
    fi
    # The guide's rule: the application is stopped while data is copied. A dry run writes
    # nothing, so the app keeps serving.
    [[ $writes -eq 0 ]] || compose stop app
    # No --postgres-url: the tool falls back to DATABASE_ENGINE=postgresql and the POSTGRES_*
    # that compose gives the container (POSTGRES_HOST=db unless .env names another server).
    compose run --rm --no-deps ${tty[@]+"${tty[@]}"} app \
        python -m backend.scripts.migrate_sqlite_to_postgres --sqlite-path "$CONTAINER_SQLITE" "$@" ||
        rc=$?
    if [[ $help -eq 1 ]]; then
        return "$rc"
    elif [[ $writes -eq 0 ]]; then
        [[ $rc -eq 0 ]] || die_with "$rc" "migration dry run failed (exit $rc): nothing was written"
        echo "Dry run finished: nothing was written, the app was not stopped"
    else
        [[ $rc -eq 0 ]] || die_with "$rc" "migration failed (exit $rc); the app is left stopped"
        echo "Migration finished. Start the app with: scripts/docker.sh start"
    fi
}

cmd_install() {
    local force=0 backup
    [[ ${1-} != --force ]] || force=1
    [[ -f $ENV_EXAMPLE ]] || die "$ENV_EXAMPLE not found: cannot create .env"
    if [[ -f $ENV_FILE && $force -eq 0 ]]; then
        die "$ENV_FILE already exists: not overwriting it (use 'install --force')"
    fi
    if [[ -f $ENV_FILE ]]; then
        backup="$ENV_FILE.bak-$(date +%Y%m%d%H%M%S)"
        cp -p "$ENV_FILE" "$backup"
        warn "old .env kept as $backup; an existing pgdata volume still uses its old POSTGRES_PASSWORD"
    fi
    # Values go through the environment, not argv, so they never show in `ps`.
    (
        umask 077
        SMS_NEW_SECRET_KEY="$(random_hex 32)" SMS_NEW_POSTGRES_PASSWORD="$(random_hex 24)" \
            SMS_NEW_DEFAULT_ADMIN_PASSWORD="$(random_hex 12)" awk -v keys="$GENERATED_KEYS" '
            BEGIN { n = split(keys, key, " ") }
            {
                for (i = 1; i <= n; i++) {
                    if (!seen[i] && $0 ~ ("^#?[ \t]*" key[i] "=")) {
                        print key[i] "=" ENVIRON["SMS_NEW_" key[i]]
                        seen[i] = 1
                        next
                    }
                }
                print
            }
            END { for (i = 1; i <= n; i++) if (!seen[i]) print key[i] "=" ENVIRON["SMS_NEW_" key[i]] }
        ' "$ENV_EXAMPLE" >"$ENV_FILE.tmp"
    )
    mv "$ENV_FILE.tmp" "$ENV_FILE"
    echo "Created $ENV_FILE with a new ${GENERATED_KEYS// /, } (values not shown; read them there)"
}

# --pgbouncer, the one option of start, restart, stop, status and mode; any other is refused.
pgbouncer_option() {
    local command="$1" arg
    shift
    for arg in "$@"; do
        case "$arg" in
            --pgbouncer) PGBOUNCER=1 ;;
            *) die_with 2 "$command: unknown option $arg (it takes only --pgbouncer; see 'scripts/docker.sh help')" ;;
        esac
    done
}

main() {
    local command="${1:-help}" arg
    [[ $# -eq 0 ]] || shift
    case "$command" in
        start | restart | stop | status | mode) pgbouncer_option "$command" "$@" ;;
        *)
            for arg in "$@"; do
                [[ $arg != --pgbouncer ]] ||
                    die_with 2 "--pgbouncer only applies to start, restart, stop, status and mode (not $command)"
            done
            ;;
    esac
    load_env
    case "$command" in
        start) cmd_start ;;
        stop) cmd_stop ;;
        restart) cmd_stop && cmd_start ;;
        status) cmd_status ;;
        logs) require_docker && compose logs -f app ;;
        backup) require_docker && compose exec -T app python -m backend.scripts.backup create ;;
        restore) cmd_restore "$@" ;;
        migrate) cmd_migrate "$@" ;;
        install) cmd_install "$@" ;;
        mode)
            resolve_mode --here
            echo "$MODE_LABEL"
            echo "database: $MASKED_URL" >&2
            ;;
        help | -h | --help) usage ;;
        *)
            usage >&2
            err "unknown command '$command'"
            exit 2
            ;;
    esac
}

main "$@"
