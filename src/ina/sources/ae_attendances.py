"""Emergency care (ECDS) attendances aggregated by the reason for attending.

The Emergency Care Data Set records why each person came to an emergency department (the
chief complaint and the injury intent and mechanism); an ICB's analysts receive it from
SUS as counts. The Live Well chapters need the falls, self-harm, mental health and
alcohol or drug presentations apart from the rest, so the contract's csv layout
(``docs/data-contract.md``, item 20) is

    FYEAR,LSOA21,AGE_BAND,SEX,ATTENDANCE_REASON,ATTENDANCES

with ``FYEAR``, ``LSOA21``, ``AGE_BAND`` and ``SEX`` as in the admissions aggregates,
``ATTENDANCE_REASON`` one of ``FALL``, ``SELF_HARM``, ``MENTAL_HEALTH``,
``ALCOHOL_DRUG``, ``OTHER_INJURY``, ``ILLNESS`` (each attendance counted once, under the
first that applies) and ``ATTENDANCES`` a whole count >= 0. Cells with no attendances
are left out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import Extract, read_csv_with_columns
from ina.sources.hospital_activity import (
    AGE_BANDS,
    MAX_ACTIVITY,
    SEXES,
    _financial_year_start,
)

COLUMNS = ["FYEAR", "LSOA21", "AGE_BAND", "SEX", "ATTENDANCE_REASON", "ATTENDANCES"]
FORMAT = "ecds_attendance_reason_aggregate_csv"
#: File code → tidy reason (lower case), in the order a record is classified.
REASONS: dict[str, str] = {
    code: code.lower()
    for code in ("FALL", "SELF_HARM", "MENTAL_HEALTH", "ALCOHOL_DRUG", "OTHER_INJURY", "ILLNESS")
}


def read_ae_attendances(path: str | Path, *, name: str | None = None) -> Extract:
    """Read an A&E (ECDS) attendances aggregate by reason.

    Tidy columns: ``year`` (int, the financial year's start), ``lsoa_code``, ``age_band``
    (ordered categorical), ``sex`` (female/male), ``reason`` (``fall`` | ``self_harm`` |
    ``mental_health`` | ``alcohol_drug`` | ``other_injury`` | ``illness``) and
    ``attendances`` (int). Checks: the six columns, financial years, LSOA codes, age
    bands, sexes, reasons, whole counts >= 0 below the activity ceiling and one row per
    year, small area, band, sex and reason.
    """
    raw, table = read_csv_with_columns(path, COLUMNS, ["FYEAR", "ATTENDANCE_REASON"])
    year = _financial_year_start(table)
    lsoa = check.codes(table, "LSOA21", check.LSOA, description="LSOA")
    band = check.choices(table, "AGE_BAND", {b: b for b in AGE_BANDS}, description="age band")
    sex = check.choices(table, "SEX", SEXES, description="sex")
    reason = check.choices(table, "ATTENDANCE_REASON", REASONS, description="attendance reason")
    count = check.counts(
        table,
        "ATTENDANCES",
        maximum=MAX_ACTIVITY,
        maximum_reason="attendances of one small area, band, sex and reason in a year",
    )
    check.unique(
        table,
        {"FYEAR": year, "LSOA21": lsoa, "AGE_BAND": band, "SEX": sex, "ATTENDANCE_REASON": reason},
        "year, small area, age band, sex and attendance reason",
    )
    frame = pd.DataFrame(
        {
            "year": year.astype(np.int64),
            "lsoa_code": lsoa.astype("str"),
            "age_band": pd.Categorical(band, categories=list(AGE_BANDS), ordered=True),
            "sex": pd.Categorical(sex, categories=["female", "male"]),
            "reason": reason.astype("str"),
            "attendances": np.asarray(count, dtype=np.int64),
        }
    )
    label = name or "ae_attendances"
    return Extract(label, frame, (raw.provenance(label, rows=len(frame), fmt=FORMAT),))
