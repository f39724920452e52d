"""NHS Digital registered patients by single year of age and sex (practice, CCG, regions).

Three published layouts share ``PUBLICATION, EXTRACT_DATE, ..., SEX, AGE,
NUMBER_OF_PATIENTS`` and differ in the organisation columns:

- practice (2022–): ``TYPE, SUB_ICB_LOCATION_CODE, ONS_SUB_ICB_LOCATION_CODE, CODE,
  POSTCODE`` with ``TYPE=GP`` (``gp-reg-pat-prac-sing-age-{female,male}.csv``);
- practice, CCG era (–2022): ``TYPE, CCG_CODE, ONS_CCG_CODE, CODE, POSTCODE`` (also the
  practice totals file ``gp-reg-pat-prac-all.csv``, ``SEX=AGE=ALL`` only);
- regions: ``ORG_TYPE, ORG_CODE, ONS_CODE`` with rows for several organisation types
  (``Comm Region``, ``ICB``, ``SUB_ICB_LOCATION_CODE``, ``PCN``).

``AGE`` runs ``0``..``94`` and ``95+`` with an ``ALL`` row per organisation and sex;
``SEX`` is ``FEMALE``/``MALE`` and, in the regions and totals files, ``ALL``. Every total
row is checked against the sum of its parts (ages, then sexes) and dropped when the parts
are present, so the tidy frame holds each organisation at its finest published detail:
single years of age where published, else one all-ages row (``age`` NA, e.g. the CCG-era
totals file, ``sex`` ``persons``). Extract dates ``01Aug2026``, ``01JAN2021`` and
``2026-08-01`` are all read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ina.errors import InputError
from ina.sources import _checks as check
from ina.sources._base import Extract, Provenance, RawTable, read_csv_table, read_file_bytes

COMMON = ["EXTRACT_DATE", "SEX", "AGE", "NUMBER_OF_PATIENTS"]
LAYOUTS = {
    "nhsd_gp_reg_sing_age_practice_csv": ["TYPE", "SUB_ICB_LOCATION_CODE", "CODE"],
    "nhsd_gp_reg_sing_age_ccg_csv": ["TYPE", "CCG_CODE", "CODE"],
    "nhsd_gp_reg_sing_age_regions_csv": ["ORG_TYPE", "ORG_CODE", "ONS_CODE"],
}
ORG_TYPES = {
    "GP": "practice",
    "PCN": "pcn",
    "SUB_ICB_LOCATION_CODE": "sub_icb",
    "SUB_ICB_LOCATION": "sub_icb",
    "CCG": "ccg",
    "STP": "stp",
    "ICB": "icb",
    "Comm Region": "region",
    "Region": "region",
}
SEXES = {"FEMALE": "female", "MALE": "male", "ALL": "persons"}
TOP_AGE = 95
AGES = {str(age): str(age) for age in range(TOP_AGE)} | {"95+": str(TOP_AGE), "ALL": "ALL"}
OTHER_ORG = r"[A-Z0-9]{1,9}"


def read_registered_by_age(
    path: str | Path | Sequence[str | Path], *, name: str | None = None
) -> Extract:
    """Read one or several single-year-of-age registration files into one tidy frame.

    Tidy columns: ``org_type`` (practice, pcn, sub_icb, ccg, icb, region), ``org_code``,
    ``sex`` (female, male, persons), ``age`` (Int64 0–95, 95 = 95+; NA for an all-ages
    row), ``patients`` (int), ``extract_date`` (datetime64). Checks: layout columns,
    codes, labels, counts, one row per organisation/sex/age across all files, and every
    ALL row equal to the sum of its parts.
    """
    paths = [path] if isinstance(path, str | Path) else list(path)
    if not paths:
        raise InputError("registered_by_age", "no files given", expected="one or more paths")
    tidy_parts: list[pd.DataFrame] = []
    tables: list[RawTable] = []
    provenance: list[Provenance] = []
    for number, one_path in enumerate(paths):
        raw = read_file_bytes(one_path)
        table = read_csv_table(raw, header=_any_layout, expected=_expected())
        fmt = _layout(table)
        frame, date = _tidy(table, fmt)
        frame["_file"] = number
        tidy_parts.append(frame)
        tables.append(table)
        provenance.append(
            raw.provenance(
                name or "registered_by_age", rows=len(table.frame), fmt=fmt, extract_date=date
            )
        )
    frame = pd.concat(tidy_parts, ignore_index=True)
    keys = frame[["org_type", "org_code", "sex", "age"]]
    repeated = keys.duplicated(keep="first").to_numpy()
    if repeated.any():
        index = int(np.argmax(repeated))
        row = frame.iloc[index]
        raise tables[int(row["_file"])].fail(
            f"{row['org_type']} {row['org_code']} {row['sex']} age "
            f"{'ALL' if pd.isna(row['age']) else row['age']} appears in more than one row/file",
            position=int(row["_position"]),
            column="CODE/ORG_CODE, SEX, AGE",
            expected="one row per organisation, sex and age across the files",
        )
    frame = frame.drop(columns=["_file", "_position"])
    return Extract(name or "registered_by_age", frame, tuple(provenance))


def _any_layout(cells: Sequence[str]) -> bool:
    return all(c in cells for c in COMMON) and any(
        all(c in cells for c in columns) for columns in LAYOUTS.values()
    )


def _expected() -> str:
    return " or ".join(",".join(cols + COMMON) for cols in LAYOUTS.values())


def _layout(table: RawTable) -> str:
    present = set(table.frame.columns)
    for fmt, columns in LAYOUTS.items():
        if all(c in present for c in columns):
            return fmt
    raise InputError(table.label, "unrecognised layout", expected=_expected())


def _tidy(table: RawTable, fmt: str) -> tuple[pd.DataFrame, str | None]:
    regions = fmt == "nhsd_gp_reg_sing_age_regions_csv"
    type_column, code_column = ("ORG_TYPE", "ORG_CODE") if regions else ("TYPE", "CODE")
    org_type = check.choices(table, type_column, ORG_TYPES, description="organisation type")
    org_code = check.text(table, code_column)
    is_practice = (org_type == "practice").to_numpy()
    well_formed = np.where(
        is_practice,
        org_code.str.fullmatch(check.PRACTICE).to_numpy(dtype=bool),
        org_code.str.fullmatch(OTHER_ORG).to_numpy(dtype=bool),
    )
    if not well_formed.all():
        position = int(np.argmax(~well_formed))
        raise table.fail(
            "ill-formed organisation code",
            position=position,
            column=code_column,
            expected=f"practice code matching {check.PRACTICE} (other organisations {OTHER_ORG})",
            found=org_code.iloc[position],
        )
    sex = check.choices(table, "SEX", SEXES, description="sex")
    age_label = check.choices(table, "AGE", AGES, description="age")
    patients = check.counts(
        table,
        "NUMBER_OF_PATIENTS",
        maximum=check.MAX_REGION_LIST,
        maximum_reason="patients of one organisation",
    )
    _check_list_sizes(table, org_type, patients)
    extract_date = check.dates(table, "EXTRACT_DATE", check.NHS_DATE_FORMATS, latest=check.today())
    date = check.only_value(table, "EXTRACT_DATE", extract_date.dt.strftime("%Y-%m-%d"))
    check.unique(
        table,
        {code_column: org_type + "|" + org_code, "SEX": sex, "AGE": age_label},
        "organisation, sex and age",
    )
    keep = _check_totals(table, org_type + "|" + org_code, sex, age_label, patients)
    age = pd.to_numeric(age_label.where(age_label != "ALL"), errors="coerce").astype("Int64")
    frame = (
        pd.DataFrame(
            {
                "org_type": org_type,
                "org_code": org_code,
                "sex": sex,
                "age": age,
                "patients": patients,
                "extract_date": extract_date,
                "_position": np.arange(len(org_code)),
            }
        )
        .loc[keep]
        .reset_index(drop=True)
    )
    frame["org_type"] = frame["org_type"].astype("str")
    frame["sex"] = pd.Categorical(frame["sex"], categories=["female", "male", "persons"])
    return frame, date


#: Largest plausible registered list by organisation type (see ``_checks.MAX_*``): a count
#: above it is a wrong unit or a typo, whatever the row's age and sex.
LIST_MAXIMA = {
    "practice": (check.MAX_PRACTICE_LIST, "patients of one practice"),
    "pcn": (check.MAX_PRACTICE_LIST, "patients of one PCN"),
    "sub_icb": (check.MAX_SYSTEM_LIST, "patients of one sub-ICB"),
    "ccg": (check.MAX_SYSTEM_LIST, "patients of one CCG"),
    "stp": (check.MAX_SYSTEM_LIST, "patients of one STP"),
    "icb": (check.MAX_SYSTEM_LIST, "patients of one ICB"),
    "region": (check.MAX_REGION_LIST, "patients of one region"),
}


def _check_list_sizes(table: RawTable, org_type: pd.Series, patients: np.ndarray) -> None:
    """No count above the organisation type's plausible list size (:data:`LIST_MAXIMA`)."""
    maximum = org_type.map({kind: bound for kind, (bound, _) in LIST_MAXIMA.items()})
    too_large = patients > maximum.to_numpy(dtype=float)
    if too_large.any():
        position = int(np.argmax(too_large))
        bound, what = LIST_MAXIMA[str(org_type.iloc[position])]
        raise table.fail(
            "count too large",
            position=position,
            column="NUMBER_OF_PATIENTS",
            expected=f"a whole number from 0 to {bound:,} ({what})",
            found=table.frame["NUMBER_OF_PATIENTS"].iloc[position],
        )


