"""NHS Digital registered patients by practice and LSOA of residence.

``gp-reg-pat-prac-lsoa-all.csv``: ``PUBLICATION, EXTRACT_DATE, PRACTICE_CODE,
PRACTICE_NAME, LSOA_CODE, SEX, NUMBER_OF_PATIENTS`` with ``SEX=ALL``. Patients whose
address could not be matched to an LSOA are published under a pseudo-code such as
``NO2011``/``NO2021``: those rows are kept (so practice totals still add up), their
code is kept as published, and their number is logged as a warning, because every
small-area figure built from this file silently excludes them.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import (
    Extract,
    read_csv_with_columns,
)

REQUIRED = ["EXTRACT_DATE", "PRACTICE_CODE", "LSOA_CODE", "SEX", "NUMBER_OF_PATIENTS"]
UNKNOWN_LSOA = r"NO\d{4}"
log = logging.getLogger(__name__)


def read_registered_by_small_area(path: str | Path, *, name: str | None = None) -> Extract:
    """Read registered patients by practice and LSOA (``.csv`` or ``.zip``).

    Tidy columns: ``practice_code, lsoa_code, patients`` (int). Checks: practice and
    LSOA codes (``NO2011``-style unknowns allowed), ``SEX`` is ``ALL``, counts, one row
    per practice and LSOA, one extract date.
    """
    raw, table = read_csv_with_columns(path, REQUIRED, ["PRACTICE_CODE", "LSOA_CODE"])
    practice = check.codes(table, "PRACTICE_CODE", check.PRACTICE, description="GP practice")
    lsoa = check.codes(
        table, "LSOA_CODE", f"{check.LSOA}|{UNKNOWN_LSOA}", description="LSOA (or NO2011-style)"
    )
    check.choices(table, "SEX", {"ALL": "persons"}, description="sex")
    # One practice's patients in one small area (or with no small area, NO2011): at most
    # a practice's list, check.MAX_PRACTICE_LIST (five times the largest in England).
    patients = check.counts(
        table,
        "NUMBER_OF_PATIENTS",
        maximum=check.MAX_PRACTICE_LIST,
        maximum_reason="patients of one practice",
    )
    dates = check.dates(table, "EXTRACT_DATE", check.NHS_DATE_FORMATS, latest=check.today())
    date = check.only_value(table, "EXTRACT_DATE", dates.dt.strftime("%Y-%m-%d"))
    check.unique(table, {"PRACTICE_CODE": practice, "LSOA_CODE": lsoa}, "practice and LSOA")
    unknown = lsoa.str.fullmatch(UNKNOWN_LSOA).to_numpy(dtype=bool)
    if unknown.any():
        log.warning(
            "%s: %d patients in %d rows have no LSOA (%s); kept with that code",
            table.label,
            int(patients[unknown].sum()),
            int(unknown.sum()),
            ", ".join(sorted(pd.unique(lsoa[unknown]))),
        )
    frame = pd.DataFrame(
        {"practice_code": practice, "lsoa_code": lsoa, "patients": patients.astype(np.int64)}
    )
    provenance = raw.provenance(
        name or "registered_by_small_area",
        rows=len(frame),
        fmt="nhsd_gp_reg_practice_lsoa_csv",
        extract_date=date,
    )
    return Extract(name or "registered_by_small_area", frame, (provenance,))
