"""Our age v1 header (X25519 only): the age test kit's vectors, interop with pyrage and the age
command, and the refusals Testimony adds (passphrase, armor, size)."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zlib
from pathlib import Path

import pyrage
import pytest

from testimony_app.crypto import age_header as ah
from testimony_app.crypto import age_keys
from testimony_app.crypto.stream import StreamError, decrypt_stream, encrypt_stream, new_file_key
from tests.unit.test_stream import VECTOR_DIR, _parse_vector

IDENTITY = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"


def _raw_file(headers: dict[str, str], body: bytes) -> bytes:
    """The vector's file as it would be read from disk (decompressed, still armored)."""
    if headers.get("compressed") == "zlib":
        return zlib.decompress(body)
    assert headers.get("compressed") is None
    return body


class _Trickle(io.RawIOBase):
    """Hands out at most ``step`` bytes per read, like a pipe."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._pos, self._step = data, 0, step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        n = self._step if size < 0 else min(size, self._step)
        out = self._data[self._pos:self._pos + n]
        self._pos += len(out)
        return out


def _open(data: bytes, identities: list[age_keys.Identity]) -> tuple[bytes, bytes, ah.Header]:
    """(file key, plaintext, header) of a whole age file, or the error."""
    src = io.BytesIO(data)
    header, rest = ah.read_header(src)
    file_key = ah.unwrap(header, identities)
    out = io.BytesIO()
    decrypt_stream(file_key, io.BytesIO(rest + src.read()), out)
    return file_key, out.getvalue(), header


def _vectors() -> list[object]:
    if not VECTOR_DIR.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason="age test kit not found"))]
    return [pytest.param(p, id=p.name) for p in sorted(VECTOR_DIR.iterdir()) if p.is_file()]


@pytest.mark.parametrize("path", _vectors())
def test_age_test_kit(path: Path) -> None:
    headers, body = _parse_vector(path)
    data = _raw_file(headers, body)
    expect = headers["expect"]
    identity = headers.get("identity", "")
    identities = [age_keys.Identity.parse(identity)] if identity.startswith("AGE-SECRET-KEY-1") else []
    if headers.get("armored") == "yes":  # refused, as such unless the armor is broken too
        with pytest.raises(ah.HeaderError) as refused:
            _open(data, identities)
        if expect != "armor failure":
            assert isinstance(refused.value, ah.ArmoredRefused)
        return
    if "passphrase" in headers:  # scrypt: refused, as such whenever the header is well formed
        with pytest.raises((ah.HeaderError, ah.NoMatch)) as refused:  # "Scrypt" is not scrypt
            _open(data, identities)
        if expect == "success":
            assert isinstance(refused.value, ah.PassphraseRefused)
        return
    if not identities:  # a hybrid (post-quantum) identity: we only have X25519 keys
        with pytest.raises((ah.HeaderError, ah.NoMatch)):
            _open(data, identities)
        return
    if expect == "success":
        file_key, plain, header = _open(data, identities)
        assert file_key.hex() == headers["file key"]
        assert hashlib.sha256(plain).hexdigest() == headers["payload"]
        assert data[:header.size].endswith(b"\n") and header.size < len(data)
    elif expect == "header failure" and path.name.startswith("stream_"):
        # age counts the payload nonce as part of the header; for us it is the payload's
        with pytest.raises(StreamError):
            _open(data, identities)
    elif expect == "header failure":
        with pytest.raises(ah.HeaderError) as failed:
            _open(data, identities)
        assert type(failed.value) is ah.HeaderError
    elif expect == "HMAC failure":
        with pytest.raises(ah.HeaderMacMismatch):
            _open(data, identities)
    elif expect == "no match":
        with pytest.raises(ah.NoMatch):
            _open(data, identities)
    elif expect == "payload failure":
        src = io.BytesIO(data)
        header, rest = ah.read_header(src)
        assert ah.unwrap(header, identities).hex() == headers["file key"]
        with pytest.raises(StreamError):
            decrypt_stream(bytes.fromhex(headers["file key"]), io.BytesIO(rest + src.read()),
                           io.BytesIO())
    else:  # pragma: no cover - a new kind of vector
        pytest.fail(f"unknown expectation {expect!r}")


def test_every_kind_of_vector_is_covered() -> None:
    if not VECTOR_DIR.is_dir():
        pytest.skip("age test kit not found")
    kinds = {_parse_vector(p)[0]["expect"] for p in VECTOR_DIR.iterdir() if p.is_file()}
    assert {"success", "header failure", "HMAC failure", "no match", "payload failure"} <= kinds
    names = {p.name for p in VECTOR_DIR.iterdir()}
    assert {"x25519", "x25519_grease", "x25519_low_order", "hmac_bad", "scrypt"} <= names


# Keys ------------------------------------------------------------------------------------------

def test_keys_agree_with_pyrage() -> None:
    for _ in range(5):
        theirs = pyrage.x25519.Identity.generate()
        ours = age_keys.Identity.parse(str(theirs))
        assert str(ours) == str(theirs)
        assert ours.recipient == str(theirs.to_public())
        assert age_keys.parse_recipient(str(theirs.to_public())) == ours.public
    generated = age_keys.Identity.generate()
    assert str(pyrage.x25519.Identity.from_str(str(generated)).to_public()) == generated.recipient
    assert "SECRET" not in repr(generated)


@pytest.mark.parametrize("text", [
    "", "age1", IDENTITY.lower(), IDENTITY[:-1] + "A", IDENTITY[:20] + IDENTITY[20:].lower(),
    "AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG",
    "AGE-SECRET-KEY-1" + "Q" * 58])
def test_bad_identities_are_refused(text: str) -> None:
    with pytest.raises(age_keys.KeyFormatError):
        age_keys.Identity.parse(text)


def test_bad_recipients_are_refused() -> None:
    good = age_keys.Identity.generate().recipient
    for text in (good.upper(), good[:-1] + ("q" if good[-1] != "q" else "p"), "age1xyz",
                 age_keys.bech32_encode("age", bytes(31)), age_keys.bech32_encode("agx", bytes(32)),
                 str(age_keys.Identity.generate())):
        with pytest.raises(age_keys.KeyFormatError):
            age_keys.parse_recipient(text)


# Writing, and reading what others write -------------------------------------------------------

def _encrypt(plain: bytes, recipients: list[str]) -> bytes:
    out = io.BytesIO()
    file_key = new_file_key()
    out.write(ah.write_header(file_key, recipients))
    encrypt_stream(file_key, io.BytesIO(plain), out)
    return out.getvalue()


def test_pyrage_reads_what_we_write_and_we_read_what_it_writes() -> None:
    ids = [age_keys.Identity.generate() for _ in range(3)]
    plain = bytes(range(256)) * 1000
    ours = _encrypt(plain, [i.recipient for i in ids])
    for identity in ids:
        out = io.BytesIO()
        pyrage.decrypt_io(io.BytesIO(ours), out, [pyrage.x25519.Identity.from_str(str(identity))])
        assert out.getvalue() == plain
        assert _open(ours, [identity])[1] == plain
    theirs = pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(i.recipient) for i in ids])
    assert _open(theirs, [ids[2]])[1] == plain
    header, _ = ah.read_header(io.BytesIO(ours))
    assert header.types == ["X25519"] * 3


@pytest.mark.skipif(shutil.which("age") is None, reason="the age command is not installed")
def test_the_age_command_reads_what_we_write(tmp_path: Path) -> None:
    identity = age_keys.Identity.generate()
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"{identity}\n")
    for size in (0, 1, 65536, 65537, 200_000):
        plain = bytes(size % 251 for size in range(size))
        done = subprocess.run(["age", "-d", "-i", str(key_file)], capture_output=True,
                              input=_encrypt(plain, [age_keys.Identity.generate().recipient,
                                                     identity.recipient]), check=True)
        assert done.stdout == plain


def test_header_read_from_a_trickle_and_what_follows_it_is_kept() -> None:
    identity = age_keys.Identity.generate()
    data = _encrypt(b"hello" * 5000, [identity.recipient] * 4)
    for step in (1, 7, 100, 4096, 1 << 20):
        src = _Trickle(data, step)
        header, rest = ah.read_header(src)
        assert data.startswith(header.mac_input) and data[header.size - 1] == ord("\n")
        assert data[len(header.mac_input):header.size].startswith(b" ")
        tail = b"".join(iter(lambda s=src: s.read(1 << 20), b""))
        assert rest + tail == data[header.size:]


@pytest.mark.parametrize(("data", "error"), [
    (b"", ah.HeaderError),
    (b"age-encryption.org/v1\n", ah.HeaderError),
    (b"age-encryption.org/v1\n-> X25519 abc\n", ah.HeaderError),
    (b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n",
     ah.ArmoredRefused),
    (b"\r\n  -----BEGIN AGE ENCRYPTED FILE-----\n", ah.ArmoredRefused),
    (b"age-encryption.org/v1\n" + b"-> grease\n" + b"A" * 64 * 2000, ah.HeaderError),
    (b"PK\x03\x04" + bytes(100), ah.HeaderError),
])
def test_malformed_headers(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        ah.read_header(io.BytesIO(data))


def test_oversized_header_is_refused_after_a_bounded_read() -> None:
    stanza = b"-> grease\n" + b"A" * 64 + b"\n\n"
    data = b"age-encryption.org/v1\n" + stanza * 2000 + b"--- " + b"A" * 43 + b"\n"
    src = io.BytesIO(data)
    with pytest.raises(ah.HeaderError, match="too large"):
        ah.read_header(src)
    assert src.tell() <= ah.MAX_HEADER_SIZE + 4096


def test_passphrase_refused_before_any_key_is_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    data = pyrage.passphrase.encrypt(b"secret", "hunter2")
    tried: list[object] = []
    monkeypatch.setattr(ah, "_unwrap_x25519", lambda *a: tried.append(a))
    with pytest.raises(ah.PassphraseRefused):
        header, _ = ah.read_header(io.BytesIO(data))
        ah.unwrap(header, [age_keys.Identity.generate()])
    assert tried == []


def test_altered_header_fails_its_mac_and_foreign_files_do_not_match() -> None:
    identity = age_keys.Identity.generate()
    data = _encrypt(b"x" * 100, [identity.recipient, age_keys.Identity.generate().recipient])
    # swap the two stanzas: each still opens, but the MAC covers their order
    lines = data.split(b"\n")
    swapped = b"\n".join([lines[0], lines[3], lines[4], lines[1], lines[2], *lines[5:]])
    with pytest.raises(ah.HeaderMacMismatch):
        _open(swapped, [identity])
    with pytest.raises(ah.NoMatch):
        _open(data, [age_keys.Identity.generate()])
    with pytest.raises(ah.NoMatch):
        _open(data, [])
