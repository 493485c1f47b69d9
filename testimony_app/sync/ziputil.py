"""ZIP files we write (bundles) and ZIP files we must not trust (bundles from outside).

Reading is the main door for hostile input, so it does not use ``zipfile``'s reader (which
builds an object per central-directory entry before anyone can count them, and tolerates
overlapping entries, comments and gaps). :class:`ZipReader` instead:

* reads the end-of-central-directory record from the last 22 bytes only (no archive comment),
  with ZIP64 records when present;
* refuses more than ``max_entries`` entries and a central directory over
  ``MAX_CENTRAL_DIRECTORY`` bytes before parsing any entry;
* refuses absolute paths, ``..``, backslashes, NUL, directories, symbolic links, duplicate
  names, names the caller does not expect, compressed, encrypted or split entries, entries
  over ``max_entry_size``;
* requires every local header to repeat its directory entry, and the entries to tile the file
  exactly (first at offset 0, each ending where the next begins, the last where the directory
  begins), so declared sizes cannot lie and no byte of the file goes unexamined;
* reads entry data with ``os.pread`` in bounded pieces and checks its CRC-32 at the end (unless
  the caller checks a signed SHA-256 of the same bytes instead).

Nothing is extracted to disk and memory use does not depend on what the file declares.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from testimony_app.sync import errors as e

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

MAX_ENTRIES = 10_001
MAX_CENTRAL_DIRECTORY = 4 << 20
MAX_ENTRY_SIZE = 1 << 36
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # entry times would tell an interceptor when it was made

_EOCD = struct.Struct("<4s4H2IH")
_Z64_LOCATOR = struct.Struct("<4sIQI")
_Z64_EOCD = struct.Struct("<4sQ2H2I4Q")
_CENTRAL = struct.Struct("<4s6H3I5H2I")
_LOCAL = struct.Struct("<4s5H3I2H")
_SIG_EOCD, _SIG_Z64_LOC, _SIG_Z64_EOCD = b"PK\x05\x06", b"PK\x06\x07", b"PK\x06\x06"
_SIG_CENTRAL, _SIG_LOCAL = b"PK\x01\x02", b"PK\x03\x04"
_U16, _U32 = 0xFFFF, 0xFFFFFFFF
_FLAG_UTF8 = 0x800
_MAX_VERSION = 45  # "version needed to extract": 4.5 (ZIP64) is all a bundle needs
_ZIP64_EXTRA = 0x0001
_READ_PIECE = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ZipEntry:
    name: str
    header_offset: int
    data_offset: int
    size: int
    crc32: int


def _check_name(raw: bytes, flags: int, external_attr: int) -> str:
    mode = external_attr >> 16
    if stat.S_ISLNK(mode):
        raise e.ZipSymlink()
    try:
        name = raw.decode("utf-8" if flags & _FLAG_UTF8 else "ascii")
    except UnicodeDecodeError as exc:
        raise e.ZipUnexpectedEntry() from exc
    if "\0" in name or "\\" in name:
        raise e.ZipUnexpectedEntry()
    if name.startswith("/") or _DRIVE.match(name):
        raise e.ZipAbsolutePath()
    if ".." in name.split("/"):
        raise e.ZipPathTraversal()
    if not name or name.endswith("/") or stat.S_ISDIR(mode):
        raise e.ZipUnexpectedEntry()
    return name


def _zip64_values(extra: bytes, wanted: list[str], *, exact: bool = True) -> dict[str, int]:
    """Parse the extra field: only a ZIP64 block is allowed, holding exactly ``wanted``."""
    values: dict[str, int] = {}
    pos = 0
    seen = False
    while pos < len(extra):
        if pos + 4 > len(extra):
            raise e.ZipProblem(detail="extra field")
        tag, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4:pos + 4 + size]
        if tag != _ZIP64_EXTRA or seen or len(body) != size:
            raise e.ZipProblem(detail="extra field")
        seen = True
        if size != 8 * len(wanted) and (exact or size < 8 * len(wanted)):
            raise e.ZipProblem(detail="ZIP64 field")
        for i, key in enumerate(wanted):
            values[key] = struct.unpack_from("<Q", body, 8 * i)[0]
        pos += 4 + size
    if wanted and not seen:
        raise e.ZipProblem(detail="ZIP64 field missing")
    return values


class ZipReader:
    """A stored-only ZIP opened for reading, checked as described in the module docstring."""

    def __init__(self, path: Path, *, name_ok: Callable[[str], bool],
                 max_entries: int = MAX_ENTRIES, max_entry_size: int = MAX_ENTRY_SIZE) -> None:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        self.path = Path(path)
        try:
            self._fd = os.open(path, flags)
        except OSError as exc:
            raise e.NotABundle() from exc
        try:
            st = os.fstat(self._fd)
            if not stat.S_ISREG(st.st_mode):
                raise e.NotABundle()
            self.file_size = st.st_size
            self.entries = self._parse(name_ok, max_entries, max_entry_size)
        except BaseException:
            os.close(self._fd)
            raise

    def __enter__(self) -> ZipReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _pread(self, size: int, offset: int) -> bytes:
        data = os.pread(self._fd, size, offset)
        if len(data) != size:
            raise e.ZipSizeMismatch(detail="short read")
        return data

    def _end_records(self) -> tuple[int, int, int]:
        """(entry count, central directory size, central directory offset)."""
        if self.file_size < _EOCD.size:
            raise e.NotABundle()
        eocd_at = self.file_size - _EOCD.size
        (sig, disk, cd_disk, n_disk, n_total, cd_size, cd_offset,
         comment_len) = _EOCD.unpack(self._pread(_EOCD.size, eocd_at))
        if sig != _SIG_EOCD or comment_len != 0:
            raise e.NotABundle()
        end_of_cd = eocd_at
        loc_at = eocd_at - _Z64_LOCATOR.size
        loc = self._pread(_Z64_LOCATOR.size, loc_at) if loc_at >= 0 else b""
        if loc[:4] == _SIG_Z64_LOC:
            _, z_disk, z_offset, z_disks = _Z64_LOCATOR.unpack(loc)
            if z_disk != 0 or z_disks != 1 or z_offset > loc_at - _Z64_EOCD.size:
                raise e.ZipProblem(detail="ZIP64 locator")
            (sig, rec_size, _made, _needed, disk, cd_disk, n_disk, n_total, cd_size,
             cd_offset) = _Z64_EOCD.unpack(self._pread(_Z64_EOCD.size, z_offset))
            if sig != _SIG_Z64_EOCD or z_offset + 12 + rec_size != loc_at:
                raise e.ZipProblem(detail="ZIP64 end record")
            end_of_cd = z_offset
        elif _U16 in (disk, cd_disk, n_disk, n_total) or _U32 in (cd_size, cd_offset):
            raise e.ZipProblem(detail="ZIP64 records missing")
        if disk != 0 or cd_disk != 0 or n_disk != n_total:
            raise e.ZipUnsupported(name="*")
        if cd_offset + cd_size != end_of_cd:
            raise e.ZipSizeMismatch(detail="central directory")
        return n_total, cd_size, cd_offset

    def _parse(self, name_ok: Callable[[str], bool], max_entries: int,
               max_entry_size: int) -> dict[str, ZipEntry]:
        count, cd_size, cd_offset = self._end_records()
        if count > max_entries:
            raise e.ZipTooManyEntries(count=count, limit=max_entries)
        if cd_size > MAX_CENTRAL_DIRECTORY:
            raise e.ZipTooManyEntries(count=count, limit=max_entries)
        cd = self._pread(cd_size, cd_offset)
        entries: dict[str, ZipEntry] = {}
        locals_: list[tuple[int, ZipEntry, int, int, int]] = []
        pos = 0
        for _ in range(count):
            if pos + _CENTRAL.size > len(cd):
                raise e.ZipSizeMismatch(detail="central directory")
            (sig, _made, needed, flags, method, mtime, mdate, crc, csize, usize, n_len, x_len,
             c_len, disk, _int_attr, ext_attr, offset) = _CENTRAL.unpack_from(cd, pos)
            if sig != _SIG_CENTRAL:
                raise e.ZipSizeMismatch(detail="central directory")
            raw_name = cd[pos + 46:pos + 46 + n_len]
            extra = cd[pos + 46 + n_len:pos + 46 + n_len + x_len]
            pos += 46 + n_len + x_len + c_len
            if pos > len(cd):
                raise e.ZipSizeMismatch(detail="central directory")
            name = _check_name(raw_name, flags, ext_attr)
            if name in entries:
                raise e.ZipDuplicateEntry(name=name[:80])
            if not name_ok(name):
                raise e.ZipUnexpectedEntry()
            if flags & ~_FLAG_UTF8 or method != 0 or c_len != 0 or needed > _MAX_VERSION:
                raise e.ZipUnsupported(name=name)
            wanted = [k for k, v in (("usize", usize), ("csize", csize), ("offset", offset))
                      if v == _U32] + (["disk"] if disk == _U16 else [])
            if "disk" in wanted:
                raise e.ZipUnsupported(name=name)
            z64 = _zip64_values(extra, wanted)
            usize, csize = z64.get("usize", usize), z64.get("csize", csize)
            offset = z64.get("offset", offset)
            if disk != 0:
                raise e.ZipUnsupported(name=name)
            if usize != csize:
                raise e.ZipSizeMismatch(detail=name)
            if usize > max_entry_size:
                raise e.ZipEntryTooLarge(name=name, size=usize, limit=max_entry_size)
            entry = ZipEntry(name, offset, 0, usize, crc)
            entries[name] = entry
            locals_.append((offset, entry, flags, mtime, mdate))
        if pos != len(cd):
            raise e.ZipSizeMismatch(detail="central directory")
        return self._check_locals(sorted(locals_, key=lambda t: t[0]), entries, cd_offset)

    def _check_locals(self, ordered: list[tuple[int, ZipEntry, int, int, int]],
                      entries: dict[str, ZipEntry], cd_offset: int) -> dict[str, ZipEntry]:
        expected_at = 0
        for offset, entry, flags, mtime, mdate in ordered:
            if offset != expected_at or offset + _LOCAL.size > cd_offset:
                raise e.ZipSizeMismatch(detail=f"{entry.name} position")
            (sig, needed, l_flags, l_method, l_time, l_date, l_crc, l_csize, l_usize, n_len,
             x_len) = _LOCAL.unpack(self._pread(_LOCAL.size, offset))
            names_extra = self._pread(n_len + x_len, offset + _LOCAL.size)
            if needed > _MAX_VERSION:
                raise e.ZipUnsupported(name=entry.name)
            if (sig != _SIG_LOCAL or l_flags != flags or l_method != 0 or l_time != mtime
                    or l_date != mdate or l_crc != entry.crc32
                    or names_extra[:n_len] != entry.name.encode("utf-8")):
                raise e.ZipSizeMismatch(detail=f"{entry.name} local header")
            wanted = ["usize", "csize"] if _U32 in (l_usize, l_csize) else []
            z64 = _zip64_values(names_extra[n_len:], wanted)
            if (z64.get("usize", l_usize) != entry.size
                    or z64.get("csize", l_csize) != entry.size):
                raise e.ZipSizeMismatch(detail=f"{entry.name} local header")
            data_offset = offset + _LOCAL.size + n_len + x_len
            expected_at = data_offset + entry.size
            if expected_at > cd_offset:
                raise e.ZipSizeMismatch(detail=f"{entry.name} size")
            entries[entry.name] = ZipEntry(entry.name, offset, data_offset, entry.size,
                                           entry.crc32)
        if expected_at != cd_offset:
            raise e.ZipSizeMismatch(detail="data before the central directory")
        return entries

    def open(self, name: str, *, check_crc: bool = True) -> EntryReader:
        """A reader of the entry's bytes. ``check_crc=False`` is for a caller that checks a
        SHA-256 of the same bytes against a signed value (a bundle's blobs): the CRC-32 would
        add nothing but nearly a second of CPU per GiB."""
        return EntryReader(self._fd, self.entries[name], check_crc=check_crc)


class EntryReader(io.RawIOBase):
    """The bytes of one entry, read in bounded pieces; CRC-32 checked (unless told not to)
    when the end is read."""

    def __init__(self, fd: int, entry: ZipEntry, *, check_crc: bool = True) -> None:
        super().__init__()
        self._fd = fd
        self._entry = entry
        self._pos = 0
        self._crc = 0
        self._check_crc = check_crc

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        with memoryview(buffer) as raw, raw.cast("B") as out:
            want = min(len(out), self._entry.size - self._pos, _READ_PIECE)
            if want <= 0:
                return 0
            out[:want] = self._piece(want)
        return want

    def read(self, size: int = -1) -> bytes:
        remaining = self._entry.size - self._pos
        want = min(remaining if size is None or size < 0 else size, remaining, _READ_PIECE)
        if want <= 0:
            return b""
        return self._piece(want)

    def _piece(self, want: int) -> bytes:
        data = os.pread(self._fd, want, self._entry.data_offset + self._pos)
        if len(data) != want:
            raise e.ZipSizeMismatch(detail=f"{self._entry.name} short read")
        self._pos += want
        if self._check_crc:
            self._crc = zlib.crc32(data, self._crc)
            if self._pos == self._entry.size and self._crc != self._entry.crc32:
                raise e.ZipChecksumMismatch(name=self._entry.name)
        return data


# Writing ------------------------------------------------------------------------------------

class ZipWriter:
    """A stored (uncompressed) ZIP written to an open, seekable file we created.

    Entries get a fixed time and mode 0600; ZIP64 headers are used for entries that may pass
    2 GiB. ``zipfile`` writes the local header, the data and then rewrites the header with the
    final sizes and CRC-32, so no data descriptors are needed.
    """

    def __init__(self, fh: BinaryIO) -> None:
        self._zip = zipfile.ZipFile(fh, mode="w", compression=zipfile.ZIP_STORED,
                                    allowZip64=True)

    def open(self, name: str, *, expected_size: int) -> BinaryIO:
        info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = (stat.S_IFREG | 0o600) << 16
        return cast(BinaryIO, self._zip.open(
            info, mode="w", force_zip64=expected_size >= (1 << 31) - (1 << 24)))

    def close(self) -> None:
        self._zip.close()

    def abort(self) -> None:
        """Forget the archive without writing its directory (the caller discards the file)."""
        self._zip.fp = None  # ZipFile.close() and __del__ do nothing without a file
