"""Hostile ZIP files: refused by the reader before anything is staged, in bounded memory."""

from __future__ import annotations

import io
import os
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from testimony_app.sync import errors as e
from testimony_app.sync import importer
from testimony_app.sync import manifest as mf
from testimony_app.sync.ziputil import MAX_ENTRIES, ZipReader, ZipWriter
from tests.unit.test_sync_support import add_testimony, digest, export, make_world, read_zip

BLOB = "blobs/" + "ab" * 16 + ".age"


def raw_zip(entries: list[dict[str, Any]], *, comment: bytes = b"", zip64_end: bool = False,
            count: int | None = None) -> bytes:
    """A ZIP built field by field, so each field can lie."""
    out = bytearray()
    cd = bytearray()
    for ent in entries:
        name = ent["name"].encode() if isinstance(ent["name"], str) else ent["name"]
        data = ent.get("data", b"")
        size = ent.get("size", len(data))
        crc = ent.get("crc", zlib.crc32(data))
        offset = ent.get("offset", len(out))
        flags, method = ent.get("flags", 0), ent.get("method", 0)
        out += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, flags, method, 0, 33, crc, size,
                           size, len(name), 0) + name + data
        extra = ent.get("extra", b"")
        cd += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 0x031E, 20, flags, method, 0, 33,
                          ent.get("cd_crc", crc),
                          ent.get("cd_size", size), ent.get("cd_size", size), len(name),
                          len(extra), 0, 0, 0, ent.get("ext_attr", 0o100600 << 16),
                          offset) + name + extra
    cd_offset = len(out)
    out += cd
    n = len(entries) if count is None else count
    if zip64_end:
        z64_at = len(out)
        out += struct.pack("<4sQ2H2I4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, len(cd),
                           cd_offset)
        out += struct.pack("<4sIQI", b"PK\x06\x07", 0, z64_at, 1)
        out += struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                           0xFFFFFFFF, len(comment)) + comment
    else:
        out += struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
                           len(cd), cd_offset, len(comment)) + comment
    return bytes(out)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    made = make_world(tmp_path_factory.mktemp("zip") / "w")
    add_testimony(made.field())
    made.bundle = export(made.field(), made.root / "out").read_bytes()
    yield made
    made.close()


def _refused(world, tmp_path: Path, data: bytes, expected: type[Exception]) -> None:
    path = tmp_path / "hostile.tbundle"
    path.write_bytes(data)
    coordinator = world.coordinator
    before = digest(coordinator)
    tracemalloc.start()
    try:
        with pytest.raises(expected):
            importer.import_bundle(coordinator, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, peak  # memory does not follow what the file declares
    assert digest(coordinator) == before
    staging = coordinator.folder / "staging"
    assert not staging.exists() or not any(staging.iterdir())


@pytest.mark.parametrize(("name", "expected"), [
    ("../../outside.age", e.ZipPathTraversal),
    ("blobs/../../outside.age", e.ZipPathTraversal),
    ("/etc/evil.age", e.ZipAbsolutePath),
    ("C:/evil.age", e.ZipAbsolutePath),
    ("blobs\\evil.age", e.ZipUnexpectedEntry),
    ("blobs/", e.ZipUnexpectedEntry),
    ("notes.txt", e.ZipUnexpectedEntry),
    ("blobs/evil\x00.age", e.ZipUnexpectedEntry),
])
def test_hostile_names(world, tmp_path, name, expected):
    _refused(world, tmp_path, raw_zip([{"name": name, "data": b"x"},
                                       {"name": "manifest.age", "data": b"y"}]), expected)


def test_symlinks_duplicates_and_unsupported_entries(world, tmp_path):
    link = {"name": BLOB, "data": b"/etc/passwd", "ext_attr": 0o120777 << 16}
    _refused(world, tmp_path, raw_zip([link]), e.ZipSymlink)
    twice = [{"name": BLOB, "data": b"a"}, {"name": BLOB, "data": b"b"}]
    _refused(world, tmp_path, raw_zip(twice), e.ZipDuplicateEntry)
    _refused(world, tmp_path, raw_zip([{"name": BLOB, "data": b"a", "method": 8}]),
             e.ZipUnsupported)
    _refused(world, tmp_path, raw_zip([{"name": BLOB, "data": b"a", "flags": 1}]),
             e.ZipUnsupported)
    _refused(world, tmp_path, raw_zip([{"name": BLOB, "data": b"a", "flags": 8}]),
             e.ZipUnsupported)


def test_sizes_that_lie(world, tmp_path):
    # Directory says 4 GB, the file holds one byte.
    _refused(world, tmp_path, raw_zip([{"name": BLOB, "data": b"a", "cd_size": 0xFFFFFFFE}]),
             e.ZipSizeMismatch)
    # A ZIP64 size of a terabyte.
    big = struct.pack("<HHQQ", 1, 16, 1 << 40, 1 << 40)
    _refused(world, tmp_path, raw_zip([{"name": BLOB, "data": b"a", "cd_size": 0xFFFFFFFF,
                                        "extra": big}]), e.ZipEntryTooLarge)
    # Two directory entries over the same bytes, and bytes hidden between entries.
    overlap = [{"name": BLOB, "data": b"abc"}, {"name": "manifest.age", "offset": 0}]
    _refused(world, tmp_path, raw_zip(overlap), e.ZipSizeMismatch)
    hidden = raw_zip([{"name": BLOB, "data": b"abc"}])
    cd_at = hidden.index(b"PK\x01\x02")
    gap = hidden[:cd_at] + b"HIDDEN" + hidden[cd_at:]
    gap = gap[:-22] + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 1, 1,
                                  len(hidden) - cd_at - 22, cd_at + 6, 0)
    _refused(world, tmp_path, gap, e.ZipSizeMismatch)
    manifest_age = dict(read_zip(world.bundle))["manifest.age"]
    _refused(world, tmp_path, raw_zip([{"name": "manifest.age", "data": manifest_age,
                                        "crc": 7}]), e.ZipChecksumMismatch)
    _refused(world, tmp_path, raw_zip([{"name": "manifest.age", "data": manifest_age,
                                        "cd_crc": 7}]), e.ZipSizeMismatch)
    # A manifest far over its limit is refused before it is read.
    huge = raw_zip([{"name": "manifest.age", "data": b"\0" * (mf.MAX_MANIFEST + 70_000)}])
    _refused(world, tmp_path, huge, e.BundleTooLarge)


