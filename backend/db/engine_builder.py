"""Settings-free resolution of the one database SMS uses, and the engine factory.

``resolve_database`` is a pure function of its keyword arguments: it never reads the
environment, so the app, the migration tool and the tests resolve databases the same way.
The rules are the table in docs/CONFIGURATION.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from backend.core import sqlite_write_queue
from backend.db import files, sqlite_transactions
from backend.db.deadlines import DeadlineConnection
from backend.db.liveness import recently_used_skip_ping

ENGINES = ("sqlite", "postgresql")
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
POSTGRES_DRIVER = "postgresql+psycopg"
POSTGRES_SCHEMES = {"postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"}
SQLITE_SCHEMES = {"sqlite", "sqlite+pysqlite"}
MASK = "***"


class DatabaseConfigError(ValueError):
    """The database settings are missing, malformed or contradict each other."""


@dataclass(frozen=True)
class SettingsWarning:
    """Settings that are present but have no effect, which the app reports and goes on.

    The code and the variables let the web app say it in the reader's language; the English
    message is what the logs print (``str(warning)``).
    """

    code: Literal["settings_ignored"]
    variables: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ResolvedDatabase:
    kind: str
    url: URL
    resolved_from: str
    warnings: tuple[SettingsWarning, ...] = field(default=())

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.url.database) if self.kind == "sqlite" and self.url.database else None

    def describe(self) -> str:
        # DATABASE_URL names the effective URL however it was resolved: the guide's checklist
        # tells operators to look for "DATABASE_URL beginning with postgresql" in the logs.
        return f"engine={self.kind} DATABASE_URL={self.masked_url} resolved_from={self.resolved_from!r}"


@dataclass(frozen=True, kw_only=True)
class EngineOptions:
    pool_size: int = 10
    max_overflow: int = 20
    pool_recycle: int = 1800
    pool_timeout: int = 30
    connect_timeout: int = 10
    application_name: str = "sms"
    sqlite_busy_timeout_ms: int = 30000
    # PostgreSQL bounds; None leaves the server's (or the operator's libpq option) in force.
    # The tools that build their own options (the SQLite -> PostgreSQL transfer) get none, so a
    # long COPY is never cut; the app passes the settings' values.
    statement_timeout_ms: int | None = None
    idle_in_transaction_timeout_ms: int | None = None
    tcp_keepalives_idle: int | None = None
    tcp_keepalives_interval: int | None = None
    tcp_keepalives_count: int | None = None
    wait_deadline_seconds: float | None = None
    # The URL is a PgBouncer in transaction mode (POSTGRES_PGBOUNCER): each transaction may run
    # on another server connection, so nothing may live on one between transactions.
    pgbouncer: bool = False


# libpq parameters that carry a secret when given in the query string or POSTGRES_OPTIONS.
SECRET_QUERY_KEYS = ("password", "sslpassword")


def mask_url(url: URL | str) -> str:
    """Render a URL with its password (user:***@ and ?password=/sslpassword=) replaced by ``***``."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except (ArgumentError, ValueError):
            return MASK
    hidden = {key: MASK for key in SECRET_QUERY_KEYS if key in url.query}
    rendered = url.update_query_dict(hidden).render_as_string(hide_password=True)
    return rendered.replace("%2A%2A%2A", MASK)  # the query string is percent-encoded


def url_secrets(url: URL) -> list[str]:
    """The secret values a URL carries besides its password (query-string libpq parameters)."""
    found: list[str] = []
    for key in SECRET_QUERY_KEYS:
        value = url.query.get(key)
        found.extend([value] if isinstance(value, str) else list(value or ()))
    return [v for v in found if v]


