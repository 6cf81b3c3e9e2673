"""Bounded waits (issue 11, item 7): a hung database gives 503s within the bound, never a hang.

The defect: a frozen PostgreSQL server (not stopped: hung) made requests wait without any
bound. The tests put a TCP proxy between the app and the real server and "freeze" it: its
sockets stay open and nothing is forwarded either way, which is what a stopped VM or a hung
storage volume looks like from the app (the kernel of a frozen host still ACKs, so TCP
keepalives and statement_timeout cannot end the wait). The app runs under a real uvicorn in a
thread, with real worker threads blocked in libpq.
"""

from __future__ import annotations

import contextlib
import select
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, text
from sqlalchemy.exc import OperationalError

from backend.config import Settings
from backend.db.deadlines import DatabaseDeadlineExceeded
from backend.db.engine_builder import create_database_engine
from backend.main import create_app
from backend.tests.api.conftest import LiveServer
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, login, make_settings

DEADLINE = 2
CONNECT_TIMEOUT = 2
PROBE_TIMEOUT = 1
# A request on a frozen server: its pooled connection's check runs into the deadline, the
# reconnect into the connect timeout; the rest is slack for a loaded 2-core machine.
REQUEST_BOUND = DEADLINE + CONNECT_TIMEOUT + 4
PROBE_BOUND = PROBE_TIMEOUT + 2


