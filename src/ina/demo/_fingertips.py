"""The demo's OHID Fingertips "download data" export: comparators for the demo world.

A real INA takes England's and the region's values from Fingertips (the local extracts
hold no national numerators). The demo needs the same, so that benchmarking, spine charts
and "compared with England" are exercised end to end. This export has the real 27-column
layout and, for every catalogue indicator with a Fingertips id:

- the ICB (area type ``ICBs``) and its sub-ICB locations (``ICB sub-locations``), with the
  values the engine computes from the demo extracts, so the export agrees with the demo
  world by construction;
- England and the East of England region: the value the extracts give where they give one
  (ONS MYE2 for population shares), else a plausible published-scale value
  (:data:`NATIONAL_VALUES`), with a denominator scaled to the national or regional
  population and limits from the indicator's own statistic.

Every number is a deterministic function of the demo extracts, so the file is
byte-identical on every run.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ina.demo._formats import write_csv
from ina.demo._world import ENGLAND_POPULATION, REGION_POPULATION, SUB_ICBS
from ina.indicators.comparators import fingertips_sex
from ina.stats import crude_rate, proportion

__all__ = [
    "FINGERTIPS_HEADER",
    "NATIONAL_VALUES",
    "PUBLISHED_VALUES",
    "fingertips_rows",
    "published_rows",
    "write_fingertips",
]

FINGERTIPS_HEADER = [
    "Indicator ID",
    "Indicator Name",
    "Parent Code",
    "Parent Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
    "Value note",
    "Recent Trend",
    "Compared to England value or percentiles",
    "Compared to Region value or percentiles",
    "Time period Sortable",
    "New data",
    "Compared to goal",
    "Time period range",
]

ICB = ("E54000068", "NHS Norfolk and Suffolk Integrated Care Board")
ENGLAND = ("E92000001", "England")
REGION = ("E12000006", "East of England")

#: Fingertips id → sex → (England, East of England): published-scale values for the
#: indicators whose England value the demo extracts cannot give (recent OHID releases,
#: rounded; the region slightly better than England, as the East of England usually is).
NATIONAL_VALUES: dict[int, dict[str, tuple[float, float]]] = {
    90366: {"Male": (79.1, 80.0), "Female": (83.0, 83.7)},  # life expectancy at birth
    92266: {"Persons": (54.0, 55.5)},  # general fertility rate per 1,000 women 15-44
    108: {"Persons": (341.6, 312.4)},  # under-75 mortality, all causes, per 100,000
    93085: {"Persons": (7.4, 7.1)},  # smoking at time of delivery, %
    20101: {"Persons": (2.9, 2.8)},  # low birth weight of term babies, %
    92530: {"Persons": (3.3, 3.2)},  # stillbirths per 1,000 total births
    92196: {"Persons": (4.1, 3.7)},  # infant mortality per 1,000 live births
    91458: {"Female": (3.5, 3.2), "Persons": (3.5, 3.2)},  # births to mothers under 18
    20601: {"Persons": (22.1, 21.6)},  # Reception overweight incl. obese, %
    90316: {"Persons": (9.6, 9.2)},  # Reception obese incl. severe, %
    20602: {"Persons": (35.8, 34.9)},  # Year 6 overweight incl. obese, %
    90323: {"Persons": (22.1, 21.2)},  # Year 6 obese incl. severe, %
    90581: {"Persons": (1.0, 0.9)},  # SMI recorded prevalence, %
    848: {"Persons": (13.2, 12.9)},  # depression recorded prevalence 18+, %
    90646: {"Persons": (1.5, 1.45)},  # depression new diagnoses 18+, %
    90600: {"Persons": (72.0, 73.0)},  # SMI comprehensive care plan, % (JFP §3.5)
    21001: {"Persons": (126.3, 121.0)},  # self-harm admissions, DSR per 100,000
    90813: {"Persons": (319.0, 305.0)},  # self-harm admissions 10-24, DSR
    41001: {"Persons": (10.7, 10.4)},  # suicide, DSR per 100,000
    91547: {"Persons": (14.5, 14.0)},  # smoking recorded 15+, %
    92588: {"Persons": (13.0, 13.4)},  # obesity recorded 18+, %
    200: {"Persons": (0.55, 0.56)},  # learning disability recorded prevalence, %
    93231: {"Persons": (172.0, 166.0)},  # emergency stroke admissions, DSR
    93232: {"Persons": (121.0, 114.0)},  # emergency MI admissions, DSR
    40401: {"Persons": (77.1, 71.3)},  # under-75 CVD mortality, DSR
    219: {"Persons": (14.8, 15.1)},  # hypertension recorded prevalence, %
    241: {"Persons": (7.7, 7.4)},  # diabetes 17+, %
    273: {"Persons": (3.0, 3.1)},  # CHD, %
    280: {"Persons": (2.2, 2.4)},  # AF, %
    253: {"Persons": (1.9, 1.8)},  # COPD, %
    90933: {"Persons": (6.5, 6.6)},  # asthma 6+, %
    258: {"Persons": (4.3, 4.6)},  # CKD 18+, %
    262: {"Persons": (1.1, 1.1)},  # heart failure, %
    247: {"Persons": (0.75, 0.78)},  # dementia, %
    294: {"Persons": (0.5, 0.5)},  # palliative care register, %
    40501: {"Persons": (121.6, 116.4)},  # under-75 cancer mortality, DSR
    40701: {"Persons": (32.7, 29.1)},  # under-75 respiratory mortality, DSR
    22401: {"Persons": (1933.0, 1861.0)},  # falls admissions 65+, DSR
    41401: {"Persons": (547.0, 540.0)},  # hip fractures 65+, DSR
    92949: {"Persons": (64.8, 62.6)},  # dementia diagnosis rate 65+, %
    91215: {"Persons": (70.5, 71.2)},  # dementia care plan reviewed, %
    92727: {"Persons": (47.8, 49.1)},  # deaths in usual place of residence, %
}

#: Fingertips id → (England latest value, sample size of an ICB-sized area a year, how
#: much worse a fully deprived area is, latest period's first year) for the measures the
#: demo takes as published (survey-weighted or modelled; :mod:`ina.indicators.published`).
#: The ICB's and its districts' values lean with their deprivation, a few years of trend.
PUBLISHED_VALUES: dict[int, tuple[float, float, float]] = {
    90631: (67.7, 18_000, -0.25),  # good level of development, %
    90632: (51.6, 3_500, -0.20),  # GLD, free school meals, %
    22301: (5.6, 3_000, 0.6),  # low life satisfaction, %
    22302: (4.4, 3_000, 0.6),  # low worthwhile, %
    22303: (8.9, 3_000, 0.5),  # low happiness, %
    22304: (22.6, 3_000, 0.3),  # high anxiety, %
    93581: (103.6, 9_000, 0.5),  # premature mortality of adults with SMI, per 100,000
    92443: (11.9, 3_000, 0.9),  # adult smoking prevalence, %
    93088: (64.5, 2_500, 0.15),  # adults overweight or obese, %
    93015: (22.6, 2_500, 0.45),  # physically inactive adults, %
    91734: (43.0, 40_000, -0.3),  # NHS Health Check uptake, %
}
PUBLISHED_YEARS = (2019, 2020, 2021, 2022, 2023)


def _fingertips_period(period: str) -> tuple[str, int]:
    """``2020-24`` → (``2020 - 24``, 20200000); ``Mid-2022`` → (``2022``, 20220000)."""
    digits = [int(d) for d in re.findall(r"\d+", str(period))]
    if not digits:
        return str(period), 0
    if len(digits) == 1:
        return str(digits[0]), digits[0] * 10000
    return f"{digits[0]} - {digits[1]:02d}", digits[0] * 10000


def _national(indicator: object, icb: pd.Series, value: float, scale: float) -> dict[str, float]:
    """A national or regional row: the value, a denominator scaled from the ICB's by the
    population ratio ``scale``, the count it implies and limits from its statistic."""
    denominator = float(icb["denominator"]) * scale if np.isfinite(icb["denominator"]) else np.nan
    multiplier = float(indicator.multiplier)  # type: ignore[attr-defined]
    method = indicator.method  # type: ignore[attr-defined]
    row = {"value": value, "denominator": denominator, "count": np.nan}
    row |= dict.fromkeys(("lower_95", "upper_95", "lower_99_8", "upper_99_8"), np.nan)
    if method in ("proportion_wilson", "crude_rate") and np.isfinite(denominator):
        count = round(value / multiplier * denominator)
        frame = pd.DataFrame({"x": [count], "n": [round(denominator)]})
        statistic = proportion if method == "proportion_wilson" else crude_rate
        out = statistic(frame, "x", "n", multiplier=multiplier, confidence=(0.95, 0.998)).iloc[0]
        row |= {
            "value": float(out["value"]),
            "count": float(count),
            "denominator": float(round(denominator)),
            "lower_95": float(out["lower95_0cl"]),
            "upper_95": float(out["upper95_0cl"]),
            "lower_99_8": float(out["lower99_8cl"]),
            "upper_99_8": float(out["upper99_8cl"]),
        }
    elif np.isfinite(icb["lower_95"]) and np.isfinite(icb["upper_95"]):
        # Standardised rates and life expectancy: the ICB's interval narrowed by the
        # square root of the population ratio (the precision of a larger area).
        shrink = 1 / np.sqrt(scale)
        for level in ("95", "99_8"):
            half = (float(icb[f"upper_{level}"]) - float(icb[f"lower_{level}"])) / 2 * shrink
            row[f"lower_{level}"], row[f"upper_{level}"] = value - half, value + half
        if np.isfinite(icb["numerator"]):
            row["count"] = float(round(float(icb["numerator"]) * scale))
    return row


def _text(value: float) -> str:
    return "" if value is None or not np.isfinite(value) else f"{value:.10g}"


def fingertips_rows(
    catalogue: object,
    results: pd.DataFrame,
    area_names: dict[str, str],
    *,
    icb_population: float,
) -> list[list[str]]:
    """The export's rows: England, region, ICB and sub-ICBs per Fingertips indicator."""
    rows: list[list[str]] = []
    indexed = results.set_index(["indicator_id", "area_id"])
    for indicator in catalogue:  # type: ignore[attr-defined]
        if indicator.fingertips_id is None or (indicator.id, "icb") not in indexed.index:
            continue
        icb = indexed.loc[(indicator.id, "icb")]
        sex = fingertips_sex(indicator)
        age = str(indicator.parameter("fingertips_age", "All ages"))
        period, sortable = _fingertips_period(str(icb["period"]))
        areas: list[tuple[str, str, str, str, str, dict[str, float]]] = []
        for area_id, (code, name, kind, parent) in {
            "england": (*ENGLAND, "England", ("", "")),
            "region": (*REGION, "Regions (statistical)", ENGLAND),
            "icb": (*ICB, "ICBs", ENGLAND),
        }.items():
            if area_id == "icb":
                numbers = _local(icb)
            elif (indicator.id, area_id) in indexed.index:
                numbers = _local(indexed.loc[(indicator.id, area_id)])
            else:
                national = NATIONAL_VALUES.get(indicator.fingertips_id, {}).get(sex)
                if national is None:
                    continue
                value = national[0] if area_id == "england" else national[1]
                population = ENGLAND_POPULATION if area_id == "england" else REGION_POPULATION
                numbers = _national(indicator, icb, value, population / icb_population)
            areas.append((code, name, kind, parent[0], parent[1], numbers))
        for ods, ons in SUB_ICBS.items():
            if (indicator.id, ods) in indexed.index:
                areas.append(
                    (ons, area_names.get(ods, ods), "ICB sub-locations", ICB[0], ICB[1],
                     _local(indexed.loc[(indicator.id, ods)]))
                )  # fmt: skip
        for code, name, kind, parent_code, parent_name, numbers in areas:
            rows.append(
                [
                    str(indicator.fingertips_id),
                    indicator.short_name,
                    parent_code,
                    parent_name,
                    code,
                    name,
                    kind,
                    sex,
                    age,
                    "",
                    "",
                    period,
                    _text(numbers["value"]),
                    _text(numbers["lower_95"]),
                    _text(numbers["upper_95"]),
                    _text(numbers["lower_99_8"]),
                    _text(numbers["upper_99_8"]),
                    _text(numbers["count"]),
                    _text(numbers["denominator"]),
                    "",
                    "",
                    "Not compared",
                    "Not compared",
                    str(sortable),
                    "",
                    "",
                    "",
                ]
            )
    return rows


