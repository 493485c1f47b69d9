"""Bad input gets a specific error and changes nothing (or the damage is reported exactly)."""

from __future__ import annotations

import hashlib
import io
import json
import random

import pytest

from testimony_app import errors
from testimony_app.domain.evidence import Attachment
from testimony_app.services import attachments, records, vaults
from testimony_app.vault.vault import Vault
from tests.conftest import PASSPHRASE
from tests.factory import add_testimony


def snapshot(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def filled(vault, vault_dir):
    with vault.transaction() as store:
        t = add_testimony(store)
    attachments.add_attachment(vault, t["interview"].id, io.BytesIO(b"photo " * 50_000),
                               filename="injury.jpg", kind="photo")
    vault.close()
    return vault_dir


def test_wrong_passphrase_changes_nothing(filled):
    before = snapshot(filled)
    with pytest.raises(errors.WrongPassphrase) as info:
        Vault.open(filled, "not the passphrase")
    assert "Wrong passphrase" in info.value.message()
    assert snapshot(filled) == before


@pytest.mark.parametrize("damage", [
    "truncated", "garbage", "not_an_object", "no_slots", "bad_base64", "bad_vault_id",
    "wrong_format",
])
def test_damaged_header_is_reported(filled, damage):
    path = filled / "vault.json"
    text = path.read_text()
    data = json.loads(text)
    if damage == "truncated":
        path.write_text(text[: len(text) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00\xff" * 100)
    elif damage == "not_an_object":
        path.write_text("[1, 2]")
    elif damage == "no_slots":
        data["slots"] = []
        path.write_text(json.dumps(data))
    elif damage == "bad_base64":
        data["slots"][0]["nonce"] = "@@@"
        path.write_text(json.dumps(data))
    elif damage == "bad_vault_id":
        data["vault_id"] = "x"
        path.write_text(json.dumps(data))
    elif damage == "wrong_format":
        data["format"] = "something-else"
        path.write_text(json.dumps(data))
    before = snapshot(filled)
    with pytest.raises(errors.VaultHeaderDamaged) as info:
        Vault.open(filled, PASSPHRASE)
    assert "vault.json" in info.value.message()
    assert snapshot(filled) == before


def test_missing_vault_is_reported(tmp_path):
    with pytest.raises(errors.VaultNotFound):
        Vault.open(tmp_path, PASSPHRASE)


def test_truncated_database_is_reported(filled):
    db = filled / "vault.db"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    before = snapshot(filled)
    with pytest.raises(errors.VaultDatabaseDamaged) as info:
        Vault.open(filled, PASSPHRASE)
    assert "vault.db" in info.value.message()
    assert snapshot(filled) == before


@pytest.mark.parametrize("seed", range(8))
def test_bit_flipped_database_is_refused_or_reported(filled, seed):
    db = filled / "vault.db"
    data = bytearray(db.read_bytes())
    rng = random.Random(seed)
    position = rng.randrange(len(data))
    data[position] ^= 1 << rng.randrange(8)
    db.write_bytes(bytes(data))
    before = snapshot(filled)
    try:
        vault = Vault.open(filled, PASSPHRASE)
    except errors.VaultDatabaseDamaged:
        pass
    else:
        with vault:
            problems = vaults.verify(vault)
        assert any(p.startswith("database") for p in problems), problems
    assert snapshot(filled) == before


def test_tampered_blob_is_reported(filled):
    blob = next(p for p in (filled / "blobs").iterdir())
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0x40
    blob.write_bytes(bytes(data))
    with Vault.open(filled, PASSPHRASE) as vault:
        problems = vaults.verify(vault)
        assert len(problems) == 1 and problems[0].endswith(": damaged")
        a = vault.store.list(Attachment)[0]
        with pytest.raises(errors.BlobDamaged):
            vault.blobs.export(a.blob_name, a.file_key, io.BytesIO())


def test_missing_blob_is_reported(filled):
    next(p for p in (filled / "blobs").iterdir()).unlink()
    with Vault.open(filled, PASSPHRASE) as vault:
        problems = vaults.verify(vault)
    assert len(problems) == 1 and problems[0].endswith(": missing")


def test_vault_from_a_newer_header_version_is_refused_untouched(filled):
    data = json.loads((filled / "vault.json").read_text())
    data["version"] = 99
    (filled / "vault.json").write_text(json.dumps(data))
    before = snapshot(filled)
    with pytest.raises(errors.VaultTooNew) as info:
        Vault.open(filled, PASSPHRASE)
    assert "99" in info.value.message()
    assert snapshot(filled) == before


def test_vault_from_a_newer_schema_is_refused_untouched(filled):
    with Vault.open(filled, PASSPHRASE) as vault:
        vault.conn.execute("PRAGMA user_version = 99")
    before = snapshot(filled)
    with pytest.raises(errors.VaultTooNew):
        Vault.open(filled, PASSPHRASE)
    assert snapshot(filled) == before


def _doc(*recs):
    return json.dumps({"format": records.FORMAT, "records": list(recs)}).encode()


MALFORMED = {
    "not_json": (b"{not json", "not valid JSON"),
    # an escaped lone surrogate is valid JSON but text with no UTF-8 form
    "lone_surrogate": (_doc({"entity": "site", "canonical_name": "Olenivka \ud800"}),
                       "not valid JSON"),
    "wrong_format": (json.dumps({"format": "x", "records": []}).encode(), "format"),
    "records_not_list": (json.dumps({"format": records.FORMAT, "records": {}}).encode(), "list"),
    "unknown_entity": (_doc({"entity": "spaceship"}), "unknown entity"),
    "unknown_field": (_doc({"entity": "person", "favourite_colour": "x"}), "unknown field"),
    "bad_date": (_doc({"entity": "person", "birth_date": "31.02.1985"}), "31.02.1985"),
    "bad_vocab": (_doc({"entity": "interview", "mode": "carrier_pigeon"}), "carrier_pigeon"),
    "wrong_type": (_doc({"entity": "person", "surname": 7}), "wrong type"),
    "dangling_ref": (_doc({"entity": "sighting", "name_as_heard": "x",
                           "interview_id": "00000000-0000-4000-8000-000000000000"}),
                     "interview"),
    "missing_required": (_doc({"entity": "site"}), "required"),
    "latitude_out_of_range": (_doc({"entity": "site", "canonical_name": "x", "latitude": 95}),
                              "95 is not between -90 and 90"),
    "longitude_out_of_range": (_doc({"entity": "site", "canonical_name": "x",
                                     "longitude": -181.5}), "-181.5 is not between -180 and 180"),
    "attachment_entity": (_doc({"entity": "attachment"}), "unknown entity"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_records_change_nothing(filled, case):
    raw, expected = MALFORMED[case]
    before = snapshot(filled)
    with Vault.open(filled, PASSPHRASE) as vault:
        dump_before = records.dump_document(vault)
        good = {"entity": "person", "surname": "Valid one that must not be kept"}
        doc = raw if case in ("not_json", "wrong_format", "records_not_list",
                              "lone_surrogate") else _doc(
            good, *json.loads(raw)["records"])
        with pytest.raises(errors.InvalidRecords) as info:
            records.apply_document(vault, doc)
        assert expected in info.value.message()
        assert records.dump_document(vault) == dump_before
    assert snapshot(filled) == before
