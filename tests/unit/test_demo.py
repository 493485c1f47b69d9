"""The demo vault: fictional, complete enough to show every screen, and built once."""

from __future__ import annotations

import re
import struct
import zlib
from collections import defaultdict
from pathlib import Path

import pytest

from testimony_app.domain.detention import Sighting
from testimony_app.domain.interview import Interview
from testimony_app.domain.registry import ENTITIES
from testimony_app.services import demo, vaults
from testimony_app.vault.vault import Vault

UK_ONLY = re.compile("[іїєґІЇЄҐ]")
RU_ONLY = re.compile("[ыэъёЫЭЪЁ]")


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("demo") / "vault"
    demo.build_demo_vault(folder, interviews=6)
    vault = Vault.open(folder, demo.DEMO_PASSPHRASE)
    yield vault
    vault.close()


def test_every_entity_has_records(demo_vault: Vault):
    assert demo_vault.name == "Demo (fictional)"
    empty = [cls.entity for cls in ENTITIES if demo_vault.store.count(cls) == 0]
    assert empty == []
    assert demo_vault.store.count(Interview) == 6


def test_narratives_are_marked_and_in_three_languages(demo_vault: Vault):
    interviews = demo_vault.store.list(Interview, order_by="reference")
    assert [i.reference for i in interviews] == [f"DEMO-{n:04d}" for n in range(1, 7)]
    for i in interviews:
        assert i.narrative.startswith(("[ДЕМО]", "[DEMO]")), i.reference
        assert i.interviewer_observations.startswith(("[ДЕМО]", "[DEMO]")), i.reference
        assert i.pseudonym and i.narrative.count(".") >= 4
    by_lang = {i.languages[0]: i.narrative for i in interviews}
    assert set(by_lang) == {"uk", "ru", "en"}
    assert UK_ONLY.search(by_lang["uk"]) and not RU_ONLY.search(by_lang["uk"])
    assert RU_ONLY.search(by_lang["ru"])
    assert by_lang["en"].startswith("[DEMO]") and "the" in by_lang["en"]
    assert sum(i.status == "locked" for i in interviews) == 1
    assert {i.status for i in interviews} - {"locked"} <= {"draft", "complete", "reviewed"}


def test_a_co_detainee_is_seen_in_several_testimonies(demo_vault: Vault):
    seen_in: dict[int, set[str]] = defaultdict(set)
    for s in demo_vault.store.list(Sighting):
        for n, co in enumerate(demo.CO_DETAINEES):
            if any(s.name_as_heard in names for names in co.variants.values()):
                seen_in[n].add(s.interview_id or "")
    assert max(len(ids) for ids in seen_in.values()) >= 2


def test_vault_verifies_clean(demo_vault: Vault):
    assert vaults.verify(demo_vault) == []


def test_tiny_png_is_valid():
    data = demo.tiny_png(7, size=4)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc
        chunks.append((kind, body))
        pos += 12 + length
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    assert len(zlib.decompress(chunks[1][1])) == 4 * (1 + 4 * 3)


def test_ensure_demo_vault_builds_once(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(demo, "build_demo_vault", _small_build)
    folder, passphrase = demo.ensure_demo_vault()
    assert folder == demo.demo_dir() and passphrase == demo.DEMO_PASSPHRASE
    with Vault.open(folder, passphrase) as vault:
        first_id = vault.header.vault_id
    again, _ = demo.ensure_demo_vault()
    with Vault.open(again, passphrase) as vault:
        assert vault.header.vault_id == first_id


def test_ensure_demo_vault_replaces_a_half_built_folder(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(demo, "build_demo_vault", _small_build)
    half = demo.demo_dir()
    half.mkdir(parents=True)
    (half / "vault.db").write_bytes(b"interrupted")
    folder, passphrase = demo.ensure_demo_vault()
    with Vault.open(folder, passphrase) as vault:
        assert vault.store.count(Interview) == 2
    assert not (folder.parent / "demo.building").exists()


def test_main_prints_folder_and_passphrase(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    target = tmp_path / "cli-demo"
    assert demo.main([str(target), "--interviews", "1"]) == 0
    out = capsys.readouterr().out
    assert str(target) in out and demo.DEMO_PASSPHRASE in out
    assert (target / "vault.json").is_file()


def _small_build(folder: Path, **kw: object) -> None:
    _real_build(folder, interviews=2)


_real_build = demo.build_demo_vault
