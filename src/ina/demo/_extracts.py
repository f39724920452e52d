"""One writer per demo extract: the :class:`DemoWorld` rendered in each published format.

Each writer takes the world and the destination path(s) from ``ina.yml`` ``sources`` and
returns the paths written. Formats are those of ``docs/data-contract.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ina.demo._activity import activity_rows, draw_hospital_activity
from ina.demo._admissions import draw_admissions, draw_ae_attendances
from ina.demo._cancer import draw_cancer_registrations, registration_rows
from ina.demo._cvdprevent import cvdprevent
from ina.demo._death_details import draw_death_details
from ina.demo._end_of_life import draw_end_of_life
from ina.demo._formats import (
    FILE_7_DOMAINS,
    file_7_header,
    format_decimal,
    nhs_digital_date,
    write_csv,
    write_workbook,
)
from ina.demo._gp_records import gp_record_flags
from ina.demo._maternity import draw_smoking_at_delivery, draw_stillbirths
from ina.demo._ncmp import draw_ncmp, ncmp_rows
from ina.demo._projections import (
    ENGLAND_NET_MIGRATION_RATE,
    ICB_FERTILITY_FACTOR,
    ICB_NET_MIGRATION_RATE,
    ONS_TOP_AGE,
    fold_top_age,
    project,
)
from ina.demo._qof import qof_achievement, qof_prevalence
from ina.demo._screening import screening
from ina.demo._world import (
    COUNTIES,
    DISTRICTS,
    ENGLAND_POPULATION,
    MAX_AGE,
    NATIONAL_LSOA_COUNT,
    PROJECTION_YEARS,
    REGION_POPULATION,
    SUB_ICBS,
    DemoWorld,
    age_tilt,
    decile_from_rank,
    distinct_ranks,
    domain_percentiles,
    england_persons_profile,
    male_fraction,
)

ICB_ONS = "E54000068"
ICB_ODS = "T6Y0W"
ICB_NAME = "NHS Norfolk and Suffolk Integrated Care Board"
REGION = ("E12000006", "East of England")
COMM_REGION = ("E40000013", "Y61", "East of England")
ENGLAND = ("E92000001", "England")
EXTRACT_DATE = dt.date(2026, 4, 1)
PUBLICATION = "GP_PRAC_PAT_LIST"

Writer = Callable[[DemoWorld, Path | list[Path]], list[Path]]


def _single(path: Path | list[Path]) -> Path:
    if isinstance(path, list):
        if len(path) != 1:
            raise ValueError(f"expected one path, got {len(path)}")
        return path[0]
    return path


def _sub_icb_name(code: str) -> str:
    return f"NHS Norfolk and Suffolk ICB - {code}"


# --- ONS lookups -------------------------------------------------------------------------


def small_area_lookup(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """ONS LSOA21 -> SICBL24 -> ICB24 -> LAD24 lookup (UTF-8 BOM, LF)."""
    sa = world.small_areas
    frame = pd.DataFrame(
        {
            "LSOA21CD": sa["lsoa_code"],
            "LSOA21NM": sa["lsoa_name"],
            "SICBL24CD": sa["sub_icb_code"].map(SUB_ICBS),
            "SICBL24CDH": sa["sub_icb_code"],
            "SICBL24NM": sa["sub_icb_code"].map(_sub_icb_name),
            "ICB24CD": ICB_ONS,
            "ICB24CDH": ICB_ODS,
            "ICB24NM": ICB_NAME,
            "LAD24CD": sa["district_code"],
            "LAD24NM": sa["district_name"],
            "ObjectId": np.arange(1, len(sa) + 1),
        }
    )
    return [write_csv(_single(path), list(frame.columns), frame, bom=True)]


def district_lookup(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """ONS LTLA24 -> UTLA24 lookup for the ICB's districts (UTF-8 BOM, LF)."""
    rows = [
        (d.code, d.name, d.county_code, COUNTIES[d.county_code], index)
        for index, d in enumerate(DISTRICTS, start=1)
    ]
    header = ["LTLA24CD", "LTLA24NM", "UTLA24CD", "UTLA24NM", "ObjectId"]
    return [write_csv(_single(path), header, rows, bom=True)]


