"""Organisation keys, enrollment files, key rotation and the device registry."""

from __future__ import annotations

import io
import json
import os
import stat

import pyrage
import pytest

from testimony_app.crypto import keys
from testimony_app.services import sync
from testimony_app.sync import envelope, org
from testimony_app.sync import errors as e
from testimony_app.vault import audit
from tests.unit.test_sync_support import (
    add_testimony,
    digest,
    export,
    import_one,
    make_world,
    new_vault,
    read_zip,
    trust,
)


def test_organisation_keys_and_the_escrow_file(tmp_path):
    world = make_world(tmp_path / "w")
    coordinator = world.coordinator
    info = sync.organisation_info(coordinator)
    assert info.organisation.is_coordinator and info.organisation.enrollment_version == 1
    assert {k.kind for k in info.keys} == {"import", "escrow"}
    escrow = (tmp_path / "w" / "escrow.txt")
    assert stat.S_IMODE(escrow.stat().st_mode) == 0o600
    text = escrow.read_text()
    secret = next(line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-1"))
    escrow_key = next(k for k in info.keys if k.kind == "escrow")
    assert f"# public key: {escrow_key.recipient}" in text
    # The escrow secret is not kept in the vault; the import identity and signing key are.
    held = coordinator.conn.execute("SELECT identity FROM sync_org_key WHERE kind = 'escrow'")
    assert held.fetchone()[0] is None
    assert len(org.import_identities(coordinator.conn)) == 1
    assert org.signing_private_key(coordinator.conn)
    # The escrow identity decrypts a bundle (the organisation's offline way in).
    add_testimony(world.field())
    bundle = export(world.field(), tmp_path / "out").read_bytes()
    manifest_age = dict(read_zip(bundle))["manifest.age"]
    out = io.BytesIO()
    pyrage.decrypt_io(io.BytesIO(manifest_age), out, [pyrage.x25519.Identity.from_str(secret)])
    assert json.loads(out.getvalue())["manifest"]["format"] == "testimony-bundle/1"
    # Creating twice, or over an existing escrow file, is refused.
    with pytest.raises(e.AlreadyInOrganisation):
        sync.create_organisation(coordinator, "Again", tmp_path / "escrow2.txt")
    assert not (tmp_path / "escrow2.txt").exists()
    other = new_vault(tmp_path / "other")
    with pytest.raises(e.OutputExists):
        sync.create_organisation(other, "Other", escrow)
    assert sync.organisation_info(other).organisation is None
    other.close()
    world.close()


def test_enrollment_file_is_signed_and_joining_is_checked(tmp_path):
    world = make_world(tmp_path / "w")
    enrolled = sync.read_enrollment(world.enrollment)
    organisation = sync.organisation_info(world.coordinator).organisation
    assert enrolled.fingerprint == organisation.fingerprint and enrolled.version == 1
    assert enrolled.name == "Test organisation"
    field = world.field()
    assert sync.organisation_info(field).organisation.fingerprint == organisation.fingerprint
    assert sync.join(field, enrolled) == "unchanged"
    # Altered content, a changed signature and other formats are refused.
    data = json.loads(world.enrollment.read_bytes())
    data["enrollment"]["recipients"] = sorted(data["enrollment"]["recipients"][:1])
    altered = tmp_path / "altered.tenroll"
    altered.write_bytes(envelope.canonical(data))
    with pytest.raises(e.EnrollmentBadSignature):
        sync.read_enrollment(altered)
    altered.write_bytes(world.enrollment.read_bytes() + b" ")
    with pytest.raises(e.EnrollmentInvalid):
        sync.read_enrollment(altered)
    altered.write_bytes(b"\x00" * 100)
    with pytest.raises(e.EnrollmentInvalid):
        sync.read_enrollment(altered)
    # A name with an escaped lone surrogate (no UTF-8 form) is refused like any bad file.
    name = b'"name":"Test organisation"'
    assert name in world.enrollment.read_bytes()
    altered.write_bytes(world.enrollment.read_bytes().replace(
        name, b'"name":"Test \\ud800organisation"'))
    with pytest.raises(e.EnrollmentInvalid):
        sync.read_enrollment(altered)
    # Another organisation's enrollment file cannot be joined by a member of this one.
    other = make_world(tmp_path / "o", org_name="Other organisation")
    with pytest.raises(e.EnrollmentOtherOrganisation):
        sync.join(field, sync.read_enrollment(other.enrollment))
    with pytest.raises(e.AlreadyInOrganisation):
        sync.join(world.coordinator, enrolled)
    world.close()
    other.close()


def test_key_rotation_versions_and_retired_recipients(tmp_path):
    world = make_world(tmp_path / "w")
    coordinator, field = world.coordinator, world.field()
    old_import = next(k.recipient for k in org.org_keys(coordinator.conn) if k.kind == "import")
    new_import = sync.add_recipient(coordinator)
    outside = pyrage.x25519.Identity.generate().to_public()
    sync.add_recipient(coordinator, str(outside))
    with pytest.raises(e.RecipientInvalid):
        sync.add_recipient(coordinator, "ssh-ed25519 AAAA")
    sync.retire_recipient(coordinator, old_import)
    with pytest.raises(e.LastImportKey):
        sync.retire_recipient(coordinator, new_import)
    with pytest.raises(e.RecipientUnknown):
        sync.retire_recipient(coordinator, old_import)
    assert sync.organisation_info(coordinator).organisation.enrollment_version == 4
    # The field vault still uses version 1: its bundle goes to a retired key and is refused.
    add_testimony(field)
    stale = export(field, tmp_path / "out")
    before = digest(coordinator)
    with pytest.raises(e.RetiredRecipient):
        import_one(coordinator, stale, trust=trust(world))
    assert digest(coordinator) == before
    # With the new enrollment file (version 4) it goes through.
    newer = tmp_path / "v4.tenroll"
    sync.write_enrollment(coordinator, newer)
    assert sync.join(field, sync.read_enrollment(newer)) == "updated"
    with pytest.raises(e.EnrollmentOutdated):
        sync.join(field, sync.read_enrollment(world.enrollment))
    assert sync.organisation_info(field).organisation.enrollment_version == 4
    assert set(org.current_recipients(field.conn)) == set(org.current_recipients(coordinator.conn))
    result = import_one(coordinator, export(field, tmp_path / "out"), trust=trust(world))
    assert result.counts.created > 0
    # The refused bundle 1 never arrived: the coordinator says so.
    assert [n.code for n in result.notices] == ["sequence_gap"]
    assert result.notices[0].params["seq"] == 1
    assert audit.verify(coordinator.conn) == [] and audit.verify(field.conn) == []
    world.close()


def test_unknown_revoked_and_rekeyed_devices(tmp_path):
    world = make_world(tmp_path / "w", "one", "two")
    coordinator, one, two = world.coordinator, world.field("one"), world.field("two")
    add_testimony(one)
    bundle = export(one, tmp_path / "out")
    before = digest(coordinator)
    with pytest.raises(e.UnknownDevice) as refused:
        import_one(coordinator, bundle)
    assert refused.value.params["fingerprint"] == one.device.fingerprint
    assert one.device.fingerprint in refused.value.message()
    with pytest.raises(e.UnknownDevice):  # confirming another fingerprint does not help
        import_one(coordinator, bundle, trust=trust(world, "two"))
    assert digest(coordinator) == before
    # The fingerprint typed in any spacing or case is accepted.
    typed = one.device.fingerprint.replace(" ", "").lower()
    import_one(coordinator, bundle, trust=[typed], label="Оксана")
    listed = {d.id: d for d in sync.list_devices(coordinator)}
    assert listed[one.device.id].label == "Оксана" and listed[one.device.id].status == "trusted"
    sync.label_device(coordinator, one.device.fingerprint, "O-7")
    # Revocation: later bundles are refused, whatever they say.
    add_testimony(two)
    import_one(coordinator, export(two, tmp_path / "out"), trust=trust(world, "two"))
    revoked = sync.revoke_device(coordinator, two.device.id)
    assert revoked.status == "revoked"
    add_testimony(two)
    later = export(two, tmp_path / "out")
    before = digest(coordinator)
    with pytest.raises(e.DeviceRevoked):
        import_one(coordinator, later, trust=trust(world, "two"))
    assert digest(coordinator) == before
    with pytest.raises(e.DeviceUnknown):
        sync.revoke_device(coordinator, "no-such-device")
    # A known device id with another key is refused.
    coordinator.conn.execute("UPDATE device SET public_key = ? WHERE id = ?",
                             (keys.public_bytes(keys.new_signing_key()), one.device.id))
    add_testimony(one)
    with pytest.raises(e.DeviceKeyChanged):
        import_one(coordinator, export(one, tmp_path / "out"))
    world.close()


def test_the_import_identity_file_is_in_age_format(tmp_path):
    world = make_world(tmp_path / "w")
    out = tmp_path / "id.txt"
    assert sync.write_age_identity(world.coordinator, out) == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    lines = out.read_text().splitlines()
    assert any(line.startswith("AGE-SECRET-KEY-1") for line in lines)
    assert all(line.startswith(("#", "AGE-SECRET-KEY-1")) for line in lines)
    with pytest.raises(e.OutputExists):
        sync.write_age_identity(world.coordinator, out)
    with pytest.raises(e.NotCoordinator):
        sync.write_age_identity(world.field(), tmp_path / "f.txt")
    world.close()


def test_age_header_check_refuses_passphrase_files():
    from testimony_app.sync import agefile

    scrypt = pyrage.passphrase.encrypt(b"secret", "pass")
    with pytest.raises(e.AgePassphraseRefused):
        agefile.check_header(io.BytesIO(scrypt), "x")
    with pytest.raises(e.AgeMalformed):
        agefile.check_header(io.BytesIO(b"-----BEGIN AGE ENCRYPTED FILE-----\n"), "x")
    with pytest.raises(e.AgeMalformed):
        agefile.check_header(io.BytesIO(os.urandom(200_000)), "x")
    recipient = pyrage.x25519.Identity.generate().to_public()
    out = io.BytesIO()
    pyrage.encrypt_io(io.BytesIO(b"hi"), out, [recipient, recipient])
    assert agefile.check_header(io.BytesIO(out.getvalue()), "x").count("X25519") == 2
