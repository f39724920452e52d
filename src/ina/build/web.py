"""Web-first outputs: the area register, one Excel workbook per area, the landing page.

GOV.UK guidance is HTML first, and a place lead should not need a PDF or a folder of CSVs
to get at the numbers. So besides the report pages the build publishes:

- ``data/areas.csv`` (:func:`write_area_register`), written before any notebook runs: the
  code and name of every area, from which the publishing layer names the area(s) of every
  CSV (:func:`ina.publishing.tables.self_describing`);
- ``downloads/<area>.xlsx`` (:func:`write_workbook`): every table and figure data table of
  one area, one sheet each, with a contents sheet, a notes sheet (suppression symbols,
  column and indicator definitions, sources) and the area's rows of the indicators file;
  the cells are the published CSV cells, so the workbook hides exactly what the CSVs hide;
- ``index.html`` (:func:`write_landing_page`): links to the ICB report and every place
  (HTML, PDF, workbook), the downloads, the QA report and the manifest.

All three are deterministic: same inputs, same bytes (the workbook's zip entries and
document properties carry a fixed date).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from ina.build.assemble import parse_cell_options, template_environment
from ina.publishing.scan import markdown_tables
from ina.publishing.suppression import RuleLike
from ina.publishing.tables import AREA_REGISTER, DISCLOSURE_SUFFIX, declare_count_free_table

__all__ = [
    "DOWNLOADS_DIR",
    "LANDING_PAGE",
    "AreaPage",
    "area_links",
    "write_area_register",
    "write_landing_page",
    "write_sources_table",
    "write_workbook",
]

DOWNLOADS_DIR = "downloads"
LANDING_PAGE = "index.html"
#: The appendix's table of source extracts, published as data like every other table.
SOURCES_TABLE = "sources.csv"
COVERAGE_TABLE = "coverage.csv"
#: The date every workbook says it was made (a real date would change its bytes each run).
_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_FIXED_W3CDTF = "1980-01-01T00:00:00Z"
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
#: What the symbols in every published table mean (GSS guidance on symbols in tables).
SYMBOLS = {
    "[c]": "Confidential: suppressed to protect small numbers (and the cells that would "
    "give them back by subtraction).",
    "[x]": "Not available.",
    "[z]": "Not applicable.",
}
#: The columns every table may carry, as the publishing layer names them.
COLUMN_NOTES = {
    "area_id": "The area's id in ina.yml (icb for the whole ICB).",
    "area_code": "The area's code: the ONS code of the ICB; a place, defined in ina.yml, "
    "has no ONS code and is coded by its id.",
    "area_name": "The area's name.",
    "period": "The period the value covers.",
    "*_95_ci": "Lower or upper limit of the 95% confidence interval (a range 'a–b' where the "
    "column holds both).",
}


@dataclass(frozen=True)
class AreaPage:
    """One area's published files, relative to the outputs folder."""

    area_id: str
    area_name: str
    kind: str
    html: str | None
    pdf: str
    workbook: str


def write_area_register(
    data_dir: Path, areas: Iterable[Any], *, icb_code: str | None, rule: RuleLike
) -> Path:
    """``data/areas.csv``: ``area_id, area_code, area_name, area_kind``, one row an area."""
    rows = [
        {
            "area_id": area.id,
            "area_code": (icb_code or area.id) if area.kind == "icb" else area.id,
            "area_name": area.name,
            "area_kind": area.kind,
        }
        for area in areas
    ]
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / AREA_REGISTER
    path.write_bytes(pd.DataFrame(rows).to_csv(index=False, lineterminator="\n").encode())
    declare_count_free_table(path, rule=rule)
    return path


def write_sources_table(data_dir: Path, sources: Sequence[Any], *, rule: RuleLike) -> Path:
    """``data/sources.csv``: the appendix's table of source extracts, with checksums."""
    rows = [
        {
            "source": row.name,
            "file": row.file,
            "extract_date": row.extract_date,
            "rows": row.rows,
            "sha256": row.sha256,
        }
        for row in sources
    ]
    columns = ["source", "file", "extract_date", "rows", "sha256"]
    path = data_dir / SOURCES_TABLE
    data_dir.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(rows, columns=columns)
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode())
    declare_count_free_table(path, rule=rule)
    return path


def write_coverage_table(
    data_dir: Path, coverage: Sequence[dict[str, Any]], *, rule: RuleLike
) -> Path:
    """``data/coverage.csv``: the appendix's Coverage table (each source: supplied or not,
    its files and what it enables), so that table links its data like every other."""
    columns = ["source", "status", "files", "enables"]
    rows = [
        {
            "source": row["source"],
            "status": row["status"],
            "files": "; ".join(row["files"]) if row["files"] else "none",
            "enables": row["enables"],
        }
        for row in coverage
    ]
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / COVERAGE_TABLE
    frame = pd.DataFrame(rows, columns=columns)
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode())
    declare_count_free_table(path, rule=rule)
    return path


