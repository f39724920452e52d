"""Line numbers, encodings, zips and header detection shared by every reader."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
from sources_helpers import write

from ina.errors import InputError
from ina.sources._base import (
    cut_at_first_blank_line,
    read_csv_table,
    read_file_bytes,
    record_start_lines,
)


def test_record_lines_skip_blank_lines_and_quoted_newlines() -> None:
    data = b'h1,h2\r\n"a\nb",1\r\n\r\nc,2\nd,"x""\ny"\n\n'
    # records: header line 1, "a\nb" starts line 2, blank line 4, c line 5, d line 6
    assert record_start_lines(data).tolist() == [1, 2, 5, 6]


def test_record_lines_without_final_newline() -> None:
    assert record_start_lines(b"a\nb\nc").tolist() == [1, 2, 3]


def test_cut_at_first_blank_line_keeps_blank_after_header() -> None:
    data = b'h\n\n1\n2\n\n"note"\n'
    assert cut_at_first_blank_line(data) == b"h\n\n1\n2\n"


def test_preamble_bom_and_crlf_give_editor_line_numbers(tmp_path: Path) -> None:
    text = 'Title row\n"Date :",2021\n\nCODE,N\nA,1\n\nB,x\n'
    path = write(tmp_path, "t.csv", text, bom=True, crlf=True)
    table = read_csv_table(
        read_file_bytes(path), header=lambda cells: "CODE" in cells, expected="CODE"
    )
    assert table.header_line == 4
    assert table.frame["CODE"].tolist() == ["A", "B"]
    assert table.lines().tolist() == [5, 7]


def test_missing_header_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "a,b\n1,2\n")
    with pytest.raises(InputError, match="no header row"):
        read_csv_table(read_file_bytes(path), header=lambda cells: "CODE" in cells)


def test_zip_with_one_csv_is_read_and_hashed_as_the_zip(tmp_path: Path) -> None:
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("inner.csv", "A,B\n1,2\n")
    raw = read_file_bytes(archive)
    assert raw.data == b"A,B\n1,2\n"
    assert raw.size_bytes == archive.stat().st_size
    assert raw.label.endswith("x.zip!inner.csv")


def test_zip_with_two_files_is_rejected(tmp_path: Path) -> None:
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a.csv", "A\n1\n")
        handle.writestr("b.csv", "A\n1\n")
    with pytest.raises(InputError, match="exactly one"):
        read_file_bytes(archive)


def test_windows_1252_file_is_transcoded(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes("NAME\nCaf\xe9\n".encode("cp1252"))
    table = read_csv_table(read_file_bytes(path))
    assert table.frame["NAME"].tolist() == ["Café"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_file_bytes(tmp_path / "absent.csv")


def test_line_numbers_are_vectorised_over_large_input() -> None:
    data = b"h\n" + b"1\n" * 100_000
    lines = record_start_lines(data)
    assert lines.size == 100_001 and lines[-1] == 100_001
    assert np.all(np.diff(lines) == 1)
