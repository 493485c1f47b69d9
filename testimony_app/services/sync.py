"""Use cases of organisations, devices, bundles and receipts, shared by the app and the CLI.

Long ones (export, import) take ``progress(done, total, text)`` and ``cancel()``; a cancelled
job leaves nothing behind. They stream and encrypt gigabytes, which must stay off the GUI
thread: the UI calls them from a worker with its own vault connection.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testimony_app import errors, fs, log
from testimony_app.sync import (
    Cancel,
    Progress,
    agefile,
    conflicts,
    devices,
    enrollment,
    exporter,
    importer,
    never_cancel,
    no_progress,
    org,
    purge,
    receipts,
)
from testimony_app.sync import errors as e
from testimony_app.vault.vault import Vault

logger = log.get("services.sync")


@dataclass(frozen=True)
class OrgCreated:
    organisation: org.Organisation
    escrow_recipient: str
    escrow_file: Path


@dataclass(frozen=True)
class OrgInfo:
    organisation: org.Organisation | None
    keys: tuple[org.OrgKey, ...]


@dataclass(frozen=True)
class BundleOutcome:
    """One bundle of a batch import: a result, or the error that refused it."""

    path: Path
    result: importer.Imported | None
    error: errors.TestimonyError | None


def _new_file(path: Path) -> Path:
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise e.OutputExists(path=str(path))
    return path


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Report a failed write (no space, no permission) as the person's file problem."""
    try:
        yield
    except OSError as exc:
        raise errors.FileError(path=str(path), reason=exc.strerror or type(exc).__name__
                               ) from exc


def _read_file(path: Path, limit: int) -> bytes:
    try:
        return fs.read_limited(Path(path), limit)
    except OSError as exc:
        raise errors.FileError(path=str(path), reason=exc.strerror or str(exc)) from exc


# Organisation ---------------------------------------------------------------------------------

def organisation_info(vault: Vault) -> OrgInfo:
    return OrgInfo(org.load(vault.conn), tuple(org.org_keys(vault.conn)))


def create_organisation(vault: Vault, name: str, escrow_out: Path) -> OrgCreated:
    """Create the organisation in this coordinator vault. The escrow identity's secret is
    written once to ``escrow_out`` (a new file, mode 0600) and not kept in the vault."""
    target = _new_file(escrow_out)
    with _writing(target), fs.atomic_writer(target) as fh, vault.transaction():
        created, secret, recipient = org.create(vault.conn, vault.device.id, name)
        fh.write(agefile.identity_file([(secret, recipient, (
            f"Testimony escrow identity of organisation {created.fingerprint}: keep it "
            "offline; it decrypts every bundle"))]))
    logger.info("organisation created %s", created.id)
    return OrgCreated(created, recipient, target)


def write_enrollment(vault: Vault, out: Path) -> enrollment.Enrollment:
    data = enrollment.build(vault.conn)
    with _writing(Path(out)):
        fs.atomic_write(Path(out), data)
    return enrollment.parse(data)


def write_age_identity(vault: Vault, out: Path) -> int:
    """The import identities (current and retired) in age's own format, for audits with the
    age command. Returns how many were written."""
    org.require_coordinator(vault.conn)
    target = _new_file(out)
    identities = org.import_identities(vault.conn)
    with _writing(target):
        fs.atomic_write(target, agefile.identity_file(
            [(secret, recipient, "current" if current else "retired")
             for secret, recipient, current in identities]))
    vault.audit_event("organisation", org.require(vault.conn).id, "age_identity_exported")
    return len(identities)


def add_recipient(vault: Vault, recipient: str | None = None) -> str:
    with vault.transaction():
        return org.add_recipient(vault.conn, vault.device.id, recipient)


def retire_recipient(vault: Vault, recipient: str) -> None:
    with vault.transaction():
        org.retire_recipient(vault.conn, vault.device.id, recipient)