def resolve_database(
    *,
    database_engine: str | None,
    database_url: str | None,
    sqlite_path: str,
    base_dir: Path,
    postgres_host: str | None = None,
    postgres_port: int = 5432,
    postgres_db: str | None = None,
    postgres_user: str | None = None,
    postgres_password: str | None = None,
    postgres_sslmode: str = "prefer",
    postgres_options: str | None = None,
) -> ResolvedDatabase:
    """Turn the database settings into exactly one database, or raise DatabaseConfigError."""
    engine = (database_engine or "").strip().lower() or None
    if engine is not None and engine not in ENGINES:
        raise DatabaseConfigError(
            f"DATABASE_ENGINE={database_engine!r} is not valid: use 'sqlite' or 'postgresql'"
        )
    # POSTGRES_PASSWORD alone does not warn: `DOCKER.ps1 -Install` writes one for the day the
    # school opts in, and a password says nothing about which server was meant.
    postgres_vars = {
        "POSTGRES_HOST": postgres_host,
        "POSTGRES_DB": postgres_db,
        "POSTGRES_USER": postgres_user,
    }

    if database_url:
        url = _parse_database_url(database_url)
        kind = "postgresql" if url.drivername == POSTGRES_DRIVER else "sqlite"
        if engine is not None and engine != kind:
            raise DatabaseConfigError(
                f"DATABASE_ENGINE={engine} contradicts DATABASE_URL, which is a {kind} URL "
                f"({mask_url(url)}): make them agree, or leave one of them blank"
            )
        if kind == "sqlite":
            url = url.set(database=str(_sqlite_file(url.database or "", base_dir)))
        warnings = _ignored_postgres_warning(postgres_vars) if kind == "sqlite" else ()
        source = "DATABASE_URL" + (f" (DATABASE_ENGINE={engine})" if engine else "")
        return ResolvedDatabase(kind, url, source, warnings)

    if engine == "postgresql":
        url = build_postgres_url(
            host=postgres_host,
            port=postgres_port,
            database=postgres_db,
            user=postgres_user,
            password=postgres_password,
            sslmode=postgres_sslmode,
            options=postgres_options,
        )
        return ResolvedDatabase("postgresql", url, "DATABASE_ENGINE=postgresql with POSTGRES_* settings")

    path = _sqlite_file(sqlite_path, base_dir)
    url = URL.create("sqlite", database=str(path))
    source = "DATABASE_ENGINE=sqlite" if engine else "default (no DATABASE_ENGINE or DATABASE_URL)"
    return ResolvedDatabase("sqlite", url, f"{source}, SQLITE_PATH", _ignored_postgres_warning(postgres_vars))


def build_postgres_url(
    *,
    host: str | None,
    port: int,
    database: str | None,
    user: str | None,
    password: str | None,
    sslmode: str,
    options: str | None,
) -> URL:
    missing = [
        name
        for name, value in (("POSTGRES_HOST", host), ("POSTGRES_DB", database), ("POSTGRES_USER", user))
        if not value
    ]
    if missing:
        raise DatabaseConfigError(
            f"DATABASE_ENGINE=postgresql but {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set: set "
            f"{'it' if len(missing) == 1 else 'them'} in .env, or set DATABASE_URL instead"
        )
    if sslmode not in SSLMODES:
        raise DatabaseConfigError(
            f"POSTGRES_SSLMODE={sslmode!r} is not valid: use one of {', '.join(SSLMODES)}"
        )
    if not 0 < port < 65536:
        raise DatabaseConfigError(f"POSTGRES_PORT={port} is not a TCP port: use 1-65535 (default 5432)")
    query = {"sslmode": sslmode, **parse_postgres_options(options)}
    return URL.create(
        POSTGRES_DRIVER,
        username=user,
        password=password,
        host=host,
        port=port,
        database=database,
        query=query,
    )


def parse_postgres_options(options: str | None) -> dict[str, str]:
    """Parse POSTGRES_OPTIONS: libpq ``key=value`` pairs joined by ``&`` (values may be %-encoded)."""
    pairs: dict[str, str] = {}
    for chunk in (options or "").split("&"):
        if not chunk.strip():
            continue
        key, sep, value = chunk.partition("=")
        if not sep or not key.strip():
            raise DatabaseConfigError(
                f"POSTGRES_OPTIONS has {chunk!r}, which is not key=value: write libpq options as "
                "key=value pairs joined by &, e.g. connect_timeout=10&application_name=sms"
            )
        pairs[key.strip()] = unquote(value.strip())
    return pairs