# --- deprivation -------------------------------------------------------------------------

# Score shape of each File 7 indicator: (value at national percentile 0, 0.1, 0.5, 1) and
# its correlation with the IMD (Geographical Barriers run against it: remote rural areas).
_SCORE_SHAPES: dict[str, tuple[tuple[float, float, float, float], float]] = {
    "Income": ((0.60, 0.24, 0.10, 0.005), 0.95),
    "Employment": ((0.50, 0.19, 0.08, 0.005), 0.9),
    "Education, Skills and Training": ((85.0, 40.0, 17.0, 0.004), 0.85),
    "Health Deprivation and Disability": ((3.5, 1.0, 0.0, -3.0), 0.85),
    "Crime": ((3.0, 1.0, 0.0, -3.0), 0.6),
    "Barriers to Housing and Services": ((65.0, 32.0, 20.0, 1.0), 0.05),
    "Living Environment": ((90.0, 40.0, 18.0, 0.5), 0.35),
    "Income Deprivation Affecting Children Index (IDACI)": ((0.75, 0.33, 0.12, 0.005), 0.9),
    "Income Deprivation Affecting Older People (IDAOPI)": ((0.80, 0.30, 0.12, 0.01), 0.85),
    "Children and Young People Sub-domain": ((3.5, 1.2, 0.0, -3.0), 0.8),
    "Adult Skills Sub-domain": ((0.75, 0.35, 0.22, 0.01), 0.8),
    "Geographical Barriers Sub-domain": ((5.0, 1.5, 0.0, -5.0), -0.45),
    "Wider Barriers Sub-domain": ((4.0, 1.5, 0.0, -4.0), 0.45),
    "Indoors Sub-domain": ((3.0, 1.0, 0.0, -3.0), 0.3),
    "Outdoors Sub-domain": ((3.0, 1.0, 0.0, -3.0), 0.3),
}
_IMD_SCORE_KNOTS = ((0.0, 80.0), (0.1, 34.2), (0.2, 27.7), (0.5, 17.0), (0.9, 7.0), (1.0, 0.5))


def _score_from_rank(rank: np.ndarray, knots: tuple[tuple[float, float], ...]) -> np.ndarray:
    """Score decreasing with rank (rank 1 = most deprived = highest score)."""
    p = (rank - 0.5) / NATIONAL_LSOA_COUNT
    xs, ys = zip(*knots, strict=True)
    return np.interp(p, xs, ys)


