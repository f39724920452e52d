"""The ``.ina-cache/`` pickles: read one if it is whole and of the right type, write one
atomically. Why shared: the source extracts and the indicator results are both cached
under keys that change with their inputs, and both must treat an unreadable or
half-written file as a miss, never as an error, and leave no stale key behind."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

__all__ = ["read_cached", "write_cached"]


def read_cached(path: Path, kind: type[T]) -> T | None:
    """The object pickled at ``path`` if it is a ``kind``; None when absent or unreadable."""
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            cached = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # unreadable cache: recompute
    return cached if isinstance(cached, kind) else None


def write_cached(path: Path, value: object, *, stale: str) -> None:
    """Pickle ``value`` to ``path`` (temporary file + rename, so a reader never sees half a
    file), first removing the older entries matching the glob ``stale``; a cache that
    cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(stale):
            old.unlink(missing_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
    except OSError:
        pass
