"""Throughput check for testimony_app.crypto.stream (not a test).

    python bench/bench_stream.py [SIZE_MIB]

Encrypts ``size`` bytes of random-looking data (a 1 MiB random block repeated)
from a generator-backed reader to a temporary file in a private temporary
directory, decrypts that file to a null sink, deletes it, and reports MB/s
(1 MB = 10**6 bytes) and the process's peak RSS.
"""

from __future__ import annotations

import io
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

if __package__ in (None, ""):  # allow `python bench/bench_stream.py` from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from testimony_app.crypto.stream import decrypt_stream, encrypt_stream, new_file_key

_BLOCK = 1 << 20


def _blocks(size: int) -> Iterator[memoryview]:
    block = memoryview(os.urandom(_BLOCK))
    remaining = size
    while remaining > 0:
        n = min(remaining, _BLOCK)
        yield block[:n]
        remaining -= n


class _GeneratorReader(io.RawIOBase):
    """Read-only stream over a generator of byte blocks (never holds more than one)."""

    def __init__(self, blocks: Iterator[memoryview]) -> None:
        super().__init__()
        self._blocks = blocks
        self._current = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        out = memoryview(buffer).cast("B")
        n = 0
        while n < len(out):
            if not self._current:
                nxt = next(self._blocks, None)
                if nxt is None:
                    break
                self._current = nxt
            k = min(len(self._current), len(out) - n)
            out[n : n + k] = self._current[:k]
            self._current = self._current[k:]
            n += k
        return n


class _NullSink(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, b: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        return len(b)


def run(size_bytes: int = 1 << 30) -> dict[str, float]:
    """Encrypt then decrypt ``size_bytes``; return throughput and peak RSS."""
    key = new_file_key()
    with tempfile.TemporaryDirectory(prefix="bench-stream-") as tmp:  # mode 0700
        path = Path(tmp) / "payload.age"
        try:
            src = _GeneratorReader(_blocks(size_bytes))
            t0 = time.perf_counter()
            with path.open("wb") as dst:
                enc = encrypt_stream(key, src, dst)  # type: ignore[arg-type]
                dst.flush()
            t1 = time.perf_counter()
            with path.open("rb") as fin:
                dec = decrypt_stream(key, fin, _NullSink())  # type: ignore[arg-type]
            t2 = time.perf_counter()
            ciphertext_bytes = path.stat().st_size
        finally:
            path.unlink(missing_ok=True)
    assert enc == dec, "round trip mismatch"
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "size_bytes": float(size_bytes),
        "ciphertext_bytes": float(ciphertext_bytes),
        "encrypt_seconds": t1 - t0,
        "decrypt_seconds": t2 - t1,
        "encrypt_mb_s": size_bytes / (t1 - t0) / 1e6,
        "decrypt_mb_s": size_bytes / (t2 - t1) / 1e6,
        "peak_rss_kib": float(rss_kib),
    }


if __name__ == "__main__":
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    for name, value in run(mib << 20).items():
        print(f"{name:>18}: {value:,.1f}")
