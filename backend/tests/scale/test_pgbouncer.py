"""SMS behind a real PgBouncer in transaction mode (POSTGRES_PGBOUNCER=true).

The API suite runs through one too (``make test-pgbouncer``); these tests show why the setting
is needed and that start-up, whose locks must not outlive a transaction, works behind it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, create_engine, select, text
from sqlalchemy.exc import OperationalError

from backend.config import ConfigError
from backend.db.engine_builder import create_database_engine
from backend.models import User
from backend.tests.conftest import ADMIN_EMAIL, PostgresDatabases, make_settings
from backend.tests.scale import pgbouncer, replicas


@pytest.fixture(scope="module")
def bouncer(postgres_server: URL) -> Iterator[URL]:
    with pgbouncer.running(postgres_server) as url:
        yield url


@pytest.fixture
def bounced_database(bouncer: URL, pg_databases: PostgresDatabases) -> Iterator[URL]:
    """An empty database, reached through the bouncer."""
    direct = pg_databases.create("sms_bounced")
    yield bouncer.set(database=direct.database)
    pg_databases.drop(direct)


def _direct(url: URL) -> str:
    return pgbouncer.direct_url(url).render_as_string(hide_password=False)


def _engine(url: URL, tmp_path: Path, *, pgbouncer_mode: bool) -> Engine:
    settings = make_settings(
        url, tmp_path, POSTGRES_PGBOUNCER=pgbouncer_mode, POSTGRES_DIRECT_URL=_direct(url)
    )
    return create_database_engine(settings.database, settings.engine_options)


def test_without_the_setting_the_bouncer_refuses_the_apps_connections(
    bounced_database: URL, tmp_path: Path
) -> None:
    engine = _engine(bounced_database, tmp_path, pgbouncer_mode=False)
    # The server-side timeouts travel as the libpq `options` start-up parameter.
    with pytest.raises(OperationalError, match="unsupported startup parameter: options"):
        engine.connect()
    engine.dispose()


def test_with_the_setting_every_transaction_has_the_timeouts_and_nothing_is_prepared(
    bounced_database: URL, tmp_path: Path
) -> None:
    engine = _engine(bounced_database, tmp_path, pgbouncer_mode=True)

    def transactions(worker: int) -> list[str]:
        seen = []
        for n in range(12):  # past psycopg's prepare threshold (5) on every connection
            with engine.begin() as connection:
                seen.append(connection.scalar(text("SHOW statement_timeout")))
                assert connection.scalar(select(text(":n + :w")), {"n": n, "w": worker}) == n + worker
        return seen

    with ThreadPoolExecutor(4) as pool:
        seen = [value for values in pool.map(transactions, range(4)) for value in values]
    engine.dispose()
    assert set(seen) == {"30s"}
    # Outside a transaction the server connection keeps its own default: nothing leaked.
    with create_engine(bounced_database, isolation_level="AUTOCOMMIT").connect() as connection:
        assert connection.scalar(text("SHOW statement_timeout")) == "0"


def test_three_replicas_start_at_once_behind_the_bouncer(bounced_database: URL, tmp_path: Path) -> None:
    url = bounced_database.render_as_string(hide_password=False)
    env = replicas.environment(
        url,
        tmp_path / "backups",
        POSTGRES_PGBOUNCER="true",
        POSTGRES_DIRECT_URL=_direct(bounced_database),
        WEB_CONCURRENCY="1",
    )
    started = time.monotonic()
    running = [replicas.start(f"b{n}", env, tmp_path) for n in range(3)]
    try:
        replicas.wait_ready(running, started=started)
        slowest = max(r.ready_after or 0 for r in running)
        print(f"\nthrough PgBouncer: 3 replicas ready {slowest:.1f} s after starting at once")
    finally:
        for replica in running:
            replica.stop()
    for replica in running:
        replicas.assert_shut_down_cleanly(replica)
    engine = create_engine(bounced_database)
    with engine.connect() as connection:
        assert connection.execute(select(User.email)).scalars().all() == [ADMIN_EMAIL]
    engine.dispose()


def test_the_setting_without_a_direct_url_is_refused_in_one_line(
    bounced_database: URL, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="POSTGRES_PGBOUNCER=true needs POSTGRES_DIRECT_URL"):
        make_settings(bounced_database, tmp_path, POSTGRES_PGBOUNCER=True, POSTGRES_DIRECT_URL="")