def area_links(page: AreaPage, *, from_folder: str) -> list[dict[str, str]]:
    """The links a report page shows on its cover: its PDF, its workbook, every report."""
    up = "../" * len(Path(from_folder).parts)
    return [
        {"href": f"{up}{page.pdf}", "text": f"PDF of this report ({page.area_name})", "note": ""},
        {
            "href": f"{up}{page.workbook}",
            "text": f"Excel workbook of every table ({page.area_name})",
            "note": "XLSX",
        },
        {"href": f"{up}{LANDING_PAGE}", "text": "All reports and downloads", "note": ""},
    ]


# --- the workbook -----------------------------------------------------------------------


def _captions(notebook_path: Path) -> dict[str, str]:
    """Table captions (``: caption {#tbl-id}``) and figure captions (``#| fig-cap``) by id."""
    if not notebook_path.is_file():
        return {}
    notebook = nbformat.read(notebook_path, as_version=4)
    captions: dict[str, str] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        options = parse_cell_options(source)
        for match in re.finditer(r"figure_id=\"([^\"]+)\"", source):
            if options.get("fig-cap"):
                captions.setdefault(match.group(1), str(options["fig-cap"]))
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text is None:
                continue
            for table_id, table in markdown_tables("".join(text)).items():
                captions.setdefault(table_id, str(table.attrs.get("caption", "")))
    return captions


def _cell(value: str) -> object:
    """A CSV cell as the workbook stores it: plain numbers as numbers, the rest as text."""
    return float(value) if _NUMBER.match(value) and len(value) < 16 else value


def _sheet_name(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "table"
    name, suffix = base, 2
    while name.lower() in taken:
        tail = f"-{suffix}"
        name, suffix = base[: 31 - len(tail)] + tail, suffix + 1
    taken.add(name.lower())
    return name


def _write_frame(sheet: Any, frame: pd.DataFrame, *, title: str, note: str) -> None:
    from openpyxl.styles import Font

    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([note])
    sheet.append([])
    sheet.append([str(column) for column in frame.columns])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([_cell(str(value)) for value in row])
    sheet.freeze_panes = "A5"
    for index, column in enumerate(frame.columns, start=1):
        width = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))], default=8)
        sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = min(
            60, max(10, width + 2)
        )


def _link_to_sheet(cell: Any, sheet: str) -> None:
    """An internal hyperlink (no relationship, no external target) to a sheet's A1."""
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A1")
    cell.font = Font(color="005EB8", underline="single")


