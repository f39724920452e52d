"""Cancer registrations by stage at diagnosis (NDRS style), aggregated by small area.

The National Disease Registration Service (NHS England) registers every new primary
cancer; an ICB's analysts receive the registrations as an aggregate through a data
sharing agreement (or the CancerData/CAS extracts), never as patient records: new cases
by year of diagnosis, small area of residence at diagnosis, five-year age band, sex,
3-character ICD-10 site and stage. The contract's csv layout (``docs/data-contract.md``,
item 24) is

    DIAGNOSIS_YEAR,LSOA21,AGE_BAND,SEX,SITE_ICD10,STAGE,CASES

with ``DIAGNOSIS_YEAR`` the calendar year of diagnosis, ``LSOA21`` the LSOA 2021 of
residence, ``AGE_BAND`` ``0-4`` .. ``85-89``, ``90+`` (as the hospital activity
aggregate), ``SEX`` ``1`` male / ``2`` female, ``SITE_ICD10`` the 3-character ICD-10 site
of a malignant neoplasm ``C00`` .. ``C97`` excluding ``C44`` (non-melanoma skin cancer,
which incidence statistics leave out), ``STAGE`` ``1``, ``2``, ``3``, ``4`` or ``U``
(unknown, or a site with no stage such as leukaemia, brain or an unknown primary) and
``CASES`` a whole count >= 0. Cells with no cases are left out.

Early diagnosis (the PHIP's 75% target) is stage 1 or 2 of the *staged* cases, so ``U``
is kept as its own code rather than dropped. The file carries no extract date.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import Extract, RawTable, read_csv_with_columns
from ina.sources.hospital_activity import AGE_BANDS, SEXES

COLUMNS = ["DIAGNOSIS_YEAR", "LSOA21", "AGE_BAND", "SEX", "SITE_ICD10", "STAGE", "CASES"]
STAGES = {"1": "1", "2": "2", "3": "3", "4": "4", "U": "unknown"}
SITE = r"C\d{2}"
#: Non-melanoma skin cancer: registered, but excluded from cancer incidence.
EXCLUDED_SITE = "C44"
LAST_SITE = "C97"
#: Cancer registration in England is complete from 1971 (the ONS series starts then).
FIRST_YEAR = 1971
FORMAT = "ndrs_cancer_registrations_aggregate_csv"
#: Most new cancers of one site, stage, small area, age band and sex in a year. All
#: cancers together reach about 3% of people a year even at 85+; a twentieth of the
#: largest small area's residents (``check.MAX_SMALL_AREA_POPULATION``) is 2,500, far
#: above any real cell (which holds a handful).
MAX_CASES = check.MAX_SMALL_AREA_POPULATION // 20


def _sites(table: RawTable) -> pd.Series:
    """3-character sites ``C00`` .. ``C97``, refusing ``C44`` and ``C98``/``C99``."""
    sites = check.codes(table, "SITE_ICD10", SITE, description="ICD-10 cancer site")
    outside = ((sites > LAST_SITE) | (sites == EXCLUDED_SITE)).to_numpy()
    if outside.any():
        position = int(np.argmax(outside))
        found = sites.iloc[position]
        raise table.fail(
            "non-melanoma skin cancer (C44) is not counted in cancer incidence"
            if found == EXCLUDED_SITE
            else "not a malignant neoplasm site (ICD-10 C00-C97)",
            position=position,
            column="SITE_ICD10",
            expected="a 3-character ICD-10 site from C00 to C97, excluding C44",
            found=found,
        )
    return sites


def read_cancer_registrations(path: str | Path, *, name: str | None = None) -> Extract:
    """Read an aggregate of new cancer registrations by stage.

    Tidy columns: ``year`` (int, year of diagnosis), ``lsoa_code``, ``age_band`` (ordered
    categorical of :data:`AGE_BANDS`), ``sex`` (categorical female/male), ``site``
    (3-character ICD-10, ``C00`` .. ``C97`` without ``C44``), ``stage`` (``1`` | ``2`` |
    ``3`` | ``4`` | ``unknown``), ``cases`` (int). Checks: the seven columns, years from
    1971 to the build year, LSOA codes, known bands, sexes, sites and stages, whole counts
    from 0 to :data:`MAX_CASES` and one row per year, small area, band, sex, site and stage.
    """
    raw, table = read_csv_with_columns(path, COLUMNS, ["DIAGNOSIS_YEAR", "LSOA21"])
    year = check.integers_in_range(table, "DIAGNOSIS_YEAR", FIRST_YEAR, check.today().year)
    lsoa = check.codes(table, "LSOA21", check.LSOA, description="LSOA")
    band = check.choices(table, "AGE_BAND", {b: b for b in AGE_BANDS}, description="age band")
    sex = check.choices(table, "SEX", SEXES, description="sex")
    site = _sites(table)
    stage = check.choices(table, "STAGE", STAGES, description="stage")
    cases = check.counts(
        table,
        "CASES",
        maximum=MAX_CASES,
        maximum_reason="new cancers of one site and stage in one small area, band and sex "
        "in a year",
    )
    check.unique(
        table,
        {
            "DIAGNOSIS_YEAR": year,
            "LSOA21": lsoa,
            "AGE_BAND": band,
            "SEX": sex,
            "SITE_ICD10": site,
            "STAGE": stage,
        },
        "year, small area, age band, sex, site and stage",
    )
    frame = pd.DataFrame(
        {
            "year": np.asarray(year, dtype=np.int64),
            "lsoa_code": lsoa.astype("str"),
            "age_band": pd.Categorical(band, categories=list(AGE_BANDS), ordered=True),
            "sex": pd.Categorical(sex, categories=["female", "male"]),
            "site": site.astype("str"),
            "stage": stage.astype("str"),
            "cases": np.asarray(cases, dtype=np.int64),
        }
    )
    label = name or "cancer_registrations"
    provenance = raw.provenance(label, rows=len(frame), fmt=FORMAT)
    return Extract(label, frame, (provenance,))
