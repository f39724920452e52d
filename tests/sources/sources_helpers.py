"""Helpers for the source-reader tests: real-data location, file writers, error checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ina.errors import InputError

#: ``shared/real-data`` next to the repository (read-only reference extracts).
REAL_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "real-data"


def real_file(relative: str) -> Path:
    """A real published extract, or skip the test when the shared folder is absent."""
    path = REAL_DATA / relative
    if not path.is_file():
        pytest.skip(f"real data not available: {relative}")
    return path


def write(folder: Path, name: str, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    """Write ``text`` as a file the way publishers do (optional BOM / CRLF)."""
    data = text.replace("\n", "\r\n") if crlf else text
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return path


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    return "\n".join(",".join(map(str, line)) for line in [header, *rows]) + "\n"


def assert_error(
    error: pytest.ExceptionInfo[InputError],
    path: Path,
    *,
    row: int | None,
    column: str | None,
    message: str = "",
) -> None:
    """The InputError names the file, the 1-based row and the column (and says what)."""
    raised = error.value
    assert Path(raised.file.split("!")[0].split(" [")[0]) == path
    assert raised.row == row, str(raised)
    if column is not None:
        assert raised.column is not None and column in raised.column, str(raised)
    text = str(raised)
    assert str(path) in text
    if row is not None:
        assert f"row {row}" in text
    if message:
        assert re.search(message, text, re.IGNORECASE), text
