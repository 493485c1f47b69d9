"""Passphrase and recovery-code key derivation.

Argon2id parameters are calibrated when a vault is created so that unlocking takes about half a
second on that machine, and never go below the floor (64 MiB, t=3): a seized laptop's vault must
cost an attacker real memory for every guess.
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_SIZE = 32
SALT_SIZE = 16
FLOOR_MEMORY_KIB = 64 * 1024
FLOOR_TIME_COST = 3
DEFAULT_PARALLELISM = 4
MAX_MEMORY_KIB = 1024 * 1024
TARGET_SECONDS = 0.5


@dataclass(frozen=True)
class Argon2Params:
    memory_kib: int = 256 * 1024
    time_cost: int = FLOOR_TIME_COST
    parallelism: int = DEFAULT_PARALLELISM

    def __post_init__(self) -> None:
        if self.memory_kib < FLOOR_MEMORY_KIB or self.time_cost < FLOOR_TIME_COST:
            raise ValueError("Argon2 parameters below the floor")
        if not 1 <= self.parallelism <= 16 or self.memory_kib > 4 * MAX_MEMORY_KIB:
            raise ValueError("Argon2 parameters out of range")

    @classmethod
    def floor(cls) -> Argon2Params:
        return cls(FLOOR_MEMORY_KIB, FLOOR_TIME_COST, DEFAULT_PARALLELISM)

    def to_json(self) -> dict[str, Any]:
        return {"memory_kib": self.memory_kib, "time_cost": self.time_cost,
                "parallelism": self.parallelism}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Argon2Params:
        return cls(int(data["memory_kib"]), int(data["time_cost"]), int(data["parallelism"]))


def argon2id(secret: bytes, salt: bytes, params: Argon2Params) -> bytes:
    return hash_secret_raw(
        secret, salt, time_cost=params.time_cost, memory_cost=params.memory_kib,
        parallelism=params.parallelism, hash_len=KEY_SIZE, type=Type.ID,
    )


def calibrate(target_seconds: float = TARGET_SECONDS) -> Argon2Params:
    """Parameters that take about ``target_seconds`` here, never below the floor."""
    if os.environ.get("TESTIMONY_KDF_FLOOR") == "1":
        # Test suites create hundreds of vaults; the floor is still the safe minimum.
        return Argon2Params.floor()
    probe = Argon2Params.floor()
    start = time.perf_counter()
    argon2id(b"calibration", b"\0" * SALT_SIZE, probe)
    elapsed = max(time.perf_counter() - start, 1e-3)
    memory = int(probe.memory_kib * target_seconds / elapsed) // 1024 * 1024
    memory = max(FLOOR_MEMORY_KIB, min(MAX_MEMORY_KIB, memory))
    time_cost = FLOOR_TIME_COST
    if memory == MAX_MEMORY_KIB:
        per_pass = elapsed * MAX_MEMORY_KIB / probe.memory_kib / FLOOR_TIME_COST
        time_cost = max(FLOOR_TIME_COST, int(target_seconds / per_pass))
    return Argon2Params(memory, time_cost, DEFAULT_PARALLELISM)


def hkdf(ikm: bytes, info: bytes, salt: bytes | None = None, length: int = KEY_SIZE) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


# Recovery codes: 160 random bits in RFC 4648 base32, shown in groups of four.
RECOVERY_BITS = 160
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def new_recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(RECOVERY_BITS // 8)).decode("ascii")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def normalise_recovery_code(code: str) -> bytes | None:
    """The code's bytes, forgiving case, spaces, dashes and 0/O 1/I 8/B confusions; None if invalid."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    if len(cleaned) != RECOVERY_BITS // 5 or any(ch not in _B32 for ch in cleaned):
        return None
    return base64.b32decode(cleaned)


def constant_time_equal(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)
