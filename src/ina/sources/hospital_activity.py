"""Aggregated hospital activity (SUS/HES style): A&E attendances and emergency admissions.

An ICB's analysts receive hospital activity from SUS (Secondary Uses Service) or HES
(Hospital Episode Statistics) as an aggregate, never as patient records: counts by
financial year, small area of residence, five-year age band, sex and point of delivery.
The contract's csv layout (``docs/data-contract.md``, item 13) is

    FYEAR,LSOA21,AGE_BAND,SEX,POD,ACTIVITY

with ``FYEAR`` the HES financial-year code (``202324`` = April 2023 to March 2024),
``LSOA21`` the LSOA 2021 of residence, ``AGE_BAND`` ``0-4`` .. ``85-89``, ``90+``,
``SEX`` ``1`` male / ``2`` female (the NHS Data Dictionary person stated gender codes
with unknown and not-specified already removed), ``POD`` the point of delivery ``AE``
(A&E attendance) or ``NEL`` (non-elective, i.e. emergency, admission) and ``ACTIVITY``
a whole count >= 0. Cells with no activity are left out, as aggregate extracts do, so a
missing combination means zero.

These counts are the numerators of the Joint Forward Plan style demand projection
(:func:`ina.chapters.population.demand_projection`): today's age- and sex-specific
rates applied to the projected population. The file carries no extract date, so the
provenance has none (nothing is derived from the file name).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import (
    Extract,
    RawTable,
    read_csv_with_columns,
)

COLUMNS = ["FYEAR", "LSOA21", "AGE_BAND", "SEX", "POD", "ACTIVITY"]
#: Five-year bands with an open top band, as the Population chapter bands ages.
AGE_BANDS: tuple[str, ...] = (*(f"{start}-{start + 4}" for start in range(0, 90, 5)), "90+")
SEXES = {"1": "male", "2": "female"}
#: Point of delivery → tidy activity name (the names the Population chapter uses).
POINTS_OF_DELIVERY = {"AE": "ae_attendances", "NEL": "emergency_admissions"}
#: HES financial-year code: the start year's four digits then the end year's last two.
FINANCIAL_YEAR = r"(?:19|20)\d{2}\d{2}"
FORMAT = "sus_hes_activity_aggregate_csv"
#: Most A&E attendances or emergency admissions per resident a year that any small area
#: could have: England's rates are about 0.4 and 0.1 a year, and the heaviest-using small
#: areas a few times that, so 10 per resident is far above any real one. A cell (one age
#: band and sex) is bounded by this times its whole small area's population: in the
#: reader by the largest small area (``MAX_SMALL_AREA_POPULATION``), and, where the
#: resident population is configured, by the small area's own population
#: (:func:`ina.sources.consistency.check_counts_within_population`).
EVENTS_PER_RESIDENT = 10
MAX_ACTIVITY = EVENTS_PER_RESIDENT * check.MAX_SMALL_AREA_POPULATION


def _financial_year_start(table: RawTable) -> np.ndarray:
    """``202324`` → 2023, checking that the two halves are consecutive years.

    A code such as ``202325`` or a calendar year (``2023``) would otherwise be read as a
    plausible year and put the activity against the wrong population; a year that has
    not begun by the build date (``203031``) cannot have activity yet.
    """
    values = check.codes(table, "FYEAR", FINANCIAL_YEAR, description="financial year")
    digits = values.str.slice(0, 4).astype("int64").to_numpy()
    end = values.str.slice(4, 6).astype("int64").to_numpy()
    wrong = end != (digits + 1) % 100
    if wrong.any():
        position = int(np.argmax(wrong))
        start = int(digits[position])
        raise table.fail(
            "financial year halves are not consecutive years",
            position=position,
            column="FYEAR",
            expected=f"a code like {start}{(start + 1) % 100:02d} (April {start} to March "
            f"{start + 1})",
            found=values.iloc[position],
        )
    not_started = digits > check.today().year - (1 if check.today().month < 4 else 0)
    if not_started.any():
        position = int(np.argmax(not_started))
        raise table.fail(
            "financial year has not started yet (it begins on 1 April of its first year)",
            position=position,
            column="FYEAR",
            expected=f"a financial year that has begun by the build date ({check.today().date()})",
            found=values.iloc[position],
        )
    return digits


def read_hospital_activity(path: str | Path, *, name: str | None = None) -> Extract:
    """Read an aggregated A&E attendances and emergency admissions extract.

    Tidy columns: ``year`` (int, the financial year's start: 2023 for ``202324``),
    ``lsoa_code``, ``age_band`` (ordered categorical of :data:`AGE_BANDS`), ``sex``
    (categorical female/male), ``activity`` (``ae_attendances`` |
    ``emergency_admissions``), ``count`` (int). Checks: the six columns, financial-year
    codes, LSOA codes, known age bands, sexes and points of delivery, whole counts >= 0
    and one row per year, small area, age band, sex and point of delivery.
    """
    raw, table = read_csv_with_columns(path, COLUMNS, ["FYEAR", "LSOA21"])
    year = _financial_year_start(table)
    lsoa = check.codes(table, "LSOA21", check.LSOA, description="LSOA")
    band = check.choices(table, "AGE_BAND", {b: b for b in AGE_BANDS}, description="age band")
    sex = check.choices(table, "SEX", SEXES, description="sex")
    activity = check.choices(table, "POD", POINTS_OF_DELIVERY, description="point of delivery")
    count = check.counts(
        table,
        "ACTIVITY",
        maximum=MAX_ACTIVITY,
        maximum_reason="attendances or admissions of one small area, band and sex in a year",
    )
    check.unique(
        table,
        {"FYEAR": year, "LSOA21": lsoa, "AGE_BAND": band, "SEX": sex, "POD": activity},
        "year, small area, age band, sex and point of delivery",
    )
    frame = pd.DataFrame(
        {
            "year": year.astype(np.int64),
            "lsoa_code": lsoa.astype("str"),
            "age_band": pd.Categorical(band, categories=list(AGE_BANDS), ordered=True),
            "sex": pd.Categorical(sex, categories=["female", "male"]),
            "activity": activity.astype("str"),
            "count": np.asarray(count, dtype=np.int64),
        }
    )
    label = name or "hospital_activity"
    provenance = raw.provenance(label, rows=len(frame), fmt=FORMAT)
    return Extract(label, frame, (provenance,))
