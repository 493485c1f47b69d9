"""Bundles that are correctly signed by an enrolled, trusted device, but whose content is not
acceptable: refused as a whole, with nothing changed in the coordinator's vault."""

from __future__ import annotations

import copy
import hashlib
import zlib
from pathlib import Path

import pytest

from testimony_app.domain.detention import Site
from testimony_app.domain.evidence import Attachment
from testimony_app.sync import envelope, importer, payload
from testimony_app.sync import errors as e
from testimony_app.vault import audit
from tests.unit.test_sync_support import (
    add_testimony,
    digest,
    export,
    forge,
    import_one,
    make_world,
    transit_records,
    trust,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    made = make_world(tmp_path_factory.mktemp("semantics") / "w", "one", "two")
    one, two = made.field("one"), made.field("two")
    made.one_records = add_testimony(one, attachment=b"photo bytes" * 100)
    add_testimony(two)
    import_one(made.coordinator, export(one, made.root / "out"), trust=trust(made, "one"))
    import_one(made.coordinator, export(two, made.root / "out"), trust=trust(made, "two"))
    yield made
    made.close()


def _lines(vault) -> list[dict]:
    return [line for line in transit_records(vault).values()]


def _refuse(world, tmp_path: Path, data: bytes, expected: type[Exception]) -> Exception:
    path = tmp_path / "forged.tbundle"
    path.write_bytes(data)
    before = digest(world.coordinator)
    with pytest.raises(expected) as refused:
        importer.import_bundle(world.coordinator, path)
    assert digest(world.coordinator) == before
    assert audit.verify(world.coordinator.conn) == []
    return refused.value


def test_a_forged_bundle_with_honest_content_is_accepted(world, tmp_path):
    lines = [line for line in _lines(world.field("two"))]
    path = tmp_path / "ok.tbundle"
    path.write_bytes(forge(world.coordinator, world.field("two"), lines, sequence=5))
    result = importer.import_bundle(world.coordinator, path)
    assert result.counts.unchanged == len(lines)  # the helper itself makes valid bundles
    assert [n.code for n in result.notices][:1] == ["sequence_gap"]


def test_records_claiming_or_taking_another_devices_records(world, tmp_path):
    one, two = world.field("one"), world.field("two")
    claimed = copy.deepcopy(_lines(one)[0])  # one's record, sent by two
    _refuse(world, tmp_path, forge(world.coordinator, two, [claimed]), e.ForeignRecord)
    taken = dict(claimed, origin_device=two.device.id, rev=claimed["rev"] + 5)
    _refuse(world, tmp_path, forge(world.coordinator, two, [taken]), e.ForeignRecord)
    template = _lines(two)[0]
    other_kind = {**payload.transit(Site(canonical_name="Тестове місце")),
                  **{k: template[k] for k in ("rev", "created_at", "updated_at")},
                  "id": claimed["id"], "origin_device": two.device.id}
    _refuse(world, tmp_path, forge(world.coordinator, two, [other_kind]),
            e.BundleRecordInvalid)


def test_invalid_records_and_references(world, tmp_path):
    two = world.field("two")
    lines = _lines(two)
    interview = next(line for line in lines if line["entity"] == "interview")
    bad_vocab = dict(interview, mode="not-a-mode", rev=interview["rev"] + 1)
    _refuse(world, tmp_path, forge(world.coordinator, two, [bad_vocab]), e.BundleRecordInvalid)
    unknown = dict(interview, colour="blue")
    _refuse(world, tmp_path, forge(world.coordinator, two, [unknown]), e.BundleRecordInvalid)
    dangling = dict(interview, id="33333333-3333-4333-8333-333333333333",
                    interviewee_id="44444444-4444-4444-8444-444444444444")
    _refuse(world, tmp_path, forge(world.coordinator, two, [dangling]), e.DanglingReference)
    twice = forge(world.coordinator, two, [interview, interview])
    _refuse(world, tmp_path, twice, e.BundleRecordInvalid)
    local_date = dict(interview, id="55555555-5555-4555-8555-555555555555")
    sighting = next(line for line in lines if line["entity"] == "sighting")
    not_canonical = dict(sighting, id="66666666-6666-4666-8666-666666666666",
                         last_seen="05.2023", interview_id=local_date["id"])
    _refuse(world, tmp_path, forge(world.coordinator, two, [local_date, not_canonical]),
            e.BundleRecordInvalid)
    bad_time = dict(interview, id="77777777-7777-4777-8777-777777777777", created_at="today")
    _refuse(world, tmp_path, forge(world.coordinator, two, [bad_time]), e.BundleRecordInvalid)


def test_attachments_without_their_file_or_with_another(world, tmp_path):
    two = world.field("two")
    lines = _lines(two)
    interview = next(line for line in lines if line["entity"] == "interview")
    attachment = payload.transit(Attachment(interview_id=interview["id"], kind="photo"))
    data = b"evidence" * 50
    attachment.update(id="88888888-8888-4888-8888-888888888888", rev=1,
                      origin_device=two.device.id, created_at=interview["created_at"],
                      updated_at=interview["created_at"], size_bytes=len(data),
                      sha256=hashlib.sha256(data).hexdigest())
    _refuse(world, tmp_path, forge(world.coordinator, two, [attachment]),
            e.AttachmentBlobMissing)
    _refuse(world, tmp_path, forge(world.coordinator, two, [attachment],
                                   files={attachment["id"]: b"other bytes"}),
            e.AttachmentChanged)
    _refuse(world, tmp_path, forge(world.coordinator, two, [], files={attachment["id"]: data}),
            e.BundleRecordInvalid)
    leaked = dict(attachment, file_key="00" * 16)
    _refuse(world, tmp_path, forge(world.coordinator, two, [leaked],
                                   files={attachment["id"]: data}), e.BundleRecordInvalid)


def test_audit_entries_must_be_the_senders_and_intact(world, tmp_path):
    two = world.field("two")
    entries = [payload.audit_line(a) for a in audit.entries(two.conn)]
    altered = [dict(entries[-1], action="delete")]
    _refuse(world, tmp_path, forge(world.coordinator, two, [], audit_lines=altered),
            e.AuditEntryInvalid)
    one = world.field("one")
    foreign = [payload.audit_line(audit.entries(one.conn)[-1])]
    _refuse(world, tmp_path, forge(world.coordinator, two, [], audit_lines=foreign),
            e.AuditEntryInvalid)


def test_decompression_bombs_and_broken_gzip(world, tmp_path):
    two = world.field("two")
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = z.compress(b"a" * (20 << 20)) + z.flush()  # one 20 MB "line"
    assert len(bomb) < 100_000
    _refuse(world, tmp_path, forge(world.coordinator, two, [], raw_records=bomb),
            e.BundleTooLarge)
    good = payload.compress_lines(_lines(two))[0]
    for raw in (good[:-10], good + good, b"not gzip at all"):
        _refuse(world, tmp_path, forge(world.coordinator, two, [], raw_records=raw),
                e.BundleRecordInvalid)



def _gzip(*lines: bytes) -> bytes:
    z = zlib.compressobj(6, zlib.DEFLATED, 31)
    return z.compress(b"".join(line + b"\n" for line in lines)) + z.flush()


def test_record_lines_must_be_their_canonical_json(world, tmp_path):
    """A record's line is hashed as it came (its content hash), so there is one encoding of
    each: a line that reads as a valid record but is not byte for byte its canonical JSON is
    refused, and so is one that is not JSON."""
    two = world.field("two")
    record = next(line for line in _lines(two) if line["entity"] == "person")
    text = envelope.canonical(record).decode("utf-8")
    rev = f'"rev":{record["rev"]}'
    letter = next(ch for ch in text if "\u0400" <= ch <= "\u04ff")  # a Cyrillic letter
    not_canonical = {
        "a space": text.replace(",", ", ", 1),
        "keys out of order": "{" + rev + "," + text[1:].replace("," + rev, "", 1),
        "a duplicate key": text[:-1] + "," + rev + "}",
        "an escaped Latin letter": text.replace('"entity"', '"\\u0065ntity"', 1),
        "an escaped Cyrillic letter": text.replace(letter, f"\\u{ord(letter):04x}", 1),
        "a lone surrogate": text.replace(letter, "\\ud800", 1),
    }
    not_json = {
        "invalid UTF-8": text.encode().replace(letter.encode(), b"\xff", 1),
        "a float": text.replace(rev, '"rev":1.0', 1).encode(),
        "NaN": text.replace(rev, '"rev":NaN', 1).encode(),
        "cut short": text[:-1].encode(),
    }
    cases = [(what, v.encode(), "not canonical JSON") for what, v in not_canonical.items()]
    cases += [(what, raw, "not JSON") for what, raw in not_json.items()]
    for what, raw, problem in cases:
        bundle = forge(world.coordinator, two, [], raw_records=_gzip(raw))
        refused = _refuse(world, tmp_path, bundle, e.BundleRecordInvalid)
        assert refused.params["problem"] == problem, what