def _check_totals(
    table: RawTable, org: pd.Series, sex: pd.Series, age: pd.Series, patients: np.ndarray
) -> np.ndarray:
    """Check ALL rows against their parts; return the rows at the finest detail.

    Level 1: an ``AGE=ALL`` row equals the sum of that organisation/sex's single ages.
    Level 2: a ``SEX=ALL, AGE=ALL`` row equals the female plus male totals (their ALL
    rows, or their ages' sums where no ALL row is published).
    """
    org_id, _ = pd.factorize(org)
    is_total = (age == "ALL").to_numpy()
    is_persons = (sex == "persons").to_numpy()
    sex_id = sex.map({"female": 0, "male": 1, "persons": 2}).to_numpy(dtype=np.int64)
    group = org_id * 3 + sex_id
    n_groups = (int(org_id.max()) + 1) * 3 if org_id.size else 0
    part_sum = np.bincount(group[~is_total], weights=patients[~is_total], minlength=n_groups)
    has_parts = np.bincount(group[~is_total], minlength=n_groups) > 0
    total_rows = np.flatnonzero(is_total & has_parts[group])
    check.totals_match(
        table,
        total_positions=total_rows,
        totals=patients[total_rows],
        sums=part_sum[group[total_rows]],
        column="NUMBER_OF_PATIENTS",
        what="the ALL-ages row",
    )
    # Best-known total for each organisation's females and males.
    sexed_total = np.where(has_parts, part_sum, 0.0)
    total_of_group = np.zeros(n_groups)
    total_of_group[group[is_total]] = patients[is_total]
    has_total_row = np.zeros(n_groups, dtype=bool)
    has_total_row[group[is_total]] = True
    best = np.where(has_total_row, total_of_group, sexed_total).reshape(-1, 3)
    known = (has_parts | has_total_row).reshape(-1, 3)
    has_split = known[:, 0] | known[:, 1]
    persons_rows = np.flatnonzero(is_total & is_persons & has_split[org_id])
    check.totals_match(
        table,
        total_positions=persons_rows,
        totals=patients[persons_rows],
        sums=best[org_id[persons_rows], 0] + best[org_id[persons_rows], 1],
        column="NUMBER_OF_PATIENTS",
        what="the SEX=ALL row",
    )
    finer_exists = np.where(is_persons, has_split[org_id], has_parts[group])
    return ~(is_total & finer_exists)
