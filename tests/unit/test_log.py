"""Logs hold ids and counts only, in memory; content that slips into a call is redacted."""

from __future__ import annotations

import logging

from testimony_app import log


def test_content_arguments_are_redacted_and_ids_kept():
    ring = log.setup()
    logger = log.get("test")
    logger.info("saved %s for %s (%d fields)", "Андрій Коваленко", "0b7c2a1e-1f2d-4c53-9f59-"
                "5d1f0b0d4a11", 3)
    line = ring.lines()[-1]
    assert "Андрій" not in line and "[redacted]" in line
    assert "0b7c2a1e-1f2d-4c53-9f59-5d1f0b0d4a11" in line and "3 fields" in line


def test_exception_text_is_not_logged():
    ring = log.setup()
    try:
        raise ValueError("UNIQUE constraint failed: narrative = 'Мене били'")
    except ValueError:
        log.get("test").exception("write failed")
    line = ring.lines()[-1]
    assert "Мене" not in line and "ValueError" in line


def test_nothing_is_written_to_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    log.setup()
    log.get("test").warning("an event %d", 1)
    handlers = logging.getLogger("testimony_app").handlers
    assert not any(isinstance(h, logging.FileHandler) for h in handlers)
    assert list(tmp_path.iterdir()) == []
