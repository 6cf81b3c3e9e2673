"""DBOS vs huey: enqueue-to-start latency and time per job, on SQLite and PostgreSQL.

    .venv/bin/python bench/jobs/queue_latency.py --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Each library runs N no-op jobs one after another, in this process, with its state in a fresh
SQLite file (and, for DBOS, a fresh PostgreSQL schema too). Prints one JSON line per run.
huey is measured on SQLite only: its PostgreSQL storage (SqlHuey) needs peewee's own driver.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

STARTED: dict[str, float] = {}


def dbos_run(url: str, jobs: int) -> dict[str, Any]:
    from dbos import DBOS

    @DBOS.workflow(name="bench_noop")
    def noop(key: str) -> None:
        STARTED[key] = time.perf_counter()

    launch = time.perf_counter()
    DBOS(
        config={
            "name": "bench",
            "system_database_url": url,
            "dbos_system_schema": f"bench_{uuid.uuid4().hex[:6]}",
            "log_level": "WARNING",
            "notification_listener_polling_interval_sec": 0.2,
        }
    )
    DBOS.launch()
    queue = DBOS.register_queue("bench", global_concurrency=1, polling_interval_sec=0.5)
    launched = time.perf_counter() - launch
    latencies, totals = [], []
    for n in range(jobs):
        key = f"d{n}"
        sent = time.perf_counter()
        handle = queue.enqueue(noop, key)
        handle.get_result()
        totals.append(time.perf_counter() - sent)
        latencies.append(STARTED[key] - sent)
    DBOS.destroy(destroy_registry=True)
    return _figures("dbos", url.split(":")[0], jobs, latencies, totals, launched)


def huey_run(path: Path, jobs: int) -> dict[str, Any]:
    from huey import SqliteHuey

    huey = SqliteHuey(filename=str(path))

    @huey.task()
    def noop(key: str) -> bool:
        STARTED[key] = time.perf_counter()
        return True  # huey stores no None result, so get() would wait for ever

    consumer = huey.create_consumer(workers=1, periodic=False, initial_delay=0.05, max_delay=0.5)
    launch = time.perf_counter()
    consumer.start()  # its worker and scheduler threads; the health-check loop is not needed here
    launched = time.perf_counter() - launch
    latencies, totals = [], []
    for n in range(jobs):
        key = f"h{n}"
        sent = time.perf_counter()
        result = noop(key)
        result.get(blocking=True, timeout=30)
        totals.append(time.perf_counter() - sent)
        latencies.append(STARTED[key] - sent)
    consumer.stop(graceful=True)
    return _figures("huey", "sqlite", jobs, latencies, totals, launched)


def _figures(
    library: str, engine: str, jobs: int, latencies: list[float], totals: list[float], launched: float
) -> dict[str, Any]:
    return {
        "library": library,
        "engine": engine,
        "jobs": jobs,
        "start_latency_ms_median": round(statistics.median(latencies) * 1000, 1),
        "start_latency_ms_max": round(max(latencies) * 1000, 1),
        "per_job_ms_median": round(statistics.median(totals) * 1000, 1),
        "launch_ms": round(launched * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--postgres-url", help="a PostgreSQL for the DBOS run (skipped when absent)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(dbos_run(f"sqlite:///{folder}/dbos.db", args.jobs)))
        if args.postgres_url:
            print(json.dumps(dbos_run(args.postgres_url, args.jobs)))
        print(json.dumps(huey_run(Path(folder) / "huey.db", args.jobs)))


if __name__ == "__main__":
    main()
