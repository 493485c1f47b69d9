"""The redacted view of a case file: plain, immutable values and nothing else.

``redaction.build`` makes it from the records and a profile; ``render`` draws it; ``to_json``
writes it as the data file beside the PDF. The renderer only ever receives this view, so a field
the profile drops cannot reach the PDF or the data file by accident. Every value is already in
the case file's language (vocabulary labels, dates, pseudonyms); ``key`` fields are stable
English identifiers for programs reading the data file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from testimony_app.vault.audit import canonical

DATA_FORMAT = "testimony-casefile-data/1"


@dataclass(frozen=True)
class Item:
    """One labelled value (a line of interview metadata, a detail of an act)."""

    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    """One table row; ``id`` is the record it shows (it ties the row to the audit excerpt)."""

    id: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Block:
    """Details of one table row that do not fit a column, e.g. "Act 3: injuries, ..."."""

    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Section:
    """One part of an interview: labelled items, paragraphs of text, a table and details."""

    key: str
    title: str
    items: tuple[Item, ...] = ()
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None
    blocks: tuple[Block, ...] = ()
    empty: str = ""  # said when the section has nothing recorded

    @property
    def is_empty(self) -> bool:
        return not (self.items or self.paragraphs or (self.table and self.table.rows)
                    or self.blocks)


@dataclass(frozen=True)
class Omission:
    """A part of an interview left out, and why (consent)."""

    key: str
    what: str
    reason: str


@dataclass(frozen=True)
class InterviewView:
    id: str
    reference: str
    heading: str
    sections: tuple[Section, ...]
    omitted: tuple[Omission, ...] = ()
    records: tuple[str, ...] = ()  # ids of every record shown (the interview first)


@dataclass(frozen=True)
class LeftOut:
    """An interview of the selection that this profile may not show, and why."""

    id: str
    reference: str
    reason: str


@dataclass(frozen=True)
class CaseFile:
    id: str
    reference: str
    title: str
    generated_at: str
    lang: str
    profile: str
    profile_label: str
    marking: str
    organisation: str
    device_id: str
    device_fingerprint: str
    device_public_key: str
    cover: tuple[Item, ...]
    profile_notes: tuple[str, ...]
    interviews: tuple[InterviewView, ...]
    left_out: tuple[LeftOut, ...]

    def record_ids(self) -> tuple[str, ...]:
        out: dict[str, None] = {}
        for interview in self.interviews:
            for record_id in interview.records:
                out.setdefault(record_id, None)
        return tuple(out)


def to_json(casefile: CaseFile) -> dict[str, Any]:
    return {"format": DATA_FORMAT, "casefile": dataclasses.asdict(casefile)}


def data_bytes(casefile: CaseFile) -> bytes:
    """The data file: canonical JSON (sorted keys, no spaces, UTF-8) of the view, one line."""
    return canonical(to_json(casefile)) + b"\n"
