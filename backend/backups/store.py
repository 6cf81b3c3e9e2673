"""The backup folder: safe names, ``<name>.meta.json`` files, checksums, listing and the lock.

``NAME_PATTERN`` (with the two rules in ``validate_name``) is the only definition of a backup
name; scripts/docker.sh and DOCKER.ps1 must ask this code rather than copy it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from backend.backups.errors import BackupError
from backend.db.files import PRIVATE_FILE, make_private_dir

METADATA_SUFFIX = ".meta.json"
METADATA_VERSION = 1
EXTENSIONS = {"sqlite": ".sqlite3", "postgresql": ".dump"}
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
CHUNK = 1024 * 1024
LOCK_FILE = ".backup.lock"


@dataclass(frozen=True)
class BackupInfo:
    """One backup as its metadata file describes it."""

    name: str
    engine: str
    created_at: datetime
    schema_revision: str | None
    row_counts: dict[str, int]
    size_bytes: int
    sha256: str
    app_version: str
    format: str
    server_version: str | None = None
    tool_version: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def checksum(self) -> str:
        return f"sha256:{self.sha256}"

    def as_metadata(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        data["created_at"] = self.created_at.isoformat()
        return {"metadata_version": METADATA_VERSION, **data, **self.extra}


@dataclass(frozen=True)
class SnapshotFacts:
    """What a fresh backup file holds, read from the same snapshot it was copied from."""

    schema_revision: str | None
    row_counts: dict[str, int]
    server_version: str
    tool_version: str | None = None


def validate_name(name: str) -> str:
    """Return ``name`` if it is a plain file name of a backup, else raise BackupError."""
    if not NAME_PATTERN.fullmatch(name) or ".." in name or name.endswith(METADATA_SUFFIX):
        raise BackupError(
            "invalid",
            f"{name[:80]!r} is not a backup name: use a name from the backup list "
            "(letters, digits, '.', '_' and '-' only, no folders)",
            field="name",
        )
    return name


def backup_file(backup_dir: Path, name: str) -> Path:
    return backup_dir / validate_name(name)


def metadata_file(backup_dir: Path, name: str) -> Path:
    return backup_dir / (validate_name(name) + METADATA_SUFFIX)


def new_name(backup_dir: Path, *, engine: str, created_at: datetime) -> str:
    """``sms-<engine>-YYYYmmdd-HHMMSS.<ext>``, suffixed when that second is taken already."""
    stem = f"sms-{engine}-{created_at.astimezone(UTC):%Y%m%d-%H%M%S}"
    extension = EXTENSIONS[engine]
    name, n = f"{stem}{extension}", 1
    while (backup_dir / name).exists() or (backup_dir / (name + METADATA_SUFFIX)).exists():
        n += 1
        name = f"{stem}-{n}{extension}"
    return name


def write_metadata(backup_dir: Path, info: BackupInfo) -> None:
    target = metadata_file(backup_dir, info.name)
    partial = target.with_name(target.name + ".partial")
    with open_private(partial) as handle:
        handle.write(json.dumps(info.as_metadata(), indent=2, sort_keys=True) + "\n")
    os.replace(partial, target)


def open_private(path: Path) -> TextIO:
    """Open ``path`` for writing, truncated, created 0600: backups hold password hashes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)  # an existing file keeps its mode through O_CREAT
    return os.fdopen(fd, "w")


def read_metadata(backup_dir: Path, name: str) -> BackupInfo:
    """The metadata of an existing backup; BackupError if the file or its metadata is missing."""
    data_path, meta_path = backup_file(backup_dir, name), metadata_file(backup_dir, name)
    if not data_path.is_file():
        raise BackupError(
            "not_found", f"there is no backup named {name} in {backup_dir}: pick one from the backup list"
        )
    try:
        raw = json.loads(meta_path.read_text())
        return _info_from(name, raw)
    except FileNotFoundError:
        problem = f"has no metadata file {meta_path.name}"
    except (OSError, ValueError, KeyError, TypeError):
        problem = f"has an unreadable metadata file {meta_path.name}"
    raise BackupError(
        "corrupt",
        f"backup {name} {problem}, so it cannot be checked and will not be restored: "
        "use another backup from the list",
    )


