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

__all__ = ["FINGERTIPS_HEADER", "NATIONAL_VALUES", "fingertips_rows", "write_fingertips"]

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
}


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
    wanted = catalogue.only([i.id for i in catalogue if i.fingertips_id is not None])
    results = compute_indicators(inputs, wanted)
    people = inputs.frame("resident_population")
    icb_population = float(
        people.loc[
            people["lsoa_code"].isin(context.geography.small_areas["lsoa_code"]), "population"
        ].sum()
    )
    rows = fingertips_rows(wanted, results, inputs.registry.names(), icb_population=icb_population)
    write_csv(path, FINGERTIPS_HEADER, rows)
    return [path]
