"""The copy engine behind ``python -m backend.scripts.migrate_sqlite_to_postgres``.

One module per step (docs/MIGRATION_TOOL.md): ``plan`` (tables and column kinds), ``source``
(the read-only snapshot), ``target`` (inspect and upgrade the target), ``preflight``,
``copy``, ``sequences``, ``verify``, ``report``; ``migrate`` runs them in order.
"""
