"""National Child Measurement Programme (NCMP): children measured by BMI category, by small area.

Local authorities receive their children's NCMP records from the NCMP system (NHS England,
formerly NHS Digital); an intelligence team aggregates them by the child's small area of
residence, as the national report does ("geographical analyses ... based on the postcode
of the child's home address which is mapped to a lower super output area"). The
contract's csv layout (``docs/data-contract.md``, item 23) is

    ACADEMIC_YEAR,LSOA21,SCHOOL_YEAR,SEX,BMI_CATEGORY,CHILDREN

with ``ACADEMIC_YEAR`` ``2023/24`` (September 2023 to July 2024; the two halves
consecutive), ``LSOA21`` the child's LSOA 2021 of residence, ``SCHOOL_YEAR`` ``R``
(Reception, age 4-5) or ``6`` (Year 6, age 10-11), ``SEX`` ``M`` / ``F`` (the NCMP
system's own sex codes: its upload accepts ``M``, ``F``, ``MALE``, ``FEMALE`` in any
case, and so does this reader), ``BMI_CATEGORY`` one of the mutually exclusive UK90
clinical categories ``UNDERWEIGHT`` (below the 2nd centile), ``HEALTHY_WEIGHT``,
``OVERWEIGHT`` (85th to below the 95th), ``OBESE`` (95th to below the 99.6th, i.e.
*excluding* severe obesity) and ``SEVERELY_OBESE`` (99.6th and above), and ``CHILDREN``
a whole count >= 0. Cells with no children are left out, so a missing combination is
zero.

The published measures are sums of categories: "obesity including severe obesity" is
``obese`` + ``severely_obese``, "overweight including obesity" adds ``overweight``; the
denominator is every category (children measured). The file carries no extract date.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import Extract, RawTable, read_csv_with_columns

COLUMNS = ["ACADEMIC_YEAR", "LSOA21", "SCHOOL_YEAR", "SEX", "BMI_CATEGORY", "CHILDREN"]
#: School year code (and its long form) -> tidy school year.
SCHOOL_YEARS = {"R": "reception", "Reception": "reception", "6": "year_6", "Year 6": "year_6"}
#: The NCMP system's sex codes -> tidy sex.
SEXES = {"M": "male", "MALE": "male", "F": "female", "FEMALE": "female"}
#: Mutually exclusive UK90 clinical BMI categories, lightest first.
BMI_CATEGORIES: tuple[str, ...] = (
    "underweight",
    "healthy_weight",
    "overweight",
    "obese",
    "severely_obese",
)
ACADEMIC_YEAR = r"(?:19|20)\d{2}/\d{2}"
#: The first NCMP collection was 2006/07.
FIRST_ACADEMIC_YEAR = 2006
FORMAT = "ncmp_small_area_aggregate_csv"
#: Most children of one small area, school year, sex and BMI category. A school year is
#: one year of age, about 1.2% of England's residents; even the 50,000-resident ceiling
#: of any small area (``check.MAX_SMALL_AREA_POPULATION``) would give about 600 children,
#: so 5,000 is far above any real cell while a misplaced column (a population, a
#: height in millimetres) stops the build.
MAX_CHILDREN = 5_000


def _label(start: int) -> str:
    """2023 -> ``2023/24``."""
    return f"{start}/{(start + 1) % 100:02d}"


def _academic_year_start(table: RawTable) -> np.ndarray:
    """``2023/24`` -> 2023, checking the halves are consecutive and the year has begun.

    ``2023/25`` or a calendar year would otherwise be read as a plausible year and put
    the children against the wrong cohort; an academic year starting after the build
    (it starts on 1 September) cannot have measurements yet.
    """
    values = check.codes(table, "ACADEMIC_YEAR", ACADEMIC_YEAR, description="academic year")
    start = values.str.slice(0, 4).astype("int64").to_numpy()
    end = values.str.slice(5, 7).astype("int64").to_numpy()
    wrong = end != (start + 1) % 100
    if wrong.any():
        position = int(np.argmax(wrong))
        first = int(start[position])
        raise table.fail(
            "academic year halves are not consecutive years",
            position=position,
            column="ACADEMIC_YEAR",
            expected=f"a year like {first}/{(first + 1) % 100:02d} (September {first} to "
            f"July {first + 1})",
            found=values.iloc[position],
        )
    today = check.today()
    latest = today.year - (1 if today.month < 9 else 0)
    outside = (start > latest) | (start < FIRST_ACADEMIC_YEAR)
    if outside.any():
        position = int(np.argmax(outside))
        raise table.fail(
            "academic year outside the NCMP's collections"
            if start[position] < FIRST_ACADEMIC_YEAR
            else "academic year has not started yet (it begins on 1 September)",
            position=position,
            column="ACADEMIC_YEAR",
            expected=f"an academic year from {_label(FIRST_ACADEMIC_YEAR)} to {_label(latest)} "
            f"(begun by the build date, {today.date()})",
            found=values.iloc[position],
        )
    return start


def read_ncmp(path: str | Path, *, name: str | None = None) -> Extract:
    """Read an NCMP small-area extract: children measured by BMI category.

    Tidy columns: ``year`` (int, the academic year's start: 2023 for ``2023/24``),
    ``lsoa_code``, ``school_year`` (``reception`` | ``year_6``), ``sex`` (categorical
    female/male), ``bmi_category`` (``underweight`` | ``healthy_weight`` | ``overweight``
    | ``obese`` | ``severely_obese``, mutually exclusive), ``children`` (int). Checks: the
    six columns, academic-year codes (consecutive halves, begun, 2006/07 or later), LSOA
    codes, known school years, sexes and categories, whole counts from 0 to
    :data:`MAX_CHILDREN`, one row per year, small area, school year, sex and category.
    """
    raw, table = read_csv_with_columns(path, COLUMNS, ["ACADEMIC_YEAR", "LSOA21"])
    year = _academic_year_start(table)
    lsoa = check.codes(table, "LSOA21", check.LSOA, description="LSOA")
    school_year = check.choices(table, "SCHOOL_YEAR", SCHOOL_YEARS, description="school year")
    sex = check.choices(table, "SEX", SEXES, description="sex")
    categories = {c.upper(): c for c in BMI_CATEGORIES}
    category = check.choices(table, "BMI_CATEGORY", categories, description="BMI category")
    children = check.counts(
        table,
        "CHILDREN",
        maximum=MAX_CHILDREN,
        maximum_reason="children of one small area, school year, sex and BMI category",
    )
    check.unique(
        table,
        {
            "ACADEMIC_YEAR": year,
            "LSOA21": lsoa,
            "SCHOOL_YEAR": school_year,
            "SEX": sex,
            "BMI_CATEGORY": category,
        },
        "academic year, small area, school year, sex and BMI category",
    )
    frame = pd.DataFrame(
        {
            "year": year.astype(np.int64),
            "lsoa_code": lsoa.astype("str"),
            "school_year": school_year.astype("str"),
            "sex": pd.Categorical(sex, categories=["female", "male"]),
            "bmi_category": category.astype("str"),
            "children": np.asarray(children, dtype=np.int64),
        }
    )
    label = name or "ncmp"
    provenance = raw.provenance(label, rows=len(frame), fmt=FORMAT)
    return Extract(label, frame, (provenance,))
