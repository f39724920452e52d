"""Deprivation chapter: where the area sits on the national Index of Multiple Deprivation.

Pure functions over tidy frames (``docs/data-contract.md``), tested on hand-made frames.
Methods and sources:

* IMD deciles and ranks are national (MHCLG English Indices of Deprivation: rank 1 = most
  deprived small area in England; decile 1 = the most deprived 10% of small areas). By
  construction each national decile holds 10% of England's small areas, so "10% in each
  decile" is the England line the area is compared with (an area-count line: small areas
  have similar but not identical populations).
* Core20: NHS England Core20PLUS5 — people living in the 20% most deprived small areas
  nationally, i.e. IMD deciles 1 and 2.
* Inequality inside the area: small areas are put into *local* deprivation quintiles of
  the ICB (``phe_quantile`` method, :func:`ina.stats.quantiles.quantiles`, by IMD rank),
  and all-cause mortality is directly standardised (ESP2013, Dobson limits) per quintile,
  pooling every year of deaths, with the ratio of the most to the least deprived quintile.
* Life expectancy and the deprivation gap (the Joint Forward Plan's section 3 and its
  figure 6, OHID's Segment Tool): life expectancy at birth per local quintile and sex
  from five pooled years of deaths, with the mid-year population × 5 as person-years
  (Chiang II with Silcocks et al. limits and the Fingertips publication rules,
  :func:`ina.stats.life_expectancy.life_expectancy`); the gap between the least and most
  deprived quintiles; the slope index of inequality across all five (Low & Low 2004,
  :func:`ina.stats.inequality.slope_index_of_inequality`, simulated limits with a fixed
  seed); and the Arriaga (1984) breakdown of the gap by broad cause of death
  (:func:`ina.stats.decomposition.life_expectancy_gap_by_cause`,
  :mod:`ina.chapters.causes`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ina.chapters._rates import standardised_rate_by_group
from ina.chapters.causes import BROAD_CAUSES, CAUSE_IN_SENTENCE, broad_cause
from ina.chapters.population import _distinct_from
from ina.charts.decomposition import years_and_months
from ina.errors import StatisticsError
from ina.publishing.disclosure import Disclosure, Parts
from ina.publishing.suppression import RuleLike
from ina.stats._confidence import z_value
from ina.stats.decomposition import life_expectancy_gap_by_cause
from ina.stats.inequality import DEFAULT_SEED, slope_index_of_inequality
from ina.stats.life_expectancy import (
    MAX_CI_WIDTH_YEARS,
    MIN_TOTAL_POPULATION,
    STANDARD_START_AGES,
    life_expectancy,
)
from ina.stats.quantiles import quantiles

__all__ = [
    "CORE20_DECILES",
    "GAP_POOLED_YEARS",
    "DeprivationGap",
    "core20_by_group",
    "decile_distribution",
    "deprivation_gap",
    "figure5",
    "findings_core20",
    "findings_gap",
    "findings_gap_causes",
    "findings_mortality",
    "findings_most_deprived",
    "gap_by_cause_disclosure",
    "gap_by_cause_headers",
    "gap_by_cause_hidden",
    "gap_by_cause_table",
    "gap_table",
    "life_expectancy_by_quintile",
    "life_expectancy_disclosure",
    "life_expectancy_table",
    "life_table_inputs",
    "local_quintiles",
    "mortality_by_quintile",
    "mortality_disclosure",
    "most_deprived_small_areas",
    "pooled_deaths",
    "small_area_deprivation",
]

#: IMD deciles that make up Core20 (the 20% most deprived small areas in England).
CORE20_DECILES = (1, 2)
QUINTILE_LABELS = {
    1: "1 most deprived",
    2: "2",
    3: "3",
    4: "4",
    5: "5 least deprived",
}


def small_area_deprivation(
    population: pd.DataFrame, small_areas: pd.DataFrame, deprivation: pd.DataFrame
) -> pd.DataFrame:
    """One row per small area: names, geography, residents and national IMD rank/decile.

    ``population``: ``lsoa_code, sex, age, population``; ``small_areas``: the geography
    frame (``lsoa_code, lsoa_name, district_name, place_name`` ...); ``deprivation``:
    ``lsoa_code, imd_rank, imd_decile``. Every small area of ``small_areas`` must have an
    IMD value: a missing one means the lookup and the IoD edition disagree (LSOA 2011 vs
    2021), and a silent gap would bias every figure in the chapter.
    """
    residents = population.groupby("lsoa_code")["population"].sum().rename("population")
    frame = small_areas.merge(
        deprivation[["lsoa_code", "imd_rank", "imd_decile"]],
        on="lsoa_code",
        how="left",
        validate="1:1",
    )
    missing = frame["imd_decile"].isna()
    if missing.any():
        raise StatisticsError(
            f"{int(missing.sum())} small area(s) have no IMD decile, e.g. "
            f"{frame.loc[missing, 'lsoa_code'].iloc[0]}: the deprivation file does not "
            "match the small-area lookup (check both use LSOA 2021 codes)"
        )
    frame["population"] = frame["lsoa_code"].map(residents).fillna(0)
    frame["imd_rank"] = frame["imd_rank"].astype(int)
    frame["imd_decile"] = frame["imd_decile"].astype(int)
    frame["core20"] = frame["imd_decile"].isin(CORE20_DECILES)
    return frame


def decile_distribution(areas: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Share of each area's residents living in each national IMD decile.

    ``areas`` maps a name to its small-area frame (``imd_decile, population``). Returns
    ``area, imd_decile, population, percent, england_percent`` (10 in every decile),
    deciles 1–10 for every area, percentages summing to 100 per area.
    """
    rows = []
    for name, frame in areas.items():
        counts = frame.groupby("imd_decile")["population"].sum().reindex(range(1, 11), fill_value=0)
        total = counts.sum()
        if total <= 0:
            raise StatisticsError(f"decile_distribution: {name} has no residents")
        rows.append(
            pd.DataFrame(
                {
                    "area": name,
                    "imd_decile": np.arange(1, 11),
                    "population": counts.to_numpy(),
                    "percent": counts.to_numpy() / total * 100,
                    "england_percent": 10.0,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def core20_by_group(
    small_areas: pd.DataFrame,
    *,
    group_column: str,
    total_name: str,
    comparators: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Core20 residents by part of the area, then the area total and comparators.

    Returns ``name, population, core20_population, core20_percent, share_of_core20``:
    ``core20_percent`` is the share of the group's residents living in Core20 small
    areas; ``share_of_core20`` is the share of the *area's* Core20 residents who live in
    the group (where the Core20 population is concentrated). Groups are in descending
    order of Core20 percentage (omitted when the area has only one part); comparators
    have no share.
    """
    frame = small_areas.assign(
        _group=_distinct_from(
            small_areas[group_column].fillna("Not in a place"), total_name, group_column
        ),
        _core20=small_areas["population"].where(small_areas["core20"], 0),
    )

    def summarise(data: pd.DataFrame, key: str) -> pd.DataFrame:
        sums = data.groupby(key, sort=False)[["population", "_core20"]].sum()
        return pd.DataFrame(
            {
                "name": sums.index.astype(str),
                "population": sums["population"].to_numpy(),
                "core20_population": sums["_core20"].to_numpy(),
            }
        )

    parts = summarise(frame, "_group")
    total = summarise(frame.assign(_all=total_name), "_all")
    area_core20 = total["core20_population"].iloc[0]
    parts["share_of_core20"] = (
        parts["core20_population"] / area_core20 * 100 if area_core20 > 0 else 0.0
    )
    total["share_of_core20"] = 100.0 if area_core20 > 0 else 0.0
    rows = [parts, total] if len(parts) > 1 else [total]
    for name, data in (comparators or {}).items():
        comparator = data.assign(_core20=data["population"].where(data["core20"], 0))
        rows.append(summarise(comparator.assign(_all=name), "_all").assign(share_of_core20=np.nan))
    result = pd.concat(rows, ignore_index=True)
    result["core20_percent"] = result["core20_population"] / result["population"] * 100
    shown_parts = len(parts) if len(parts) > 1 else 0
    ordered = result.iloc[:shown_parts].sort_values(
        ["core20_percent", "name"], ascending=[False, True], kind="stable"
    )
    result = pd.concat([ordered, result.iloc[shown_parts:]], ignore_index=True)
    return result[["name", "population", "core20_population", "core20_percent", "share_of_core20"]]


def most_deprived_small_areas(small_areas: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` most deprived small areas of the area by national IMD rank.

    Returns ``lsoa_code, lsoa_name, district_name, place_name, population, imd_decile,
    imd_rank`` sorted from the most deprived (rank 1 is the most deprived in England).
    """
    columns = [
        "lsoa_code",
        "lsoa_name",
        "district_name",
        "place_name",
        "population",
        "imd_decile",
        "imd_rank",
    ]
    present = [column for column in columns if column in small_areas.columns]
    ordered = small_areas.sort_values(["imd_rank", "lsoa_code"], kind="stable")
    return ordered.head(n)[present].reset_index(drop=True)


def local_quintiles(icb_small_areas: pd.DataFrame) -> pd.DataFrame:
    """Put the ICB's small areas into local deprivation quintiles (1 = most deprived).

    Quintiles of the ICB's small areas by national IMD rank (``phe_quantile`` method via
    :func:`ina.stats.quantiles.quantiles`, lowest rank first), so each holds a fifth of
    the ICB's small areas. A place keeps the ICB's quintiles, so its figures compare with
    the ICB's. Returns ``lsoa_code, quintile``.
    """
    ranked = quantiles(
        icb_small_areas[["lsoa_code", "imd_rank"]],
        "imd_rank",
        n_quantiles=5,
        invert=False,
        quantile_column="quintile",
    )
    return ranked[["lsoa_code", "quintile"]].astype({"quintile": int})


def mortality_by_quintile(
    deaths: pd.DataFrame,
    population: pd.DataFrame,
    quintiles_by_lsoa: pd.DataFrame,
    *,
    years: int,
) -> pd.DataFrame:
    """All-cause mortality per 100,000 (ESP2013, Dobson 95% CI) by local IMD quintile.

    ``deaths``: record-level (``lsoa_code, age``) for the area over ``years`` years;
    ``population``: ``lsoa_code, age, population`` (one year; multiplied by ``years`` to
    give person-years); ``quintiles_by_lsoa``: from :func:`local_quintiles`. Deaths whose
    small area is not in the area are ignored. Returns ``quintile, label, deaths, dsr,
    dsr_lower, dsr_upper, ratio_to_least`` (the quintile's rate over quintile 5's);
    quintiles with no residents in the area are left out.
    """
    if years < 1:
        raise StatisticsError("mortality_by_quintile: years must be at least 1")
    lookup = quintiles_by_lsoa.set_index("lsoa_code")["quintile"]
    people = population.assign(quintile=population["lsoa_code"].map(lookup))
    people = people[people["quintile"].notna() & (people["population"] > 0)]
    present = sorted(people["quintile"].astype(int).unique())
    events = deaths.assign(quintile=deaths["lsoa_code"].map(lookup))
    events = events[events["quintile"].isin(present)]
    rates = standardised_rate_by_group(
        events.astype({"quintile": int}),
        people.astype({"quintile": int}),
        "quintile",
        person_years_multiplier=years,
    )
    rates = rates.set_index("quintile").reindex(present).reset_index()
    rates["events"] = rates["events"].fillna(0).astype(int)
    rates = rates.rename(columns={"events": "deaths"})
    rates.insert(1, "label", rates["quintile"].map(QUINTILE_LABELS))
    least = rates.loc[rates["quintile"] == 5, "dsr"]
    rates["ratio_to_least"] = rates["dsr"] / least.iloc[0] if len(least) else np.nan
    return rates


# --- key findings ------------------------------------------------------------------------


def findings_core20(table: pd.DataFrame, *, area_name: str) -> list[str]:
    """Key findings from :func:`core20_by_group` (area row, then the parts)."""
    rows = table.set_index("name")
    area = rows.loc[area_name]
    sentences = [
        f"{area['core20_population']:,.0f} residents of {area_name} "
        f"({area['core20_percent']:.1f}%) live in the 20% most deprived small areas of "
        "England (Core20), against 20% nationally."
    ]
    parts = table.iloc[: list(table["name"]).index(area_name)]
    if len(parts) > 1:
        top = parts.iloc[0]
        sentences.append(
            f"{top['name']} has the highest Core20 share ({top['core20_percent']:.1f}%) and "
            f"is home to {top['share_of_core20']:.1f}% of the area's Core20 residents."
        )
    return sentences


def findings_most_deprived(table: pd.DataFrame) -> list[str]:
    """Key findings from :func:`most_deprived_small_areas`."""
    if table.empty:
        return []
    first = table.iloc[0]
    in_decile_1 = int((table["imd_decile"] == 1).sum())
    return [
        f"The most deprived small area is {first['lsoa_name']}, ranked {first['imd_rank']:,} "
        "of England's small areas (1 = most deprived).",
        f"{in_decile_1} of the {len(table)} most deprived small areas shown are in England's "
        "most deprived 10%.",
    ]


def findings_mortality(table: pd.DataFrame) -> list[str]:
    """Key findings from :func:`mortality_by_quintile`: most against least deprived."""
    rows = table.set_index("quintile")
    if not {1, 5} <= set(rows.index) or rows.loc[[1, 5], "dsr"].isna().any():
        return [
            "Mortality cannot be compared between the most and least deprived quintiles here: "
            "one of them has too few residents or deaths in this area."
        ]
    most, least = rows.loc[1], rows.loc[5]
    separate = most["dsr_lower"] > least["dsr_upper"] or most["dsr_upper"] < least["dsr_lower"]
    verdict = (
        "a statistically significant difference (the 95% intervals do not overlap)"
        if separate
        else "the 95% intervals overlap, so the difference may be chance"
    )
    return [
        f"Age-standardised mortality is {most['dsr']:,.0f} per 100,000 in the most deprived "
        f"fifth of small areas and {least['dsr']:,.0f} in the least deprived: "
        f"{most['ratio_to_least']:.2f} times as high; {verdict}."
    ]


# --- life expectancy and the deprivation gap ---------------------------------------------

#: Years of deaths pooled for life expectancy by quintile (the JFP's five-year period;
#: single years are too few deaths for a quintile of a place).
GAP_POOLED_YEARS = 5
#: Simulations for the SII's confidence limits: enough for limits stable to about 0.01
#: years on this data, and fast enough to keep each notebook run to seconds.
GAP_SII_REPETITIONS = 10_000
#: How each sex is written in tables and charts (males first, as the JFP reports them).
SEX_LABELS = {"male": "Males", "female": "Females"}
#: The quintiles compared: the gap is LE(least deprived) − LE(most deprived).
MOST_DEPRIVED, LEAST_DEPRIVED = 1, 5
_QUINTILES = tuple(QUINTILE_LABELS)
#: A cause narrowing the gap by more than this many years (about 2 weeks) is mentioned.
NARROWING_YEARS = 0.05


def pooled_deaths(
    deaths: pd.DataFrame, *, years: int = GAP_POOLED_YEARS
) -> tuple[pd.DataFrame, list[int]]:
    """Deaths registered in the most recent ``years`` calendar years of the extract.

    Returns the deaths and the years used (ascending). Registration year, as ONS and
    Fingertips pool deaths. Fewer years in the extract than asked for gives those there
    are (the caller multiplies the population by ``len(years_used)``); none raises
    :class:`~ina.errors.StatisticsError`.
    """
    if years < 1:
        raise StatisticsError("pooled_deaths: years must be at least 1")
    registered = deaths["registration_date"].dt.year
    available = sorted(int(year) for year in registered.dropna().unique())
    if not available:
        raise StatisticsError("pooled_deaths: there are no deaths with a registration date")
    used = available[-years:]
    return deaths[registered.isin(used)].reset_index(drop=True), used


def _start_age(age: pd.Series) -> np.ndarray:
    """Start age of the life-table band (0, 1-4, 5-9, ..., 85-89, 90+) of single ages."""
    values = pd.to_numeric(age, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(values).any() or (values < 0).any():
        raise StatisticsError("life table bands: ages must be whole numbers >= 0")
    whole = values.astype(int)
    return np.where(whole == 0, 0, np.where(whole < 5, 1, np.minimum(whole // 5 * 5, 90)))


def life_table_inputs(
    deaths: pd.DataFrame,
    population: pd.DataFrame,
    quintiles_by_lsoa: pd.DataFrame,
    *,
    years: int,
    by_cause: bool = False,
) -> pd.DataFrame:
    """Deaths and person-years by sex, local quintile and life-table age band.

    ``deaths``: record-level (``lsoa_code, sex, age`` and ``underlying_cause`` when
    ``by_cause``) for ``years`` pooled years; ``population``: ``lsoa_code, sex, age,
    population`` (one mid-year); ``quintiles_by_lsoa``: from :func:`local_quintiles`.
    Person-years are the population × ``years`` (the mid-year estimate stands for each
    pooled year, as Fingertips does). Returns one row per sex (``Males``, ``Females``),
    quintile 1-5, band start age (0, 1, 5, ..., 90) and, with ``by_cause``, broad cause
    (:data:`ina.chapters.causes.BROAD_CAUSES`): ``sex, quintile, start_age, [cause,]
    deaths, person_years``. Every combination is present (zeros where nobody lives or
    dies), because the life table needs all 20 bands; person-years repeat on cause rows.
    Deaths outside the quintiles' small areas are ignored.
    """
    if years < 1:
        raise StatisticsError("life_table_inputs: years must be at least 1")
    lookup = quintiles_by_lsoa.set_index("lsoa_code")["quintile"]
    sexes = [sex for sex in SEX_LABELS if sex in set(population["sex"].astype(str))]
    ages = list(STANDARD_START_AGES)

    people = population.assign(
        quintile=population["lsoa_code"].map(lookup),
        start_age=_start_age(population["age"]),
        sex=population["sex"].astype(str),
    ).dropna(subset=["quintile"])
    person_years = (
        people.astype({"quintile": int})
        .groupby(["sex", "quintile", "start_age"])["population"]
        .sum()
        .mul(years)
        .rename("person_years")
    )
    events = deaths.assign(
        quintile=deaths["lsoa_code"].map(lookup),
        start_age=_start_age(deaths["age"]),
        sex=deaths["sex"].astype(str),
    ).dropna(subset=["quintile"])
    events = events.astype({"quintile": int})
    keys = ["sex", "quintile", "start_age"]
    levels: list[list[object]] = [sexes, list(_QUINTILES), ages]
    if by_cause:
        events = events.assign(cause=broad_cause(events["underlying_cause"]).astype(str))
        keys.append("cause")
        levels.append(list(BROAD_CAUSES))
    grid = pd.MultiIndex.from_product(levels, names=keys)
    counts = events.groupby(keys).size().reindex(grid, fill_value=0).rename("deaths")
    frame = counts.reset_index()
    frame["person_years"] = (
        person_years.reindex(pd.MultiIndex.from_frame(frame[["sex", "quintile", "start_age"]]))
        .fillna(0)
        .to_numpy(dtype=float)
    )
    frame["deaths"] = frame["deaths"].astype(int)
    frame["sex"] = frame["sex"].map(SEX_LABELS)
    return frame


def _life_expectancy_note(person_years: float, value: float, lower: float) -> str:
    """Why the engine published no value (empty when it did)."""
    if np.isfinite(value):
        return ""
    if person_years <= 0:
        return "no residents of this quintile in the area"
    if person_years <= MIN_TOTAL_POPULATION:
        return f"not published: {MIN_TOTAL_POPULATION:,.0f} person-years or fewer"
    if np.isfinite(lower):
        return f"not published: 95% interval wider than {MAX_CI_WIDTH_YEARS:g} years"
    return "not published: too few deaths for a life table (e.g. none aged 90+)"


def life_expectancy_by_quintile(inputs: pd.DataFrame) -> pd.DataFrame:
    """Life expectancy at birth with 95% limits by sex and local quintile.

    ``inputs``: :func:`life_table_inputs` (with or without causes). Method: Chiang II
    abridged life table with Silcocks et al. (2001) limits, via
    :func:`ina.stats.life_expectancy.life_expectancy`, whose Fingertips publication rules
    apply unchanged: no value for 5,000 person-years or fewer, a malformed table, or an
    interval wider than 20 years. The engine's warnings become the ``note`` column, so a
    report says why a quintile is missing instead of printing a warning. Returns ``sex,
    quintile, label, deaths, person_years, value, lowercl, uppercl, note``.
    """
    bands = (
        inputs.groupby(["sex", "quintile", "start_age"], sort=False)
        .agg(deaths=("deaths", "sum"), person_years=("person_years", "first"))
        .reset_index()
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # reasons are given in ``note``
        table = life_expectancy(
            bands, "deaths", "person_years", "start_age", group_by=["sex", "quintile"], le_age=0
        )
    totals = bands.groupby(["sex", "quintile"], sort=False)[["deaths", "person_years"]].sum()
    table = table.drop(columns=["start_age", "deaths", "person_years"]).merge(
        totals.reset_index(), on=["sex", "quintile"], how="left"
    )
    table["note"] = [
        _life_expectancy_note(*row)
        for row in table[["person_years", "value", "lowercl"]].itertuples(index=False)
    ]  # five quintiles × two sexes: ten rows
    table.insert(2, "label", table["quintile"].map(QUINTILE_LABELS))
    columns = ["sex", "quintile", "label", "deaths", "person_years", "value", "lowercl", "uppercl"]
    return table[[*columns, "note"]]


@dataclass(frozen=True)
class DeprivationGap:
    """Life expectancy by quintile, the gap and its breakdown by cause, for one area.

    * ``life_expectancy``: :func:`life_expectancy_by_quintile`;
    * ``gap``: per sex, ``le_most_deprived, le_least_deprived, gap, gap_lower,
      gap_upper, gap_text, sii, sii_lower, sii_upper, note`` (``note`` says why a value
      is missing);
    * ``by_cause``: per sex whose gap could be broken down, ``cause, contribution``
      (years, summing to the gap) and ``percent_of_gap`` (negative for a cause that
      narrows the gap, so a column of shares of a *gap*, not of a whole: it may leave
      0-100);
    * ``years``: the registration years pooled.
    """

    life_expectancy: pd.DataFrame
    gap: pd.DataFrame
    by_cause: pd.DataFrame
    years: tuple[int, ...]


def _gap_table(table: pd.DataFrame) -> pd.DataFrame:
    """Most against least deprived per sex; 95% limits of the difference of two
    independent estimates, each standard error read back from its symmetric limits."""
    z = z_value(0.95)
    wide = table.set_index(["sex", "quintile"])
    rows = []
    for sex in dict.fromkeys(table["sex"]):
        most, least = wide.loc[(sex, MOST_DEPRIVED)], wide.loc[(sex, LEAST_DEPRIVED)]
        gap = least["value"] - most["value"]
        spread = np.hypot(
            (most["uppercl"] - most["lowercl"]) / (2 * z),
            (least["uppercl"] - least["lowercl"]) / (2 * z),
        )
        missing = [
            f"quintile {QUINTILE_LABELS[q]} ({row['note'].removeprefix('not published: ')})"
            for q, row in ((MOST_DEPRIVED, most), (LEAST_DEPRIVED, least))
            if not np.isfinite(row["value"])
        ]
        rows.append(
            {
                "sex": sex,
                "le_most_deprived": most["value"],
                "le_least_deprived": least["value"],
                "gap": gap,
                "gap_lower": gap - z * spread,
                "gap_upper": gap + z * spread,
                "gap_text": years_and_months(gap) if np.isfinite(gap) else "not published",
                "note": "no published life expectancy for " + " and ".join(missing)
                if missing
                else "",
            }
        )
    return pd.DataFrame(rows)


def _slope_index(table: pd.DataFrame, *, repetitions: int, seed: int) -> pd.DataFrame:
    """SII of life expectancy across the quintiles with residents, per sex (NA when any
    of the five is unpublished or empty: the method needs every quintile)."""
    usable = table[table["person_years"] > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # NA groups are explained in ``note``
        sii = slope_index_of_inequality(
            usable,
            "quintile",
            "person_years",
            value="value",
            lower_cl="lowercl",
            upper_cl="uppercl",
            value_type=0,
            repetitions=repetitions,
            group_by="sex",
            seed=seed,
            full_output=False,
        )
    return sii.rename(columns={"sii_lowercl": "sii_lower", "sii_uppercl": "sii_upper"})


def deprivation_gap(
    deaths: pd.DataFrame,
    population: pd.DataFrame,
    quintiles_by_lsoa: pd.DataFrame,
    *,
    pooled_years: int = GAP_POOLED_YEARS,
    repetitions: int = GAP_SII_REPETITIONS,
    seed: int = DEFAULT_SEED,
) -> DeprivationGap:
    """Life expectancy by local quintile, the most-to-least deprived gap and its causes.

    ``deaths`` are the area's deaths (``registration_date, lsoa_code, sex, age,
    underlying_cause``), of which the latest ``pooled_years`` registration years are used
    (:func:`pooled_deaths`) with the population × the years used as person-years;
    ``population`` its residents (one mid-year, ideally the middle of the pooled years),
    ``quintiles_by_lsoa`` the ICB's quintiles (:func:`local_quintiles`), so a place's
    quintiles are the ICB's. Methods: life expectancy, Chiang II
    (:func:`life_expectancy_by_quintile`); gap = LE(quintile 5) − LE(quintile 1) with the
    95% limits of a difference of independent estimates; slope index of inequality, Low &
    Low (2004), weighted by person-years, limits from ``repetitions`` simulations with
    ``seed`` (deterministic); the gap broken down by broad cause with Arriaga (1984/1989)
    on the same life tables, so the causes sum to the gap exactly. A sex whose most or
    least deprived quintile has no published life expectancy gets no gap, no breakdown
    and a ``note`` instead: nothing here raises for a small or empty quintile.
    """
    recent, used = pooled_deaths(deaths, years=pooled_years)
    inputs = life_table_inputs(
        recent, population, quintiles_by_lsoa, years=len(used), by_cause=True
    )
    table = life_expectancy_by_quintile(inputs)
    gap = _gap_table(table)
    sii = _slope_index(table, repetitions=repetitions, seed=seed)
    gap = gap.merge(sii, on="sex", how="left")
    no_sii = gap["sii"].isna()
    gap.loc[no_sii & (gap["note"] == ""), "note"] = (
        "no slope index: a quintile has no published life expectancy"
    )

    decomposable = gap.loc[np.isfinite(gap["gap"]), "sex"].tolist()
    by_cause = pd.DataFrame(
        columns=["sex", "cause", "contribution", "percent_of_gap", "deaths_most", "deaths_least"]
    )
    if decomposable:
        sides = inputs[
            inputs["sex"].isin(decomposable)
            & inputs["quintile"].isin([MOST_DEPRIVED, LEAST_DEPRIVED])
        ]
        result = life_expectancy_gap_by_cause(
            sides,
            "deaths",
            "person_years",
            "start_age",
            compare="quintile",
            reference=LEAST_DEPRIVED,
            comparison=MOST_DEPRIVED,
            cause="cause",
            group_by="sex",
        )
        by_cause = result.by_cause.merge(result.summary[["sex", "gap"]], on="sex")
        by_cause["percent_of_gap"] = by_cause["contribution"] / by_cause["gap"] * 100
        # The deaths each contribution is computed from, for disclosure control.
        counts = sides.groupby(["sex", "cause", "quintile"], observed=True)["deaths"].sum()
        counts = counts.unstack("quintile").reindex(columns=[MOST_DEPRIVED, LEAST_DEPRIVED])
        counts = counts.fillna(0).set_axis(["deaths_most", "deaths_least"], axis=1)
        by_cause = by_cause.merge(counts.reset_index(), on=["sex", "cause"], how="left")
        by_cause = by_cause[
            ["sex", "cause", "contribution", "percent_of_gap", "deaths_most", "deaths_least"]
        ]
    return DeprivationGap(table, gap, by_cause.reset_index(drop=True), tuple(used))


def _sex_word(sex: str) -> str:
    return sex.lower()


def findings_gap(result: DeprivationGap, *, area_name: str) -> list[str]:
    """Key findings from :func:`deprivation_gap`: the gap in JFP wording, then the SII.

    The JFP style ("6 years and 9 months for males and 5 years and 4 months for
    females") with both life expectancies and the 95% interval of the gap; a sex without
    a gap says why. The SII sentence explains what the index measures.
    """
    gap = result.gap
    shown = gap[np.isfinite(gap["gap"])]
    period = f"{result.years[0]}-{result.years[-1]}" if result.years else ""
    sentences = []
    if not shown.empty:
        parts = [f"{row.gap_text} for {_sex_word(row.sex)}" for row in shown.itertuples()]
        detail = "; ".join(
            f"{_sex_word(row.sex)} {row.le_most_deprived:.1f} against {row.le_least_deprived:.1f}"
            f" years, 95% CI of the gap {row.gap_lower:.1f} to {row.gap_upper:.1f} years"
            for row in shown.itertuples()
        )
        sentences.append(
            f"In {period}, the gap in life expectancy at birth between the most and least "
            f"deprived fifth of {area_name}'s small areas was {' and '.join(parts)} "
            f"({detail})."
        )
    missing = gap[~np.isfinite(gap["gap"])]
    for note, rows in missing.groupby("note", sort=False):
        sexes = " or ".join(_sex_word(sex) for sex in rows["sex"])
        sentences.append(f"The gap for {sexes} cannot be given for {area_name}: {note}.")
    with_sii = gap[np.isfinite(gap["sii"])]
    if not with_sii.empty:
        parts = [
            f"{row.sii:.1f} years for {_sex_word(row.sex)} (95% CI {row.sii_lower:.1f} to "
            f"{row.sii_upper:.1f})"
            for row in with_sii.itertuples()
        ]
        sentences.append(
            "Taking all five quintiles into account, the slope index of inequality (the "
            "modelled gap from the most to the least deprived end of the area) is "
            + " and ".join(parts)
            + "."
        )
    return sentences


def findings_gap_causes(by_cause: pd.DataFrame, *, top: int = 3) -> list[str]:
    """Key findings from ``DeprivationGap.by_cause``: the ``top`` causes behind each gap.

    Names the causes with the largest positive contributions (more deaths in the most
    deprived quintile), with years and months and the share of the gap, and any cause
    that narrows the gap (fewer deaths in the most deprived quintile).
    """
    sentences = []
    for sex, rows in by_cause.groupby("sex", sort=False):
        total = rows["contribution"].sum()
        if total <= 0:
            sentences.append(
                f"For {_sex_word(str(sex))}, life expectancy is not lower in the most deprived "
                "quintile, so there is no gap to break down by cause."
            )
            continue
        widening = rows[rows["contribution"] > 0].sort_values(
            "contribution", ascending=False, kind="stable"
        )
        if widening.empty:  # every widening contribution is suppressed
            continue
        named = [
            f"{CAUSE_IN_SENTENCE.get(row.cause, row.cause)} "
            f"({years_and_months(row.contribution)}, {row.percent_of_gap:.0f}%)"
            for row in widening.head(top).itertuples()
        ]
        listed = ", ".join(named[:-1]) + (" and " if len(named) > 1 else "") + named[-1]
        share = widening.head(top)["percent_of_gap"].sum()
        sentences.append(
            f"For {_sex_word(str(sex))}, the largest contributions to the gap come from more "
            f"deaths in the most deprived quintile from {listed}: together {share:.0f}% of it."
        )
        narrowing = rows[rows["contribution"] < -NARROWING_YEARS]
        for row in narrowing.itertuples():
            sentences.append(
                f"For {_sex_word(str(sex))}, deaths from "
                f"{CAUSE_IN_SENTENCE.get(row.cause, row.cause)} narrow the gap by "
                f"{years_and_months(-row.contribution)}: their death rates are lower in the "
                "most deprived quintile."
            )
    return sentences


def life_expectancy_table(result: DeprivationGap) -> pd.DataFrame:
    """Life expectancy by sex and quintile as the report shows it.

    ``sex, label, deaths, value, lowercl, uppercl`` and ``note`` only when a value is
    missing (a column of blanks would be noise on the page).
    """
    table = result.life_expectancy
    columns = ["sex", "label", "deaths", "value", "lowercl", "uppercl"]
    if (table["note"] != "").any():
        columns.append("note")
    return table[columns].reset_index(drop=True)


def _interval_text(lower: pd.Series, upper: pd.Series) -> pd.Series:
    """``"5.9 to 6.7"`` per row (vectorised), ``"–"`` where either limit is missing."""
    text = lower.round(1).map("{:.1f}".format) + " to " + upper.round(1).map("{:.1f}".format)
    return text.where(np.isfinite(lower) & np.isfinite(upper), "–")


def gap_table(result: DeprivationGap) -> pd.DataFrame:
    """The gap and the SII per sex as the report shows them (seven columns for A4).

    ``sex, le_most_deprived, le_least_deprived, gap, gap_ci, sii, sii_ci``: the
    intervals as text ("5.9 to 6.7") so each estimate and its interval share a column
    pair; unpublished values are missing (shown as "–").
    """
    gap = result.gap
    return pd.DataFrame(
        {
            "sex": gap["sex"],
            "le_most_deprived": gap["le_most_deprived"],
            "le_least_deprived": gap["le_least_deprived"],
            "gap": gap["gap"],
            "gap_ci": _interval_text(gap["gap_lower"], gap["gap_upper"]),
            "sii": gap["sii"],
            "sii_ci": _interval_text(gap["sii_lower"], gap["sii_upper"]),
        }
    )


def mortality_disclosure(columns: list[str] | pd.Index) -> Disclosure:
    """The declaration of the mortality-by-quintile table and chart data.

    The quintiles' deaths add up to the area's deaths, published in ``sum-indicators``
    (so one small quintile hides a second); the rates and the ratio derive from them.
    """
    derived = ("dsr", "dsr_lower", "dsr_upper", "ratio_to_least")
    return Disclosure(
        counts=("deaths",),
        derived={name: ("deaths",) for name in derived if name in set(columns)},
        key=("label",),
        rows=(Parts("label"),),
    )


def life_expectancy_disclosure(columns: list[str] | pd.Index) -> Disclosure:
    """The declaration of the life expectancy by sex and quintile table and chart data.

    Per sex the quintiles add up to the sex's deaths (published in ``sum-indicators``);
    per quintile the sexes add up to the quintile's deaths in ``dep-mortality-table``.
    """
    counts = ("deaths",) if "deaths" in set(columns) else ()
    return Disclosure(
        counts=counts,
        derived={name: ("deaths",) for name in ("value", "lowercl", "uppercl") if counts},
        key=("sex", "label"),
        rows=(
            Parts("label", within=("sex",)),
            Parts("sex", within=("label",), total_in="dep-mortality-table"),
        )
        if counts
        else (),
    )


def gap_by_cause_disclosure() -> Disclosure:
    """The declaration of the gap-by-cause chart data (one row per sex and cause).

    Each cause's contribution (and its share of the gap) is computed from its deaths in
    the most and the least deprived quintile, so it is hidden with them; the causes of a
    sex add up to the quintile's deaths (published in the life expectancy table), so one
    small cause hides a second (and its contribution, which the published gap would
    otherwise give back by subtraction).
    """
    counts = ("deaths_most", "deaths_least")
    return Disclosure(
        counts=counts,
        derived={"contribution": counts, "percent_of_gap": counts},
        key=("sex", "cause"),
        rows=(Parts("cause", within=("sex",)),),
    )


def gap_by_cause_hidden(by_cause: pd.DataFrame, mask: pd.DataFrame) -> pd.DataFrame:
    """The ``hide`` frame of :func:`gap_by_cause_table` from the chart data's mask."""
    table = gap_by_cause_table(by_cause)
    hide = pd.DataFrame(False, index=table.index, columns=table.columns)
    hidden = by_cause.assign(_h=mask["contribution"].to_numpy(dtype=bool))
    for sex, rows in hidden.groupby("sex", sort=False):
        flags = rows.set_index("cause")["_h"]
        cells = table["cause"].map(flags).fillna(False).astype(bool).to_numpy()
        prefix = str(sex).lower()
        hide[f"{prefix}_years"] = cells
        hide[f"{prefix}_percent_of_gap"] = cells
    return hide


def gap_by_cause_table(by_cause: pd.DataFrame) -> pd.DataFrame:
    """``DeprivationGap.by_cause`` side by side for the sexes, one row per cause.

    ``cause`` then, per sex in order (``Males`` first), ``<sex>_years`` and
    ``<sex>_percent_of_gap``: ten rows instead of twenty, so the table sits on the page
    with its chart. Causes keep the :data:`ina.chapters.causes.BROAD_CAUSES` order.
    """
    if by_cause.empty:
        return pd.DataFrame({"cause": pd.Series(dtype=str)})
    sexes = list(dict.fromkeys(by_cause["sex"]))
    causes = list(dict.fromkeys(by_cause["cause"]))
    wide = by_cause.pivot(index="cause", columns="sex", values=["contribution", "percent_of_gap"])
    table = pd.DataFrame({"cause": causes})
    for sex in sexes:
        prefix = sex.lower()
        table[f"{prefix}_years"] = wide[("contribution", sex)].reindex(causes).to_numpy()
        table[f"{prefix}_percent_of_gap"] = wide[("percent_of_gap", sex)].reindex(causes).to_numpy()
    return table


def gap_by_cause_headers(table: pd.DataFrame) -> dict[str, str]:
    """Column headings of :func:`gap_by_cause_table` (``Males: years``, ``Males: % of gap``)."""
    headers = {"cause": "Cause of death"}
    for column in table.columns:
        sex, _, measure = column.partition("_")
        if measure == "years":
            headers[column] = f"{sex.capitalize()}: years"
        elif measure == "percent_of_gap":
            headers[column] = f"{sex.capitalize()}: % of gap"
    return headers


def figure5(
    inputs: Any,
    catalogue: Any,
    icb_small_areas: pd.DataFrame,
    area_small_areas: Sequence[str],
    *,
    rule: RuleLike,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The JFP Figure 5 comparisons for an area (INDICATORS.md §13.1): the most vs least
    deprived local quintile of each comparison's indicator, as a text table and as the
    forest plot's data.

    Each quintile's value is the indicator's own statistic (:mod:`ina.indicators.
    by_deprivation`); the ratio's 95% CI comes from the two values' intervals; the
    Poisson GLM (statsmodels, age-adjusted for standardised rates) gives the trend across
    the five quintiles. A quintile whose count is in the suppression range hides its value
    and the ratio (the counts themselves are not published).
    """
    from ina.indicators.by_deprivation import (
        by_quintile,
        figure5_comparisons,
        figure5_ratios,
        quintile_counts,
        quintile_inputs,
    )
    from ina.stats import poisson_rate_ratios

    comparisons = figure5_comparisons(catalogue)
    wanted = catalogue.only([c["indicator"] for c in comparisons])
    quintiles = local_quintiles(icb_small_areas)
    rows = by_quintile(inputs, wanted, quintiles, area_small_areas)
    ratios = figure5_ratios(rows, wanted).set_index("indicator_id")
    view = quintile_inputs(inputs, quintiles, area_small_areas)
    low, high = (rule.min_count, rule.max_count) if not rule.disabled else (1, 0)
    marker = rule.marker
    table, forest = [], []
    for comparison in comparisons:
        indicator = catalogue[comparison["indicator"]]
        jfp = comparison["jfp_ratio"]
        if indicator.id not in ratios.index:
            continue
        found = ratios.loc[indicator.id]
        hidden = any(low <= found[c] <= high for c in ("q1_count", "q5_count"))
        trend_text = "not available"
        counts = quintile_counts(view, indicator)
        if (
            counts["quintile"].nunique() == 5
            and counts.groupby("quintile")["events"].sum().min() > 0
        ):
            adjust = ["age_band"] if "age_band" in counts else []
            model = poisson_rate_ratios(
                counts,
                "events",
                "population",
                "quintile",
                5,
                adjust_for=adjust,
                order=[1, 2, 3, 4, 5],
            )
            step = float(model.trend["value"].iloc[0])
            p_value = float(model.trend["p_value"].iloc[0])
            direction = "falls" if step < 1 else "rises"
            trend_text = (
                f"{direction} {abs(1 - step):.0%} a quintile towards the least deprived "
                f"(p {'< 0.001' if p_value < 0.001 else f'= {p_value:.3f}'})"
            )
        ratio_ok = not hidden and np.isfinite(found["ratio"])
        table.append(
            {
                "comparison": f"{indicator.short_name}",
                "most": marker if hidden else indicator.format(found["q1"]),
                "least": marker if hidden else indicator.format(found["q5"]),
                "ratio": (
                    f"{found['ratio']:.2f} ({found['lower_95']:.2f} to {found['upper_95']:.2f})"
                    if ratio_ok
                    else (marker if hidden else "not available")
                ),
                "jfp": f"{jfp:g}" if jfp is not None else "not quoted",
                "trend": marker if hidden else trend_text,
            }
        )
        forest.append(
            {
                "label": indicator.short_name,
                "ratio": found["ratio"] if ratio_ok else np.nan,
                "lower_95": found["lower_95"] if ratio_ok else np.nan,
                "upper_95": found["upper_95"] if ratio_ok else np.nan,
                "jfp_ratio": float(jfp) if jfp is not None else np.nan,
            }
        )
    columns = ["comparison", "most", "least", "ratio", "jfp", "trend"]
    return (
        pd.DataFrame(table, columns=columns),
        pd.DataFrame(forest, columns=["label", "ratio", "lower_95", "upper_95", "jfp_ratio"]),
    )
