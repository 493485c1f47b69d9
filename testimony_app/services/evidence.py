"""Attachments in two steps, so that a large file never holds up autosave.

``services.attachments.add_attachment_file`` does everything on the vault's own thread. The
desktop app instead encrypts on a separate thread (``encrypt``: no database, only the blob
folder) and then records the result on the vault's thread (``record``), which is one short
transaction. A blob that is never recorded (cancelled, failed, app killed) is removed: here on
failure, or as an orphan the next time the vault opens.

Viewing reads the plaintext into memory only (``read_for_viewing``) and appends a ``viewed``
custody event, so the chain of custody shows who looked at the evidence and when.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from testimony_app import errors
from testimony_app.crypto import stream
from testimony_app.domain.base import utcnow
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.domain.interview import Interview
from testimony_app.services.progress import Cancel, Progress, never_cancel, no_progress
from testimony_app.vault.blobs import BlobStore, StoredBlob
from testimony_app.vault.vault import Vault

VIEW_LIMIT = 64 * 1024 * 1024  # an image larger than this is not decoded in memory
_KINDS = {"image": "photo", "audio": "audio", "video": "video"}
_DOCUMENTS = {"application/pdf", "text/plain", "application/msword",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def mime_for(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def kind_for(filename: str) -> str:
    """The attachment kind suggested by a file name (photo, audio, video, document, other)."""
    mime = mime_for(filename)
    if mime in _DOCUMENTS:
        return "document"
    return _KINDS.get(mime.split("/")[0], "other")


def is_image(attachment: Attachment) -> bool:
    return attachment.mime.startswith("image/")


def encrypt(blobs: BlobStore, path: Path, *, progress: Progress = no_progress,
            cancel: Cancel = never_cancel) -> StoredBlob:
    """Any thread: stream ``path`` into a new encrypted blob. Nothing is left on cancel."""
    try:
        fh = Path(path).open("rb")
    except OSError as exc:
        raise errors.FileError(path=str(path), reason=exc.strerror or type(exc).__name__) from exc
    with fh:
        total = Path(path).stat().st_size
        return blobs.ingest(fh, progress=lambda done: progress(done, total, "encrypting"),
                            cancel=cancel)


def record(vault: Vault, interview_id: str, stored: StoredBlob, *, filename: str,
           kind: str) -> tuple[Attachment, CustodyEvent]:
    """Vault thread: the attachment and its first custody event, in one transaction.

    If that fails (the interview was locked or deleted meanwhile, the vault was closed), the
    blob is removed, so a failed add leaves nothing behind.
    """
    try:
        with vault.transaction() as store:
            store.get(Interview, interview_id)
            attachment = store.add(Attachment(
                interview_id=interview_id, kind=kind, original_filename=filename,
                mime=mime_for(filename), size_bytes=stored.size, sha256=stored.sha256,
                blob_name=stored.blob_name, file_key=stored.file_key))
            event = store.add(CustodyEvent(
                attachment_id=attachment.id, at=utcnow(), actor="local", action="ingested",
                medium=f"device {vault.device.id}", hash_observed=stored.sha256,
                hash_matches=True))
    except BaseException:
        vault.blobs.remove(stored.blob_name)
        raise
    return attachment, event


def discard(blobs: BlobStore, stored: StoredBlob) -> None:
    """Remove a blob that will not be recorded (the person locked the vault meanwhile)."""
    blobs.remove(stored.blob_name)


def read_for_viewing(vault: Vault, attachment_id: str) -> tuple[bytes, CustodyEvent]:
    """Vault thread: the plaintext, in memory only, and the ``viewed`` custody event."""
    attachment = vault.store.get(Attachment, attachment_id)
    if attachment.size_bytes > VIEW_LIMIT:
        raise errors.TestimonyError()
    try:
        fh = vault.blobs.path(attachment.blob_name).open("rb")
    except FileNotFoundError as exc:
        raise errors.BlobMissing(id=attachment.id) from exc
    try:
        with stream.EncryptedFileReader(bytes.fromhex(attachment.file_key), fh) as reader:
            data = reader.read()
    except stream.StreamError as exc:
        raise errors.BlobDamaged(id=attachment.id) from exc
    finally:
        fh.close()
    with vault.transaction() as store:
        event = store.add(CustodyEvent(
            attachment_id=attachment.id, at=utcnow(), actor="local", action="viewed",
            medium=f"device {vault.device.id}"))
    return data, event
