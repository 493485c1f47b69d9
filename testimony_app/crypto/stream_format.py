"""The age v1 payload format shared by streaming and random access: sizes, keys, nonces, errors.

See :mod:`testimony_app.crypto.stream` for the format itself.  These pieces live here so that
:mod:`~testimony_app.crypto.stream` (whole-payload encryption and decryption) and
:mod:`~testimony_app.crypto.stream_reader` (random access) can share them without importing
each other; import the public names from :mod:`testimony_app.crypto.stream`.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CHUNK_SIZE = 64 * 1024
NONCE_SIZE = 16
TAG_SIZE = 16
FILE_KEY_SIZE = 16

_ENC_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE
_COUNTER_SIZE = 11
_MAX_CHUNKS = 1 << (8 * _COUNTER_SIZE)
_PAYLOAD_INFO = b"payload"
_PAYLOAD_KEY_SIZE = 32


class StreamError(Exception):
    """The payload is malformed, truncated, tampered with or the key is wrong."""


def new_file_key() -> bytes:
    """Return a fresh random 16-byte file key."""
    return os.urandom(FILE_KEY_SIZE)


def ciphertext_size(plaintext_size: int) -> int:
    """Size of the whole payload (nonce included) for ``plaintext_size`` bytes."""
    if plaintext_size < 0:
        raise ValueError("plaintext size must be non-negative")
    chunks = max(1, -(-plaintext_size // CHUNK_SIZE))
    return NONCE_SIZE + plaintext_size + chunks * TAG_SIZE


def plaintext_size(ciphertext_size: int) -> int:
    """Plaintext size for a payload (nonce included) of ``ciphertext_size`` bytes.

    Raises :class:`StreamError` if no valid payload has that size.
    """
    if ciphertext_size < NONCE_SIZE:
        raise StreamError(
            f"payload of {ciphertext_size} bytes is shorter than the {NONCE_SIZE}-byte nonce"
        )
    body = ciphertext_size - NONCE_SIZE
    if body == 0:
        raise StreamError("payload has a nonce but no chunks")
    full, rest = divmod(body, _ENC_CHUNK_SIZE)
    if rest == 0:
        # Ends with a full-size final chunk.
        return full * CHUNK_SIZE
    if rest < TAG_SIZE:
        raise StreamError(
            f"payload size {ciphertext_size} is impossible: final chunk {full} has "
            f"{rest} bytes, shorter than the {TAG_SIZE}-byte tag"
        )
    if rest == TAG_SIZE and full > 0:
        raise StreamError(
            f"payload size {ciphertext_size} is impossible: final chunk {full} would be "
            "empty, which is only allowed when the whole payload is empty"
        )
    return full * CHUNK_SIZE + rest - TAG_SIZE


# --------------------------------------------------------------------------- helpers


def _check_file_key(file_key: bytes) -> None:
    if len(file_key) != FILE_KEY_SIZE:
        raise ValueError(f"file key must be {FILE_KEY_SIZE} bytes, got {len(file_key)}")


def _payload_aead(file_key: bytes, nonce: bytes) -> ChaCha20Poly1305:
    key = HKDF(
        algorithm=SHA256(),
        length=_PAYLOAD_KEY_SIZE,
        salt=nonce,
        info=_PAYLOAD_INFO,
    ).derive(file_key)
    return ChaCha20Poly1305(key)


def _chunk_nonce(counter: int, last: bool) -> bytes:
    if counter >= _MAX_CHUNKS:
        raise StreamError("too many chunks: the chunk counter would overflow")
    return counter.to_bytes(_COUNTER_SIZE, "big") + (b"\x01" if last else b"\x00")


def _read_into(src: BinaryIO, view: memoryview) -> int:
    """Fill ``view`` from ``src`` as far as possible; return the count (< len only at EOF)."""
    readinto = getattr(src, "readinto", None)
    total = 0
    size = len(view)
    while total < size:
        if readinto is not None:
            n = readinto(view[total:])
            if n is None:
                raise BlockingIOError("source is non-blocking and has no data available")
            n = int(n)
        else:
            data = src.read(size - total)
            n = len(data)
            view[total : total + n] = data
        if n == 0:
            break
        total += n
    return total


def _auth_failure(
    aead: ChaCha20Poly1305, counter: int, last: bool, data: memoryview | bytes
) -> StreamError:
    """Explain why chunk ``counter`` failed to authenticate as ``last``.

    Only runs on the failure path: tries the opposite last-chunk flag to tell a
    truncated stream / data after the final chunk apart from plain corruption.
    """
    try:
        aead.decrypt(_chunk_nonce(counter, not last), data, None)
    except InvalidTag:
        return StreamError(
            f"chunk {counter}: authentication failed (wrong file key, or the data is "
            "corrupted or tampered with)"
        )
    if last:
        return StreamError(
            f"chunk {counter} is not marked as the final chunk but the payload ends after "
            "it: the payload is truncated (final chunk missing)"
        )
    return StreamError(
        f"chunk {counter} is marked as the final chunk but more data follows it "
        "(data after the last chunk)"
    )
