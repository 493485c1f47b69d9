"""Evidence files and their chain of custody (Berkeley Protocol, ICC/Eurojust)."""

from __future__ import annotations

from dataclasses import dataclass

from testimony_app.domain.base import Record, ref, text, vocab


@dataclass(frozen=True, kw_only=True, slots=True)
class Attachment(Record):
    """An evidence file; its bytes live encrypted in ``blobs/`` under ``file_key``.

    ``sha256`` is the hash of the plaintext computed at ingest; it never changes.
    """

    entity = "attachment"
    table = "attachment"

    interview_id: str | None = ref("interview", required=True)
    kind: str | None = vocab("attachment_kind", "other", required=True)
    original_filename: str = text(sensitive=True)
    mime: str = ""
    size_bytes: int = 0
    sha256: str = ""
    description: str = text()
    captured_at: str = ""
    blob_name: str = ""
    file_key: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class CustodyEvent(Record):
    """One append-only step in an attachment's chain of custody."""

    entity = "custody"
    table = "custody_event"

    attachment_id: str | None = ref("attachment", required=True)
    at: str = ""
    actor: str = text()
    action: str | None = vocab("custody_action", required=True)
    medium: str = text()
    hash_observed: str = ""
    hash_matches: bool = True
    reason: str = text()
