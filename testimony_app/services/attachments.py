"""Adding evidence files: encrypt into the blob store, then record it with its first custody
event in one transaction. If recording fails, the blob is removed again."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import BinaryIO

from testimony_app import errors
from testimony_app.domain.base import utcnow
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.domain.interview import Interview
from testimony_app.services.progress import Cancel, Progress, never_cancel, no_progress
from testimony_app.vault.vault import Vault


def add_attachment(vault: Vault, interview_id: str, src: BinaryIO, *, filename: str,
                   kind: str = "other", total: int = 0, description: str = "",
                   progress: Progress = no_progress, cancel: Cancel = never_cancel) -> Attachment:
    vault.store.get(Interview, interview_id)  # fail early, before any encryption work
    stored = vault.blobs.ingest(src, progress=lambda done: progress(done, total, "encrypting"),
                                cancel=cancel)
    try:
        with vault.transaction() as store:
            attachment = store.add(Attachment(
                interview_id=interview_id, kind=kind, original_filename=filename,
                mime=mimetypes.guess_type(filename)[0] or "application/octet-stream",
                size_bytes=stored.size, sha256=stored.sha256, description=description,
                blob_name=stored.blob_name, file_key=stored.file_key))
            store.add(CustodyEvent(attachment_id=attachment.id, at=utcnow(), actor="local",
                                   action="ingested", medium=f"device {vault.device.id}",
                                   hash_observed=stored.sha256, hash_matches=True))
    except BaseException:
        vault.blobs.remove(stored.blob_name)
        raise
    return attachment


def add_attachment_file(vault: Vault, interview_id: str, path: Path, *, kind: str = "other",
                        progress: Progress = no_progress,
                        cancel: Cancel = never_cancel) -> Attachment:
    try:
        fh = Path(path).open("rb")
    except OSError as exc:
        raise errors.FileError(path=str(path), reason=exc.strerror or type(exc).__name__) from exc
    with fh:
        size = Path(path).stat().st_size
        return add_attachment(vault, interview_id, fh, filename=Path(path).name, kind=kind,
                              total=size, progress=progress, cancel=cancel)
