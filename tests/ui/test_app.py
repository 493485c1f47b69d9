"""The composition root, started for real in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent("""
    import os, sys
    import shiboken6
    from PySide6.QtWidgets import QApplication, QFileDialog
    from testimony_app import app

    class Probe(QApplication):
        def exec(self):
            shown = [w for w in self.topLevelWidgets() if w.isVisible()]
            print("shown", *sorted(type(w).__name__ for w in shown))
            print("umask", oct(os.umask(0o077)))
            # Qt's file dialog records visited folders in its own settings when destroyed.
            dialog = QFileDialog(None, "", os.environ["HOME"])
            dialog.show()
            dialog.setDirectory(os.environ["TESTIMONY_DATA_DIR"])
            dialog.accept()
            shiboken6.delete(dialog)
            for w in shown:
                w.close()
            return 0

    app.QApplication = Probe
    sys.exit(app.main(["testimony-app"]))
""")


def test_main_starts_shows_the_window_and_exits_cleanly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESTIMONY_")}
    env.update(QT_QPA_PLATFORM="offscreen", TESTIMONY_KDF_FLOOR="1", TESTIMONY_LANG="uk",
               TESTIMONY_CONFIG_DIR=str(tmp_path / "config"),
               TESTIMONY_DATA_DIR=str(tmp_path / "data"),
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "xdg"),
               PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "shown MainWindow" in result.stdout
    assert "umask 0o77" in result.stdout
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [], written  # no QtProject.conf with visited folders
