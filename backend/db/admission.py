"""Request slots: no more requests hold a pooled connection at once than the pool can lend.

A request's session keeps its connection from its first statement (the token check, in one
thread-pool call) to its commit (another), and between the two it waits for a thread like
every other request. With more requests in flight than the pool has connections, every
thread ends up blocked in the pool's checkout while every connection sits with a request that
waits for a thread: nothing moves until DB_POOL_TIMEOUT, and then those requests fail with 503
(24 clients against a pool of 2 answered 7 requests in 8 seconds). Here a request waits for a
slot on the event loop instead, before it takes a connection or a thread, and the slots leave
a connection for each thread's own short sessions (a session's last use, the login throttle).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import TimeoutError as PoolTimeoutError


def request_slots(*, pool_capacity: int, threads: int) -> int:
    """Slots for a pool of ``pool_capacity`` connections served by ``threads`` threads.

    Each thread may hold one connection of its own besides the requests' (a nested session),
    so those are kept back; a pool smaller than that still admits one request at a time.
    """
    return max(1, pool_capacity - threads)


class RequestSlots:
    """A first-come, first-served wait for one of ``slots``, bounded by ``timeout`` seconds."""

    def __init__(self, slots: int, *, timeout: float) -> None:
        self.slots = slots
        self.timeout = timeout
        self._semaphore = asyncio.Semaphore(slots)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(self.timeout):
                await self._semaphore.acquire()
        except TimeoutError:
            # The pool's own timeout error: the same 503 (database_busy) a checkout gives.
            raise PoolTimeoutError(
                f"every one of the {self.slots} request slots stayed busy for {self.timeout:g} s "
                "(DB_POOL_TIMEOUT); more DB_POOL_SIZE or DB_MAX_OVERFLOW admits more at once"
            ) from None
        try:
            yield
        finally:
            self._semaphore.release()