def deprivation(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """MHCLG IoD2025 File 7: all ranks, scores, deciles and population denominators.

    Ranks are national (1 = most deprived of 33,755); each domain's percentile is drawn
    correlated with the IMD's, then made into distinct ranks, deciles and scores that
    decrease with rank. A separate generator (``seed + 7``) draws the domains so that
    adding or changing a domain does not shift any other file.
    """
    sa = world.small_areas
    rng = np.random.default_rng(world.seed + 7)
    rank = sa["imd_rank"].to_numpy()
    columns: list[list[str] | np.ndarray] = [
        sa["lsoa_code"].to_numpy(),
        sa["lsoa_name"].to_numpy(),
        sa["district_code"].to_numpy(),
        sa["district_name"].to_numpy(),
        format_decimal(_score_from_rank(rank, _IMD_SCORE_KNOTS)),
        rank.astype(str),
        decile_from_rank(rank).astype(str),
    ]
    imd_percentile = sa["percentile"].to_numpy()
    for stem, _ in FILE_7_DOMAINS:
        (at0, at10, at50, at100), correlation = _SCORE_SHAPES[stem]
        domain_rank = distinct_ranks(domain_percentiles(rng, imd_percentile, correlation))
        knots = ((0.0, at0), (0.1, at10), (0.5, at50), (1.0, at100))
        columns += [
            format_decimal(_score_from_rank(domain_rank, knots)),
            domain_rank.astype(str),
            decile_from_rank(domain_rank).astype(str),
        ]
    persons = world.population.sum(axis=1)  # (area, age)
    columns += [
        persons.sum(axis=1).astype(str),
        persons[:, :16].sum(axis=1).astype(str),
        persons[:, 60:].sum(axis=1).astype(str),
        persons[:, 18:67].sum(axis=1).astype(str),
    ]
    rows = list(zip(*columns, strict=True))
    return [write_csv(_single(path), file_7_header(), rows)]


# --- ONS population ----------------------------------------------------------------------


def _district_base(world: DemoWorld) -> np.ndarray:
    """Residents by district (in DISTRICTS order), sex and ONS age 0..89, 90+."""
    codes = world.small_areas["district_code"].to_numpy()
    return np.stack(
        [fold_top_age(world.population[codes == d.code].sum(axis=0)) for d in DISTRICTS]
    )


def resident_population(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """ONS SAPE mid-2022: one row per LSOA, Total then F0..F90, M0..M90 (90 = 90+)."""
    sa = world.small_areas
    folded = fold_top_age(world.population)  # (area, sex, 91)
    ages = range(ONS_TOP_AGE + 1)
    header = ["LAD 2021 Code", "LAD 2021 Name", "LSOA 2021 Code", "LSOA 2021 Name", "Total"]
    header += [f"F{a}" for a in ages] + [f"M{a}" for a in ages]
    values = np.concatenate([folded[:, 0, :], folded[:, 1, :]], axis=1)
    frame = pd.DataFrame(values, columns=header[5:])
    frame.insert(0, "Total", values.sum(axis=1))
    frame.insert(0, "LSOA 2021 Name", sa["lsoa_name"].to_numpy())
    frame.insert(0, "LSOA 2021 Code", sa["lsoa_code"].to_numpy())
    frame.insert(0, "LAD 2021 Name", sa["district_name"].to_numpy())
    frame.insert(0, "LAD 2021 Code", sa["district_code"].to_numpy())
    return [write_csv(_single(path), header, frame)]


def _england_by_sex(total: int, tilt: float = 0.0) -> np.ndarray:
    """An England-shaped population (sex, age 0..95) of about ``total`` people, integers."""
    profile = england_persons_profile() * age_tilt(tilt)
    profile = profile / profile.sum()
    males = male_fraction()
    return np.rint(np.stack([profile * (1 - males), profile * males]) * total).astype(np.int64)


def national_population(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """ONS MYE2 (mid-2022) workbook: sheets ``MYE2 - Males`` and ``MYE2 - Females``.

    Rows: England, East of England, Norfolk, Suffolk and the 12 districts. England and the
    region are England-shaped (about 57.1m and 6.4m); counties and districts are the demo
    residents summed, so they agree with the SAPE file.
    """
    districts = _district_base(world)  # (district, sex, 91)
    county_codes = np.array([d.county_code for d in DISTRICTS])
    rows_by_sex: dict[int, list[list[object]]] = {0: [], 1: []}
    areas: list[tuple[str, str, str, np.ndarray]] = [
        (*ENGLAND, "Country", fold_top_age(_england_by_sex(ENGLAND_POPULATION))),
        (*REGION, "Region", fold_top_age(_england_by_sex(REGION_POPULATION, tilt=0.08))),
    ]
    for code, name in COUNTIES.items():
        areas.append((code, name, "County", districts[county_codes == code].sum(axis=0)))
    for index, d in enumerate(DISTRICTS):
        areas.append((d.code, d.name, "Non-metropolitan District", districts[index]))
    for code, name, kind, values in areas:
        for sex in (0, 1):
            counts = [int(v) for v in values[sex]]
            rows_by_sex[sex].append([code, name, kind, sum(counts), *counts])
    header: list[object] = ["Code", "Name", "Geography", "All ages", *range(ONS_TOP_AGE + 1)]
    sheets = {}
    for sex, label in ((1, "Males"), (0, "Females")):
        sheets[f"MYE2 - {label}"] = [
            [f"MYE2 - {label}: Population estimates by single year of age, mid-2022 (SYNTHETIC)"],
            ["Written by `ina demo-data`: not real estimates. Age 90 means 90 and over."],
            ["This worksheet contains one table."],
            header,
            *rows_by_sex[sex],
        ]
    return [write_workbook(_single(path), sheets)]


def population_projections(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """ONS SNPP layout, 2022-2047, for the districts, the two counties and England.

    Values are whole people (ONS publishes decimals; ``All ages`` is the exact sum of the
    written ages here, so a loader's total check needs no tolerance).
    """
    districts = np.rint(
        project(_district_base(world), ICB_NET_MIGRATION_RATE, ICB_FERTILITY_FACTOR)
    )
    england_base = fold_top_age(_england_by_sex(ENGLAND_POPULATION))[None]
    england = np.rint(project(england_base, ENGLAND_NET_MIGRATION_RATE))[0]
    county_codes = np.array([d.county_code for d in DISTRICTS])
    areas: list[tuple[str, str, np.ndarray]] = [
        (d.code, d.name, districts[i]) for i, d in enumerate(DISTRICTS)
    ]
    areas += [
        (code, name, districts[county_codes == code].sum(axis=0)) for code, name in COUNTIES.items()
    ]
    areas.append((*ENGLAND, england))
    age_labels = [str(a) for a in range(ONS_TOP_AGE)] + ["90 and over", "All ages"]
    rows = []
    for code, name, values in sorted(areas, key=lambda area: area[0]):
        for sex_index, sex in ((0, "females"), (1, "males")):
            block = values[sex_index].astype(np.int64)  # (age, year)
            block = np.vstack([block, block.sum(axis=0)])
            for label, row in zip(age_labels, block, strict=True):
                rows.append([code, name, "Population", sex, label, *row.tolist()])
    header = [
        "AREA_CODE",
        "AREA_NAME",
        "COMPONENT",
        "SEX",
        "AGE_GROUP",
        *map(str, PROJECTION_YEARS),
    ]
    return [write_csv(_single(path), header, rows)]


# --- NHS Digital GP registrations --------------------------------------------------------


def practice_map(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """NHS Digital ``gp-reg-pat-prac-map.csv`` (CRLF, ``01Apr2026`` dates)."""
    p = world.practices
    rng = np.random.default_rng(world.seed + 11)
    supplier = np.where(rng.random(len(p)) < 0.45, "EMIS", "TPP")
    frame = pd.DataFrame(
        {
            "PUBLICATION": PUBLICATION,
            "EXTRACT_DATE": nhs_digital_date(EXTRACT_DATE),
            "PRACTICE_CODE": p["practice_code"],
            "PRACTICE_NAME": p["practice_name"],
            "PRACTICE_POSTCODE": p["postcode"],
            "PCN_CODE": p["pcn_code"],
            "PCN_NAME": p["pcn_name"],
            "ONS_SUB_ICB_LOCATION_CODE": p["sub_icb_code"].map(SUB_ICBS),
            "SUB_ICB_LOCATION_CODE": p["sub_icb_code"],
            "SUB_ICB_LOCATION_NAME": p["sub_icb_code"].map(_sub_icb_name),
            "ONS_ICB_CODE": ICB_ONS,
            "ICB_CODE": ICB_ODS,
            "ICB_NAME": ICB_NAME,
            "ONS_COMM_REGION_CODE": COMM_REGION[0],
            "COMM_REGION_CODE": COMM_REGION[1],
            "COMM_REGION_NAME": COMM_REGION[2],
            "SUPPLIER_NAME": supplier,
        }
    ).sort_values("PRACTICE_CODE")
    return [write_csv(_single(path), list(frame.columns), frame, crlf=True)]


def registered_by_age(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """NHS Digital ``gp-reg-pat-prac-sing-age-{female,male}.csv``: per practice an ``ALL``
    row then ages 0..94 and 95+. Which path gets which sex is read from the file name."""
    paths = path if isinstance(path, list) else [path]
    if len(paths) != 2:
        raise ValueError("registered_by_age needs two paths (female and male files)")
    female = next((q for q in paths if "female" in q.name.lower()), paths[0])
    male = next((q for q in paths if q != female), paths[1])
    p = world.practices
    age_labels = [str(a) for a in range(MAX_AGE)] + [f"{MAX_AGE}+"]
    header = [
        "PUBLICATION", "EXTRACT_DATE", "TYPE", "SUB_ICB_LOCATION_CODE", "ONS_SUB_ICB_LOCATION_CODE",
        "CODE", "POSTCODE", "SEX", "AGE", "NUMBER_OF_PATIENTS",
    ]  # fmt: skip
    written = []
    for sex_index, sex, target in ((0, "FEMALE", female), (1, "MALE", male)):
        rows = []
        for i, practice in enumerate(p.itertuples(index=False)):  # 160 practices
            counts = world.registrations[i, sex_index]
            prefix = [
                PUBLICATION,
                nhs_digital_date(EXTRACT_DATE),
                "GP",
                practice.sub_icb_code,
                SUB_ICBS[practice.sub_icb_code],
                practice.practice_code,
                practice.postcode,
                sex,
            ]
            rows.append([*prefix, "ALL", int(counts.sum())])
            rows += [[*prefix, label, int(c)] for label, c in zip(age_labels, counts, strict=True)]
        written.append(write_csv(target, header, rows, crlf=True))
    return written


def registered_by_small_area(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """NHS Digital ``gp-reg-pat-prac-lsoa-all.csv``: patients by practice and LSOA."""
    names = world.practices.set_index("practice_code")["practice_name"]
    by_area = world.registrations_by_area.sort_values(["practice_code", "lsoa_code"])
    frame = pd.DataFrame(
        {
            "PUBLICATION": PUBLICATION,
            "EXTRACT_DATE": nhs_digital_date(EXTRACT_DATE),
            "PRACTICE_CODE": by_area["practice_code"].to_numpy(),
            "PRACTICE_NAME": by_area["practice_code"].map(names).to_numpy(),
            "LSOA_CODE": by_area["lsoa_code"].to_numpy(),
            "SEX": "ALL",
            "NUMBER_OF_PATIENTS": by_area["patients"].to_numpy(),
        }
    )
    return [write_csv(_single(path), list(frame.columns), frame, crlf=True)]


# --- registrations of deaths and births --------------------------------------------------


def _iso(dates: pd.Series | np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.asarray(dates, dtype="datetime64[D]"), unit="D")


def deaths(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """Record-level death registrations ``DOR,DOD,SEX,AGEINYRS,LSOAR,ICD10U,AGEINDAYS,
    POD_TYPE`` (the last two from their own generator, :mod:`ina.demo._death_details`)."""
    d = world.deaths
    age_days, place = draw_death_details(world)
    frame = pd.DataFrame(
        {
            "DOR": _iso(d["registration_date"]),
            "DOD": _iso(d["death_date"]),
            "SEX": d["sex"].to_numpy(),
            "AGEINYRS": d["age"].to_numpy(),
            "LSOAR": d["lsoa_code"].to_numpy(),
            "ICD10U": d["underlying_cause"].to_numpy(),
            "AGEINDAYS": age_days,
            "POD_TYPE": place,
        }
    ).sort_values(["DOR", "DOD", "LSOAR", "SEX", "AGEINYRS", "ICD10U"], kind="stable")
    return [write_csv(_single(path), list(frame.columns), frame)]


def births(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """Record-level birth registrations ``DOR,DOB,SEX,BIRTHWGT,GESTATN,AGEBM,LSOAR``."""
    b = world.births
    frame = pd.DataFrame(
        {
            "DOR": _iso(b["registration_date"]),
            "DOB": _iso(b["birth_date"]),
            "SEX": b["sex"].to_numpy(),
            "BIRTHWGT": b["birth_weight_g"].to_numpy(),
            "GESTATN": b["gestation_weeks"].to_numpy(),
            "AGEBM": b["mother_age"].to_numpy(),
            "LSOAR": b["lsoa_code"].to_numpy(),
        }
    ).sort_values(["DOR", "DOB", "LSOAR", "SEX", "BIRTHWGT", "GESTATN", "AGEBM"], kind="stable")
    return [write_csv(_single(path), list(frame.columns), frame)]


# --- hospital activity -------------------------------------------------------------------


def hospital_activity(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """SUS/HES-style aggregate ``FYEAR,LSOA21,AGE_BAND,SEX,POD,ACTIVITY`` for 2022/23 and
    2023/24 (LF, no BOM); cells with no activity are left out, as in a real aggregate."""
    rows = activity_rows(draw_hospital_activity(world))
    return [write_csv(_single(path), list(rows.columns), rows)]


def hospital_admissions(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """HES/SUS APC aggregate ``FYEAR,LSOA21,AGE_BAND,SEX,ADMIMETH,DIAG_3_01,DIAG_4_01,
    CAUSE_3,ADMISSIONS`` for 2020/21 to 2024/25 (LF, no BOM, zero cells left out)."""
    rows = draw_admissions(world)
    return [write_csv(_single(path), list(rows.columns), rows)]


def ae_attendances(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """ECDS aggregate ``FYEAR,LSOA21,AGE_BAND,SEX,ATTENDANCE_REASON,ATTENDANCES``."""
    rows = draw_ae_attendances(world)
    return [write_csv(_single(path), list(rows.columns), rows)]


def stillbirths(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """Record-level stillbirth registrations in the births layout, sorted as births are."""
    frame = draw_stillbirths(world).sort_values(
        ["DOR", "DOB", "LSOAR", "SEX", "BIRTHWGT", "GESTATN", "AGEBM"], kind="stable"
    )
    return [write_csv(_single(path), list(frame.columns), frame)]


# --- children, cancer and end of life -----------------------------------------------------


def ncmp(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """NCMP small-area aggregate ``ACADEMIC_YEAR,LSOA21,SCHOOL_YEAR,SEX,BMI_CATEGORY,CHILDREN``
    for 2019/20 to 2023/24 (LF, no BOM); cells with no children are left out."""
    rows = ncmp_rows(draw_ncmp(world))
    return [write_csv(_single(path), list(rows.columns), rows)]


def cancer_registrations(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """NDRS-style aggregate ``DIAGNOSIS_YEAR,LSOA21,AGE_BAND,SEX,SITE_ICD10,STAGE,CASES`` for
    diagnoses 2019-2023 (LF, no BOM); cells with no cases are left out."""
    rows = registration_rows(draw_cancer_registrations(world))
    return [write_csv(_single(path), list(rows.columns), rows)]


def end_of_life(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """Linked decedent extract ``DOD,DOR,SEX,AGEINYRS,LSOAR,EMERGENCY_ADMISSIONS_90D,
    BED_DAYS_90D``: one row per death of the deaths extract, sorted as it is."""
    d = draw_end_of_life(world)
    frame = pd.DataFrame(
        {
            "DOD": _iso(d["death_date"]),
            "DOR": _iso(d["registration_date"]),
            "SEX": d["sex"].to_numpy(),
            "AGEINYRS": d["age"].to_numpy(),
            "LSOAR": d["lsoa_code"].to_numpy(),
            "EMERGENCY_ADMISSIONS_90D": d["emergency_admissions_90d"].to_numpy(),
            "BED_DAYS_90D": d["bed_days_90d"].to_numpy(),
        }
    ).sort_values(
        ["DOR", "DOD", "LSOAR", "SEX", "AGEINYRS", "EMERGENCY_ADMISSIONS_90D", "BED_DAYS_90D"],
        kind="stable",
    )
    return [write_csv(_single(path), list(frame.columns), frame)]


def smoking_at_delivery(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """MSDS/SATOD-style ``FYEAR,LSOA21,SMOKING_STATUS,MATERNITIES`` (zero cells left out)."""
    rows = draw_smoking_at_delivery(world)
    return [write_csv(_single(path), list(rows.columns), rows)]


WRITERS: dict[str, Writer] = {
    "small_area_lookup": small_area_lookup,
    "district_lookup": district_lookup,
    "deprivation": deprivation,
    "resident_population": resident_population,
    "national_population": national_population,
    "population_projections": population_projections,
    "practice_map": practice_map,
    "registered_by_age": registered_by_age,
    "registered_by_small_area": registered_by_small_area,
    "deaths": deaths,
    "births": births,
    "hospital_activity": hospital_activity,
    "qof_prevalence": qof_prevalence,
    "qof_achievement": qof_achievement,
    "cvdprevent": cvdprevent,
    "gp_record_flags": gp_record_flags,
    "screening": screening,
    "hospital_admissions": hospital_admissions,
    "ae_attendances": ae_attendances,
    "stillbirths": stillbirths,
    "smoking_at_delivery": smoking_at_delivery,
    "ncmp": ncmp,
    "cancer_registrations": cancer_registrations,
    "end_of_life": end_of_life,
}
