"""Keep the backup folder bounded and private: leftovers of killed runs, retention, file modes.

A backup killed mid-way leaves ``.<name>.partial`` (with SQLite's ``-journal`` beside it) or
``<name>.meta.json.partial``; a killed restore leaves a ``.restore-*`` folder holding a whole
copy of the database. Only a run holding the folder's lock (``store.exclusive``) writes them,
so a run that holds the lock knows that every leftover it finds is stale: create and restore
sweep under it, and start-up sweeps only if it gets the lock at once (if not, a backup is
running in another process and its files are not leftovers yet).
"""

from __future__ import annotations

import logging
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from backend.backups.errors import BackupError
from backend.backups.store import EXTENSIONS, METADATA_SUFFIX, exclusive, read_metadata, remove, validate_name
from backend.db.files import PRIVATE_DIR, PRIVATE_FILE, tighten

log = logging.getLogger(__name__)

LEFTOVER_FILE = re.compile(r"^(\..+\.partial(-journal|-wal|-shm)?|.+\.meta\.json\.partial)$")
RESTORE_DIR_PREFIX = ".restore-"


def sweep_leftovers(backup_dir: Path) -> list[str]:
    """Remove what killed backups and restores left; the caller holds ``exclusive(backup_dir)``."""
    removed = []
    for entry in sorted(backup_dir.iterdir()):
        if entry.name.startswith(RESTORE_DIR_PREFIX) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        elif LEFTOVER_FILE.match(entry.name) and not entry.is_dir():
            entry.unlink(missing_ok=True)
        else:
            continue
        removed.append(entry.name)
    if removed:
        log.warning(
            "removed what interrupted backups or restores left in %s: %s", backup_dir, ", ".join(removed)
        )
    return removed


def backup_sets(backup_dir: Path) -> list[tuple[datetime, str]]:
    """Every backup in the folder, restorable or not, as (created, name), newest first.

    A backup is any ``*.sqlite3`` or ``*.dump`` file or ``*.meta.json`` with a valid backup name,
    whoever put it there. One with readable metadata and its file is dated by its metadata; an
    orphan (a file without metadata, metadata without a file, unreadable metadata) by the
    newest of its files' modification times.
    """
    names: set[str] = set()
    for entry in backup_dir.iterdir() if backup_dir.is_dir() else ():
        name = entry.name.removesuffix(METADATA_SUFFIX)
        if name == entry.name and entry.suffix not in EXTENSIONS.values():
            continue
        if entry.name.startswith(".") or not entry.is_file():
            continue
        try:
            found = validate_name(name)
        except BackupError:
            continue
        names.add(found)
    dated = []
    for name in names:
        try:
            created = read_metadata(backup_dir, name).created_at
        except BackupError:
            created = _modified(backup_dir, name)
        dated.append((created, name))
    return sorted(dated, reverse=True)


def apply_retention(backup_dir: Path, *, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` backups, orphans counted (keep <= 0 keeps all); return the names."""
    if keep <= 0:
        return []
    removed = [name for _, name in backup_sets(backup_dir)[keep:]]
    for name in removed:
        remove(backup_dir, name)
    return removed


def secure_folder(backup_dir: Path) -> None:
    """Make the folder 0700 and every file in it 0600 (logging each change, warning when not allowed)."""
    if not backup_dir.is_dir():
        return
    tighten(backup_dir, PRIVATE_DIR)
    for entry in backup_dir.iterdir():
        if entry.is_file() and not entry.is_symlink():
            tighten(entry, PRIVATE_FILE)
        elif entry.is_dir() and not entry.is_symlink():
            tighten(entry, PRIVATE_DIR)


def tidy_at_startup(backup_dir: Path) -> None:
    """Sweep stale leftovers and fix the modes of an existing backup folder; never raises."""
    if not backup_dir.is_dir():
        return
    try:
        with exclusive(backup_dir):
            sweep_leftovers(backup_dir)
    except BackupError:
        log.info("a backup or restore is running in %s: its files are left alone", backup_dir)
    except OSError as exc:
        log.warning("cannot tidy the backup folder %s: %s", backup_dir, exc.strerror or exc)
    secure_folder(backup_dir)


def _modified(backup_dir: Path, name: str) -> datetime:
    times = []
    for path in (backup_dir / name, backup_dir / (name + METADATA_SUFFIX)):
        try:
            times.append(path.stat().st_mtime)
        except OSError:
            continue
    return datetime.fromtimestamp(max(times, default=0), UTC)
