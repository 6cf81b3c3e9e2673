"""One replica of a load run: uvicorn serving SMS on a listening socket the harness bound.

    python bench/api/replica.py FD WORKERS

The harness binds one socket per replica to the same port with ``SO_REUSEPORT`` and passes it
down. uvicorn's own ``--fd`` would take it for a Unix socket (``socket.fromfd(fd, AF_UNIX)``),
and the event loop then leaves Nagle's algorithm on for every connection it accepts: an answer
written in two parts waits for the client's delayed acknowledgement, up to 40 ms, and the
replicas measured at half the throughput of one process. Here the socket keeps its own family.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import uvicorn
from uvicorn.supervisors import Multiprocess

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(argv: list[str]) -> None:
    listening = socket.socket(fileno=int(argv[0]))  # the family and type read from the socket
    workers = int(argv[1])
    config = uvicorn.Config("backend.main:app", log_level="warning", access_log=False, workers=workers)
    server = uvicorn.Server(config)
    if workers > 1:
        Multiprocess(config, sockets=[listening]).run()
    else:
        server.run(sockets=[listening])


if __name__ == "__main__":
    main(sys.argv[1:])
