"""Smoking status at time of delivery (SATOD / MSDS), maternities by small area.

The smoking-at-delivery indicator (Fingertips 93085) is maternities whose mother was a
known smoker at delivery over maternities with a known status. NHS England collects it
by sub-ICB each quarter; the Maternity Services Data Set holds it per delivery with the
mother's small area. The contract's csv layout (``docs/data-contract.md``, item 22) is
the MSDS-derived aggregate

    FYEAR,LSOA21,SMOKING_STATUS,MATERNITIES

with ``FYEAR`` the financial year (``202324``), ``LSOA21`` the mother's LSOA 2021,
``SMOKING_STATUS`` ``SMOKER``, ``NON_SMOKER`` or ``UNKNOWN`` (the SATOD collection's
three categories) and ``MATERNITIES`` a whole count >= 0 (a maternity is a woman giving
birth, so twins are one maternity). Cells with no maternities are left out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import Extract, read_csv_with_columns
from ina.sources.hospital_activity import _financial_year_start

COLUMNS = ["FYEAR", "LSOA21", "SMOKING_STATUS", "MATERNITIES"]
FORMAT = "msds_smoking_at_delivery_aggregate_csv"
SMOKING_STATUSES = {"SMOKER": "smoker", "NON_SMOKER": "non_smoker", "UNKNOWN": "unknown"}
#: Most maternities one small area could have in a year: an LSOA of 3,000 residents has
#: about 35 births a year and the largest (10,000) about 150; 1,000 is far above any.
MAX_MATERNITIES = 1_000


def read_smoking_at_delivery(path: str | Path, *, name: str | None = None) -> Extract:
    """Read maternities by financial year, small area and smoking status at delivery.

    Tidy columns: ``year`` (int, the financial year's start), ``lsoa_code``,
    ``smoking_status`` (``smoker`` | ``non_smoker`` | ``unknown``) and ``maternities``
    (int). Checks: the four columns, financial years, LSOA codes, statuses, whole counts
    from 0 to :data:`MAX_MATERNITIES` and one row per year, small area and status.
    """
    raw, table = read_csv_with_columns(path, COLUMNS, ["FYEAR", "SMOKING_STATUS"])
    year = _financial_year_start(table)
    lsoa = check.codes(table, "LSOA21", check.LSOA, description="LSOA")
    status = check.choices(table, "SMOKING_STATUS", SMOKING_STATUSES, description="smoking status")
    count = check.counts(
        table,
        "MATERNITIES",
        maximum=MAX_MATERNITIES,
        maximum_reason="maternities of one small area and status in a year",
    )
    check.unique(
        table,
        {"FYEAR": year, "LSOA21": lsoa, "SMOKING_STATUS": status},
        "year, small area and smoking status",
    )
    frame = pd.DataFrame(
        {
            "year": year.astype(np.int64),
            "lsoa_code": lsoa.astype("str"),
            "smoking_status": status.astype("str"),
            "maternities": np.asarray(count, dtype=np.int64),
        }
    )
    label = name or "smoking_at_delivery"
    return Extract(label, frame, (raw.provenance(label, rows=len(frame), fmt=FORMAT),))
