"""What every record shares, and the field annotations validation and storage read.

Records are frozen dataclasses: the UI and services pass values, never live rows. Field
metadata says what a field holds (a vocabulary id, a reference to another record, a partial
date) so validation, storage and the records JSON format are written once, not per entity.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> str:
    """UTC time with microseconds, ISO 8601: sortable as text."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def vocab(name: str, default: Any = None, *, required: bool = False) -> Any:
    """A field holding one id (or, for a tuple field, several ids) of a vocabulary."""
    if isinstance(default, tuple) or default is tuple:
        return field(default=(), metadata={"vocab": name, "required": required})
    return field(default=default, metadata={"vocab": name, "required": required})


def ref(entity: str, *, required: bool = False) -> Any:
    """A field holding the id of another record."""
    return field(default=None, metadata={"ref": entity, "required": required})


def text(*, sensitive: bool = False, required: bool = False) -> Any:
    return field(default="", metadata={"sensitive": sensitive, "required": required})


def number(low: float, high: float) -> Any:
    """An optional number that must lie between ``low`` and ``high`` (a latitude, a longitude)."""
    return field(default=None, metadata={"bounds": (low, high)})


@dataclass(frozen=True, kw_only=True, slots=True)
class Record:
    """Identity and history fields every stored record has.

    ``rev`` starts at 1 and grows by one on every edit; ``origin_device`` is the device that
    created the record; ``deleted_at`` marks a tombstone (purged only by an audited action).
    """

    entity: ClassVar[str] = "record"
    table: ClassVar[str] = ""

    id: str = field(default_factory=new_id)
    created_at: str = ""
    updated_at: str = ""
    origin_device: str = ""
    rev: int = 0
    deleted_at: str | None = None


SYSTEM_FIELDS = frozenset({"id", "created_at", "updated_at", "origin_device", "rev", "deleted_at"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Value:
    """A small value nested inside a record (a name variant, a status entry)."""
