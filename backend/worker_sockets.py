"""The listening sockets of a server with several workers: on Linux, one per worker.

Each worker listens on a socket of its own (``SO_REUSEPORT``) and the kernel deals new
connections out among them. uvicorn's supervisor would hand every worker one shared socket,
and the event loop accepts every connection waiting on it at each wake-up: the worker that woke
first took them all, so 32 keep-alive clients (or a proxy's pooled connections) ended up 29 to 3
on two workers, and one worker did nearly all the work for as long as they stayed open.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

import uvicorn


class WorkerListener(socket.socket):
    """The supervisor's stand-in for the listening socket, for a worker to listen on its own.

    Bound with ``SO_REUSEPORT`` and never listening, it holds the port (a taken port fails here,
    before any worker starts) and receives no connections. uvicorn's supervisor passes its
    sockets to each worker it starts, restarts included, by pickling them: this one arrives in
    the worker as a new listener on the same address (``own_listener``), not as a copy of itself.
    """

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return own_listener, (self.family, self.getsockname()[:2])


def own_listener(family: socket.AddressFamily, address: tuple[str, int]) -> socket.socket:
    """A socket bound to ``address`` beside the other workers' (the worker's server listens on it)."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def worker_sockets(config: uvicorn.Config) -> list[socket.socket]:
    """What the supervisor hands its workers: a listener of their own each on Linux, else one to share."""
    if sys.platform != "linux" or config.uds is not None or config.fd is not None:
        # Elsewhere SO_REUSEPORT does not spread connections (macOS gives them all to one
        # socket) or does not exist (Windows): the workers share uvicorn's socket.
        return [config.bind_socket()]
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    # First without SO_REUSEPORT: the kernel would let this server join the listeners of another
    # server of the same user on this port (a second SMS, on another database), and each would
    # then answer some of the other's clients. A port anyone listens on fails here.
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((config.host, config.port))
        port = probe.getsockname()[1]
    placeholder = WorkerListener(family, socket.SOCK_STREAM)
    placeholder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    placeholder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    placeholder.bind((config.host, port))
    return [placeholder]