def _deterministic(xlsx: bytes) -> bytes:
    """Re-zip with fixed entry dates and fixed created/modified document properties."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + _FIXED_W3CDTF.encode() + m.group(3),
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return out.getvalue()


def write_workbook(
    path: Path,
    *,
    data_dir: Path,
    notebooks_dir: Path,
    area_id: str,
    area_name: str,
    title: str,
    chapters: Sequence[str],
    sources: Sequence[Any],
    suppression: Mapping[str, Any],
    definitions: Iterable[Any] = (),
    indicators_file: str = "indicators.csv",
) -> Path:
    """One area's Excel workbook: contents, notes, every table of the area, its indicators.

    Tables are read from the published CSVs (``data/<area>/<chapter>/<id>.csv``, in chapter
    order then by id) and their declarations, so the workbook holds exactly the cells the
    CSVs publish, symbols included.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    contents = workbook.active
    contents.title = "Contents"
    notes = workbook.create_sheet("Notes")
    taken = {"contents", "notes"}
    listed: list[tuple[str, str, str, str, str]] = []
    for chapter in chapters:
        folder = data_dir / area_id / chapter
        captions = _captions(notebooks_dir / area_id / f"{chapter}.ipynb")
        for csv in sorted(folder.glob("*.csv")):
            declaration_path = csv.with_name(f"{csv.stem}{DISCLOSURE_SUFFIX}")
            declaration = (
                json.loads(declaration_path.read_text(encoding="utf-8"))
                if declaration_path.is_file()
                else {}
            )
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            kind = str(declaration.get("kind", "table"))
            caption = captions.get(csv.stem, "")
            name = _sheet_name(csv.stem, taken)
            _write_frame(
                workbook.create_sheet(name),
                frame,
                title=caption or csv.stem,
                note=f"{kind.capitalize()} {csv.stem}, chapter {chapter}; "
                f"CSV: data/{area_id}/{chapter}/{csv.name}. Symbols: see Notes.",
            )
            listed.append((name, csv.stem, chapter, kind, caption))
    indicators = data_dir / indicators_file
    if indicators.is_file():
        frame = pd.read_csv(indicators, dtype=str, keep_default_na=False)
        if area_id != "icb" and "area_id" in frame.columns:
            frame = frame[frame["area_id"] == area_id]
        name = _sheet_name("indicators", taken)
        _write_frame(
            workbook.create_sheet(name),
            frame,
            title=f"Indicators: {area_name}",
            note=f"Rows of data/{indicators_file} for "
            f"{'every area' if area_id == 'icb' else area_name}.",
        )
        listed.append((name, "indicators", "all", "indicators file", f"data/{indicators_file}"))

    contents.append([f"{title}: {area_name}"])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append(
        [
            "Every table of this area's report, one sheet each. Notes: symbols, "
            "definitions and sources."
        ]
    )
    contents.append([])
    contents.append(["Sheet", "Table id", "Chapter", "Kind", "Title"])
    for cell in contents[4]:
        cell.font = Font(bold=True)
    contents.append(
        ["Notes", "", "", "notes", "Symbols, column and indicator definitions, sources"]
    )
    _link_to_sheet(contents.cell(row=5, column=1), "Notes")
    for sheet, table_id, chapter, kind, caption in listed:
        contents.append([sheet, table_id, chapter, kind, caption])
        _link_to_sheet(contents.cell(row=contents.max_row, column=1), sheet)
    for letter, width in zip("ABCDE", (24, 26, 14, 16, 80), strict=True):
        contents.column_dimensions[letter].width = width

    notes.append(["Notes"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([])
    notes.append(["Symbols"])
    notes.cell(row=notes.max_row, column=1).font = Font(bold=True)
    marker = str((suppression or {}).get("marker", "[c]"))
    if (suppression or {}).get("disabled"):
        notes.append(["UNSUPPRESSED — NOT FOR PUBLICATION", "Small counts are shown as they are."])
    else:
        notes.append([
            marker,
            f"Confidential: counts from {suppression.get('min_count')} to "
            f"{suppression.get('max_count')}, values derived from them and cells that would "
            "give them back by subtraction are suppressed.",
        ])  # fmt: skip
    for symbol, meaning in SYMBOLS.items():
        if symbol != marker:
            notes.append([symbol, meaning])
    notes.append([])
    notes.append(["Columns"])
    notes.cell(row=notes.max_row, column=1).font = Font(bold=True)
    for column, meaning in COLUMN_NOTES.items():
        notes.append([column, meaning])
    definitions = list(definitions)
    if definitions:
        notes.append([])
        notes.append(["Indicator definitions", "Name", "Definition", "Unit", "Method", "Polarity"])
        notes.cell(row=notes.max_row, column=1).font = Font(bold=True)
        for indicator in definitions:
            notes.append([
                indicator.id, indicator.short_name, indicator.definition, indicator.unit,
                indicator.method, str(indicator.polarity),
            ])  # fmt: skip
    notes.append([])
    notes.append(["Sources", "File", "Extract date", "Rows", "SHA-256"])
    notes.cell(row=notes.max_row, column=1).font = Font(bold=True)
    for source in sources:
        notes.append([source.name, source.file, source.extract_date, source.rows, source.sha256])
    for letter, width in zip("ABCDEF", (28, 40, 60, 12, 30, 16), strict=True):
        notes.column_dimensions[letter].width = width

    workbook.properties.title = f"{title}: {area_name}"
    workbook.properties.language = "en-GB"
    workbook.properties.creator = "ina"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_deterministic(buffer.getvalue()))
    return path


# --- the landing page -------------------------------------------------------------------


def write_landing_page(
    outputs: Path,
    *,
    templates_dir: Path,
    title: str,
    organisation: str,
    status_text: str,
    demo: bool,
    pages: Sequence[AreaPage],
) -> Path:
    """``index.html``: every report (HTML, PDF, workbook) and download, self-contained."""
    template = template_environment(templates_dir).get_template("index.html.j2")
    css = (templates_dir / "report.css").read_text(encoding="utf-8")
    downloads = [
        (path, text)
        for path, text in (
            ("data/indicators.csv", "Every indicator for every area (CSV)"),
            ("data/indicators.parquet", "The same table as Parquet"),
            ("data/areas.csv", "The areas: codes and names (CSV)"),
            ("data/sources.csv", "The source extracts, with their checksums (CSV)"),
            ("qa/qa-report.md", "Data-quality report (Markdown)"),
            ("qa/qa-findings.csv", "Data-quality findings (CSV)"),
            ("manifest.json", "Manifest: checksums of every input and output, versions (JSON)"),
        )
        if (outputs / path).is_file() or path == "manifest.json"
    ]
    html = template.render(
        title=title,
        organisation=organisation,
        status_text=status_text,
        demo=demo,
        css=css,
        icb=[page for page in pages if page.kind == "icb"],
        places=[page for page in pages if page.kind != "icb"],
        downloads=downloads,
    )
    path = outputs / LANDING_PAGE
    path.write_text(html, encoding="utf-8")
    return path
