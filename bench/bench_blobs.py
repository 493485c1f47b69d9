"""3. The blob store streaming 1 GiB in and out (``--quick``: 256 MiB).

Runs in a child process so that peak RSS (``VmHWM``) is this benchmark's alone: the parent
makes a vault and unwraps its data key (Argon2 takes 64 MiB, so not in the child), then the
child gets the folder and the key on its stdin (never argv or the environment), opens the vault
with ``Vault(folder, header, dek)`` and runs

* ``vault.blobs.ingest(reader)`` from a generator-backed reader that repeats one random 1 MiB
  block (no plaintext file: plaintext never touches the disk), which includes the fsync of the
  blob and of its folder;
* ``vault.blobs.export(name, key, null sink)``, reading the blob just written (page cache warm),

three times each (the median counts; RSS is the peak over all of them).

Targets: >= 500 MB/s in, >= 800 MB/s out (1 MB = 10**6 bytes), peak RSS under 100 MB.

For reference a second child runs ``bench/bench_stream.py``'s ``run()`` (``crypto.stream``
alone, to and from a temporary file in the same private folder, no fsync).
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO, cast

from bench import (
    BENCH_DIR,
    MB,
    MiB,
    Result,
    at_least,
    at_most,
    info,
    log,
    new_passphrase,
    private_tmpdir,
)

NAME = "blobs"
TARGET_IN_MB_S = 500.0
TARGET_OUT_MB_S = 800.0
TARGET_RSS_MB = 100.0
REPEATS = 3


def _status_kib(field: str) -> int | None:
    """A ``/proc/self/status`` figure in KiB (Linux), or None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _peak_rss_kib() -> int:
    """Peak RSS of this process image.

    ``VmHWM`` rather than ``ru_maxrss``: on Linux a child started with fork/vfork + exec
    inherits the parent's high-water mark in ``ru_maxrss`` (the kernel folds the old memory
    map's peak into it at exec), so the parent's size would leak into the child's figure.
    """
    hwm = _status_kib("VmHWM")
    if hwm is not None:
        return hwm
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux


