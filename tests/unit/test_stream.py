"""Tests for the age v1 STREAM payload construction (testimony_app.crypto.stream)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import itertools
import random
import threading
import tracemalloc
import zlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testimony_app.crypto.stream import (
    CHUNK_SIZE,
    FILE_KEY_SIZE,
    NONCE_SIZE,
    TAG_SIZE,
    EncryptedFileReader,
    StreamCancelled,
    StreamError,
    StreamResult,
    ciphertext_size,
    decrypt_stream,
    encrypt_stream,
    new_file_key,
    plaintext_size,
)

C = CHUNK_SIZE
ENC = CHUNK_SIZE + TAG_SIZE
KEY = bytes(range(FILE_KEY_SIZE))
NONCE = bytes(range(100, 100 + NONCE_SIZE))


# --------------------------------------------------------------------------- helpers


def _data(size: int, seed: int = 0) -> bytes:
    return random.Random(size * 7919 + seed).randbytes(size)


def _payload_aead(file_key: bytes, nonce: bytes) -> ChaCha20Poly1305:
    key = HKDF(algorithm=SHA256(), length=32, salt=nonce, info=b"payload").derive(file_key)
    return ChaCha20Poly1305(key)


def _seal(file_key: bytes, nonce: bytes, chunks: list[tuple[bytes, bool]]) -> bytes:
    """Independent reference: seal explicit (plaintext, last_flag) chunks, in order."""
    aead = _payload_aead(file_key, nonce)
    out = [nonce]
    for counter, (piece, last) in enumerate(chunks):
        chunk_nonce = counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        out.append(aead.encrypt(chunk_nonce, piece, None))
    return b"".join(out)


def _ref_encrypt(file_key: bytes, plaintext: bytes, nonce: bytes) -> bytes:
    pieces = [plaintext[i : i + C] for i in range(0, len(plaintext), C)] or [b""]
    return _seal(file_key, nonce, [(p, i == len(pieces) - 1) for i, p in enumerate(pieces)])


def _encrypt(plaintext: bytes, key: bytes = KEY, nonce: bytes | None = NONCE) -> bytes:
    out = io.BytesIO()
    encrypt_stream(key, io.BytesIO(plaintext), out, nonce=nonce)
    return out.getvalue()


def _decrypt(payload: bytes, key: bytes = KEY) -> tuple[bytes, StreamResult]:
    out = io.BytesIO()
    result = decrypt_stream(key, io.BytesIO(payload), out)
    return out.getvalue(), result


def _flip(data: bytes, index: int) -> bytes:
    b = bytearray(data)
    b[index] ^= 0x01
    return bytes(b)


class _Trickle(io.RawIOBase):
    """Source that returns at most ``step`` bytes per read (short reads)."""

    def __init__(self, data: bytes, step: int = 777) -> None:
        self._data = memoryview(data)
        self._pos = 0
        self._step = step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self._step, len(self._data) - self._pos)
        buffer[:n] = self._data[self._pos : self._pos + n]
        self._pos += n
        return n


class _ReadOnly:
    """Source with only ``read`` (no ``readinto``)."""

    def __init__(self, data: bytes) -> None:
        self._bio = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self._bio.read(min(n, 1000) if n >= 0 else n)


class _PartialWriter:
    """Sink that accepts at most ``step`` bytes per write call."""

    def __init__(self, step: int = 1000) -> None:
        self.data = bytearray()
        self._step = step

    def write(self, b: bytes | memoryview) -> int:
        n = min(len(b), self._step)
        self.data += bytes(b[:n])
        return n


# --------------------------------------------------------------------------- sizes


SIZES = [
    0,
    1,
    2,
    TAG_SIZE,
    C - 1,
    C,
    C + 1,
    2 * C,
    3 * C,
    3 * C + 1,
    3 * C - 1,
    5 * C + 12345,
    # around the internal write/hash batch boundaries
    8 * C - 1,
    8 * C,
    8 * C + 1,
    16 * C,
    17 * C + 3,
]


@pytest.mark.parametrize("size", SIZES)
def test_round_trip(size: int) -> None:
    plaintext = _data(size)
    payload = _encrypt(plaintext)
    assert len(payload) == ciphertext_size(size)
    assert plaintext_size(len(payload)) == size
    assert payload[:NONCE_SIZE] == NONCE
    # Byte-exact against an independent reference encoder.
    assert payload == _ref_encrypt(KEY, plaintext, NONCE)
    out, result = _decrypt(payload)
    assert out == plaintext
    assert result == StreamResult(size, hashlib.sha256(plaintext).hexdigest())


@pytest.mark.parametrize("size", [0, 1, C - 1, C, C + 1, 3 * C])
def test_encrypt_result(size: int) -> None:
    plaintext = _data(size)
    result = encrypt_stream(KEY, io.BytesIO(plaintext), io.BytesIO())
    assert result.plaintext_size == size
    assert result.plaintext_sha256 == hashlib.sha256(plaintext).hexdigest()


def test_chunk_layout() -> None:
    assert ciphertext_size(0) == NONCE_SIZE + TAG_SIZE
    assert ciphertext_size(1) == NONCE_SIZE + 1 + TAG_SIZE
    assert ciphertext_size(C) == NONCE_SIZE + ENC  # full last chunk, no extra empty chunk
    assert ciphertext_size(C + 1) == NONCE_SIZE + ENC + 1 + TAG_SIZE
    assert ciphertext_size(3 * C) == NONCE_SIZE + 3 * ENC
    with pytest.raises(ValueError):
        ciphertext_size(-1)


@given(st.integers(min_value=0, max_value=10**12))
def test_size_functions_inverse(size: int) -> None:
    assert plaintext_size(ciphertext_size(size)) == size


@pytest.mark.parametrize(
    "size",
    [
        0,
        NONCE_SIZE - 1,
        NONCE_SIZE,  # nonce, no chunks
        NONCE_SIZE + TAG_SIZE - 1,  # chunk shorter than a tag
        NONCE_SIZE + ENC + TAG_SIZE,  # empty final chunk after a full one
        NONCE_SIZE + ENC + 5,
        NONCE_SIZE + 3 * ENC + TAG_SIZE,
    ],
)
def test_plaintext_size_impossible(size: int) -> None:
    with pytest.raises(StreamError):
        plaintext_size(size)


@settings(max_examples=30, deadline=None)
@given(
    st.one_of(
        st.integers(min_value=0, max_value=3 * C + 40),
        st.sampled_from([C - 1, C, C + 1, 2 * C - 1, 2 * C, 2 * C + 1]),
    )
)
def test_round_trip_property(size: int) -> None:
    plaintext = _data(size, seed=1)
    payload = _encrypt(plaintext, nonce=None)
    assert len(payload) == ciphertext_size(size)
    out, result = _decrypt(payload)
    assert out == plaintext
    assert result.plaintext_size == size


def test_random_sizes() -> None:
    rng = random.Random(1234)
    for _ in range(8):
        size = rng.randrange(0, 6 * C)
        plaintext = rng.randbytes(size)
        key = new_file_key()
        payload = _encrypt(plaintext, key=key, nonce=None)
        assert _decrypt(payload, key=key)[0] == plaintext


def test_short_reads_and_partial_writes() -> None:
    plaintext = _data(2 * C + 999)
    enc_sink = _PartialWriter(step=4097)
    encrypt_stream(KEY, _Trickle(plaintext), enc_sink, nonce=NONCE)  # type: ignore[arg-type]
    payload = bytes(enc_sink.data)
    assert payload == _ref_encrypt(KEY, plaintext, NONCE)
    dec_sink = _PartialWriter(step=3001)
    result = decrypt_stream(KEY, _Trickle(payload, step=513), dec_sink)  # type: ignore[arg-type]
    assert bytes(dec_sink.data) == plaintext
    assert result.plaintext_size == len(plaintext)


def test_source_without_readinto() -> None:
    plaintext = _data(C + 17)
    out = io.BytesIO()
    encrypt_stream(KEY, _ReadOnly(plaintext), out, nonce=NONCE)  # type: ignore[arg-type]
    assert out.getvalue() == _ref_encrypt(KEY, plaintext, NONCE)
    back = io.BytesIO()
    decrypt_stream(KEY, _ReadOnly(out.getvalue()), back)  # type: ignore[arg-type]
    assert back.getvalue() == plaintext


def test_real_files(tmp_path: Path) -> None:
    plaintext = _data(4 * C + 3)
    src = tmp_path / "plain.bin"
    enc = tmp_path / "payload.age"
    dec = tmp_path / "back.bin"
    src.write_bytes(plaintext)
    key = new_file_key()
    with src.open("rb") as fin, enc.open("wb") as fout:
        r1 = encrypt_stream(key, fin, fout)
    assert enc.stat().st_size == ciphertext_size(len(plaintext))
    with enc.open("rb") as fin, dec.open("wb") as fout:
        r2 = decrypt_stream(key, fin, fout)
    assert dec.read_bytes() == plaintext
    assert r1 == r2


def test_random_nonce_and_key() -> None:
    assert len(new_file_key()) == FILE_KEY_SIZE
    assert new_file_key() != new_file_key()
    a = _encrypt(b"same", nonce=None)
    b = _encrypt(b"same", nonce=None)
    assert a[:NONCE_SIZE] != b[:NONCE_SIZE]
    assert a != b


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        encrypt_stream(b"short", io.BytesIO(b"x"), io.BytesIO())
    with pytest.raises(ValueError):
        encrypt_stream(KEY, io.BytesIO(b"x"), io.BytesIO(), nonce=b"\x00" * 12)
    with pytest.raises(ValueError):
        decrypt_stream(KEY + b"\x00", io.BytesIO(_encrypt(b"x")), io.BytesIO())


# --------------------------------------------------------------------------- progress / cancel


def test_progress_reports_plaintext_bytes() -> None:
    size = 21 * C + 5
    plaintext = _data(size)
    seen: list[int] = []
    encrypt_stream(KEY, io.BytesIO(plaintext), io.BytesIO(), progress=seen.append)
    assert len(seen) >= 2
    assert seen == sorted(set(seen))  # strictly increasing
    assert seen[-1] == size
    assert all(v % C == 0 for v in seen[:-1])  # reported at chunk boundaries
    seen_dec: list[int] = []
    decrypt_stream(KEY, io.BytesIO(_encrypt(plaintext)), io.BytesIO(), progress=seen_dec.append)
    assert seen_dec == seen


def test_progress_matches_bytes_written() -> None:
    out = io.BytesIO()
    written: list[tuple[int, int]] = []
    encrypt_stream(
        KEY,
        io.BytesIO(_data(13 * C + 1)),
        out,
        progress=lambda done: written.append((done, out.tell())),
    )
    for done, pos in written:
        assert pos == ciphertext_size(done)  # progress only counts data already in dst


def test_progress_empty() -> None:
    seen: list[int] = []
    encrypt_stream(KEY, io.BytesIO(b""), io.BytesIO(), progress=seen.append)
    assert seen == [0]
    seen_dec: list[int] = []
    decrypt_stream(KEY, io.BytesIO(_encrypt(b"")), io.BytesIO(), progress=seen_dec.append)
    assert seen_dec == [0]


def test_cancel_encrypt() -> None:
    polls: list[int] = []

    def cancel() -> bool:
        polls.append(1)
        return len(polls) > 2  # let two chunks through

    size = 20 * C
    out = io.BytesIO()
    with pytest.raises(StreamCancelled):
        encrypt_stream(KEY, io.BytesIO(_data(size)), out, cancel=cancel)
    assert len(polls) == 3
    partial = out.getvalue()
    assert len(partial) < ciphertext_size(size)
    _assert_rejected(partial)  # what was written is not a valid payload


def test_cancel_encrypt_immediately() -> None:
    with pytest.raises(StreamCancelled):
        encrypt_stream(KEY, io.BytesIO(b"abc"), io.BytesIO(), cancel=lambda: True)


def test_cancel_decrypt() -> None:
    size = 20 * C
    payload = _encrypt(_data(size))
    with pytest.raises(StreamCancelled):
        decrypt_stream(KEY, io.BytesIO(payload), io.BytesIO(), cancel=lambda: True)
    done: list[int] = []
    with pytest.raises(StreamCancelled):
        decrypt_stream(
            KEY,
            io.BytesIO(payload),
            io.BytesIO(),
            progress=done.append,
            cancel=lambda: len(done) >= 1,
        )
    assert len(done) == 1
    assert 0 < done[0] < size
    assert not issubclass(StreamCancelled, StreamError)


def test_cancel_never_keeps_going() -> None:
    plaintext = _data(2 * C)
    out = io.BytesIO()
    encrypt_stream(KEY, io.BytesIO(plaintext), out, cancel=lambda: False)
    assert _decrypt(out.getvalue())[0] == plaintext


# --------------------------------------------------------------------------- tampering


def _assert_rejected(payload: bytes, match: str | None = None, key: bytes = KEY) -> None:
    with pytest.raises(StreamError, match=match):
        decrypt_stream(key, io.BytesIO(payload), io.BytesIO())


def test_wrong_key() -> None:
    payload = _encrypt(_data(C + 10))
    _assert_rejected(payload, match="chunk 0: authentication failed", key=bytes(FILE_KEY_SIZE))


@pytest.mark.parametrize("size", [0, 1, C, 3 * C, 3 * C + 7])
def test_truncation_missing_last_chunk(size: int) -> None:
    plaintext = _data(size)
    payload = _encrypt(plaintext)
    n_chunks = max(1, -(-size // C))
    if n_chunks > 1:
        # Drop the final chunk exactly on a chunk boundary.
        _assert_rejected(payload[: NONCE_SIZE + (n_chunks - 1) * ENC], match="truncated")
    # Any shorter prefix is rejected too.
    for cut in {1, TAG_SIZE, TAG_SIZE + 1, len(payload) - NONCE_SIZE}:
        if cut <= len(payload):
            _assert_rejected(payload[: len(payload) - cut])


def test_truncated_full_chunks_only() -> None:
    # Two full chunks, both non-final: the stream never ends properly.
    payload = _seal(KEY, NONCE, [(_data(C), False), (_data(C, 1), False)])
    _assert_rejected(payload, match="chunk 1 .*truncated")


def test_no_nonce_and_short_nonce() -> None:
    _assert_rejected(b"", match="nonce")
    _assert_rejected(NONCE[:7], match="nonce")


def test_nonce_only_no_chunks() -> None:
    _assert_rejected(NONCE, match="no chunks")


def test_chunk_shorter_than_tag() -> None:
    payload = _encrypt(b"")
    _assert_rejected(payload[:-1], match="shorter than")
    payload = _encrypt(_data(C + 3))
    _assert_rejected(payload[: NONCE_SIZE + ENC + 5], match="chunk 1")


def test_empty_final_chunk_not_only_chunk() -> None:
    payload = _seal(KEY, NONCE, [(_data(C), False), (b"", True)])
    _assert_rejected(payload, match="empty")
    payload = _seal(KEY, NONCE, [(_data(C), False), (_data(C, 1), False), (b"", True)])
    _assert_rejected(payload, match="chunk 2.*empty")


def test_empty_only_chunk_is_fine() -> None:
    payload = _seal(KEY, NONCE, [(b"", True)])
    out, result = _decrypt(payload)
    assert out == b""
    assert result.plaintext_sha256 == hashlib.sha256(b"").hexdigest()


def test_last_chunk_not_flagged_short() -> None:
    payload = _seal(KEY, NONCE, [(_data(C), False), (b"tail", False)])
    _assert_rejected(payload, match="chunk 1 .*truncated")


@pytest.mark.parametrize("size", [0, 5, C - 1, C, 2 * C, 2 * C + 3])
@pytest.mark.parametrize(
    "extra", [b"\x00", b"garbage", bytes(TAG_SIZE), bytes(ENC), bytes(ENC + 1)]
)
def test_data_after_last_chunk(size: int, extra: bytes) -> None:
    _assert_rejected(_encrypt(_data(size)) + extra)


def test_valid_chunk_after_final_chunk() -> None:
    # A properly sealed chunk 1 after a chunk 0 marked final.
    payload = _seal(KEY, NONCE, [(_data(C), True), (b"more", True)])
    _assert_rejected(payload, match="chunk 0 is marked as the final chunk but more data follows")
    payload = _seal(KEY, NONCE, [(_data(C), True), (_data(C, 2), True)])
    _assert_rejected(payload, match="data after the last chunk")


def test_two_final_chunks_short_first() -> None:
    payload = _seal(KEY, NONCE, [(b"short", True), (b"more", True)])
    _assert_rejected(payload)


@pytest.mark.parametrize("size", [0, 1, C, C + 1, 3 * C + 2])
def test_bit_flips_rejected(size: int) -> None:
    payload = _encrypt(_data(size))
    positions = {0, NONCE_SIZE - 1, NONCE_SIZE, len(payload) - 1, len(payload) - TAG_SIZE}
    body = len(payload) - NONCE_SIZE
    for i in range(0, body, ENC):
        positions |= {NONCE_SIZE + i, NONCE_SIZE + i + 100, NONCE_SIZE + min(i + ENC, body) - 1}
    for pos in sorted(p for p in positions if 0 <= p < len(payload)):
        _assert_rejected(_flip(payload, pos))


def test_tag_failure_in_second_chunk_names_chunk() -> None:
    payload = _encrypt(_data(3 * C))
    _assert_rejected(_flip(payload, NONCE_SIZE + ENC + 10), match="chunk 1: authentication failed")
    _assert_rejected(
        _flip(payload, NONCE_SIZE + 2 * ENC - 1), match="chunk 1: authentication failed"
    )


def test_swapped_chunks_rejected() -> None:
    payload = _encrypt(_data(3 * C + 1))
    body = payload[NONCE_SIZE:]
    chunks = [body[i : i + ENC] for i in range(0, len(body), ENC)]
    chunks[0], chunks[1] = chunks[1], chunks[0]
    _assert_rejected(NONCE + b"".join(chunks), match="chunk 0")


# --------------------------------------------------------------------------- random access

_RA_PLAIN = _data(3 * C + 123, seed=5)
_RA_PAYLOAD = _encrypt(_RA_PLAIN)


def _reader(payload: bytes = _RA_PAYLOAD, key: bytes = KEY) -> EncryptedFileReader:
    return EncryptedFileReader(key, io.BytesIO(payload))


def test_reader_basics() -> None:
    r = _reader()
    assert r.readable() and r.seekable() and not r.writable()
    assert r.size == len(_RA_PLAIN)
    assert r.chunk_count == 4
    assert r.tell() == 0
    assert r.read() == _RA_PLAIN
    assert r.read(10) == b""
    assert r.seek(0) == 0
    assert r.read(5) == _RA_PLAIN[:5]
    assert r.seek(10, io.SEEK_CUR) == 15
    assert r.read(3) == _RA_PLAIN[15:18]
    assert r.seek(-4, io.SEEK_END) == len(_RA_PLAIN) - 4
    assert r.read() == _RA_PLAIN[-4:]
    assert r.seek(len(_RA_PLAIN) + 100) == len(_RA_PLAIN) + 100
    assert r.read(1) == b""
    with pytest.raises(ValueError):
        r.seek(-1)
    with pytest.raises(ValueError):
        r.seek(0, 7)
    r.close()
    with pytest.raises(ValueError):
        r.read(1)


@pytest.mark.parametrize(
    ("start", "length"),
    [
        (0, 1),
        (C - 1, 2),
        (C - 10, C + 20),
        (C, C),
        (2 * C - 1, C + 2),
        (3 * C - 5, 200),
        (0, 3 * C + 123),
        (100, 4 * C),
    ],
)
def test_reader_slices_across_boundaries(start: int, length: int) -> None:
    r = _reader()
    r.seek(start)
    assert r.read(length) == _RA_PLAIN[start : start + length]
    assert r.tell() == min(start + length, len(_RA_PLAIN))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 3 * C + 200), st.integers(0, 2 * C + 10)), min_size=1, max_size=8
    )
)
def test_reader_random_access(ops: list[tuple[int, int]]) -> None:
    r = _reader()
    for start, length in ops:
        r.seek(start)
        assert r.read(length) == _RA_PLAIN[start : start + length]


def test_reader_readinto_and_chunks() -> None:
    r = _reader()
    buf = bytearray(C + 50)
    r.seek(C - 25)
    assert r.readinto(buf) == len(buf)
    assert bytes(buf) == _RA_PLAIN[C - 25 : 2 * C + 25]
    mv = memoryview(bytearray(300))
    r.seek(len(_RA_PLAIN) - 100)
    assert r.readinto(mv) == 100
    assert bytes(mv[:100]) == _RA_PLAIN[-100:]
    for i in range(r.chunk_count):
        assert r.read_chunk(i) == _RA_PLAIN[i * C : (i + 1) * C]
    with pytest.raises(IndexError):
        r.read_chunk(4)
    with pytest.raises(IndexError):
        r.read_chunk(-1)


def test_reader_buffered_wrapper_and_real_file(tmp_path: Path) -> None:
    path = tmp_path / "x.age"
    path.write_bytes(_RA_PAYLOAD)
    with path.open("rb") as fh, EncryptedFileReader(KEY, fh) as raw:
        buffered = io.BufferedReader(raw, buffer_size=10_000)
        buffered.seek(C - 3)
        assert buffered.read(7) == _RA_PLAIN[C - 3 : C + 4]
        buffered.seek(0)
        assert buffered.read() == _RA_PLAIN


def test_reader_does_not_close_fh() -> None:
    fh = io.BytesIO(_RA_PAYLOAD)
    r = EncryptedFileReader(KEY, fh)
    r.close()
    assert not fh.closed


def test_reader_with_offset() -> None:
    prefix = b"HEADER--" * 5
    r = EncryptedFileReader(KEY, io.BytesIO(prefix + _RA_PAYLOAD), offset=len(prefix))
    r.seek(C + 1)
    assert r.read(C) == _RA_PLAIN[C + 1 : 2 * C + 1]


@pytest.mark.parametrize("size", [0, 1, C, 2 * C])
def test_reader_small_and_exact_sizes(size: int) -> None:
    plaintext = _data(size)
    r = _reader(_encrypt(plaintext))
    assert r.size == size
    assert r.chunk_count == max(1, -(-size // C))
    assert r.read() == plaintext


def test_reader_wrong_key_fails_on_open() -> None:
    with pytest.raises(StreamError, match="authentication failed"):
        _reader(key=bytes(FILE_KEY_SIZE))


def test_reader_truncated_fails_on_open() -> None:
    with pytest.raises(StreamError, match="truncated"):
        _reader(_RA_PAYLOAD[: NONCE_SIZE + 3 * ENC])
    with pytest.raises(StreamError):
        _reader(_RA_PAYLOAD[:-1])
    with pytest.raises(StreamError):
        _reader(_RA_PAYLOAD[:NONCE_SIZE])
    with pytest.raises(StreamError):
        _reader(_RA_PAYLOAD[:5])


def test_reader_impossible_size_fails_on_open() -> None:
    payload = _encrypt(_data(C)) + bytes(TAG_SIZE)  # would be an empty final chunk
    with pytest.raises(StreamError, match="empty"):
        _reader(payload)


def test_reader_trailing_data_fails() -> None:
    with pytest.raises(StreamError):
        _reader(_RA_PAYLOAD + b"x" * 40)
    # A validly sealed chunk appended after the chunk marked final: the new
    # final chunk authenticates, but the old final chunk is caught when read.
    payload = _seal(KEY, NONCE, [(_data(C), True), (b"appended", True)])
    r = _reader(payload)
    with pytest.raises(StreamError, match="marked as the final chunk"):
        r.read_chunk(0)


def test_reader_tampered_middle_chunk() -> None:
    bad = _flip(_RA_PAYLOAD, NONCE_SIZE + ENC + 1000)
    r = _reader(bad)  # only the final chunk is verified on open
    assert r.read(C) == _RA_PLAIN[:C]
    with pytest.raises(StreamError, match="chunk 1"):
        r.read(10)
    r.seek(2 * C)
    assert r.read(10) == _RA_PLAIN[2 * C : 2 * C + 10]
    with pytest.raises(StreamError, match="chunk 1"):
        r.read_chunk(1)


def test_reader_keeps_one_chunk_only() -> None:
    fh = io.BytesIO(_RA_PAYLOAD)
    r = EncryptedFileReader(KEY, fh)
    assert r.read_chunk(0) == _RA_PLAIN[:C]
    assert r.read_chunk(0) == _RA_PLAIN[:C]  # served from the cache
    assert r.read_chunk(1) == _RA_PLAIN[C : 2 * C]
    # Corrupt chunk 0 on "disk": since only chunk 1 is cached now, chunk 0 is
    # re-read and re-authenticated.
    with fh.getbuffer() as view:
        view[NONCE_SIZE + 3] ^= 0xFF
    with pytest.raises(StreamError, match="chunk 0"):
        r.read_chunk(0)


# --------------------------------------------------------------------------- age conformance vectors (C2SP age / CCTV)

VECTOR_DIR = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "age-cctv"
_ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
_ARMOR_END = "-----END AGE ENCRYPTED FILE-----"


def _parse_vector(path: Path) -> tuple[dict[str, str], bytes]:
    raw = path.read_bytes()
    head, sep, body = raw.partition(b"\n\n")
    assert sep, f"{path.name}: no blank line after the vector header"
    headers: dict[str, str] = {}
    for line in head.decode("utf-8").splitlines():
        key, _, value = line.partition(":")
        headers[key.strip()] = value.strip()
    return headers, body


def _age_file(headers: dict[str, str], body: bytes) -> bytes:
    compressed = headers.get("compressed")
    if compressed == "zlib":
        body = zlib.decompress(body)
    elif compressed == "gzip":
        body = gzip.decompress(body)
    elif compressed is not None:
        raise AssertionError(f"unknown compression {compressed!r}")
    if headers.get("armored") == "yes":
        lines = [line.strip() for line in body.decode("ascii").strip().splitlines()]
        begin = lines.index(_ARMOR_BEGIN)
        end = lines.index(_ARMOR_END)
        body = base64.b64decode("".join(lines[begin + 1 : end]), validate=True)
    return body


def _payload_of(age_file: bytes) -> bytes:
    assert age_file.startswith(b"age-encryption.org/v1\n")
    mac_line = age_file.index(b"\n--- ") + 1
    return age_file[age_file.index(b"\n", mac_line) + 1 :]


def _collect_vectors() -> list[object]:
    if not VECTOR_DIR.is_dir():
        return [
            pytest.param(
                None, marks=pytest.mark.skip(reason=f"age CCTV vectors not found at {VECTOR_DIR}")
            )
        ]
    params: list[object] = []
    for path in sorted(VECTOR_DIR.iterdir()):
        if not path.is_file():
            continue
        headers, _ = _parse_vector(path)
        expect = headers.get("expect")
        if "file key" not in headers:
            continue
        # age reads the payload nonce as part of the header, so the nonce
        # vectors are "header failure"s; for this module they are payload errors.
        if expect in {"success", "payload failure"} or (
            expect == "header failure" and path.name.startswith("stream_")
        ):
            params.append(pytest.param(path, id=path.name))
    return params


_VECTORS = _collect_vectors()


@pytest.mark.parametrize("path", _VECTORS)
def test_age_vector(path: Path) -> None:
    headers, body = _parse_vector(path)
    file_key = bytes.fromhex(headers["file key"])
    payload = _payload_of(_age_file(headers, body))
    out = io.BytesIO()
    if headers["expect"] == "success":
        result = decrypt_stream(file_key, io.BytesIO(payload), out)
        digest = hashlib.sha256(out.getvalue()).hexdigest()
        assert digest == headers["payload"]
        assert result.plaintext_sha256 == headers["payload"]
        assert result.plaintext_size == len(out.getvalue())
        # The random-access reader agrees, and our encoder reproduces the payload.
        reader = EncryptedFileReader(file_key, io.BytesIO(payload))
        assert reader.read() == out.getvalue()
        assert _encrypt(out.getvalue(), key=file_key, nonce=payload[:NONCE_SIZE]) == payload
    else:
        with pytest.raises(StreamError):
            decrypt_stream(file_key, io.BytesIO(payload), out)
        with pytest.raises(StreamError):
            EncryptedFileReader(file_key, io.BytesIO(payload)).read()


def test_age_vectors_present() -> None:
    if not VECTOR_DIR.is_dir():
        pytest.skip(f"age CCTV vectors not found at {VECTOR_DIR}")
    assert len(_VECTORS) >= 40


# --------------------------------------------------------------------------- resources


class _Repeat(io.RawIOBase):
    """``size`` bytes of a repeated pattern, without holding them in memory."""

    def __init__(self, size: int) -> None:
        self._left = size
        self._block = _data(C + 7)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self._left, len(self._block))
        buffer[:n] = self._block[:n]
        self._left -= n
        return n


class _Null(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, b: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        return len(b)


def test_constant_memory() -> None:
    size = 48 << 20
    tracemalloc.start()
    try:
        result = encrypt_stream(KEY, _Repeat(size), _Null())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.plaintext_size == size
    assert peak < 4 << 20, f"peak Python allocation {peak} bytes"


def test_no_thread_left_behind() -> None:
    before = threading.active_count()
    payload = _encrypt(_data(40 * C))
    assert _decrypt(payload)[1].plaintext_size == 40 * C
    _assert_rejected(_flip(payload, NONCE_SIZE + 30 * ENC + 5), match="chunk 30")
    polls = itertools.count()
    with pytest.raises(StreamCancelled):
        encrypt_stream(
            KEY, io.BytesIO(_data(40 * C)), io.BytesIO(), cancel=lambda: next(polls) > 20
        )
    assert threading.active_count() == before


# --------------------------------------------------------------------------- re-encryption


from testimony_app.crypto.stream_reencrypt import reencrypt_stream  # noqa: E402

KEY2 = bytes(range(50, 50 + FILE_KEY_SIZE))


def _reencrypt(payload: bytes, size: int | None = None) -> tuple[bytes, StreamResult]:
    out = io.BytesIO()
    result = reencrypt_stream(KEY, io.BytesIO(payload), len(payload) if size is None else size,
                              KEY2, out)
    return out.getvalue(), result


@pytest.mark.parametrize("size", [0, 1, C - 1, C, C + 1, 8 * C, 8 * C + 1, 17 * C, 17 * C + 5])
def test_reencrypt_round_trip(size: int) -> None:
    plain = _data(size)
    source = _encrypt(plain)
    again, result = _reencrypt(source)
    assert result == StreamResult(size, hashlib.sha256(plain).hexdigest())
    assert len(again) == len(source) == ciphertext_size(size)
    assert again[:NONCE_SIZE] != source[:NONCE_SIZE]  # a fresh nonce, and another key
    assert again[NONCE_SIZE:NONCE_SIZE + 32] != source[NONCE_SIZE:NONCE_SIZE + 32]
    decrypted, _ = _decrypt(again, key=KEY2)
    assert decrypted == plain


@pytest.mark.parametrize("size", [0, C, 9 * C + 3])
def test_reencrypt_refuses_damaged_sources(size: int) -> None:
    source = _encrypt(_data(size))
    flipped = bytearray(source)
    flipped[-1] ^= 1
    for bad, declared in ((bytes(flipped), None), (source + b"x", len(source)),
                          (source + b"x", None), (source[:-1], len(source)),
                          (source[:-1], None), (source[:NONCE_SIZE - 1], None)):
        with pytest.raises(StreamError):
            _reencrypt(bad, declared)
    with pytest.raises(StreamError):  # the wrong key
        reencrypt_stream(KEY2, io.BytesIO(source), len(source), KEY, io.BytesIO())


def test_reencrypt_cancel() -> None:
    source = _encrypt(_data(20 * C))
    with pytest.raises(StreamCancelled):
        reencrypt_stream(KEY, io.BytesIO(source), len(source), KEY2, io.BytesIO(),
                         cancel=lambda: True)


def test_reencrypt_without_hashing() -> None:
    plain = _data(20 * C + 9)
    source = _encrypt(plain)
    out = io.BytesIO()
    result = reencrypt_stream(KEY, io.BytesIO(source), len(source), KEY2, out,
                              hash_plaintext=False)
    assert result == StreamResult(len(plain), "")
    assert _decrypt(out.getvalue(), key=KEY2)[0] == plain
