"""Media storage: atomic writes under a root folder, with content-addressed paths.

The database stores paths relative to the media root, always with forward slashes.
Nothing here knows about Flask; the caller passes the root (``MEDIA_ROOT``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path, PurePosixPath

_HEX = re.compile(r"[0-9a-f]{4,}")
FILE_MODE = 0o644


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def content_path(digest: str, suffix: str, *, folder: str = "images") -> str:
    """Return a content-addressed relative path such as ``images/ab/cd/abcd….jpg``.

    The first two byte-pairs of the hex digest become sub-folders, so that no folder
    grows past 65,536 entries. Raises ValueError for a digest that is not hex or a
    suffix that holds a path separator.
    """
    digest = digest.lower()
    if not _HEX.fullmatch(digest):
        raise ValueError(f"not a hex digest: {digest!r}")
    if "/" in suffix or "\\" in suffix:
        raise ValueError(f"suffix must not hold a path separator: {suffix!r}")
    return f"{folder.strip('/')}/{digest[0:2]}/{digest[2:4]}/{digest}{suffix}"


def resolve(root: Path | str, relative_path: str) -> Path:
    """Return ``root / relative_path``. Raises ValueError if the path could leave root.

    The check is lexical: empty, absolute, ``..``, backslash and NUL paths are refused.
    Symbolic links inside the root are the operator's business and are followed.
    """
    if not relative_path or "\x00" in relative_path or "\\" in relative_path:
        raise ValueError(f"unsafe media path: {relative_path!r}")
    path = PurePosixPath(relative_path)
    if path.is_absolute() or ".." in path.parts or not path.parts or re.match(r"^[A-Za-z]:", relative_path):
        raise ValueError(f"unsafe media path: {relative_path!r}")
    return Path(root).joinpath(*path.parts)


def write_atomic(root: Path | str, relative_path: str, data: bytes, *, durable: bool = True) -> Path:
    """Write ``data`` to ``root/relative_path`` and return the full path.

    The bytes go to a temporary file in the same folder, are flushed to disk, and then
    replace the target in one step: readers see the old file or the new one, never half
    a file. Missing folders are created. Raises ValueError for a path that leaves root.
    ``durable=False`` skips the fsyncs, for files that can be made again (generated kit
    files): the rename still makes them appear whole, even if the process is killed.
    """
    target = resolve(root, relative_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(temp_name, FILE_MODE)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    if durable:
        _fsync_folder(target.parent)
    return target


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable. Not every platform can open a folder; skip there."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
