"""English Indices of Deprivation: IoD2025 File 7 (csv) and IoD2019 File 1 (xlsx).

MHCLG publishes File 7 as one 56-column CSV (all domains' scores, ranks and deciles plus
the population denominators) and File 1 as a workbook whose ``IMD2019`` sheet holds only
the IMD rank and decile. Column names carry the geography vintage (``LSOA code (2021)``,
``Local Authority District code (2024)``) and long suffixes (``(where 1 is most
deprived)``), so the reader finds them by pattern and reads only the columns it needs.
Ranks are national: 1 is the most deprived of 33,755 LSOA21 (IoD2025) or 32,844 LSOA11
(IoD2019); deciles run 1 (most deprived 10%) to 10.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
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

IOD_COLUMNS = {
    "lsoa_code": r"LSOA code \(\d{4}\)",
    "lsoa_name": r"LSOA name \(\d{4}\)",
    "district_code": r"Local Authority District code \(\d{4}\)",
    "imd_score": r"Index of Multiple Deprivation \(IMD\) Score",
    "imd_rank": r"Index of Multiple Deprivation \(IMD\) Rank.*",
    "imd_decile": r"Index of Multiple Deprivation \(IMD\) Decile.*",
    "total_population": r"Total population: mid \d{4}",
}
_OPTIONAL = ("imd_score", "total_population")
#: Most LSOAs any IoD has ranked (LSOA 2021 in England); ranks above this are impossible.
MAX_RANK = 33_755
_HEADER = has_columns(IOD_COLUMNS["lsoa_code"])
_WANTED = re.compile("|".join(f"(?:{p})" for p in IOD_COLUMNS.values()), re.IGNORECASE)


def read_deprivation(path: str | Path, *, name: str | None = None) -> Extract:
    """Read IoD2025 File 7 (``.csv``) or IoD2019 File 1 (``.xlsx``, sheet ``IMD2019``).

    Tidy columns: ``lsoa_code, lsoa_name, district_code, imd_score`` (float; NA for File
    1, which publishes no score), ``imd_rank, imd_decile`` (int) and, when the file has
    it, ``total_population`` (int). One row per LSOA (checked); ranks
    between 1 and 33,755 (ties occur: IoD2019 has some).
    """
    raw = read_file_bytes(path, csv_only=False)
    expected = "a header with 'LSOA code (YYYY)'"
    if is_xlsx(raw):
        table = read_xlsx_table(
            raw, sheet=_imd_sheet, header=_HEADER, expected=f"sheet IMD20xx with {expected}"
        )
        fmt = "mhclg_iod_file1_xlsx"
    else:
        table = read_csv_table(
            raw,
            header=_HEADER,
            usecols=lambda column: bool(_WANTED.fullmatch(column.strip())),
            expected=expected,
        )
        fmt = "mhclg_iod_file7_csv"
    frame = _tidy(table)
    provenance = raw.provenance(name or "deprivation", rows=len(frame), fmt=fmt)
    return Extract(name or "deprivation", frame, (provenance,))


def _imd_sheet(names: list[str]) -> str | None:
    """File 1's data sheet is ``IMD2019`` (``IMD2025`` in the new edition)."""
    return next((n for n in names if re.fullmatch(r"IMD\d{4}", n.strip())), None)


def _tidy(table: RawTable) -> pd.DataFrame:
    columns = resolve_columns(table, IOD_COLUMNS, optional=_OPTIONAL)
    frame = pd.DataFrame(
        {
            "lsoa_code": check.codes(table, columns["lsoa_code"], check.LSOA, description="LSOA"),
            "lsoa_name": check.text(table, columns["lsoa_name"]),
            "district_code": check.codes(
                table, columns["district_code"], check.DISTRICT_EW, description="district"
            ),
        }
    )
    if columns["imd_score"] is not None:
        frame["imd_score"] = pd.array(
            check.numbers(table, columns["imd_score"], allow_blank=False, minimum=0),
            dtype="Float64",
        )
    else:
        frame["imd_score"] = pd.array(np.full(len(frame), np.nan), dtype="Float64")
    frame["imd_rank"] = check.integers_in_range(table, columns["imd_rank"], 1, MAX_RANK)
    frame["imd_decile"] = check.integers_in_range(table, columns["imd_decile"], 1, 10)
    if columns["total_population"] is not None:
        frame["total_population"] = check.counts(
            table,
            columns["total_population"],
            maximum=check.MAX_SMALL_AREA_POPULATION,
            maximum_reason="residents of one small area",
        )
    check.unique(table, {columns["lsoa_code"]: frame["lsoa_code"]}, "small area")
    return frame
