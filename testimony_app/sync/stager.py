"""Verifying a bundle's attachment files and adding them to the blob store, on a helper thread
or in a helper process, while the records merge.

The merge is Python and SQL; checking a file is a Python call per 64 KiB chunk of AEAD. On two
threads of one process they take turns holding the GIL: each chunk waits for the merge to let
go of it, and the two run no faster than one after the other. Large files are therefore
checked in a helper process (``spawn``: a fresh interpreter, nothing inherited but what is
passed), on another core. It gets the bundle's path, the blobs to check (from the signed
manifest, already verified), the import identities (over a pipe, never on disk) and the vault
folder. It opens the bundle itself (the ZIP structure is checked again; every hash is checked
against the manifest, so a file changed in between is refused), writes each file that decrypts
to the signed hashes into the blob store as the thread does (making each durable on a thread of
its own while it checks the next), and reports it back. Messages to
the child: ``("cancel",)``; from it: ``("staged", attachment id, StoredBlob)``, ``("done",)``
or ``("error", TestimonyError)``.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, BinaryIO

from testimony_app import errors
from testimony_app.sync import Cancel, Progress, agefile
from testimony_app.sync import errors as e
from testimony_app.sync import manifest as mf
from testimony_app.sync.ziputil import ZipReader
from testimony_app.vault.blobs import BlobStore, PendingBlob, StoredBlob

# Attachments of at least this many bytes in all are checked in a helper process: below it,
# starting one (a fresh interpreter, a few hundred ms) costs more than it saves.
PROCESS_MIN_BYTES = 128 << 20
_THREADED = 4 << 20  # hash and copy larger blobs on a helper thread


def verify_blob(zr: ZipReader, blob: mf.Blob, identities: list[agefile.Identity],
                payload: BinaryIO, cancel: Cancel) -> agefile.Opened:
    """Decrypt one blob (discarding the plaintext) and copy its payload to ``payload``; every
    size and hash must match the manifest (so the entry's CRC-32 is not checked as well)."""
    opened = agefile.decrypt(zr.open(mf.entry_name(blob.id), check_crc=False), identities,
                             what=f"blob {blob.id}", payload=payload,
                             ciphertext_limit=blob.ciphertext_size, cancel=cancel,
                             threaded=blob.ciphertext_size > _THREADED)
    if (opened.ciphertext_size != blob.ciphertext_size
            or opened.ciphertext_sha256 != blob.ciphertext_sha256):
        raise e.BlobMismatch(blob=blob.id, which="ciphertext SHA-256")
    if opened.plaintext_size != blob.plaintext_size:
        raise e.BlobMismatch(blob=blob.id, which="plaintext size")
    if opened.plaintext_sha256 != blob.plaintext_sha256:
        raise e.BlobMismatch(blob=blob.id, which="plaintext SHA-256")
    return opened


def write_blob(store: BlobStore, zr: ZipReader, blob: mf.Blob,
               identities: list[agefile.Identity], cancel: Cancel
               ) -> tuple[PendingBlob, StoredBlob]:
    """Check one attachment blob into a new blob file, still to be finished (made durable);
    its payload is kept as it came, under the file key its age header wraps (which becomes
    the blob's)."""
    pending, opened = store.write_payload(
        lambda fh: verify_blob(zr, blob, identities, fh, cancel))
    return pending, StoredBlob(pending.name, opened.file_key.hex(), opened.plaintext_size,
                               opened.plaintext_sha256)


def stage_blob(store: BlobStore, zr: ZipReader, blob: mf.Blob,
               identities: list[agefile.Identity], cancel: Cancel) -> StoredBlob:
    """:func:`write_blob`, finished."""
    pending, stored = write_blob(store, zr, blob, identities, cancel)
    pending.finish()  # leaves nothing if it fails
    return stored


class _Finisher:
    """Makes each checked file durable (fsync, rename) on a thread of its own and then
    reports it, while the next file is checked: the disk writes back one file while the CPU
    works on the next. Only this thread reports files; the caller reports the end after
    :meth:`close`."""

    def __init__(self, report: Callable[[str, StoredBlob], None]) -> None:
        self._report = report
        self._queue: queue.Queue[tuple[str, PendingBlob, StoredBlob] | None] = queue.Queue()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bundle-fsync", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            attachment_id, pending, stored = item
            if self.error is not None:  # after an error, what waits is removed, not finished
                pending.discard()
                continue
            try:
                pending.finish()  # leaves nothing if it fails
                self._report(attachment_id, stored)
            except BaseException as exc:
                self.error = exc

    def put(self, attachment_id: str, pending: PendingBlob, stored: StoredBlob) -> None:
        if self.error is not None:
            pending.discard()
            raise self.error
        self._queue.put((attachment_id, pending, stored))

    def close(self, *, discard: bool = False) -> None:
        """Wait for the files queued (removing them instead with ``discard``); raise the
        first error."""
        if discard and self.error is None:
            self.error = errors.Cancelled()
        self._queue.put(None)
        self._thread.join()
        if self.error is not None and not discard:
            raise self.error


# The helper process ---------------------------------------------------------------------------

def _child(conn: Connection, bundle: str, vault_folder: str, blobs: list[mf.Blob],
           secrets: list[str]) -> None:
    """The helper process's work (its target: module-level, so ``spawn`` can import it)."""
    cancelled = False

    def cancel() -> bool:
        nonlocal cancelled
        if not cancelled and conn.poll():
            cancelled = conn.recv() == ("cancel",)
        return cancelled

    try:
        identities = [agefile.parse_identity(s) for s in secrets]
        store = BlobStore(Path(vault_folder))
        finisher = _Finisher(lambda attachment_id, stored: conn.send(
            ("staged", attachment_id, stored)))
        try:
            with ZipReader(Path(bundle), name_ok=mf.is_bundle_entry) as zr:
                for blob in blobs:
                    assert blob.attachment_id is not None  # noqa: S101 - manifest.parse
                    finisher.put(blob.attachment_id,
                                 *write_blob(store, zr, blob, identities, cancel))
        except BaseException:
            finisher.close(discard=True)
            raise
        finisher.close()
        conn.send(("done",))
    except errors.TestimonyError as exc:
        conn.send(("error", exc))
    except BaseException as exc:  # noqa: BLE001 - reported by kind only (no content)
        conn.send(("error", e.StagingFailed(problem=type(exc).__name__)))
    finally:
        conn.close()


class Staged:
    """The attachment parts of a bundle, staged while the records merge (``merge.Staged``).

    :meth:`get` waits for one attachment's file; :meth:`wait` for all of them, raising the
    first staging error (the merge calls it before it commits); :meth:`abort` stops early
    (the merge failed). ``on_staged`` is told the blob name of each file once it is in the
    store (so it can be removed if the import fails).
    """

    _SWITCH_S = 0.001  # threads: the GIL is handed over after this long, not 5 ms

    def __init__(self, store: BlobStore, zr: ZipReader, vault_folder: Path,
                 blobs: Iterable[mf.Blob], identities: list[agefile.Identity],
                 secrets: list[str], *, cancel: Cancel, progress: Progress, done: int,
                 total: int, on_staged: Callable[[str], None]) -> None:
        self._blobs = list(blobs)
        self._expected = {b.attachment_id for b in self._blobs}
        self._sizes = {str(b.attachment_id): b.plaintext_size for b in self._blobs}
        self._cancel, self._progress = cancel, progress
        self._done, self._total = done, total
        self._on_staged = on_staged
        self._staged: dict[str, StoredBlob] = {}
        self._ready = threading.Condition()
        self._finished = not self._blobs
        self._aborted = False
        self.error: BaseException | None = None
        self._process: Any = None
        self._conn: Connection | None = None
        self._switch: float | None = None
        self._thread: threading.Thread | None = None
        if not self._blobs:
            return
        if sum(b.ciphertext_size for b in self._blobs) >= PROCESS_MIN_BYTES:
            self._start_process(zr.path, vault_folder, secrets)
        self._here = (store, zr, identities)
        target = self._run_here if self._process is None else self._listen
        self._thread = threading.Thread(target=target, name="bundle-attachments", daemon=True)
        self._thread.start()

    @property
    def in_process(self) -> bool:
        return self._process is not None

    # where the work is done -------------------------------------------------------------

    def _start_process(self, bundle: Path, vault_folder: Path, secrets: list[str]) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        try:
            args = (child, os.path.abspath(bundle), os.path.abspath(vault_folder), self._blobs,
                    secrets)
            process = context.Process(target=_child, args=args, name="bundle-attachments",
                                      daemon=True)
            process.start()
        except OSError:  # no processes here (a sandbox): the thread does it
            parent.close()
            return
        finally:
            child.close()
        self._process, self._conn = process, parent

    def _run_here(self) -> None:
        """Stage the files not staged yet on this thread (the GIL is handed over sooner)."""
        store, zr, identities = self._here
        with self._ready:
            if self._switch is None:
                self._switch = sys.getswitchinterval()
                sys.setswitchinterval(min(self._switch, self._SWITCH_S))
        try:
            for blob in self._blobs:
                assert blob.attachment_id is not None  # noqa: S101 - manifest.parse
                if blob.attachment_id not in self._staged:
                    self._arrived(blob.attachment_id,
                                  stage_blob(store, zr, blob, identities, self._stopping))
        except BaseException as exc:
            self._fail(exc)
        finally:
            self._finish()

    def _listen(self) -> None:
        conn = self._conn
        assert conn is not None  # noqa: S101 - set with the process
        told = False
        try:
            while True:
                if not told and self._stopping():
                    conn.send(("cancel",))
                    told = True
                if not conn.poll(0.05):
                    continue
                message = conn.recv()
                if message[0] == "staged":
                    self._arrived(message[1], message[2])
                elif message[0] == "error":
                    raise message[1]
                else:
                    break
        except (EOFError, OSError):  # the process ended without a word (could not start?)
            conn.close()
            self._process.join()
            self._run_here()  # what it did not stage, here
            return
        except BaseException as exc:
            self._fail(exc)
        conn.close()
        self._process.join()
        self._finish()

    # bookkeeping ------------------------------------------------------------------------

    def _stopping(self) -> bool:
        return self._aborted or self._cancel()

    def _arrived(self, attachment_id: str, stored: StoredBlob) -> None:
        self._on_staged(stored.blob_name)
        self._done += self._sizes[attachment_id]
        self._progress(self._done, self._total, "importing")  # thread-safe, as ``cancel``
        with self._ready:
            self._staged[attachment_id] = stored
            self._ready.notify_all()

    def _fail(self, exc: BaseException) -> None:
        if isinstance(exc, errors.Cancelled) and self._aborted:
            return  # stopped because the merge failed: its error is the one to report
        self.error = exc

    def _finish(self) -> None:
        with self._ready:
            self._finished = True
            self._ready.notify_all()

    # the merge's side -------------------------------------------------------------------

    def get(self, attachment_id: str) -> StoredBlob | None:
        """The staged file of this attachment (waiting for it), None if the bundle has none."""
        if attachment_id not in self._expected:
            return None
        with self._ready:
            while attachment_id not in self._staged and not self._finished:
                self._ready.wait()
            if attachment_id not in self._staged and self.error is not None:
                raise self.error
            return self._staged.get(attachment_id)

    def wait(self) -> None:
        self.join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        """Stop staging (the merge failed) and wait for the helper to stop."""
        self._aborted = True
        self.join()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._switch is not None:
            sys.setswitchinterval(self._switch)
            self._switch = None