def _child_blobs(job: dict[str, Any]) -> dict[str, Any]:
    from bench.bench_stream import _blocks, _GeneratorReader, _NullSink
    from testimony_app.vault import header
    from testimony_app.vault.vault import Vault

    folder = Path(job["folder"])
    size = int(job["size"])
    repeats = int(job.get("repeats", 1))
    vault = Vault(folder, header.read_header(folder), bytes.fromhex(job["dek"]))
    ingest_s: list[float] = []
    export_s: list[float] = []
    try:
        baseline_kib = _peak_rss_kib()
        for _ in range(repeats):
            reader = cast(BinaryIO, _GeneratorReader(_blocks(size)))
            t0 = time.perf_counter()
            stored = vault.blobs.ingest(reader)
            ingest_s.append(time.perf_counter() - t0)
            blob_bytes = vault.blobs.path(stored.blob_name).stat().st_size
            after_ingest_kib = _peak_rss_kib()
            t0 = time.perf_counter()
            result = vault.blobs.export(stored.blob_name, stored.file_key,
                                        cast(BinaryIO, _NullSink()))
            export_s.append(time.perf_counter() - t0)
            vault.blobs.remove(stored.blob_name)
            if result.plaintext_sha256 != stored.sha256 or result.plaintext_size != size:
                raise SystemExit("blob round trip mismatch")
    finally:
        vault.close()
    return {"size_bytes": size, "blob_bytes": blob_bytes, "ingest_s": ingest_s,
            "export_s": export_s, "baseline_rss_kib": baseline_kib,
            "after_ingest_rss_kib": after_ingest_kib, "peak_rss_kib": _peak_rss_kib(),
            "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def _child_stream(job: dict[str, Any]) -> dict[str, Any]:
    import tempfile

    from bench import bench_stream

    tempfile.tempdir = job["folder"]  # keep bench_stream's temporary file in our private folder
    result: dict[str, Any] = dict(bench_stream.run(int(job["size"])))
    result["vm_hwm_kib"] = _peak_rss_kib()
    return result


def _spawn(mode: str, job: dict[str, Any]) -> dict[str, Any]:
    env = dict(os.environ)
    root = str(BENCH_DIR.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    proc = subprocess.run([sys.executable, "-m", "bench.bench_blobs", mode],
                          input=json.dumps(job), capture_output=True, text=True, env=env,
                          cwd=root, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child {mode} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def run(quick: bool = False, *, size: int | None = None) -> list[Result]:
    from bench.vaults import create_vault
    from testimony_app.vault import header

    size = size or ((256 if quick else 1024) * MiB)
    passphrase = new_passphrase()
    with private_tmpdir() as tmp:
        folder = tmp / "vault"
        create_vault(folder, passphrase).close()
        dek = header.unwrap_with_passphrase(header.read_header(folder), passphrase)
        log(f"child process: ingest and export {size // MiB:,} MiB through vault.blobs, "
            f"{REPEATS} times")
        out = _spawn("--child-blobs", {"folder": str(folder), "dek": dek.hex(), "size": size,
                                       "repeats": REPEATS})
        log(f"child process: bench_stream.run({size // MiB:,} MiB) for reference")
        (tmp / "stream").mkdir(mode=0o700)
        ref = _spawn("--child-stream", {"folder": str(tmp / "stream"), "size": size})
    mib = size // MiB
    peak_mb = out["peak_rss_kib"] * 1024 / MB
    return [
        at_least(NAME, f"ingest {mib:,} MiB (encrypt + fsync), median of {REPEATS}",
                 size / statistics.median(out["ingest_s"]) / MB, "MB/s", TARGET_IN_MB_S,
                 seconds=out["ingest_s"], blob_bytes=out["blob_bytes"]),
        at_least(NAME, f"export {mib:,} MiB (decrypt to null sink), median of {REPEATS}",
                 size / statistics.median(out["export_s"]) / MB, "MB/s", TARGET_OUT_MB_S,
                 seconds=out["export_s"]),
        at_most(NAME, "peak RSS of the child (VmHWM)", peak_mb, "MB", TARGET_RSS_MB,
                strict=True, after_open_mb=out["baseline_rss_kib"] * 1024 / MB,
                after_ingest_mb=out["after_ingest_rss_kib"] * 1024 / MB,
                ru_maxrss_mb=out["ru_maxrss_kib"] * 1024 / MB),
        info(NAME, "reference: crypto.stream encrypt to a file, no fsync (bench_stream.run)",
             ref["encrypt_mb_s"], "MB/s", seconds=ref["encrypt_seconds"]),
        info(NAME, "reference: crypto.stream decrypt from that file (bench_stream.run)",
             ref["decrypt_mb_s"], "MB/s", seconds=ref["decrypt_seconds"],
             peak_rss_mb=ref["vm_hwm_kib"] * 1024 / MB),
        *machine_reference(),
    ]


def machine_reference(total: int = 256 * MiB) -> list[Result]:
    """Single-thread speed of the two primitives every blob byte goes through, here."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    chunk = os.urandom(64 * 1024)
    aead = ChaCha20Poly1305(os.urandom(32))
    out = bytearray(len(chunk) + 16)
    n = total // len(chunk)
    t0 = time.perf_counter()
    for i in range(n):
        aead.encrypt_into(i.to_bytes(12, "big"), chunk, None, out)
    chacha = time.perf_counter() - t0
    digest = hashlib.sha256()
    t0 = time.perf_counter()
    for _ in range(n):
        digest.update(chunk)
    sha = time.perf_counter() - t0
    return [info(NAME, "machine: ChaCha20-Poly1305, one thread, 64 KiB chunks",
                 total / chacha / MB, "MB/s"),
            info(NAME, "machine: SHA-256, one thread", total / sha / MB, "MB/s",
                 cpus=os.cpu_count())]


def _child_main(mode: str) -> None:
    job = json.loads(sys.stdin.read())
    result = _child_blobs(job) if mode == "--child-blobs" else _child_stream(job)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] in ("--child-blobs", "--child-stream"):
        _child_main(sys.argv[1])
    else:
        run(quick="--quick" in sys.argv)
