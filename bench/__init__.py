"""Performance benchmarks for Testimony (not tests): ``python -m bench [--quick]``.

Every benchmark module has ``run(quick: bool) -> list[Result]``; it prints one line per
result as it goes (value, target, PASS/MISS) and the runner in ``__main__`` prints a table at
the end and writes ``bench/results/latest.json``. All data is clearly fictional and lives in a
private temporary folder (mode 0700) that is deleted afterwards.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import statistics
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# The floor is still the safe minimum; benchmarks make several vaults.
os.environ.setdefault("TESTIMONY_KDF_FLOOR", "1")

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"

MB = 10**6  # throughput and sizes in decimal megabytes (1 MB = 10**6 bytes)
MiB = 1 << 20


@dataclass
class Result:
    """One measured value against its target.

    ``passed`` is None for values reported for information only (no target was set).
    """

    bench: str
    name: str
    value: float
    unit: str
    target: str = ""
    passed: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return "INFO"
        return "PASS" if self.passed else "MISS"

    def value_text(self) -> str:
        v = self.value
        if self.unit == "x":
            return f"{v:.2f}x"
        if abs(v) >= 100:
            return f"{v:,.0f} {self.unit}"
        if abs(v) >= 10:
            return f"{v:,.1f} {self.unit}"
        return f"{v:,.2f} {self.unit}"

    def line(self) -> str:
        target = self.target or "none"
        return (f"[{self.bench}] {self.name}: {self.value_text()}  "
                f"(target: {target})  {self.verdict}")

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["verdict"] = self.verdict
        return out


def report(result: Result) -> Result:
    """Print a result line as soon as it is known and hand the result back."""
    print(result.line(), flush=True)
    return result


def _amount(value: float, unit: str) -> str:
    return f"{value:g}x" if unit == "x" else f"{value:g} {unit}"


def at_most(bench: str, name: str, value: float, unit: str, limit: float, *,
            strict: bool = False, **details: Any) -> Result:
    """PASS when ``value <= limit`` (``value < limit`` if ``strict``)."""
    ok = value < limit if strict else value <= limit
    sign = "<" if strict else "<="
    return report(Result(bench, name, value, unit, f"{sign} {_amount(limit, unit)}", ok,
                         details))


def at_least(bench: str, name: str, value: float, unit: str, limit: float,
             **details: Any) -> Result:
    return report(Result(bench, name, value, unit, f">= {_amount(limit, unit)}",
                         value >= limit, details))


def info(bench: str, name: str, value: float, unit: str, **details: Any) -> Result:
    return report(Result(bench, name, value, unit, "", None, details))


@contextlib.contextmanager
def private_tmpdir(prefix: str = "testimony-bench-") -> Iterator[Path]:
    """A fresh folder only this user can read (mkdtemp makes it 0700), removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        os.chmod(path, 0o700)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def new_passphrase() -> str:
    """A throwaway passphrase for a throwaway vault (never printed or stored)."""
    return "bench-" + secrets.token_urlsafe(18)


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def log(message: str) -> None:
    print(f"  .. {message}", flush=True)
