"""Backups of the active database and restore, for the Control Panel and the backup CLI.

``service`` is the entry point (create, list, delete, restore, audited); ``store`` owns the
backup folder (names, metadata, listing, retention); ``sqlite`` and ``postgres`` copy the data
with each engine's own tools; ``pg_tools`` finds and runs pg_dump/pg_restore.
"""