def create_database_engine(resolved: ResolvedDatabase, options: EngineOptions | None = None) -> Engine:
    """Build the SQLAlchemy engine for a resolved database."""
    options = options or EngineOptions()
    if resolved.kind == "sqlite":
        return _create_sqlite_engine(resolved.url, options)
    return _create_postgres_engine(resolved.url, options)


def _create_postgres_engine(url: URL, options: EngineOptions) -> Engine:
    connect_args: dict[str, Any] = {}
    # Only fill in what the operator did not set in the URL or POSTGRES_OPTIONS.
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = options.connect_timeout
    if "application_name" not in url.query:
        connect_args["application_name"] = options.application_name
    # Keepalives find a peer that vanished (a dropped NAT entry, a dead host) on an idle or
    # waiting connection in minutes instead of the kernel's two hours.
    keepalives = {
        "keepalives_idle": options.tcp_keepalives_idle,
        "keepalives_interval": options.tcp_keepalives_interval,
        "keepalives_count": options.tcp_keepalives_count,
    }
    for key, value in keepalives.items():
        if value is not None and key not in url.query:
            connect_args.setdefault("keepalives", 1)
            connect_args[key] = value
    if options.pgbouncer:
        # psycopg prepares a statement on its 5th use, on one server connection; the bouncer then
        # runs the next EXECUTE on another, which has no such statement. None: never prepare.
        connect_args["prepare_threshold"] = None
        # PgBouncer refuses the libpq `options` start-up parameter, so the timeouts are set in
        # each transaction instead.
        server_options = _server_options(url, EngineOptions())
    else:
        server_options = _server_options(url, options)
    if server_options is not None:
        connect_args["options"] = server_options
    engine = create_engine(
        url,
        connect_args=connect_args,
        # A connection the server or a proxy closed is replaced before a request sees it
        # (without a round trip for one in use a moment ago: backend.db.liveness).
        pool_pre_ping=True,
        # The most recently returned connection first: a busy app keeps reusing a few warm
        # ones (their prepared statements, the ping skipped), and the rest can idle out.
        pool_use_lifo=True,
        pool_size=options.pool_size,
        max_overflow=options.max_overflow,
        # Managed services and NAT gateways drop idle connections; recycle before they do.
        pool_recycle=options.pool_recycle,
        pool_timeout=options.pool_timeout,
    )
    recently_used_skip_ping(engine)
    if options.wait_deadline_seconds:
        _bound_waits(engine, options.wait_deadline_seconds)
    if options.pgbouncer:
        _timeouts_per_transaction(engine, options)
    return engine


def _timeouts_per_transaction(engine: Engine, options: EngineOptions) -> None:
    """SET LOCAL the server-side timeouts at every transaction's start: one round trip each.

    A session-wide SET would stay on whichever server connection the bouncer lent and leak to
    other clients; SET LOCAL ends with the transaction. With DB_STATEMENT_TIMEOUT_MS=0 and
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS=0 (the role or database carrying them instead, see the
    production guide) nothing is sent.
    """
    settings = [
        f"SET LOCAL {name} = {value}"
        for name, value in (
            ("statement_timeout", options.statement_timeout_ms),
            ("idle_in_transaction_session_timeout", options.idle_in_transaction_timeout_ms),
        )
        if value is not None
    ]
    if not settings:
        return
    statement = "; ".join(settings)

    @event.listens_for(engine, "begin")
    def _set_local(connection: Any) -> None:
        # On the driver's connection: its first statement opens the transaction SQLAlchemy began.
        connection.connection.dbapi_connection.execute(statement)


def _server_options(url: URL, options: EngineOptions) -> str | None:
    """libpq ``options`` with the server-side timeouts added to what the operator gave."""
    given = url.query.get("options")
    merged = " ".join([given] if isinstance(given, str) else list(given or ()))
    # statement_timeout ends a runaway query on the server; idle_in_transaction_session_timeout
    # frees the locks of a client that opened a transaction and stopped talking.
    for name, value in (
        ("statement_timeout", options.statement_timeout_ms),
        ("idle_in_transaction_session_timeout", options.idle_in_transaction_timeout_ms),
    ):
        if value is not None and name not in merged:
            merged = f"{merged} -c {name}={value}".strip()
    return merged or None