def test_thousands_of_entries(world, tmp_path):
    many = [{"name": f"blobs/{i:032x}.age", "data": b""} for i in range(20_000)]
    _refused(world, tmp_path, raw_zip(many), e.ZipTooManyEntries)
    # Declared, not present: the count alone is enough to refuse.
    _refused(world, tmp_path, raw_zip([{"name": BLOB}], count=60_000), e.ZipTooManyEntries)
    # At the limit, the directory is read (bounded) and the bundle refused for what it is.
    at_limit = [{"name": f"blobs/{i:032x}.age", "data": b""} for i in range(MAX_ENTRIES)]
    _refused(world, tmp_path, raw_zip(at_limit), e.ManifestMissing)


def test_not_bundles(world, tmp_path):
    for data in (b"", b"PK", os.urandom(5000), world.bundle[:-1],
                 world.bundle[: len(world.bundle) // 2], world.bundle + b"trailing"):
        _refused(world, tmp_path, data, e.NotABundle)
    commented = raw_zip([{"name": BLOB, "data": b"a"}], comment=b"hello")
    _refused(world, tmp_path, commented, e.NotABundle)
    with pytest.raises(e.NotABundle):
        importer.import_bundle(world.coordinator, tmp_path)  # a folder
    link = tmp_path / "link.tbundle"
    target = tmp_path / "real.tbundle"
    target.write_bytes(world.bundle)
    link.symlink_to(target)
    with pytest.raises(e.NotABundle):
        importer.import_bundle(world.coordinator, link)


def test_reader_accepts_zip64_records_and_what_zipfile_writes(tmp_path):
    path = tmp_path / "z64.zip"
    path.write_bytes(raw_zip([{"name": BLOB, "data": b"hello"},
                              {"name": "manifest.age", "data": b"world"}], zip64_end=True))
    with ZipReader(path, name_ok=mf.is_bundle_entry) as zr:
        assert zr.open(BLOB).read() == b"hello" and zr.open("manifest.age").read() == b"world"
    out = io.BytesIO()
    writer = ZipWriter(out)
    with writer.open(BLOB, expected_size=3 << 30) as fh:  # ZIP64 local header
        fh.write(b"x" * 1000)
    with writer.open("manifest.age", expected_size=10) as fh:
        fh.write(b"m")
    writer.close()
    path.write_bytes(out.getvalue())
    with ZipReader(path, name_ok=mf.is_bundle_entry) as zr:
        assert zr.open(BLOB).read() == b"x" * 1000
    with zipfile.ZipFile(path) as zf:  # and a standard reader agrees
        assert zf.read(BLOB) == b"x" * 1000 and zf.testzip() is None


def test_a_blob_is_judged_by_its_signed_hashes_not_its_crc(world, tmp_path):
    """Blobs are read without their CRC-32 (the SHA-256 the signed manifest gives them is
    checked instead): a changed blob is refused whatever CRC it carries, and the bytes that
    were signed import whatever CRC they carry. The manifest's own CRC-32 is checked above."""
    entries = read_zip(world.bundle)
    blobs = [k for k, (name, _) in enumerate(entries) if name != mf.MANIFEST_ENTRY]
    fingerprint = world.field().device.fingerprint

    def rebuilt(k: int, data: bytes, crc: int) -> bytes:
        return raw_zip([{"name": name, "data": data if i == k else d, "crc": crc if i == k
                         else zlib.crc32(d)} for i, (name, d) in enumerate(entries)])

    coordinator = world.coordinator
    before = digest(coordinator)
    for k in blobs:
        name, data = entries[k]
        changed = bytearray(data)
        changed[len(data) // 2] ^= 0x01
        for crc in (zlib.crc32(data), zlib.crc32(changed)):  # the original's, or a matching one
            path = tmp_path / "changed.tbundle"
            path.write_bytes(rebuilt(k, bytes(changed), crc))
            with pytest.raises((e.AgeDecryptFailed, e.AgeMalformed, e.BlobMismatch)):
                importer.import_bundle(coordinator, path, trust=[fingerprint])
            assert digest(coordinator) == before, name
    path = tmp_path / "wrong-crc.tbundle"
    k = blobs[0]
    path.write_bytes(rebuilt(k, entries[k][1], zlib.crc32(entries[k][1]) ^ 0x5A5A5A5A))
    result = importer.import_bundle(coordinator, path, trust=[fingerprint])
    assert result.counts is not None and result.counts.created > 0
