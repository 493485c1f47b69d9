"""Random access to an encrypted payload: a seekable, read-only plaintext file object.

Split from :mod:`testimony_app.crypto.stream` (which re-exports :class:`EncryptedFileReader`);
the payload format is described there.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, BinaryIO

from cryptography.exceptions import InvalidTag

from testimony_app.crypto.stream_format import (
    _ENC_CHUNK_SIZE,
    CHUNK_SIZE,
    NONCE_SIZE,
    StreamError,
    _auth_failure,
    _check_file_key,
    _chunk_nonce,
    _payload_aead,
    _read_into,
    plaintext_size,
)

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["EncryptedFileReader"]


class EncryptedFileReader(io.RawIOBase):
    """Read-only, seekable plaintext view of an encrypted payload file.

    ``fh`` must be seekable and positioned anywhere; the payload is taken to
    start at ``offset`` (default 0) and run to the end of the file.  The
    plaintext size is derived from the file size, and the final chunk is
    authenticated on open (which detects truncation and appended data).  Other
    chunks are authenticated when first read.  Only the chunks needed are
    decrypted, and at most one decrypted chunk is kept in memory.

    Closing the reader does not close ``fh``; the caller owns it.
    """

    def __init__(self, file_key: bytes, fh: BinaryIO, *, offset: int = 0) -> None:
        super().__init__()
        _check_file_key(file_key)
        if offset < 0:
            raise ValueError("offset must be non-negative")
        self._fh = fh
        self._offset = offset
        end = fh.seek(0, io.SEEK_END)
        self._payload_size = end - offset
        if self._payload_size < NONCE_SIZE:
            raise StreamError(
                f"payload too short: {max(self._payload_size, 0)} bytes, the "
                f"{NONCE_SIZE}-byte nonce is missing or truncated"
            )
        self._size = plaintext_size(self._payload_size)
        self._chunk_count = max(1, -(-self._size // CHUNK_SIZE))
        fh.seek(offset)
        nonce_buf = bytearray(NONCE_SIZE)
        if _read_into(fh, memoryview(nonce_buf)) != NONCE_SIZE:
            raise StreamError("payload nonce could not be read")
        self._aead = _payload_aead(file_key, bytes(nonce_buf))
        self._buf = bytearray(_ENC_CHUNK_SIZE)
        self._pos = 0
        self._cached_index = -1
        self._cached = b""
        self.read_chunk(self._chunk_count - 1)

    # -- properties -----------------------------------------------------------------

    @property
    def size(self) -> int:
        """Plaintext size in bytes."""
        return self._size

    @property
    def chunk_count(self) -> int:
        """Number of STREAM chunks (at least 1)."""
        return self._chunk_count

    # -- io.RawIOBase -----------------------------------------------------------------

    def _ensure_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file")

    def readable(self) -> bool:
        self._ensure_open()
        return True

    def seekable(self) -> bool:
        self._ensure_open()
        return True

    def writable(self) -> bool:
        self._ensure_open()
        return False

    def tell(self) -> int:
        self._ensure_open()
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET, /) -> int:
        self._ensure_open()
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self._size + offset
        else:
            raise ValueError(f"invalid whence ({whence})")
        if pos < 0:
            raise ValueError(f"negative seek position {pos}")
        self._pos = pos
        return pos

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        self._ensure_open()
        with memoryview(buffer) as raw, raw.cast("B") as out:
            want = len(out)
            n = 0
            while n < want and self._pos < self._size:
                index, off = divmod(self._pos, CHUNK_SIZE)
                chunk = self.read_chunk(index)
                k = min(len(chunk) - off, want - n)
                with memoryview(chunk) as cv:
                    out[n : n + k] = cv[off : off + k]
                n += k
                self._pos += k
            return n

    def readall(self) -> bytes:
        self._ensure_open()
        remaining = max(0, self._size - self._pos)
        buf = bytearray(remaining)
        n = self.readinto(buf)
        del buf[n:]
        return bytes(buf)

    def close(self) -> None:
        self._cached = b""
        self._cached_index = -1
        super().close()

    # -- chunks -----------------------------------------------------------------------

    def read_chunk(self, index: int) -> bytes:
        """Return the authenticated plaintext of chunk ``index`` (0-based)."""
        self._ensure_open()
        if not 0 <= index < self._chunk_count:
            raise IndexError(f"chunk index {index} out of range 0..{self._chunk_count - 1}")
        if index == self._cached_index:
            return self._cached
        last = index == self._chunk_count - 1
        start = NONCE_SIZE + index * _ENC_CHUNK_SIZE
        length = self._payload_size - start if last else _ENC_CHUNK_SIZE
        view = memoryview(self._buf)[:length]
        self._fh.seek(self._offset + start)
        got = _read_into(self._fh, view)
        if got != length:
            raise StreamError(
                f"chunk {index}: expected {length} bytes but read {got} (file changed size?)"
            )
        try:
            plain = self._aead.decrypt(_chunk_nonce(index, last), view, None)
        except InvalidTag:
            raise _auth_failure(self._aead, index, last, view) from None
        self._cached_index = index
        self._cached = plain
        return plain
