"""The disclosure scanner: can a small count be recovered from what a build published?

Why a scanner separate from the suppression code: it reads only the published outputs
(the CSVs, the executed notebooks' Markdown tables, the HTML report and the PDFs' text)
plus each table's published declaration (``<id>.disclosure.json``: which columns are
counts, which are derived from which counts and denominators, which rows add up to which
totals), and checks them the way a reader would attack them:

* **direct**: a count column shows a number from ``min_count`` to ``max_count``;
* **derived**: a rate, interval or share is shown in a row whose count is hidden
  (``[c]``), or **rate × denominator**: a shown rate times its shown denominator gives a
  small count back;
* **subtraction**: a shown total minus its other shown parts gives back the one hidden
  part (within a table, or with the total in another table of the area, ``total_in``), or
  a hidden total is the sum of its shown parts; where the total is published elsewhere and
  not in this table, exactly one hidden part in a line is reported too;
* **same quantity**: one quantity (say the births of an area and year) hidden in one row
  and shown in another;
* **declaration**: a declared column is missing (the table cannot be checked).

It applies the same checks to the Markdown tables of every executed notebook (matched by
``{#tbl-<id>}`` and the declared headers), the HTML report's tables, and the text of every
PDF (each table row found by its label; a number where the Markdown shows ``[c]`` fails,
and the PDF must show at least as many ``[c]`` as the tables it prints).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd

from ina.publishing.disclosure import Disclosure, _label

__all__ = [
    "Finding",
    "ScanResult",
    "html_tables",
    "markdown_tables",
    "pdf_text",
    "scan_outputs",
    "scan_table",
]

CONFIDENTIAL = "[c]"
SYMBOLS = frozenset({"[c]", "[x]", "[z]", "–", ""})
_NUMBER = re.compile(r"^[−-]?\d[\d,]*(\.\d+)?$")


@dataclass(frozen=True)
class Finding:
    """One way a hidden or small count can be recovered from a published table."""

    where: str
    table_id: str
    row: str
    column: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return (
            f"{self.where} [{self.table_id}] {self.row} / {self.column}: {self.kind}: {self.detail}"
        )


def _number(cell: object) -> float | None:
    text = str(cell).strip().replace("\u2212", "-")
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", ""))


@dataclass
class _Cells:
    """A table's text cells classified: numbers, hidden (marker) cells."""

    text: pd.DataFrame
    marker: str

    def __post_init__(self) -> None:
        stripped = self.text.astype(str).apply(lambda column: column.str.strip())
        self.text = stripped
        self.hidden = stripped.isin({self.marker, CONFIDENTIAL})
        self.numbers = stripped.apply(lambda column: column.map(_number)).astype(float)


def _row_name(cells: _Cells, row: int, key: Iterable[str]) -> str:
    parts = [f"{c}={cells.text.iloc[row][c]}" for c in key if c in cells.text.columns]
    return ", ".join(parts) or f"row {row + 1}"


def _lines(frame: pd.DataFrame, parts: Mapping) -> Iterable[tuple[np.ndarray, int | None, dict]]:
    """(part rows, total row or None, within values) for one ``Parts`` declaration.

    A line that lacks a row for one of its listed parts is left out: the table does not
    say what the missing part is (a place with no published value for a Fingertips
    indicator, say), so its total minus the shown parts is not any one part.
    """
    labels = frame[parts["column"]].map(_label).to_numpy()
    within = list(parts.get("within") or ())
    if within:
        groups = frame.groupby([frame[c].map(_label) for c in within], sort=False).indices
    else:
        groups = {(): np.arange(len(frame))}
    for key, rows in groups.items():
        values = key if isinstance(key, tuple) else (key,)
        where = dict(zip(within, map(str, values), strict=True))
        rows = np.asarray(rows)
        total = parts.get("total")
        is_total = labels[rows] == total if total is not None else np.zeros(len(rows), bool)
        listed = parts.get("parts")
        is_part = np.isin(labels[rows], list(listed)) if listed is not None else ~is_total
        total_rows = rows[is_total]
        if listed is not None and len(set(labels[rows[is_part]])) < len(set(listed)):
            continue
        yield rows[is_part], (int(total_rows[0]) if len(total_rows) else None), where


