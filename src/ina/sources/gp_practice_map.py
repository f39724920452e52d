"""NHS Digital "Patients Registered at a GP Practice": practice → PCN → sub-ICB → ICB map.

Published monthly as ``gp-reg-pat-prac-map.csv`` (often inside a ``.zip``) with the
header ``PUBLICATION, EXTRACT_DATE, PRACTICE_CODE, PRACTICE_NAME, PRACTICE_POSTCODE,
PCN_CODE, PCN_NAME, ONS_SUB_ICB_LOCATION_CODE, SUB_ICB_LOCATION_CODE,
SUB_ICB_LOCATION_NAME, ONS_ICB_CODE, ICB_CODE, ICB_NAME, ONS_COMM_REGION_CODE,
COMM_REGION_CODE, COMM_REGION_NAME, SUPPLIER_NAME``. Practices outside any PCN carry
``PCN_CODE`` ``U`` ("Unallocated"); that code is kept as published.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import (
    Extract,
    read_csv_with_columns,
)

REQUIRED = [
    "EXTRACT_DATE",
    "PRACTICE_CODE",
    "PRACTICE_NAME",
    "PRACTICE_POSTCODE",
    "PCN_CODE",
    "PCN_NAME",
    "ONS_SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_NAME",
    "ONS_ICB_CODE",
    "ICB_CODE",
    "ICB_NAME",
    "COMM_REGION_CODE",
]


def read_practice_map(path: str | Path, *, name: str | None = None) -> Extract:
    """Read the practice map (``.csv`` or a ``.zip`` holding it).

    Tidy columns: ``practice_code, practice_name, postcode, pcn_code, pcn_name,
    sub_icb_ons_code, sub_icb_code, sub_icb_name, icb_ons_code, icb_code, icb_name,
    region_code, extract_date`` (datetime64). Checks: practice, PCN and ONS code
    patterns, one row per practice, one extract date.
    """
    raw, table = read_csv_with_columns(path, REQUIRED, ["PRACTICE_CODE"])
    practice = check.codes(table, "PRACTICE_CODE", check.PRACTICE, description="GP practice")
    extract_date = check.dates(table, "EXTRACT_DATE", check.NHS_DATE_FORMATS, latest=check.today())
    frame = pd.DataFrame(
        {
            "practice_code": practice,
            "practice_name": check.text(table, "PRACTICE_NAME"),
            "postcode": check.text(table, "PRACTICE_POSTCODE", allow_blank=True),
            "pcn_code": check.codes(table, "PCN_CODE", check.PCN, description="PCN"),
            "pcn_name": check.text(table, "PCN_NAME"),
            "sub_icb_ons_code": check.codes(
                table, "ONS_SUB_ICB_LOCATION_CODE", check.SUB_ICB_ONS, description="sub-ICB ONS"
            ),
            "sub_icb_code": check.codes(
                table, "SUB_ICB_LOCATION_CODE", check.ORG_CODE, description="sub-ICB ODS"
            ),
            "sub_icb_name": check.text(table, "SUB_ICB_LOCATION_NAME"),
            "icb_ons_code": check.codes(
                table, "ONS_ICB_CODE", check.ICB_ONS, description="ICB ONS"
            ),
            "icb_code": check.codes(table, "ICB_CODE", check.ORG_CODE, description="ICB ODS"),
            "icb_name": check.text(table, "ICB_NAME"),
            "region_code": check.codes(
                table, "COMM_REGION_CODE", check.ORG_CODE, description="NHS region"
            ),
            "extract_date": extract_date,
        }
    )
    date = check.only_value(table, "EXTRACT_DATE", extract_date.dt.strftime("%Y-%m-%d"))
    check.unique(table, {"PRACTICE_CODE": practice}, "practice")
    provenance = raw.provenance(
        name or "practice_map",
        rows=len(frame),
        fmt="nhsd_gp_reg_practice_map_csv",
        extract_date=date,
    )
    return Extract(name or "practice_map", frame, (provenance,))
