"""Pages on their own: texts people read, and untrusted text kept plain."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from testimony_app.ui.create_page import CreatePage, strength_hint
from testimony_app.ui.recovery_page import layout_code
from testimony_app.ui.session import VaultSummary, suggest_new_folder
from testimony_app.ui.unlocked_page import UnlockedPage
from testimony_app.vault.vault import MIN_PASSPHRASE


@pytest.mark.parametrize(("length", "start"), [
    (0, "At least"), (MIN_PASSPHRASE - 1, "Too short"), (MIN_PASSPHRASE, "Acceptable"),
    (16, "Good"), (24, "Strong"),
])
def test_strength_hint_follows_length(length: int, start: str) -> None:
    assert strength_hint("x" * length).startswith(start)


def test_recovery_code_is_shown_on_two_lines_and_still_reads_back() -> None:
    code = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"
    assert layout_code(code) == "AAAA-BBBB-CCCC-DDDD\nEEEE-FFFF-GGGG-HHHH"


def test_vault_name_is_shown_as_plain_text(qtbot) -> None:
    page = UnlockedPage()
    qtbot.addWidget(page)
    name = "<b>Field</b> <img src=x>"
    page.show_summary(VaultSummary(Path("/v"), name, "id", "ABCD"))
    assert page.name.textFormat() == Qt.TextFormat.PlainText
    assert page.name.text() == name


def test_new_vault_folder_avoids_an_existing_vault(tmp_path: Path) -> None:
    first = suggest_new_folder()
    assert first == tmp_path / "data" / "vaults" / "default"
    first.mkdir(parents=True)
    (first / "vault.json").write_text("{}")
    assert suggest_new_folder() == first.with_name("default-2")


def test_choosing_a_non_empty_folder_makes_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    assert CreatePage._vault_folder_in(tmp_path) == tmp_path / "Testimony vault"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert CreatePage._vault_folder_in(empty) == empty
