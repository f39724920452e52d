"""The bad-input corpus (issue 6): small mutations of the demo project, and what must happen.

Each :class:`Case` is an id, a mutation of a fresh copy of the demo project, the exit
code the real CLI must give (2 config, 3 input, 0 for the accepted variants), the words
its one-line message must contain (the file or the ``ina.yml`` field first) and the
command that runs it. ``ina validate`` is enough for most cases (the build's first step
is the same validation); one case per defect class of issue 6 runs ``ina build``.

To add a case, append to :data:`CASES` (or :data:`ACCEPTED`): ``Case("id", mutation,
exit_code, ("words", ...))``. A mutation receives a :class:`Project` and changes files
through it. The project's ``data_raw`` files are hard links to one shared copy, so a
mutation must replace files (every :class:`Project` writer unlinks first), never write
into one in place; the corpus test checks that the shared copy is unchanged.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

EXIT_OK = 0
EXIT_CONFIG = 2
EXIT_INPUT = 3


@dataclass(frozen=True)
class Project:
    """A throw-away copy of the demo project that a case mutates."""

    root: Path

    # --- config -------------------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        return yaml.safe_load((self.root / "ina.yml").read_text(encoding="utf-8"))

    def edit_config(self, change: Callable[[dict[str, Any]], None]) -> None:
        """Load ``ina.yml``, let ``change`` edit the dict, write it back."""
        data = self.config()
        change(data)
        self.replace(self.root / "ina.yml", yaml.safe_dump(data, sort_keys=False).encode())

    def config_text(self, old: str, new: str) -> None:
        """Replace the first ``old`` in ina.yml's text (keeps comments; for YAML-level edits)."""
        text = (self.root / "ina.yml").read_text(encoding="utf-8")
        assert old in text, old
        self.replace(self.root / "ina.yml", text.replace(old, new, 1).encode())

    # --- files --------------------------------------------------------------------------

    def path(self, source: str, index: int = 0) -> Path:
        """The file a source names in ina.yml (the ``index``-th of a list)."""
        value = self.config()["sources"][source]
        return self.root / (value[index] if isinstance(value, list) else value)

    def replace(self, path: Path, data: bytes) -> None:
        """Write ``data`` to ``path`` as a new file (never through a shared hard link)."""
        if path.is_dir():
            shutil.rmtree(path)
        path.unlink(missing_ok=True)
        path.write_bytes(data)

    def data(self, source: str, index: int = 0) -> bytes:
        return self.path(source, index).read_bytes()

    def write(self, source: str, data: bytes, index: int = 0) -> None:
        self.replace(self.path(source, index), data)

    def lines(self, source: str, index: int = 0) -> tuple[bytes, list[bytes]]:
        """``(bom, lines)`` of a CSV source, lines without their ``\\n``."""
        data = self.data(source, index)
        bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
        body = data[len(bom) :]
        return bom, body.rstrip(b"\n").split(b"\n")

    def write_lines(
        self, source: str, lines: Iterable[bytes], bom: bytes = b"", index: int = 0
    ) -> None:
        self.write(source, bom + b"\n".join(lines) + b"\n", index)

    def header(self, source: str, index: int = 0) -> list[str]:
        _, lines = self.lines(source, index)
        return _cells(lines[0])

    def edit_rows(
        self,
        source: str,
        change: Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]],
        index: int = 0,
    ) -> None:
        """Parse the whole CSV, let ``change(header, rows)`` return new ones, write it."""
        bom, lines = self.lines(source, index)
        header, rows = _cells(lines[0]), [_cells(line) for line in lines[1:]]
        header, rows = change(header, rows)
        self.write_lines(source, [_line(header)] + [_line(row) for row in rows], bom, index)

    def set_cell(self, source: str, line: int, column: str, value: str, index: int = 0) -> None:
        """Set one cell: ``line`` is the 1-based file line (2 = first data row)."""
        bom, lines = self.lines(source, index)
        header = _cells(lines[0])
        cells = _cells(lines[line - 1])
        cells[header.index(column)] = value
        lines[line - 1] = _line(cells)
        self.write_lines(source, lines, bom, index)

    def cell(self, source: str, line: int, column: str, index: int = 0) -> str:
        _, lines = self.lines(source, index)
        return _cells(lines[line - 1])[_cells(lines[0]).index(column)]


def _cells(line: bytes) -> list[str]:
    return next(csv.reader([line.decode("utf-8").rstrip("\r")]))


