"""NHS Digital Quality and Outcomes Framework (QOF) raw data: registers and geography map.

``PREVALENCE_YYZZ.csv``: ``PRACTICE_CODE, GROUP_CODE, REGISTER, PATIENT_LIST_TYPE,
PRACTICE_LIST_SIZE`` (one row per practice and clinical group; ``REGISTER`` is written
``112.0``; the list is ``TOTAL`` or an age-restricted list such as ``06OV`` for ages 6+,
``18OV``...). ``ACHIEVEMENT_YYZZ.csv``: ``PRACTICE_CODE, INDICATOR_CODE, MEASURE,
VALUE``, long, one row per practice, indicator and measure (``ACHIEVED_POINTS``,
``NUMERATOR``, ``DENOMINATOR``, ``PCAS`` personalised care adjustments, and ``REGISTER``
for the register indicators), values written as decimals (``97.0``, points ``5.46``).
``MAPPING_NHS_GEOGRAPHIES_YYZZ.csv``: practice → PCN → sub-ICB → ICB →
region for that QOF year (names can carry trailing spaces, stripped here).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
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
ACHIEVEMENT_COLUMNS = ["PRACTICE_CODE", "INDICATOR_CODE", "MEASURE", "VALUE"]
#: QOF indicator codes: a group's letters and three digits (``MH002``, ``SMOK002``).
INDICATOR_CODE = r"[A-Z]{1,8}\d{3}[A-Z]?"
#: Published measures → tidy column (``REGISTER`` rows are read but not kept: the
#: registers are the prevalence file's).
ACHIEVEMENT_MEASURES = {
    "ACHIEVED_POINTS": "achieved_points",
    "NUMERATOR": "numerator",
    "DENOMINATOR": "denominator",
    "PCAS": "pcas",
    "REGISTER": "register",
}
#: QOF's list types: the whole list or an age-restricted list (``06OV`` = aged 6 and over).
LIST_TYPE = r"TOTAL|\d{2}OV"
#: Points of the whole framework (QOF 2024-25 has 635 points in all indicators together);
#: no indicator can be worth more, so more points for one is an error.
MAX_POINTS = 635
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
    int). Checks: practice codes, list types (``TOTAL`` or ``NNOV``), whole counts from 0 to
    a practice's largest plausible list, one row per practice and group. A
    register may exceed the list size (QOF 2022-23 has one: Y05750, a specialist learning
    disability service, LD 121 of 118), so that is not treated as an error.
    """
    raw, table = read_csv_with_columns(path, PREVALENCE_COLUMNS, ["PRACTICE_CODE", "GROUP_CODE"])
    practice = check.codes(table, "PRACTICE_CODE", check.PRACTICE, description="GP practice")
    group = check.codes(table, "GROUP_CODE", r"[A-Z0-9]{2,10}", description="QOF group")
    list_type = check.codes(table, "PATIENT_LIST_TYPE", LIST_TYPE, description="QOF list type")
    register = check.counts(
        table,
        "REGISTER",
        maximum=check.MAX_PRACTICE_LIST,
        maximum_reason="patients of one practice",
    )
    list_size = check.counts(
        table,
        "PRACTICE_LIST_SIZE",
        maximum=check.MAX_PRACTICE_LIST,
        maximum_reason="patients of one practice",
    )
    check.unique(table, {"PRACTICE_CODE": practice, "GROUP_CODE": group}, "practice and group")
    frame = pd.DataFrame(
        {
            "practice_code": practice,
            "group_code": group,
            "register": register,
            "list_type": list_type,
            "list_size": list_size,
        }
    )
    provenance = raw.provenance(
        name or "qof_prevalence", rows=len(frame), fmt="nhsd_qof_prevalence_csv"
    )
    return Extract(name or "qof_prevalence", frame, (provenance,))


