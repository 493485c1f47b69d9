"""age v1 file headers (C2SP age), X25519 recipients only: writing, strict parsing, unwrapping.

An age file is a text header followed by the binary payload (:mod:`.stream`)::

    age-encryption.org/v1
    -> X25519 <base64 of the 32-byte ephemeral share>
    <base64 of the wrapped file key: 16 bytes + 16-byte tag>
    -> ...                                       (one stanza per recipient)
    --- <base64 of the 32-byte header MAC>
    <payload: 16-byte nonce || STREAM chunks>

* A stanza is ``-> `` then one or more arguments (the first is its type) separated by single
  spaces, each a non-empty string of printable ASCII (0x21-0x7E); then its body, base64
  wrapped at 64 columns, always ending with a line shorter than 64 characters (possibly
  empty). Base64 is the standard alphabet, without padding, and must be canonical (it decodes
  and re-encodes to the same text).
* An X25519 stanza has exactly one argument after its type, a 32-byte share ``S``, and a
  32-byte body. With the recipient's public key ``R`` and secret ``r``: ``shared = X25519(r,
  S)`` (all-zero is refused), ``key = HKDF-SHA256(ikm=shared, salt=S || R,
  info="age-encryption.org/v1/X25519")``, and the body is ChaCha20-Poly1305 of the 16-byte
  file key under ``key`` with an all-zero nonce.
* The MAC is HMAC-SHA256 under ``HKDF-SHA256(ikm=file key, salt="", info="header")`` of the
  header from its first byte up to and including the ``---`` of the last line.
* Stanzas of other types are ignored (they are for other kinds of identities, or "grease").

This module is deliberately stricter than age where Testimony needs it: a header with an
``scrypt`` (passphrase) stanza is refused as such (:class:`PassphraseRefused`) while parsing,
before any key is tried; so is the ASCII-armored form (:class:`ArmoredRefused`), a header over
:data:`MAX_HEADER_SIZE` bytes, and an X25519 stanza that is malformed anywhere in the header
(even one that a matching stanza before it would have made irrelevant to age).

Keys (``age1…`` recipients, ``AGE-SECRET-KEY-1…`` identities) are in :mod:`.age_keys`.
Tested against the age test kit (C2SP CCTV vectors).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from testimony_app.crypto.age_keys import KEY_SIZE as _KEY_SIZE
from testimony_app.crypto.age_keys import Identity, KeyFormatError, parse_recipient
from testimony_app.crypto.stream_format import FILE_KEY_SIZE

VERSION_LINE = b"age-encryption.org/v1"
ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
MAX_HEADER_SIZE = 64 * 1024
X25519_TYPE = "X25519"
SCRYPT_TYPE = "scrypt"
_X25519_INFO = b"age-encryption.org/v1/X25519"
_HEADER_INFO = b"header"
_ZERO_NONCE = bytes(12)
_COLUMNS = 64
_MAC_SIZE = 32
_WRAPPED_SIZE = FILE_KEY_SIZE + 16
_ARGUMENT = re.compile(rb"[\x21-\x7e]+")
_B64_CHARS = re.compile(rb"[A-Za-z0-9+/]*")
_READ_PIECE = 4096


class HeaderError(Exception):
    """Not a valid age v1 header (age's "header failure")."""


class PassphraseRefused(HeaderError):
    """The header has an scrypt (passphrase) stanza: refused before any key is tried."""


class ArmoredRefused(HeaderError):
    """The file is ASCII-armored: only the binary form is accepted."""


class HeaderMacMismatch(HeaderError):
    """A stanza gave a file key but the header MAC does not verify under it."""


class NoMatch(Exception):
    """No stanza of the header opens with any of the identities given."""


# Base64 as age writes it -----------------------------------------------------------------------

def b64encode(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def b64decode(text: bytes) -> bytes:
    """Strict: standard alphabet, no padding, canonical (the unused bits are zero)."""
    if not _B64_CHARS.fullmatch(text) or len(text) % 4 == 1:
        raise HeaderError("invalid base64")
    try:
        data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        raise HeaderError("invalid base64") from None
    if b64encode(data) != text:
        raise HeaderError("non-canonical base64")
    return data


# The header ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stanza:
    type: str
    args: tuple[str, ...]  # after the type
    body: bytes


@dataclass(frozen=True)
class Header:
    stanzas: tuple[Stanza, ...]
    mac: bytes
    mac_input: bytes  # the header up to and including the final line's "---"
    size: int  # bytes of the whole header, its final newline included

    @property
    def types(self) -> list[str]:
        return [s.type for s in self.stanzas]


def _lines(data: bytes) -> list[bytes]:
    """The header's lines (each without its LF). The data ends with an LF."""
    return data[:-1].split(b"\n")


def parse(data: bytes) -> Header:
    """Parse exactly one header: ``data`` ends with the LF of its ``--- MAC`` line.

    Refuses (with :class:`HeaderError` or a subclass) anything that is not strictly valid;
    passphrase stanzas and armor are refused by their own errors. No key is involved.
    """
    if data.startswith(ARMOR_BEGIN) or data.lstrip(b" \t\r\n").startswith(ARMOR_BEGIN):
        raise ArmoredRefused("ASCII-armored age file")
    if len(data) > MAX_HEADER_SIZE:
        raise HeaderError("header too large")
    if not data.endswith(b"\n"):
        raise HeaderError("truncated header")
    lines = _lines(data)
    if lines[0] != VERSION_LINE:
        raise HeaderError("not an age v1 file")
    stanzas: list[Stanza] = []
    i = 1
    while i < len(lines) and lines[i].startswith(b"-> "):
        args = lines[i][3:].split(b" ")
        if not all(_ARGUMENT.fullmatch(a) for a in args):
            raise HeaderError("invalid stanza argument")
        body = b""
        while True:
            i += 1
            if i >= len(lines):
                raise HeaderError("stanza without a final body line")
            line = lines[i]
            if len(line) > _COLUMNS:
                raise HeaderError("stanza body line too long")
            body += line
            if len(line) < _COLUMNS:
                break
        i += 1
        decoded = args[0].decode("ascii")
        stanzas.append(Stanza(decoded, tuple(a.decode("ascii") for a in args[1:]),
                              b64decode(body)))
    if i != len(lines) - 1 or not lines[i].startswith(b"--- "):
        raise HeaderError("invalid header line")
    mac_text = lines[i][4:]
    mac = b64decode(mac_text)
    if len(mac) != _MAC_SIZE:
        raise HeaderError("invalid header MAC")
    if not stanzas:
        raise HeaderError("no recipient stanza")
    types = [s.type for s in stanzas]
    if SCRYPT_TYPE in types:
        raise PassphraseRefused("passphrase-encrypted file")
    for stanza in stanzas:
        if stanza.type == X25519_TYPE:
            _check_x25519(stanza)
    mac_input = data[:len(data) - len(mac_text) - 2]  # up to "---" (no space, MAC, LF)
    return Header(tuple(stanzas), mac, mac_input, len(data))


def _check_x25519(stanza: Stanza) -> None:
    if len(stanza.args) != 1:
        raise HeaderError("X25519 stanza: wrong number of arguments")
    if len(b64decode(stanza.args[0].encode("ascii"))) != _KEY_SIZE:
        raise HeaderError("X25519 stanza: share is not 32 bytes")
    if len(stanza.body) != _WRAPPED_SIZE:
        raise HeaderError("X25519 stanza: wrapped file key is not 16 bytes")


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes | None: ...


def read_header(src: Readable) -> tuple[Header, bytes]:
    """Read and parse the header at the start of ``src``. Returns it and the bytes read past
    its end (the beginning of the payload). Reads at most about ``MAX_HEADER_SIZE`` bytes."""
    data = b""
    start = 0  # where to look for the final line
    mark = -1  # where it starts
    while True:
        piece = src.read(_READ_PIECE)
        if not piece:
            if not data:
                raise HeaderError("empty file")
            if data.lstrip(b" \t\r\n").startswith(ARMOR_BEGIN):
                raise ArmoredRefused("ASCII-armored age file")
            raise HeaderError("truncated header")
        data += piece
        if mark < 0:
            mark = data.find(b"\n---", max(start - 3, 0))
        if mark >= 0:
            end = data.find(b"\n", mark + 1)
            if end >= 0:
                return parse(data[:end + 1]), data[end + 1:]
        start = len(data)
        if len(data) > MAX_HEADER_SIZE:
            if data.lstrip(b" \t\r\n").startswith(ARMOR_BEGIN):
                raise ArmoredRefused("ASCII-armored age file")
            raise HeaderError("header too large")


# Wrapping and unwrapping -----------------------------------------------------------------------

def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=salt, info=info).derive(ikm)


def _mac(file_key: bytes, mac_input: bytes) -> bytes:
    return hmac.digest(_hkdf(file_key, b"", _HEADER_INFO), mac_input, hashlib.sha256)


def write_header(file_key: bytes, recipients: Sequence[str]) -> bytes:
    """The header of a new age file whose payload uses ``file_key``, one X25519 stanza per
    recipient (``age1…`` strings), in the order given."""
    if len(file_key) != FILE_KEY_SIZE:
        raise ValueError("file key must be 16 bytes")
    if not recipients:
        raise ValueError("no recipients")
    out = [VERSION_LINE, b"\n"]
    for recipient in recipients:
        public = parse_recipient(recipient)
        ephemeral = X25519PrivateKey.generate()
        share = ephemeral.public_key().public_bytes_raw()
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
        if shared == bytes(_KEY_SIZE):  # pragma: no cover - parse_recipient keys are points
            raise KeyFormatError("low-order recipient")
        wrap_key = _hkdf(shared, share + public, _X25519_INFO)
        body = ChaCha20Poly1305(wrap_key).encrypt(_ZERO_NONCE, file_key, None)
        out += [b"-> X25519 ", b64encode(share), b"\n", b64encode(body), b"\n"]
    out.append(b"---")
    mac_input = b"".join(out)
    return mac_input + b" " + b64encode(_mac(file_key, mac_input)) + b"\n"


def _unwrap_x25519(stanza: Stanza, identity: Identity) -> bytes | None:
    share = b64decode(stanza.args[0].encode("ascii"))
    try:
        shared = X25519PrivateKey.from_private_bytes(identity.secret).exchange(
            X25519PublicKey.from_public_bytes(share))
    except ValueError:  # OpenSSL refuses an all-zero shared secret (low-order share)
        raise HeaderError("X25519 stanza: low-order share") from None
    if shared == bytes(_KEY_SIZE):
        raise HeaderError("X25519 stanza: low-order share")
    wrap_key = _hkdf(shared, share + identity.public, _X25519_INFO)
    try:
        return ChaCha20Poly1305(wrap_key).decrypt(_ZERO_NONCE, stanza.body, None)
    except InvalidTag:
        return None  # not for this identity


def unwrap(header: Header, identities: Sequence[Identity]) -> bytes:
    """The file key, from the first X25519 stanza an identity opens, once the header MAC
    verifies under it. :class:`NoMatch` if no stanza opens; :class:`HeaderMacMismatch` if the
    MAC does not verify (the header was altered)."""
    for stanza in header.stanzas:
        if stanza.type != X25519_TYPE:
            continue
        for identity in identities:
            file_key = _unwrap_x25519(stanza, identity)
            if file_key is None:
                continue
            if not hmac.compare_digest(_mac(file_key, header.mac_input), header.mac):
                raise HeaderMacMismatch("header MAC does not verify")
            return file_key
    raise NoMatch("no identity matches")
