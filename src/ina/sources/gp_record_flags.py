"""GP-record flags: counts of coded records by practice from a GPES-style search.

ICBs receive these from a GP data extraction (GPES, or the ICB's own primary-care data
service) as one long file, one row per extract date, practice and measure:

    EXTRACT_DATE,PRACTICE_CODE,MEASURE,VALUE

``EXTRACT_DATE`` ``2025-03-31`` (NHS Digital's ``31Mar2025`` and ``31/03/2025`` also
read), ``MEASURE`` one of :data:`MEASURES` (the INA's contract names, listed with what
each counts) and ``VALUE`` a count of patients, except the two modelled expectations
(``*_EXPECTED*``), which may carry decimals. A measure the INA does not know is an error
rather than ignored, so that a renamed search cannot silently drop an indicator.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import Extract, read_csv_with_columns

COLUMNS = ["EXTRACT_DATE", "PRACTICE_CODE", "MEASURE", "VALUE"]
#: Measure → what it counts (registered patients of the practice at the extract date).
MEASURES: dict[str, str] = {
    "LD_REGISTER_14PLUS": "patients aged 14+ on the learning disability register",
    "LD_AHC_COMPLETED": "of those, with an LD annual health check in the 12 months",
    "LD_AHC_WITH_HAP": "of those checked, with a health action plan",
    "DEP_NEW_DIAGNOSES_18PLUS": "patients 18+ newly diagnosed with depression in the 12 months",
    "SMI_REGISTER": "patients on the serious mental illness register",
    "SMI_PHC_ALL_SIX": "of those, with all six physical health checks in the 12 months",
    "MCCR_ACTIVE_RECORDS": "patients with an active My Care Choices Register record",
    "EOL_IDENTIFIED": "patients identified as approaching the end of life",
    "EOL_CARE_PLAN": "of those, with a documented (advance) care plan",
    "FRAILTY_65PLUS_SCORED": "patients 65+ with a frailty score (eFI/Rockwood) in 12 months",
    "FRAILTY_65PLUS_MODERATE_SEVERE": "of those scored, moderately or severely frail",
    "DEM_REGISTER_65PLUS": "patients 65+ on the dementia register",
    "DEM_EXPECTED_65PLUS": "expected dementia 65+: CFAS II age-sex rates x registered 65+",
    "HYP_EXPECTED": "expected hypertension: modelled prevalence x registered list",
    "ETHNICITY_RECORDED": "patients with an ethnic category recorded",
    "SMOKERS_15PLUS": "patients 15+ recorded as current smokers",
    "CARERS_FLAGGED": "patients flagged as carers",
}
#: Modelled expectations (may be decimals); every other measure is a whole count.
EXPECTED = ("DEM_EXPECTED_65PLUS", "HYP_EXPECTED")
#: (part, whole): a count that is a subset of another for the same practice and date.
SUBSETS = (
    ("LD_AHC_COMPLETED", "LD_REGISTER_14PLUS"),
    ("LD_AHC_WITH_HAP", "LD_AHC_COMPLETED"),
    ("SMI_PHC_ALL_SIX", "SMI_REGISTER"),
    ("EOL_CARE_PLAN", "EOL_IDENTIFIED"),
    ("FRAILTY_65PLUS_MODERATE_SEVERE", "FRAILTY_65PLUS_SCORED"),
)
FORMAT = "gp_record_flags_csv"


def read_gp_record_flags(path: str | Path, *, name: str | None = None) -> Extract:
    """Read a GP-record flags extract.

    Tidy columns: ``extract_date`` (datetime64), ``practice_code``, ``measure``, ``value``
    (float: counts are whole). Checks: the four columns, dates from 1900 to the build
    date, practice codes, known measures, values from 0 to 1,000,000 (a practice's
    largest plausible list) and whole except the expected counts, one row per date,
    practice and measure, and each subset count (checks done, care plans, moderate or
    severe frailty) at most the count it is part of.
    """
    raw, table = read_csv_with_columns(path, COLUMNS, ["PRACTICE_CODE", "MEASURE"])
    date = check.dates(table, "EXTRACT_DATE", check.NHS_DATE_FORMATS, latest=check.today())
    practice = check.codes(table, "PRACTICE_CODE", check.PRACTICE, description="GP practice")
    measure = check.choices(table, "MEASURE", {m: m for m in MEASURES}, description="measure")
    value = check.numbers(
        table, "VALUE", allow_blank=False, minimum=0, maximum=check.MAX_PRACTICE_LIST
    )
    counted = ~measure.isin(EXPECTED).to_numpy()
    check.whole_where(table, "VALUE", value, counted, what="a count of patients")
    check.unique(
        table,
        {"EXTRACT_DATE": date, "PRACTICE_CODE": practice, "MEASURE": measure},
        "extract date, practice and measure",
    )
    long = pd.DataFrame(
        {
            "date": date.to_numpy(),
            "practice": practice.to_numpy(),
            "measure": measure.to_numpy(),
            "value": value,
            "position": np.arange(len(value)),
        }
    )
    keys = ["date", "practice"]
    wide = long.pivot(index=keys, columns="measure", values="value")
    where = long.pivot(index=keys, columns="measure", values="position")
    for part, whole in SUBSETS:
        if part in wide and whole in wide:
            both = (wide[part].notna() & wide[whole].notna()).to_numpy()
            check.part_within_whole(
                table,
                part=wide[part].to_numpy()[both],
                whole=wide[whole].to_numpy()[both],
                positions=where[part].to_numpy()[both].astype(np.int64),
                column="VALUE",
                what=f"{part} above {whole} for the same practice and date",
            )
    frame = pd.DataFrame(
        {
            "extract_date": date,
            "practice_code": practice.astype("str"),
            "measure": measure.astype("str"),
            "value": value.astype(float),
        }
    )
    dates = pd.unique(date)
    extract_date = str(pd.Timestamp(dates[0]).date()) if len(dates) == 1 else None
    label = name or "gp_record_flags"
    provenance = raw.provenance(label, rows=len(frame), fmt=FORMAT, extract_date=extract_date)
    return Extract(label, frame, (provenance,))