def scan(backup_dir: Path) -> list[BackupInfo]:
    """Every backup with readable metadata and its file present, newest first."""
    if not backup_dir.is_dir():
        return []
    found = []
    for meta in backup_dir.glob(f"*{METADATA_SUFFIX}"):
        name = meta.name.removesuffix(METADATA_SUFFIX)
        try:
            found.append(read_metadata(backup_dir, name))
        except BackupError:
            continue
    return sorted(found, key=lambda info: (info.created_at, info.name), reverse=True)


def remove(backup_dir: Path, name: str) -> None:
    """Remove a backup's file and metadata; the caller holds ``exclusive(backup_dir)``."""
    data_path, meta_path = backup_file(backup_dir, name), metadata_file(backup_dir, name)
    if not data_path.exists() and not meta_path.exists():
        raise BackupError(
            "not_found", f"there is no backup named {name} in {backup_dir}: pick one from the backup list"
        )
    data_path.unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)


def last_backup_at(backup_dir: Path) -> datetime | None:
    """The creation time of the newest backup whose metadata file is readable."""
    newest: datetime | None = None
    if not backup_dir.is_dir():
        return None
    for meta in backup_dir.glob(f"*{METADATA_SUFFIX}"):
        try:
            created = datetime.fromisoformat(json.loads(meta.read_text())["created_at"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if newest is None or created > newest:
            newest = created
    return newest


def file_digest(path: Path) -> tuple[int, str]:
    """Size in bytes and SHA-256 hex digest of a file."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def check_digest(path: Path, info: BackupInfo) -> None:
    """Raise BackupError unless the file has the size and checksum its metadata promises."""
    size, sha = file_digest(path)
    if size != info.size_bytes:
        raise BackupError(
            "corrupt",
            f"backup {info.name} is {size} bytes but its metadata says {info.size_bytes} (truncated or "
            "replaced), so it was not restored and the live data is untouched: use another backup",
        )
    if sha != info.sha256:
        raise BackupError(
            "corrupt",
            f"backup {info.name} fails its SHA-256 check (the file was changed after it was made), so it "
            "was not restored and the live data is untouched: use another backup",
        )


_thread_lock = threading.Lock()


def busy_error() -> BackupError:
    return BackupError("busy", "another backup, restore or delete is running: try again when it has finished")


@contextlib.contextmanager
def exclusive(backup_dir: Path) -> Iterator[None]:
    """One create, restore or delete at a time, across threads and processes (CLI and app)."""
    make_private_dir(backup_dir)
    busy = busy_error()
    if not _thread_lock.acquire(blocking=False):
        raise busy
    try:
        fd = os.open(backup_dir / LOCK_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        try:
            _flock(fd, busy)
            yield
        finally:
            os.close(fd)
    finally:
        _thread_lock.release()


def _flock(fd: int, busy: BackupError) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: the thread lock above still serialises the app's own requests.
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise busy from None


def _info_from(name: str, raw: dict[str, Any]) -> BackupInfo:
    known = {
        "name", "engine", "created_at", "schema_revision", "row_counts", "size_bytes",
        "sha256", "app_version", "format", "server_version", "tool_version", "metadata_version",
    }  # fmt: skip
    created = datetime.fromisoformat(raw["created_at"])
    return BackupInfo(
        name=name,
        engine=str(raw["engine"]),
        created_at=created if created.tzinfo else created.replace(tzinfo=UTC),
        schema_revision=raw.get("schema_revision"),
        row_counts={str(k): int(v) for k, v in dict(raw.get("row_counts") or {}).items()},
        size_bytes=int(raw["size_bytes"]),
        sha256=str(raw["sha256"]),
        app_version=str(raw.get("app_version", "unknown")),
        format=str(raw.get("format", "")),
        server_version=raw.get("server_version"),
        tool_version=raw.get("tool_version"),
        extra={k: v for k, v in raw.items() if k not in known},
    )
