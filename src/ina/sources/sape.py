"""ONS small area population estimates (SAPE): LSOA by sex and single year of age.

Layout (csv, or the published ``.xlsx`` whose header sits below title rows):
``LAD 2021 Code, LAD 2021 Name, LSOA 2021 Code, LSOA 2021 Name, Total, F0..F90,
M0..M90`` (90 = 90 and over). The geography vintage in the names varies by release, so
columns are found by pattern. The mid-2018 *population density* workbook
(``SAPE21DT11``: Code, Name, Mid-2018 population, Area, density) is a different product
with no age or sex detail and is rejected with a message listing the expected columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ina.errors import InputError
from ina.sources import _checks as check
from ina.sources._ages import age_columns, check_row_totals, count_matrix, long_by_age
from ina.sources._base import (
    Extract,
    RawTable,
    has_columns,
    is_xlsx,
    read_csv_table,
    read_file_bytes,
    read_xlsx_table,
    resolve_columns,
)

SAPE_COLUMNS = {
    "lsoa_code": r"LSOA \d{4} Code",
    "total": r"Total|All Ages",
}
TOP_AGE = 90
_HEADER = has_columns(SAPE_COLUMNS["lsoa_code"])
_BOUND = "residents of one small area"
_EXPECTED = "a header row with 'LSOA 2021 Code', 'Total', F0..F90, M0..M90"


def read_sape_population(path: str | Path, *, name: str | None = None) -> Extract:
    """Read SAPE single-year-of-age estimates by LSOA (csv or xlsx).

    Tidy columns: ``lsoa_code, sex`` (female/male), ``age`` (0–90, 90 = 90+),
    ``population`` (int). Checks: codes, whole non-negative counts, one row per LSOA and
    ``Total`` = sum of the 182 age columns on every row.
    """
    raw = read_file_bytes(path, csv_only=False)
    if is_xlsx(raw):
        table = read_xlsx_table(raw, sheet=None, header=_HEADER, expected=_EXPECTED)
        fmt = "ons_sape_sya_xlsx"
    else:
        table = read_csv_table(raw, header=_HEADER, expected=_EXPECTED)
        fmt = "ons_sape_sya_csv"
    columns = resolve_columns(table, SAPE_COLUMNS)
    lsoa = check.codes(table, columns["lsoa_code"], check.LSOA, description="LSOA")
    # An LSOA's residents: at most check.MAX_SMALL_AREA_POPULATION (5x the largest LSOA).
    bound = {"maximum": check.MAX_SMALL_AREA_POPULATION, "maximum_reason": _BOUND}
    female = count_matrix(table, age_columns(table, "F", TOP_AGE), **bound)
    male = count_matrix(table, age_columns(table, "M", TOP_AGE), **bound)
    total = check.counts(table, columns["total"], **bound)
    check.unique(table, {columns["lsoa_code"]: lsoa}, "small area")
    check_row_totals(table, columns["total"], total, female + male, "Total (all ages, both sexes)")
    frame = long_by_age({"lsoa_code": lsoa}, [("female", female), ("male", male)], "population")
    provenance = raw.provenance(name or "resident_population", rows=len(table.frame), fmt=fmt)
    return Extract(name or "resident_population", frame, (provenance,))


TOTALS_COLUMNS = {
    "lsoa_code": r"Code|LSOA \d{4} Code|LSOA\d\dCD",
    "population": r"Mid-\d{4} population|All Ages|Total",
}
_TOTALS_HEADER = has_columns(r"Code|LSOA \d{4} Code|LSOA\d\dCD", r"Mid-\d{4} population|All Ages")
_TOTALS_EXPECTED = (
    "a header row with 'Code', 'Name', 'Mid-YYYY population' (SAPE population density "
    "workbook) or 'LSOA YYYY Code', 'All Ages'"
)


def read_sape_totals(path: str | Path, *, name: str | None = None) -> Extract:
    """Read residents per small area without age or sex (``sources: resident_totals``).

    The ONS mid-year population density workbook (``SAPE21DT11``, sheet ``Mid-2018
    Population Density``: ``Code, Name, Mid-2018 population, Area Sq Km, People per Sq
    Km``, title rows above) and the ``All Ages`` column of a SAPE persons file are read.
    Why a source of its own: a total cannot stand in for residents by age, so the
    sections and indicators that need ages still say "not supplied", while the
    deprivation sections (residents by decile, Core20, the most deprived areas) use it.

    Tidy columns: ``lsoa_code, population`` (int). Rows that are not LSOAs (the
    workbook's England and Wales totals, if any) are left out; one row per LSOA (checked).
    """
    raw = read_file_bytes(path, csv_only=False)
    if is_xlsx(raw):
        table = read_xlsx_table(raw, sheet=None, header=_TOTALS_HEADER, expected=_TOTALS_EXPECTED)
        fmt = "ons_sape_totals_xlsx"
    else:
        table = read_csv_table(raw, header=_TOTALS_HEADER, expected=_TOTALS_EXPECTED)
        fmt = "ons_sape_totals_csv"
    columns = resolve_columns(table, TOTALS_COLUMNS)
    code_column = columns["lsoa_code"]
    assert code_column is not None and columns["population"] is not None
    cells = table.frame[code_column].astype("string").str.strip()
    is_lsoa = cells.str.fullmatch(check.LSOA).fillna(False).to_numpy()
    every_line = table.lines()
    table = RawTable(
        table.label,
        table.frame.loc[is_lsoa].reset_index(drop=True),
        lambda: every_line[is_lsoa],
        table.header_line,
    )
    if table.frame.empty:
        raise InputError(
            table.label,
            "no row has an LSOA code (E01/W01 and six digits)",
            column=code_column,
            expected=_TOTALS_EXPECTED,
        )
    lsoa = check.codes(table, code_column, check.LSOA, description="LSOA")
    population = check.counts(table, columns["population"], **_TOTAL_BOUND)
    check.unique(table, {code_column: lsoa}, "small area")
    frame = pd.DataFrame({"lsoa_code": lsoa.to_numpy(), "population": population})
    provenance = raw.provenance(name or "resident_totals", rows=len(frame), fmt=fmt)
    return Extract(name or "resident_totals", frame, (provenance,))


_TOTAL_BOUND = {"maximum": check.MAX_SMALL_AREA_POPULATION, "maximum_reason": _BOUND}
