"""The records and audit blobs: gzip-compressed JSON lines.

Records blob: one canonical JSON object per line, ``{"entity": NAME, ...fields}``, the
fields being ``codec.to_dict`` of the record (the records JSON format with system fields). An
attachment's ``blob_name`` and ``file_key`` are local to a vault and travel as ``""``.
Audit blob: one canonical JSON object per line with the audit entry's ten fields.

Canonical JSON has no floats, so a float field (a site's latitude and longitude) travels as
the shortest decimal text that reads back to the same number (Python's ``repr``), and
:func:`from_transit` turns it back; anything else in a float field is refused.

The *content hash* of a record is the SHA-256 of the canonical JSON of its line: field vault
and coordinator compute it the same way, so receipts can name exact revisions.

Reading is bounded: at most ``MAX_LINE`` bytes per line and ``max_text`` bytes in all after
decompression, read in small pieces (no decompression bomb reaches memory).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from testimony_app import errors
from testimony_app.domain import codec
from testimony_app.domain.base import Record
from testimony_app.sync import envelope
from testimony_app.sync import errors as e
from testimony_app.vault.audit import FIELDS, AuditEntry

LOCAL_ONLY: dict[str, tuple[str, ...]] = {"attachment": ("blob_name", "file_key")}
AUDIT_KEYS = frozenset((*FIELDS, "prev_hash", "hash"))
MAX_LINE = 16 << 20
MAX_RECORDS_TEXT = 4 << 30
_PIECE = 64 * 1024
_COMPRESS_PIECE = 256 * 1024
# zlib level: 3 deflates records about 2.5 times faster than 6 for a fifth more bytes (the
# attachments are most of a bundle anyway); any level reads the same.
_LEVEL = 3


_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[+-]?[0-9]+)?")


@codec.per_class
def _float_fields(cls: type[Record]) -> tuple[str, ...]:
    return tuple(s.name for s in codec.specs(cls) if s.kind == codec.FLOAT)


def transit(record: Record) -> dict[str, Any]:
    """The line a record travels as (without the vault-local fields)."""
    data: dict[str, Any] = {"entity": record.entity, **codec.to_dict(record)}
    for name in LOCAL_ONLY.get(record.entity, ()):
        data[name] = ""
    for name in _float_fields(type(record)):
        if data.get(name) is not None:
            data[name] = repr(float(data[name]))
    return data


def from_transit(cls: type[Record], data: dict[str, Any], where: str = "") -> Any:
    """The record a transit line (``entity`` already removed) describes; raises
    ``errors.InvalidRecords`` (from the codec) on a bad field."""
    floats = _float_fields(cls)
    if not floats:
        return codec.from_dict(cls, data, where)
    fields = dict(data)
    for name in floats:
        value = fields.get(name)
        if value is None:
            continue
        number = float(value) if isinstance(value, str) and _DECIMAL.fullmatch(value) else None
        if number is None or not math.isfinite(number):
            raise errors.InvalidRecords(where=f"{where}.{name}" if where else name,
                                        problem="expected a number as decimal text")
        fields[name] = number
    return codec.from_dict(cls, fields, where)


def content_sha256(record: Record) -> str:
    return hashlib.sha256(envelope.canonical(transit(record))).hexdigest()


def audit_line(entry: AuditEntry) -> dict[str, Any]:
    return {**entry.body(), "prev_hash": entry.prev_hash, "hash": entry.hash}


def compress_lines(lines: Iterable[dict[str, Any]]) -> tuple[bytes, int]:
    """(gzip bytes, number of lines)."""
    out = io.BytesIO()
    z = zlib.compressobj(_LEVEL, zlib.DEFLATED, 31)
    count = 0
    pending: list[bytes] = []
    size = 0
    for line in lines:  # deflate in large pieces: a call per line costs ten times as much
        data = envelope.canonical(line)
        pending += (data, b"\n")
        size += len(data) + 1
        count += 1
        if size >= _COMPRESS_PIECE:
            out.write(z.compress(b"".join(pending)))
            pending, size = [], 0
    out.write(z.compress(b"".join(pending)))
    out.write(z.flush())
    return out.getvalue(), count


def read_lines(src: io.RawIOBase | Any, what: str, *, max_text: int = MAX_RECORDS_TEXT
               ) -> Iterator[tuple[int, dict[str, Any], str]]:
    """Yield (line number, object, SHA-256 of the line) from a gzip stream of canonical JSON
    lines (the hash of a record's line is its content hash)."""
    z = zlib.decompressobj(31)
    pending = b""
    total = 0
    number = 0

    def too_large() -> e.BundleTooLarge:
        return e.BundleTooLarge(what=what, limit=max_text)

    def lines_of(data: bytes) -> Iterator[tuple[int, dict[str, Any], str]]:
        nonlocal pending, number
        pending += data
        start = 0
        while (end := pending.find(b"\n", start)) >= 0:
            raw = pending[start:end]
            start = end + 1
            number += 1
            yield number, _parse_line(raw, what, number), hashlib.sha256(raw).hexdigest()
        pending = pending[start:]
        if len(pending) > MAX_LINE:
            raise e.BundleTooLarge(what=f"{what} line", limit=MAX_LINE)

    def inflate(data: bytes) -> bytes:
        try:
            return z.decompress(data, _PIECE)
        except zlib.error as exc:
            raise e.BundleRecordInvalid(where=what, problem="not gzip data") from exc

    while True:
        compressed = src.read(_PIECE)
        if not compressed:
            break
        if z.eof:
            raise e.BundleRecordInvalid(where=what, problem="data after the end")
        data = inflate(compressed)
        while True:
            total += len(data)
            if total > max_text:
                raise too_large()
            yield from lines_of(data)
            if z.eof or not z.unconsumed_tail:
                break
            data = inflate(z.unconsumed_tail)
        if z.eof and z.unused_data:
            raise e.BundleRecordInvalid(where=what, problem="data after the end")
    if not z.eof or pending:
        raise e.BundleRecordInvalid(where=what, problem="truncated")


def _parse_line(raw: bytes, what: str, number: int) -> dict[str, Any]:
    where = f"{what}[{number}]"
    try:
        value = envelope.loads_canonical(raw)
    except envelope.NotCanonical as exc:
        raise e.BundleRecordInvalid(where=where, problem="not canonical JSON") from exc
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise e.BundleRecordInvalid(where=where, problem="not JSON") from exc
    if not isinstance(value, dict):
        raise e.BundleRecordInvalid(where=where, problem="not canonical JSON")
    return value


def parse_audit(line: dict[str, Any], where: str) -> AuditEntry:
    if set(line) != AUDIT_KEYS:
        raise e.BundleRecordInvalid(where=where, problem="audit entry fields")
    if not isinstance(line["seq"], int) or isinstance(line["seq"], bool) or line["seq"] < 1:
        raise e.BundleRecordInvalid(where=where, problem="seq")
    for key in AUDIT_KEYS - {"seq"}:
        if not isinstance(line[key], str) or len(line[key]) > 200:
            raise e.BundleRecordInvalid(where=where, problem=key)
    return AuditEntry(**line)
