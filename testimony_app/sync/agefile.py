"""age encryption of bundle parts, through pyrage's streaming calls only.

The pyrage pitfalls we measured (ARCHITECTURE §4) and what this module does about them:

* its ``*_file`` and bytes calls hold the GIL: only ``encrypt_io``/``decrypt_io`` are used,
  with Python file objects, and the caller runs them off the GUI thread;
* its streaming decrypt writes unauthenticated plaintext before it fails: callers decrypt into
  staging and trust nothing until :func:`decrypt` returned normally;
* a full disk can go unreported: we write through Python file objects (whose errors raise),
  count every byte, and the caller flushes, fsyncs and checks the size;
* stream errors arrive as ``OSError``, not ``DecryptError``: both are mapped to our errors;
* a passphrase (scrypt) file must never be accepted from outside: :func:`check_header` reads
  the header first and refuses it before any decryption is attempted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import BinaryIO

import pyrage
from pyrage import x25519

from testimony_app.sync import errors as e
from testimony_app.sync import streams

MAGIC = b"age-encryption.org/v1\n"
MAX_HEADER = 64 * 1024
BLOCK = streams.BLOCK
Cancel = streams.Cancel
Readable = streams.Readable


# Keys -----------------------------------------------------------------------------------------

def new_identity() -> tuple[str, str]:
    """A fresh X25519 identity: (secret ``AGE-SECRET-KEY-1…``, recipient ``age1…``)."""
    identity = x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def parse_recipient(text: str) -> x25519.Recipient:
    text = text.strip()
    try:
        if not text.startswith("age1"):
            raise ValueError(text)
        return x25519.Recipient.from_str(text)
    except (ValueError, pyrage.RecipientError) as exc:
        raise e.RecipientInvalid(recipient=text[:80]) from exc


def parse_identity(secret: str) -> x25519.Identity:
    return x25519.Identity.from_str(secret)


def recipient_fingerprint(recipient: str) -> str:
    """What manifests list for each recipient: 32 hex digits of SHA-256 over the age1 string,
    in groups of four, like device fingerprints (but under its own label)."""
    digest = hashlib.sha256(b"testimony-age-recipient/v1\0" + recipient.encode("ascii"))
    text = digest.hexdigest()[:32].upper()
    return " ".join(text[i:i + 4] for i in range(0, 32, 4))


def identity_file(entries: Sequence[tuple[str, str, str]]) -> bytes:
    """age's own identity file format: ``(secret, recipient, comment)`` per key."""
    lines: list[str] = []
    for secret, recipient, comment in entries:
        if comment:
            lines.append(f"# {comment}")
        lines.append(f"# public key: {recipient}")
        lines.append(secret)
    return ("\n".join(lines) + "\n").encode("ascii")


# Header check ---------------------------------------------------------------------------------

def check_header(src: Readable, what: str) -> list[str]:
    """Read an age header (at most MAX_HEADER bytes) and return its stanza types.

    Refuses a passphrase (scrypt) file and anything that is not a binary age v1 file (armored
    files included), before any key is tried.
    """
    data = b""
    while b"\n--- " not in data:
        piece = src.read(4096)
        if not piece:
            raise e.AgeMalformed(what=what)
        data += piece
        if len(data) > MAX_HEADER + 4096:
            raise e.AgeMalformed(what=what)
    header = data[:data.index(b"\n--- ")]
    if not header.startswith(MAGIC[:-1]):
        raise e.AgeMalformed(what=what)
    types = [line[3:].split(b" ", 1)[0] for line in header.split(b"\n")[1:]
             if line.startswith(b"-> ")]
    decoded = [t.decode("ascii", "replace") for t in types]
    if "scrypt" in decoded:
        raise e.AgePassphraseRefused(what=what)
    if not decoded:
        raise e.AgeMalformed(what=what)
    return decoded


# Encrypting and decrypting -------------------------------------------------------------------

def encrypt(src: Readable, dst: BinaryIO, recipients: Sequence[str], *,
            cancel: Cancel | None = None, hash_plaintext: bool = True,
            threaded_output: bool = False) -> tuple[int, str, int, str]:
    """Encrypt ``src`` to every recipient into ``dst``.

    Returns (plaintext size, plaintext SHA-256 or "", ciphertext size, ciphertext SHA-256).
    With ``threaded_output`` the ciphertext is hashed and written on a helper thread (for
    large blobs: pyrage's own thread then only encrypts).
    """
    reader = streams.HashingReader(src, cancel=cancel, hashing=hash_plaintext)
    writer: streams.HashingWriter | streams.ThreadedWriter = (
        streams.ThreadedWriter(dst) if threaded_output else streams.HashingWriter(dst))
    parsed = [parse_recipient(r) for r in recipients]
    try:
        try:
            pyrage.encrypt_io(reader, writer, parsed)
        finally:
            if isinstance(writer, streams.ThreadedWriter):
                writer.close()
    except Exception as exc:
        cause = reader.error or writer.error
        if cause is not None:
            raise cause from exc
        raise OSError(f"age encryption failed: {type(exc).__name__}") from exc
    return (reader.size, reader.hash.hexdigest() if hash_plaintext else "", writer.size,
            writer.hash.hexdigest())


def decrypt(src: Readable, dst: BinaryIO, identities: Sequence[str], *, what: str,
            ciphertext_limit: int | None = None, plaintext_limit: int | None = None,
            on_plaintext_limit: Callable[[], BaseException] | None = None,
            cancel: Cancel | None = None, hash_plaintext: bool = True,
            prefetch: bool = False) -> tuple[int, str, int, str]:
    """Decrypt ``src`` into ``dst``.

    Returns (ciphertext size, ciphertext SHA-256, plaintext size, plaintext SHA-256 or "" when
    the caller hashes it itself). Whatever reached ``dst`` is unauthenticated until this
    returns: on any exception, discard it. With ``prefetch``, ``src`` is read and hashed on a
    helper thread (for large blobs: pyrage's own thread then only decrypts).
    """
    reader: streams.HashingReader | streams.Prefetch = (
        streams.Prefetch(src, limit=ciphertext_limit, cancel=cancel) if prefetch
        else streams.HashingReader(src, limit=ciphertext_limit, cancel=cancel))
    writer = streams.HashingWriter(dst, limit=plaintext_limit, on_limit=on_plaintext_limit,
                           hashing=hash_plaintext)
    keys = [parse_identity(i) for i in identities]
    try:
        try:
            pyrage.decrypt_io(reader, writer, keys)
        except Exception as exc:
            cause = reader.error or writer.error
            if cause is not None:
                raise cause from exc
            if isinstance(exc, pyrage.DecryptError) and "No matching keys" in str(exc):
                raise e.NotForThisOrganisation() from exc
            raise e.AgeDecryptFailed(what=what) from exc
        if reader.read(1):  # pyrage stopped before the end of the entry: trailing data
            raise e.AgeDecryptFailed(what=what)
    finally:
        if isinstance(reader, streams.Prefetch):
            reader.close()
    return (reader.size, reader.hash.hexdigest(), writer.size,
            writer.hash.hexdigest() if hash_plaintext else "")


