"""A small on-disk cache for build inputs that are slow to make and depend only on versions.

Kept in $XDG_CACHE_HOME/scorecard (default ~/.cache/scorecard). A cache that
cannot be written only costs the time again; it never fails a build.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scorecard"


def cached_file(name: str, make: Callable[[], str]) -> Path | None:
    """The path of cache entry `name`, made with `make()` when missing; None when nothing can be written."""
    path = folder() / name
    if path.is_file():
        return path
    text = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        return None
    return path


def cached_text(name: str, make: Callable[[], str]) -> str:
    """The text of cache entry `name`, made with `make()` when missing."""
    path = folder() / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = make()
    written = cached_file(name, lambda: text)
    return written.read_text(encoding="utf-8") if written else text
