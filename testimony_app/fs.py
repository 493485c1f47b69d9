"""File-system helpers that every file we write or read from outside goes through.

``atomic_write`` makes a sibling temp file with mode 0600 *before* any byte is written,
fsyncs it, renames it over the target and fsyncs the folder, so a crash leaves either the old
file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def fsync_dir(path: Path) -> None:
    """Make a rename or a new entry in ``path`` durable."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def private_mkdir(path: Path) -> Path:
    """Create a folder (and parents) readable by the owner only."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_DIR)
    return path


def temp_sibling(target: Path, suffix: str = ".part") -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(8)}{suffix}")


def open_private(path: Path, *, exclusive: bool = True) -> BinaryIO:
    """Open a new file for writing with mode 0600 from the start."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, PRIVATE_FILE)
    return os.fdopen(fd, "wb")


@contextlib.contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """Yield a file object; on a clean exit its content replaces ``target`` atomically."""
    target = Path(target)
    tmp = temp_sibling(target)
    fh = open_private(tmp)
    try:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        fh.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write(target: Path, data: bytes) -> None:
    with atomic_writer(target) as fh:
        fh.write(data)


def is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def read_limited(path: Path, limit: int) -> bytes:
    """Read a small file we do not trust, refusing links and anything over ``limit`` bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError("not a regular file")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError("file too large")
    return data
