"""OHID Fingertips "download data" CSV exports (26- and 27-column variants).

The export has had two layouts: 26 columns (older, no ``Time period range``) and 27.
Column 23 is named after the comparator ("Compared to Region value or percentiles",
"Compared to PCNs (v. 27/10/23) value or percentiles", "Column not used" ...), so the
reader requires only the columns every variant shares and snake_cases the rest as they
come. ``Indicator Name`` can hold a newline inside quotes and line endings can be mixed
CRLF/LF, so the C parser is used (pyarrow's rejects quoted newlines); names are stripped
(some carry trailing spaces).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import (
    Extract,
    has_columns,
    read_csv_table,
    read_file_bytes,
    require_columns,
)

REQUIRED = [
    "Indicator ID",
    "Indicator Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Count",
    "Denominator",
]
KEY = [
    "Indicator ID",
    "Parent Code",
    "Area Code",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
]
_CI = re.compile(r"(Lower|Upper) CI \d+(\.\d+)? limit")


def snake_case(column: str) -> str:
    """``"Lower CI 95.0 limit"`` → ``"lower_ci_95_0_limit"``."""
    return re.sub(r"[^0-9a-z]+", "_", column.strip().casefold()).strip("_")


def read_fingertips(path: str | Path, *, name: str | None = None) -> Extract:
    """Read a Fingertips export.

    Tidy columns: the snake_case of every column (``indicator_id`` int, ``value``,
    ``lower_ci_95_0_limit`` ... ``count``, ``denominator`` float, ``time_period_sortable``
    Int64, text stripped). Checks: shared columns present, numbers numeric, counts and
    denominators >= 0, one row per indicator/parent/area/sex/age/category/period.
    """
    raw = read_file_bytes(path)
    table = read_csv_table(
        raw,
        header=has_columns("Indicator ID", "Area Code"),
        engine="c",
        expected="the Fingertips export header (" + ", ".join(REQUIRED) + ")",
    )
    require_columns(table, REQUIRED)
    numeric = ["Value", *(c for c in table.frame.columns if _CI.fullmatch(c))]
    frame = pd.DataFrame(index=table.frame.index)
    for column in table.frame.columns:
        tidy = snake_case(column)
        if column == "Indicator ID":
            frame[tidy] = check.counts(table, column)
        elif column in numeric:
            frame[tidy] = check.numbers(table, column)
        elif column in ("Count", "Denominator"):
            frame[tidy] = check.numbers(table, column, minimum=0)
        elif column == "Time period Sortable":
            frame[tidy] = check.counts(table, column, allow_blank=True)
        else:
            frame[tidy] = check.text(table, column, allow_blank=True)
    keys = {c: table.frame[c].fillna("") for c in KEY if c in table.frame.columns}
    check.unique(table, keys, "indicator, area, sex, age, category and period")
    indicator = str(frame["indicator_id"].iloc[0]) if len(frame) else "empty"
    label = name or f"fingertips_{indicator}"
    provenance = raw.provenance(
        label, rows=len(frame), fmt=f"fingertips_export_{len(table.frame.columns)}col_csv"
    )
    return Extract(label, frame, (provenance,))
