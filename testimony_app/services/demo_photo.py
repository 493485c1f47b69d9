"""A placeholder photo for the demo vault's attachments: a tiny PNG made from bytes, with no
imaging library."""

from __future__ import annotations

import struct
import zlib


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def tiny_png(seed: int, size: int = 8) -> bytes:
    """A valid ``size`` x ``size`` RGB PNG: a soft gradient whose colour depends on ``seed``."""
    r0, g0, b0 = (seed * 67) % 200, (seed * 131) % 200, (seed * 29) % 200
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter type: none
        for x in range(size):
            rows += bytes((r0 + 6 * x, g0 + 6 * y, b0 + 3 * (x + y)))
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _png_chunk(b"IEND", b""))
