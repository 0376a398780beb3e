"""Tệp trên đĩa: the one way the product writes a file that another process may read at the same time."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a reader (a page, another server) sees the old file or
    the new one, never half of one, and two processes writing the same file both succeed (each writes its
    own temporary file beside it, then renames it over the target)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
