"""Run SMS where writes really fail, although the tests run as root.

Root ignores file modes, so ``chmod`` alone proves nothing here. An unprivileged user
namespace (util-linux ``unshare``; no real root needed) gives a process that is either
- ``as_app_user``: uid 1000 inside, mapped onto our own uid: the files the test creates are
  its own and their mode bits bind it (no CAP_DAC_OVERRIDE), a file chowned to another uid is
  another user's, as for an app running as its own account; or
- ``on_read_only(folder)``: root inside, over a read-only bind mount of ``folder`` (EROFS,
  which binds root too), as for a volume mounted read-only; or
- ``on_small_disk(folder)``: root inside, with ``folder`` a tmpfs of a few hundred KiB, a real
  full disk (ENOSPC).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from backend.config import REPO_ROOT
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TEST_SECRET_KEY

_MOUNT_READ_ONLY = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
_MOUNT_TMPFS = 'mount -t tmpfs -o size="$1" tmpfs "$0" && shift && exec "$@"'


def require_user_namespaces() -> None:
    """Fail (not skip) with the reason when this machine cannot create user namespaces."""
    done = subprocess.run(["unshare", "-r", "-m", "true"], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"these tests need unprivileged user namespaces (unshare -r -m): {done.stderr.strip()}")


def as_app_user(command: Sequence[str]) -> list[str]:
    return ["unshare", "--map-user=1000", "--map-group=1000", *command]


def on_read_only(folder: Path, command: Sequence[str]) -> list[str]:
    return ["unshare", "-r", "-m", "sh", "-c", _MOUNT_READ_ONLY, str(folder), *command]


def on_small_disk(folder: Path, size: str, command: Sequence[str]) -> list[str]:
    return ["unshare", "-r", "-m", "sh", "-c", _MOUNT_TMPFS, str(folder), size, *command]


def app_env(database: Path, tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "DATABASE_"))}
    env.update(
        SMS_ENV_FILE="none",
        SQLITE_PATH=str(database),
        SECRET_KEY=TEST_SECRET_KEY,
        DEFAULT_ADMIN_EMAIL=ADMIN_EMAIL,
        DEFAULT_ADMIN_PASSWORD=ADMIN_PASSWORD,
        DEFAULT_ADMIN_MUST_CHANGE_PASSWORD="false",
        BACKUP_DIR=str(tmp_path / "backups"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(settings)
    return env


def uvicorn(port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "backend.main:app", "--host", "127.0.0.1", "--port", str(port)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    output: str = ""  # everything it printed, once it has stopped

    def login(self) -> dict[str, str]:
        answer = httpx.post(
            f"{self.url}/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@contextmanager
def serving(command: Sequence[str], env: dict[str, str], port: int) -> Iterator[Server]:
    """Start ``command`` (a uvicorn on ``port``) and wait until it answers /health/live."""
    process = subprocess.Popen(
        command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                if httpx.get(f"{server.url}/health/live", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the app did not answer within a minute"
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        server.output = process.communicate(timeout=30)[0]


def refused(command: Sequence[str], env: dict[str, str]) -> str:
    """Run a start-up that must fail; return everything it printed."""
    done = subprocess.run(
        command,
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0, done.stdout
    return done.stdout
