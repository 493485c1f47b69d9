"""Mapping records to table rows and back, and the DDL those rows need.

A partial date is stored as its EDTF text plus ``<name>_earliest``/``<name>_latest`` ISO dates
for overlap queries; tuples are stored as JSON text.
"""

from __future__ import annotations

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


def to_row(record: Record) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for s in codec.specs(type(record)):
        value = getattr(record, s.name)
        if s.kind == codec.DATE:
            row[s.name] = value.edtf if value else None
            row[f"{s.name}_earliest"] = value.earliest.isoformat() if value else None
            row[f"{s.name}_latest"] = value.latest.isoformat() if value else None
        elif s.kind in (codec.STRS, codec.VALUES):
            row[s.name] = json.dumps(codec.encode_field(s, value), ensure_ascii=False,
                                     separators=(",", ":"))
        elif s.kind == codec.BOOL:
            row[s.name] = int(value)
        else:
            row[s.name] = value
    return row


def from_row(cls: type[R], row: dict[str, Any]) -> R:
    kwargs: dict[str, Any] = {}
    for s in codec.specs(cls):
        value = row[s.name]
        if s.kind == codec.DATE:
            value = PartialDate.from_edtf(value) if value else None
        elif s.kind == codec.STRS:
            value = tuple(json.loads(value))
        elif s.kind == codec.VALUES:
            vt = s.value_type
            if vt is None:  # pragma: no cover
                raise TypeError(s.name)
            value = tuple(codec.from_dict(vt, v) for v in json.loads(value))
        elif s.kind == codec.BOOL:
            value = bool(value)
        kwargs[s.name] = value
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
