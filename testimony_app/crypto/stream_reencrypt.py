"""One age payload re-encrypted as another, chunk by chunk, without the plaintext leaving memory.

Both payloads use the same 64 KiB chunks, so chunk *i* of the source opens into a buffer and is
sealed again at once as chunk *i* of the destination (same counter and last-chunk flag, under
the destination's own file key and a fresh nonce). Every source chunk is authenticated before
its plaintext is used; the source must end exactly after its final chunk. The plaintext SHA-256
is computed on a helper thread (as in :mod:`.stream`), and output is written in batches.

Used to send a vault's attachment in a bundle under a new key: the bundle never carries the
vault's own ciphertext (a seized laptop's blob files must not match intercepted bundles).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import BinaryIO

from cryptography.exceptions import InvalidTag

from testimony_app.crypto.stream import (
    _BATCH_CHUNKS,
    _HAS_INTO,
    _HASH_SLOTS,
    StreamCancelled,
    StreamResult,
    _PipelinedSha256,
    _write_all,
)
from testimony_app.crypto.stream_format import (
    _ENC_CHUNK_SIZE,
    CHUNK_SIZE,
    NONCE_SIZE,
    TAG_SIZE,
    StreamError,
    _auth_failure,
    _check_file_key,
    _chunk_nonce,
    _payload_aead,
    _read_into,
    plaintext_size,
)


def reencrypt_stream(
    src_key: bytes,
    src: BinaryIO,
    src_size: int,
    dst_key: bytes,
    dst: BinaryIO,
    *,
    cancel: Callable[[], bool] | None = None,
    hash_plaintext: bool = True,
) -> StreamResult:
    """Decrypt the payload of ``src_size`` bytes readable from ``src`` (file key ``src_key``)
    and write it re-encrypted under ``dst_key`` (new random nonce) to ``dst``.

    Without ``hash_plaintext`` the result's ``plaintext_sha256`` is ``""`` (for a caller that
    knows it already: see ``BlobStore.reencrypt``).

    Raises :class:`StreamError` if the source is damaged, of another size, or followed by
    more data; ``dst`` then holds an incomplete payload that the caller discards (it is
    ciphertext: nothing unauthenticated is ever decrypted into it).
    """
    _check_file_key(src_key)
    _check_file_key(dst_key)
    plain_total = plaintext_size(src_size)  # StreamError if no payload has that size
    chunks = max(1, -(-plain_total // CHUNK_SIZE))
    nonce = bytearray(NONCE_SIZE)
    if _read_into(src, memoryview(nonce)) != NONCE_SIZE:
        raise StreamError("payload too short: the nonce is truncated")
    opener = _payload_aead(src_key, bytes(nonce))
    dst_nonce = os.urandom(NONCE_SIZE)
    sealer = _payload_aead(dst_key, dst_nonce)
    in_view = memoryview(bytearray(_BATCH_CHUNKS * _ENC_CHUNK_SIZE))
    out_view = memoryview(bytearray(_BATCH_CHUNKS * _ENC_CHUNK_SIZE))
    hasher = _PipelinedSha256(_HASH_SLOTS, _BATCH_CHUNKS * CHUNK_SIZE)
    plain_view = memoryview(bytearray(0 if hash_plaintext else _BATCH_CHUNKS * CHUNK_SIZE))
    try:
        _write_all(dst, memoryview(dst_nonce))
        counter = 0
        done = 0
        while counter < chunks:
            if cancel is not None and cancel():
                raise StreamCancelled(f"re-encryption cancelled after {done} bytes")
            batch = min(_BATCH_CHUNKS, chunks - counter)
            last_plain = min(CHUNK_SIZE, plain_total - (counter + batch - 1) * CHUNK_SIZE)
            want = (batch - 1) * _ENC_CHUNK_SIZE + last_plain + TAG_SIZE
            if _read_into(src, in_view[:want]) != want:
                raise StreamError(f"payload truncated in chunks {counter}-{counter + batch - 1}")
            plain_batch = hasher.slot() if hash_plaintext else plain_view
            plain_len = out_len = 0
            for k in range(batch):
                last = counter == chunks - 1
                size = last_plain if k == batch - 1 else CHUNK_SIZE
                sealed = in_view[k * _ENC_CHUNK_SIZE:k * _ENC_CHUNK_SIZE + size + TAG_SIZE]
                plain = plain_batch[plain_len:plain_len + size]
                chunk_nonce = _chunk_nonce(counter, last)
                out = out_view[out_len:out_len + size + TAG_SIZE]
                try:
                    if _HAS_INTO:
                        opener.decrypt_into(chunk_nonce, sealed, None, plain)
                    else:  # pragma: no cover - cryptography < 45
                        plain[:] = opener.decrypt(chunk_nonce, sealed, None)
                except InvalidTag:
                    raise _auth_failure(opener, counter, last, sealed) from None
                if _HAS_INTO:
                    sealer.encrypt_into(chunk_nonce, plain, None, out)
                else:  # pragma: no cover - cryptography < 45
                    out[:] = sealer.encrypt(chunk_nonce, plain, None)
                plain_len += size
                out_len += size + TAG_SIZE
                counter += 1
            _write_all(dst, out_view[:out_len])
            if hash_plaintext:
                hasher.submit(plain_batch[:plain_len], last=counter == chunks)
            done += plain_len
        if _read_into(src, memoryview(bytearray(1))):
            raise StreamError("data after the final chunk")
        digest = hasher.hexdigest() if hash_plaintext else ""
    finally:
        hasher.close()
    return StreamResult(plaintext_size=done, plaintext_sha256=digest)
