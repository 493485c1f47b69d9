"""Where things live, and the few non-secret preferences.

Preferences are declared once, with a type and a default, and stored as JSON in the platform's
config folder. Nothing here may name a person or hold testimony content: the list of known
vaults holds folder paths only (a vault's name lives inside its encrypted database).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from testimony_app import fs

APP = "Testimony"


def config_dir() -> Path:
    override = os.environ.get("TESTIMONY_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    override = os.environ.get("TESTIMONY_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))


def default_vault_dir() -> Path:
    return data_dir() / "vaults" / "default"


@dataclass
class Preferences:
    language: str = ""  # "" follows the system
    idle_lock_minutes: int = 10
    known_vaults: list[str] = field(default_factory=list)
    last_vault: str = ""

    @classmethod
    def load(cls) -> Preferences:
        path = config_dir() / "preferences.json"
        try:
            data: Any = json.loads(fs.read_limited(path, 256 * 1024))
        except (OSError, ValueError):
            return cls()
        prefs = cls()
        if isinstance(data, dict):
            for f in fields(cls):
                value = data.get(f.name)
                if isinstance(value, type(getattr(prefs, f.name))):
                    setattr(prefs, f.name, value)
        return prefs

    def save(self) -> None:
        folder = fs.private_mkdir(config_dir())
        fs.atomic_write(folder / "preferences.json",
                        json.dumps(asdict(self), indent=2, ensure_ascii=False).encode())

    def remember_vault(self, folder: Path) -> None:
        path = str(Path(folder).resolve())
        self.known_vaults = [path] + [p for p in self.known_vaults if p != path]
        self.last_vault = path