def scan_table(
    text: pd.DataFrame,
    declaration: Mapping,
    *,
    where: str,
    others: Mapping[str, pd.DataFrame] | None = None,
) -> list[Finding]:
    """Check one published table (text cells, CSV column names) against its declaration.

    ``others``: the other tables of the same area and chapter (text cells by table id),
    for totals published elsewhere (``total_in``).
    """
    rule = declaration.get("rule", {})
    low, high = int(rule.get("min_count", 1)), int(rule.get("max_count", 7))
    marker = str(rule.get("marker") or CONFIDENTIAL)
    table_id = str(declaration.get("table_id", where))
    spec = Disclosure.from_json(json.dumps(declaration))
    cells = _Cells(text.reset_index(drop=True), marker)
    found: list[Finding] = []

    def add(row: int | str, column: str, kind: str, detail: str) -> None:
        name = row if isinstance(row, str) else _row_name(cells, row, spec.key)
        found.append(Finding(where, table_id, name, column, kind, detail))

    columns = set(cells.text.columns)
    declared = set(spec.counts) | set(spec.derived)
    for spec_derived in spec.derived.values():
        declared |= set(spec_derived.counts)
        if spec_derived.denominator:
            declared.add(spec_derived.denominator)
    for missing in sorted(declared - columns):
        add("all rows", missing, "declaration", "declared column is not published")
    counts = [c for c in spec.counts if c in columns]

    # direct
    for column in counts:
        values = cells.numbers[column]
        for row in np.flatnonzero(((values >= low) & (values <= high)).to_numpy()):
            add(int(row), column, "direct", f"count {values.iloc[row]:g} is shown")

    # derived, rate x denominator
    for name, derived in spec.derived.items():
        if name not in columns:
            continue
        shown = cells.numbers[name].notna()
        sources = [c for c in derived.counts if c in columns]
        if derived.denominator in columns and derived.denominator in spec.counts:
            sources.append(derived.denominator)
        if sources:
            hidden_source = cells.hidden[sources].any(axis=1)
            for row in np.flatnonzero((shown & hidden_source).to_numpy()):
                add(int(row), name, "derived", "shown although a count it derives from is [c]")
        if derived.denominator in columns and derived.per:
            estimate = cells.numbers[name] * cells.numbers[derived.denominator] / float(derived.per)
            rounded = estimate.round()
            small = (rounded >= low) & (rounded <= high) & ((estimate - rounded).abs() < 0.05)
            for row in np.flatnonzero(small.fillna(False).to_numpy()):
                add(
                    int(row),
                    name,
                    "rate x denominator",
                    f"{cells.text.iloc[row][name]} x {cells.text.iloc[row][derived.denominator]}"
                    f" / {derived.per:g} = {estimate.iloc[row]:.2f}",
                )

    # subtraction across rows
    frame = cells.text
    for parts in declaration.get("rows", ()):
        if parts["column"] not in columns or any(
            c not in columns for c in parts.get("within") or ()
        ):
            continue
        line_counts = [c for c in (parts.get("counts") or spec.counts) if c in columns]
        other = None
        if parts.get("total_in") and others is not None:
            other = others.get(parts["total_in"])
        for part_rows, total_row, within in _lines(frame, parts):
            if len(part_rows) == 0:
                continue
            for column in line_counts:
                hidden = cells.hidden[column].to_numpy()[part_rows]
                values = cells.numbers[column].to_numpy()[part_rows]
                total_value: float | None = None
                total_hidden = False
                if total_row is not None:
                    total_hidden = bool(cells.hidden[column].iloc[total_row])
                    number = cells.numbers[column].iloc[total_row]
                    total_value = None if np.isnan(number) else float(number)
                elif other is not None and column in other.columns:
                    selected = np.ones(len(other), dtype=bool)
                    for key, value in within.items():
                        if key in other.columns:
                            selected &= other[key].map(_label).to_numpy() == value
                    if selected.sum() == 1:
                        cell = str(other.loc[selected, column].iloc[0]).strip()
                        total_hidden = cell in {marker, CONFIDENTIAL}
                        total_value = _number(cell)
                label = ", ".join(f"{k}={v}" for k, v in within.items()) or "table"
                if hidden.sum() == 1 and not np.isnan(values[~hidden]).any():
                    if total_value is not None:
                        recovered = total_value - float(np.nansum(values[~hidden]))
                        add(
                            int(part_rows[hidden][0]),
                            column,
                            "subtraction",
                            f"total {total_value:g} minus the other parts ({label}) = "
                            f"{recovered:g}",
                        )
                    elif total_row is None and not total_hidden and parts.get("total") is None:
                        add(
                            int(part_rows[hidden][0]),
                            column,
                            "subtraction",
                            f"the only hidden part of a total published elsewhere ({label})",
                        )
                if total_hidden and hidden.sum() == 0 and not np.isnan(values).any():
                    add(
                        label,
                        column,
                        "subtraction",
                        f"hidden total is the sum of its shown parts = {np.sum(values):g}",
                    )

    # subtraction across columns
    for parts in declaration.get("columns", ()):
        names = [parts["total"], *parts["parts"]]
        if any(c not in columns for c in names):
            continue
        for row in range(len(frame)):
            hidden = cells.hidden.iloc[row][parts["parts"]].to_numpy()
            values = cells.numbers.iloc[row][parts["parts"]].to_numpy(dtype=float)
            total = cells.numbers.iloc[row][parts["total"]]
            if hidden.sum() == 1 and not np.isnan(total) and not np.isnan(values[~hidden]).any():
                add(
                    row,
                    parts["parts"][int(np.flatnonzero(hidden)[0])],
                    "subtraction",
                    f"row total {total:g} minus the other columns = "
                    f"{total - values[~hidden].sum():g}",
                )

    # same quantity
    for same in declaration.get("same", ()):
        if same["column"] not in columns or same["measure"] not in columns:
            continue
        identity = frame[same["measure"]].map(_label)
        for column in same.get("on", ()):
            if column in columns:
                identity = identity + " @ " + frame[column].map(_label)
        groups: dict[str, list[tuple[int, str]]] = {}
        for row, key in enumerate(identity):
            groups.setdefault(key, []).append((row, same["column"]))
        for other_same in declaration.get("same", ()):
            if other_same is same or other_same["column"] not in columns:
                continue
            other_identity = frame[other_same["measure"]].map(_label)
            for column in other_same.get("on", ()):
                if column in columns:
                    other_identity = other_identity + " @ " + frame[column].map(_label)
            for row, key in enumerate(other_identity):
                if key in groups:
                    groups[key].append((row, other_same["column"]))
        for key, members in groups.items():
            states = {bool(cells.hidden.iloc[r][c]) for r, c in members}
            if states == {True, False}:
                row, column = next((r, c) for r, c in members if not cells.hidden.iloc[r][c])
                add(row, column, "same quantity", f"{key} is [c] elsewhere in the table")
    return found


