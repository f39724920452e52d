"""Writers for the published file formats, byte for byte deterministic.

Layout details follow the real files in ``../shared/real-data`` (see its SOURCES.md):
ONS Open Geography CSVs start with a UTF-8 byte order mark and use LF line endings;
NHS Digital GP registration CSVs have no BOM and CRLF line endings and write dates as
``01Apr2026``; MHCLG File 7 uses the real 56-column header (one column name truncated in
the original, kept so); ONS MYE2 is a workbook with title rows above the header.

Determinism: every value is formatted to text here (no float repr), rows are sorted, and
workbooks get a fixed creation time and fixed zip entry times (openpyxl otherwise stamps
both with the current time).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

FIXED_TIMESTAMP = dt.datetime(2026, 4, 1, 0, 0, 0)
ZIP_TIMESTAMP = (2026, 4, 1, 0, 0, 0)


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: pd.DataFrame | Iterable[Sequence[object]],
    *,
    bom: bool = False,
    crlf: bool = False,
) -> Path:
    """Write a CSV with minimal quoting (as ONS and NHS Digital do).

    ``rows`` is a frame whose columns are already text (or ints), or an iterable of rows.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    if isinstance(rows, pd.DataFrame):
        writer.writerows(rows.itertuples(index=False, name=None))
    else:
        writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def format_decimal(values: np.ndarray, decimals: int = 3) -> list[str]:
    """Fixed decimals with trailing zeros dropped, as in IoD files (``10.95``, ``-2.22``)."""
    rounded = np.round(np.asarray(values, dtype=float), decimals) + 0.0  # no "-0"
    out = []
    for value in rounded:
        text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
        out.append("0" if text in {"-0", ""} else text)
    return out


def nhs_digital_date(day: dt.date) -> str:
    """NHS Digital's ``01Apr2026`` date style."""
    return day.strftime("%d%b%Y")


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write an .xlsx whose bytes depend only on ``sheets`` (fixed document and zip times)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.properties.creator = "ina demo-data (synthetic)"
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    raw = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook() resets `modified` to now.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(fixed.getvalue())
    return path


# The header of MHCLG IoD2025 File 7, exactly as published (column 37 is truncated there).
_DECILE = "Decile (where 1 is most deprived 10% of LSOAs)"
_RANK = "Rank (where 1 is most deprived)"
FILE_7_DOMAINS: tuple[tuple[str, str], ...] = (
    # (column stem, score column suffix)
    ("Income", "Score (rate)"),
    ("Employment", "Score (rate)"),
    ("Education, Skills and Training", "Score"),
    ("Health Deprivation and Disability", "Score"),
    ("Crime", "Score"),
    ("Barriers to Housing and Services", "Score"),
    ("Living Environment", "Score"),
    ("Income Deprivation Affecting Children Index (IDACI)", "Score (rate)"),
    ("Income Deprivation Affecting Older People (IDAOPI)", "Score (rate)"),
    ("Children and Young People Sub-domain", "Score"),
    ("Adult Skills Sub-domain", "Score"),
    ("Geographical Barriers Sub-domain", "Score"),
    ("Wider Barriers Sub-domain", "Score"),
    ("Indoors Sub-domain", "Score"),
    ("Outdoors Sub-domain", "Score"),
)


def file_7_header() -> list[str]:
    header = [
        "LSOA code (2021)",
        "LSOA name (2021)",
        "Local Authority District code (2024)",
        "Local Authority District name (2024)",
        "Index of Multiple Deprivation (IMD) Score",
        f"Index of Multiple Deprivation (IMD) {_RANK}",
        f"Index of Multiple Deprivation (IMD) {_DECILE}",
    ]
    for stem, score in FILE_7_DOMAINS:
        decile = f"{stem} {_DECILE}"
        if stem == "Children and Young People Sub-domain":
            decile = decile[:80]  # truncated in the published file
        header += [f"{stem} {score}", f"{stem} {_RANK}", decile]
    header += [
        "Total population: mid 2022",
        "Dependent Children aged 0-15: mid 2022",
        "Older population aged 60 and over: mid 2022",
        "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022",
    ]
    return header
