"""age encryption of bundle parts: our own age v1 header for X25519 recipients
(:mod:`testimony_app.crypto.age_header`, tested against the age test kit) and the age STREAM
payload of :mod:`testimony_app.crypto.stream` (the vault's own blob format).

What this module guarantees (ARCHITECTURE §4 lists the pitfalls of age libraries we measured):

* a passphrase (scrypt) file, an armored file and anything that is not a strictly valid binary
  age v1 header are refused while the header is parsed, before any key is tried;
* decrypted bytes are not to be trusted until :func:`decrypt` returned normally: age
  authenticates chunk by chunk, so callers decrypt into staging (or only verify) and discard
  it on any exception; data after the final chunk is refused;
* everything is written through Python file objects (whose errors raise) and counted; the
  caller flushes, fsyncs and checks the size;
* every failure is one of our specific errors (``age_malformed``, ``age_passphrase_refused``,
  ``not_for_this_organisation``, ``age_decrypt_failed``), or the source's or the disk's own.

Large parts are hashed and written (export), or hashed and copied (import), on a helper thread
while this thread does the AEAD: a bundle streams at several hundred MB/s in constant memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from testimony_app import errors
from testimony_app.crypto import age_header as ah
from testimony_app.crypto import age_keys, stream
from testimony_app.sync import errors as e
from testimony_app.sync import streams

Cancel = streams.Cancel
Readable = streams.Readable
Identity = age_keys.Identity
WritePayload = Callable[[bytes, BinaryIO], stream.StreamResult]


# Keys -----------------------------------------------------------------------------------------

def new_identity() -> tuple[str, str]:
    """A fresh X25519 identity: (secret ``AGE-SECRET-KEY-1…``, recipient ``age1…``)."""
    identity = age_keys.Identity.generate()
    return str(identity), identity.recipient


def parse_recipient(text: str) -> str:
    """A valid ``age1…`` X25519 recipient (surrounding blanks removed), or ``recipient_invalid``."""
    text = text.strip()
    try:
        age_keys.parse_recipient(text)
    except age_keys.KeyFormatError as exc:
        raise e.RecipientInvalid(recipient=text[:80]) from exc
    return text


def parse_identity(secret: str) -> age_keys.Identity:
    return age_keys.Identity.parse(secret.strip())


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


# Header ---------------------------------------------------------------------------------------

def _read_header(src: Readable, what: str) -> tuple[ah.Header, bytes]:
    try:
        return ah.read_header(src)
    except ah.PassphraseRefused as exc:
        raise e.AgePassphraseRefused(what=what) from exc
    except ah.HeaderError as exc:
        raise e.AgeMalformed(what=what) from exc


def check_header(src: Readable, what: str) -> list[str]:
    """Read an age header (at most about 64 KiB) and return its stanza types.

    Refuses a passphrase (scrypt) file and anything that is not a strictly valid binary age v1
    header (armored files included); no key is involved.
    """
    return _read_header(src, what)[0].types


def wraps_only_for(stanzas: Sequence[str], recipients: int) -> bool:
    """Whether a header with these stanza types wraps its file key for ``recipients`` X25519
    recipients and nobody else: no stanza of another kind (an SSH key's, a plugin's), which
    could wrap it for anyone, except grease (a type ending in ``-grease``, which some age
    implementations add to keep parsers tolerant; it wraps nothing)."""
    return stanzas.count(ah.X25519_TYPE) == recipients and all(
        t == ah.X25519_TYPE or t.endswith("-grease") for t in stanzas)


# Encrypting -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """What the manifest says of a part (sizes, SHA-256 of plaintext and of the age file)."""

    plaintext_size: int
    plaintext_sha256: str
    ciphertext_size: int
    ciphertext_sha256: str


def encrypt_with(dst: BinaryIO, recipients: Sequence[str], write_payload: WritePayload, *,
                 threaded_output: bool = False) -> Part:
    """Write an age file to ``dst``: a header for a fresh file key wrapped to every recipient,
    then the payload ``write_payload(file_key, out)`` writes (returning the plaintext's size
    and SHA-256). With ``threaded_output`` the ciphertext is hashed and written on a helper
    thread (for large parts)."""
    file_key = stream.new_file_key()
    try:
        header = ah.write_header(file_key, list(recipients))
    except age_keys.KeyFormatError:
        for recipient in recipients:
            parse_recipient(recipient)  # names the one at fault
        raise
    writer: streams.HashingWriter | streams.ThreadedWriter = (
        streams.ThreadedWriter(dst) if threaded_output else streams.HashingWriter(dst))
    try:
        try:
            writer.write(header)
            result = write_payload(file_key, writer)  # type: ignore[arg-type]
        except BaseException:
            if isinstance(writer, streams.ThreadedWriter):
                writer.close(failed=True)
            raise
        if isinstance(writer, streams.ThreadedWriter):
            writer.close()
    except stream.StreamCancelled as exc:
        raise errors.Cancelled() from exc
    return Part(result.plaintext_size, result.plaintext_sha256, writer.size,
                writer.hash.hexdigest())


def encrypt(src: Any, dst: BinaryIO, recipients: Sequence[str], *,
            cancel: Cancel | None = None, threaded_output: bool = False) -> Part:
    """Encrypt everything readable from ``src`` to every recipient into ``dst``."""
    def payload(file_key: bytes, out: BinaryIO) -> stream.StreamResult:
        return stream.encrypt_stream(file_key, src, out, cancel=cancel)

    return encrypt_with(dst, recipients, payload, threaded_output=threaded_output)


# Decrypting -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Opened:
    """An age file that decrypted cleanly."""

    stanzas: list[str]  # the header's stanza types, in order
    file_key: bytes
    header_size: int
    ciphertext_size: int
    ciphertext_sha256: str
    plaintext_size: int
    plaintext_sha256: str


def decrypt(src: Readable, identities: Sequence[age_keys.Identity], *, what: str,
            plaintext: Any = None, payload: BinaryIO | None = None,
            ciphertext_limit: int | None = None, cancel: Cancel | None = None,
            threaded: bool = False) -> Opened:
    """Decrypt the age file readable from ``src`` with the first identity that opens it.

    The plaintext goes to ``plaintext`` (discarded when None: the file is only verified, its
    size and SHA-256 computed); the payload (the age file less its header, still encrypted
    under ``Opened.file_key``) is copied to ``payload`` if given. Whatever reached either is
    unauthenticated until this returns: on any exception, discard it. With ``threaded``, the
    ciphertext is hashed (and copied) on a helper thread.
    """
    reader = streams.TeeReader(src, limit=ciphertext_limit, cancel=cancel, threaded=threaded)
    try:
        header, rest = _read_header(reader, what)
        try:
            file_key = ah.unwrap(header, identities)
        except ah.NoMatch as exc:
            raise e.NotForThisOrganisation() from exc
        except ah.HeaderMacMismatch as exc:
            raise e.AgeDecryptFailed(what=what) from exc
        except ah.HeaderError as exc:  # a low-order share
            raise e.AgeMalformed(what=what) from exc
        reader.push_back(rest, copy_to=payload)
        sink = streams.NullSink() if plaintext is None else plaintext
        try:
            result = stream.decrypt_stream(file_key, reader, sink,  # type: ignore[arg-type]
                                           cancel=cancel)
        except stream.StreamError as exc:
            raise e.AgeDecryptFailed(what=what) from exc
        except stream.StreamCancelled as exc:
            raise errors.Cancelled() from exc
        size, digest = reader.finish()
    finally:
        reader.close()
    return Opened(header.types, file_key, header.size, size, digest, result.plaintext_size,
                  result.plaintext_sha256)
