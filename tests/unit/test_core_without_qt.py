"""Everything but testimony_app.ui (and the app's composition root) works without Qt."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

SCRIPT = r"""
import importlib, pkgutil, sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name.startswith("shiboken6"):
            raise ImportError("Qt is blocked in the core")

sys.meta_path.insert(0, Block())
import testimony_app
count = 0
for mod in pkgutil.walk_packages(testimony_app.__path__, "testimony_app."):
    if (mod.name.startswith("testimony_app.ui") or mod.name == "testimony_app.app"
            or mod.name.endswith(".__main__")):
        continue
    importlib.import_module(mod.name)
    count += 1
assert not any(m.startswith("PySide6") for m in sys.modules)
print(count)
"""


def test_every_core_module_imports_with_pyside6_blocked():
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True,
                         text=True, check=True)
    assert int(out.stdout.strip()) >= 25
