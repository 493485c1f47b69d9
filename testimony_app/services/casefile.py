"""Case files: a signed PDF for legal teams, the ICRC or advocates, with its data file.

``export_casefile`` writes three files side by side and appends one audit entry:

- ``FILE.pdf``: the case file, redacted by the profile, only interviews with the consent for it;
- ``FILE.data.json``: canonical JSON of exactly the data shown (its SHA-256 is in the PDF);
- ``FILE.pdf.sig``: an Ed25519 signature by the device key over the hashes of both.

Nothing is written until the PDF is complete; a cancelled or failed export leaves no file. The
audit entry and the files land together: the entry is written in a transaction that commits
only after the three files are in place (if the commit fails, the files are removed again).
The job reads through its own database connection, so it may run in a worker thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from testimony_app import errors, fs, log
from testimony_app.casefile import build, gather, redaction, render, signing
from testimony_app.casefile.model import LeftOut, data_bytes
from testimony_app.casefile.selection import Selection, resolve
from testimony_app.domain.base import new_id, utcnow
from testimony_app.domain.detention import Site
from testimony_app.domain.person import Person
from testimony_app.i18n import LANGUAGES, N_, gettext
from testimony_app.services.progress import Cancel, Progress, never_cancel, no_progress
from testimony_app.vault import audit, db
from testimony_app.vault.store import Store
from testimony_app.vault.vault import Vault

logger = log.get("services.casefile")
companion_paths = signing.companion_paths  # FILE.pdf -> (FILE.data.json, FILE.pdf.sig)
AUDIT_ACTION = "casefile_export"
AUDIT_ENTITY = "casefile"


@dataclass(frozen=True)
class CasefileResult:
    pdf_path: Path
    data_path: Path
    sig_path: Path
    casefile_id: str
    reference: str
    pdf_sha256: str
    data_sha256: str
    pages: int
    interviews: tuple[str, ...]  # ids of the interviews shown
    records: tuple[str, ...]  # ids of every record shown
    left_out: tuple[LeftOut, ...]


def _check(cancel: Cancel) -> None:
    if cancel():
        raise errors.Cancelled()


def _default_reference(now: str) -> str:
    return f"CF-{now[:10].replace('-', '')}-{os.urandom(3).hex().upper()}"


def _subject(store: Store, selection: Selection) -> Person | Site | None:
    if selection.kind == "person":
        return store.get(Person, selection.ids[0])
    if selection.kind == "site":
        return store.get(Site, selection.ids[0])
    return None


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _write_all(targets: list[tuple[Path, bytes]]) -> None:
    """Write each file atomically; if one fails, remove the ones already written."""
    written: list[Path] = []
    try:
        for path, content in targets:
            fs.atomic_write(path, content)
            written.append(path)
    except BaseException as exc:
        _remove(written)
        if isinstance(exc, OSError):
            raise errors.FileError(path=str(path), reason=exc.strerror or str(exc)) from exc
        raise


def export_casefile(vault: Vault, selection: Selection, profile: str, lang: str, out_path: Path,
                    progress: Progress = no_progress, cancel: Cancel = never_cancel, *,
                    reference: str = "", title: str = "") -> CasefileResult:
    prof = redaction.profile(profile)
    if lang not in LANGUAGES:
        raise errors.UsageError(N_("Unknown language “{lang}”: choose uk, ru or en."),
                                lang=lang)
    out_path = Path(out_path)
    if not out_path.name.lower().endswith(".pdf"):
        raise errors.UsageError(N_("The case file must be named FILE.pdf."))
    data_path, sig_path = signing.companion_paths(out_path)
    conn = vault.connect()
    try:
        store = Store(conn, vault.device.id)
        progress(0, 1, "selecting")
        interviews = resolve(store, selection)
        subject = _subject(store, selection)
        total = 2 * len(interviews) + 1
        loader = gather.Loader(store)
        gathered = []
        for n, interview in enumerate(interviews, start=1):
            _check(cancel)
            gathered.append(loader.load(interview))
            progress(n, total, "collecting")
        now = utcnow()
        name_row = conn.execute("SELECT value FROM meta WHERE key = 'vault_name'").fetchone()
        facts = build.Facts(
            id=new_id(), reference=reference or _default_reference(now), title=title,
            generated_at=now, organisation=str(name_row[0]) if name_row else "",
            device_id=vault.device.id, device_fingerprint=vault.device.fingerprint,
            device_public_key=vault.device.public_key.hex())
        view = build.build(gathered, prof, lang, facts, subject)
        _check(cancel)
        data = data_bytes(view)
        data_sha256 = hashlib.sha256(data).hexdigest()
        done = len(interviews)

        def tick(laid_out: int) -> None:
            progress(min(done + laid_out, total - 1), total, "laying out")

        pdf, pages = render.render_pdf(view, data_sha256=data_sha256, data_name=data_path.name,
                                       sig_name=sig_path.name, tick=tick, cancel=cancel)
        pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        key_row = conn.execute(
            "SELECT value FROM local_secret WHERE name = 'device_key'").fetchone()
        sig = signing.sign(signing.statement(
            casefile_id=view.id, reference=view.reference, signed_at=now,
            pdf_sha256=pdf_sha256, data_sha256=data_sha256,
            public_key=vault.device.public_key), bytes(key_row[0]))
        _check(cancel)
        records = view.record_ids()
        summary = {"profile": prof.name, "lang": view.lang, "reference": view.reference,
                   "records": sorted(records),
                   "interviews": [i.id for i in view.interviews],
                   "left_out": [x.id for x in view.left_out],
                   "pdf_sha256": pdf_sha256, "data_sha256": data_sha256}
        targets = [(data_path, data), (out_path, pdf), (sig_path, sig)]
        written = False
        try:
            with db.transaction(conn):
                audit.append(conn, device_id=vault.device.id, actor="local",
                             entity=AUDIT_ENTITY, entity_id=view.id, action=AUDIT_ACTION,
                             summary=summary)
                _write_all(targets)
                written = True
        except BaseException:
            if written:  # the commit failed: the files must not outlive a missing entry
                _remove([path for path, _ in targets])
            raise
    finally:
        conn.close()
    progress(total, total, "done")
    logger.info("case file %s exported: %d interviews, %d left out, %d pages", view.id,
                len(view.interviews), len(view.left_out), pages)
    return CasefileResult(
        pdf_path=out_path, data_path=data_path, sig_path=sig_path, casefile_id=view.id,
        reference=view.reference, pdf_sha256=pdf_sha256, data_sha256=data_sha256, pages=pages,
        interviews=tuple(i.id for i in view.interviews), records=records,
        left_out=view.left_out)


def signature_statement(pdf_path: Path) -> dict[str, str] | None:
    """The signed statement beside a case file, if the signature is valid."""
    _, sig_path = signing.companion_paths(pdf_path)
    try:
        raw = fs.read_limited(sig_path, signing.MAX_SIGNATURE_FILE)
    except OSError:
        return None
    stmt, _ = signing.parse(raw)
    return stmt


def verify_casefile(pdf_path: Path, expected_fingerprint: str = "") -> list[str]:
    """Check the signature and both hashes; returns the problems found (empty when intact)."""
    pdf_path = Path(pdf_path)
    data_path, sig_path = signing.companion_paths(pdf_path)
    problems = [gettext(N_("Missing file: {name}")).format(name=p.name)
                for p in (pdf_path, data_path, sig_path) if not fs.is_regular_file(p)]
    if problems:
        return problems
    try:
        raw = fs.read_limited(sig_path, signing.MAX_SIGNATURE_FILE)
    except OSError:
        return [gettext(N_("The signature file cannot be read."))]
    stmt, problems = signing.parse(raw)
    if stmt is None:
        return problems
    if signing.sha256_file(pdf_path) != stmt["pdf_sha256"]:
        problems.append(gettext(N_("The PDF was changed after it was signed.")))
    if signing.sha256_file(data_path) != stmt["data_sha256"]:
        problems.append(gettext(N_("The data file was changed after it was signed.")))
    if expected_fingerprint and (signing.normalise_fingerprint(expected_fingerprint)
                                 != signing.normalise_fingerprint(stmt["device_fingerprint"])):
        problems.append(gettext(N_("Signed by device {found}, not by the expected device "
                                   "{expected}.")).format(found=stmt["device_fingerprint"],
                                                          expected=expected_fingerprint))
    return problems
