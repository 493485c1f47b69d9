"""age's X25519 keys: recipients ``age1…`` and identities ``AGE-SECRET-KEY-1…``, in age's
Bech32 encoding (BIP 173), as the age tool writes and reads them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

KEY_SIZE = 32


class KeyFormatError(ValueError):
    """Not a valid age X25519 recipient or identity string."""


# Bech32 (BIP 173), as age uses it for keys -------------------------------------------------------

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: Sequence[int]) -> int:
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            check ^= _GENERATOR[i] if (top >> i) & 1 else 0
    return check


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: Sequence[int], src: int, dst: int, *, pad: bool) -> list[int]:
    acc = bits = 0
    out: list[int] = []
    mask = (1 << dst) - 1
    for value in data:
        acc = (acc << src) | value
        bits += src
        while bits >= dst:
            bits -= dst
            out.append((acc >> bits) & mask)
    if pad:
        if bits:
            out.append((acc << (dst - bits)) & mask)
    elif bits >= src or (acc << (dst - bits)) & mask:
        raise KeyFormatError("non-zero padding")
    return out


def bech32_encode(hrp: str, data: bytes) -> str:
    values = _convert_bits(data, 8, 5, pad=True)
    polymod = _polymod(_hrp_expand(hrp) + values + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[v] for v in values + checksum)


def bech32_decode(text: str, hrp: str) -> bytes:
    """Decode a Bech32 string of human-readable part ``hrp`` (case-insensitive as a whole,
    never mixed case); raises :class:`KeyFormatError`."""
    if text != text.lower() and text != text.upper():
        raise KeyFormatError("mixed case")
    lowered = text.lower()
    sep = lowered.rfind("1")
    if lowered[:sep] != hrp or len(lowered) - sep - 1 < 6:
        raise KeyFormatError("wrong type of key")
    try:
        values = [_CHARSET.index(c) for c in lowered[sep + 1:]]
    except ValueError:
        raise KeyFormatError("invalid character") from None
    if _polymod(_hrp_expand(hrp) + values) != 1:
        raise KeyFormatError("bad checksum")
    return bytes(_convert_bits(values[:-6], 5, 8, pad=False))


def parse_recipient(text: str) -> bytes:
    """The 32-byte X25519 public key of an ``age1…`` recipient (lowercase, as age writes it)."""
    if text != text.lower():
        raise KeyFormatError("recipients are lowercase")
    key = bech32_decode(text, "age")
    if len(key) != KEY_SIZE:
        raise KeyFormatError("wrong key length")
    return key


@dataclass(frozen=True)
class Identity:
    """An X25519 identity: its secret scalar and its public key (the recipient)."""

    secret: bytes
    public: bytes

    @classmethod
    def from_secret(cls, secret: bytes) -> Identity:
        if len(secret) != KEY_SIZE:
            raise KeyFormatError("wrong key length")
        public = X25519PrivateKey.from_private_bytes(secret).public_key().public_bytes_raw()
        return cls(secret, public)

    @classmethod
    def parse(cls, text: str) -> Identity:
        """From ``AGE-SECRET-KEY-1…`` (uppercase, as age writes it)."""
        if text != text.upper():
            raise KeyFormatError("identities are uppercase")
        return cls.from_secret(bech32_decode(text, "age-secret-key-"))

    @classmethod
    def generate(cls) -> Identity:
        return cls.from_secret(os.urandom(KEY_SIZE))

    def __str__(self) -> str:
        return bech32_encode("age-secret-key-", self.secret).upper()

    def __repr__(self) -> str:  # never print the secret
        return f"Identity({self.recipient})"

    @property
    def recipient(self) -> str:
        return bech32_encode("age", self.public)
