"""Attachment payloads in ``blobs/``: one file each, random name, its own key.

Each file is the age payload construction (STREAM, ChaCha20-Poly1305, 64 KiB chunks) under a
random file key kept in the encrypted database. Plaintext never touches the disk: it is
encrypted as it streams in, and read back by chunk (seekable, for audio playback).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar, cast

from testimony_app import errors, fs
from testimony_app.crypto import stream
from testimony_app.crypto.stream_reencrypt import reencrypt_stream

BLOBS_DIR = "blobs"
_NAME = re.compile(r"^[0-9a-f]{32}$")

T = TypeVar("T")
Progress = Callable[[int], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class StoredBlob:
    blob_name: str
    file_key: str  # hex
    size: int
    sha256: str


class PendingBlob:
    """A blob file written under its temp name, not yet durable nor under its name."""

    def __init__(self, folder: Path, name: str, tmp: Path, dst: BinaryIO) -> None:
        self.folder, self.name, self._tmp, self._dst = folder, name, tmp, dst

    def finish(self) -> None:
        """fsync, rename, fsync the folder; on failure nothing is left."""
        try:
            with self._dst:
                os.fsync(self._dst.fileno())
            os.replace(self._tmp, self.folder / self.name)
            fs.fsync_dir(self.folder)
        finally:
            with contextlib.suppress(FileNotFoundError):
                self._tmp.unlink()

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self._dst.close()
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()


class BlobStore:
    def __init__(self, vault_folder: Path) -> None:
        self.folder = vault_folder / BLOBS_DIR

    def path(self, blob_name: str) -> Path:
        if not _NAME.match(blob_name):
            raise errors.BlobMissing(id=blob_name[:40])
        return self.folder / blob_name

    def ingest(self, src: BinaryIO, *, progress: Progress | None = None,
               cancel: Cancel | None = None) -> StoredBlob:
        """Encrypt ``src`` into a new blob file (temp name, fsync, rename). Nothing is left on
        failure or cancel. The caller records it in the database; until then it is an orphan."""
        fs.private_mkdir(self.folder)
        name = secrets.token_hex(16)
        key = stream.new_file_key()
        tmp = self.folder / f".{name}.part"
        try:
            with fs.open_private(tmp) as dst:
                result = stream.encrypt_stream(key, src, dst, progress=progress, cancel=cancel)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(tmp, self.folder / name)
            fs.fsync_dir(self.folder)
        except stream.StreamCancelled as exc:
            raise errors.Cancelled() from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return StoredBlob(name, key.hex(), result.plaintext_size, result.plaintext_sha256)

    def ingest_payload(self, fill: Callable[[BinaryIO], T]) -> tuple[str, T]:
        """A new blob file whose content ``fill(dst)`` writes: an age payload the caller has
        verified (e.g. an attachment received in a bundle, kept under the bundle's file key).
        Temp name, fsync, rename only when ``fill`` returned normally; nothing is left
        otherwise. Returns the blob name and what ``fill`` returned."""
        pending, value = self.write_payload(fill)
        pending.finish()
        return pending.name, value

    def write_payload(self, fill: Callable[[BinaryIO], T]) -> tuple[PendingBlob, T]:
        """:meth:`ingest_payload` less its last step: the file is written under its temp name
        and left open, for :meth:`PendingBlob.finish` (which may run on another thread while
        the next file is written) or :meth:`PendingBlob.discard`."""
        fs.private_mkdir(self.folder)
        name = secrets.token_hex(16)
        tmp = self.folder / f".{name}.part"
        dst = fs.open_private(tmp)
        try:
            value = fill(dst)
            dst.flush()
        except BaseException:
            PendingBlob(self.folder, name, tmp, dst).discard()
            raise
        return PendingBlob(self.folder, name, tmp, dst), value

    def reencrypt(self, blob_name: str, file_key: str, new_key: bytes, dst: BinaryIO, *,
                  hash_plaintext: bool = True, cancel: Cancel | None = None
                  ) -> stream.StreamResult:
        """Write the blob's content to ``dst`` as a new age payload under ``new_key`` (for a
        bundle), decrypted and encrypted again chunk by chunk in memory.

        Without ``hash_plaintext`` the plaintext is not hashed again (``plaintext_sha256`` is
        ``""``): every chunk is authenticated under the blob's own random file key, used for
        this blob only, and the final one is marked as such, so what decrypts is exactly what
        was encrypted when the blob was made, and the hash recorded then was computed over
        those same bytes as they were encrypted (``stream.encrypt_stream`` hashes the buffers
        it seals). The size is still counted."""
        path = self.path(blob_name)
        try:
            src = path.open("rb", buffering=0)
        except FileNotFoundError as exc:
            raise errors.BlobMissing(id=blob_name) from exc
        try:
            with src:
                return reencrypt_stream(bytes.fromhex(file_key), cast(BinaryIO, src),
                                        os.fstat(src.fileno()).st_size, new_key, dst,
                                        cancel=cancel, hash_plaintext=hash_plaintext)
        except stream.StreamError as exc:
            raise errors.BlobDamaged(id=blob_name) from exc
        except stream.StreamCancelled as exc:
            raise errors.Cancelled() from exc

    def reader(self, blob_name: str, file_key: str) -> stream.EncryptedFileReader:
        """A seekable plaintext view, decrypted chunk by chunk in memory."""
        path = self.path(blob_name)
        try:
            fh = path.open("rb")
        except FileNotFoundError as exc:
            raise errors.BlobMissing(id=blob_name) from exc
        try:
            return stream.EncryptedFileReader(bytes.fromhex(file_key), fh)
        except stream.StreamError as exc:
            fh.close()
            raise errors.BlobDamaged(id=blob_name) from exc

    def export(self, blob_name: str, file_key: str, dst: BinaryIO, *,
               progress: Progress | None = None, cancel: Cancel | None = None
               ) -> stream.StreamResult:
        path = self.path(blob_name)
        try:
            with path.open("rb") as src:
                return stream.decrypt_stream(bytes.fromhex(file_key), src, dst,
                                             progress=progress, cancel=cancel)
        except FileNotFoundError as exc:
            raise errors.BlobMissing(id=blob_name) from exc
        except stream.StreamError as exc:
            raise errors.BlobDamaged(id=blob_name) from exc
        except stream.StreamCancelled as exc:
            raise errors.Cancelled() from exc

    def check(self, blob_name: str, file_key: str, sha256: str) -> str | None:
        """Re-hash a blob; returns a problem code ("missing", "damaged") or None."""
        try:
            result = self.export(blob_name, file_key, cast(BinaryIO, _NullSink()))
        except errors.BlobMissing:
            return "missing"
        except errors.BlobDamaged:
            return "damaged"
        return None if result.plaintext_sha256 == sha256 else "damaged"

    def names(self) -> set[str]:
        if not self.folder.is_dir():
            return set()
        return {p.name for p in self.folder.iterdir()}

    def remove(self, blob_name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(blob_name).unlink()

    def remove_orphans(self, referenced: set[str]) -> int:
        """Delete temp files and blobs no record refers to (left by a crash mid-ingest)."""
        removed = 0
        for name in self.names():
            if name in referenced:
                continue
            if _NAME.match(name) or (name.startswith(".") and name.endswith(".part")):
                with contextlib.suppress(FileNotFoundError):
                    (self.folder / name).unlink()
                    removed += 1
        return removed


class _NullSink:
    def write(self, data: bytes | memoryview) -> int:
        return len(data)

    def flush(self) -> None:
        pass
