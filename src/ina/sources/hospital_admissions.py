"""Admitted patient care (HES/SUS APC) aggregated by primary diagnosis and external cause.

The Live Well chapters count admissions by what they were for (self-harm, falls, hip
fracture, stroke, COPD, alcohol ...) and how they began (emergency or planned), so the
admissions aggregate an ICB's analysts receive from SUS or HES carries the diagnosis
fields rather than a point of delivery. The contract's csv layout
(``docs/data-contract.md``, item 19) is

    FYEAR,LSOA21,AGE_BAND,SEX,ADMIMETH,DIAG_3_01,DIAG_4_01,CAUSE_3,ADMISSIONS

with the HES field names: ``FYEAR`` the financial year (``202324`` = April 2023 to March
2024), ``LSOA21`` the LSOA 2021 of residence, ``AGE_BAND`` ``0-4`` .. ``85-89``, ``90+``
(as the activity aggregate), ``SEX`` ``1`` male / ``2`` female, ``ADMIMETH`` the NHS Data
Dictionary two-character admission method, ``DIAG_3_01`` and ``DIAG_4_01`` the primary
diagnosis at three and four characters (HES pads a code without a fourth character with
``X``: ``I64X``), ``CAUSE_3`` the first external cause code (V01-Y98) at three characters,
empty when there is none, and ``ADMISSIONS`` a whole count >= 0. Cells with no admissions
are left out (a missing combination is zero).

Why the external cause is its own column: the self-harm and falls indicators (Fingertips
21001, 22401) select an injury primary diagnosis (S00-T98) *with* a cause of X60-X84 or
W00-W19, which a diagnosis alone cannot say.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import Extract, RawTable, read_csv_with_columns
from ina.sources.hospital_activity import (
    AGE_BANDS,
    MAX_ACTIVITY,
    SEXES,
    _financial_year_start,
)

COLUMNS = [
    "FYEAR",
    "LSOA21",
    "AGE_BAND",
    "SEX",
    "ADMIMETH",
    "DIAG_3_01",
    "DIAG_4_01",
    "CAUSE_3",
    "ADMISSIONS",
]
FORMAT = "hes_apc_diagnosis_aggregate_csv"
#: NHS Data Dictionary "admission method" codes → the admission type the indicators use.
#: 11-13 waiting list, booked, planned; 21-25 and 2A-2D emergency (via A&E, GP, bed
#: bureau, consultant clinic, mental health crisis team, A&E of another provider,
#: transfer, baby born at home as intended, other); 31-32 maternity (ante- and
#: post-partum); 81-83 other (transfer of an admitted patient, babies born in or outside
#: the provider).
ADMISSION_METHODS: dict[str, str] = {
    **{code: "elective" for code in ("11", "12", "13")},
    **{code: "emergency" for code in ("21", "22", "23", "24", "25", "2A", "2B", "2C", "2D")},
    **{code: "maternity" for code in ("31", "32")},
    **{code: "other" for code in ("81", "82", "83")},
}
ADMISSION_TYPES = ("emergency", "elective", "maternity", "other")
DIAGNOSIS_3 = r"[A-Z]\d{2}"
DIAGNOSIS_4 = r"[A-Z]\d{2}[0-9X]"
#: External causes of morbidity: ICD-10 chapter XX, V01 to Y98.
EXTERNAL_CAUSE = r"V0[1-9]|V[1-9]\d|[WX]\d{2}|Y[0-8]\d|Y9[0-8]"


def _diagnoses(table: RawTable) -> tuple[pd.Series, pd.Series]:
    """The 3- and 4-character primary diagnosis, checked to name the same code.

    A ``DIAG_4_01`` that does not begin with its row's ``DIAG_3_01`` means the columns
    were shifted or filled from different fields; counting either would file the
    admission under a wrong group.
    """
    three = check.codes(table, "DIAG_3_01", DIAGNOSIS_3, description="3-character ICD-10")
    four = check.codes(table, "DIAG_4_01", DIAGNOSIS_4, description="4-character ICD-10")
    three, four = three.str.upper(), four.str.upper()
    mismatch = (four.str.slice(0, 3) != three).to_numpy()
    if mismatch.any():
        position = int(np.argmax(mismatch))
        raise table.fail(
            "4-character diagnosis does not extend the 3-character one",
            position=position,
            column="DIAG_4_01",
            expected=f"a code beginning {three.iloc[position]} (DIAG_3_01)",
            found=four.iloc[position],
        )
    return three, four


def _external_causes(table: RawTable) -> pd.Series:
    """``CAUSE_3`` upper-cased, missing where blank; a non-blank cell must be V01-Y98."""
    values = check.text(table, "CAUSE_3", allow_blank=True).str.upper()
    given = values.notna().to_numpy()
    ok = values.str.fullmatch(f"(?:{EXTERNAL_CAUSE})").to_numpy(dtype=object)
    bad = given & (ok != True)  # noqa: E712 (NA-aware: a missing match is not a match)
    if bad.any():
        position = int(np.argmax(bad))
        raise table.fail(
            "ill-formed external cause code",
            position=position,
            column="CAUSE_3",
            expected="empty or an external cause code V01-Y98 (3 characters, e.g. X60)",
            found=values.iloc[position],
        )
    return values


def read_hospital_admissions(path: str | Path, *, name: str | None = None) -> Extract:
    """Read an admitted patient care aggregate by diagnosis, external cause and method.

    Tidy columns: ``year`` (int, the financial year's start), ``lsoa_code``, ``age_band``
    (ordered categorical of :data:`AGE_BANDS`), ``sex`` (female/male),
    ``admission_method`` (the two-character code, e.g. ``21``), ``admission_type``
    (``emergency`` | ``elective`` | ``maternity`` | ``other``), ``diagnosis`` (4
    characters, e.g. ``S720``), ``diagnosis_3`` (3 characters), ``external_cause`` (3
    characters, missing when none) and ``admissions`` (int). Checks: the nine columns,
    financial years, LSOA codes, age bands, sexes, admission methods, ICD-10 patterns
    (the 4-character code extending the 3-character one, causes within V01-Y98), whole
    counts >= 0 below the activity ceiling, and one row per key.
    """
    raw, table = read_csv_with_columns(path, COLUMNS, ["FYEAR", "ADMIMETH"])
    year = _financial_year_start(table)
    lsoa = check.codes(table, "LSOA21", check.LSOA, description="LSOA")
    band = check.choices(table, "AGE_BAND", {b: b for b in AGE_BANDS}, description="age band")
    sex = check.choices(table, "SEX", SEXES, description="sex")
    method = check.choices(
        table,
        "ADMIMETH",
        {code: code for code in ADMISSION_METHODS},
        description="admission method",
    )
    three, four = _diagnoses(table)
    cause = _external_causes(table)
    count = check.counts(
        table,
        "ADMISSIONS",
        maximum=MAX_ACTIVITY,
        maximum_reason="admissions of one small area, band, sex and diagnosis in a year",
    )
    check.unique(
        table,
        {
            "FYEAR": year,
            "LSOA21": lsoa,
            "AGE_BAND": band,
            "SEX": sex,
            "ADMIMETH": method,
            "DIAG_4_01": four,
            "CAUSE_3": cause.fillna(""),
        },
        "year, small area, age band, sex, admission method, diagnosis and cause",
    )
    frame = pd.DataFrame(
        {
            "year": year.astype(np.int64),
            "lsoa_code": lsoa.astype("str"),
            "age_band": pd.Categorical(band, categories=list(AGE_BANDS), ordered=True),
            "sex": pd.Categorical(sex, categories=["female", "male"]),
            "admission_method": method.astype("str"),
            "admission_type": method.map(ADMISSION_METHODS).astype("str"),
            "diagnosis": four.astype("str"),
            "diagnosis_3": three.astype("str"),
            "external_cause": cause.astype(object).where(cause.notna(), np.nan),
            "admissions": np.asarray(count, dtype=np.int64),
        }
    )
    label = name or "hospital_admissions"
    return Extract(label, frame, (raw.provenance(label, rows=len(frame), fmt=FORMAT),))
