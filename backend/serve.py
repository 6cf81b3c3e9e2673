"""``python -m backend.serve``: serve SMS with uvicorn and the number of workers the settings ask.

The image's entrypoint and ``make run`` both start the server here, so the rule for the number
of workers lives in one place: ``WEB_CONCURRENCY`` when set, else the default the caller names
(``--default-workers cores`` in the image, ``1`` for ``make run``). Each worker is a process
with its own engine and pool; on SQLite they share the file, whose writes take turns.

The settings are checked here first: a bad one ends in its one line before any worker starts
(uvicorn would otherwise start and stop one worker per process to say the same).

On Linux each worker listens on a socket of its own (``backend.worker_sockets``).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from backend.cli import exit_codes
from backend.config import ConfigError, Settings, load_settings
from backend.worker_sockets import worker_sockets

CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def machine_cores(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """The cores this process may use: its CPU affinity, capped by a container's CPU quota."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text().split()[:2]
    except (OSError, ValueError):
        return max(cores, 1)
    if quota == "max":
        return max(cores, 1)
    # `docker run --cpus 1.5` is a quota of 150000 per 100000: 2 workers keep it busy.
    return max(min(cores, math.ceil(int(quota) / int(period))), 1)


def worker_count(settings: Settings, *, default: str) -> int:
    """WEB_CONCURRENCY, else the machine's cores (``default="cores"``) or one."""
    if settings.WEB_CONCURRENCY is not None:
        return settings.WEB_CONCURRENCY
    return machine_cores() if default == "cores" else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m backend.serve",
        description="Serve the SMS API and web app with uvicorn (WEB_CONCURRENCY workers).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--default-workers",
        choices=["cores", "1"],
        default="1",
        help="workers when WEB_CONCURRENCY is unset: the machine's cores, or 1 (default)",
    )
    parser.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-For/-Proto from the proxy in front (FORWARDED_ALLOW_IPS, default 127.0.0.1)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"SMS cannot start: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    workers = worker_count(settings, default=args.default_workers)
    print(
        f"SMS: serving on http://{args.host}:{args.port} with {workers} worker"
        f"{'' if workers == 1 else 's'} ({settings.database.kind})",
        file=sys.stderr,
    )
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "proxy_headers": args.proxy_headers,
        # uvicorn's own lines (one per request at INFO) follow the app's LOG_LEVEL: WARNING and
        # above leave out the access log, which costs every request its formatting and write.
        "log_level": settings.LOG_LEVEL.lower(),
        # Requests in flight finish (up to this long) after SIGTERM; new connections are refused.
        "timeout_graceful_shutdown": settings.GRACEFUL_SHUTDOWN_SECONDS,
    }
    if workers == 1:
        uvicorn.run("backend.main:app", **options)  # a refused start-up exits 3 (SystemExit)
        return exit_codes.OK
    config = uvicorn.Config("backend.main:app", workers=workers, **options)
    try:
        sockets = worker_sockets(config)
    except OSError as exc:
        print(f"SMS cannot start: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return STARTUP_FAILURE
    supervisor = Multiprocess(config, sockets=sockets)
    supervisor.run()
    # uvicorn stops every worker when one cannot start (the app refused, e.g. a schema behind
    # head) but then returns as from a clean stop: say it with the worker's code, so the
    # container is seen to fail.
    failed = [p.process.exitcode for p in supervisor.processes if p.process.exitcode == STARTUP_FAILURE]
    return failed[0] if failed else exit_codes.OK


if __name__ == "__main__":
    raise SystemExit(main())
