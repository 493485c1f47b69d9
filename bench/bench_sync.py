"""Bundles: export and import of 1,000 interviews plus 1 GiB of attachments, and 100 bundles.

``run(quick)`` returns a dict: ``measures`` (name -> value), ``targets``, ``passed`` and
``results`` (the ``bench.Result`` list the runner prints as a table).

1. A field vault with ``INTERVIEWS`` fictional testimonies (bench/data.py) and ``FILES``
   attachments totalling ``FILE_BYTES`` (random bytes ingested from memory, never a plaintext
   file) exports one bundle, then the coordinator imports it. Each step runs in its own child
   process so its peak RSS (``VmHWM``) is its own; the parent unwraps the vault keys (Argon2
   would add its 64 MiB to the child) and hands them over on stdin.
2. In the same run, the ``age`` command encrypts the same number of bytes to the same
   recipients (from a pipe, written to a file in the same folder) and decrypts them again:
   export throughput is compared with ``age`` encrypting, import throughput with ``age``
   decrypting. Both include writing the output to disk; the bundle is fsynced, age's output
   is synced too. The targets count the whole bundle (the 8,000 records included); for
   information the same files are also exported and imported alone, with one interview.
   Export, import (each time into the coordinator as it was before any import) and age's
   two runs take turns ``ROUNDS`` times (quick: once): the medians are compared, every run's
   time is in the details, and the peak RSS is the highest of the rounds. One run alone says
   little on a shared machine, where another process can take a core for seconds.
3. 100 bundles of 10 interviews each (quick: 10) are imported one after another.

Targets (TARGETS): peak RSS under 200 MB in each child (for the import, plus the peak of the
helper process that checks the attachment files, ``sync.stager``); export at least half the speed of age
encrypting the same bytes, import at least half the speed of age decrypting them; the 100
bundles in under a minute. ``--quick``: 100 interviews, 64 MiB of attachments, 10 bundles.
"""

from __future__ import annotations

import json
import os
import shutil
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

NAME = "sync"
TARGETS: dict[str, tuple[str, float, str]] = {
    "export_rss_mb": ("<", 200.0, "MB"),
    "import_rss_mb": ("<", 200.0, "MB"),
    "export_vs_age_encrypt": (">=", 0.5, "x"),
    "import_vs_age_decrypt": (">=", 0.5, "x"),
    "import_100_bundles_s": ("<=", 60.0, "s"),
}
INTERVIEWS, FILES, FILE_BYTES, BUNDLES = 1000, 16, 1 << 30, 100
ROUNDS = 3  # export, import and age each run this many times (quick: once); medians compared
QUICK = {"interviews": 100, "files": 4, "file_bytes": 64 * MiB, "bundles": 10}


def _peak_rss_kib() -> int:
    from bench.bench_blobs import _peak_rss_kib as peak

    return peak()


# Children -------------------------------------------------------------------------------------

def _open(job: dict[str, Any], key: str) -> Any:
    from testimony_app.vault import header
    from testimony_app.vault.vault import Vault

    folder = Path(job[key])
    return Vault(folder, header.read_header(folder), bytes.fromhex(job[key + "_dek"]))


def _child_export(job: dict[str, Any]) -> dict[str, Any]:
    from testimony_app.services import sync

    vault = _open(job, "field")
    try:
        base = _peak_rss_kib()
        t0 = time.perf_counter()
        result = sync.export_bundle(vault, Path(job["out"]))
        seconds = time.perf_counter() - t0
    finally:
        vault.close()
    assert result is not None
    return {"seconds": seconds, "path": str(result.path), "size": result.size_bytes,
            "records": result.records, "peak_rss_kib": _peak_rss_kib(), "base_rss_kib": base}


