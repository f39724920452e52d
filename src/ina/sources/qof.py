"""NHS Digital Quality and Outcomes Framework (QOF) raw data: registers and geography map.

``PREVALENCE_YYZZ.csv``: ``PRACTICE_CODE, GROUP_CODE, REGISTER, PATIENT_LIST_TYPE,
PRACTICE_LIST_SIZE`` (one row per practice and clinical group; ``REGISTER`` is written
``112.0``; the list is ``TOTAL`` or an age-restricted list such as ``06OV`` for ages 6+,
``18OV``...). ``MAPPING_NHS_GEOGRAPHIES_YYZZ.csv``: practice → PCN → sub-ICB → ICB →
region for that QOF year (names can carry trailing spaces, stripped here).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import (
    Extract,
    read_csv_with_columns,
)

PREVALENCE_COLUMNS = [
    "PRACTICE_CODE",
    "GROUP_CODE",
    "REGISTER",
    "PATIENT_LIST_TYPE",
    "PRACTICE_LIST_SIZE",
]
MAPPING_COLUMNS = {
    "PRACTICE_CODE": "practice_code",
    "PRACTICE_NAME": "practice_name",
    "PCN_ODS_CODE": "pcn_code",
    "PCN_NAME": "pcn_name",
    "SUB_ICB_ODS_CODE": "sub_icb_code",
    "SUB_ICB_ONS_CODE": "sub_icb_ons_code",
    "SUB_ICB_NAME": "sub_icb_name",
    "ICB_ODS_CODE": "icb_code",
    "ICB_ONS_CODE": "icb_ons_code",
    "ICB_NAME": "icb_name",
    "REGION_ODS_CODE": "region_code",
    "REGION_ONS_CODE": "region_ons_code",
    "REGION_NAME": "region_name",
}


def read_qof_prevalence(path: str | Path, *, name: str | None = None) -> Extract:
    """Read QOF practice registers.

    Tidy columns: ``practice_code, group_code, register, list_type, list_size`` (counts
    int). Checks: practice codes, whole counts >= 0, one row per practice and group. A
    register may exceed the list size (QOF 2022-23 has one: Y05750, a specialist learning
    disability service, LD 121 of 118), so that is not treated as an error.
    """
    raw, table = read_csv_with_columns(path, PREVALENCE_COLUMNS, ["PRACTICE_CODE", "GROUP_CODE"])
    practice = check.codes(table, "PRACTICE_CODE", check.PRACTICE, description="GP practice")
    group = check.codes(table, "GROUP_CODE", r"[A-Z0-9]{2,10}", description="QOF group")
    register = check.counts(table, "REGISTER")
    list_size = check.counts(table, "PRACTICE_LIST_SIZE")
    check.unique(table, {"PRACTICE_CODE": practice, "GROUP_CODE": group}, "practice and group")
    frame = pd.DataFrame(
        {
            "practice_code": practice,
            "group_code": group,
            "register": register,
            "list_type": check.text(table, "PATIENT_LIST_TYPE"),
            "list_size": list_size,
        }
    )
    provenance = raw.provenance(
        name or "qof_prevalence", rows=len(frame), fmt="nhsd_qof_prevalence_csv"
    )
    return Extract(name or "qof_prevalence", frame, (provenance,))


def read_qof_mapping(path: str | Path, *, name: str | None = None) -> Extract:
    """Read the QOF practice → PCN → sub-ICB → ICB → region map for one QOF year.

    Tidy columns: the snake_case names in ``MAPPING_COLUMNS`` (text stripped). Checks:
    practice and ONS codes, one row per practice.
    """
    raw, table = read_csv_with_columns(
        path, list(MAPPING_COLUMNS), ["PRACTICE_CODE", "ICB_ODS_CODE"]
    )
    frame = pd.DataFrame(
        {
            tidy: check.text(table, column, allow_blank=True)
            for column, tidy in MAPPING_COLUMNS.items()
        }
    )
    frame["practice_code"] = check.codes(
        table, "PRACTICE_CODE", check.PRACTICE, description="GP practice"
    )
    frame["sub_icb_ons_code"] = check.codes(
        table, "SUB_ICB_ONS_CODE", check.SUB_ICB_ONS, description="sub-ICB ONS"
    )
    frame["icb_ons_code"] = check.codes(table, "ICB_ONS_CODE", check.ICB_ONS, description="ICB ONS")
    check.unique(table, {"PRACTICE_CODE": frame["practice_code"]}, "practice")
    provenance = raw.provenance(name or "qof_mapping", rows=len(frame), fmt="nhsd_qof_mapping_csv")
    return Extract(name or "qof_mapping", frame, (provenance,))
