"""App replicas as the image runs them: real processes, migrations CLI first, then the server.

Each replica is ``python -m backend.db.migrations upgrade && exec python -m backend.serve``,
the two commands of ``docker/entrypoint.sh``, on its own loopback port, reading its settings
from the environment only (``SMS_ENV_FILE=none``), as ``docker compose up --scale app=3`` would
start them against one database.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TEST_SECRET_KEY


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Replica:
    """One app process (with its own workers) on a loopback port; ``log`` holds its output."""

    name: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]
    ready_after: float | None = field(default=None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def is_ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as ``docker stop`` sends it; the exit code once the server has shut down."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Its own session: the whole group (server and workers) goes, and nothing else.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise


def environment(database_url: str, backup_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "SMS_ENV_FILE": "none",
        "ENVIRONMENT": "production",
        "LOG_LEVEL": "INFO",
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET_KEY,
        "DEFAULT_ADMIN_EMAIL": ADMIN_EMAIL,
        "DEFAULT_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "DEFAULT_ADMIN_MUST_CHANGE_PASSWORD": "false",
        "BACKUP_DIR": str(backup_dir),
        "DB_POOL_SIZE": "2",
        "DB_MAX_OVERFLOW": "4",
        "GRACEFUL_SHUTDOWN_SECONDS": "5",
        **extra,
    }


def start(name: str, env: dict[str, str], folder: Path) -> Replica:
    """Start one replica the way the image's entrypoint does; returns at once."""
    port = free_port()
    python = shlex.quote(sys.executable)
    script = (
        f"{python} -m backend.db.migrations upgrade && "
        f"exec {python} -m backend.serve --host 127.0.0.1 --port {port}"
    )
    log = folder / f"{name}.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            ["bash", "-c", script],
            env=env,
            cwd=Path(__file__).resolve().parents[3],
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Replica(name, port, log, process)


def wait_ready(replicas: list[Replica], *, started: float, timeout: float = 90) -> None:
    """Wait until every replica answers /health/ready with 200; note when each did."""
    deadline = started + timeout
    waiting = list(replicas)
    while waiting:
        for replica in list(waiting):
            if replica.process.poll() is not None:
                code = replica.process.returncode
                raise AssertionError(f"{replica.name} exited ({code}):\n{replica.output()}")
            if replica.is_ready():
                replica.ready_after = time.monotonic() - started
                waiting.remove(replica)
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {r.name}\n{r.output()}" for r in waiting)
            raise AssertionError(f"not ready after {timeout:g} s:\n{logs}")
        time.sleep(0.1)


def assert_shut_down_cleanly(replica: Replica) -> None:
    """Stopped by SIGTERM after finishing its shutdown (one uvicorn process re-raises the signal)."""
    output = replica.output()
    assert replica.process.returncode in (0, -signal.SIGTERM), f"{replica.name}:\n{output[-3000:]}"
    assert "Application shutdown complete" in output, f"{replica.name}:\n{output}"
    assert "Traceback" not in output, f"{replica.name}:\n{output}"
