"""The reference 'plain' migrator: the guide's original approach, for the benchmark only.

Reads every table through SQLAlchemy from SQLite and inserts it into PostgreSQL in batches of
1000 rows (executemany of dicts), in FK order, FK triggers off for the self-referencing
courses table, then resets the sequences. No preflight, no verification.

Usage: python bench/migration/plain_migrator.py SQLITE_PATH POSTGRES_URL
"""

from __future__ import annotations

import sys

from sqlalchemy import JSON, create_engine, insert, null, select, text

from backend.models import Base
from backend.transfer.sequences import reset_sequences

BATCH = 1000


def main(sqlite_path: str, postgres_url: str) -> int:
    source = create_engine(f"sqlite:///{sqlite_path}")
    target = create_engine(postgres_url)
    tables = Base.metadata.sorted_tables
    with source.connect() as reader, target.begin() as writer:
        writer.execute(text("SET LOCAL TimeZone = 'UTC'"))
        writer.execute(text("SET LOCAL session_replication_role = replica"))
        writer.execute(text(f"TRUNCATE {', '.join(t.name for t in tables)} RESTART IDENTITY CASCADE"))
        for table in tables:
            # SQL NULL must stay SQL NULL: a plain None would become the JSON value null.
            json_columns = [c.name for c in table.columns if isinstance(c.type, JSON)]
            result = reader.execution_options(yield_per=BATCH).execute(select(table))
            for batch in result.mappings().partitions(BATCH):
                rows = [dict(row) for row in batch]
                for row in rows:
                    for name in json_columns:
                        if row[name] is None:
                            row[name] = null()
                writer.execute(insert(table), rows)
        reset_sequences(writer, [t.name for t in tables])
    source.dispose()
    target.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
