"""Linked end-of-life extract: each death with its emergency admissions in the last 90 days.

An ICB's business intelligence team holds ONS death registrations linked to HES/SUS
admitted patient care (the linked "HES-ONS mortality" data), and from it derives one row
per decedent: the registration fields and the emergency admissions (admission method
21-2B, 2D) that began in the 90 days up to and including the date of death, with the bed
days those admissions used within the window. The contract's csv layout
(``docs/data-contract.md``, item 25) keeps the ONS field names of the deaths file:

    DOD,DOR,SEX,AGEINYRS,LSOAR,EMERGENCY_ADMISSIONS_90D,BED_DAYS_90D

(dates ``YYYY-MM-DD``, ``SEX`` ``1`` male ``2`` female, age in completed years, LSOA of
usual residence, then two whole counts). A decedent with no emergency admission has
``0`` and ``0``; an admission can last under a day, so admissions without bed days are
fine, but bed days without an admission are not. Identical rows are legitimate (two
deaths can share every field), so no duplicate check is made.

The PHIP outcome "reduced emergency admissions in the last 3 months of life" is the
share of decedents with at least one such admission (also the mean per decedent and
the share with three or more).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import Extract
from ina.sources.vital_events import MAX_AGE, _read_registrations, _sex

COLUMNS = [
    "DOD",
    "DOR",
    "SEX",
    "AGEINYRS",
    "LSOAR",
    "EMERGENCY_ADMISSIONS_90D",
    "BED_DAYS_90D",
]
#: Length of the look-back window before death, in days.
WINDOW_DAYS = 90
#: At most one emergency admission begins on each day of the window: 90 admissions is
#: the logical ceiling (real decedents have a handful at most).
MAX_ADMISSIONS = WINDOW_DAYS
#: Bed days are counted within the window, so no decedent can have more than 90.
MAX_BED_DAYS = WINDOW_DAYS
FORMAT = "ons_hes_linked_deaths_csv"


def read_end_of_life(path: str | Path, *, name: str | None = None) -> Extract:
    """Read a linked decedent extract (deaths with emergency admissions in their last 90 days).

    Tidy columns: ``death_date, registration_date`` (datetime64), ``sex`` (female/male),
    ``age`` (int, 0–125), ``lsoa_code``, ``emergency_admissions_90d`` (int, 0–90),
    ``bed_days_90d`` (int, 0–90). Checks: the seven columns, the deaths file's date checks
    (registration not after the build, death not after its registration), sex, age, LSOA,
    whole counts within the window's ceilings, and no bed days without an admission.
    """
    raw, table, registered, died = _read_registrations(path, COLUMNS, "DOD", "date of death")
    sex = _sex(table)
    age = check.integers_in_range(table, "AGEINYRS", 0, MAX_AGE)
    lsoa = check.codes(table, "LSOAR", check.LSOA, description="LSOA")
    admissions = check.integers_in_range(table, "EMERGENCY_ADMISSIONS_90D", 0, MAX_ADMISSIONS)
    bed_days = check.integers_in_range(table, "BED_DAYS_90D", 0, MAX_BED_DAYS)
    orphan = (np.asarray(bed_days) > 0) & (np.asarray(admissions) == 0)
    if orphan.any():
        position = int(np.argmax(orphan))
        raise table.fail(
            "bed days without an emergency admission",
            position=position,
            column="BED_DAYS_90D",
            expected="0 when EMERGENCY_ADMISSIONS_90D is 0 (bed days are those of the "
            "window's emergency admissions)",
            found=str(int(np.asarray(bed_days)[position])),
        )
    frame = pd.DataFrame(
        {
            "death_date": died,
            "registration_date": registered,
            "sex": sex,
            "age": np.asarray(age, dtype=np.int64),
            "lsoa_code": lsoa.astype("str"),
            "emergency_admissions_90d": np.asarray(admissions, dtype=np.int64),
            "bed_days_90d": np.asarray(bed_days, dtype=np.int64),
        }
    )
    label = name or "end_of_life"
    provenance = raw.provenance(label, rows=len(frame), fmt=FORMAT)
    return Extract(label, frame, (provenance,))
