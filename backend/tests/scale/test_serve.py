"""`python -m backend.serve`: the number of workers, how they share connections, and a bad setting
or a taken port stopping it before any worker starts."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from backend.config import load_settings
from backend.serve import machine_cores, worker_count
from backend.tests.conftest import TEST_SECRET_KEY

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("cpu_max", "cap"),
    [("max 100000\n", None), ("100000 100000\n", 1), ("150000 100000\n", 2), ("garbage", None)],
)
def test_cores_are_capped_by_the_containers_cpu_quota(tmp_path: Path, cpu_max: str, cap: int | None) -> None:
    affinity = len(os.sched_getaffinity(0))
    (tmp_path / "cpu.max").write_text(cpu_max)
    assert machine_cores(tmp_path / "cpu.max") == (affinity if cap is None else min(cap, affinity))
    assert machine_cores(tmp_path / "absent") == affinity


def test_web_concurrency_wins_over_either_default(tmp_path: Path) -> None:
    settings = load_settings(_env_file=None, SECRET_KEY=TEST_SECRET_KEY, WEB_CONCURRENCY=3)
    assert worker_count(settings, default="cores") == worker_count(settings, default="1") == 3
    unset = load_settings(_env_file=None, SECRET_KEY=TEST_SECRET_KEY)
    assert worker_count(unset, default="1") == 1
    assert worker_count(unset, default="cores") == machine_cores()


def test_a_bad_setting_stops_the_server_in_one_line_before_any_worker(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "SMS_ENV_FILE": "none", "WEB_CONCURRENCY": "2", "SECRET_KEY": "short"}
    done = subprocess.run(
        [sys.executable, "-m", "backend.serve", "--port", "1"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("SMS cannot start: SECRET_KEY is missing, a placeholder or shorter")
    assert len(done.stderr.splitlines()) == 1 and "worker" not in done.stderr


def test_workers_that_cannot_start_end_the_server_with_their_code(tmp_path: Path) -> None:
    """A schema behind head (AUTO_MIGRATE=false) stops every worker; the parent exits 3, not 0."""
    env = {
        "PATH": os.environ["PATH"],
        "SMS_ENV_FILE": "none",
        "WEB_CONCURRENCY": "2",
        "SECRET_KEY": TEST_SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "backend.serve", "--port", "0"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 3, output[-3000:]
    assert "with 2 workers" in output and "the database schema is at none (empty database)" in output


def _server_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "SMS_ENV_FILE": "none",
        "WEB_CONCURRENCY": "2",
        "SECRET_KEY": TEST_SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'school.db'}",
        "AUTO_MIGRATE": "true",
        "BACKUP_DIR": str(tmp_path / "backups"),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _sockets_on(pid: int, port: int) -> tuple[set[str], int]:
    """The sockets listening on ``port`` that process ``pid`` holds (their inodes), and how many
    connections to ``port``."""
    inodes = set()
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        fds = []
    for fd in fds:
        with contextlib.suppress(OSError):
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    listening: set[str] = set()
    connected = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes and int(fields[1].rsplit(":", 1)[1], 16) == port:
                if fields[3] == "0A":
                    listening.add(fields[9])
                connected += fields[3] == "01"
    return listening, connected


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


LINUX_ONLY = pytest.mark.skipif(
    sys.platform != "linux", reason="workers listen on sockets of their own on Linux only"
)


@contextlib.contextmanager
def _two_workers(tmp_path: Path, port: int) -> Iterator[tuple[subprocess.Popen[bytes], list[int]]]:
    """``python -m backend.serve`` with two workers, once both listen and it answers; stopped after."""
    server = subprocess.Popen(
        [sys.executable, "-m", "backend.serve", "--port", str(port)],
        env=_server_env(tmp_path),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        workers = _listening_workers(server, port, lambda found: len(found) == 2 and _answers(port))
        yield server, workers
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=60)
    assert server.returncode == 0, stderr.decode()[-2000:]


def _listening_workers(
    server: subprocess.Popen[bytes], port: int, ready: Callable[[list[int]], bool]
) -> list[int]:
    deadline = time.monotonic() + 90
    while True:
        workers = [pid for pid in _children(server.pid) if _sockets_on(pid, port)[0]]
        if ready(workers):
            return workers
        assert server.poll() is None and time.monotonic() < deadline, f"no such workers: {workers}"
        time.sleep(0.2)


def _one_socket_each(workers: list[int], port: int) -> list[int]:
    """Each worker's listening socket is its own; how many connections each holds."""
    found = [_sockets_on(pid, port) for pid in workers]
    listening = [inode for sockets, _ in found for inode in sockets]
    assert len(listening) == len(set(listening)) == len(workers), f"one socket each: {found}"
    return [connected for _, connected in found]


@LINUX_ONLY
def test_a_burst_of_keep_alive_connections_is_shared_by_the_workers(tmp_path: Path) -> None:
    """40 clients connecting at once: each worker, on a socket of its own, gets a fair share.

    With one socket shared by the workers, the first worker to wake accepted every connection
    waiting (29 of 32 in the API bench), and kept them for as long as the clients stayed.
    """
    port = _free_port()
    clients: list[socket.socket] = []
    with _two_workers(tmp_path, port) as (_server, workers):
        start = threading.Barrier(40)

        def connect() -> socket.socket:
            start.wait()
            client = socket.create_connection(("127.0.0.1", port), timeout=30)
            client.sendall(b"GET /health/live HTTP/1.1\r\nHost: sms\r\n\r\n")
            assert client.recv(64).startswith(b"HTTP/1.1 200")
            return client

        try:
            with ThreadPoolExecutor(40) as pool:
                clients = list(pool.map(lambda _: connect(), range(40)))
            shares = sorted(_one_socket_each(workers, port))
            assert sum(shares) == 40
            assert shares[0] >= 8, f"the workers hold {shares} of 40 connections"
        finally:
            for client in clients:
                client.close()


@LINUX_ONLY
def test_a_killed_worker_is_replaced_by_one_listening_on_a_socket_of_its_own(tmp_path: Path) -> None:
    """The supervisor starts a new worker on a socket of its own, and every connection is then
    answered. (One made while the old worker was dying can be dropped with its socket, unless
    net.ipv4.tcp_migrate_req hands it over: the production guide says so.)"""
    port = _free_port()
    with _two_workers(tmp_path, port) as (server, workers):
        os.kill(workers[0], signal.SIGKILL)
        replaced = _listening_workers(server, port, lambda found: len(found) == 2 and workers[0] not in found)
        assert workers[1] in replaced
        _one_socket_each(replaced, port)
        assert all(_answers(port) for _ in range(20))


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
            client.sendall(b"GET /health/live HTTP/1.1\r\nHost: sms\r\nConnection: close\r\n\r\n")
            return client.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


@LINUX_ONLY
def test_a_port_another_server_listens_on_stops_the_server_in_one_line(tmp_path: Path) -> None:
    """Even a server that would share the port (SO_REUSEPORT, as the workers do): two SMS on one
    port would each answer some of the other's clients, from another database."""
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "backend.serve", "--port", str(port)],
            env=_server_env(tmp_path),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 3
    lines = done.stderr.splitlines()
    assert lines[-1] == f"SMS cannot start: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert not (tmp_path / "school.db").exists()
