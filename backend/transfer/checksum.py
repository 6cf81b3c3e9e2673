"""The content checksum of COPY text, the same on both sides of verification (see verify.py).

Free of database imports: the render worker takes it of what it renders.
"""

from __future__ import annotations

import functools
import hashlib
import struct
from dataclasses import dataclass

from backend.transfer.plan_types import Kind, TablePlan


@dataclass(frozen=True)
class Checksum:
    rows: int
    digest: int

    def __add__(self, other: Checksum) -> Checksum:
        return Checksum(self.rows + other.rows, self.digest + other.digest)


@functools.lru_cache(maxsize=8)
def _digest_struct(rows: int) -> struct.Struct:
    """The first 8 bytes of each of ``rows`` SHA-256 digests as signed big-endian integers, in one call."""
    return struct.Struct(">" + "q24x" * rows)


class ContentDigest:
    """The checksum of COPY text: one SHA-256 in order, or (``ordered=False``) a sum of per-row ones.

    SHA-256 rather than MD5: stronger, and more than twice as fast where the CPU has SHA
    instructions (1.8 GB/s against 0.76 on the benchmark machine).
    """

    def __init__(self, *, ordered: bool) -> None:
        self.ordered, self.rows, self._sum = ordered, 0, 0
        self._hash = hashlib.sha256()

    def add(self, data: bytes) -> None:
        """Whole lines of COPY text; COPY escapes newlines in values, so each line is one row."""
        rows = data.count(b"\n")
        self.rows += rows
        if self.ordered:
            self._hash.update(data)
        elif rows:
            sha256 = hashlib.sha256
            digests = b"".join([sha256(line).digest() for line in data.split(b"\n")[:rows]])
            self._sum += sum(_digest_struct(rows).unpack(digests))

    def result(self) -> Checksum:
        digest = int.from_bytes(self._hash.digest(), "big") if self.ordered else self._sum
        return Checksum(self.rows, digest if self.rows else 0)


def ordered_checksum(table: TablePlan, *, truncated: bool) -> bool:
    """Whether a table's checksum is one hash in key order, or the order-free sum of row hashes.

    In order only after a truncate (the table holds nothing but the copied rows) and for
    integer keys, which SQLite and PostgreSQL sort alike; text, enum or date keys may not.
    """
    kinds = {c.name: c.kind for c in table.columns}
    return truncated and all(kinds[c] in (Kind.INT4, Kind.INT8) for c in table.primary_key)
