"""5. A case file of 100 fictional interviews (``--quick``: 10).

Each interview has 5 people, 10 acts (with two perpetrators each), 5 sightings, 2 detention
episodes, a prosecution consent and 3 attachments (50 kB each, encrypted through the blob
store). The parent builds the vault and unwraps its data key; a child process gets the folder
and the key on its stdin (never argv or the environment), opens the vault and times
``export_casefile`` (prosecution profile, Ukrainian: the largest output), so the peak RSS
(``VmHWM``) is the export's alone. Targets: under 20 s and under 500 MB.

``run(quick)`` returns a dict of the measures (``seconds``, ``peak_rss_mb``, ``pages``, ...),
``passed`` per target, and ``results`` (the ``bench.Result`` lines it printed).
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import BENCH_DIR, MB, at_most, info, log, new_passphrase, private_tmpdir
from bench.bench_blobs import _peak_rss_kib
from bench.data import Fiction
from bench.vaults import create_vault
from testimony_app.domain.dates import PartialDate
from testimony_app.domain.detention import Act, DetentionEpisode, Site
from testimony_app.domain.interview import Consent, Interview
from testimony_app.domain.person import Actor, Involvement

NAME = "casefile"
TARGETS = {"seconds": 20.0, "peak_rss_mb": 500.0}
ATTACHMENTS = 3
ATTACHMENT_BYTES = 50_000


def _fill(vault: Any, count: int) -> list[str]:
    """``count`` interviews through the Store; returns their ids."""
    from testimony_app.services.attachments import add_attachment

    fiction = Fiction()
    with vault.transaction() as store:
        sites = [store.add(Site(canonical_name=f"Тестова колонія №{k}", site_type=t,
                                country="RU", region="Тестова область",
                                settlement="Тестове місто"))
                 for k, t in enumerate(("sizo", "penal_colony", "filtration_point"), 1)]
    ids = []
    for n in range(1, count + 1):
        records = fiction.testimony(n)
        interview = next(r for r in records if isinstance(r, Interview))
        with vault.transaction() as store:
            for record in records:
                if isinstance(record, Act):
                    record = dataclasses.replace(record, site_id=sites[n % 2].id)
                store.add(record)
            store.add(Consent(interview_id=interview.id, scope="share_ua_prosecution",
                              decision="granted", method="written"))
            for k, site in enumerate(sites[:2]):
                store.add(DetentionEpisode(
                    person_id=interview.interviewee_id, interview_id=interview.id,
                    site_id=site.id, arrival=PartialDate.parse(f"202{2 + k}-0{3 + k}"),
                    departure=PartialDate.parse(f"202{2 + k}-1{k}~"),
                    arrival_mode="transfer", regime=fiction.text(10)))
            actors = [store.add(Actor(interview_id=interview.id, call_signs=(f"Тест-{k}",),
                                      unit="Тестова частина", description=fiction.text(15)))
                      for k in range(3)]
            acts = [r for r in records if isinstance(r, Act)]
            for k, act in enumerate(acts):
                for actor in (actors[k % 3], actors[(k + 1) % 3]):
                    store.add(Involvement(act_id=act.id, actor_id=actor.id,
                                          role="perpetrator_direct"))
        for k in range(ATTACHMENTS):
            add_attachment(vault, interview.id, io.BytesIO(os.urandom(ATTACHMENT_BYTES)),
                           filename=f"тестовий-файл-{n}-{k}.jpg", kind="photo")
        ids.append(interview.id)
    return ids


def _child(job: dict[str, Any]) -> dict[str, Any]:
    from testimony_app.casefile.selection import Selection
    from testimony_app.services.casefile import export_casefile
    from testimony_app.vault import header
    from testimony_app.vault.vault import Vault

    folder = Path(job["folder"])
    vault = Vault(folder, header.read_header(folder), bytes.fromhex(job["dek"]))
    try:
        baseline_kib = _peak_rss_kib()
        t0, c0 = time.perf_counter(), time.process_time()
        result = export_casefile(vault, Selection.interviews(*job["ids"]), "prosecution", "uk",
                                 Path(job["out"]))
        seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    finally:
        vault.close()
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "pages": result.pages, "baseline_rss_kib": baseline_kib,
            "peak_rss_kib": _peak_rss_kib(), "pdf_bytes": result.pdf_path.stat().st_size,
            "data_bytes": result.data_path.stat().st_size, "interviews": len(result.interviews)}


def _spawn(job: dict[str, Any]) -> dict[str, Any]:
    env = dict(os.environ)
    root = str(BENCH_DIR.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    proc = subprocess.run([sys.executable, "-m", "bench.bench_casefile", "--child"],
                          input=json.dumps(job), capture_output=True, text=True, env=env,
                          cwd=root, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def run(quick: bool = False, *, count: int | None = None) -> dict[str, Any]:
    from testimony_app.vault import header

    count = count or (10 if quick else 100)
    passphrase = new_passphrase()
    with private_tmpdir() as tmp:
        folder = tmp / "vault"
        vault = create_vault(folder, passphrase)
        t0 = time.perf_counter()
        try:
            ids = _fill(vault, count)
        finally:
            vault.close()
        fill_s = time.perf_counter() - t0
        log(f"{count} interviews with 10 acts, 5 sightings and {ATTACHMENTS} attachments each "
            f"made in {fill_s:.1f} s; exporting in a child process")
        dek = header.unwrap_with_passphrase(header.read_header(folder), passphrase)
        out = _spawn({"folder": str(folder), "dek": dek.hex(), "ids": ids,
                      "out": str(tmp / "case.pdf")})
    peak_mb = out["peak_rss_kib"] * 1024 / MB
    results = [
        at_most(NAME, f"export a case file of {count} interviews (prosecution, uk)",
                out["seconds"], "s", TARGETS["seconds"], strict=True, pages=out["pages"],
                cpu_seconds=out["cpu_seconds"],
                pdf_mb=out["pdf_bytes"] / MB, data_mb=out["data_bytes"] / MB),
        at_most(NAME, "peak RSS of the child (VmHWM)", peak_mb, "MB", TARGETS["peak_rss_mb"],
                strict=True, after_open_mb=out["baseline_rss_kib"] * 1024 / MB),
        info(NAME, "CPU time of the export (the wall time counts waiting for a busy CPU too)",
             out["cpu_seconds"], "s"),
        info(NAME, "pages", float(out["pages"]), "pages"),
    ]
    return {"name": NAME, "interviews": count, "seconds": out["seconds"],
            "cpu_seconds": out["cpu_seconds"],
            "peak_rss_mb": peak_mb, "pages": out["pages"], "pdf_mb": out["pdf_bytes"] / MB,
            "data_mb": out["data_bytes"] / MB, "fill_seconds": fill_s, "targets": TARGETS,
            "passed": {"seconds": out["seconds"] < TARGETS["seconds"],
                       "peak_rss_mb": peak_mb < TARGETS["peak_rss_mb"]},
            "results": results}


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--child":
        print(json.dumps(_child(json.loads(sys.stdin.read()))), flush=True)
    else:
        print(json.dumps({k: v for k, v in run(quick="--quick" in sys.argv).items()
                          if k != "results"}, indent=2))
