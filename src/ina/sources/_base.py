"""What every loader shares: provenance, the raw table with its file line numbers, reading.

Every reader in ``ina.sources`` follows the same three steps, which is why they live here:

1. read the file's bytes once (so the SHA-256 in the provenance is of exactly what was
   parsed; a ``.zip`` holding one ``.csv`` is read as that csv, the way NHS Digital
   publishes it), decode them (UTF-8 with or without BOM, else Windows-1252);
2. find the header row (ONS workbooks and Nomis downloads have title rows above it) and
   parse every cell as text, so that nothing is coerced silently;
3. validate and convert column by column with the vectorised checks in ``_checks``,
   reporting the first bad cell by the line number a user sees in a text editor or the
   row number in a spreadsheet.

Line numbers are computed only when an error is raised, from the bytes themselves, by
locating record-ending newlines outside double quotes with numpy (see
:func:`record_start_lines`), so they stay right with BOMs, title rows, blank lines,
mixed CRLF/LF and quoted fields that contain newlines (Fingertips exports).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ina.errors import InputError

#: Bumped whenever a reader's output for the same bytes could change (cache key part).
LOADER_VERSION = "1"

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Provenance:
    """Where a tidy frame came from, recorded in the build manifest and the report's notes.

    ``path`` is the path as given to the reader (relative to the folder of ``ina.yml``
    when loaded through :func:`ina.sources.load_source`); ``rows`` is the number of data
    records read from the file (header and title rows excluded, before reshaping);
    ``extract_date`` is the publisher's extract date (ISO ``YYYY-MM-DD``) when the file
    states one; ``format`` names the published layout that was recognised.
    """

    name: str
    path: str
    size_bytes: int
    sha256: str
    rows: int
    extract_date: str | None
    format: str

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON (the build manifest)."""
        return asdict(self)


@dataclass(frozen=True)
class Extract:
    """A validated tidy frame and the provenance of every file it was read from."""

    name: str
    frame: pd.DataFrame = field(repr=False)
    provenance: tuple[Provenance, ...]


@dataclass(frozen=True)
class RawFile:
    """A file's bytes as parsed (the csv inside a zip), with its on-disk identity."""

    path: Path
    given: str
    label: str
    data: bytes
    size_bytes: int
    sha256: str
    member: str | None = None

    def provenance(
        self, name: str, *, rows: int, fmt: str, extract_date: str | None = None
    ) -> Provenance:
        return Provenance(
            name=name,
            path=self.given,
            size_bytes=self.size_bytes,
            sha256=self.sha256,
            rows=rows,
            extract_date=extract_date,
            format=fmt,
        )


def read_file_bytes(path: str | Path, *, csv_only: bool = True) -> RawFile:
    """Read ``path`` once; for a ``.zip`` return the bytes of the single data file inside.

    The SHA-256 and size are those of the file on disk (the zip itself when zipped), so
    the provenance identifies the download the user actually has.
    """
    file = Path(path)
    label = str(path)
    if file.is_dir():
        raise InputError(label, "is a folder, not a file", expected="the path of the extract file")
    if not file.is_file():
        raise InputError(label, "file not found", expected="an existing file")
    try:
        blob = file.read_bytes()
    except OSError as error:  # unreadable (permissions, a broken mount): still one line
        raise InputError(label, f"cannot be read ({error.strerror or error})") from None
    if not blob:
        raise InputError(label, "the file is empty (0 bytes)", expected="the published extract")
    digest = hashlib.sha256(blob).hexdigest()
    member = None
    if zipfile.is_zipfile(io.BytesIO(blob)) and not _is_workbook(blob):
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            wanted = (".csv",) if csv_only else (".csv", ".xlsx")
            names = [
                info.filename
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith(wanted)
            ]
            if len(names) != 1:
                raise InputError(
                    label,
                    f"the zip holds {len(names)} data files ({', '.join(names) or 'none'})",
                    expected=f"exactly one {' or '.join(wanted)} file",
                )
            member = names[0]
            blob = archive.read(member)
        label = f"{label}!{member}"
    return RawFile(file, str(path), label, blob, file.stat().st_size, digest, member)


