"""``make screenshots`` renders every screen (one language here, to keep the suite quick)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from testimony_app.ui import screenshots


def test_every_screen_is_rendered(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    assert screenshots.main([str(out), "--langs", "en", "--size", "900x640"]) == 0
    names = sorted(p.name for p in out.glob("*.png"))
    assert len(names) == 19  # every page, the Sync page included
    assert "en-12-editor-sightings.png" in names
    assert "en-18-sync.png" in names
    image = QImage(str(out / "en-05-interviews.png"))
    assert (image.width(), image.height()) == (900, 640)
