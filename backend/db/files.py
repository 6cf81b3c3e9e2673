"""Files at rest: private modes for the database and backups, and whether SMS can write them.

The SQLite file holds password hashes, so it, its ``-wal``/``-shm``/``-journal`` files and the
backups are readable by the app's user only (0600, folders 0700). SQLite gives the side files
the mode of the database file, so creating the database 0600 is enough for new installs;
:func:`tighten` fixes an install made before that. A file owned by another user cannot be
changed: that is a warning, never a reason not to start.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
# SMS's own sidecar, empty: its record locks give the processes writing the file their turns
# (backend/core/sqlite_write_queue.py). Nothing to back up or move; created 0600 like the rest.
WRITER_LOCK_SUFFIX = "-writer.lock"

WriteProblem = Literal["file", "side_file", "folder", "filesystem"]


class DatabaseNotWritable(RuntimeError):
    """The SQLite database (or the folder it lives in) cannot be written by this process."""


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists (an empty file is a valid SQLite database)."""
    # If it exists, or cannot be created here, SQLite's own open then says which, as before.
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and its parents) with the last folder 0700; an existing one is left as it is."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)


def tighten(path: Path, mode: int) -> bool:
    """Take away the permission bits ``mode`` lacks, logging what changed or why not; True if private."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return True
    except OSError as exc:
        log.warning("cannot check the permissions of %s: %s", path, exc.strerror or exc)
        return False
    if not current & ~mode:
        return True
    private = current & mode
    try:
        os.chmod(path, private)
    except OSError as exc:
        log.warning(
            "%s is readable by other users (mode %03o) and could not be made private (%s): as its owner "
            "(uid %d), run chmod %03o on it",
            path, current, exc.strerror or exc, _owner(path), mode,
        )  # fmt: skip
        return False
    log.info("made %s private: mode %03o -> %03o", path, current, private)
    return True


def secure_sqlite_files(database: Path) -> None:
    """Make an existing SQLite database and its side files 0600."""
    for path in (database, *side_files(database), writer_lock_file(database)):
        tighten(path, PRIVATE_FILE)


def side_files(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in SQLITE_SIDE_FILES]


def writer_lock_file(database: Path) -> Path:
    return database.with_name(database.name + WRITER_LOCK_SUFFIX)


def write_problem(database: Path) -> tuple[WriteProblem, Path] | None:
    """Why this process cannot write the SQLite database (what and which path), or None.

    ``os.access`` answers for this process's user and honours a read-only mount, root included.
    """
    folder = _nearest_existing(database.parent)
    if _read_only_mount(folder):
        return "filesystem", folder
    if database.exists() and not os.access(database, os.W_OK):
        return "file", database
    for side in side_files(database)[:2]:
        if side.exists() and not os.access(side, os.R_OK | os.W_OK):
            return "side_file", side
    # SQLite creates (and deletes) the -wal, -shm and -journal files beside the database.
    if not os.access(folder, os.W_OK | os.X_OK):
        return "folder", folder
    return None


def describe_write_problem(problem: WriteProblem, path: Path) -> str:
    """One line for the logs and the start-up refusal."""
    who = f"the user SMS runs as (uid {os.getuid()})" if hasattr(os, "getuid") else "the user SMS runs as"
    return {
        "filesystem": f"the database folder {path} is on a read-only filesystem",
        "file": f"the database file {path} is not writable by {who}",
        "side_file": f"{path} is not writable by {who} (owned by uid {_owner(path)})",
        "folder": f"the database folder {path} is not writable by {who}",
    }[problem]


def check_writable(database: Path) -> None:
    """Raise DatabaseNotWritable with one line naming the path and the fix."""
    found = write_problem(database)
    if found is None:
        return
    problem, path = found
    raise DatabaseNotWritable(
        f"{describe_write_problem(problem, path)}; SQLite must write the database and create its -wal "
        "and -shm files beside it: make the folder and files writable by that user (or mount the "
        "volume read-write), or set SQLITE_PATH to a writable place"
    )


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        return False


def _owner(path: Path) -> int:
    try:
        return path.stat().st_uid
    except OSError:
        return -1