def _published_areas(icb_population: float) -> list[tuple[str, str, str, str, str, float, float]]:
    """(code, name, type, parent code, parent name, population, deprived share) of every
    area the published measures are given for: England, region, ICB, sub-ICBs, districts."""
    from ina.demo._world import COUNTIES, DISTRICTS

    norfolk = [d for d in DISTRICTS if d.county_code == "E10000020"]
    suffolk = [d for d in DISTRICTS if d.county_code != "E10000020"]

    def weighted(group: list) -> tuple[float, float]:
        people = sum(d.population for d in group)
        return people, sum(d.population * d.deprived_share for d in group) / people

    _, icb_deprived = weighted(list(DISTRICTS))
    areas = [
        (*ENGLAND, "England", "", "", ENGLAND_POPULATION, 0.2),
        (*REGION, "Regions (statistical)", *ENGLAND, REGION_POPULATION, 0.14),
        (*ICB, "ICBs", *ENGLAND, icb_population, icb_deprived),
    ]
    sub_icb_groups = {"26A": norfolk, "06L": suffolk, "07K": suffolk}
    for ods, ons in SUB_ICBS.items():
        people, deprived = weighted(sub_icb_groups[ods])
        share = {"26A": 1.0, "06L": 0.6, "07K": 0.4}[ods]
        areas.append(
            (ons, f"NHS Norfolk and Suffolk ICB - {ods}", "ICB sub-locations", *ICB,
             people * share, deprived)
        )  # fmt: skip
    for district in DISTRICTS:
        areas.append(
            (district.code, district.name, "Districts & UAs (from Apr 2023)",
             district.county_code, COUNTIES[district.county_code], float(district.population),
             district.deprived_share)
        )  # fmt: skip
    return areas


