"""Nothing a person typed, and no attachment byte, is ever on disk in plaintext.

Distinct markers go into every text field of every entity, the vault name, the passphrase and
an attachment; the vault is used (edits, search, verify) and scanned while its WAL is still
unmerged, then again after it is closed. Every file under the vault, the temp folder and the
app's config and data folders is searched for every marker, in UTF-8 and UTF-16.
"""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
from pathlib import Path

from testimony_app import config
from testimony_app.crypto.kdf import Argon2Params
from testimony_app.domain import codec
from testimony_app.domain.base import Value
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.domain.interview import CaptureEvent
from testimony_app.domain.registry import ENTITIES
from testimony_app.services import attachments, records, vaults
from testimony_app.vault import text_index
from testimony_app.vault.vault import Vault
from tests.factory import add_testimony

PREFIX = "PLAINMARK"
# Fields the app itself needs intact to work; they hold keys, names of blobs and hashes.
MACHINE_FIELDS = {"file_key", "blob_name", "sha256", "hash_observed"}


def _marker(*parts: str) -> str:
    return f"{PREFIX}-{'-'.join(parts)}-Свідчення"


def _marked_value(cls: type[Value], where: str) -> Value:
    changes = {}
    for s in codec.specs(cls):
        if s.kind == codec.STR and not s.vocab:
            changes[s.name] = _marker(where, s.name)
    return cls(**changes, **{s.name: s.default for s in codec.specs(cls)
                             if s.required and s.vocab})  # type: ignore[arg-type]


def _marked(record, markers: list[str]):
    changes = {}
    for s in codec.user_fields(type(record)):
        if s.name in MACHINE_FIELDS or s.ref or s.vocab:
            continue
        if s.kind == codec.STR:
            changes[s.name] = _marker(record.entity, s.name)
        elif s.kind == codec.STRS:
            changes[s.name] = (_marker(record.entity, s.name),)
        elif s.kind == codec.VALUES and s.value_type is not None:
            value = getattr(record, s.name)
            template = value[0] if value else None
            if template is None:
                continue
            new_items = []
            for item in value:
                item_changes = {v.name: _marker(record.entity, s.name, v.name)
                                for v in codec.specs(type(item))
                                if v.kind == codec.STR and not v.vocab}
                new_items.append(dataclasses.replace(item, **item_changes))
            changes[s.name] = tuple(new_items)
    markers.extend(_flatten(changes))
    return dataclasses.replace(record, **changes)


def _flatten(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [m for v in value.values() for m in _flatten(v)]
    if isinstance(value, tuple | list):
        return [m for v in value for m in _flatten(v)]
    if dataclasses.is_dataclass(value):
        return _flatten(codec.to_dict(value))
    return []


def _scan(roots: list[Path], needles: list[str]) -> list[str]:
    patterns = set()
    for n in needles:
        patterns.add(n.encode("utf-8"))
        patterns.add(n.encode("utf-16-le"))
    patterns.add(PREFIX.encode())
    hits = []
    for root in roots:
        if not root.exists():
            continue
        for path in [root, *root.rglob("*")]:
            if path.is_file():
                data = path.read_bytes()
                hits += [f"{path}: {p[:30]!r}" for p in patterns if p in data]
    return hits


def test_no_marker_reaches_the_disk(tmp_path):
    passphrase = _marker("passphrase")
    vault_dir = tmp_path / "vault"
    created = Vault.create(vault_dir, passphrase, name=_marker("vault", "name"),
                           kdf_params=Argon2Params.floor())
    vault = created.vault
    markers = [passphrase, _marker("vault", "name"), created.recovery_code]
    with vault.transaction() as store:
        t = add_testimony(store)
        store.add(CaptureEvent(person_id=t["person"].id, interview_id=t["interview"].id))
    attachment_bytes = (_marker("attachment", "content") + "\n").encode() * 5000
    markers.append(_marker("attachment", "content"))
    attachments.add_attachment(vault, t["interview"].id, io.BytesIO(attachment_bytes),
                               filename=_marker("file") + ".jpg", kind="photo")
    markers.append(_marker("file"))

    # Every record of every entity gets markers in every text field (seen before a checkpoint).
    seen_entities = set()
    with vault.transaction() as store:
        for cls in ENTITIES:
            for record in store.list(cls):
                seen_entities.add(cls)
                marked = _marked(record, markers)
                if cls is CustodyEvent:
                    # custody events are append-only: a new one with markers
                    store.add(dataclasses.replace(marked, id=CustodyEvent().id, rev=0))
                else:
                    store.update(marked)
    assert seen_entities == set(ENTITIES), "every entity must be exercised"
    assert Attachment in seen_entities
    # Use it: search, verify, re-read the attachment (decrypts in memory only).
    assert text_index.search(vault.conn, PREFIX)
    assert vaults.verify(vault) == []
    att = vault.store.list(Attachment)[0]
    with vault.blobs.reader(att.blob_name, att.file_key) as reader:
        assert reader.read() == attachment_bytes
    assert records.dump_document(vault)["records"]

    roots = [vault_dir, Path(tempfile.gettempdir()), config.config_dir(), config.data_dir()]
    canary = tmp_path / "canary" / "leak.txt"
    canary.parent.mkdir()
    canary.write_text(f"x {_marker('interview', 'narrative')} y", encoding="utf-16-le")
    assert _scan([canary.parent], markers), "the scan itself must be able to find a leak"
    assert (vault_dir / "vault.db-wal").exists(), "scan must include an unmerged WAL"
    assert _scan(roots, markers) == []
    vault.close()
    assert _scan(roots, markers) == []
    # The markers really are in the vault: the scan would have found them in plaintext.
    with Vault.open(vault_dir, passphrase) as again:
        dumped = str(records.dump_document(again))
        assert _marker("interview", "narrative") in dumped
        assert _marker("person", "names", "full") in dumped
        assert os.path.getsize(vault_dir / "vault.db") > 0
