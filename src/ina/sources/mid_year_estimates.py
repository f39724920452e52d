"""ONS mid-year population estimates, MYE2 layout (``ukpopestimatesmid20xx.xlsx``).

Sheets ``MYE2 - Females`` and ``MYE2 - Males``; title rows, then the header
``Code, Name, Geography, All ages, 0, 1, ..., 90`` (90 = 90 and over; some releases write
``90+``). Used for the England and regional comparator pyramids and district totals.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ina.sources import _checks as check
from ina.sources._ages import age_columns, check_row_totals, count_matrix, long_by_age
from ina.sources._base import (
    Extract,
    RawTable,
    has_columns,
    read_file_bytes,
    read_xlsx_table,
    require_columns,
)

SHEETS = {"female": "MYE2 - Females", "male": "MYE2 - Males"}
REQUIRED = ["Code", "Name", "Geography", "All ages"]
TOP_AGE = 90
_HEADER = has_columns("Code", "Name", "All ages")


def read_mid_year_estimates(path: str | Path, *, name: str | None = None) -> Extract:
    """Read the MYE2 females and males sheets into one long table.

    Tidy columns: ``area_code, area_name, geography, sex`` (female/male), ``age`` (0–90),
    ``population`` (int). Checks: ONS area codes, counts, one row per area per sheet,
    ``All ages`` = sum of ages, and the same areas on both sheets.
    """
    raw = read_file_bytes(path, csv_only=False)
    parts: list[tuple[str, RawTable, np.ndarray]] = []
    for sex, sheet in SHEETS.items():
        table = read_xlsx_table(
            raw, sheet=sheet, header=_HEADER, expected="header " + ", ".join(REQUIRED) + ", 0..90"
        )
        require_columns(table, REQUIRED)
        code = check.codes(table, "Code", check.ONS_AREA, description="ONS area")
        check.unique(table, {"Code": code}, "area")
        # An ONS area's residents: at most check.MAX_AREA_POPULATION (above the UK's).
        bound = {"maximum": check.MAX_AREA_POPULATION, "maximum_reason": "residents of an area"}
        matrix = count_matrix(table, age_columns(table, "", TOP_AGE, open_top="+"), **bound)
        all_ages = check.counts(table, "All ages", **bound)
        check_row_totals(table, "All ages", all_ages, matrix, "All ages")
        parts.append((sex, table, matrix))
    (_, female_table, female), (_, male_table, male) = parts
    female_codes = female_table.frame["Code"].str.strip().to_numpy()
    male_codes = male_table.frame["Code"].str.strip().to_numpy()
    if len(female_codes) != len(male_codes) or (female_codes != male_codes).any():
        shortest = min(len(female_codes), len(male_codes))
        differs = np.append(female_codes[:shortest] != male_codes[:shortest], True)
        position = int(np.argmax(differs))
        raise male_table.fail(
            "areas differ between the females and males sheets",
            position=min(position, len(male_codes) - 1),
            column="Code",
            expected="the same areas in the same order on both sheets",
        )
    frame = long_by_age(
        {
            "area_code": female_codes,
            "area_name": check.text(female_table, "Name"),
            "geography": check.text(female_table, "Geography"),
        },
        [("female", female), ("male", male)],
        "population",
    )
    provenance = raw.provenance(
        name or "national_population",
        rows=len(female_table.frame) + len(male_table.frame),
        fmt="ons_mye2_xlsx",
    )
    return Extract(name or "national_population", frame, (provenance,))
