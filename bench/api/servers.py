"""The servers a load run measures: one uvicorn, N workers, or N replicas on one port.

- workers: ``python -m backend.serve`` with ``WEB_CONCURRENCY=N`` (uvicorn's supervisor, one
  listening socket shared by N worker processes), as the image serves;
- replicas: N independent uvicorn processes (``replica.py``), each with its own listening socket bound to
  the same port with ``SO_REUSEPORT``, so the kernel spreads connections over them, as N
  containers behind a load balancer would be.

Each is started only through its environment and stopped (SIGTERM, then SIGKILL) on exit.
``cpu_seconds`` reads the server's own CPU time (user + system, every process of the tree)
from ``/proc``, so a run can say how many CPU milliseconds each request cost the server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
REPLICA = Path(__file__).with_name("replica.py")


@dataclass
class Server:
    base: str
    processes: list[subprocess.Popen[bytes]]

    def pids(self) -> list[int]:
        """Every process serving: the started ones and their descendants (uvicorn's workers)."""
        roots = {p.pid for p in self.processes}
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        found, todo = set(), list(roots)
        while todo:
            pid = todo.pop()
            if pid not in found:
                found.add(pid)
                todo.extend(children.get(pid, []))
        return sorted(found)

    def cpu_seconds(self) -> float:
        """User + system CPU time of every live process of the server so far."""
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return total / CLOCK_TICKS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def reuseport_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    sock.set_inheritable(True)
    return sock


@contextmanager
def _stopping(process: subprocess.Popen[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def local_postgres_cpu_seconds() -> float | None:
    """User + system CPU time so far of every PostgreSQL process on this machine, or None when
    none runs here (a remote server, or SQLite, whose work is in the server's own CPU)."""
    total, found = 0, False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm, fields = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        if comm.split("(", 1)[-1] in ("postgres", "postmaster"):
            found = True
            values = fields.split()
            total += int(values[11]) + int(values[12])
    return total / CLOCK_TICKS if found else None


def listening_sockets(port: int) -> int:
    """How many sockets listen on 127.0.0.1:``port`` (uvicorn listens once its start-up is done)."""
    local = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as table:
        return sum(1 for line in table if line.split()[1:2] == [local] and line.split()[3] == "0A")


def _wait_ready(
    base: str, port: int, processes: list[subprocess.Popen[bytes]], label: str, listeners: int
) -> None:
    """Wait until every replica listens and the server answers /health/ready."""
    deadline = time.monotonic() + 90
    while True:
        for process in processes:
            if process.poll() is not None:
                raise SystemExit(
                    f"error: the server ({label}) exited with code {process.returncode}: see above"
                )
        try:
            if (
                listening_sockets(port) >= listeners
                and httpx.get(f"{base}/health/ready", timeout=2).status_code == 200
            ):
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"error: the server ({label}) did not become ready within 90 s")
        time.sleep(0.2)


@contextmanager
def serve(env: dict[str, str], *, workers: int, replicas: int) -> Iterator[Server]:
    """``workers`` x ``replicas`` uvicorn processes on one loopback port, ready when yielded."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    label = f"{workers} worker(s), {replicas} replica(s)"
    with ExitStack() as stack:
        processes = []
        if replicas == 1:
            # As the image and `make run` serve, whatever the number of workers: the layouts
            # differ only in WEB_CONCURRENCY (LOG_LEVEL=WARNING leaves out the access log).
            command = [sys.executable, "-m", "backend.serve", "--port", str(port)]
            run_env = {**env, "WEB_CONCURRENCY": str(workers)}
            processes.append(stack.enter_context(_stopping(subprocess.Popen(command, cwd=REPO, env=run_env))))
        else:
            for _ in range(replicas):
                sock = stack.enter_context(reuseport_socket(port))
                command = [sys.executable, str(REPLICA), str(sock.fileno()), str(workers)]
                process = subprocess.Popen(command, cwd=REPO, env=env, pass_fds=[sock.fileno()])
                processes.append(stack.enter_context(_stopping(process)))
                sock.close()  # the replica holds its own copy; the kernel balances across them
        # A replica's socket gets connections only once it listens, after its start-up: wait
        # for all of them (one shared socket when there is one replica).
        _wait_ready(base, port, processes, label, listeners=replicas)
        yield Server(base=base, processes=processes)