def read_qof_achievement(path: str | Path, *, name: str | None = None) -> Extract:
    """Read QOF achievement raw data: one tidy row per practice and indicator.

    Tidy columns: ``practice_code, indicator_code, numerator, denominator`` (int),
    ``pcas`` and ``denominator_plus_pcas`` (Int64, NA when the file gives no PCAS for the
    indicator), ``achieved_points`` (float, NaN when not given). ``denominator`` is QOF's:
    the indicator's population less its personalised care adjustments, so
    ``denominator_plus_pcas`` is the population Fingertips divides by. Indicators reported
    as a register only (no numerator and denominator) are left out.

    Checks: practice and indicator codes, known measures, values from 0 to 1,000,000
    (whole for counts; points at most 635, the framework's total), one row per practice,
    indicator and measure, a NUMERATOR with every DENOMINATOR (and the other way round)
    and numerator <= denominator.
    """
    raw, table = read_csv_with_columns(
        path, ACHIEVEMENT_COLUMNS, ["PRACTICE_CODE", "INDICATOR_CODE", "MEASURE"]
    )
    practice = check.codes(table, "PRACTICE_CODE", check.PRACTICE, description="GP practice")
    indicator = check.codes(table, "INDICATOR_CODE", INDICATOR_CODE, description="QOF indicator")
    measure = check.choices(
        table, "MEASURE", {m: m for m in ACHIEVEMENT_MEASURES}, description="QOF measure"
    )
    value = check.numbers(
        table, "VALUE", allow_blank=False, minimum=0, maximum=check.MAX_PRACTICE_LIST
    )
    points = (measure == "ACHIEVED_POINTS").to_numpy()
    check.whole_where(table, "VALUE", value, ~points, what="a count of patients")
    too_many = np.flatnonzero(points & (value > MAX_POINTS))
    if too_many.size:
        raise table.fail(
            "more points than the whole framework has",
            position=int(too_many[0]),
            column="VALUE",
            expected=f"at most {MAX_POINTS} points",
            found=table.frame["VALUE"].iloc[too_many[0]],
        )
    check.unique(
        table,
        {"PRACTICE_CODE": practice, "INDICATOR_CODE": indicator, "MEASURE": measure},
        "practice, indicator and measure",
    )
    long = pd.DataFrame(
        {
            "practice_code": practice.to_numpy(),
            "indicator_code": indicator.to_numpy(),
            "measure": measure.to_numpy(),
            "value": value,
            "position": np.arange(len(value)),
        }
    )
    keys = ["practice_code", "indicator_code"]
    wide = long.pivot(index=keys, columns="measure", values="value")
    where = long.pivot(index=keys, columns="measure", values="position")
    for column in ACHIEVEMENT_MEASURES:
        if column not in wide:
            wide[column] = np.nan
            where[column] = np.nan
    for present, absent in (("NUMERATOR", "DENOMINATOR"), ("DENOMINATOR", "NUMERATOR")):
        alone = (wide[present].notna() & wide[absent].isna()).to_numpy()
        if alone.any():
            position = int(where[present].to_numpy()[alone].min())
            raise table.fail(
                f"{present} without a {absent} for this practice and indicator",
                position=position,
                column="MEASURE",
                expected=f"a {absent} row for {long['practice_code'].iloc[position]} "
                f"{long['indicator_code'].iloc[position]}",
            )
    wide = wide[wide["NUMERATOR"].notna()]
    where = where.loc[wide.index]
    check.part_within_whole(
        table,
        part=wide["NUMERATOR"].to_numpy(),
        whole=wide["DENOMINATOR"].to_numpy(),
        positions=where["NUMERATOR"].to_numpy().astype(np.int64),
        column="VALUE",
        what="numerator above its denominator",
    )
    index = wide.index.to_frame(index=False)
    denominator = wide["DENOMINATOR"].to_numpy().astype(np.int64)
    pcas = pd.array(wide["PCAS"].to_numpy(), dtype="Float64").astype("Int64")
    frame = pd.DataFrame(
        {
            "practice_code": index["practice_code"].astype("str"),
            "indicator_code": index["indicator_code"].astype("str"),
            "numerator": wide["NUMERATOR"].to_numpy().astype(np.int64),
            "denominator": denominator,
            "pcas": pcas,
            "denominator_plus_pcas": pd.array(denominator, dtype="Int64") + pcas,
            "achieved_points": wide["ACHIEVED_POINTS"].to_numpy(dtype=float),
        }
    )
    label = name or "qof_achievement"
    provenance = raw.provenance(label, rows=len(table.frame), fmt="nhsd_qof_achievement_csv")
    return Extract(label, frame, (provenance,))


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