#: Leading bytes of files that users save or rename as ``.csv`` by mistake, and what they are.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls (or other Office) file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xff\xfe", "UTF-16 text (save it as CSV UTF-8)"),
    (b"\xfe\xff", "UTF-16 text (save it as CSV UTF-8)"),
    (b"PK\x03\x04", "a zip archive"),
)
_NOT_CSV = "not a CSV in UTF-8 or Windows-1252"


def _looks_like(data: bytes) -> str | None:
    """What a binary file is, by its leading bytes (None for anything that may be text)."""
    if _is_workbook(data):
        return "an Excel .xlsx workbook (export the sheet as CSV UTF-8)"
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return what
    if b"\x00" in data[:4096]:  # no text encoding a CSV may use has NUL bytes
        return "a binary file (it holds NUL bytes)"
    return None


def to_utf8(raw: RawFile) -> bytes:
    """UTF-8 bytes without BOM; Windows-1252 files (older NHS extracts) are transcoded.

    Anything else is an InputError naming the file: a workbook, image or archive renamed
    ``.csv`` says what it looks like (by its leading bytes, before any decoding, because
    binary bytes can happen to decode as Windows-1252), and a byte neither encoding
    defines (0x81, 0x8D, 0x8F, 0x90, 0x9D in Windows-1252) is reported with its line.
    """
    looks_like = _looks_like(raw.data)
    if looks_like is not None:
        raise InputError(
            raw.label,
            f"{_NOT_CSV}: it looks like {looks_like}",
            expected="a text CSV file",
        )
    data = raw.data[len(_BOM) :] if raw.data.startswith(_BOM) else raw.data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data = data.decode("cp1252", errors="strict").encode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            byte = data[error.start : error.start + 1].hex().upper()
            raise InputError(
                raw.label,
                f"{_NOT_CSV}: byte 0x{byte} is not a character in either encoding",
                row=line,
                expected="a text CSV file saved as UTF-8 (or Windows-1252)",
            ) from None
    return data


def _records(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start byte, 1-based start line and blankness of every CSV record (vectorised).

    A record ends at a newline that has an even number of double quotes before it (RFC
    4180: doubled quotes inside a quoted field keep the parity), so quoted newlines do not
    end a record. A record that is empty, or only ``\\r``, is a blank line.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buf == ord("\n"))
    quotes = np.flatnonzero(buf == ord('"'))
    quotes_before = np.searchsorted(quotes, newlines)
    ends = newlines[quotes_before % 2 == 0]
    if buf.size and (ends.size == 0 or ends[-1] != buf.size - 1):
        ends = np.append(ends, buf.size)
    starts = np.concatenate(([0], ends[:-1] + 1)) if ends.size else np.zeros(0, np.int64)
    length = ends - starts
    if buf.size:
        first_byte = buf[np.minimum(starts, buf.size - 1)]
        blank = (length == 0) | ((length == 1) & (first_byte == ord("\r")))
    else:
        blank = np.zeros(0, dtype=bool)
    lines = np.searchsorted(newlines, starts) + 1
    return starts, lines, blank


def record_start_lines(data: bytes) -> np.ndarray:
    """1-based line numbers at which each non-blank CSV record starts.

    pandas skips blank lines, and so does this, so record ``k`` here is pandas' data row
    ``k - 1`` (record 0 being the header).
    """
    _, lines, blank = _records(data)
    return lines[~blank]


def cut_at_first_blank_line(data: bytes) -> bytes:
    """The bytes before the first blank line that follows data (Nomis puts footnotes
    after one; blank lines between the header and the first data row are kept)."""
    starts, _, blank = _records(data)
    data_seen = np.cumsum(~blank) >= 2  # header plus at least one data record so far
    ending = blank & data_seen
    if not ending.any():
        return data
    return data[: int(starts[int(np.argmax(ending))])]


@dataclass
class RawTable:
    """A parsed table of text cells and the file line (or sheet row) of each data row.

    ``frame`` has the file's own column names and text cells (missing as NA).
    ``line_of(i)`` gives the 1-based line/row number of positional data row ``i``.
    """

    label: str
    frame: pd.DataFrame
    _lines: Callable[[], np.ndarray]
    header_line: int = 1
    _cache: np.ndarray | None = None

    def lines(self) -> np.ndarray:
        if self._cache is None:
            self._cache = self._lines()
        return self._cache

    def line_of(self, position: int) -> int:
        lines = self.lines()
        if 0 <= position < lines.size:
            return int(lines[position])
        return self.header_line + 1 + position

    def fail(
        self,
        message: str,
        *,
        position: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: object | None = None,
    ) -> InputError:
        """An InputError for this file at data row ``position`` (not raised: callers do)."""
        row = None if position is None else self.line_of(position)
        return InputError(
            self.label, message, row=row, column=column, expected=expected, found=found
        )


