"""The test harness: every database test runs on a real SQLite file and a real PostgreSQL.

PostgreSQL comes from TEST_POSTGRES_URL (a server we may create databases on) or, when that
is unset, from a throwaway server started from the ``pgserver`` wheel. If neither can be
had the run stops with a clear message: the PostgreSQL half is never skipped.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine, create_engine, make_url, text

from backend.config import Settings, load_settings
from backend.db import migrations
from backend.db.engine_builder import create_database_engine
from backend.main import create_app
from backend.models import Base

ENGINES = ("sqlite", "postgresql")
TEST_SECRET_KEY = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ADMIN_EMAIL = "admin@school.test"
ADMIN_PASSWORD = "Adm1n-pa55word!"

logging.getLogger("pgserver").setLevel(logging.WARNING)

# The developer's shell must not leak into the settings the tests build.
for _name in Settings.model_fields:
    os.environ.pop(_name, None)


def _pgserver_url(base: Path) -> URL:
    try:
        import pgserver
    except ImportError:
        pytest.exit("TEST_POSTGRES_URL is unset and pgserver is not installed: `make test` installs it", 3)
    try:
        server = pgserver.get_server(base, cleanup_mode="stop")
    except Exception as exc:
        pytest.exit(
            f"TEST_POSTGRES_URL is unset and the embedded PostgreSQL (pgserver) did not start: {exc}. "
            "Set TEST_POSTGRES_URL=postgresql://user@host:5432/postgres to use a running server",
            3,
        )
    socket_dir = str(server.get_uri()).rsplit("host=", 1)[1]
    return URL.create(
        "postgresql+psycopg", username="postgres", database="postgres", query={"host": socket_dir}
    )


# TEST_PGBOUNCER=1: every PostgreSQL URL of the run goes through a real PgBouncer in transaction
# mode, and the app is told so (backend/tests/scale/pgbouncer.py; make test-pgbouncer).
THROUGH_PGBOUNCER = bool(os.environ.get("TEST_PGBOUNCER"))


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[URL]:
    """A maintenance URL on a PostgreSQL server where test databases can be created."""
    raw = os.environ.get("TEST_POSTGRES_URL")
    if raw:
        url = make_url(raw).set(drivername="postgresql+psycopg")
    else:
        url = _pgserver_url(Path(f"/tmp/sms-pgserver-{os.getuid()}"))
    try:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        pytest.exit(f"cannot reach the test PostgreSQL at {url.render_as_string()}: {exc}", 3)
    if not THROUGH_PGBOUNCER:
        yield url
        return
    from backend.tests.scale import pgbouncer

    with pgbouncer.running(url) as bouncer:
        yield bouncer


class PostgresDatabases:
    """Creates uniquely named databases on the test server and drops them afterwards."""

    def __init__(self, server: URL) -> None:
        self.server = server
        self.admin = create_engine(server, isolation_level="AUTOCOMMIT")

    def create(self, prefix: str = "sms_test") -> URL:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        return self.server.set(database=name)

    def drop(self, url: URL) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_databases(postgres_server: URL) -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(postgres_server)
    yield databases
    databases.admin.dispose()


def _migrated_engine(url: URL) -> Engine:
    engine = create_engine(url)
    migrations.upgrade(engine)
    return engine


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrated_engine(URL.create("sqlite", database=str(path))).dispose()
    return path


@pytest.fixture(scope="session")
def pg_migrated(pg_databases: PostgresDatabases) -> Iterator[URL]:
    url = pg_databases.create()
    _migrated_engine(url).dispose()
    yield url
    pg_databases.drop(url)


def _empty_all_tables(url: URL) -> None:
    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=ENGINES)
def db_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
def database_url(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[URL]:
    """A migrated, empty database of the parametrised engine, private to this test."""
    if db_kind == "sqlite":
        path = tmp_path / "sms.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield URL.create("sqlite", database=str(path))
        return
    url: URL = request.getfixturevalue("pg_migrated")
    yield url
    _empty_all_tables(url)


@pytest.fixture
def empty_database_url(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[URL]:
    """A database of the parametrised engine with no tables at all."""
    if db_kind == "sqlite":
        yield URL.create("sqlite", database=str(tmp_path / "empty.db"))
        return
    databases: PostgresDatabases = request.getfixturevalue("pg_databases")
    url = databases.create("sms_empty")
    yield url
    databases.drop(url)


def make_settings(url: URL, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "_env_file": None,
        "DATABASE_URL": url.render_as_string(hide_password=False),
        "SECRET_KEY": TEST_SECRET_KEY,
        "DEFAULT_ADMIN_EMAIL": ADMIN_EMAIL,
        "DEFAULT_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "BACKUP_DIR": str(tmp_path / "backups"),
        "DB_POOL_SIZE": 5,
        "DB_MAX_OVERFLOW": 30,
        # The suite logs in as this admin everywhere; the walk-through's own tests turn it on.
        "DEFAULT_ADMIN_MUST_CHANGE_PASSWORD": False,
    }
    if THROUGH_PGBOUNCER and url.get_backend_name() == "postgresql":
        from backend.tests.scale import pgbouncer

        values["POSTGRES_PGBOUNCER"] = True
        values["POSTGRES_DIRECT_URL"] = pgbouncer.direct_url(url).render_as_string(hide_password=False)
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def settings(database_url: URL, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_database_engine(settings.database, settings.engine_options)
    yield engine
    engine.dispose()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def login(client: TestClient, email: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def admin_headers(client: TestClient) -> dict[str, str]:
    return login(client, ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture
def make_user(engine: Engine):  # type: ignore[no-untyped-def]
    """Create a user directly in the database and return login headers for it."""
    from sqlalchemy.orm import Session

    from backend.core.security import hash_password
    from backend.models import User, UserRole

    def factory(client: TestClient, role: str, password: str = "Teacher-pa55!") -> dict[str, str]:
        email = f"{role}-{uuid.uuid4().hex[:8]}@school.test"
        with Session(engine) as session, session.begin():
            session.add(
                User(
                    email=email,
                    full_name=role.title(),
                    hashed_password=hash_password(password),
                    role=UserRole(role),
                )
            )
        return login(client, email, password)

    return factory