# --- reading the published forms ---------------------------------------------------------


def _declarations(data_dir: Path) -> dict[tuple[str, str, str], dict]:
    out = {}
    for path in sorted(data_dir.rglob("*.disclosure.json")):
        folders = path.relative_to(data_dir).parts[:-1]
        # data/<area>/<chapter>/<id>.csv, or a file of the whole build (data/indicators.csv)
        area = folders[0] if folders else ""
        chapter = "/".join(folders[1:])
        document = json.loads(path.read_text(encoding="utf-8"))
        out[(area, chapter, document["table_id"])] = document
    return out


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


_CAPTION = re.compile(r"^: (?P<caption>.*) \{#tbl-(?P<id>[A-Za-z0-9_-]+)\}\s*$")


def _split_row(line: str) -> list[str]:
    body = line.strip()[1:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def markdown_tables(text: str) -> dict[str, pd.DataFrame]:
    """The pipe tables of a Markdown text that carry a ``{#tbl-<id>}`` caption, by id."""
    tables: dict[str, pd.DataFrame] = {}
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = _CAPTION.match(line.strip())
        if not match:
            continue
        end = index - 1
        while end >= 0 and not lines[end].strip():
            end -= 1
        start = end
        while start >= 0 and lines[start].strip().startswith("|"):
            start -= 1
        block = lines[start + 1 : end + 1]
        if len(block) < 2:
            continue
        header = _split_row(block[0])
        rows = [_split_row(row) for row in block[2:]]
        table = pd.DataFrame(rows, columns=header)
        table.attrs["caption"] = match.group("caption")
        tables[match.group("id")] = table
    return tables


class _HtmlTables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._id: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            ident = dict(attrs).get("id") or ""
            self._id = ident[4:] if ident.startswith("tbl-") else None
            if self._id:
                self.tables[self._id] = []
        elif self._id and tag == "tr":
            self._row = []
        elif self._id and tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._id = None
        elif self._id and tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif self._id and tag == "tr" and self._row is not None:
            self.tables[self._id].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> dict[str, pd.DataFrame]:
    """The tables of an HTML report that have an ``id="tbl-<id>"``, by id."""
    parser = _HtmlTables()
    parser.feed(html)
    return {
        ident: pd.DataFrame(rows[1:], columns=rows[0])
        for ident, rows in parser.tables.items()
        if rows and all(len(row) == len(rows[0]) for row in rows)
    }


def _as_columns(shown: pd.DataFrame, declaration: Mapping) -> pd.DataFrame:
    """A displayed table with its headers mapped back to the CSV column names."""

    def plain(text: str) -> str:  # pandoc's smart quotes in HTML and PDF
        return (
            str(text)
            .replace("\u2019", "'")
            .replace("\u2018", "'")
            .replace("\u201c", '"')
            .replace("\u201d", '"')
        )

    back = {plain(header): column for column, header in (declaration.get("headers") or {}).items()}
    return shown.rename(columns=lambda header: back.get(plain(header), header))


def _notebook_markdown(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            markdown = output.get("data", {}).get("text/markdown")
            if markdown:
                texts.append(markdown if isinstance(markdown, str) else "".join(markdown))
    return "\n\n".join(texts)


def pdf_text(path: Path) -> str:
    """The text of a PDF in reading layout (``pdftotext -layout``, poppler-utils)."""
    executable = shutil.which("pdftotext")
    if executable is None:
        raise FileNotFoundError("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([executable, "-layout", str(path), "-"], check=True, capture_output=True)
    return done.stdout.decode("utf-8", errors="replace")


_TOKEN = re.compile(r"\[c\]|\[x\]|\[z\]|[−-]?\d[\d,]*(?:\.\d+)?")


def _pdf_rows(text: str, shown: pd.DataFrame) -> list[tuple[int, list[str]]]:
    """(row, tokens after the label) for the table rows found in the PDF text by label.

    The rows are looked for below the table's caption (its first words), so a label such
    as ``2020`` is not matched in another table.
    """
    lines = text.splitlines()
    caption = " ".join(str(shown.attrs.get("caption", "")).split()[:6])
    starts = [i for i, line in enumerate(lines) if caption and caption in " ".join(line.split())]
    if len(starts) != 1:
        return []
    lines = lines[starts[0] + 1 : starts[0] + 1 + 4 * len(shown) + 12]
    first = shown.columns[0]
    labels = shown[first].astype(str).str.strip()
    found = []
    for row, label in enumerate(labels):
        if not label or label in SYMBOLS:
            continue
        candidates = [line for line in lines if line.strip().startswith(label + "  ")]
        if len(candidates) != 1:
            continue
        rest = candidates[0].strip()[len(label) :]
        found.append((row, _TOKEN.findall(rest)))
    return found


@dataclass
class ScanResult:
    """Everything the scanner found, and how much it looked at (so a test can tell a clean
    scan from one that checked nothing)."""

    findings: list[Finding]
    csv_tables: int = 0
    markdown_tables: int = 0
    html_tables: int = 0
    pdf_rows: int = 0
    pdfs: int = 0


def scan_outputs(output_dir: Path, *, pdf: bool = True) -> ScanResult:
    """Scan a published ``outputs/`` folder: data CSVs, notebooks, HTML and PDFs."""
    data_dir = output_dir / "data"
    declarations = _declarations(data_dir)
    result = ScanResult(findings=[])
    tables: dict[tuple[str, str], dict[str, pd.DataFrame]] = {}
    for area, chapter, table_id in declarations:
        path = data_dir / area / chapter / f"{table_id}.csv"
        tables.setdefault((area, chapter), {})[table_id] = _read_csv(path)
    for (area, chapter, table_id), declaration in declarations.items():
        others = tables[(area, chapter)]
        result.findings += scan_table(
            others[table_id],
            declaration,
            where=(Path("data") / area / chapter / f"{table_id}.csv").as_posix(),
            others=others,
        )
        result.csv_tables += 1
    shown_by_area: dict[str, list[tuple[dict, pd.DataFrame]]] = {}
    for notebook in sorted((output_dir / "notebooks").glob("*/*.ipynb")):
        area, chapter = notebook.parent.name, notebook.stem
        for table_id, shown in markdown_tables(_notebook_markdown(notebook)).items():
            declaration = declarations.get((area, chapter, table_id))
            if declaration is None:
                continue
            frame = _as_columns(shown, declaration)
            result.findings += scan_table(
                frame, declaration, where=f"notebooks/{area}/{chapter}.ipynb"
            )
            result.markdown_tables += 1
            shown_by_area.setdefault(area, []).append((declaration, shown))
    pages = [(path, "icb") for path in sorted((output_dir / "report").glob("*.html"))]
    pages += [(path, path.stem) for path in sorted((output_dir / "places").glob("*.html"))]
    for html, page_area in pages:
        by_id = {table_id: d for (a, _c, table_id), d in declarations.items() if a == page_area}
        for table_id, shown in html_tables(html.read_text(encoding="utf-8")).items():
            if table_id in by_id:
                result.findings += scan_table(
                    _as_columns(shown, by_id[table_id]), by_id[table_id], where=html.name
                )
                result.html_tables += 1
    if pdf:
        pdfs = [(path, "icb") for path in sorted((output_dir / "report").glob("*.pdf"))]
        pdfs += [(path, path.stem) for path in sorted((output_dir / "places").glob("*.pdf"))]
        for path, area in pdfs:
            result.pdfs += 1
            _scan_pdf(path, area, shown_by_area.get(area, []), result)
    return result


def _scan_pdf(
    path: Path, area: str, shown: list[tuple[dict, pd.DataFrame]], result: ScanResult
) -> None:
    text = pdf_text(path)
    where = f"{path.parent.name}/{path.name}"
    expected = sum(int(frame.isin([CONFIDENTIAL]).to_numpy().sum()) for _, frame in shown)
    printed = text.count(CONFIDENTIAL)
    if printed < expected:
        result.findings.append(
            Finding(
                where,
                "all tables",
                "all rows",
                "all",
                "pdf",
                f"{printed} [c] printed but its tables hide {expected} cells",
            )
        )
    for declaration, frame in shown:
        counts_at = [
            position
            for position, header in enumerate(frame.columns)
            if _as_columns(frame, declaration).columns[position] in set(declaration["counts"])
        ]
        rule = declaration.get("rule", {})
        low, high = int(rule.get("min_count", 1)), int(rule.get("max_count", 7))
        for row, tokens in _pdf_rows(text, frame):
            cells = [str(cell).strip() for cell in frame.iloc[row].tolist()[1:]]
            expected_tokens = [cell for cell in cells if _TOKEN.fullmatch(cell)]
            if len(tokens) != len(expected_tokens) or len(cells) != len(expected_tokens):
                continue  # wrapped or text cells: this row cannot be read back token by token
            result.pdf_rows += 1
            for position, (token, cell) in enumerate(zip(tokens, cells, strict=True), start=1):
                column = str(frame.columns[position])
                if cell == CONFIDENTIAL and token != CONFIDENTIAL:
                    result.findings.append(
                        Finding(
                            where,
                            declaration["table_id"],
                            str(frame.iloc[row, 0]),
                            column,
                            "pdf",
                            f"shows {token} where the table has [c]",
                        )
                    )
                value = _number(token)
                if position in counts_at and value is not None and low <= value <= high:
                    result.findings.append(
                        Finding(
                            where,
                            declaration["table_id"],
                            str(frame.iloc[row, 0]),
                            column,
                            "direct",
                            f"count {value:g} is shown",
                        )
                    )