HeaderTest = Callable[[Sequence[str]], bool]


def has_columns(*patterns: str) -> HeaderTest:
    """A header test: every regex in ``patterns`` fully matches one of the cells."""
    compiled = [re.compile(p) for p in patterns]

    def test(cells: Sequence[str]) -> bool:
        return all(any(c.fullmatch(cell) for cell in cells) for c in compiled)

    return test


def read_csv_table(
    raw: RawFile,
    *,
    header: HeaderTest | None = None,
    usecols: Callable[[str], bool] | None = None,
    engine: str = "pyarrow",
    expected: str = "",
    max_preamble: int = 50,
    stop_at_blank_line: bool = False,
) -> RawTable:
    """Parse a CSV as text cells, finding the header row when ``header`` is given.

    Title rows (Nomis, ONS) are skipped by cutting the bytes at the header record, so the
    parser never sees them and line numbers are offset exactly. ``engine="c"`` must be
    used where quoted fields may contain newlines (the pyarrow reader rejects them).
    """
    data = to_utf8(raw)
    offset = 0
    header_line = 1
    if header is not None:
        offset, header_line = _find_csv_header(raw.label, data, header, expected, max_preamble)
    body = data[offset:]
    if stop_at_blank_line:
        body = cut_at_first_blank_line(body)
    _check_record_shape(raw.label, body, header_line)
    try:
        frame = pd.read_csv(
            io.BytesIO(body),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            engine=engine,  # type: ignore[arg-type]
            usecols=usecols,
        )
    except (ValueError, pd.errors.ParserError) as error:
        if engine == "pyarrow":
            return read_csv_table(
                raw,
                header=header,
                usecols=usecols,
                engine="c",
                expected=expected,
                max_preamble=max_preamble,
                stop_at_blank_line=stop_at_blank_line,
            )
        message = " ".join(str(error).split())
        shape = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
        if shape:
            wanted, line, seen = (int(g) for g in shape.groups())
            raise InputError(
                raw.label,
                f"row has {seen} fields but the header has {wanted} columns",
                row=header_line - 1 + line,
                expected=f"{wanted} comma-separated fields, as in the header",
            ) from None
        raise InputError(raw.label, f"cannot be read as CSV ({message})") from None
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas' C parser silently makes the first column the index when every data row
        # has one field more than the header: the columns would be read shifted by one.
        raise InputError(
            raw.label,
            f"data rows have more fields than the header's {len(frame.columns)} columns",
            row=header_line + 1,
            expected=f"{len(frame.columns)} comma-separated fields, as in the header",
        )
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InputError(
            raw.label,
            "has a header but no data rows",
            row=header_line,
            expected="at least one data row below the header",
        )
    first_line = header_line - 1

    def lines() -> np.ndarray:
        return record_start_lines(body)[1:] + first_line

    return RawTable(raw.label, frame, lines, header_line)


def _check_record_shape(label: str, body: bytes, header_line: int) -> None:
    """A header naming a column twice, or a last row cut short, is an InputError.

    pandas renames a repeated name (``LSOAR.1``) and pads a short last row with blanks,
    so a file truncated mid-line (an interrupted download or copy) would be reported, if
    at all, as a "blank cell"; this says what happened. Only the header and the last
    record are parsed here (cheap at any size).
    """
    import csv

    first_end = body.find(b"\n")
    first = body[: first_end if first_end >= 0 else len(body)].decode("utf-8", "replace")
    names = [name.strip() for name in next(csv.reader([first.rstrip("\r")]), [])]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise InputError(
                label,
                f"column {name!r} appears twice in the header",
                row=header_line,
                column=name,
                expected="each column named once",
            )
        seen.add(name)
    if body.endswith(b"\n") or first_end < 0:
        return
    last = body[body.rfind(b"\n") + 1 :]
    if last.count(b'"') % 2:  # inside a quoted field that began on an earlier line
        raise InputError(
            label,
            "the last row ends inside a quoted field: the file looks truncated",
            row=header_line + body.count(b"\n"),
            expected="a complete last row",
        )
    fields = next(csv.reader([last.decode("utf-8", "replace").rstrip("\r")]), [])
    if fields and len(fields) < len(names):
        raise InputError(
            label,
            f"the last row is cut short ({len(fields)} of {len(names)} fields): "
            "the file looks truncated",
            row=header_line + body.count(b"\n"),
            expected=f"{len(names)} comma-separated fields, as in the header",
        )


