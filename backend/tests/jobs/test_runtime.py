"""The job library in the app's own database, on both engines: one per process, one queue for all.

Apps are built and stopped one after another (as the tests do), the tables land where they
belong (a SQLite file beside the school's; PostgreSQL's own schema), and two enqueues racing for one
deduplication key let exactly one job in (the API test races whole requests).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from dbos import DBOS, SetEnqueueOptions
from dbos import error as dbos_error
from fastapi.testclient import TestClient
from sqlalchemy import URL, create_engine, inspect, make_url

from backend.config import Settings
from backend.db.engine_builder import ResolvedDatabase
from backend.jobs import runtime
from backend.main import create_app
from backend.models import Base

QUEUE = runtime.declare_queue("sms_test_jobs", concurrency=1)
release = threading.Event()


@DBOS.workflow(name="sms_test_wait")
def wait_for_release(label: str) -> str:
    release.wait(timeout=30)
    return label


def test_apps_one_after_another_each_run_jobs(settings: Settings) -> None:
    for round_ in range(3):
        release.set()
        with TestClient(create_app(settings)):
            handle = runtime.queue(QUEUE).enqueue(wait_for_release, f"round {round_}")
            assert handle.get_result() == f"round {round_}"
    assert runtime._users == 0


def test_the_tables_stay_out_of_the_schools_tables(
    settings: Settings, database_url: URL, db_kind: str
) -> None:
    with TestClient(create_app(settings)):
        pass
    engine = create_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {*Base.metadata.tables, "alembic_version"}
        if db_kind == "postgresql":
            assert "workflow_status" in inspect(engine).get_table_names(schema=runtime.SCHEMA)
            return
    finally:
        engine.dispose()
    # SQLite: a file of their own beside the school's, as private as it is.
    assert database_url.database is not None
    jobs = runtime.jobs_file(Path(database_url.database))
    assert jobs.name == "sms-jobs.db" and jobs.stat().st_mode & 0o777 == 0o600
    jobs_engine = create_engine(URL.create("sqlite", database=str(jobs)))
    try:
        assert "workflow_status" in inspect(jobs_engine).get_table_names()
    finally:
        jobs_engine.dispose()


def test_racing_enqueues_with_one_key_let_one_in(settings: Settings) -> None:
    release.clear()
    outcomes: list[Any] = []
    barrier = threading.Barrier(4)

    def enqueue(n: int) -> None:
        barrier.wait()
        try:
            with SetEnqueueOptions(deduplication_id="only-one"):
                outcomes.append(runtime.queue(QUEUE).enqueue(wait_for_release, f"job {n}"))
        except dbos_error.DBOSQueueDeduplicatedError as exc:
            outcomes.append(exc)

    with TestClient(create_app(settings)):
        threads = [threading.Thread(target=enqueue, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        handles = [o for o in outcomes if not isinstance(o, Exception)]
        assert len(handles) == 1 and len(outcomes) == 4
        release.set()
        assert handles[0].get_result().startswith("job ")


def test_the_library_reaches_a_unix_socket_server_named_by_postgres_host(tmp_path: Path) -> None:
    """POSTGRES_HOST may be the folder of the server's socket: the library's URL, which it parses
    again, keeps that server and that database (it used to read back as a database named
    `tmp/sock:5432/sms` on the default socket, where the library then created it)."""
    socket_host = URL.create(
        "postgresql+psycopg",
        username="sms",
        password="p@ss/word",
        host="/run/postgresql",
        port=5433,
        database="sms",
        query={"sslmode": "prefer"},
    )
    tcp_host = socket_host.set(host="db.internal")
    for url in (socket_host, tcp_host):
        parsed = make_url(runtime.system_url(ResolvedDatabase("postgresql", url, "POSTGRES_HOST")))
        assert (parsed.host or parsed.query["host"]) == url.host
        assert (parsed.port, parsed.database, parsed.username) == (5433, "sms", "sms")
        assert parsed.password == "p@ss/word"
        assert parsed.query["sslmode"] == "prefer"