def _child_import(job: dict[str, Any]) -> dict[str, Any]:
    from testimony_app.services import sync

    vault = _open(job, "coordinator")
    try:
        base = _peak_rss_kib()
        t0 = time.perf_counter()
        [outcome] = sync.import_bundles(vault, [Path(job["bundle"])], trust=[job["fpr"]])
        seconds = time.perf_counter() - t0
    finally:
        vault.close()
    if outcome.error is not None or outcome.result is None or outcome.result.counts is None:
        raise SystemExit(f"import failed: {outcome.error and outcome.error.code}")
    import resource

    # The helper process that checks attachment files (sync.stager), if one ran: its peak
    # counts on top of ours (an upper bound of the two together).
    helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return {"seconds": seconds, "created": outcome.result.counts.created,
            "peak_rss_kib": _peak_rss_kib() + helper, "base_rss_kib": base,
            "helper_rss_kib": helper}


def _spawn(mode: str, job: dict[str, Any]) -> dict[str, Any]:
    env = dict(os.environ)
    root = str(BENCH_DIR.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    proc = subprocess.run([sys.executable, "-m", "bench.bench_sync", mode],
                          input=json.dumps(job), capture_output=True, text=True, env=env,
                          cwd=root, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child {mode} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


# The parent -----------------------------------------------------------------------------------

def _fill(vault: Any, fiction: Any, first: int, count: int) -> list[str]:
    from bench.vaults import add_batches
    from testimony_app.domain.interview import Interview

    records = [r for n in range(first, first + count)
               for r in fiction.testimony(n, people=2, acts=3, sightings=2)]
    add_batches(vault, iter([records[i:i + 500] for i in range(0, len(records), 500)]))
    return [r.id for r in records if isinstance(r, Interview)]


def _attach(vault: Any, interview_ids: list[str], files: int, total: int) -> None:
    from bench.bench_stream import _blocks, _GeneratorReader
    from testimony_app.services import attachments

    for k in range(files):
        reader = cast(BinaryIO, _GeneratorReader(_blocks(total // files)))
        attachments.add_attachment(vault, interview_ids[k % len(interview_ids)], reader,
                                   filename=f"fictional-{k}.bin")


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median time (of an odd number of runs)."""
    return sorted(runs, key=lambda run: float(run["seconds"]))[len(runs) // 2]


def _age(args: list[str], feed: int | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one age run, feeding ``feed`` random bytes on stdin."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(["age", *args], stdin=subprocess.PIPE if feed else None)
    if feed:
        assert proc.stdin is not None
        block = os.urandom(MiB)
        for _ in range(feed // MiB):
            proc.stdin.write(block)
        proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("age failed")
    os.sync()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - t0, cpu


def _many_bundles(tmp: Path, coordinator: Any, enrollment: Path, passphrase: str,
                  bundles: int) -> tuple[float, int]:
    from bench.data import Fiction
    from bench.vaults import create_vault
    from testimony_app.services import sync

    field = create_vault(tmp / "field2", passphrase)
    sync.join(field, sync.read_enrollment(enrollment))
    fiction = Fiction(seed=7)
    paths = []
    for b in range(bundles):
        ids = _fill(field, fiction, 100_000 + b * 10, 10)
        result = sync.export_bundle(field, tmp / "many", interview_ids=ids)
        assert result is not None
        paths.append(result.path)
    fpr = field.device.fingerprint
    field.close()
    t0 = time.perf_counter()
    outcomes = sync.import_bundles(coordinator, paths, trust=[fpr])
    seconds = time.perf_counter() - t0
    assert all(o.error is None for o in outcomes)
    return seconds, sum(o.result.counts.created for o in outcomes if o.result and o.result.counts)


def run(quick: bool = False) -> dict[str, Any]:
    from bench.data import Fiction
    from bench.vaults import create_vault
    from testimony_app.services import sync
    from testimony_app.sync import org
    from testimony_app.vault import header
    from testimony_app.vault.vault import Vault

    if shutil.which("age") is None:
        raise RuntimeError("the age command is needed for the reference (Debian package age)")
    size = QUICK if quick else {"interviews": INTERVIEWS, "files": FILES,
                                "file_bytes": FILE_BYTES, "bundles": BUNDLES}
    passphrase = new_passphrase()
    results: list[Result] = []
    with private_tmpdir() as tmp:
        log(f"making a field vault: {size['interviews']} interviews, {size['files']} files, "
            f"{size['file_bytes'] // MiB} MiB")
        coordinator = create_vault(tmp / "coordinator", passphrase)
        sync.create_organisation(coordinator, "Тестова організація", tmp / "escrow.txt")
        sync.write_enrollment(coordinator, tmp / "org.tenroll")
        sync.write_age_identity(coordinator, tmp / "org-key.txt")
        recipients = org.current_recipients(coordinator.conn)
        field = create_vault(tmp / "field", passphrase)
        sync.join(field, sync.read_enrollment(tmp / "org.tenroll"))
        ids = _fill(field, Fiction(), 1, size["interviews"])
        _attach(field, ids, size["files"], size["file_bytes"])
        fpr = field.device.fingerprint
        field.close()
        files_only = create_vault(tmp / "files", passphrase)  # the same files, one interview
        sync.join(files_only, sync.read_enrollment(tmp / "org.tenroll"))
        _attach(files_only, _fill(files_only, Fiction(seed=3), 1, 1), size["files"],
                size["file_bytes"])
        files_fpr = files_only.device.fingerprint
        files_only.close()
        coordinator.close()
        deks = {k: header.unwrap_with_passphrase(header.read_header(tmp / k), passphrase).hex()
                for k in ("field", "coordinator", "files")}
        shutil.copytree(tmp / "coordinator", tmp / "coordinator-empty")
        outs: list[dict[str, Any]] = []
        inns: list[dict[str, Any]] = []
        encs: list[tuple[float, float]] = []
        decs: list[tuple[float, float]] = []
        age_out, plain = tmp / "reference.age", size["file_bytes"]
        for round_ in range(1, (ROUNDS if not quick else 1) + 1):  # ours and age's in turn
            log(f"round {round_}: export (child process), age encrypting the same bytes")
            outs.append(_spawn("--child-export", {"field": str(tmp / "field"),
                                                  "field_dek": deks["field"],
                                                  "out": str(tmp / "out")}))
            encs.append(_age([*sum((["-r", r] for r in recipients), []), "-o", str(age_out)],
                             feed=plain))
            log(f"round {round_}: import into the empty coordinator (child process), age "
                "decrypting")
            if round_ > 1:
                shutil.rmtree(tmp / "coordinator")
                shutil.copytree(tmp / "coordinator-empty", tmp / "coordinator")
            inns.append(_spawn("--child-import", {"coordinator": str(tmp / "coordinator"),
                                                  "fpr": fpr, "bundle": outs[-1]["path"],
                                                  "coordinator_dek": deks["coordinator"]}))
            decs.append(_age(["-d", "-i", str(tmp / "org-key.txt"), "-o",
                              str(tmp / "reference.out"), str(age_out)]))
            (tmp / "reference.out").unlink()
            Path(outs[-1]["path"]).unlink()  # a GiB each
        out, inn = _median_run(outs), _median_run(inns)
        enc_s, enc_cpu = sorted(encs)[len(encs) // 2]
        dec_s, dec_cpu = sorted(decs)[len(decs) // 2]
        log("child processes: export and import of the files alone (how fast they stream)")
        out_f = _spawn("--child-export", {"field": str(tmp / "files"),
                                          "field_dek": deks["files"], "out": str(tmp / "out")})
        inn_f = _spawn("--child-import", {"coordinator": str(tmp / "coordinator"),
                                          "fpr": files_fpr, "bundle": out_f["path"],
                                          "coordinator_dek": deks["coordinator"]})
        log(f"importing {size['bundles']} bundles of 10 interviews")
        coordinator = Vault.open(tmp / "coordinator", passphrase)
        many_s, many_records = _many_bundles(tmp, coordinator, tmp / "org.tenroll", passphrase,
                                             size["bundles"])
        coordinator.close()
    peak_in = max(inns, key=lambda i: int(i["peak_rss_kib"]))
    # Same bytes: the attachments (the records, a few MB, come on top for the bundle).
    export_mb_s = plain / out["seconds"] / MB
    import_mb_s = plain / inn["seconds"] / MB
    age_enc_mb_s, age_dec_mb_s = plain / enc_s / MB, plain / dec_s / MB
    label = f"{size['interviews']:,} interviews + {plain // MiB:,} MiB"
    results += [
        info(NAME, f"export {label}", export_mb_s, "MB/s", seconds=out["seconds"],
             bundle_bytes=out["size"], records=out["records"],
             runs_seconds=[o["seconds"] for o in outs]),
        info(NAME, "age encrypting the same bytes", age_enc_mb_s, "MB/s", seconds=enc_s,
             cpu_seconds=enc_cpu, runs_seconds=[a[0] for a in encs]),
        at_least(NAME, "export_vs_age_encrypt", export_mb_s / age_enc_mb_s, "x",
                 TARGETS["export_vs_age_encrypt"][1]),
        at_most(NAME, "export_rss_mb", max(o["peak_rss_kib"] for o in outs) * 1024 / MB, "MB",
                TARGETS["export_rss_mb"][1], strict=True,
                after_open_mb=out["base_rss_kib"] * 1024 / MB),
        info(NAME, f"import {label}", import_mb_s, "MB/s", seconds=inn["seconds"],
             records=inn["created"], runs_seconds=[i["seconds"] for i in inns]),
        info(NAME, "age decrypting the same bytes", age_dec_mb_s, "MB/s", seconds=dec_s,
             cpu_seconds=dec_cpu, runs_seconds=[a[0] for a in decs]),
        at_least(NAME, "import_vs_age_decrypt", import_mb_s / age_dec_mb_s, "x",
                 TARGETS["import_vs_age_decrypt"][1]),
        at_most(NAME, "import_rss_mb", peak_in["peak_rss_kib"] * 1024 / MB, "MB",
                TARGETS["import_rss_mb"][1], strict=True,
                after_open_mb=peak_in["base_rss_kib"] * 1024 / MB,
                of_which_helper_process_mb=peak_in["helper_rss_kib"] * 1024 / MB),
        info(NAME, "files alone: export vs age encrypting", enc_s / out_f["seconds"], "x",
             export_mb_s=plain / out_f["seconds"] / MB,
             peak_rss_mb=out_f["peak_rss_kib"] * 1024 / MB),
        info(NAME, "files alone: import vs age decrypting", dec_s / inn_f["seconds"], "x",
             import_mb_s=plain / inn_f["seconds"] / MB,
             peak_rss_mb=inn_f["peak_rss_kib"] * 1024 / MB),
        at_most(NAME, "import_100_bundles_s" if not quick else "import_10_bundles_s",
                many_s, "s", TARGETS["import_100_bundles_s"][1],
                bundles=size["bundles"], records=many_records,
                per_bundle_ms=many_s / size["bundles"] * 1000),
    ]
    return {"name": NAME, "quick": quick, "targets": TARGETS,
            "measures": {r.name: r.value for r in results},
            "passed": {r.name: r.passed for r in results if r.passed is not None},
            "results": results}


def _child_main(mode: str) -> None:
    job = json.loads(sys.stdin.read())
    result = _child_export(job) if mode == "--child-export" else _child_import(job)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] in ("--child-export", "--child-import"):
        _child_main(sys.argv[1])
    else:
        print(json.dumps({k: v for k, v in run(quick="--quick" in sys.argv).items()
                          if k != "results"}, indent=2, ensure_ascii=False))
