"""The `testimony` command: the contract scripts rely on (exit codes, one-line errors)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from testimony_app import cli, errors
from tests.conftest import PASSPHRASE, REPO

INTERVIEW = "11111111-1111-4111-8111-111111111111"
DOC = {"format": "testimony-records/1", "records": [
    {"entity": "person", "id": "22222222-2222-4222-8222-222222222222", "surname": "Коваленко",
     "given_name": "Андрій", "birth_date": "1985",
     "names": [{"full": "Андрій Коваленко", "script": "Cyrl", "language": "uk"}]},
    {"entity": "interview", "id": INTERVIEW, "interviewee_id":
     "22222222-2222-4222-8222-222222222222", "narrative": "Мене тримали в Оленівці",
     "mode": "in_person", "languages": ["uk"]},
    {"entity": "sighting", "interview_id": INTERVIEW, "name_as_heard": "Сашко з Маріуполя",
     "last_seen": "05.2023", "condition": "alive_apparently_well"},
]}


@pytest.fixture
def files(tmp_path):
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n")
    doc = tmp_path / "records.json"
    doc.write_text(json.dumps(DOC, ensure_ascii=False))
    return tmp_path, pw, doc


def run(*args):
    return cli.main([str(a) for a in args])


def test_full_cli_workflow(files, capsys):
    tmp, pw, doc = files
    v = tmp / "vault"
    assert run("vault", "create", v, "--passphrase-file", pw, "--name", "Kyiv") == 0
    out = capsys.readouterr().out
    code = re.search(r"^\s+([A-Z2-7]{4}(?:-[A-Z2-7]{4}){7})$", out, re.M).group(1)
    assert "Device fingerprint:" in out and "Vault id:" in out
    assert run("records", "add", v, doc, "--passphrase-file", pw) == 0
    assert "3 created" in capsys.readouterr().out
    # Re-adding the same document with ids changes nothing but the id-less sighting.
    assert run("records", "add", v, doc, "--passphrase-file", pw) == 0
    assert "2 unchanged" in capsys.readouterr().out
    photo = tmp / "photo.jpg"
    photo.write_bytes(os.urandom(200_000))
    assert run("attach", v, INTERVIEW, photo, "--kind", "photo", "--passphrase-file", pw) == 0
    capsys.readouterr()
    assert run("vault", "verify", v, "--passphrase-file", pw) == 0
    assert run("records", "dump", v, "--passphrase-file", pw) == errors.EXIT_USAGE
    assert "--plaintext" in capsys.readouterr().err
    assert run("records", "dump", v, "--plaintext", "--passphrase-file", pw) == 0
    dumped = json.loads(capsys.readouterr().out)
    narratives = [r["narrative"] for r in dumped["records"] if r["entity"] == "interview"]
    assert narratives == ["Мене тримали в Оленівці"]
    assert all("file_key" not in r for r in dumped["records"])
    # passwd, then recover with the code shown at creation
    new_pw = tmp / "new"
    new_pw.write_text("second passphrase here")
    assert run("vault", "passwd", v, "--passphrase-file", pw,
               "--new-passphrase-file", new_pw) == 0
    assert run("vault", "verify", v, "--passphrase-file", pw) == errors.EXIT_AUTH
    code_file = tmp / "code"
    code_file.write_text(code)
    assert run("vault", "recover", v, "--recovery-code-file", code_file,
               "--new-passphrase-file", pw) == 0
    assert run("vault", "verify", v, "--passphrase-file", pw) == 0
    assert run("vault", "info", v) == 0
    assert "Argon2id" in capsys.readouterr().out


def test_passphrase_from_a_file_descriptor(files):
    tmp, pw, _ = files
    read_fd, write_fd = os.pipe()
    os.write(write_fd, PASSPHRASE.encode())
    os.close(write_fd)
    try:
        assert run("vault", "create", tmp / "v", "--passphrase-fd", read_fd) == 0
    finally:
        os.close(read_fd)
    assert run("vault", "verify", tmp / "v", "--passphrase-file", pw) == 0


def test_verify_lists_problems_and_exits_1(files, capsys):
    tmp, pw, doc = files
    v = tmp / "v"
    run("vault", "create", v, "--passphrase-file", pw)
    run("records", "add", v, doc, "--passphrase-file", pw)
    photo = tmp / "p"
    photo.write_bytes(b"x" * 100_000)
    run("attach", v, INTERVIEW, photo, "--passphrase-file", pw)
    blob = next((v / "blobs").iterdir())
    blob.write_bytes(blob.read_bytes()[:-5])
    capsys.readouterr()
    assert run("vault", "verify", v, "--passphrase-file", pw) == errors.EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert "damaged" in out and "1 problem found." in out


@pytest.mark.parametrize("lang,expected", [("en", "Wrong passphrase"),
                                           ("uk", "Неправильна парольна фраза"),
                                           ("ru", "Неверная парольная фраза")])
def test_errors_are_one_translated_line(files, capsys, lang, expected):
    tmp, pw, _ = files
    run("vault", "create", tmp / "v", "--passphrase-file", pw)
    bad = tmp / "bad"
    bad.write_text("wrong wrong wrong")
    capsys.readouterr()
    assert run("--lang", lang, "vault", "verify", tmp / "v", "--passphrase-file",
               bad) == errors.EXIT_AUTH
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err


def test_no_vault_and_bad_document_exit_codes(files, capsys):
    tmp, pw, _ = files
    assert run("vault", "verify", tmp / "nowhere", "--passphrase-file", pw) == errors.EXIT_NOT_FOUND
    bad = tmp / "bad.json"
    bad.write_text("{")
    run("vault", "create", tmp / "v", "--passphrase-file", pw)
    assert run("records", "add", tmp / "v", bad, "--passphrase-file", pw) == \
        errors.EXIT_INVALID_INPUT


def test_passphrase_is_never_an_argument():
    parser = cli.build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["vault", "create", "x", "--passphrase", PASSPHRASE])


def test_no_passphrase_source_without_a_terminal_is_a_usage_error(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "testimony_app.cli", "vault", "create",
                          str(tmp_path / "v")], stdin=subprocess.DEVNULL, capture_output=True,
                         text=True, env=env, cwd=REPO)
    assert out.returncode == errors.EXIT_USAGE
    assert "--passphrase-file" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "v").exists()
