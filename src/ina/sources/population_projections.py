"""ONS subnational population projections (SNPP), the ``2022 SNPP Population`` csv layout.

``AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, 2022, ..., 2047``: one row per area,
sex and age group with one column per projection year; ``AGE_GROUP`` runs ``0``..``89``,
``90 and over`` and an ``All ages`` total. Projections are not whole numbers (ONS
publishes them unrounded), so ``population`` is a float and totals are checked to within
half a person.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ina.errors import InputError
from ina.sources import _checks as check
from ina.sources._base import (
    Extract,
    RawTable,
    read_csv_with_columns,
)

REQUIRED = ["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX", "AGE_GROUP"]
SEXES = {
    "females": "female",
    "female": "female",
    "males": "male",
    "male": "male",
    "persons": "persons",
}
TOP_AGE = 90
AGE_LABELS = {str(age): age for age in range(TOP_AGE)} | {"90 and over": TOP_AGE, "90+": TOP_AGE}
TOTAL_LABEL = "All ages"
TOLERANCE = 0.5


def read_population_projections(path: str | Path, *, name: str | None = None) -> Extract:
    """Read SNPP population by area, sex, single year of age and projection year.

    Tidy columns: ``area_code, area_name, sex, age`` (0–90), ``year`` (int),
    ``population`` (float). Rows whose ``COMPONENT`` is not ``Population`` (births,
    deaths and migration in the components files) are ignored. Checks: codes, labels,
    numbers >= 0, one row per area/sex/age, and ``All ages`` = sum of ages per year.
    """
    raw, table = read_csv_with_columns(
        path, REQUIRED, ["AREA_CODE", "AGE_GROUP"], more_columns=",<years>"
    )
    years = [c for c in table.frame.columns if re.fullmatch(r"\d{4}", c)]
    if not years:
        raise InputError(
            table.label,
            "no projection-year columns",
            column="2022",
            expected="columns named by year, e.g. 2022 .. 2047",
        )
    component = check.text(table, "COMPONENT")
    population_rows = (component.str.casefold() == "population").to_numpy()
    if not population_rows.any():
        raise InputError(
            table.label,
            "no rows with COMPONENT 'Population'",
            column="COMPONENT",
            expected="Population",
        )
    table = _subset(table, population_rows)

    area = check.codes(table, "AREA_CODE", check.ONS_AREA, description="ONS area")
    sex = check.choices(table, "SEX", SEXES, description="sex")
    age_label = check.text(table, "AGE_GROUP")
    is_total = (age_label.str.casefold() == TOTAL_LABEL.casefold()).to_numpy()
    labels = {**{k: str(v) for k, v in AGE_LABELS.items()}, TOTAL_LABEL: "total"}
    check.choices(table, "AGE_GROUP", labels, description="age group")
    age = age_label.map(AGE_LABELS).to_numpy(dtype=float)
    # Projected residents of an ONS area: at most check.MAX_AREA_POPULATION (above the UK's).
    values = np.column_stack(
        [
            check.numbers(table, y, allow_blank=False, minimum=0, maximum=check.MAX_AREA_POPULATION)
            for y in years
        ]
    )
    check.unique(
        table, {"AREA_CODE": area, "SEX": sex, "AGE_GROUP": age_label}, "area, sex and age"
    )
    _check_totals(table, area, sex, is_total, values, years)

    parts = ~is_total
    n_parts, n_years = int(parts.sum()), len(years)
    repeat = np.repeat(np.flatnonzero(parts), n_years)
    frame = pd.DataFrame(
        {
            "area_code": area.take(repeat).reset_index(drop=True),
            "area_name": check.text(table, "AREA_NAME").take(repeat).reset_index(drop=True),
            "sex": pd.Categorical(sex.take(repeat), categories=["female", "male", "persons"]),
            "age": age[repeat].astype(np.int64),
            "year": np.tile(np.array(years, dtype=np.int64), n_parts),
            "population": values[parts].reshape(-1),
        }
    )
    provenance = raw.provenance(
        name or "population_projections", rows=len(table.frame), fmt="ons_snpp_csv"
    )
    return Extract(name or "population_projections", frame, (provenance,))


def _subset(table: RawTable, keep: np.ndarray) -> RawTable:
    """The rows in ``keep``, with their original file line numbers."""
    positions = np.flatnonzero(keep)
    frame = table.frame.iloc[positions].reset_index(drop=True)
    return RawTable(table.label, frame, lambda: table.lines()[positions], table.header_line)


def _check_totals(
    table: RawTable,
    area: pd.Series,
    sex: pd.Series,
    is_total: np.ndarray,
    values: np.ndarray,
    years: list[str],
) -> None:
    """Every area/sex has an ``All ages`` row equal (±0.5) to its ages' sum, every year."""
    key = (area + "|" + sex).to_numpy()
    sums = pd.DataFrame(values[~is_total]).groupby(key[~is_total]).sum()
    total_positions = np.flatnonzero(is_total)
    groups = pd.unique(key)
    missing = np.setdiff1d(groups, key[is_total])
    if missing.size:
        position = int(np.argmax(key == missing[0]))
        raise table.fail(
            f"no '{TOTAL_LABEL}' row for {missing[0].replace('|', ', ')}",
            position=position,
            column="AGE_GROUP",
            expected=f"an '{TOTAL_LABEL}' row",
        )
    expected = sums.reindex(key[is_total]).fillna(0).to_numpy()
    wrong = np.abs(values[is_total] - expected) > TOLERANCE
    if wrong.any():
        row, col = np.argwhere(wrong)[0]
        raise table.fail(
            f"{TOTAL_LABEL} does not equal the sum of the ages",
            position=int(total_positions[row]),
            column=years[col],
            expected=f"{expected[row, col]:g} (the sum, to within {TOLERANCE})",
            found=f"{values[is_total][row, col]:g}",
        )