def _bound_waits(engine: Engine, seconds: float) -> None:
    """Every wait on the server ends after ``seconds``, even when the server hangs."""

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        connection = DeadlineConnection.connect(*cargs, **cparams)
        connection.deadline_seconds = seconds
        return connection


def _create_sqlite_engine(url: URL, options: EngineOptions) -> Engine:
    database = Path(url.database) if url.database and url.database != ":memory:" else None
    if database is not None:
        files.make_private_dir(database.parent)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": options.sqlite_busy_timeout_ms / 1000},
        pool_size=options.pool_size,
        max_overflow=options.max_overflow,
        pool_timeout=options.pool_timeout,
    )
    busy_timeout = options.sqlite_busy_timeout_ms

    if database is not None:

        @event.listens_for(engine, "do_connect")
        def _create_private(_dialect: Any, _record: Any, _cargs: Any, _cparams: Any) -> None:
            # SQLite would create the file world-readable (0644); it holds password hashes, and
            # its -wal and -shm files take its mode. Created only on connect, as SQLite would.
            files.create_private_file(database)

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in (
            "foreign_keys=ON",
            "journal_mode=WAL",
            f"busy_timeout={busy_timeout}",
            "synchronous=NORMAL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    sqlite_transactions.install(engine)
    # Its writers take turns with every other SMS process on the file (the app's workers, the
    # CLIs), instead of racing them in SQLite's busy handler.
    sqlite_write_queue.install(engine)
    return engine


def _parse_database_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise DatabaseConfigError(
            f"DATABASE_URL {mask_url(raw)!r} cannot be parsed: use "
            "postgresql+psycopg://user:password@host:5432/dbname (percent-encode special "
            "characters in the password) or sqlite:///path/to/file.db"
        ) from None
    scheme = url.drivername.lower()
    if scheme in POSTGRES_SCHEMES:
        if not url.host and "host" not in url.query:
            raise DatabaseConfigError(
                f"DATABASE_URL {mask_url(url)} names no host: add one, e.g. "
                "postgresql+psycopg://user:password@host:5432/dbname"
            )
        if "@" in (url.host or ""):
            # The password ends at its first '@', so the rest would be taken for the host.
            raise DatabaseConfigError(
                "DATABASE_URL has an '@' in its password: write it as %40 (percent-encode special characters)"
            )
        sslmode = url.query.get("sslmode")
        if isinstance(sslmode, str) and sslmode not in SSLMODES:
            raise DatabaseConfigError(
                f"DATABASE_URL has sslmode={sslmode!r}, which is not valid: use one of {', '.join(SSLMODES)}"
            )
        return url.set(drivername=POSTGRES_DRIVER)
    if scheme in SQLITE_SCHEMES:
        if not url.database or url.database == ":memory:":
            raise DatabaseConfigError(
                "DATABASE_URL is a SQLite URL without a file: use sqlite:///path/to/file.db"
            )
        return url.set(drivername="sqlite")
    raise DatabaseConfigError(
        f"DATABASE_URL scheme {url.drivername!r} is not supported: use postgresql+psycopg:// "
        "(postgres:// and postgresql:// are accepted) or sqlite:///"
    )


def _sqlite_file(path: str, base_dir: Path) -> Path:
    file = Path(path).expanduser()
    return (file if file.is_absolute() else base_dir / file).resolve()


def _ignored_postgres_warning(postgres_vars: dict[str, str | None]) -> tuple[SettingsWarning, ...]:
    present = tuple(name for name, value in postgres_vars.items() if value)
    if not present:
        return ()
    message = (
        f"{', '.join(present)} {'is' if len(present) == 1 else 'are'} set but the engine is "
        "SQLite, so they are ignored: set DATABASE_ENGINE=postgresql to use PostgreSQL"
    )
    return (SettingsWarning(code="settings_ignored", variables=present, message=message),)
