"""Canonical JSON, signed envelopes and strict reading of JSON from outside.

Canonical JSON: UTF-8, keys sorted, no spaces (``,`` and ``:``), non-ASCII characters as
themselves, integers only (no floats). A signed envelope is the canonical JSON of
``{KIND: BODY, "signature": BASE64}``, where the Ed25519 signature covers
``FORMAT + "\\n" + canonical(BODY)`` and ``FORMAT`` is the body's own ``format`` value (so a
signature over one kind of document can never pass as another). An envelope is accepted only
if its bytes are exactly the canonical encoding of what they parse to: there is one valid
encoding of each signed document, and duplicate keys, floats or odd spacing are refused.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature

from testimony_app.crypto import keys

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
FINGERPRINT = re.compile(r"^[0-9A-F]{4}( [0-9A-F]{4}){7}$")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00:00$")
MAX_INT = 2**63 - 1

Problem = Callable[[str], Exception]


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False)  # made once: json.dumps makes one per call


def canonical(value: Any) -> bytes:
    return _CANONICAL.encode(value).encode("utf-8")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, size: int, where: str, problem: Problem) -> bytes:
    if not isinstance(text, str):
        raise problem(where)
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise problem(where) from exc
    if len(raw) != size or b64(raw) != text:
        raise problem(where)
    return raw


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError("duplicate key")
        out[key] = value
    return out


def _no_float(text: str) -> Any:
    raise ValueError("floats are not allowed")


def _no_constant(text: str) -> Any:
    raise ValueError("not JSON")


# Made once: json.loads with hooks makes a decoder per call.
_STRICT = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_float=_no_float,
                           parse_constant=_no_constant)
_LINE = json.JSONDecoder(parse_float=_no_float, parse_constant=_no_constant)


def loads_strict(raw: bytes) -> Any:
    """Parse JSON from outside: UTF-8, no duplicate keys, no floats, no NaN/Infinity."""
    return _STRICT.decode(raw.decode("utf-8"))


class NotCanonical(ValueError):
    """Valid JSON, but not in its canonical encoding."""


def loads_canonical(raw: bytes) -> Any:
    """Parse one line that must be canonical JSON (its text is exactly the canonical encoding
    of what it parses to; a duplicate key is dropped by re-encoding, so it fails too). UTF-8,
    no floats, no NaN/Infinity. Raises ValueError (UnicodeDecodeError included) otherwise."""
    text = raw.decode("utf-8")
    value = _LINE.decode(text)
    if _CANONICAL.encode(value) != text:
        raise NotCanonical()
    return value


def sign(kind: str, body: dict[str, Any], private_key: bytes) -> bytes:
    message = str(body["format"]).encode("utf-8") + b"\n" + canonical(body)
    signature = keys.load_private(private_key).sign(message)
    return canonical({kind: body, "signature": b64(signature)})


def open_envelope(raw: bytes, kind: str, problem: Problem) -> tuple[dict[str, Any], bytes]:
    """Parse an envelope; returns (body, signature). Checks the encoding, not the signature."""
    try:
        text = raw.decode("utf-8")
        data = _STRICT.decode(text)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise problem("not canonical JSON") from exc
    if not isinstance(data, dict) or set(data) != {kind, "signature"}:
        raise problem("envelope")
    body = data[kind]
    if not isinstance(body, dict) or not isinstance(body.get("format"), str):
        raise problem("format")
    if _CANONICAL.encode(data) != text:  # as text: a lone surrogate has no UTF-8 encoding
        raise problem("not canonical JSON")
    return body, unb64(data["signature"], 64, "signature", problem)


def verify(body: dict[str, Any], signature: bytes, public_key: bytes) -> bool:
    message = str(body["format"]).encode("utf-8") + b"\n" + canonical(body)
    try:
        keys.load_public(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# Field checks for documents from outside --------------------------------------------------------

def fields(obj: Any, where: str, required: set[str], problem: Problem,
           optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise problem(where)
    missing = required - set(obj)
    extra = set(obj) - required - optional
    if missing or extra:
        raise problem(f"{where}: {sorted(missing | extra)[0]}")
    return obj


def text(obj: dict[str, Any], key: str, where: str, problem: Problem, *,
         pattern: re.Pattern[str] | None = None, max_len: int = 200,
         nullable: bool = False) -> Any:
    value = obj[key]
    if value is None and nullable:
        return None
    if (not isinstance(value, str) or len(value) > max_len
            or (pattern is not None and not pattern.match(value))):
        raise problem(f"{where}.{key}")
    return value


def integer(obj: dict[str, Any], key: str, where: str, problem: Problem, *,
            minimum: int = 0, maximum: int = MAX_INT) -> int:
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise problem(f"{where}.{key}")
    return value


def items(obj: dict[str, Any], key: str, where: str, problem: Problem, *,
          max_items: int) -> list[Any]:
    value = obj[key]
    if not isinstance(value, list) or len(value) > max_items:
        raise problem(f"{where}.{key}")
    return value
