"""Records to and from plain JSON values, with validation.

One description of every field (its kind, read from the type annotations and field metadata)
serves the records JSON format, storage rows and validation, so a field added to a record is
handled everywhere at once.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from testimony_app import errors
from testimony_app.domain.base import SYSTEM_FIELDS, Record, Value
from testimony_app.domain.dates import PartialDate
from testimony_app.domain.vocabularies import vocabularies
from testimony_app.i18n import N_, gettext

JSONValue = Any

STR, INT, FLOAT, BOOL, DATE, STRS, VALUES = "str", "int", "float", "bool", "date", "strs", "values"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    optional: bool
    vocab: str | None
    ref: str | None
    required: bool
    sensitive: bool
    value_type: type[Value] | None
    default: Any


def _kind_of(tp: Any) -> tuple[str, bool, type[Value] | None]:
    optional = False
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional, tp = True, args[0]
        origin = typing.get_origin(tp)
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        if inner is str:
            return STRS, optional, None
        return VALUES, optional, inner
    mapping = {str: STR, int: INT, float: FLOAT, bool: BOOL, PartialDate: DATE}
    return mapping[tp], optional, None


_SPECS: dict[type, tuple[FieldSpec, ...]] = {}


def specs(cls: type[Record] | type[Value]) -> tuple[FieldSpec, ...]:
    """The fields of a record or value class, in declaration order (computed once)."""
    cached = _SPECS.get(cls)
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        kind, optional, value_type = _kind_of(hints[f.name])
        default = f.default if f.default is not dataclasses.MISSING else None
        out.append(FieldSpec(
            name=f.name, kind=kind, optional=optional, vocab=f.metadata.get("vocab"),
            ref=f.metadata.get("ref"), required=bool(f.metadata.get("required")),
            sensitive=bool(f.metadata.get("sensitive")), value_type=value_type, default=default,
        ))
    _SPECS[cls] = result = tuple(out)
    return result


def spec(cls: type[Record] | type[Value], name: str) -> FieldSpec:
    for s in specs(cls):
        if s.name == name:
            return s
    raise KeyError(name)


# To plain values --------------------------------------------------------------------------

def encode_field(s: FieldSpec, value: Any) -> JSONValue:
    if value is None:
        return None
    if s.kind == DATE:
        return value.edtf
    if s.kind == STRS:
        return list(value)
    if s.kind == VALUES:
        return [to_dict(v) for v in value]
    return value


def to_dict(record: Record | Value) -> dict[str, JSONValue]:
    return {s.name: encode_field(s, getattr(record, s.name)) for s in specs(type(record))}


# From plain values ------------------------------------------------------------------------

def _problem(where: str, msgid: str, **params: Any) -> errors.InvalidRecords:
    return errors.InvalidRecords(where=where, problem=gettext(msgid).format(**params))


def _decode(s: FieldSpec, value: JSONValue, where: str) -> Any:
    if value is None:
        if s.optional or s.kind in (STRS, VALUES):
            return None if s.optional else ()
        raise _problem(where, N_("a value is required"))
    if s.kind == STR:
        ok = isinstance(value, str)
    elif s.kind == BOOL:
        ok = isinstance(value, bool)
    elif s.kind == INT:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif s.kind == FLOAT:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif s.kind == DATE:
        if not isinstance(value, str):
            raise _problem(where, N_("expected a date text such as 2023-05"))
        if not value.strip():
            return None
        try:
            return PartialDate.parse(value)
        except errors.InvalidDate as exc:
            raise errors.InvalidRecords(where=where, problem=exc.message()) from exc
    elif s.kind == STRS:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    else:
        if not isinstance(value, list):
            raise _problem(where, N_("expected a list"))
        vt = s.value_type
        if vt is None:  # pragma: no cover - every tuple-of-values field names its type
            raise TypeError(s.name)
        return tuple(from_dict(vt, v, f"{where}[{i}]") for i, v in enumerate(value))
    if not ok:
        raise _problem(where, N_("a value of the wrong type ({kind})"), kind=s.kind)
    return value


def from_dict(cls: type[Any], data: Mapping[str, JSONValue], where: str = "", *,
              draft: bool = False) -> Any:
    """Build and validate a record or value; unknown keys and bad values are refused.

    A ``draft`` (a record not complete enough to store yet) may leave required fields empty.
    """
    if not isinstance(data, Mapping):
        raise _problem(where or cls.entity, N_("expected an object"))
    known = {s.name: s for s in specs(cls)}
    for key in data:
        if key not in known:
            raise _problem(f"{where}.{key}" if where else key, N_("unknown field"))
    kwargs = {}
    for name, value in data.items():
        kwargs[name] = _decode(known[name], value, f"{where}.{name}" if where else name)
    item = cls(**kwargs)
    validate(item, where, draft=draft)
    return item


def validate(item: Record | Value, where: str = "", *, draft: bool = False) -> None:
    """Check vocabulary ids and required fields; raises InvalidRecords naming the field."""
    vocabs = vocabularies()
    for s in specs(type(item)):
        value = getattr(item, s.name)
        here = f"{where}.{s.name}" if where else s.name
        if s.required and (value is None or value == "") and not draft:
            raise _problem(here, N_("a value is required"))
        if s.vocab and value is not None:
            vocabulary = vocabs[s.vocab]
            for term in (value if isinstance(value, tuple) else (value,)):
                if term not in vocabulary:
                    raise _problem(here, N_("“{term}” is not in the list {vocab}"),
                                   term=term, vocab=s.vocab)
        if s.kind == VALUES and value:
            for i, v in enumerate(value):
                validate(v, f"{here}[{i}]", draft=draft)


def user_fields(cls: type[Record]) -> tuple[FieldSpec, ...]:
    """The fields a person edits (everything but identity and history)."""
    return tuple(s for s in specs(cls) if s.name not in SYSTEM_FIELDS)