def published_rows(catalogue: object, *, icb_population: float) -> list[list[str]]:
    """The rows of the measures taken as published (``statistic: published``): England,
    the region, the ICB, its sub-ICBs and its districts, for :data:`PUBLISHED_YEARS`."""
    rows: list[list[str]] = []
    areas = _published_areas(icb_population)
    for indicator in catalogue:  # type: ignore[attr-defined]
        if indicator.method != "published" or indicator.fingertips_id not in PUBLISHED_VALUES:
            continue
        england, sample, lean = PUBLISHED_VALUES[indicator.fingertips_id]
        multiplier = float(indicator.multiplier)
        rng = np.random.default_rng(20_260_401 + int(indicator.fingertips_id))
        for year in PUBLISHED_YEARS:
            drift = 1 + 0.012 * (year - PUBLISHED_YEARS[-1])
            for code, name, kind, parent_code, parent_name, people, deprived in areas:
                national = kind == "England"
                n = sample * 50 if national else max(200.0, sample * people / icb_population)
                value = england * drift * (1 + lean * (deprived - 0.2)) * rng.normal(1, 0.03)
                if national:
                    value = england * drift
                count = round(value / multiplier * n)
                frame = pd.DataFrame({"x": [count], "n": [round(n)]})
                statistic = proportion if multiplier == 100 else crude_rate
                out = statistic(frame, "x", "n", multiplier=multiplier, confidence=(0.95, 0.998))
                out = out.iloc[0]
                rows.append(
                    [str(indicator.fingertips_id), indicator.short_name, parent_code, parent_name,
                     code, name, kind, fingertips_sex(indicator),
                     str(indicator.parameter("fingertips_age", indicator.age)), "", "",
                     f"{year}/{str(year + 1)[-2:]}", _text(float(out["value"])),
                     _text(float(out["lower95_0cl"])), _text(float(out["upper95_0cl"])),
                     _text(float(out["lower99_8cl"])), _text(float(out["upper99_8cl"])),
                     _text(float(count)), _text(float(round(n))), "", "", "Not compared",
                     "Not compared", str(year * 10000), "", "", ""]
                )  # fmt: skip
    return rows