def read_enrollment(path: Path) -> enrollment.Enrollment:
    """Parse an enrollment file to show its organisation and fingerprint before joining."""
    return enrollment.parse(_read_file(path, enrollment.MAX_FILE))


def join(vault: Vault, enrolled: enrollment.Enrollment) -> str:
    with vault.transaction():
        outcome = enrollment.join(vault.conn, vault.device.id, enrolled)
    logger.info("enrollment %s, version %d", outcome, enrolled.version)
    return outcome


# Devices --------------------------------------------------------------------------------------

def list_devices(vault: Vault) -> list[devices.Device]:
    return devices.list_devices(vault.conn)


def revoke_device(vault: Vault, device: str) -> devices.Device:
    with vault.transaction():
        return devices.revoke(vault.conn, vault.device.id, device)


def label_device(vault: Vault, device: str, label: str) -> devices.Device:
    with vault.transaction():
        return devices.set_label(vault.conn, vault.device.id, device, label)


# Bundles --------------------------------------------------------------------------------------

def preview_export(vault: Vault, interview_ids: Iterable[str] | None = None) -> exporter.Plan:
    return exporter.plan(vault, interview_ids)


def export_bundle(vault: Vault, out_dir: Path, *, interview_ids: Iterable[str] | None = None,
                  progress: Progress = no_progress,
                  cancel: Cancel = never_cancel) -> exporter.Exported | None:
    with _writing(Path(out_dir)):
        result = exporter.export_bundle(vault, out_dir, interview_ids=interview_ids,
                                        progress=progress, cancel=cancel)
    if result is not None:
        logger.info("bundle exported %s sequence %d", result.bundle_id, result.sequence)
    return result


def import_bundles(vault: Vault, paths: Sequence[Path], *, trust: Iterable[str] = (),
                   label: str = "", progress: Progress = no_progress,
                   cancel: Cancel = never_cancel) -> list[BundleOutcome]:
    """Import several bundles, each all or nothing; one refused bundle does not stop the
    others (but cancelling does). ``progress`` gets bytes within a bundle ("importing") and
    bundles within the batch ("bundles"); ``cancel`` is also polled from helper threads."""
    org.require_coordinator(vault.conn)
    trusted = list(trust)
    outcomes = []
    for n, path in enumerate(paths):
        progress(n, len(paths), "bundles")
        try:
            result = importer.import_bundle(vault, Path(path), trust=trusted, label=label,
                                            progress=progress, cancel=cancel)
        except errors.Cancelled:
            raise
        except errors.TestimonyError as exc:
            logger.info("bundle refused: %s", exc.code)
            outcomes.append(BundleOutcome(Path(path), None, exc))
            continue
        logger.info("bundle %s %s", result.bundle_id,
                    "already imported" if result.already_imported else "imported")
        outcomes.append(BundleOutcome(Path(path), result, None))
    progress(len(paths), len(paths), "bundles")
    return outcomes


# Receipts and purge ---------------------------------------------------------------------------

def create_receipt(vault: Vault, out: Path, device: str | None = None) -> receipts.Created:
    created = receipts.create(vault, device)
    with _writing(Path(out)):
        fs.atomic_write(Path(out), created.data)
    return created


def apply_receipt(vault: Vault, path: Path) -> receipts.Applied:
    return receipts.apply(vault, _read_file(path, receipts.MAX_RECEIPT))


def purge_candidates(vault: Vault) -> list[purge.Candidate]:
    return purge.candidates(vault)


def purge_delivered(vault: Vault, interview_ids: Iterable[str] | None = None) -> purge.Purged:
    return purge.purge(vault, interview_ids)


# Conflicts ------------------------------------------------------------------------------------

def open_conflicts(vault: Vault) -> list[conflicts.Conflict]:
    return conflicts.list_open(vault)


def resolve_conflict(vault: Vault, conflict_id: str, choice: str,
                     fields: dict[str, Any] | None = None) -> Any:
    return conflicts.resolve(vault, conflict_id, choice, fields)
