"""The sync commands of `testimony`, end to end, and the standard age tool as a second client."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import zipfile

import pytest

from testimony_app import cli, errors
from testimony_app.sync import envelope
from tests.conftest import PASSPHRASE

INTERVIEW = "11111111-1111-4111-8111-111111111111"
DOC = {"format": "testimony-records/1", "records": [
    {"entity": "person", "id": "22222222-2222-4222-8222-222222222222", "surname": "Коваленко",
     "given_name": "Андрій"},
    {"entity": "interview", "id": INTERVIEW, "interviewee_id":
     "22222222-2222-4222-8222-222222222222", "narrative": "Мене тримали в Оленівці"},
    {"entity": "sighting", "interview_id": INTERVIEW, "name_as_heard": "Сашко з Маріуполя",
     "last_seen": "05.2023"},
]}


def run(*args):
    return cli.main([str(a) for a in args])


@pytest.fixture
def setup(tmp_path, capsys):
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n")
    c, f = tmp_path / "coordinator", tmp_path / "field"
    for vault in (c, f):
        assert run("vault", "create", vault, "--passphrase-file", pw) == 0
    assert run("org", "create", c, "--name", "Правозахисна група", "--escrow-out",
               tmp_path / "escrow.txt", "--passphrase-file", pw) == 0
    out = capsys.readouterr().out
    fingerprint = out.split("Organisation fingerprint: ")[1].splitlines()[0]
    assert run("org", "enrollment", c, "--out", tmp_path / "org.tenroll",
               "--passphrase-file", pw) == 0
    assert run("enroll", f, tmp_path / "org.tenroll", "--passphrase-file", pw) == \
        errors.EXIT_USAGE  # no terminal to confirm on, and no --yes
    assert run("enroll", f, tmp_path / "org.tenroll", "--yes", "--passphrase-file", pw) == 0
    out = capsys.readouterr().out
    assert fingerprint in out and "Правозахисна група" in out and "Joined" in out
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(DOC, ensure_ascii=False))
    assert run("records", "add", f, doc, "--passphrase-file", pw) == 0
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(300_000))
    assert run("attach", f, INTERVIEW, photo, "--kind", "photo", "--passphrase-file", pw) == 0
    capsys.readouterr()
    return tmp_path, pw, c, f, photo


def _device_fingerprint(capsys, pw, vault):
    assert run("devices", "list", vault, "--passphrase-file", pw) == 0
    return " ".join(capsys.readouterr().out.split()[:8])


def test_cli_org_enroll_export_import_receipt_purge(setup, capsys):
    tmp, pw, c, f, _ = setup
    field_fpr = _device_fingerprint(capsys, pw, f)
    assert run("export", f, "--out", tmp / "out", "--passphrase-file", pw) == 0
    bundle = capsys.readouterr().out.strip()
    assert bundle.endswith(".tbundle") and os.path.isfile(bundle)
    assert run("import", c, bundle, "--passphrase-file", pw) == errors.EXIT_INVALID_INPUT
    out = capsys.readouterr().out
    assert "refused" in out and field_fpr in out
    assert run("import", c, bundle, "--trust-device", field_fpr, "--label", "I-7",
               "--passphrase-file", pw) == 0
    assert "imported bundle 1 from I-7" in capsys.readouterr().out
    assert run("import", c, bundle, "--passphrase-file", pw) == 0
    assert "already imported" in capsys.readouterr().out
    assert run("devices", "list", c, "--passphrase-file", pw) == 0
    assert "I-7" in capsys.readouterr().out
    assert run("receipt", "create", c, "--out", tmp / "receipt", "--passphrase-file", pw) == 0
    capsys.readouterr()
    assert run("receipt", "apply", f, tmp / "receipt", "--passphrase-file", pw) == 0
    assert "1 delivered interviews can be removed" in capsys.readouterr().out
    assert run("purge", f, "--passphrase-file", pw) == errors.EXIT_USAGE
    assert run("purge", f, "--yes", "--passphrase-file", pw) == 0
    assert "Purged 1 delivered interviews" in capsys.readouterr().out
    assert run("export", f, "--out", tmp / "out", "--passphrase-file", pw) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "Nothing to send" in captured.err
    assert run("devices", "revoke", c, field_fpr, "--passphrase-file", pw) == 0
    assert "revoked" in capsys.readouterr().out
    assert run("receipt", "apply", c, tmp / "receipt", "--passphrase-file", pw) == \
        errors.EXIT_USAGE  # a coordinator does not apply receipts
    assert run("vault", "verify", c, "--passphrase-file", pw) == 0


def test_cli_key_rotation(setup, capsys):
    tmp, pw, c, f, _ = setup
    assert run("org", "add-recipient", c, "--passphrase-file", pw) == 0
    assert "enrollment version 2" in capsys.readouterr().out
    assert run("org", "recipients", c, "--passphrase-file", pw) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "import" in line]
    first = lines[0].split()[0]
    assert run("org", "retire-recipient", c, first, "--passphrase-file", pw) == 0
    assert "retired" in capsys.readouterr().out
    assert run("org", "enrollment", c, "--out", tmp / "v3.tenroll", "--passphrase-file", pw) == 0
    assert run("enroll", f, tmp / "v3.tenroll", "--yes", "--passphrase-file", pw) == 0
    assert "Updated to enrollment version 3" in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("age") is None,
                    reason="the age command is not installed (Debian package `age`)")
def test_the_age_command_decrypts_every_part_of_a_bundle(setup, capsys):
    tmp, pw, c, f, photo = setup
    assert run("export", f, "--out", tmp / "out", "--passphrase-file", pw) == 0
    bundle = capsys.readouterr().out.strip()
    assert run("org", "age-identity", c, "--out", tmp / "org-key.txt",
               "--passphrase-file", pw) == 0
    unpacked = tmp / "unpacked"
    with zipfile.ZipFile(bundle) as zf:
        assert zf.testzip() is None
        zf.extractall(unpacked)

    def age(path):
        done = subprocess.run(["age", "-d", "-i", str(tmp / "org-key.txt"), str(path)],
                              capture_output=True, check=True, timeout=60)
        return done.stdout

    signed = json.loads(age(unpacked / "manifest.age"))
    manifest = signed["manifest"]
    assert manifest["format"] == "testimony-bundle/1"
    assert envelope.canonical(signed) == age(unpacked / "manifest.age")
    for blob in manifest["blobs"]:
        plain = age(unpacked / "blobs" / f"{blob['id']}.age")
        assert len(plain) == blob["plaintext_size"]
        assert hashlib.sha256(plain).hexdigest() == blob["plaintext_sha256"]
        if blob["role"] == "attachment":
            assert plain == photo.read_bytes()
        else:
            lines = gzip.decompress(plain).decode("utf-8").splitlines()
            assert all(json.loads(line) for line in lines)
            if blob["role"] == "records":
                assert any("Оленівці" in line for line in lines)
    # The escrow identity, kept offline, opens it too.
    escrow = subprocess.run(["age", "-d", "-i", str(tmp / "escrow.txt"),
                             str(unpacked / "manifest.age")], capture_output=True, check=True)
    assert json.loads(escrow.stdout) == signed
