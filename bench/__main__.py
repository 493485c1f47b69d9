"""Run the benchmarks: ``python -m bench [--quick] [--only NAME ...] [--budget S] [--profile]``.

Prints each result as it is measured, then a table, and writes ``bench/results/latest.json``.
Exits 0 unless a benchmark failed to run (or, with ``--strict``, missed a target).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import BENCH_DIR, RESULTS_DIR, Result

BENCHMARKS = ("inserts", "open", "blobs", "vault", "casefile", "sync", "ui")
TITLES = {
    "inserts": "1. Inserts: SQLCipher vs plain SQLite (same schema, Store, batches)",
    "open": "2. Vault open after key derivation",
    "blobs": "3. Blob store streaming in and out",
    "vault": "4. A vault of 10,000 interviews",
    "casefile": "5. A case file of 100 interviews",
    "sync": "6. Bundles: export and import",
    "ui": "7. The desktop app: unlock, open, autosave, search over 10,000 interviews",
}


def _runner(name: str, args: argparse.Namespace) -> Callable[[], list[Result]]:
    if name == "inserts":
        from bench import bench_inserts
        return lambda: bench_inserts.run(args.quick, budget_s=args.budget,
                                         profile=args.profile)
    if name == "open":
        from bench import bench_open
        return lambda: bench_open.run(args.quick, profile=args.profile)
    if name == "blobs":
        from bench import bench_blobs
        return lambda: bench_blobs.run(args.quick)
    if name == "casefile":
        from bench import bench_casefile
        return lambda: bench_casefile.run(args.quick)["results"]
    if name == "sync":
        from bench import bench_sync
        return lambda: bench_sync.run(args.quick)["results"]
    if name == "ui":
        from bench import bench_ui
        return lambda: bench_ui.run(args.quick, budget_s=args.budget, profile=args.profile)
    from bench import bench_vault
    return lambda: bench_vault.run(args.quick, budget_s=args.budget)


def _table(results: list[Result]) -> str:
    rows = [("benchmark", "measure", "value", "target", "")]
    rows += [(r.bench, r.name, r.value_text(), r.target or "-", r.verdict) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for k, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]),
                 row[3].ljust(widths[3]), row[4]]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BENCH_DIR,
                             capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _environment() -> dict[str, Any]:
    env: dict[str, Any] = {
        "python": platform.python_version(), "platform": platform.platform(),
        "machine": platform.machine(), "cpus": os.cpu_count(),
        "sqlite_stdlib": sqlite3.sqlite_version, "commit": _git_commit(),
    }
    try:
        import sqlcipher3
        conn = sqlcipher3.connect(":memory:")
        env["sqlcipher_sqlite"] = conn.execute("SELECT sqlite_version()").fetchone()[0]
        env["sqlcipher"] = conn.execute("PRAGMA cipher_version").fetchone()[0]
        conn.close()
        import cryptography
        env["cryptography"] = cryptography.__version__
    except Exception as exc:  # the environment report must never fail
        env["versions_error"] = repr(exc)
    if hasattr(os, "getloadavg"):
        env["loadavg_start"] = os.getloadavg()
    return env


def _busy_cpu_s() -> float | None:
    """CPU seconds the whole machine has spent busy (Linux ``/proc/stat``), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    except (OSError, ValueError, IndexError):
        return None
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="smaller sizes (2,000 inserts, 1,000 interviews, 256 MiB blobs)")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, metavar="NAME",
                        help=f"run only these ({', '.join(BENCHMARKS)})")
    parser.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                        help="time budget for bulk inserts through the Store in 'inserts' "
                             "(default 600, --quick 180) and 'vault' (1200, --quick 300)")
    parser.add_argument("--profile", action="store_true",
                        help="also print where the time goes (SQL statements for inserts, "
                             "cProfile for open)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--json", type=Path, default=RESULTS_DIR / "latest.json",
                        help="where to write the results (default bench/results/latest.json)")
    args = parser.parse_args(argv)

    started = datetime.datetime.now(datetime.UTC)
    environment = _environment()
    results: list[Result] = []
    errors: dict[str, str] = {}
    timings: dict[str, float] = {}
    other_load: dict[str, float] = {}
    for name in args.only or BENCHMARKS:
        print(f"\n== {TITLES[name]}{' (--quick)' if args.quick else ''}", flush=True)
        t0, busy0, own0 = time.perf_counter(), _busy_cpu_s(), _own_cpu_s()
        try:
            results += _runner(name, args)()
        except Exception as exc:  # report it and go on with the next benchmark
            traceback.print_exc()
            errors[name] = f"{type(exc).__name__}: {exc}"
            results.append(Result(name, "did not run: " + type(exc).__name__, float("nan"),
                                  "", "runs", False))
        timings[name] = time.perf_counter() - t0
        busy1 = _busy_cpu_s()
        note = ""
        if busy0 is not None and busy1 is not None:
            others = max(0.0, (busy1 - busy0) - (_own_cpu_s() - own0))
            share = others / (timings[name] * (os.cpu_count() or 1))
            other_load[name] = round(share, 3)
            note = f"; other activity used {share:.0%} of the machine's CPU meanwhile"
        print(f"   ({name} took {timings[name]:.0f} s{note})", flush=True)

    if hasattr(os, "getloadavg"):
        environment["loadavg_end"] = os.getloadavg()
    print("\n" + _table(results))
    missed = [r for r in results if r.passed is False]
    print(f"\n{len(missed)} of {sum(r.passed is not None for r in results)} targets missed"
          + (f"; errors in: {', '.join(errors)}" if errors else ""))

    args.json.parent.mkdir(parents=True, exist_ok=True)
    payload = {"started": started.isoformat(timespec="seconds"), "quick": args.quick,
               "environment": environment, "seconds": timings,
               "other_processes_cpu_share": other_load, "errors": errors,
               "results": [r.to_json() for r in results]}
    args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n",
                         encoding="utf-8")
    print(f"results written to {args.json}")
    if errors:
        return 2
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
