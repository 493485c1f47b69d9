"""age v1 payload encryption (STREAM), as specified by C2SP age.

A payload is::

    nonce (16 random bytes) || STREAM ciphertext

where the payload key is ``HKDF-SHA256(ikm=file_key, salt=nonce, info=b"payload")``
(32 bytes) and the plaintext is cut into 64 KiB chunks, each sealed with
ChaCha20-Poly1305 under the payload key with the 12-byte nonce
``11-byte big-endian chunk counter || last-chunk flag`` (``0x01`` for the final
chunk, ``0x00`` otherwise) and no associated data.  The final chunk may be
shorter than 64 KiB; it is empty only when the whole plaintext is empty, and a
full-size final chunk carries the last flag (there is no extra empty chunk).

Streaming reads, seals and opens one chunk at a time into a few preallocated
buffers, so memory use is constant (about 1.5 MiB) regardless of the payload
size.  The plaintext SHA-256 is computed on a helper thread, overlapping with
the AEAD work and I/O (both release the GIL on large buffers).

Note for callers of :func:`decrypt_stream`: plaintext of chunks that
authenticated is written to ``dst`` before later chunks are checked.  If a
:class:`StreamError` (or :class:`StreamCancelled`) is raised, whatever was
written to ``dst`` must be discarded.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

# The format's pieces and the random-access reader live in their own modules; their public
# names are re-exported here, the one place callers import the payload API from.
from testimony_app.crypto.stream_format import (
    _ENC_CHUNK_SIZE,
    CHUNK_SIZE,
    FILE_KEY_SIZE,
    NONCE_SIZE,
    TAG_SIZE,
    StreamError,
    _auth_failure,
    _check_file_key,
    _chunk_nonce,
    _payload_aead,
    _read_into,
    ciphertext_size,
    new_file_key,
    plaintext_size,
)
from testimony_app.crypto.stream_reader import EncryptedFileReader

__all__ = [
    "CHUNK_SIZE",
    "FILE_KEY_SIZE",
    "NONCE_SIZE",
    "TAG_SIZE",
    "EncryptedFileReader",
    "StreamCancelled",
    "StreamError",
    "StreamResult",
    "ciphertext_size",
    "decrypt_stream",
    "encrypt_stream",
    "new_file_key",
    "plaintext_size",
]


# ``encrypt_into``/``decrypt_into`` appeared in cryptography 45; fall back to
# the allocating API on older versions.
_HAS_INTO = hasattr(ChaCha20Poly1305, "encrypt_into") and hasattr(ChaCha20Poly1305, "decrypt_into")


class StreamCancelled(Exception):
    """The operation was cancelled through its ``cancel`` callback."""


@dataclass(frozen=True)
class StreamResult:
    """Outcome of a completed stream operation."""

    plaintext_size: int
    plaintext_sha256: str  # lowercase hex


# --------------------------------------------------------------------------- helpers


def _write_all(dst: BinaryIO, view: memoryview) -> None:
    written = dst.write(view)
    # Buffered writers and BytesIO always take everything; raw files may not.
    if isinstance(written, int):
        while written < len(view):
            n = dst.write(view[written:])
            if not n:
                raise OSError("destination refused to accept more data")
            written += n


# --------------------------------------------------------------------------- streaming


class _PipelinedSha256:
    """SHA-256 of a sequence of plaintext batches, computed on a helper thread.

    Both ``hashlib`` and the AEAD release the GIL on large buffers, so hashing
    batch *k* overlaps with the I/O and AEAD work of batch *k + 1*.  Batches
    live in a small fixed ring of buffers: :meth:`slot` blocks until the
    oldest buffer has been hashed and hands it out for reuse, so memory stays
    constant.  A stream that fits in one batch is hashed inline (no thread).
    """

    def __init__(self, slots: int, slot_size: int) -> None:
        self._views = [memoryview(bytearray(slot_size)) for _ in range(slots)]
        self._free = threading.Semaphore(slots)
        self._next = 0
        self._queue: queue.SimpleQueue[memoryview | None] = queue.SimpleQueue()
        self._hash = hashlib.sha256()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def slot(self) -> memoryview:
        """Return the next free buffer (full slot size)."""
        self._free.acquire()
        view = self._views[self._next]
        self._next = (self._next + 1) % len(self._views)
        return view

    def submit(self, data: memoryview, *, last: bool) -> None:
        """Hash ``data`` (a prefix of the latest slot); don't touch it afterwards."""
        if self._thread is None:
            if last:  # first and only batch
                self._hash.update(data)
                self._free.release()
                return
            self._thread = threading.Thread(target=self._run, name="stream-sha256", daemon=True)
            self._thread.start()
        self._queue.put(data)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                if self._error is None:
                    self._hash.update(item)
            except BaseException as exc:  # never leave the producer blocked
                self._error = exc
            finally:
                self._free.release()

    def close(self) -> None:
        """Stop the helper thread (idempotent; always call, e.g. in ``finally``)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def hexdigest(self) -> str:
        self.close()
        if self._error is not None:
            raise self._error
        return self._hash.hexdigest()


# Chunks are read, sealed and opened one at a time, but plaintext is hashed,
# and output written, in batches of this many chunks: fewer, larger write()
# calls (64 KiB writes to a file measured ~1.4 GB/s here, 512 KiB ~2.6 GB/s) and
# fewer thread hand-offs.  Memory stays constant: about
# (_HASH_SLOTS + 1) * _BATCH_CHUNKS chunks of buffers.
_BATCH_CHUNKS = 8
_HASH_SLOTS = 2


def encrypt_stream(
    file_key: bytes,
    src: BinaryIO,
    dst: BinaryIO,
    *,
    nonce: bytes | None = None,
    progress: Callable[[int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> StreamResult:
    """Encrypt everything readable from ``src`` into an age payload written to ``dst``.

    ``nonce`` (16 bytes) defaults to a fresh random one; pass it only for tests.
    ``progress`` is called with the number of plaintext bytes done so far each
    time a batch of ciphertext has been written to ``dst`` (at least once, at
    the end); ``cancel`` is polled before each chunk and
    :class:`StreamCancelled` is raised as soon as it returns true.
    """
    _check_file_key(file_key)
    if nonce is None:
        nonce = os.urandom(NONCE_SIZE)
    elif len(nonce) != NONCE_SIZE:
        raise ValueError(f"nonce must be {NONCE_SIZE} bytes, got {len(nonce)}")
    aead = _payload_aead(file_key, nonce)
    out_view = memoryview(bytearray(_BATCH_CHUNKS * _ENC_CHUNK_SIZE))
    peek = memoryview(bytearray(1))
    hasher = _PipelinedSha256(_HASH_SLOTS, _BATCH_CHUNKS * CHUNK_SIZE)
    try:
        _write_all(dst, memoryview(nonce))
        done = 0
        counter = 0
        carried = False  # the look-ahead byte in ``peek`` starts the next chunk
        batch: memoryview | None = None  # plaintext of the current batch
        batch_len = 0
        out_len = 0
        while True:
            if cancel is not None and cancel():
                raise StreamCancelled(f"encryption cancelled after {done} bytes")
            if batch is None:
                batch = hasher.slot()
                batch_len = 0
            chunk = batch[batch_len : batch_len + CHUNK_SIZE]
            filled = 0
            if carried:
                chunk[0] = peek[0]
                filled = 1
            filled += _read_into(src, chunk[filled:])
            if filled == CHUNK_SIZE:
                carried = _read_into(src, peek) == 1
                last = not carried
            else:
                last = True
            chunk_nonce = _chunk_nonce(counter, last)
            plain = chunk[:filled]
            sealed_len = filled + TAG_SIZE
            if _HAS_INTO:
                aead.encrypt_into(
                    chunk_nonce, plain, None, out_view[out_len : out_len + sealed_len]
                )
            else:  # pragma: no cover - old cryptography
                out_view[out_len : out_len + sealed_len] = aead.encrypt(chunk_nonce, plain, None)
            out_len += sealed_len
            batch_len += filled
            if last or batch_len == len(batch):
                _write_all(dst, out_view[:out_len])
                out_len = 0
                hasher.submit(batch[:batch_len], last=last)
                batch = None
                done += batch_len
                if progress is not None:
                    progress(done)
            if last:
                break
            counter += 1
        digest = hasher.hexdigest()
    finally:
        hasher.close()
    return StreamResult(plaintext_size=done, plaintext_sha256=digest)


def decrypt_stream(
    file_key: bytes,
    src: BinaryIO,
    dst: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> StreamResult:
    """Decrypt the age payload readable from ``src`` and write the plaintext to ``dst``.

    Reads ``src`` to its end: anything after the final chunk is an error.
    Only authenticated plaintext is written, but it is written before later
    chunks are checked: on :class:`StreamError` (or :class:`StreamCancelled`)
    discard whatever was written to ``dst``.  ``progress`` and ``cancel`` work
    as for :func:`encrypt_stream`.
    """
    _check_file_key(file_key)
    nonce_buf = bytearray(NONCE_SIZE)
    got = _read_into(src, memoryview(nonce_buf))
    if got < NONCE_SIZE:
        raise StreamError(
            f"payload too short: {got} bytes, the {NONCE_SIZE}-byte nonce is missing or truncated"
        )
    aead = _payload_aead(file_key, bytes(nonce_buf))
    in_buf = bytearray(_ENC_CHUNK_SIZE)
    in_view = memoryview(in_buf)
    peek = memoryview(bytearray(1))
    hasher = _PipelinedSha256(_HASH_SLOTS, _BATCH_CHUNKS * CHUNK_SIZE)
    try:
        done = 0
        counter = 0
        carried = False
        batch: memoryview | None = None  # plaintext of the current batch
        batch_len = 0
        while True:
            if cancel is not None and cancel():
                raise StreamCancelled(f"decryption cancelled after {done} bytes")
            filled = 0
            if carried:
                in_buf[0] = peek[0]
                filled = 1
            filled += _read_into(src, in_view[filled:])
            if filled == _ENC_CHUNK_SIZE:
                carried = _read_into(src, peek) == 1
                last = not carried
            else:
                last = True
            if filled == 0:
                # Only possible for the first chunk: a carried byte makes filled >= 1.
                raise StreamError("payload has a nonce but no chunks")
            if filled < TAG_SIZE:
                raise StreamError(
                    f"chunk {counter}: truncated to {filled} bytes, shorter than the "
                    f"{TAG_SIZE}-byte authentication tag"
                )
            if filled == TAG_SIZE and counter > 0:
                raise StreamError(
                    f"chunk {counter}: the final chunk is empty, which is only allowed when "
                    "the whole payload is empty"
                )
            sealed = in_view[:filled]
            size = filled - TAG_SIZE
            chunk_nonce = _chunk_nonce(counter, last)
            if batch is None:
                batch = hasher.slot()
                batch_len = 0
            plain = batch[batch_len : batch_len + size]
            try:
                if _HAS_INTO:
                    aead.decrypt_into(chunk_nonce, sealed, None, plain)
                else:  # pragma: no cover - old cryptography
                    plain[:] = aead.decrypt(chunk_nonce, sealed, None)
            except InvalidTag:
                raise _auth_failure(aead, counter, last, sealed) from None
            batch_len += size
            # Non-final chunks are full, so a batch fills up exactly.
            if last or batch_len == len(batch):
                _write_all(dst, batch[:batch_len])
                hasher.submit(batch[:batch_len], last=last)
                batch = None
                done += batch_len
                if progress is not None:
                    progress(done)
            if last:
                break
            counter += 1
        digest = hasher.hexdigest()
    finally:
        hasher.close()
    return StreamResult(plaintext_size=done, plaintext_sha256=digest)
