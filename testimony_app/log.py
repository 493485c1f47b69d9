"""Logging that never records content.

Records go to a bounded in-memory ring buffer that a person can view or export from the app;
nothing is written to disk unless they ask for it. Messages carry ids and counts only, never
names, testimony text, file names or passphrases. A filter drops any record whose arguments are
not plain numbers, ids or booleans, so a careless call cannot leak a string of content.
"""

from __future__ import annotations

import collections
import logging
import re
import threading

RING_SIZE = 2000
_ID = re.compile(r"^[0-9a-fA-F-]{8,64}$|^[a-z_.]{1,40}$")


class RingBuffer(logging.Handler):
    def __init__(self, capacity: int = RING_SIZE) -> None:
        super().__init__()
        self.records: collections.deque[str] = collections.deque(maxlen=capacity)
        self._lock_ring = threading.Lock()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        with self._lock_ring:
            self.records.append(line)

    def lines(self) -> list[str]:
        with self._lock_ring:
            return list(self.records)


def _safe_arg(value: object) -> bool:
    if isinstance(value, bool | int | float) or value is None:
        return True
    return isinstance(value, str) and bool(_ID.match(value))


class ContentFilter(logging.Filter):
    """Redact any argument that is not a number, an id or a short code word."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and not all(_safe_arg(a) for a in args):
            record.args = tuple(a if _safe_arg(a) else "[redacted]" for a in args)
        elif isinstance(args, dict):
            record.args = {k: (v if _safe_arg(v) else "[redacted]") for k, v in args.items()}
        # Exception text can quote content (a SQL error quoting a value): keep the type only.
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.msg} [{type(record.exc_info[1]).__name__}]"
            record.exc_info = None
            record.exc_text = None
        return True


ring = RingBuffer()
_configured = False


def setup(level: int = logging.INFO) -> RingBuffer:
    """Route the ``testimony_app`` loggers to the RAM ring buffer only."""
    global _configured
    root = logging.getLogger("testimony_app")
    if not _configured:
        ring.addFilter(ContentFilter())
        root.addHandler(ring)
        root.propagate = False
        _configured = True
    root.setLevel(level)
    return ring


def get(name: str) -> logging.Logger:
    return logging.getLogger(name if name.startswith("testimony_app") else f"testimony_app.{name}")
