"""More requests in flight than the pool has connections (backend.db.admission).

Before request slots, 24 clients against a worker with a pool of 2 connections got 7 answers
in 8 seconds: the threads sat in the pool's checkout while the connections sat with requests
waiting for a thread, until DB_POOL_TIMEOUT turned them into 503s.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import URL, create_engine, select
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from backend.db.admission import RequestSlots, request_slots
from backend.models import Student
from backend.tests.scale import replicas
from backend.tests.scale.test_replicas import _login

CLIENTS = 24
SECONDS = 4.0
POOL_TIMEOUT = 10


def test_clients_beyond_the_pool_wait_their_turn_instead_of_stalling(
    database_url: URL, db_kind: str, tmp_path: Path
) -> None:
    url = database_url.render_as_string(hide_password=False)
    env = replicas.environment(
        url,
        tmp_path / "backups",
        WEB_CONCURRENCY="1",
        WEB_THREADS="4",
        DB_POOL_SIZE="2",
        DB_MAX_OVERFLOW="0",
        DB_POOL_TIMEOUT=str(POOL_TIMEOUT),
        LOG_LEVEL="WARNING",
    )
    server = replicas.start("slots", env, tmp_path)
    try:
        replicas.wait_ready([server], started=time.monotonic())
        headers = _login(server)
        answers: list[tuple[int, float]] = []
        per_client = [0] * CLIENTS
        created: list[int] = []
        lock = threading.Lock()

        def client(number: int) -> None:
            with httpx.Client(base_url=server.url, headers=headers, timeout=60) as http:
                stop, sent = time.monotonic() + SECONDS, 0
                while time.monotonic() < stop:
                    began = time.monotonic()
                    if sent % 4 == 3:  # a write now and then: the session that commits
                        body = {
                            "student_id": f"SL-{number}-{sent}",
                            "first_name": "Slot",
                            "last_name": f"Client{number}",
                            "email": f"slot{number}.{sent}@school.example",
                            "enrollment_date": "2024-09-01",
                        }
                        response = http.post("/api/v1/students", json=body)
                    else:
                        response = http.get("/api/v1/students", params={"limit": 20})
                    with lock:
                        answers.append((response.status_code, time.monotonic() - began))
                        per_client[number] += 1
                        if response.status_code == 201:
                            created.append(response.json()["id"])
                    sent += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    codes = sorted({code for code, _ in answers})
    slowest = max(seconds for _, seconds in answers)
    print(f"\n{db_kind}: {len(answers)} answers from {CLIENTS} clients, slowest {slowest:.2f} s")
    assert codes == [200, 201], (codes, server.output()[-3000:])
    # Each request holds a connection for milliseconds: nothing comes near the pool's timeout.
    assert slowest < POOL_TIMEOUT / 2, slowest
    # Every client kept being served, in turns: the stall gave 7 answers in all in 8 s. Not a
    # rate: with a pool of 2 and 4 threads one request runs at a time, and under CI's parallel
    # tests (three replicas starting beside it) that one is 5 times slower than on a quiet machine.
    assert min(per_client) >= 3, per_client
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            stored = set(conn.scalars(select(Student.id).where(Student.first_name == "Slot")))
    finally:
        engine.dispose()
    assert stored == set(created)


def test_slots_leave_a_connection_for_each_thread() -> None:
    assert request_slots(pool_capacity=30, threads=4) == 26
    # A pool smaller than the threads still serves, one request at a time.
    assert request_slots(pool_capacity=2, threads=4) == 1


def test_a_full_house_waits_in_order_then_gives_the_pools_timeout() -> None:
    async def scenario() -> tuple[list[str], BaseException | None]:
        slots = RequestSlots(1, timeout=0.3)
        order: list[str] = []

        async def request(name: str, hold: float) -> None:
            async with slots.slot():
                order.append(name)
                await asyncio.sleep(hold)

        # b and c wait for a's slot, and get it in the order they asked.
        await asyncio.gather(request("a", 0.1), request("b", 0.05), request("c", 0.0))
        # A slot held past the timeout: the waiter gets the pool's own error (503 database_busy).
        holder = asyncio.create_task(request("holder", 1.0))
        await asyncio.sleep(0.05)
        try:
            await request("late", 0.0)
            failure = None
        except PoolTimeoutError as exc:
            failure = exc
        await holder
        return order, failure

    order, failure = asyncio.run(scenario())
    assert order == ["a", "b", "c", "holder"]
    assert isinstance(failure, PoolTimeoutError)
    assert "DB_POOL_TIMEOUT" in str(failure)
