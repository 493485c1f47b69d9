"""Mapping records to table rows and back, and the DDL those rows need.

A partial date is stored as its EDTF text plus ``<name>_earliest``/``<name>_latest`` ISO dates
for overlap queries; tuples are stored as JSON text.
"""

from __future__ import annotations

import functools
import json
from typing import Any, TypeVar

from testimony_app.domain import codec
from testimony_app.domain.base import Record
from testimony_app.domain.dates import PartialDate

R = TypeVar("R", bound=Record)


def columns(cls: type[Record]) -> list[str]:
    out: list[str] = []
    for s in codec.specs(cls):
        out.append(s.name)
        if s.kind == codec.DATE:
            out += [f"{s.name}_earliest", f"{s.name}_latest"]
    return out


_PLAIN = frozenset({codec.STR, codec.INT, codec.FLOAT})


@codec.per_class
def _row_fields(cls: type[Record]) -> tuple[tuple[str, codec.FieldSpec | None], ...]:
    """(name, spec) per field, the spec None where the value is its own column value."""
    return tuple((s.name, None if s.kind in _PLAIN else s) for s in codec.specs(cls))


def to_row(record: Record) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, s in _row_fields(type(record)):
        value = getattr(record, name)
        if s is None:
            row[name] = value
        elif s.kind == codec.DATE:
            row[name] = value.edtf if value else None
            row[f"{name}_earliest"] = value.earliest.isoformat() if value else None
            row[f"{name}_latest"] = value.latest.isoformat() if value else None
        elif s.kind == codec.BOOL:
            row[name] = int(value)
        else:  # tuples
            row[name] = _JSON.encode(codec.encode_field(s, value))
    return row


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


# Dates repeat (a month, a year) and a PartialDate never changes: read each text once.
_stored_date = functools.lru_cache(maxsize=4096)(PartialDate.from_edtf)


def from_row(cls: type[R], row: dict[str, Any]) -> R:
    kwargs: dict[str, Any] = {}
    for name, s in _row_fields(cls):
        value = row[name]
        if s is None:
            pass
        elif s.kind == codec.DATE:
            value = _stored_date(value) if value else None
        elif s.kind == codec.STRS:
            value = tuple(json.loads(value))
        elif s.kind == codec.VALUES:
            vt = s.value_type
            if vt is None:  # pragma: no cover
                raise TypeError(s.name)
            value = tuple(codec.from_dict(vt, v) for v in json.loads(value))
        elif s.kind == codec.BOOL:
            value = bool(value)
        kwargs[name] = value
    return cls(**kwargs)


_SQL_TYPES = {codec.STR: "TEXT", codec.INT: "INTEGER", codec.FLOAT: "REAL",
              codec.BOOL: "INTEGER", codec.DATE: "TEXT", codec.STRS: "TEXT",
              codec.VALUES: "TEXT"}


def create_table_sql(cls: type[Record]) -> str:
    """DDL for a record's table as the dataclass is now (migrations freeze a copy of it)."""
    cols = ["id TEXT PRIMARY KEY NOT NULL"]
    for s in codec.specs(cls):
        if s.name == "id":
            continue
        sql_type = _SQL_TYPES[s.kind]
        if s.kind in (codec.STRS, codec.VALUES):
            cols.append(f"{s.name} {sql_type} NOT NULL DEFAULT '[]'")
        elif s.optional or s.kind == codec.DATE:
            cols.append(f"{s.name} {sql_type}")
        elif s.kind == codec.STR:
            cols.append(f"{s.name} TEXT NOT NULL DEFAULT ''")
        else:
            cols.append(f"{s.name} {sql_type} NOT NULL DEFAULT 0")
        if s.kind == codec.DATE:
            cols += [f"{s.name}_earliest TEXT", f"{s.name}_latest TEXT"]
    ddl = f"CREATE TABLE {cls.table} (\n    " + ",\n    ".join(cols) + "\n);\n"
    for s in codec.specs(cls):
        if s.ref or s.kind == codec.DATE:
            col = f"{s.name}_earliest" if s.kind == codec.DATE else s.name
            ddl += f"CREATE INDEX {cls.table}_{s.name} ON {cls.table}({col});\n"
    return ddl
