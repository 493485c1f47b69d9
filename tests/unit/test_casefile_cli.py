"""`testimony casefile`: both spellings of the export, verify's exit codes, and failures that
must leave nothing behind."""

from __future__ import annotations

import pytest
from test_casefile_sample import add_rich

from testimony_app import cli, errors
from testimony_app.casefile.selection import Selection
from testimony_app.services.casefile import export_casefile
from testimony_app.vault import audit
from testimony_app.vault.vault import Vault
from tests.conftest import PASSPHRASE


def run(*args):
    return cli.main([str(a) for a in args])


def test_the_short_form_is_read_as_export():
    assert cli.casefile_argv(["casefile", "V", "--interview", "X"]) == [
        "casefile", "export", "V", "--interview", "X"]
    assert cli.casefile_argv(["--lang", "uk", "casefile", "verify", "F.pdf"]) == [
        "--lang", "uk", "casefile", "verify", "F.pdf"]
    assert cli.casefile_argv(["vault", "verify", "V"]) == ["vault", "verify", "V"]


@pytest.fixture
def cli_vault(vault, vault_dir, tmp_path):
    a = add_rich(vault, tag="A", scopes=("share_ua_prosecution",))
    b = add_rich(vault, tag="B", scopes=("share_icrc",), attachment=False)
    vault.close()
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n")
    return vault_dir, pw, a, b


def test_export_then_verify_through_the_cli(cli_vault, tmp_path, capsys):
    v, pw, a, b = cli_vault
    out = tmp_path / "case.pdf"
    # The global --lang (messages) comes first; the case file's own --lang follows the action.
    assert run("--lang", "en", "casefile", v, "--interview", a["interview"].id,
               b["interview"].id,
               "--profile", "prosecution", "--lang", "uk", "--out", out,
               "--reference", "OPG-2024-17", "--passphrase-file", pw) == 0
    text = capsys.readouterr().out
    assert "left out: T-B" in text and "case.data.json" in text
    assert (tmp_path / "case.data.json").is_file() and (tmp_path / "case.pdf.sig").is_file()
    assert run("casefile", "verify", out) == 0
    assert "OPG-2024-17" in capsys.readouterr().out
    # The same command again refuses to replace the files without --force.
    again = ("casefile", "export", v, "--person", a["person"].id, "--profile", "icrc",
             "--lang", "ru", "--out", out, "--passphrase-file", pw)
    assert run(*again) == errors.EXIT_USAGE
    assert run(*again, "--force") == 0
    assert run("casefile", "verify", out) == 0
    raw = bytearray(out.read_bytes())
    raw[len(raw) // 3] ^= 0x20
    out.write_bytes(bytes(raw))
    capsys.readouterr()
    assert run("casefile", "verify", out) == errors.EXIT_PROBLEMS
    assert "PDF was changed" in capsys.readouterr().out


def test_usage_errors(cli_vault, tmp_path, capsys):
    v, pw, a, _ = cli_vault
    base = ("casefile", v, "--profile", "prosecution", "--lang", "en", "--out",
            tmp_path / "x.pdf", "--passphrase-file", pw)
    assert run(*base) == errors.EXIT_USAGE  # no selection
    assert run(*base, "--person", "nope", "--site", "nope") == errors.EXIT_USAGE
    assert run(*base, "--site", "00000000-0000-4000-8000-000000000000") == errors.EXIT_NOT_FOUND
    assert run("casefile", "verify", tmp_path / "missing.pdf") == errors.EXIT_PROBLEMS
    assert list(tmp_path.glob("x*")) == []


def test_a_failed_write_leaves_no_file_and_no_audit_entry(cli_vault, tmp_path):
    v, _, a, _ = cli_vault
    vault = Vault.open(v, PASSPHRASE)
    try:
        before = len(audit.entries(vault.conn))
        with pytest.raises(errors.FileError):
            export_casefile(vault, Selection.interviews(a["interview"].id), "prosecution",
                            "en", tmp_path / "no-such-folder" / "x.pdf")
        (tmp_path / "ro").mkdir()
        (tmp_path / "ro" / "x.pdf.sig").mkdir()  # the last of the three cannot be written
        with pytest.raises(errors.FileError):
            export_casefile(vault, Selection.interviews(a["interview"].id), "prosecution",
                            "en", tmp_path / "ro" / "x.pdf")
        assert sorted(p.name for p in (tmp_path / "ro").iterdir()) == ["x.pdf.sig"]
        assert len(audit.entries(vault.conn)) == before
    finally:
        vault.close()


def test_cancel_at_the_last_moment_leaves_nothing(vault, tmp_path):
    a = add_rich(vault, tag="A")
    calls = []
    sel = Selection.interviews(a["interview"].id)
    export_casefile(vault, sel, "prosecution", "en", tmp_path / "probe.pdf",
                    cancel=lambda: bool(calls.append(1)))
    last = len(calls)
    out = tmp_path / "out"
    out.mkdir()
    calls.clear()
    with pytest.raises(errors.Cancelled):
        export_casefile(vault, sel, "prosecution", "en", out / "x.pdf",
                        cancel=lambda: bool(calls.append(1)) or len(calls) >= last)
    assert list(out.iterdir()) == []