class FreezableProxy:
    """A TCP proxy to PostgreSQL that can stop forwarding both ways while keeping its sockets open."""

    def __init__(self, upstream: URL) -> None:
        socket_dir = upstream.query.get("host")
        port = upstream.port or 5432
        if isinstance(socket_dir, str) and socket_dir.startswith("/"):
            self.upstream: tuple[int, str | tuple[str, int]] = (
                socket.AF_UNIX,
                f"{socket_dir}/.s.PGSQL.{port}",
            )
        else:
            self.upstream = (socket.AF_INET, (upstream.host or "127.0.0.1", port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.frozen = threading.Event()
        self.closed = threading.Event()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            family, address = self.upstream
            server = socket.socket(family, socket.SOCK_STREAM)
            server.connect(address)
            self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        while not self.closed.is_set():
            if self.frozen.is_set():
                time.sleep(0.02)  # hold the bytes in the kernel, like a hung host
                continue
            ready, _, _ = select.select([source], [], [], 0.05)
            if not ready or self.frozen.is_set():
                continue
            try:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
            except OSError:
                break
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.closed.set()
        self.listener.close()
        for sock in self.sockets:
            sock.close()


@pytest.fixture
def proxy(database_url: URL) -> Iterator[FreezableProxy]:
    running = FreezableProxy(database_url)
    yield running
    running.close()


@pytest.fixture
def proxied_settings(database_url: URL, proxy: FreezableProxy, tmp_path: Path) -> Settings:
    url = database_url.difference_update_query(["host"]).set(host="127.0.0.1", port=proxy.port)
    return make_settings(
        url,
        tmp_path,
        DB_REQUEST_DEADLINE_SECONDS=DEADLINE,
        DB_CONNECT_TIMEOUT=CONNECT_TIMEOUT,
        DB_POOL_TIMEOUT=DEADLINE,
        HEALTH_PROBE_TIMEOUT_SECONDS=PROBE_TIMEOUT,
    )


def _timed(method: str, url: str, **kwargs: object) -> tuple[int, str, float]:
    started = time.monotonic()
    # The client's own timeout only stops a hanging test; the bound asserted is far below it.
    response = httpx.request(method, url, timeout=30, **kwargs)  # type: ignore[arg-type]
    return response.status_code, response.text, time.monotonic() - started


@pytest.mark.parametrize("db_kind", ["postgresql"])
def test_a_frozen_postgres_server_gives_503s_within_the_bound(
    proxy: FreezableProxy, proxied_settings: Settings
) -> None:
    # A bounded shutdown, so a test of the unbounded (old) code fails instead of hanging.
    with LiveServer(create_app(proxied_settings), graceful_shutdown_seconds=5) as server:
        token = httpx.post(
            f"{server.url}/api/v1/auth/login",
            json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
            timeout=30,
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{server.url}/api/v1/students", headers=headers).status_code == 200

        proxy.frozen.set()
        calls = [("GET", f"{server.url}/api/v1/students", {"headers": headers})] * 4
        calls.append(
            ("POST", f"{server.url}/api/v1/auth/login", {"json": {"email": "a@b.c", "password": "x"}})
        )
        try:
            with ThreadPoolExecutor(len(calls) + 1) as pool:
                probe = pool.submit(_timed, "GET", f"{server.url}/health/ready")
                answers = list(pool.map(lambda call: _timed(call[0], call[1], **call[2]), calls))
                ready = probe.result()
            live = _timed("GET", f"{server.url}/health/live")
        finally:
            proxy.frozen.clear()  # whatever happened, let blocked workers finish
        slowest = max(elapsed for _, _, elapsed in answers)
        print(
            f"\nfrozen PostgreSQL: API 503 after at most {slowest:.2f} s, "
            f"/health/ready after {ready[2]:.2f} s"
        )

        for status, body, elapsed in answers:
            assert status == 503, body
            assert elapsed < REQUEST_BOUND
            assert "\n" not in body and "Traceback" not in body
            assert "database" in httpx.Response(200, text=body).json()["detail"]
        assert ready[0] == 503 and '"fail"' in ready[1]
        assert ready[2] < PROBE_BOUND
        assert live[0] == 200 and live[2] < 1

        # Thawed, the pool drops the connections it gave up on and the app serves again.
        deadline = time.monotonic() + 20
        while httpx.get(f"{server.url}/api/v1/students", headers=headers, timeout=30).status_code != 200:
            assert time.monotonic() < deadline, "the app did not recover after the server thawed"
            time.sleep(0.2)
        assert httpx.get(f"{server.url}/health/ready", timeout=30).status_code == 200


@pytest.mark.parametrize("db_kind", ["postgresql"])
def test_a_query_on_a_frozen_server_ends_at_the_deadline_and_the_pool_drops_it(
    proxy: FreezableProxy, proxied_settings: Settings
) -> None:
    engine = create_database_engine(proxied_settings.database, proxied_settings.engine_options)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            proxy.frozen.set()
            started = time.monotonic()
            with ThreadPoolExecutor(1) as pool:
                query = pool.submit(connection.execute, text("SELECT 1"))
                try:
                    error = query.exception(timeout=DEADLINE + 5)
                except TimeoutError:
                    proxy.close()  # unblock the worker so the failure is reported, not a hang
                    raise AssertionError("the query on a frozen server did not end") from None
            elapsed = time.monotonic() - started
            assert isinstance(error, OperationalError), error
            assert isinstance(error.orig, DatabaseDeadlineExceeded)
            assert connection.invalidated
        assert DEADLINE <= elapsed < DEADLINE + 2
        proxy.frozen.clear()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_a_pool_with_no_free_connection_is_a_503_within_the_pool_timeout(
    database_url: URL, tmp_path: Path
) -> None:
    settings = make_settings(database_url, tmp_path, DB_POOL_SIZE=1, DB_MAX_OVERFLOW=0, DB_POOL_TIMEOUT=1)
    with TestClient(create_app(settings)) as client:
        headers = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        with client.app.state.database.engine.connect():  # type: ignore[attr-defined]
            started = time.monotonic()
            response = client.get("/api/v1/students", headers=headers)
            elapsed = time.monotonic() - started
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "5"
        assert "connections busy" in response.json()["detail"]
        assert elapsed < 4
        assert client.get("/api/v1/students", headers=headers).status_code == 200


@pytest.mark.parametrize("db_kind", ["sqlite"])
def test_a_held_sqlite_write_lock_gives_a_503_within_the_busy_timeout(
    database_url: URL, tmp_path: Path
) -> None:
    """SQLite's counterpart of a hung server: another process holds the write lock."""
    settings = make_settings(database_url, tmp_path, SQLITE_BUSY_TIMEOUT_MS=1000)
    with TestClient(create_app(settings)) as client:
        headers = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        holder = sqlite3.connect(str(database_url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            response = client.post("/api/v1/courses", json=_course(), headers=headers)
            elapsed = time.monotonic() - started
            assert client.get("/health/ready").status_code == 200  # readers are not blocked
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert response.status_code == 503, response.text
        assert elapsed < 5


def _course() -> dict[str, object]:
    return {"course_code": "BW101", "course_name": "Bounded waits", "semester": "Fall", "year": 2026}


@pytest.mark.parametrize("db_kind", ["postgresql"])
def test_postgres_connections_carry_the_timeouts_and_keepalives(settings: Settings) -> None:
    engine = create_database_engine(settings.database, settings.engine_options)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "30s"
            idle = connection.execute(text("SHOW idle_in_transaction_session_timeout")).scalar_one()
            assert idle == "5min"
            parameters = connection.connection.dbapi_connection.info.get_parameters()  # type: ignore[union-attr]
            assert parameters["keepalives_idle"] == "30"
            assert parameters["keepalives_interval"] == "10"
            assert parameters["keepalives_count"] == "3"
            assert parameters["connect_timeout"] == "10"
    finally:
        engine.dispose()


@pytest.mark.parametrize("db_kind", ["postgresql"])
def test_operator_options_win_and_a_runaway_statement_is_ended(database_url: URL, tmp_path: Path) -> None:
    url = database_url.update_query_dict({"options": "-c statement_timeout=300ms -c work_mem=8MB"})
    settings = make_settings(url, tmp_path, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS=0)
    engine = create_database_engine(settings.database, settings.engine_options)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "300ms"
            assert connection.execute(text("SHOW work_mem")).scalar_one() == "8MB"
            # 0 turns a bound off: the server's default (no limit) applies.
            assert connection.execute(text("SHOW idle_in_transaction_session_timeout")).scalar_one() == "0"
            started = time.monotonic()
            with pytest.raises(Exception, match="statement timeout"):
                connection.execute(text("SELECT pg_sleep(5)"))
            assert time.monotonic() - started < 3
    finally:
        engine.dispose()