def _find_csv_header(
    label: str, data: bytes, header: HeaderTest, expected: str, max_preamble: int
) -> tuple[int, int]:
    """Byte offset and line number of the first record that passes ``header``."""
    import csv

    head = data[: 256 * 1024].decode("utf-8", errors="replace")
    stream = io.StringIO(head, newline="")
    reader = csv.reader(stream)
    for _ in range(max_preamble):
        start_char = stream.tell()
        start_line = reader.line_num + 1
        try:
            cells = next(reader)
        except (StopIteration, csv.Error):
            break
        if header([c.strip() for c in cells]):
            return len(head[:start_char].encode("utf-8")), start_line
    raise InputError(
        label,
        f"no header row found in the first {max_preamble} rows",
        expected=expected or "the published header",
    )


def read_xlsx_table(
    raw: RawFile,
    *,
    sheet: str | Callable[[Sequence[str]], str | None] | None,
    header: HeaderTest,
    expected: str = "",
    max_preamble: int = 50,
) -> RawTable:
    """Read one worksheet as text cells, finding the header row below any title rows.

    ``sheet`` is a name, a chooser given the sheet names, or None for "the first sheet
    whose first ``max_preamble`` rows contain the header". Uses openpyxl's read-only mode
    (streams the sheet). Row numbers are the sheet's own (1-based), so a message says the
    row a user sees in Excel. Fully empty rows are dropped, as CSV blank lines are.
    """
    import openpyxl

    if not _is_workbook(raw.data):
        # openpyxl would say "File is not a zip file": say what the file is instead.
        looks_like = _looks_like(raw.data)
        raise InputError(
            raw.label,
            "not an .xlsx workbook: it looks like " + (looks_like or "a text (CSV) file"),
            expected=expected or "an Excel .xlsx workbook",
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw.data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a non-workbook
        raise InputError(raw.label, f"cannot be opened as an .xlsx workbook ({error})") from error
    try:
        names = list(book.sheetnames)
        if sheet is None:
            candidates = names
        else:
            chosen = sheet if isinstance(sheet, str) else sheet(names)
            if chosen is None or chosen not in names:
                raise InputError(
                    raw.label,
                    f"worksheet {chosen or '(matching)'!r} not found (sheets: {', '.join(names)})",
                    expected=expected or "the published sheet",
                )
            candidates = [chosen]
        for sheet_name in candidates:
            rows = book[sheet_name].iter_rows(values_only=True)
            header_cells: list[str] | None = None
            header_row = 0
            for number, row in enumerate(rows, start=1):
                cells = [_cell_text(value) or "" for value in row]
                if header(cells):
                    header_cells, header_row = cells, number
                    break
                if number >= max_preamble:
                    break
            if header_cells is not None:
                break
        else:
            where = raw.label if sheet is None else f"{raw.label} [{candidates[0]}]"
            raise InputError(
                where,
                f"no header row found in the first {max_preamble} rows"
                + (" of any sheet" if sheet is None else ""),
                expected=expected or "the published header",
            )
        while header_cells and header_cells[-1] == "":
            header_cells.pop()
        width = len(header_cells)
        body = [row[:width] for row in rows]
    finally:
        book.close()
    numbers = np.arange(header_row + 1, header_row + 1 + len(body))
    matrix = pd.DataFrame(body, columns=range(width), dtype=object) if body else None
    if matrix is None:
        matrix = pd.DataFrame(columns=range(width), dtype=object)
    keep = matrix.notna().any(axis=1).to_numpy()
    matrix = matrix.loc[keep].reset_index(drop=True)
    numbers = numbers[keep]
    if matrix.empty:
        raise InputError(
            f"{raw.label} [{sheet_name}]",
            "has a header but no data rows",
            row=header_row,
            expected="at least one data row below the header",
        )
    frame = pd.DataFrame(
        {name: _text_column(matrix[i]) for i, name in enumerate(header_cells)},
        index=pd.RangeIndex(len(matrix)),
    )
    return RawTable(f"{raw.label} [{sheet_name}]", frame, lambda: numbers, header_row)


def _cell_text(value: object) -> str | None:
    """Text of a spreadsheet cell as a CSV would show it (``3.0`` → ``"3"``)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    text = str(value).strip()
    return text or None


def _text_column(values: pd.Series) -> pd.Series:
    """Vectorised text of a spreadsheet column: integral floats lose their ``.0``."""
    as_object = values.astype(object)
    kind = pd.api.types.infer_dtype(as_object, skipna=True)
    if kind in ("string", "empty"):
        text = as_object.astype("str").str.strip()
        return text.mask(text == "").astype("str")
    numeric = pd.to_numeric(as_object, errors="coerce")
    integral = numeric.notna() & (numeric == np.floor(numeric)) & (numeric.abs() < 2**53)
    if kind in ("integer", "floating", "mixed-integer-float"):
        is_number = as_object.notna()
    else:  # a column mixing text and numbers: decide cell by cell (rare, small)
        is_number = as_object.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    text = as_object.astype(str).str.strip()
    text[integral & is_number] = numeric[integral & is_number].astype("int64").astype(str)
    text[as_object.isna()] = pd.NA
    text[text == ""] = pd.NA
    return text.astype("str")


def _is_workbook(blob: bytes) -> bool:
    """An .xlsx is a zip holding ``[Content_Types].xml``; decided by content, not name."""
    if blob[:2] != b"PK":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def is_xlsx(raw: RawFile) -> bool:
    """Whether the bytes parsed are a workbook (by content, so a misnamed file still reads)."""
    return _is_workbook(raw.data)


def require_columns(table: RawTable, expected: Iterable[str]) -> None:
    """Every column in ``expected`` is present; else name the first missing one and all."""
    wanted = list(expected)
    present = set(table.frame.columns)
    missing = [c for c in wanted if c not in present]
    if missing:
        raise InputError(
            table.label,
            f"required column {missing[0]!r} is missing"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
            column=missing[0],
            expected="columns " + ", ".join(wanted),
            found=", ".join(map(str, table.frame.columns)),
        )


def read_csv_with_columns(
    path: str | Path,
    columns: Sequence[str],
    header_columns: Sequence[str],
    *,
    more_columns: str = "",
) -> tuple[RawFile, RawTable]:
    """Read a CSV extract with a fixed layout: ``(raw file, table)`` with every column checked.

    Most contract CSVs are read the same way: find the header row by a few of its column
    names (``header_columns``, regexes as for :func:`has_columns`; title rows above it are
    skipped), then require every name in ``columns``. Doing it here gives every reader the
    same "header ..." expectation in its error and the same missing-column message.
    ``more_columns`` is appended to that expectation for layouts with further columns
    (e.g. ``",<years>"``).
    """
    raw = read_file_bytes(path)
    table = read_csv_table(
        raw,
        header=has_columns(*header_columns),
        expected="header " + ",".join(columns) + more_columns,
    )
    require_columns(table, columns)
    return raw, table


def resolve_columns(
    table: RawTable, patterns: dict[str, str], optional: Iterable[str] = ()
) -> dict[str, str | None]:
    """Map tidy names to file columns by regex (year-suffixed ONS names such as LSOA21CD).

    A missing required column raises InputError listing every expected pattern.
    """
    optional_set = set(optional)
    found: dict[str, str | None] = {}
    columns = list(table.frame.columns)
    for tidy, pattern in patterns.items():
        regex = re.compile(pattern, re.IGNORECASE)
        matches = [c for c in columns if regex.fullmatch(c)]
        if len(matches) > 1:
            raise InputError(
                table.label,
                f"several columns match {pattern}: {', '.join(matches)}",
                column=matches[1],
                expected=f"one column matching {pattern}",
            )
        if not matches and tidy not in optional_set:
            raise InputError(
                table.label,
                f"required column matching {pattern!r} ({tidy}) is missing",
                column=pattern,
                expected="columns matching "
                + ", ".join(p for t, p in patterns.items() if t not in optional_set),
                found=", ".join(columns),
            )
        found[tidy] = matches[0] if matches else None
    return found
