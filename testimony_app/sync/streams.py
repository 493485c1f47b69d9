"""Streaming helpers for bundles: counting and hashing wrappers, and helper threads so that
reading, hashing, writing and the AEAD overlap (``hashlib``, ``zlib.crc32``, file I/O and the
ChaCha20-Poly1305 of ``cryptography`` all release the GIL on large buffers).

Every buffer is bounded (a few pieces of ``BLOCK`` bytes per queue), so memory does not grow
with the size of what streams through. An error on a helper thread is raised in the caller's
thread at its next call (or when it closes the helper).
"""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from testimony_app import errors as base_errors
from testimony_app.sync import errors as e

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

BLOCK = 1 << 20

Cancel = Callable[[], bool]


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes | None: ...


# Counting, hashing wrappers ----------------------------------------------------------------

class HashingReader:
    """Reads ``src`` in large blocks whatever the caller asks for, hashing each block once;
    stops with our error if more than ``limit`` bytes arrive or ``cancel`` says so."""

    def __init__(self, src: Readable, *, limit: int | None = None,
                 cancel: Cancel | None = None, hashing: bool = True) -> None:
        self._src = src
        self._buf = memoryview(b"")
        self._hashing = hashing
        self.hash = hashlib.sha256()
        self.size = 0
        self._limit = limit
        self._cancel = cancel
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            if not self._buf:
                if self._cancel is not None and self._cancel():
                    raise base_errors.Cancelled()
                block = self._src.read(BLOCK) or b""
                self.size += len(block)
                if self._limit is not None and self.size > self._limit:
                    raise e.ZipSizeMismatch(detail="entry longer than declared")
                if self._hashing:
                    self.hash.update(block)
                if size is None or size < 0 or size >= len(block):
                    return bytes(block)  # the whole block: no copy for bytes
                self._buf = memoryview(block)
            n = len(self._buf) if size is None or size < 0 else min(size, len(self._buf))
            out = self._buf[:n].tobytes()
            self._buf = self._buf[n:]
            return out
        except BaseException as exc:
            self.error = exc
            raise


class HashingWriter:
    """Writes through to ``dst`` counting and hashing; refuses to pass ``limit`` bytes."""

    def __init__(self, dst: BinaryIO, *, limit: int | None = None,
                 on_limit: Callable[[], BaseException] | None = None,
                 hashing: bool = True) -> None:
        self._dst = dst
        self._hashing = hashing
        self.hash = hashlib.sha256()
        self.size = 0
        self._limit = limit
        self._on_limit = on_limit
        self.error: BaseException | None = None

    def write(self, data: bytes) -> int:
        try:
            self.size += len(data)
            if self._limit is not None and self.size > self._limit:
                raise (self._on_limit() if self._on_limit else e.BundleTooLarge(
                    what="data", limit=self._limit))
            if self._hashing:
                self.hash.update(data)
            written = self._dst.write(data)
            if written is not None and written != len(data):
                raise OSError("short write")
            return len(data)
        except BaseException as exc:
            self.error = exc
            raise

    def flush(self) -> None:
        self._dst.flush()


