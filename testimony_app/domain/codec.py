"""Records to and from plain JSON values, with validation.

One description of every field (its kind, read from the type annotations and field metadata)
serves the records JSON format, storage rows and validation, so a field added to a record is
handled everywhere at once.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

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
    bounds: tuple[float, float] | None = None  # the lowest and highest value allowed


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
            bounds=f.metadata.get("bounds"),
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


C = TypeVar("C", bound=type)
T = TypeVar("T")


def per_class(compute: Callable[[C], T]) -> Callable[[C], T]:
    """``compute(cls)`` once per class, then looked up (a dict lookup on hot paths, where
    ``functools.cache`` costs more). ``compute`` never returns None."""
    table: dict[C, T] = {}

    def lookup(cls: C) -> T:
        found = table.get(cls)
        if found is None:
            found = table[cls] = compute(cls)
        return found

    return lookup


_PLAIN = frozenset({STR, INT, FLOAT, BOOL})


@per_class
def _encoders(cls: type) -> tuple[tuple[str, FieldSpec | None], ...]:
    """(name, spec) per field, the spec None where the value is its own JSON value."""
    return tuple((s.name, None if s.kind in _PLAIN else s) for s in specs(cls))


def to_dict(record: Record | Value) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {}
    for name, s in _encoders(type(record)):
        value = getattr(record, name)
        out[name] = value if s is None or value is None else encode_field(s, value)
    return out


# From plain values ------------------------------------------------------------------------

def _problem(where: str, msgid: str, **params: Any) -> errors.InvalidRecords:
    return errors.InvalidRecords(where=where, problem=gettext(msgid).format(**params))


def _at(where: str, name: str) -> str:
    """The path of a field for an error message (built only when there is an error)."""
    return f"{where}.{name}" if where else name


# Dates repeat (a month, a year) and a PartialDate never changes: read each text once.
_parse_date = functools.lru_cache(maxsize=4096)(PartialDate.parse)


def _decode(s: FieldSpec, value: JSONValue, where: str, name: str) -> Any:
    if value is None:
        if s.optional or s.kind in (STRS, VALUES):
            return None if s.optional else ()
        raise _problem(_at(where, name), N_("a value is required"))
    kind = s.kind
    if kind == STR:
        ok = isinstance(value, str)
    elif kind == BOOL:
        ok = isinstance(value, bool)
    elif kind == INT:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == FLOAT:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif kind == DATE:
        if not isinstance(value, str):
            raise _problem(_at(where, name), N_("expected a date text such as 2023-05"))
        if not value.strip():
            return None
        try:
            return _parse_date(value)
        except errors.InvalidDate as exc:
            raise errors.InvalidRecords(where=_at(where, name), problem=exc.message()) from exc
    elif kind == STRS:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    else:
        here = _at(where, name)
        if not isinstance(value, list):
            raise _problem(here, N_("expected a list"))
        vt = s.value_type
        if vt is None:  # pragma: no cover - every tuple-of-values field names its type
            raise TypeError(s.name)
        return tuple(from_dict(vt, v, f"{here}[{i}]") for i, v in enumerate(value))
    if not ok:
        raise _problem(_at(where, name), N_("a value of the wrong type ({kind})"), kind=kind)
    return value


@per_class
def _by_name(cls: type) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs(cls)}


def from_dict(cls: type[Any], data: Mapping[str, JSONValue], where: str = "", *,
              draft: bool = False) -> Any:
    """Build and validate a record or value; unknown keys and bad values are refused.

    A ``draft`` (a record not complete enough to store yet) may leave required fields empty.
    """
    if not isinstance(data, Mapping):
        raise _problem(where or cls.entity, N_("expected an object"))
    known = _by_name(cls)
    kwargs = {}
    for name, value in data.items():
        s = known.get(name)
        if s is None:
            raise _problem(_at(where, name), N_("unknown field"))
        if value.__class__ is str and s.kind == STR:  # most fields: nothing to convert
            kwargs[name] = value
        else:
            kwargs[name] = _decode(s, value, where, name)
    item = cls(**kwargs)
    validate(item, where, draft=draft)
    return item


@per_class
def _checked(cls: type) -> tuple[FieldSpec, ...]:
    """The fields :func:`validate` looks at: required, from a list, bounded, or lists of
    values."""
    return tuple(s for s in specs(cls) if s.required or s.vocab or s.bounds
                 or s.kind == VALUES)


def validate(item: Record | Value, where: str = "", *, draft: bool = False) -> None:
    """Check vocabulary ids, required fields and bounds; raises InvalidRecords naming the
    field."""
    vocabs = vocabularies()
    for s in _checked(type(item)):
        value = getattr(item, s.name)
        if s.required and (value is None or value == "") and not draft:
            raise _problem(_at(where, s.name), N_("a value is required"))
        if s.bounds and value is not None and not s.bounds[0] <= value <= s.bounds[1]:
            raise _problem(_at(where, s.name), N_("{value} is not between {low} and {high}"),
                           value=f"{value:g}", low=f"{s.bounds[0]:g}", high=f"{s.bounds[1]:g}")
        if s.vocab and value is not None:
            vocabulary = vocabs[s.vocab]
            for term in (value if isinstance(value, tuple) else (value,)):
                if term not in vocabulary:
                    raise _problem(_at(where, s.name), N_("“{term}” is not in the list {vocab}"),
                                   term=term, vocab=s.vocab)
        if s.kind == VALUES and value:
            here = _at(where, s.name)
            for i, v in enumerate(value):
                validate(v, f"{here}[{i}]", draft=draft)


def user_fields(cls: type[Record]) -> tuple[FieldSpec, ...]:
    """The fields a person edits (everything but identity and history)."""
    return tuple(s for s in specs(cls) if s.name not in SYSTEM_FIELDS)