def _local(row: pd.Series) -> dict[str, float]:
    return {
        "value": float(row["value"]),
        "count": float(row["numerator"]),
        "denominator": float(row["denominator"]),
        "lower_95": float(row["lower_95"]),
        "upper_95": float(row["upper_95"]),
        "lower_99_8": float(row["lower_99_8"]),
        "upper_99_8": float(row["upper_99_8"]),
    }


def write_fingertips(path: Path, config_path: Path) -> list[Path]:
    """Compute the demo's indicators from the extracts already written for ``config_path``
    and write the Fingertips-format export to ``path`` (UTF-8, LF)."""
    from ina.chapters.context import load_context
    from ina.indicators import load_catalogue
    from ina.indicators.engine import EngineInputs, compute_indicators, snapshot_periods
    from ina.sources import load_source

    context = load_context(config_path, "icb")
    settings = context.settings

    def read(name: str) -> pd.DataFrame:
        return load_source(settings, name, use_cache=False).frame

    inputs = EngineInputs(settings, context.geography, read, snapshot_periods(settings, read))
    catalogue = load_catalogue()
    wanted = catalogue.only(
        [i.id for i in catalogue if i.fingertips_id is not None and i.method != "published"]
    )
    results = compute_indicators(inputs, wanted)
    people = inputs.frame("resident_population")
    icb_population = float(
        people.loc[
            people["lsoa_code"].isin(context.geography.small_areas["lsoa_code"]), "population"
        ].sum()
    )
    rows = fingertips_rows(wanted, results, inputs.registry.names(), icb_population=icb_population)
    rows += published_rows(catalogue, icb_population=icb_population)
    write_csv(path, FINGERTIPS_HEADER, rows)
    return [path]
