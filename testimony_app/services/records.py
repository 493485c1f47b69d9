"""The records JSON document: create or update records in one transaction, or dump them.

Format (docs/records-json.md): ``{"format": "testimony-records/1", "records": [{"entity":
"person", "id": "...", ...fields}]}``. A record whose id exists is updated with the fields
given; one that does not is created. The whole document is applied or nothing is.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from testimony_app import errors
from testimony_app.domain import codec
from testimony_app.domain.base import SYSTEM_FIELDS, Record
from testimony_app.domain.evidence import Attachment, CustodyEvent
from testimony_app.domain.registry import BY_NAME, ENTITIES
from testimony_app.i18n import N_, gettext
from testimony_app.vault.vault import Vault

FORMAT = "testimony-records/1"
# Made by the app itself (ingest, custody), not by a records document.
NOT_IMPORTABLE = frozenset({Attachment.entity, CustodyEvent.entity})
# Internal to the vault: never written out.
NOT_DUMPED = frozenset({"file_key", "blob_name"})
MAX_DOCUMENT = 64 * 1024 * 1024


@dataclasses.dataclass(frozen=True)
class ApplyResult:
    created: int
    updated: int
    unchanged: int


def _invalid(where: str, msgid: str, **params: Any) -> errors.InvalidRecords:
    return errors.InvalidRecords(where=where, problem=gettext(msgid).format(**params))


def parse_document(raw: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(raw.decode("utf-8"))
        # An escaped lone surrogate (\ud800) reads as text with no UTF-8 form: refused here,
        # not when the vault stores it.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError) as exc:
        raise _invalid("document", N_("not valid JSON (UTF-8)")) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _invalid("document", N_("the \"format\" must be \"{format}\""), format=FORMAT)
    records = data.get("records")
    if not isinstance(records, list):
        raise _invalid("document", N_("\"records\" must be a list"))
    for i, item in enumerate(records):
        if not isinstance(item, dict):
            raise _invalid(f"records[{i}]", N_("expected an object"))
        entity = item.get("entity")
        if entity not in BY_NAME or entity in NOT_IMPORTABLE:
            raise _invalid(f"records[{i}].entity", N_("unknown entity “{entity}”"),
                           entity=str(entity)[:40])
    return records


def apply_document(vault: Vault, raw: bytes) -> ApplyResult:
    items = parse_document(raw)
    order = {cls.entity: n for n, cls in enumerate(ENTITIES)}
    indexed = sorted(enumerate(items), key=lambda p: (order[p[1]["entity"]], p[0]))
    created = updated = unchanged = 0
    with vault.transaction() as store:
        for i, item in indexed:
            where = f"records[{i}]"
            cls = BY_NAME[item["entity"]]
            fields = {k: v for k, v in item.items() if k != "entity"}
            expected_rev = fields.pop("rev", None)
            for name in SYSTEM_FIELDS - {"id"}:
                fields.pop(name, None)
            record_id = fields.get("id")
            existing = store.find(cls, record_id, include_deleted=True) if isinstance(
                record_id, str) else None
            if existing is None:
                store.add(codec.from_dict(cls, fields, where))
                created += 1
                continue
            if expected_rev is not None and expected_rev != existing.rev:
                raise errors.StaleRecord(entity=cls.entity, id=existing.id)
            merged = {**codec.to_dict(existing), **fields}
            for name in SYSTEM_FIELDS:
                merged.pop(name, None)
            candidate: Record = dataclasses.replace(
                codec.from_dict(cls, merged, where), id=existing.id, rev=existing.rev,
                created_at=existing.created_at, updated_at=existing.updated_at,
                origin_device=existing.origin_device, deleted_at=existing.deleted_at)
            if candidate == existing:
                unchanged += 1
                continue
            store.update(candidate)
            updated += 1
    return ApplyResult(created, updated, unchanged)


def dump_document(vault: Vault) -> dict[str, Any]:
    records: list[dict[str, Any]] = []
    for cls in ENTITIES:
        for record in vault.store.list(cls):
            data = {"entity": cls.entity, **codec.to_dict(record)}
            for name in NOT_DUMPED:
                data.pop(name, None)
            records.append(data)
    return {"format": FORMAT, "vault_id": vault.header.vault_id, "records": records}