def _line(cells: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Case:
    """One corpus entry: what to break, and how the CLI must answer."""

    id: str
    mutate: Callable[[Project], None]
    exit_code: int
    words: tuple[str, ...]
    command: str = "validate"
    input: str = ""  # a few words for CASES.md; defaults to the id

    @property
    def description(self) -> str:
        return self.input or self.id.replace("-", " ")

    @property
    def slow(self) -> bool:
        """Outside the core set: run by ``make test`` and CI, skipped by ``-m 'not slow'``."""
        return self.id not in CORE


# --- mutation builders ---------------------------------------------------------------------

FILES = {
    "small_area_lookup": "LSOA21_SICBL24_LAD24_lookup.csv",
    "district_lookup": "LTLA24_UTLA24_lookup.csv",
    "deprivation": "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv",
    "resident_population": "sapelsoasyoa2022.csv",
    "national_population": "MYE2_population_mid2022.xlsx",
    "population_projections": "SNPP2022_population_by_district.csv",
    "practice_map": "gp-reg-pat-prac-map.csv",
    "registered_by_age": "gp-reg-pat-prac-sing-age-female.csv",
    "registered_by_small_area": "gp-reg-pat-prac-lsoa-all.csv",
    "deaths": "deaths_2020_2024.csv",
    "births": "births_2020_2024.csv",
    "hospital_activity": "activity_2022_2024.csv",
    "fingertips": "fingertips_comparators.csv",
}


def cell(source: str, line: int, column: str, value: str) -> Callable[[Project], None]:
    return lambda p: p.set_cell(source, line, column, value)


def drop_column(source: str, column: str) -> Callable[[Project], None]:
    def change(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        i = header.index(column)
        return header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows]

    return lambda p: p.edit_rows(source, change)


def rename_column(source: str, column: str, new: str) -> Callable[[Project], None]:
    def mutate(p: Project) -> None:
        bom, lines = p.lines(source)
        header = _cells(lines[0])
        header[header.index(column)] = new
        p.write_lines(source, [_line(header), *lines[1:]], bom)

    return mutate


def extra_field(source: str) -> Callable[[Project], None]:
    """Every data row gets one field more than the header names (a shifted export)."""

    def mutate(p: Project) -> None:
        bom, lines = p.lines(source)
        p.write_lines(source, [lines[0], *(_append(line, b",1") for line in lines[1:])], bom)

    return mutate


def _append(line: bytes, text: bytes) -> bytes:
    """``line + text``, keeping a CRLF file's ``\r`` at the end of the line."""
    return line[:-1] + text + b"\r" if line.endswith(b"\r") else line + text


def header_only(source: str) -> Callable[[Project], None]:
    def mutate(p: Project) -> None:
        bom, lines = p.lines(source)
        p.write_lines(source, lines[:1], bom)

    return mutate


def truncated(source: str) -> Callable[[Project], None]:
    """The file cut mid-way through its last row (an interrupted download)."""

    def mutate(p: Project) -> None:
        data = p.data(source).rstrip(b"\n")
        last = data.rfind(b"\n")
        p.write(source, data[: last + 1 + 12])

    return mutate


def empty(source: str) -> Callable[[Project], None]:
    return lambda p: p.write(source, b"")


def png(source: str) -> Callable[[Project], None]:
    png_bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
    return lambda p: p.write(source, png_bytes)


def xlsx_as_csv(source: str) -> Callable[[Project], None]:
    """A workbook saved under the CSV's name (the MYE2 workbook of the demo)."""
    return lambda p: p.write(source, p.data("national_population"))


def undefined_byte(source: str) -> Callable[[Project], None]:
    """A byte Windows-1252 does not define (0x81) in the second data row."""

    def mutate(p: Project) -> None:
        bom, lines = p.lines(source)
        lines[2] = lines[2][:4] + b"\x81" + lines[2][4:]
        p.write_lines(source, lines, bom)

    return mutate


def folder(source: str) -> Callable[[Project], None]:
    def mutate(p: Project) -> None:
        path = p.path(source)
        path.unlink()
        path.mkdir()
        (path / "inside.csv").write_bytes(b"A\n1\n")

    return mutate


def missing(source: str) -> Callable[[Project], None]:
    return lambda p: p.path(source).unlink()


def reencode(
    source: str, *, bom: bool, encoding: str = "utf-8", crlf: bool = False
) -> Callable[[Project], None]:
    """The same table saved another way (BOM or not, Windows-1252, CRLF): must still read."""

    def mutate(p: Project) -> None:
        data = p.data(source)
        text = data.decode("utf-8-sig")
        if crlf:
            text = text.replace("\n", "\r\n")
        p.write(source, (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))

    return mutate


def with_accent(
    source: str, column: str, encoding: str, *, bom: bool = False, crlf: bool = False
) -> Callable[[Project], None]:
    """A name with an accent (Café), saved as UTF-8 (BOM optional) or Windows-1252."""

    def mutate(p: Project) -> None:
        _, lines = p.lines(source)
        header = _cells(lines[0])
        cells = _cells(lines[1])
        cells[header.index(column)] = cells[header.index(column)] + " Café"
        lines[1] = _line(cells)
        text = b"\n".join(lines).decode("utf-8") + "\n"
        if crlf:
            text = text.replace("\n", "\r\n")
        p.write(source, (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))

    return mutate


def xlsx_cell(sheet: str, row: int, column: int, value: object) -> Callable[[Project], None]:
    def mutate(p: Project) -> None:
        import openpyxl

        path = p.path("national_population")
        book = openpyxl.load_workbook(path)
        book[sheet].cell(row=row, column=column, value=value)
        out = io.BytesIO()
        book.save(out)
        p.replace(path, out.getvalue())

    return mutate


def xlsx_edit(change: Callable[[Any], None]) -> Callable[[Project], None]:
    def mutate(p: Project) -> None:
        import openpyxl

        path = p.path("national_population")
        book = openpyxl.load_workbook(path)
        change(book)
        out = io.BytesIO()
        book.save(out)
        p.replace(path, out.getvalue())

    return mutate


def config_set(dotted: str, value: object) -> Callable[[Project], None]:
    """Set ``a.b[0].c`` in ina.yml (``[i]`` indexes a list)."""

    def change(data: dict[str, Any]) -> None:
        target: Any = data
        parts = _path_parts(dotted)
        for part in parts[:-1]:
            target = target[part]
        target[parts[-1]] = value

    return lambda p: p.edit_config(change)


def config_delete(dotted: str) -> Callable[[Project], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        parts = _path_parts(dotted)
        for part in parts[:-1]:
            target = target[part]
        del target[parts[-1]]

    return lambda p: p.edit_config(change)


def _path_parts(dotted: str) -> list[str | int]:
    parts: list[str | int] = []
    for piece in dotted.split("."):
        name, *indexes = piece.replace("]", "").split("[")
        if name:
            parts.append(name)
        parts.extend(int(i) for i in indexes)
    return parts


def both(*mutations: Callable[[Project], None]) -> Callable[[Project], None]:
    def mutate(p: Project) -> None:
        for mutation in mutations:
            mutation(p)

    return mutate


def file_cases(source: str, kinds: Iterable[str]) -> list[Case]:
    """The file-level cases every source can have, by kind."""
    name = FILES[source]
    table: dict[str, tuple[Callable[[Project], None], tuple[str, ...], str]] = {
        "empty": (empty(source), ("empty (0 bytes)",), "0-byte file"),
        "header-only": (header_only(source), ("has a header but no data rows",), "header only"),
        "truncated": (truncated(source), ("truncated",), "last row cut mid-line"),
        "png": (png(source), ("not a CSV", "PNG image"), "PNG renamed .csv"),
        "xlsx": (xlsx_as_csv(source), ("not a CSV", "xlsx workbook"), ".xlsx renamed .csv"),
        "byte-0x81": (undefined_byte(source), ("not a CSV", "0x81"), "byte 0x81 (not cp1252)"),
        "folder": (folder(source), ("is a folder",), "a folder instead of the file"),
        "missing": (missing(source), ("file not found",), "file deleted"),
        "extra-field": (extra_field(source), ("more fields than the header",), "extra field"),
    }
    return [
        Case(
            f"{source}-{kind}",
            table[kind][0],
            EXIT_INPUT,
            (name, *table[kind][1]),
            input=f"{source}: {table[kind][2]}",
        )
        for kind in kinds
    ]


def _mye_all_ages_blank(book: Any) -> None:
    book["MYE2 - Males"].cell(row=5, column=4).value = None  # cell(value=None) keeps it


def _mye_header_only(book: Any) -> None:
    sheet = book["MYE2 - Females"]
    sheet.delete_rows(5, sheet.max_row)


def _mye_drop_age_90(book: Any) -> None:
    for sheet in book.worksheets:
        sheet.delete_cols(95)


def _mye_rename(book: Any) -> None:
    book["MYE2 - Males"].title = "Males"


# --- the corpus ----------------------------------------------------------------------------

LOOKUP = FILES["small_area_lookup"]
DEATHS = FILES["deaths"]
BIRTHS = FILES["births"]
ACTIVITY = FILES["hospital_activity"]
MYE = FILES["national_population"]

CASES: list[Case] = [
    # -- issue 6 section 4, one per defect class, through `ina build` ------------------------
    Case(
        "deaths-byte-0x81-build",
        undefined_byte("deaths"),
        EXIT_INPUT,
        (DEATHS, "row 3", "not a CSV in UTF-8 or Windows-1252", "0x81"),
        "build",
        "deaths: byte 0x81, through ina build",
    ),
    Case(
        "deaths-xlsx-renamed-build",
        xlsx_as_csv("deaths"),
        EXIT_INPUT,
        (DEATHS, "not a CSV", "xlsx workbook"),
        "build",
        "deaths: .xlsx renamed .csv, build",
    ),
    Case(
        "hospital_activity-1e12-build",
        cell("hospital_activity", 3, "ACTIVITY", "1000000000000"),
        EXIT_INPUT,
        (ACTIVITY, "row 3", "'ACTIVITY'", "count too large", "1000000000000"),
        "build",
        "A&E count 1e12, through ina build",
    ),
    Case(
        "hospital_activity-21-digits-build",
        cell("hospital_activity", 3, "ACTIVITY", "123456789012345678901"),
        EXIT_INPUT,
        (ACTIVITY, "row 3", "count too large"),
        "build",
        "21-digit count (int64 wrap)",
    ),
    Case(
        "deaths-future-registration-build",
        cell("deaths", 4, "DOR", "2031-01-02"),
        EXIT_INPUT,
        (DEATHS, "row 4", "'DOR'", "in the future"),
        "build",
        "death registered in 2031",
    ),
    Case(
        "hospital_activity-fyear-203031-build",
        cell("hospital_activity", 2, "FYEAR", "203031"),
        EXIT_INPUT,
        (ACTIVITY, "row 2", "'FYEAR'", "has not started"),
        "build",
        "financial year 203031",
    ),
    Case(
        "deaths-header-only-build",
        header_only("deaths"),
        EXIT_INPUT,
        (DEATHS, "has a header but no data rows"),
        "build",
        "header-only deaths file",
    ),
    Case(
        "place-unknown-district-build",
        config_set("place_schemes.phip_alliances.places[1].members[2].district", "E07000999"),
        EXIT_CONFIG,
        (
            "ina.yml: place_schemes.phip_alliances.places[1].members[2].district",
            "E07000999",
            "known districts",
            "E07000143",
        ),
        "build",
        "place member district E07000999",
    ),
    # -- small area lookup (BOM file) -------------------------------------------------------
    *file_cases("small_area_lookup", ["empty", "png", "folder", "truncated"]),
    Case(
        "small_area_lookup-missing-column",
        drop_column("small_area_lookup", "SICBL24CDH"),
        EXIT_INPUT,
        (LOOKUP, "SICBL", "is missing"),
    ),
    Case(
        "small_area_lookup-renamed-column",
        rename_column("small_area_lookup", "LSOA21NM", "LSOA_NAME"),
        EXIT_INPUT,
        (LOOKUP, "LSOA", "is missing"),
    ),
    Case(
        "small_area_lookup-wrong-level-code",
        cell("small_area_lookup", 5, "LSOA21CD", "E07000143"),
        EXIT_INPUT,
        (LOOKUP, "row 5", "ill-formed LSOA code", "E07000143"),
        input="small_area_lookup: a district code in LSOA21CD",
    ),
    Case(
        "small_area_lookup-county-as-district",
        cell("small_area_lookup", 6, "LAD24CD", "E10000020"),
        EXIT_INPUT,
        (LOOKUP, "row 6", "ill-formed district code"),
    ),
    Case(
        "district_lookup-district-left-out",
        lambda p: p.write_lines(
            "district_lookup",
            [line for line in p.lines("district_lookup")[1] if not line.startswith(b"E07000148")],
            p.lines("district_lookup")[0],
        ),
        EXIT_INPUT,
        (FILES["district_lookup"], "not in the district lookup", "E07000148"),
        input="district_lookup without Norwich (a district of the small-area lookup)",
    ),
    Case(
        "small_area_lookup-duplicate",
        lambda p: p.write_lines(
            "small_area_lookup",
            [*p.lines("small_area_lookup")[1], p.lines("small_area_lookup")[1][1]],
            p.lines("small_area_lookup")[0],
        ),
        EXIT_INPUT,
        (LOOKUP, "duplicate small area"),
    ),
    # -- district lookup --------------------------------------------------------------------
    *file_cases("district_lookup", ["header-only", "xlsx", "missing"]),
    Case(
        "district_lookup-missing-column",
        drop_column("district_lookup", "UTLA24NM"),
        EXIT_INPUT,
        (FILES["district_lookup"], "UTLA", "is missing"),
    ),
    Case(
        "district_lookup-wrong-level-code",
        cell("district_lookup", 2, "LTLA24CD", "X01000001"),
        EXIT_INPUT,
        (FILES["district_lookup"], "row 2", "ill-formed district code"),
    ),
    Case(
        "district_lookup-blank-name",
        cell("district_lookup", 3, "LTLA24NM", ""),
        EXIT_INPUT,
        (FILES["district_lookup"], "row 3", "blank cell"),
    ),
    # -- deprivation ------------------------------------------------------------------------
    *file_cases("deprivation", ["truncated", "byte-0x81", "folder"]),
    Case(
        "deprivation-renamed-column",
        rename_column("deprivation", "LSOA code (2021)", "LSOA (2021)"),
        EXIT_INPUT,
        (FILES["deprivation"], "LSOA code"),
    ),
    Case(
        "deprivation-rank-text",
        cell(
            "deprivation",
            4,
            "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
            "high",
        ),
        EXIT_INPUT,
        (FILES["deprivation"], "row 4", "not a number", "high"),
    ),
    Case(
        "deprivation-decile-11",
        cell(
            "deprivation",
            4,
            "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
            "11",
        ),
        EXIT_INPUT,
        (FILES["deprivation"], "row 4", "out of range"),
    ),
    Case(
        "deprivation-negative-score",
        cell("deprivation", 7, "Index of Multiple Deprivation (IMD) Score", "-3.5"),
        EXIT_INPUT,
        (FILES["deprivation"], "row 7", "below 0"),
    ),
    Case(
        "deprivation-unknown-lsoa",
        cell("deprivation", 9, "LSOA code (2021)", "X01999999"),
        EXIT_INPUT,
        (FILES["deprivation"], "row 9", "not found in the lookup", "X01999999"),
    ),
    # -- resident population (SAPE) ---------------------------------------------------------
    *file_cases("resident_population", ["header-only", "png", "extra-field"]),
    Case(
        "resident_population-missing-age",
        drop_column("resident_population", "M90"),
        EXIT_INPUT,
        (FILES["resident_population"], "M90", "is missing"),
    ),
    Case(
        "resident_population-star",
        cell("resident_population", 3, "F7", "*"),
        EXIT_INPUT,
        (FILES["resident_population"], "row 3", "'F7'", "not a number", "'*'"),
    ),
    Case(
        "resident_population-fractional",
        cell("resident_population", 3, "F7", "7.5"),
        EXIT_INPUT,
        (FILES["resident_population"], "row 3", "not a whole number"),
    ),
    Case(
        "resident_population-negative",
        cell("resident_population", 3, "M40", "-4"),
        EXIT_INPUT,
        (FILES["resident_population"], "row 3", "negative count"),
    ),
    Case(
        "resident_population-huge",
        both(
            cell("resident_population", 3, "F7", "900000"),
            cell("resident_population", 3, "Total", "900000"),
        ),
        EXIT_INPUT,
        (FILES["resident_population"], "row 3", "count too large", "residents of one small area"),
    ),
    Case(
        "resident_population-total-wrong",
        cell("resident_population", 3, "Total", "12"),
        EXIT_INPUT,
        (FILES["resident_population"], "row 3", "does not equal the sum"),
    ),
    Case(
        "resident_population-unknown-lsoa",
        cell("resident_population", 2, "LSOA 2021 Code", "X01999999"),
        EXIT_INPUT,
        (FILES["resident_population"], "row 2", "not found in the lookup"),
    ),
    # -- national population (MYE2 workbook) ------------------------------------------------
    Case(
        "national_population-csv-renamed-xlsx",
        lambda p: p.write("national_population", p.data("district_lookup")),
        EXIT_INPUT,
        (MYE, "Lower Tier to Upper Tier Local Authority lookup", "sources: district_lookup"),
    ),
    Case(
        "national_population-png",
        png("national_population"),
        EXIT_INPUT,
        (MYE, "not an .xlsx workbook", "PNG image", "MYE2 - Females"),
    ),
    Case(
        "national_population-empty",
        empty("national_population"),
        EXIT_INPUT,
        (MYE, "empty (0 bytes)"),
    ),
    Case(
        "national_population-folder",
        folder("national_population"),
        EXIT_INPUT,
        (MYE, "is a folder"),
    ),
    Case(
        "national_population-header-only",
        xlsx_edit(_mye_header_only),
        EXIT_INPUT,
        (MYE, "MYE2 - Females", "has a header but no data rows"),
    ),
    Case(
        "national_population-renamed-sheet",
        xlsx_edit(_mye_rename),
        EXIT_INPUT,
        (MYE, "worksheet 'MYE2 - Males' not found"),
    ),
    Case(
        "national_population-missing-age-90",
        xlsx_edit(_mye_drop_age_90),
        EXIT_INPUT,
        (MYE, "column 90 is missing"),
    ),
    Case(
        "national_population-text-count",
        xlsx_cell("MYE2 - Males", 6, 10, "lots"),
        EXIT_INPUT,
        (MYE, "MYE2 - Males", "row 6", "not a number"),
    ),
    Case(
        "national_population-blank-total",
        xlsx_edit(_mye_all_ages_blank),
        EXIT_INPUT,
        (MYE, "row 5", "'All ages'", "blank count"),
    ),
    Case(
        "national_population-huge",
        both(xlsx_cell("MYE2 - Males", 5, 4, 10**12), xlsx_cell("MYE2 - Males", 5, 5, 10**12)),
        EXIT_INPUT,
        (MYE, "row 5", "count too large"),
    ),
    Case(
        "national_population-wrong-code",
        xlsx_cell("MYE2 - Females", 7, 1, "Norfolk"),
        EXIT_INPUT,
        (MYE, "row 7", "ill-formed ONS area code"),
    ),
    # -- population projections (SNPP) ------------------------------------------------------
    *file_cases("population_projections", ["empty", "xlsx", "truncated"]),
    Case(
        "population_projections-missing-column",
        drop_column("population_projections", "SEX"),
        EXIT_INPUT,
        (FILES["population_projections"], "'SEX'", "is missing"),
    ),
    Case(
        "population_projections-negative",
        cell("population_projections", 4, "2030", "-10"),
        EXIT_INPUT,
        (FILES["population_projections"], "row 4", "'2030'", "below 0"),
    ),
    Case(
        "population_projections-star",
        cell("population_projections", 4, "2030", "*"),
        EXIT_INPUT,
        (FILES["population_projections"], "row 4", "not a number"),
    ),
    Case(
        "population_projections-huge",
        cell("population_projections", 4, "2030", "1e12"),
        EXIT_INPUT,
        (FILES["population_projections"], "row 4", "above 1e+08"),
    ),
    Case(
        "population_projections-bad-age",
        cell("population_projections", 4, "AGE_GROUP", "200"),
        EXIT_INPUT,
        (FILES["population_projections"], "row 4", "unknown age group"),
    ),
    Case(
        "population_projections-wrong-level-code",
        cell("population_projections", 4, "AREA_CODE", "X01000001"),
        EXIT_INPUT,
        (FILES["population_projections"], "row 4", "ill-formed ONS area code"),
    ),
    # -- practice map -----------------------------------------------------------------------
    *file_cases("practice_map", ["header-only", "byte-0x81", "missing"]),
    Case(
        "practice_map-renamed-column",
        rename_column("practice_map", "PCN_CODE", "PCN"),
        EXIT_INPUT,
        (FILES["practice_map"], "'PCN_CODE' is missing"),
    ),
    Case(
        "practice_map-wrong-level-code",
        cell("practice_map", 3, "PRACTICE_CODE", "UZ0001"),
        EXIT_INPUT,
        (FILES["practice_map"], "row 3", "ill-formed GP practice code"),
    ),
    Case(
        "practice_map-future-extract-date",
        lambda p: p.edit_rows(
            "practice_map",
            lambda h, r: (
                h,
                [[c if i != 1 else "01Apr2031" for i, c in enumerate(row)] for row in r],
            ),
        ),
        EXIT_INPUT,
        (FILES["practice_map"], "row 2", "EXTRACT_DATE", "in the future"),
    ),
    Case(
        "practice_map-bad-date",
        cell("practice_map", 3, "EXTRACT_DATE", "31Feb2026"),
        EXIT_INPUT,
        (FILES["practice_map"], "row 3", "not a date"),
    ),
    Case(
        "practice_map-other-icb",
        config_set("icb.ods_code", "QMM"),
        EXIT_INPUT,
        (FILES["practice_map"], "no practice belongs to the ICB QMM"),
    ),
    # -- registered by age (two files) ------------------------------------------------------
    *file_cases("registered_by_age", ["truncated", "png", "folder"]),
    Case(
        "registered_by_age-missing-column",
        drop_column("registered_by_age", "AGE"),
        EXIT_INPUT,
        (FILES["registered_by_age"], "no header row"),
    ),
    Case(
        "registered_by_age-star",
        cell("registered_by_age", 3, "NUMBER_OF_PATIENTS", "*"),
        EXIT_INPUT,
        (FILES["registered_by_age"], "row 3", "not a number", "'*'"),
    ),
    Case(
        "registered_by_age-fractional",
        cell("registered_by_age", 3, "NUMBER_OF_PATIENTS", "12.5"),
        EXIT_INPUT,
        (FILES["registered_by_age"], "row 3", "not a whole number"),
    ),
    Case(
        "registered_by_age-huge",
        cell("registered_by_age", 2, "NUMBER_OF_PATIENTS", "5000000"),
        EXIT_INPUT,
        (FILES["registered_by_age"], "row 2", "patients of one practice"),
    ),
    Case(
        "registered_by_age-unknown-age",
        cell("registered_by_age", 3, "AGE", "96"),
        EXIT_INPUT,
        (FILES["registered_by_age"], "row 3", "unknown age"),
    ),
    Case(
        "registered_by_age-total-wrong",
        cell("registered_by_age", 2, "NUMBER_OF_PATIENTS", "1"),
        EXIT_INPUT,
        (FILES["registered_by_age"], "row 2", "does not equal the sum"),
    ),
    Case(
        "registered_by_age-male-file-missing",
        lambda p: p.path("registered_by_age", 1).unlink(),
        EXIT_INPUT,
        ("gp-reg-pat-prac-sing-age-male.csv", "file not found"),
    ),
    # -- registered by small area -----------------------------------------------------------
    *file_cases("registered_by_small_area", ["empty", "header-only", "extra-field"]),
    Case(
        "registered_by_small_area-negative",
        cell("registered_by_small_area", 4, "NUMBER_OF_PATIENTS", "-1"),
        EXIT_INPUT,
        (FILES["registered_by_small_area"], "row 4", "negative count"),
    ),
    Case(
        "registered_by_small_area-huge",
        cell("registered_by_small_area", 4, "NUMBER_OF_PATIENTS", "99999999"),
        EXIT_INPUT,
        (FILES["registered_by_small_area"], "row 4", "count too large"),
    ),
    Case(
        "registered_by_small_area-unknown-practice",
        cell("registered_by_small_area", 4, "PRACTICE_CODE", "Z99999"),
        EXIT_INPUT,
        (FILES["registered_by_small_area"], "row 4", "not found in the lookup"),
    ),
    Case(
        "registered_by_small_area-wrong-level-code",
        cell("registered_by_small_area", 4, "LSOA_CODE", "E38000239"),
        EXIT_INPUT,
        (FILES["registered_by_small_area"], "row 4", "ill-formed LSOA"),
    ),
    Case(
        "registered_by_small_area-pre-1900-date",
        lambda p: p.edit_rows(
            "registered_by_small_area",
            lambda h, r: (
                h,
                [[c if i != 1 else "01Apr1890" for i, c in enumerate(row)] for row in r],
            ),
        ),
        EXIT_INPUT,
        (FILES["registered_by_small_area"], "row 2", "before 1900-01-01"),
    ),
    # -- deaths -----------------------------------------------------------------------------
    *file_cases("deaths", ["empty", "truncated", "png", "folder", "extra-field"]),
    Case(
        "deaths-missing-column",
        drop_column("deaths", "ICD10U"),
        EXIT_INPUT,
        (DEATHS, "'ICD10U' is missing"),
    ),
    Case(
        "deaths-repeated-column",
        rename_column("deaths", "ICD10U", "LSOAR"),
        EXIT_INPUT,
        (DEATHS, "'LSOAR' appears twice"),
    ),
    Case(
        "deaths-age-text",
        cell("deaths", 5, "AGEINYRS", "eighty"),
        EXIT_INPUT,
        (DEATHS, "row 5", "'AGEINYRS'", "not a number"),
    ),
    Case(
        "deaths-age-fractional",
        cell("deaths", 5, "AGEINYRS", "80.5"),
        EXIT_INPUT,
        (DEATHS, "row 5", "not a whole number"),
    ),
    Case(
        "deaths-age-negative",
        cell("deaths", 5, "AGEINYRS", "-1"),
        EXIT_INPUT,
        (DEATHS, "row 5", "negative"),
    ),
    Case(
        "deaths-age-200",
        cell("deaths", 5, "AGEINYRS", "200"),
        EXIT_INPUT,
        (DEATHS, "row 5", "out of range"),
    ),
    Case(
        "deaths-death-before-1900",
        cell("deaths", 6, "DOD", "1899-12-31"),
        EXIT_INPUT,
        (DEATHS, "row 6", "'DOD'", "before 1900-01-01"),
    ),
    Case(
        "deaths-year-2999",
        cell("deaths", 6, "DOR", "2999-01-01"),
        EXIT_INPUT,
        (DEATHS, "row 6", "in the future"),
    ),
    Case(
        "deaths-death-after-registration",
        cell("deaths", 6, "DOD", "2024-12-31"),
        EXIT_INPUT,
        (DEATHS, "row 6", "after the registration date"),
    ),
    Case(
        "deaths-bad-date",
        cell("deaths", 6, "DOR", "02/01/2020"),
        EXIT_INPUT,
        (DEATHS, "row 6", "not a date"),
    ),
    Case(
        "deaths-unknown-lsoa",
        cell("deaths", 7, "LSOAR", "X01999999"),
        EXIT_INPUT,
        (DEATHS, "row 7", "not found in the lookup"),
    ),
    Case(
        "deaths-wrong-level-code",
        cell("deaths", 7, "LSOAR", "E07000148"),
        EXIT_INPUT,
        (DEATHS, "row 7", "ill-formed LSOA code"),
    ),
    Case(
        "deaths-bad-icd10",
        cell("deaths", 7, "ICD10U", "I21.9"),
        EXIT_INPUT,
        (DEATHS, "row 7", "ill-formed ICD-10"),
    ),
    Case(
        "deaths-bad-sex",
        cell("deaths", 7, "SEX", "M"),
        EXIT_INPUT,
        (DEATHS, "row 7", "unknown sex"),
    ),
    # -- births -----------------------------------------------------------------------------
    *file_cases("births", ["header-only", "xlsx", "missing"]),
    Case(
        "births-renamed-column",
        rename_column("births", "BIRTHWGT", "WEIGHT"),
        EXIT_INPUT,
        (BIRTHS, "'BIRTHWGT' is missing"),
    ),
    Case(
        "births-weight-star",
        cell("births", 4, "BIRTHWGT", "*"),
        EXIT_INPUT,
        (BIRTHS, "row 4", "not a number"),
    ),
    Case(
        "births-weight-huge",
        cell("births", 4, "BIRTHWGT", "34000"),
        EXIT_INPUT,
        (BIRTHS, "row 4", "out of range"),
    ),
    Case(
        "births-future-birth",
        cell("births", 4, "DOB", "2030-06-01"),
        EXIT_INPUT,
        (BIRTHS, "row 4", "'DOB'", "in the future"),
    ),
    Case(
        "births-unknown-lsoa",
        cell("births", 5, "LSOAR", "X01999998"),
        EXIT_INPUT,
        (BIRTHS, "row 5", "not found in the lookup"),
    ),
    # -- hospital activity ------------------------------------------------------------------
    *file_cases("hospital_activity", ["empty", "header-only", "byte-0x81", "folder"]),
    Case(
        "hospital_activity-missing-column",
        drop_column("hospital_activity", "POD"),
        EXIT_INPUT,
        (ACTIVITY, "'POD' is missing"),
    ),
    Case(
        "hospital_activity-star",
        cell("hospital_activity", 4, "ACTIVITY", "*"),
        EXIT_INPUT,
        (ACTIVITY, "row 4", "not a number", "'*'"),
    ),
    Case(
        "hospital_activity-fractional",
        cell("hospital_activity", 4, "ACTIVITY", "2.5"),
        EXIT_INPUT,
        (ACTIVITY, "row 4", "not a whole number"),
    ),
    Case(
        "hospital_activity-negative",
        cell("hospital_activity", 4, "ACTIVITY", "-3"),
        EXIT_INPUT,
        (ACTIVITY, "row 4", "negative count"),
    ),
    Case(
        "hospital_activity-above-residents",
        cell("hospital_activity", 4, "ACTIVITY", "40000"),
        EXIT_INPUT,
        (ACTIVITY, "row 4", "per resident of X01000001"),
    ),
    Case(
        "hospital_activity-fyear-not-consecutive",
        cell("hospital_activity", 4, "FYEAR", "202325"),
        EXIT_INPUT,
        (ACTIVITY, "row 4", "not consecutive"),
    ),
    Case(
        "hospital_activity-fyear-calendar",
        cell("hospital_activity", 4, "FYEAR", "2023"),
        EXIT_INPUT,
        (ACTIVITY, "row 4", "ill-formed financial year"),
    ),
    Case(
        "hospital_activity-unknown-lsoa",
        cell("hospital_activity", 4, "LSOA21", "X01999999"),
        EXIT_INPUT,
        (ACTIVITY, "not found in the lookup"),
    ),
    Case(
        "hospital_activity-bad-band",
        cell("hospital_activity", 4, "AGE_BAND", "0-5"),
        EXIT_INPUT,
        (ACTIVITY, "row 4", "unknown age band"),
    ),
    # -- ina.yml: every field ---------------------------------------------------------------
    Case(
        "config-unknown-top-key",
        config_set("outputs", "x"),
        EXIT_CONFIG,
        ("ina.yml", "'outputs' is not a known key"),
    ),
    Case(
        "config-yaml-syntax",
        lambda p: p.config_text("icb:\n", "icb:\n  : :\n"),
        EXIT_CONFIG,
        ("ina.yml", "YAML syntax error"),
    ),
    Case("config-icb-missing", config_delete("icb"), EXIT_CONFIG, ("ina.yml: icb",)),
    Case(
        "config-icb-unknown-key",
        config_set("icb.code", "X"),
        EXIT_CONFIG,
        ("ina.yml: icb", "'code' is not a known key"),
    ),
    Case(
        "config-icb-name-blank",
        config_set("icb.name", " "),
        EXIT_CONFIG,
        ("ina.yml: icb.name", "non-empty text"),
    ),
    Case(
        "config-icb-ons-code",
        config_set("icb.ons_code", "E38000239"),
        EXIT_CONFIG,
        ("ina.yml: icb.ons_code", "ONS ICB code"),
    ),
    Case(
        "config-icb-ods-code",
        config_set("icb.ods_code", 123),
        EXIT_CONFIG,
        ("ina.yml: icb.ods_code", "ODS ICB code"),
    ),
    Case(
        "config-reporting-year-text",
        config_set("reporting_year", "2026/27"),
        EXIT_CONFIG,
        ("ina.yml: reporting_year", "a year like 2026"),
    ),
    Case(
        "config-reporting-year-range",
        config_set("reporting_year", 1999),
        EXIT_CONFIG,
        ("ina.yml: reporting_year", "1999"),
    ),
    Case(
        "config-data-status",
        config_set("data_status", "draft"),
        EXIT_CONFIG,
        ("ina.yml: data_status", "demo, real, provisional, final"),
    ),
    Case(
        "config-place-scheme-unknown",
        config_set("place_scheme", "alliances"),
        EXIT_CONFIG,
        ("ina.yml: place_scheme", "'alliances' is not a defined scheme"),
    ),
    Case(
        "config-place-schemes-empty",
        config_set("place_schemes", {}),
        EXIT_CONFIG,
        ("ina.yml: place_schemes", "non-empty mapping"),
    ),
    Case(
        "config-scheme-label-missing",
        config_delete("place_schemes.phip_alliances.label"),
        EXIT_CONFIG,
        ("ina.yml: place_schemes.phip_alliances.label", "required key"),
    ),
    Case(
        "config-place-id",
        config_set("place_schemes.phip_alliances.places[0].id", "West Norfolk"),
        EXIT_CONFIG,
        ("ina.yml: place_schemes.phip_alliances.places[0].id", "slug"),
    ),
    Case(
        "config-place-id-duplicate",
        config_set("place_schemes.phip_alliances.places[1].id", "west-norfolk"),
        EXIT_CONFIG,
        ("ina.yml: place_schemes.phip_alliances.places[1].id", "already used"),
    ),
    Case(
        "config-place-name-type",
        config_set("place_schemes.phip_alliances.places[0].name", 42),
        EXIT_CONFIG,
        ("ina.yml: place_schemes.phip_alliances.places[0].name", "non-empty text"),
    ),
    Case(
        "config-place-members-empty",
        config_set("place_schemes.phip_alliances.places[0].members", []),
        EXIT_CONFIG,
        ("ina.yml: place_schemes.phip_alliances.places[0].members", "non-empty list"),
    ),
    Case(
        "config-member-district-pattern",
        config_set("place_schemes.phip_alliances.places[0].members[0].district", "Norwich"),
        EXIT_CONFIG,
        ("ina.yml: place_schemes.phip_alliances.places[0].members[0].district", "ONS district"),
    ),
    Case(
        "config-member-unknown-sub-icb",
        config_set("place_schemes.jfp_norfolk_waveney.places[4].members[1].sub_icb", "99Z"),
        EXIT_CONFIG,
        ("ina.yml: place_schemes.jfp_norfolk_waveney.places[4].members[1].sub_icb", "99Z"),
    ),
    Case(
        "config-member-sub-icb-all-digits",
        config_set("place_schemes.phip_alliances.places[2].members[1].sub_icb", 26),
        EXIT_CONFIG,
        ("ina.yml: place_schemes.phip_alliances.places[2].members[1].sub_icb", "quote it"),
    ),
    Case(
        "config-chapter-unknown",
        config_set("chapters[1]", "no_such_chapter"),
        EXIT_CONFIG,
        ("ina.yml: chapters[1]", "has no notebook"),
    ),
    Case(
        "config-chapters-type",
        config_set("chapters", "summary"),
        EXIT_CONFIG,
        ("ina.yml: chapters",),
    ),
    Case(
        "config-sources-unknown-key",
        config_set("sources.qof", "data_raw/qof.csv"),
        EXIT_CONFIG,
        ("ina.yml: sources", "'qof' is not a known key"),
    ),
    Case(
        "config-source-missing",
        config_delete("sources.practice_map"),  # deaths etc. are optional: a geography source
        EXIT_CONFIG,
        ("ina.yml: sources.practice_map", "required key"),
    ),
    Case(
        "config-source-type",
        config_set("sources.births", 7),
        EXIT_CONFIG,
        ("ina.yml: sources.births", "file path"),
    ),
    Case(
        "config-source-empty-glob",
        config_set("sources.hospital_activity", "data_raw/none/*.csv"),
        EXIT_INPUT,
        ("sources: hospital_activity", "no file matches"),
    ),
    Case(
        "config-suppression-type",
        config_set("suppression.max_count", "seven"),
        EXIT_CONFIG,
        ("ina.yml: suppression.max_count", "'seven'"),
    ),
    Case(
        "config-suppression-unknown-key",
        config_set("suppression.secondary", True),
        EXIT_CONFIG,
        ("ina.yml: suppression", "'secondary' is not a known key"),
    ),
    Case(
        "config-qa-threshold",
        config_set("qa.move_threshold_percent", 0),
        EXIT_CONFIG,
        ("ina.yml: qa.move_threshold_percent", "above 0"),
    ),
    Case(
        "config-qa-unknown-key",
        config_set("qa.threshold", 5),
        EXIT_CONFIG,
        ("ina.yml: qa", "'threshold' is not a known key"),
    ),
    Case(
        "config-output-dir-type",
        config_set("output_dir", ["outputs"]),
        EXIT_CONFIG,
        ("ina.yml: output_dir", "non-empty text"),
    ),
    # output_dir may never be, contain or lie inside the inputs or the project (data loss)
    Case(
        "config-output-dir-data-raw-build",
        config_set("output_dir", "data_raw"),
        EXIT_CONFIG,
        ("ina.yml: output_dir", "data_raw/"),
        command="build",
        input="output_dir: data_raw, through ina build (used to delete every extract)",
    ),
    Case(
        "config-output-dir-project",
        config_set("output_dir", "."),
        EXIT_CONFIG,
        ("ina.yml: output_dir", "the project folder"),
        input="output_dir: . (the project itself)",
    ),
    Case(
        "config-output-dir-inside-a-source",
        config_set("output_dir", "data_raw/deaths/published"),
        EXIT_CONFIG,
        ("ina.yml: output_dir", "data_raw/"),
        input="output_dir inside data_raw/deaths",
    ),
    Case(
        "config-output-dir-notebooks",
        config_set("output_dir", "notebooks"),
        EXIT_CONFIG,
        ("ina.yml: output_dir", "notebooks/"),
    ),
    # suppression can only be turned off by saying so
    Case(
        "config-suppression-hides-nothing",
        config_set("suppression", {"min_count": 0, "max_count": 0}),
        EXIT_CONFIG,
        ("ina.yml: suppression", "none"),
        input="suppression: {min_count: 0, max_count: 0} (used to turn suppression off silently)",
    ),
    Case(
        "config-suppression-numeric-marker",
        config_set("suppression.marker", "0"),
        EXIT_CONFIG,
        ("ina.yml: suppression.marker",),
        input="suppression marker 0 (a suppressed cell would read as zero)",
    ),
    # the optional Fingertips export
    Case(
        "fingertips-header-only",
        header_only("fingertips"),
        EXIT_INPUT,
        ("data_raw/fingertips/fingertips_comparators.csv", "no data rows"),
    ),
    Case(
        "fingertips-missing-column",
        drop_column("fingertips", "Indicator ID"),
        EXIT_INPUT,
        ("data_raw/fingertips/fingertips_comparators.csv",),
    ),
    Case(
        "fingertips-xlsx",
        xlsx_as_csv("fingertips"),
        EXIT_INPUT,
        ("data_raw/fingertips/fingertips_comparators.csv", "Excel"),
    ),
]

#: Good variants: the same data saved another way must validate (exit 0).
ACCEPTED: list[Case] = [
    Case(
        "small_area_lookup-no-bom",
        reencode("small_area_lookup", bom=False),
        EXIT_OK,
        (),
        input="small_area_lookup saved without its BOM",
    ),
    Case(
        "district_lookup-cp1252-crlf",
        with_accent("district_lookup", "LTLA24NM", "cp1252"),
        EXIT_OK,
        (),
        input="district_lookup in Windows-1252 with an accented name",
    ),
    Case(
        "deaths-utf8-bom-crlf",
        reencode("deaths", bom=True, crlf=True),
        EXIT_OK,
        (),
        input="deaths with a UTF-8 BOM and CRLF line ends",
    ),
    Case(
        "practice_map-cp1252",
        with_accent("practice_map", "PRACTICE_NAME", "cp1252"),
        EXIT_OK,
        (),
        input="practice_map in Windows-1252 (PRACTICE_NAME with é)",
    ),
    Case(
        "practice_map-utf8-bom-accent",
        with_accent("practice_map", "PRACTICE_NAME", "utf-8", bom=True),
        EXIT_OK,
        (),
        input="practice_map in UTF-8 with BOM (PRACTICE_NAME with é)",
    ),
    Case(
        "registered_by_small_area-bom",
        reencode("registered_by_small_area", bom=True),
        EXIT_OK,
        (),
        input="registered_by_small_area with a UTF-8 BOM",
    ),
    Case(
        "resident_population-cp1252-crlf",
        with_accent("resident_population", "LSOA 2021 Name", "cp1252", crlf=True),
        EXIT_OK,
        (),
        input="resident_population in Windows-1252 with CRLF",
    ),
    Case(
        "hospital_activity-extra-named-column",
        lambda p: p.edit_rows(
            "hospital_activity", lambda h, r: ([*h, "NOTE"], [[*row, ""] for row in r])
        ),
        EXIT_OK,
        (),
        input="hospital_activity with an extra named column (ignored)",
    ),
]


def copy_project(base: Path, folder: Path) -> Project:
    """A case's project: ina.yml and notebooks copied, everything else hard-linked.

    ``data_raw/`` and the warm ``.ina-cache/`` are linked file by file (copying 50 MB per
    case would dominate the corpus' run time); :class:`Project` only ever replaces
    files, and the CLI only reads ``data_raw`` and replaces cache entries atomically, so
    the shared files are never written.
    """
    shutil.copytree(base, folder, copy_function=_link_or_copy, symlinks=False)
    return Project(folder)


def _link_or_copy(source: str, target: str) -> None:
    relative = Path(source)
    if relative.suffix in {".yml", ".ipynb"} or "outputs" in relative.parts:
        shutil.copy2(source, target)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


#: The core cases, run on every ``pytest`` (one or more per defect class of issue 6 and
#: per source, a dozen config fields, every accepted variant). The rest are marked slow:
#: the whole corpus takes a few minutes of subprocesses on a shared machine.
CORE: frozenset[str] = frozenset(
    [case.id for case in CASES if case.command == "build"]
    + [case.id for case in ACCEPTED]
    + [
        "small_area_lookup-empty",
        "small_area_lookup-missing-column",
        "small_area_lookup-wrong-level-code",
        "small_area_lookup-duplicate",
        "district_lookup-header-only",
        "district_lookup-district-left-out",
        "deprivation-byte-0x81",
        "deprivation-renamed-column",
        "deprivation-decile-11",
        "deprivation-unknown-lsoa",
        "resident_population-extra-field",
        "resident_population-star",
        "resident_population-negative",
        "resident_population-huge",
        "national_population-csv-renamed-xlsx",
        "national_population-header-only",
        "national_population-blank-total",
        "national_population-huge",
        "population_projections-truncated",
        "population_projections-missing-column",
        "population_projections-huge",
        "practice_map-missing",
        "practice_map-renamed-column",
        "practice_map-future-extract-date",
        "practice_map-other-icb",
        "registered_by_age-folder",
        "registered_by_age-fractional",
        "registered_by_age-huge",
        "registered_by_age-male-file-missing",
        "registered_by_small_area-empty",
        "registered_by_small_area-negative",
        "registered_by_small_area-unknown-practice",
        "registered_by_small_area-pre-1900-date",
        "deaths-png",
        "deaths-truncated",
        "deaths-repeated-column",
        "deaths-death-before-1900",
        "deaths-year-2999",
        "deaths-wrong-level-code",
        "births-xlsx",
        "births-renamed-column",
        "births-weight-star",
        "births-future-birth",
        "hospital_activity-folder",
        "hospital_activity-star",
        "hospital_activity-fractional",
        "hospital_activity-negative",
        "hospital_activity-above-residents",
        "hospital_activity-unknown-lsoa",
        "config-unknown-top-key",
        "config-yaml-syntax",
        "config-icb-ons-code",
        "config-reporting-year-text",
        "config-data-status",
        "config-place-scheme-unknown",
        "config-place-schemes-empty",
        "config-member-unknown-sub-icb",
        "config-chapter-unknown",
        "config-source-missing",
        "config-suppression-type",
        "config-output-dir-type",
        "config-output-dir-project",
        "config-suppression-hides-nothing",
        "fingertips-header-only",
    ]
)
