"""Cancer screening coverage by GP practice (NHS England / NHS Digital practice-level data).

Coverage is published by practice for each programme and period as the eligible
population and those adequately screened within the programme's interval:

    PRACTICE_CODE,PROGRAMME,PERIOD_END,ELIGIBLE,SCREENED

``PROGRAMME`` names the programme, its ages and its interval (:data:`PROGRAMMES`),
``PERIOD_END`` the date coverage is measured at (``2025-03-31``; ``31Mar2025`` and
``31/03/2025`` are also read), ``ELIGIBLE`` the registered patients of those ages (and
sex) not ceased from the programme and ``SCREENED`` those of them adequately screened
within the interval.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import Extract, read_csv_with_columns

COLUMNS = ["PRACTICE_CODE", "PROGRAMME", "PERIOD_END", "ELIGIBLE", "SCREENED"]
#: Programme code → what coverage it is.
PROGRAMMES = {
    "BOWEL_60_74_30M": "bowel: persons 60-74 screened in the last 30 months",
    "BREAST_50_70_36M": "breast: women 50-70 screened in the last 36 months",
    "CERVICAL_25_49_42M": "cervical: women 25-49 adequately screened in the last 42 months",
    "CERVICAL_50_64_66M": "cervical: women 50-64 adequately screened in the last 66 months",
}
FORMAT = "screening_coverage_practice_csv"


def read_screening_coverage(path: str | Path, *, name: str | None = None) -> Extract:
    """Read practice-level cancer screening coverage.

    Tidy columns: ``practice_code, programme, period_end`` (datetime64), ``eligible,
    screened`` (int). Checks: the five columns, practice codes, known programmes, dates
    from 1900 to the build date, whole counts from 0 to 1,000,000 (one practice's
    patients), screened <= eligible and one row per practice, programme and period.
    """
    raw, table = read_csv_with_columns(path, COLUMNS, ["PRACTICE_CODE", "PROGRAMME"])
    practice = check.codes(table, "PRACTICE_CODE", check.PRACTICE, description="GP practice")
    programme = check.choices(
        table, "PROGRAMME", {p: p for p in PROGRAMMES}, description="screening programme"
    )
    period_end = check.dates(table, "PERIOD_END", check.NHS_DATE_FORMATS, latest=check.today())
    limit = {"maximum": check.MAX_PRACTICE_LIST, "maximum_reason": "patients of one practice"}
    eligible = check.counts(table, "ELIGIBLE", **limit)  # type: ignore[arg-type]
    screened = check.counts(table, "SCREENED", **limit)  # type: ignore[arg-type]
    check.part_within_whole(
        table,
        part=screened,
        whole=eligible,
        positions=np.arange(len(screened)),
        column="SCREENED",
        what="more screened than eligible",
    )
    check.unique(
        table,
        {"PRACTICE_CODE": practice, "PROGRAMME": programme, "PERIOD_END": period_end},
        "practice, programme and period",
    )
    frame = pd.DataFrame(
        {
            "practice_code": practice.astype("str"),
            "programme": programme.astype("str"),
            "period_end": period_end,
            "eligible": np.asarray(eligible, dtype=np.int64),
            "screened": np.asarray(screened, dtype=np.int64),
        }
    )
    label = name or "screening"
    return Extract(label, frame, (raw.provenance(label, rows=len(frame), fmt=FORMAT),))