class ThreadedWriter:
    """A :class:`HashingWriter` run on a helper thread behind its producer: ``write`` queues
    a copy of the data (at most ``depth`` pieces wait) and returns."""

    def __init__(self, dst: BinaryIO, *, depth: int = 8) -> None:
        self._inner = HashingWriter(dst)
        self._queue: queue.Queue[bytes | None] = queue.Queue(depth)
        self.error: BaseException | None = None
        self._thread: threading.Thread | None = threading.Thread(
            target=self._run, name="bundle-output", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self.error is None:  # after an error, keep draining so the producer never blocks
                try:
                    self._inner.write(item)
                except BaseException as exc:
                    self.error = exc

    @property
    def size(self) -> int:
        return self._inner.size

    @property
    def hash(self) -> Any:
        return self._inner.hash

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self.error is not None:
            raise self.error
        self._queue.put(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self, *, failed: bool = False) -> None:
        """Wait until everything is written; raises the writing thread's error unless the
        caller already ``failed`` (idempotent)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self.error is not None and not failed:
            raise self.error


class TeeReader:
    """Reads ``src`` in ``BLOCK`` pieces, hashing every byte (the ciphertext SHA-256); after
    :meth:`push_back` with ``copy_to``, what is read is also written to a file. With ``threaded``,
    hashing and writing run on a helper thread a few blocks behind the reader. Stops with our
    error if more than ``limit`` bytes arrive or ``cancel`` says so."""

    def __init__(self, src: Readable, *, limit: int | None = None,
                 cancel: Cancel | None = None, threaded: bool = False) -> None:
        self._src = src
        self._limit = limit
        self._cancel = cancel
        self._buf = memoryview(b"")
        self._hash = hashlib.sha256()
        self._copy: BinaryIO | None = None
        self.size = 0
        self.error: BaseException | None = None
        self._queue: queue.Queue[tuple[bytes, bool, bool] | None] | None = None
        self._thread: threading.Thread | None = None
        if threaded:
            self._queue = queue.Queue(4)
            self._thread = threading.Thread(target=self._run, name="bundle-input",
                                            daemon=True)
            self._thread.start()

    # the helper's side
    def _consume(self, block: bytes, hashing: bool, writing: bool) -> None:
        if hashing:
            self._hash.update(block)
        if writing:
            assert self._copy is not None  # noqa: S101 - set before anything is written
            written = self._copy.write(block)
            if written is not None and written != len(block):
                raise OSError("short write")

    def _run(self) -> None:
        assert self._queue is not None  # noqa: S101
        while (item := self._queue.get()) is not None:
            if self.error is None:  # after an error, keep draining so the reader never blocks
                try:
                    self._consume(*item)
                except BaseException as exc:
                    self.error = exc

    def _submit(self, block: bytes, hashing: bool, writing: bool) -> None:
        if self.error is not None:
            raise self.error
        if self._queue is None:
            self._consume(block, hashing, writing)
        else:
            self._queue.put((block, hashing, writing))

    # the reader's side
    def _fetch(self) -> bool:
        if self._cancel is not None and self._cancel():
            raise base_errors.Cancelled()
        block = self._src.read(BLOCK) or b""
        if not block:
            return False
        self.size += len(block)
        if self._limit is not None and self.size > self._limit:
            raise e.ZipSizeMismatch(detail="entry longer than declared")
        self._submit(block, True, self._copy is not None)
        self._buf = memoryview(block)
        return True

    def read(self, size: int = -1, /) -> bytes:
        if not self._buf and not self._fetch():
            return b""
        n = len(self._buf) if size is None or size < 0 else min(size, len(self._buf))
        out = self._buf[:n].tobytes()
        self._buf = self._buf[n:]
        return out

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        if not self._buf and not self._fetch():
            return 0
        with memoryview(buffer) as raw, raw.cast("B") as out:
            n = min(len(out), len(self._buf))
            out[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def push_back(self, pending: bytes, *, copy_to: BinaryIO | None = None) -> None:
        """Make ``pending`` (bytes already handed out, e.g. what a header parser read past its
        end) the next to be read again; with ``copy_to``, from now on everything read (from
        ``pending`` on) is also written there."""
        data = pending + self._buf.tobytes() if pending else self._buf
        self._buf = memoryview(data)
        if copy_to is not None:
            self._copy = copy_to
            if data:
                self._submit(bytes(data), False, True)

    def finish(self) -> tuple[int, str]:
        """(size, SHA-256) of everything read, once the helper is done; raises its error."""
        self.close()
        if self.error is not None:
            raise self.error
        return self.size, self._hash.hexdigest()

    def close(self) -> None:
        """Stop the helper thread (idempotent; always call, e.g. in ``finally``)."""
        if self._thread is not None:
            assert self._queue is not None  # noqa: S101
            self._queue.put(None)
            self._thread.join()
            self._thread = None


class NullSink:
    """Counts what is written and keeps none of it."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


class LimitedBuffer:
    """An in-memory sink that refuses to grow past ``limit`` bytes (``on_limit`` error)."""

    def __init__(self, limit: int, on_limit: Callable[[], BaseException]) -> None:
        self._parts: list[bytes] = []
        self.size = 0
        self._limit = limit
        self._on_limit = on_limit

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self.size += len(data)
        if self.size > self._limit:
            raise self._on_limit()
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self._parts)
