"""Streaming helpers for bundles: counting and hashing wrappers, and bounded pipes between
threads so that reading, hashing, age and the vault's own encryption overlap.

Every buffer is bounded (a few pieces of ``BLOCK`` bytes per pipe), so memory does not grow
with the size of what streams through. Errors cross threads: the side that failed first is the
one reported (see :func:`pipe_through`).
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TypeVar, cast

from testimony_app import errors as base_errors
from testimony_app.sync import errors as e

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

BLOCK = 1 << 20
_PIPE_DEPTH = 16
_POLL_S = 0.05

T = TypeVar("T")
U = TypeVar("U")
Cancel = Callable[[], bool]


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes | None: ...


# Counting, hashing wrappers ----------------------------------------------------------------

class HashingReader:
    """Reads ``src`` in large blocks (pyrage asks for 8 KiB at a time), hashing each block
    once; stops with our error if more than ``limit`` bytes arrive or ``cancel`` says so."""

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
    """A :class:`HashingWriter` run on a helper thread behind its producer."""

    def __init__(self, dst: BinaryIO) -> None:
        self._inner = HashingWriter(dst)
        self._pipe = Pipe(depth=4)
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="age-output", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while block := self._pipe.read(BLOCK):
                self._inner.write(block)
        except PipeFailed:
            pass
        except BaseException as exc:
            self.error = exc
            self._pipe.close_reader()

    @property
    def size(self) -> int:
        return self._inner.size

    @property
    def hash(self) -> Any:
        return self._inner.hash

    def write(self, data: bytes) -> int:
        try:
            return self._pipe.write(data)
        except BrokenPipeError:
            raise self.error or OSError("write failed") from None

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """Wait until everything is written (raises the writing thread's error)."""
        self._pipe.finish(failed=sys.exc_info()[0] is not None)
        self._thread.join()
        if self.error is not None:
            raise self.error


class Prefetch:
    """A :class:`HashingReader` run on a helper thread a few blocks ahead of its consumer."""

    def __init__(self, src: Readable, *, limit: int | None = None,
                 cancel: Cancel | None = None) -> None:
        self._inner = HashingReader(src, limit=limit, cancel=cancel)
        self._pipe = Pipe(depth=4)
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="age-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while block := self._inner.read(BLOCK):
                self._pipe.write(block)
        except BaseException as exc:
            self.error = exc
            self._pipe.finish(failed=True)
            return
        self._pipe.finish(failed=False)

    @property
    def size(self) -> int:
        return self._inner.size

    @property
    def hash(self) -> Any:
        return self._inner.hash

    def read(self, size: int = -1) -> bytes:
        try:
            return self._pipe.read(size)
        except PipeFailed:
            raise self.error or OSError("read failed") from None

    def close(self) -> None:
        self._pipe.close_reader()
        self._thread.join()


# A bounded pipe between two threads ------------------------------------------------------------

class PipeFailed(Exception):
    """The producing side of a pipe failed; its own exception is raised by ``pipe_through``."""


class Pipe:
    """Bytes written by one thread and read by another, at most ``depth`` pieces in memory."""

    def __init__(self, depth: int = _PIPE_DEPTH) -> None:
        self._queue: queue.Queue[bytes | bytearray | None] = queue.Queue(depth)
        self._reader_gone = threading.Event()
        self._buf: memoryview = memoryview(b"")
        self._eof = False
        self._failed = False
        self._pending = bytearray()

    # producer side: small writes (pyrage writes 8 KiB) are gathered into BLOCK-sized pieces
    def _put(self, piece: bytes | bytearray | None) -> None:
        while True:
            if self._reader_gone.is_set():
                raise BrokenPipeError("reader stopped")
            try:
                self._queue.put(piece, timeout=_POLL_S)
                return
            except queue.Full:
                continue

    def write(self, data: bytes) -> int:
        if not self._pending and len(data) >= BLOCK and isinstance(data, bytes):
            self._put(data)
            return len(data)
        self._pending += data
        if len(self._pending) >= BLOCK:
            self._put(self._pending)  # handed over whole: the reader only reads it
            self._pending = bytearray()
        return len(data)

    def flush(self) -> None:
        pass

    def finish(self, failed: bool) -> None:
        self._failed = failed
        if self._pending and not failed:
            with contextlib.suppress(BrokenPipeError):
                self._put(self._pending)
        self._pending = bytearray()
        while not self._reader_gone.is_set():
            try:
                self._queue.put(None, timeout=_POLL_S)
                return
            except queue.Full:
                continue

    # consumer side
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        if not self._buf and not self._next():
            return 0
        with memoryview(buffer) as raw, raw.cast("B") as out:
            n = min(len(out), len(self._buf))
            out[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def read(self, size: int = -1) -> bytes:
        if not self._buf and not self._next():
            return b""
        n = len(self._buf) if size is None or size < 0 else min(size, len(self._buf))
        out = self._buf[:n].tobytes()
        self._buf = self._buf[n:]
        return out

    def _next(self) -> bool:
        """Wait for the next piece; False at the end."""
        if self._eof:
            return False
        item = self._queue.get()
        if item is None:
            self._eof = True
            if self._failed:
                raise PipeFailed()
            return False
        self._buf = memoryview(item)
        return True

    def close_reader(self) -> None:
        self._reader_gone.set()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return


def pipe_through(produce: Callable[[BinaryIO], T], consume: Callable[[BinaryIO], U]
                 ) -> tuple[T, U]:
    """Run ``produce(writer)`` on a worker thread and ``consume(reader)`` here, joined by a
    bounded pipe. Returns both results only when both finished cleanly. If the producer fails
    (the consumer then sees ``PipeFailed``) its exception is raised; if the consumer fails,
    the consumer's (the producer then stops on ``BrokenPipeError``, which is not reported)."""
    pipe = Pipe()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = produce(cast(BinaryIO, pipe))
        except BaseException as exc:
            outcome["error"] = exc
            pipe.finish(failed=True)
            return
        pipe.finish(failed=False)

    thread = threading.Thread(target=work, name="age-stream", daemon=True)
    thread.start()
    try:
        consumed = consume(cast(BinaryIO, pipe))
    except PipeFailed:
        pipe.close_reader()
        thread.join()
        raise outcome["error"] from None
    except BaseException:
        pipe.close_reader()
        thread.join()
        raise
    pipe.close_reader()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return cast(T, outcome["value"]), consumed
