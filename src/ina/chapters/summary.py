"""At a glance: every summary indicator for the ICB, its places and England, benchmarked.

The first chapter of the INA, in the style of the Fingertips area profiles and the Public
Health Scotland locality profiles: one table comparing the area with its peers (the other
places), the ICB and England, a spine chart, key messages computed from the numbers, and
the definition of every indicator (:mod:`ina.indicators`).

Everything is computed for **every area at once** — the ICB (``"icb"``), each place of the
active scheme (its id) and England (``"england"``, where the extracts hold England) — by
joining the extracts to a small-area → area membership table and grouping by area in
:mod:`ina.stats`, so a place's numbers and its peers' come from one pass.

Methods (the catalogue names them per indicator):

* proportions (% 65+, % 85+, Core20, low birth weight, preterm): Wilson score 95% CI
  (:func:`ina.stats.proportion`);
* crude rates (births per 1,000 residents and per 1,000 women aged 15-44): exact Poisson
  below 10 events, Byar's otherwise (:func:`ina.stats.crude_rate`);
* mortality: directly standardised to the 2013 European Standard Population, Dobson 95%
  CI (:func:`ina.stats.directly_standardised_rate`); all ages with the 19 bands to 90+,
  under 75 with the 15 bands 0-4 to 70-74 and their ESP2013 weights;
* life expectancy at birth: Chiang II abridged life table with the Silcocks variance
  (:func:`ina.stats.life_expectancy`), bands 0, 1-4, 5-9 ... 90+;
* pooled periods: births and deaths of every registration year in the extracts, with the
  one mid-year estimate loaded × the number of years as person-years (stated in each
  definition: the extracts carry one population year);
* projected growth of the 65+ population: ONS district projections apportioned to areas
  by the area's share of each district's residents by single year of age and sex (the
  method of :func:`ina.chapters.population.apportion_projections`, vectorised over areas);
* benchmarking: :func:`ina.stats.compare_with_benchmark` with each indicator's polarity,
  each place against the ICB and the ICB against England; values without an interval
  (counts, ratios, projections) or without a comparator are "not compared";
* recent trends: the indicators the catalogue marks ``trend: true`` (births and
  mortality, which the extracts give by registration year) are recomputed for each
  year with the same methods as the pooled values (:func:`annual_series`) and given the
  Fingertips recent-trend label over the 5 most recent consecutive years
  (:func:`ina.stats.recent_trend`: chi-squared test for trend for the Wilson
  proportions, inverse-variance weighted regression on the 95% limits for crude rates
  and DSRs, 99.8% significance). Every year uses the one mid-year estimate as its
  denominator, so a rate's trend is the trend of its count. Indicators without annual
  data are "Cannot be calculated", never estimated. An indicator significantly worse
  than its comparator *and* getting worse is a Fingertips "red-red" (:func:`red_reds`).

Nothing is invented: an England value the extracts do not hold is missing and shown as
"not available".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ina.chapters._ages import FIVE_YEAR_BANDS
from ina.chapters._rates import band_totals
from ina.chapters.context import ENGLAND_CODE, ChapterContext
from ina.errors import StatisticsError
from ina.indicators import SECTIONS, Catalogue, Indicator, load_catalogue
from ina.publishing.suppression import CONFIDENTIAL, RuleLike, suppression_mask
from ina.stats import (
    ESP2013,
    compare_with_benchmark,
    crude_rate,
    directly_standardised_rate,
    life_expectancy,
    proportion,
    recent_trend,
)
from ina.stats.benchmarking import NOT_COMPARED, benchmark_style
from ina.stats.trends import (
    CANNOT,
    DECREASING,
    DECREASING_BETTER,
    DECREASING_WORSE,
    INCREASING,
    INCREASING_BETTER,
    INCREASING_WORSE,
    NO_CHANGE,
    TrendMethod,
)

__all__ = [
    "ENGLAND_ID",
    "ICB_ID",
    "NOT_AVAILABLE",
    "NO_ANNUAL_DATA",
    "TREND_WORDS",
    "SummaryInputs",
    "annual_series",
    "area_membership",
    "benchmark",
    "births_indicators",
    "compute_indicators",
    "core20_indicator",
    "definitions_table",
    "key_messages",
    "life_expectancy_indicators",
    "mortality_indicators",
    "peer_ranges",
    "period_label",
    "population_indicators",
    "projected_growth",
    "published_results",
    "recent_trends",
    "red_red_message",
    "red_reds",
    "registered_indicator",
    "spine_centre_name",
    "spine_input",
    "spine_rows",
    "summary_inputs",
    "summary_table",
    "suppressed_rows",
    "table_sections",
    "trend_table",
]

#: Area ids of the ICB and of England in the results.
ICB_ID = "icb"
ENGLAND_ID = "england"
#: How a value the extracts do not hold is shown.
NOT_AVAILABLE = "not available"
#: Low birth weight and preterm thresholds (WHO / Fingertips definitions).
LOW_BIRTH_WEIGHT_G = 2500
PRETERM_WEEKS = 37
#: Start ages of the 20 life-table bands (0, 1-4, 5-9, ..., 90+).
LIFE_TABLE_STARTS = np.array([0, 1, *range(5, 95, 5)])
UNDER_75_BANDS = FIVE_YEAR_BANDS[:15]
#: Most columns a summary table may have to fit an A4 portrait page.
MAX_TABLE_COLUMNS = 7

RESULT_COLUMNS = [
    "area_id",
    "indicator_id",
    "period",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
]


# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryInputs:
    """The tidy frames the summary needs, for the whole ICB (not one area).

    ``membership``: ``lsoa_code, area_id`` (every small area once for the ICB and once for
    its place); ``population``: ``lsoa_code, sex, age, population``; ``england``: England's
    ``sex, age, population`` (or None); ``deaths`` / ``births``: record-level extracts;
    ``deprivation``: ``lsoa_code, imd_decile``; ``registered``: ``area_id, patients``
    (practices' registered patients by area); ``projections``: ``area_code, sex, age,
    year, population`` (districts and, when present, England); ``districts``:
    ``lsoa_code, district_code``; ``base_year`` and ``horizon_year`` of the growth;
    ``population_period``: the label of the population estimate.
    """

    membership: pd.DataFrame
    population: pd.DataFrame
    england: pd.DataFrame | None
    deaths: pd.DataFrame
    births: pd.DataFrame
    deprivation: pd.DataFrame
    registered: pd.DataFrame
    projections: pd.DataFrame
    districts: pd.DataFrame
    base_year: int
    horizon_year: int
    population_period: str
    registered_period: str = "Latest extract"


def area_membership(small_areas: pd.DataFrame, place_ids: Sequence[str]) -> pd.DataFrame:
    """Small area → area pairs: every small area in the ICB, and in its place if any.

    ``small_areas``: ``lsoa_code, place_id`` (the geography); returns ``lsoa_code,
    area_id`` with ``ICB_ID`` rows first then the places in ``place_ids`` order.
    """
    icb = pd.DataFrame({"lsoa_code": small_areas["lsoa_code"].to_numpy(), "area_id": ICB_ID})
    placed = small_areas[small_areas["place_id"].isin(list(place_ids))]
    places = pd.DataFrame(
        {"lsoa_code": placed["lsoa_code"].to_numpy(), "area_id": placed["place_id"].to_numpy()}
    )
    return pd.concat([icb, places], ignore_index=True).astype({"area_id": "string"})


def _population_year(path: object) -> str:
    """ "Mid-2022" from a file name such as ``sapelsoasyoa2022.csv`` (else "Mid-year estimate")."""
    name = Path(str(path)).name
    found = re.findall(r"(?<!\d)(20\d\d)(?!\d)", name)
    return f"Mid-{found[-1]}" if found else "Mid-year estimate"


def summary_inputs(context: ChapterContext, *, horizon_year: int = 2040) -> SummaryInputs:
    """Gather the ICB-wide inputs of the summary from a chapter context (any area)."""
    geography = context.geography
    place_ids = [place.id for place in context.settings.places]
    membership = area_membership(geography.small_areas, place_ids)
    national = context.source("national_population")
    england = national[national["area_code"] == ENGLAND_CODE]
    registered = context.source("registered_by_age")
    practices = geography.practices[["practice_code", "place_id"]]
    by_practice = registered.groupby("org_code", observed=True)["patients"].sum()
    icb_practices = by_practice[by_practice.index.isin(practices["practice_code"])]
    placed = practices[practices["place_id"].isin(place_ids)]
    place_patients = (
        placed.assign(patients=placed["practice_code"].map(by_practice).fillna(0))
        .groupby("place_id", observed=True)["patients"]
        .sum()
    )
    extract = pd.to_datetime(registered["extract_date"], errors="coerce").max()
    registered_period = extract.strftime("%b %Y") if pd.notna(extract) else "Latest extract"
    registered_by_area = pd.DataFrame(
        {
            "area_id": [ICB_ID, *place_patients.index.astype(str)],
            "patients": [float(icb_practices.sum()), *place_patients.to_numpy(dtype=float)],
        }
    )
    base_year, later = context.projection_years((horizon_year,))
    if horizon_year not in later:
        raise StatisticsError(
            f"summary: the population projections do not reach {horizon_year} after the base "
            f"year {base_year}"
        )
    return SummaryInputs(
        membership=membership,
        population=context.icb_population,
        england=england[["sex", "age", "population"]] if not england.empty else None,
        deaths=context.source("deaths"),
        births=context.source("births"),
        deprivation=context.source("deprivation")[["lsoa_code", "imd_decile"]],
        registered=registered_by_area,
        projections=context.projections,
        districts=geography.small_areas[["lsoa_code", "district_code"]],
        base_year=base_year,
        horizon_year=horizon_year,
        population_period=_population_year(context.settings.source_path("resident_population")),
        registered_period=registered_period,
    )


# --- the indicators -------------------------------------------------------------------------


def _result(frame: pd.DataFrame, indicator_id: str, period: str) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "area_id": frame["area_id"].astype(str).to_numpy(),
            "indicator_id": indicator_id,
            "period": period,
            "numerator": frame["numerator"].to_numpy(dtype=float),
            "denominator": frame["denominator"].to_numpy(dtype=float),
            "value": frame["value"].to_numpy(dtype=float),
            "lower": frame["lower"].to_numpy(dtype=float) if "lower" in frame else np.nan,
            "upper": frame["upper"].to_numpy(dtype=float) if "upper" in frame else np.nan,
        }
    )
    return out[RESULT_COLUMNS]


_ENGINE_NAMES = {
    "x": "numerator",
    "n": "denominator",
    "total_count": "numerator",
    "total_pop": "denominator",
    "lowercl": "lower",
    "uppercl": "upper",
}
"""The stats engine's output names (``x``/``n`` as passed, ``total_count``/``total_pop``
from the DSR, ``lowercl``/``uppercl``) and the summary's names for the same columns."""


def _engine_result(output: pd.DataFrame, indicator_id: str, period: str) -> pd.DataFrame:
    """:func:`_result` of a stats engine output (crude rate, proportion or DSR).

    Every pooled indicator renames the engine's count and limit columns the same way
    before taking its result rows; :data:`_ENGINE_NAMES` is that one mapping, shared with
    the annual series (:func:`_annual_result`).
    """
    return _result(output.rename(columns=_ENGINE_NAMES), indicator_id, period)


def _by_area(frame: pd.DataFrame, membership: pd.DataFrame) -> pd.DataFrame:
    """Attach every area the small area of each row belongs to (rows repeat per area)."""
    return frame.merge(membership, on="lsoa_code", how="inner", validate="m:m")


def _area_population(inputs: SummaryInputs) -> pd.DataFrame:
    people = _by_area(inputs.population, inputs.membership)[["area_id", "sex", "age", "population"]]
    if inputs.england is not None:
        people = pd.concat([people, inputs.england.assign(area_id=ENGLAND_ID)], ignore_index=True)
    return people


def population_indicators(population: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """Residents, % aged 65+ and % aged 85+ (Wilson 95% CI) of every area.

    ``population``: ``area_id, sex, age, population`` (single years, 90 = 90+).
    """
    totals = population.groupby("area_id", sort=False)["population"].sum()
    if (totals <= 0).any():
        raise StatisticsError(f"summary: area {totals[totals <= 0].index[0]!r} has no residents")
    rows = [
        _result(
            pd.DataFrame(
                {
                    "area_id": totals.index,
                    "numerator": totals.to_numpy(),
                    "denominator": np.nan,
                    "value": totals.to_numpy(),
                }
            ),
            "resident_population",
            period,
        )
    ]
    for indicator_id, age in (("percent_65_plus", 65), ("percent_85_plus", 85)):
        older = (
            population[population["age"] >= age]
            .groupby("area_id", sort=False)["population"]
            .sum()
            .reindex(totals.index, fill_value=0)
        )
        frame = pd.DataFrame({"area_id": totals.index, "x": older.to_numpy(), "n": totals})
        shares = proportion(frame, "x", "n", multiplier=100)
        rows.append(_engine_result(shares, indicator_id, period))
    return pd.concat(rows, ignore_index=True)


def registered_indicator(
    registered: pd.DataFrame, population: pd.DataFrame, *, period: str
) -> pd.DataFrame:
    """Registered patients of each area's practices per 100 residents (a ratio, no CI)."""
    residents = population.groupby("area_id", sort=False)["population"].sum()
    frame = registered.assign(denominator=registered["area_id"].map(residents))
    frame = frame[frame["denominator"].notna()]
    frame = frame.assign(
        numerator=frame["patients"], value=frame["patients"] / frame["denominator"] * 100
    )
    return _result(frame, "registered_per_100", period)


def core20_indicator(
    population: pd.DataFrame, membership: pd.DataFrame, deprivation: pd.DataFrame, *, period: str
) -> pd.DataFrame:
    """% of residents in Core20 small areas (national IMD deciles 1-2), Wilson 95% CI.

    Every small area must have an IMD decile: a gap means the lookup and the IoD edition
    disagree (LSOA 2011 vs 2021), which would bias the share silently.
    """
    residents = population.groupby("lsoa_code", observed=True)["population"].sum()
    small = membership.assign(population=membership["lsoa_code"].map(residents).fillna(0))
    decile = small["lsoa_code"].map(deprivation.set_index("lsoa_code")["imd_decile"])
    if decile.isna().any():
        raise StatisticsError(
            f"summary: small area {small.loc[decile.isna(), 'lsoa_code'].iloc[0]} has no IMD "
            "decile (check the deprivation file and the lookup use the same LSOA codes)"
        )
    small = small.assign(core20=small["population"].where(decile.isin([1, 2]), 0))
    shares = proportion(small, "core20", "population", multiplier=100, group_by="area_id")
    return _engine_result(
        shares.rename(columns={"core20": "numerator", "population": "denominator"}),
        "core20_percent",
        period,
    )


def _years(dates: pd.Series, what: str) -> tuple[int, int]:
    years = pd.to_datetime(dates, errors="coerce").dt.year
    if years.isna().any() or years.empty:
        raise StatisticsError(f"summary: {what} registration dates must all be valid dates")
    return int(years.min()), int(years.max())


def period_label(first: int, last: int) -> str:
    """``2020-24`` for a pooled period, ``2024`` for one year (the Fingertips style)."""
    return str(first) if first == last else f"{first}-{str(last)[-2:]}"


def _birth_denominators(
    population: pd.DataFrame, membership: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """Residents, and women aged 15-44, of every area (in the order areas first appear).

    The denominators of the birth rate and the general fertility rate (ONS definitions).
    Shared by the pooled indicators and the annual series so both divide by the same
    people; an area with no women aged 15-44 gets 0, never a missing value.
    """
    people = _by_area(population, membership)
    residents = people.groupby("area_id", sort=False)["population"].sum()
    women = (
        people[(people["sex"] == "female") & people["age"].between(15, 44)]
        .groupby("area_id", sort=False)["population"]
        .sum()
        .reindex(residents.index, fill_value=0)
    )
    return residents, women


def _below_threshold(values: pd.Series, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Per birth: 1 if its stated value is below ``threshold``, and 1 if it is stated at all.

    Low birth weight and preterm are percentages of the births with a stated weight or
    gestation (Fingertips), so an unstated value (blank or not a number) counts in neither
    the numerator nor the denominator. Shared by the pooled and the annual indicators.
    """
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    stated = numbers.notna()
    return (stated & (numbers < threshold)).astype(int).to_numpy(), stated.astype(int).to_numpy()


def births_indicators(
    births: pd.DataFrame, population: pd.DataFrame, membership: pd.DataFrame
) -> pd.DataFrame:
    """Birth rate, general fertility rate, low birth weight % and preterm % of every area.

    Births of every registration year are pooled; rates use residents (all, or women
    aged 15-44) × the number of years as the denominator (crude rate, exact/Byar's CI).
    Low birth weight (< 2,500 g) and preterm (< 37 weeks) are percentages of the live
    births with a stated weight or gestation (Wilson CI).
    """
    first, last = _years(births["registration_date"], "births")
    years = last - first + 1
    period = period_label(first, last)
    residents, women = _birth_denominators(population, membership)
    located = _by_area(births[["lsoa_code", "birth_weight_g", "gestation_weeks"]], membership)
    counts = located.groupby("area_id", sort=False).size().reindex(residents.index, fill_value=0)
    rows = []
    for indicator_id, denominator in (("birth_rate", residents), ("general_fertility_rate", women)):
        frame = pd.DataFrame(
            {
                "area_id": residents.index,
                "x": counts.to_numpy(),
                "n": denominator.to_numpy() * years,
            }
        )
        rates = crude_rate(frame, "x", "n", multiplier=1000)
        rows.append(_engine_result(rates, indicator_id, period))
    for indicator_id, column, threshold in (
        ("low_birth_weight", "birth_weight_g", LOW_BIRTH_WEIGHT_G),
        ("preterm_births", "gestation_weeks", PRETERM_WEEKS),
    ):
        below, stated = _below_threshold(located[column], threshold)
        frame = pd.DataFrame({"area_id": located["area_id"].to_numpy(), "x": below, "n": stated})
        shares = proportion(frame, "x", "n", multiplier=100, group_by="area_id")
        rows.append(_engine_result(shares, indicator_id, period))
    return pd.concat(rows, ignore_index=True)


def mortality_indicators(
    deaths: pd.DataFrame, population: pd.DataFrame, membership: pd.DataFrame
) -> pd.DataFrame:
    """All-age and under-75 mortality per 100,000 (ESP2013, Dobson CI) of every area.

    Deaths of every registration year are pooled; person-years are the residents of each
    five-year band × the number of years. Under 75 uses the 15 bands 0-4 to 70-74 and
    their ESP2013 weights (Fingertips' under-75 mortality). Fewer than 10 deaths give no
    rate (the Fingertips rule in :func:`ina.stats.directly_standardised_rate`).
    """
    first, last = _years(deaths["registration_date"], "deaths")
    years = last - first + 1
    events = band_totals(_by_area(deaths[["lsoa_code", "age"]], membership), ["area_id"])
    people = band_totals(_by_area(population, membership), ["area_id"], "population")
    merged = people.rename(columns={"total": "population"}).merge(
        events.rename(columns={"total": "deaths"}), on=["area_id", "age_band"], how="left"
    )
    merged["deaths"] = merged["deaths"].fillna(0)
    merged["population"] = merged["population"] * years
    rows = []
    for indicator_id, bands in (
        ("mortality_all_ages", FIVE_YEAR_BANDS),
        ("mortality_under_75", UNDER_75_BANDS),
    ):
        subset = merged[merged["age_band"].isin(bands)]
        rates = directly_standardised_rate(
            subset,
            "deaths",
            "population",
            standard_population=ESP2013.loc[list(bands)],
            group_by="area_id",
            age_band="age_band",
        )
        rows.append(_engine_result(rates, indicator_id, period_label(first, last)))
    return pd.concat(rows, ignore_index=True)


def _life_table_start(age: pd.Series) -> np.ndarray:
    ages = age.to_numpy(dtype=int)
    return np.where(ages == 0, 0, np.where(ages < 5, 1, np.minimum(ages // 5 * 5, 90)))


def life_expectancy_indicators(
    deaths: pd.DataFrame, population: pd.DataFrame, membership: pd.DataFrame
) -> pd.DataFrame:
    """Life expectancy at birth by sex (Chiang II, Silcocks 95% CI) of every area.

    Deaths of every registration year are pooled against the residents of each band ×
    the number of years (person-years). Every area × sex gets all 20 bands (0 deaths where
    none occurred), as the life table requires.
    """
    first, last = _years(deaths["registration_date"], "deaths")
    years = last - first + 1
    people = _by_area(population, membership)
    people = people.assign(start_age=_life_table_start(people["age"]))
    located = _by_area(deaths[["lsoa_code", "sex", "age"]], membership)
    located = located.assign(start_age=_life_table_start(located["age"]))
    keys = ["area_id", "sex", "start_age"]
    areas = list(dict.fromkeys(people["area_id"].astype(str)))
    grid = pd.MultiIndex.from_product(
        [areas, ["female", "male"], LIFE_TABLE_STARTS.tolist()], names=keys
    )
    table = pd.DataFrame(
        {
            "population": people.astype({"sex": str, "area_id": str})
            .groupby(keys)["population"]
            .sum()
            .reindex(grid, fill_value=0)
            * years,
            "deaths": located.astype({"sex": str, "area_id": str})
            .groupby(keys)
            .size()
            .reindex(grid, fill_value=0),
        }
    ).reset_index()
    expectancy = life_expectancy(
        table, "deaths", "population", "start_age", group_by=["area_id", "sex"], le_age=0
    )
    totals = table.groupby(["area_id", "sex"], sort=False)[["deaths", "population"]].sum()
    rows = []
    for sex in ("male", "female"):
        part = expectancy[expectancy["sex"] == sex]
        sums = totals.xs(sex, level="sex").reindex(part["area_id"])
        frame = pd.DataFrame(
            {
                "area_id": part["area_id"].to_numpy(),
                "numerator": sums["deaths"].to_numpy(),
                "denominator": sums["population"].to_numpy(),
                "value": part["value"].to_numpy(),
                "lower": part["lowercl"].to_numpy(),
                "upper": part["uppercl"].to_numpy(),
            }
        )
        rows.append(_result(frame, f"life_expectancy_{sex}", period_label(first, last)))
    return pd.concat(rows, ignore_index=True)


def projected_growth(inputs: SummaryInputs) -> pd.DataFrame:
    """Projected % change in residents aged 65+ from the base year to the horizon year.

    District projections are shared out to each area by the area's share of the
    district's current residents in each single year of age and sex (the district's
    overall share where the district has nobody of that age and sex), as
    :func:`ina.chapters.population.apportion_projections`, for every area at once.
    England (``E92000001`` in the projections) is taken as published.
    """
    years = [inputs.base_year, inputs.horizon_year]
    projected = inputs.projections[
        inputs.projections["year"].isin(years)
        & inputs.projections["sex"].isin(["female", "male"])
        & (inputs.projections["age"] >= 65)
    ].astype({"sex": str})
    keys = ["district_code", "sex", "age"]
    people = inputs.population.merge(inputs.districts, on="lsoa_code", how="inner")
    people = people.astype({"sex": str})
    whole = people.groupby(keys)["population"].sum().rename("whole")
    part = _by_area(people, inputs.membership).groupby(["area_id", *keys])["population"].sum()
    share = part.reset_index().merge(whole.reset_index(), on=keys, how="left")
    district_totals = people.groupby("district_code")["population"].sum()
    share["share"] = share["population"] / share["whole"].where(share["whole"] > 0)
    missing_districts = set(share["district_code"]) - set(projected["area_code"])
    if missing_districts:
        raise StatisticsError(
            f"summary: no projections for district(s) {sorted(missing_districts)}"
        )
    pairs = part.groupby(["area_id", "district_code"]).sum().rename("area_total").reset_index()
    pairs["district_share"] = pairs["area_total"] / pairs["district_code"].map(district_totals)
    # Every area × district × sex × age of the projections, so ages nobody lives at
    # today still take the district's overall share.
    future = pairs[["area_id", "district_code", "district_share"]].merge(
        projected.rename(columns={"area_code": "district_code"}), on="district_code"
    )
    future = future.merge(share[["area_id", *keys, "share"]], on=["area_id", *keys], how="left")
    future["share"] = future["share"].fillna(future["district_share"])
    future["population"] = future["population"] * future["share"]
    totals = future.pivot_table(
        index="area_id", columns="year", values="population", aggfunc="sum", sort=False
    )
    england = inputs.projections[
        (inputs.projections["area_code"] == ENGLAND_CODE)
        & inputs.projections["year"].isin(years)
        & inputs.projections["sex"].isin(["female", "male"])
        & (inputs.projections["age"] >= 65)
    ]
    if not england.empty:
        totals.loc[ENGLAND_ID] = england.groupby("year")["population"].sum().reindex(years)
    base, horizon = totals[inputs.base_year], totals[inputs.horizon_year]
    frame = pd.DataFrame(
        {
            "area_id": totals.index.astype(str),
            "numerator": (horizon - base).to_numpy(),
            "denominator": base.to_numpy(),
            "value": ((horizon - base) / base * 100).to_numpy(),
        }
    )
    return _result(frame, "growth_65_plus", f"{inputs.base_year}-{inputs.horizon_year}")


def compute_indicators(inputs: SummaryInputs, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Every catalogue indicator for every area (and England where the extracts have it).

    Returns the long frame ``area_id, indicator_id, period, numerator, denominator, value,
    lower, upper`` in catalogue order, areas in membership order then England.
    """
    catalogue = catalogue or load_catalogue()
    period = inputs.population_period
    people = _area_population(inputs)
    parts = [
        population_indicators(people, period=period),
        registered_indicator(inputs.registered, people, period=inputs.registered_period),
        core20_indicator(inputs.population, inputs.membership, inputs.deprivation, period=period),
        births_indicators(inputs.births, inputs.population, inputs.membership),
        mortality_indicators(inputs.deaths, inputs.population, inputs.membership),
        life_expectancy_indicators(inputs.deaths, inputs.population, inputs.membership),
        projected_growth(inputs),
    ]
    results = pd.concat(parts, ignore_index=True)
    results = results[results["indicator_id"].isin(catalogue.ids)]
    order = {indicator_id: i for i, indicator_id in enumerate(catalogue.ids)}
    areas = [*dict.fromkeys(inputs.membership["area_id"].astype(str)), ENGLAND_ID]
    area_order = {area: i for i, area in enumerate(areas)}
    results = results.assign(
        _i=results["indicator_id"].map(order), _a=results["area_id"].map(area_order)
    ).sort_values(["_i", "_a"], kind="stable")
    return results.drop(columns=["_i", "_a"]).reset_index(drop=True)


# --- recent trends ---------------------------------------------------------------------------

#: Why an indicator has no trend marker when the catalogue gives it no annual data.
NO_ANNUAL_DATA = "no annual data in the extracts (pooled or single-year values only)"

#: The short form of each Fingertips trend label in the summary table: an arrow for the
#: direction and a word for the judgement, so neither colour nor arrow is needed alone.
TREND_WORDS: dict[str, str] = {
    INCREASING_BETTER: "↑ better",
    INCREASING_WORSE: "↑ worse",
    DECREASING_BETTER: "↓ better",
    DECREASING_WORSE: "↓ worse",
    INCREASING: "↑ increasing",
    DECREASING: "↓ decreasing",
    NO_CHANGE: "→ no change",
    CANNOT: "– n/a",
}

ANNUAL_COLUMNS = [
    "area_id",
    "indicator_id",
    "year",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
]

_WORSE_THAN_COMPARATOR = ("worse", "worst")
_GETTING_WORSE = (INCREASING_WORSE, DECREASING_WORSE)


def _annual_result(frame: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    renamed = frame.rename(columns=_ENGINE_NAMES)
    out = pd.DataFrame(
        {
            "area_id": renamed["area_id"].astype(str).to_numpy(),
            "indicator_id": indicator_id,
            "year": renamed["year"].to_numpy(dtype=int),
        }
    )
    for column in ANNUAL_COLUMNS[3:]:
        out[column] = renamed[column].to_numpy(dtype=float)
    return out


def _registration_year(dates: pd.Series, what: str) -> pd.Series:
    years = pd.to_datetime(dates, errors="coerce").dt.year
    if years.isna().any() or years.empty:
        raise StatisticsError(f"summary: {what} registration dates must all be valid dates")
    return years.astype(int)


def _annual_births(
    births: pd.DataFrame, population: pd.DataFrame, membership: pd.DataFrame
) -> pd.DataFrame:
    """Birth rate, fertility rate, low birth weight % and preterm % of every area × year."""
    years = _registration_year(births["registration_date"], "births")
    all_years = list(range(int(years.min()), int(years.max()) + 1))
    residents, women = _birth_denominators(population, membership)
    located = _by_area(
        births[["lsoa_code", "birth_weight_g", "gestation_weeks"]].assign(year=years.to_numpy()),
        membership,
    )
    grid = pd.MultiIndex.from_product([residents.index, all_years], names=["area_id", "year"])
    counts = located.groupby(["area_id", "year"]).size().reindex(grid, fill_value=0)
    rows = []
    for indicator_id, denominator in (("birth_rate", residents), ("general_fertility_rate", women)):
        frame = counts.rename("x").reset_index()
        frame["n"] = frame["area_id"].map(denominator).to_numpy(dtype=float)
        rows.append(_annual_result(crude_rate(frame, "x", "n", multiplier=1000), indicator_id))
    for indicator_id, column, threshold in (
        ("low_birth_weight", "birth_weight_g", LOW_BIRTH_WEIGHT_G),
        ("preterm_births", "gestation_weeks", PRETERM_WEEKS),
    ):
        below, stated = _below_threshold(located[column], threshold)
        frame = pd.DataFrame(
            {
                "area_id": located["area_id"].astype(str).to_numpy(),
                "year": located["year"].to_numpy(),
                "x": below,
                "n": stated,
            }
        )
        sums = frame.groupby(["area_id", "year"])[["x", "n"]].sum()
        # A year with no stated weight (or gestation) has no proportion: it is left out,
        # so the series has fewer points and its trend "Cannot be calculated".
        sums = sums[sums["n"] > 0].reset_index()
        rows.append(_annual_result(proportion(sums, "x", "n", multiplier=100), indicator_id))
    return pd.concat(rows, ignore_index=True)


def _annual_mortality(
    deaths: pd.DataFrame, population: pd.DataFrame, membership: pd.DataFrame
) -> pd.DataFrame:
    """All-age and under-75 DSR (ESP2013, Dobson CI) of every area × registration year."""
    years = _registration_year(deaths["registration_date"], "deaths")
    located = _by_area(deaths[["lsoa_code", "age"]].assign(year=years.to_numpy()), membership)
    events = band_totals(located, ["area_id", "year"]).rename(columns={"total": "deaths"})
    people = band_totals(_by_area(population, membership), ["area_id"], "population")
    all_years = pd.DataFrame({"year": range(int(years.min()), int(years.max()) + 1)})
    merged = (
        people.rename(columns={"total": "population"})
        .merge(all_years, how="cross")
        .merge(events, on=["area_id", "year", "age_band"], how="left")
    )
    merged["deaths"] = merged["deaths"].fillna(0)
    rows = []
    for indicator_id, bands in (
        ("mortality_all_ages", FIVE_YEAR_BANDS),
        ("mortality_under_75", UNDER_75_BANDS),
    ):
        rates = directly_standardised_rate(
            merged[merged["age_band"].isin(bands)],
            "deaths",
            "population",
            standard_population=ESP2013.loc[list(bands)],
            group_by=["area_id", "year"],
            age_band="age_band",
        )
        rows.append(_annual_result(rates, indicator_id))
    return pd.concat(rows, ignore_index=True)


def annual_series(inputs: SummaryInputs, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Every ``trend: true`` catalogue indicator for every area and registration year.

    The same methods as the pooled values (Wilson for the percentages, exact/Byar's crude
    rates for births per 1,000, ESP2013 DSR with Dobson limits for mortality), grouped by
    area × year in one pass; every year's denominator is the one mid-year estimate the
    extracts hold. Returns ``area_id, indicator_id, year, numerator, denominator, value,
    lower, upper`` in catalogue order, then area and year order; a DSR with fewer than 10
    deaths in a year is missing (Fingertips' rule), never filled in.
    """
    catalogue = catalogue or load_catalogue()
    wanted = [indicator.id for indicator in catalogue if indicator.trend]
    parts = [
        _annual_births(inputs.births, inputs.population, inputs.membership),
        _annual_mortality(inputs.deaths, inputs.population, inputs.membership),
    ]
    series = pd.concat(parts, ignore_index=True)
    series = series[series["indicator_id"].isin(wanted)]
    order = {indicator_id: i for i, indicator_id in enumerate(wanted)}
    areas = list(dict.fromkeys(inputs.membership["area_id"].astype(str)))
    area_order = {area: i for i, area in enumerate(areas)}
    series = series.assign(
        _i=series["indicator_id"].map(order), _a=series["area_id"].map(area_order)
    ).sort_values(["_i", "_a", "year"], kind="stable")
    return series.drop(columns=["_i", "_a"]).reset_index(drop=True)


def recent_trends(
    series: pd.DataFrame, catalogue: Catalogue, area_ids: Sequence[str]
) -> pd.DataFrame:
    """The Fingertips recent-trend label of every area × indicator of the catalogue.

    ``series``: :func:`annual_series`. One call of :func:`ina.stats.recent_trend` for all
    series, with each indicator's polarity and method: the chi-squared test for trend on
    the counts and denominators of proportions, weighted regression on the 95% limits for
    crude rates and DSRs. Indicators without annual data get "Cannot be calculated" with
    ``trend_note`` :data:`NO_ANNUAL_DATA`. Returns ``area_id, indicator_id, trend,
    trend_note, trend_method, chi_squared, slope, points, first_period, last_period`` in
    catalogue order, areas in ``area_ids`` order.
    """
    info = {indicator.id: indicator for indicator in catalogue}
    unknown = sorted(set(series["indicator_id"]) - set(info))
    if unknown:
        raise StatisticsError(f"recent_trends: indicator(s) {unknown} are not in the catalogue")
    parts = []
    if not series.empty:
        frame = series.assign(
            polarity=series["indicator_id"].map({k: i.polarity.value for k, i in info.items()}),
            trend_method=series["indicator_id"].map(
                {
                    k: (
                        TrendMethod.CHI_SQUARED.value
                        if i.method == "proportion_wilson"
                        else TrendMethod.WEIGHTED_REGRESSION.value
                    )
                    for k, i in info.items()
                }
            ),
        )
        parts.append(
            recent_trend(
                frame,
                "year",
                "polarity",
                method="trend_method",
                value="value",
                lower="lower",
                upper="upper",
                count="numerator",
                denominator="denominator",
                group_by=["indicator_id", "area_id"],
            )
        )
    computed = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    grid = pd.MultiIndex.from_product(
        [catalogue.ids, [str(area) for area in area_ids]], names=["indicator_id", "area_id"]
    ).to_frame(index=False)
    if computed.empty:
        out = grid.assign(trend=CANNOT, trend_note=NO_ANNUAL_DATA)
    else:
        computed = computed.astype({"indicator_id": str, "area_id": str})
        out = grid.merge(computed, on=["indicator_id", "area_id"], how="left")
        missing = out["trend"].isna()
        out["trend"] = out["trend"].astype(object).where(~missing, CANNOT)
        out["trend_note"] = out["trend_note"].astype(object).where(~missing, NO_ANNUAL_DATA)
    columns = [
        "area_id",
        "indicator_id",
        "trend",
        "trend_note",
        "trend_method",
        "chi_squared",
        "slope",
        "points",
        "first_period",
        "last_period",
    ]
    for column in columns:
        if column not in out:
            out[column] = np.nan
    return out[columns].astype({"trend": "string", "trend_note": "string"})


def trend_table(series: pd.DataFrame, trends: pd.DataFrame) -> pd.DataFrame:
    """The yearly values behind each trend, with the trend label, for the CSV artefact.

    One row per area × indicator × year (``annual_series`` columns) plus ``trend`` and
    ``trend_note``; save it with ``numerator, denominator`` as count columns so the
    small-number rule hides small yearly counts and the values derived from them.
    """
    labels = trends[["area_id", "indicator_id", "trend", "trend_note"]]
    return series.merge(labels, on=["area_id", "indicator_id"], how="left", validate="m:1")


def red_reds(
    compared: pd.DataFrame, trends: pd.DataFrame, catalogue: Catalogue, *, area_id: str
) -> list[str]:
    """Ids of the area's Fingertips "red-reds": worse than the comparator AND getting worse.

    "Worse" is :func:`benchmark`'s significance label (95% CI vs the ICB for a place,
    England for the ICB); "getting worse" is a significant recent trend in the bad
    direction ("Increasing and getting worse" or "Decreasing and getting worse").
    Suppressed rows are never red-red (their comparison is not shown). Catalogue order.
    """
    rows = compared[compared["area_id"] == area_id]
    if "suppressed" in rows:
        rows = rows[~rows["suppressed"].astype(bool)]
    worse = set(rows.loc[rows["comparison"].isin(_WORSE_THAN_COMPARATOR), "indicator_id"])
    own = trends[trends["area_id"] == area_id]
    worsening = set(own.loc[own["trend"].isin(_GETTING_WORSE), "indicator_id"])
    return [i for i in catalogue.ids if i in worse and i in worsening]


def red_red_message(
    compared: pd.DataFrame,
    trends: pd.DataFrame,
    catalogue: Catalogue,
    *,
    area_id: str,
    comparator_name: str,
) -> str:
    """The key-message sentence naming the area's red-reds (or saying there are none)."""
    found = red_reds(compared, trends, catalogue, area_id=area_id)
    if not found:
        return f"No indicator is both worse than {comparator_name} and getting worse."
    names = [catalogue[i].phrase for i in found]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    verb = "is" if len(names) == 1 else "are"
    return (
        f"{listed[0].upper()}{listed[1:]} {verb} significantly worse than {comparator_name} "
        "and getting worse (Fingertips recent trend)."
    )


# --- benchmarking and peers ------------------------------------------------------------------


def benchmark(
    results: pd.DataFrame, catalogue: Catalogue, place_ids: Sequence[str]
) -> pd.DataFrame:
    """Compare each place with the ICB and the ICB with England (Fingertips method).

    Adds ``comparator_id``, ``comparator_value``, ``england_value``, ``icb_value`` and the
    ``comparison`` label and colour from :func:`ina.stats.compare_with_benchmark` with each
    indicator's polarity. England rows are dropped (they are the benchmark).
    """
    values = results.set_index(["indicator_id", "area_id"])["value"]
    frame = results[results["area_id"] != ENGLAND_ID].copy()
    frame["comparator_id"] = np.where(frame["area_id"] == ICB_ID, ENGLAND_ID, ICB_ID)
    frame["comparator_value"] = _lookup(values, frame["indicator_id"], frame["comparator_id"])
    frame["icb_value"] = _lookup(values, frame["indicator_id"], ICB_ID)
    frame["england_value"] = _lookup(values, frame["indicator_id"], ENGLAND_ID)
    frame["polarity"] = frame["indicator_id"].map(
        {indicator.id: indicator.polarity.value for indicator in catalogue}
    )
    unknown = set(place_ids) - set(frame["area_id"])
    if unknown:
        raise StatisticsError(f"summary: no results for place(s) {sorted(unknown)}")
    compared = compare_with_benchmark(
        frame, "value", "lower", "upper", "comparator_value", "polarity"
    )
    return compared.reset_index(drop=True)


def _lookup(values: pd.Series, indicators: pd.Series, areas: object) -> np.ndarray:
    area_values = (
        areas if isinstance(areas, pd.Series) else pd.Series(areas, index=indicators.index)
    )
    index = pd.MultiIndex.from_arrays([indicators.to_numpy(), area_values.to_numpy()])
    return values.reindex(index).to_numpy(dtype=float)


def peer_ranges(results: pd.DataFrame, place_ids: Sequence[str]) -> pd.DataFrame:
    """Lowest, highest and each place's rank (1 = highest value) among the places.

    Returns ``indicator_id, area_id, peer_min, peer_max, peer_rank, peer_count`` for every
    place; the ICB gets the range with no rank.
    """
    places = results[results["area_id"].isin(list(place_ids)) & results["value"].notna()].copy()
    grouped = places.groupby("indicator_id", sort=False)["value"]
    places["peer_rank"] = grouped.rank(method="min", ascending=False)
    summary = pd.DataFrame(
        {"peer_min": grouped.min(), "peer_max": grouped.max(), "peer_count": grouped.size()}
    )
    icb = summary.reset_index().assign(area_id=ICB_ID, peer_rank=np.nan)
    ranked = places[["indicator_id", "area_id", "peer_rank"]].join(summary, on="indicator_id")
    columns = ["indicator_id", "area_id", "peer_min", "peer_max", "peer_rank", "peer_count"]
    return pd.concat([ranked[columns], icb[columns]], ignore_index=True)


# --- what the chapter shows ------------------------------------------------------------------


def _with_interval(indicator: Indicator, value: float, lower: float, upper: float) -> str:
    if not np.isfinite(value):
        return NOT_AVAILABLE
    text = indicator.format(value)
    if np.isfinite(lower) and np.isfinite(upper) and indicator.has_interval:
        text += f" ({indicator.format(lower)}–{indicator.format(upper)})"
    return text


def _plain(indicator: Indicator, value: float) -> str:
    return indicator.format(value) if np.isfinite(value) else NOT_AVAILABLE


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def summary_table(
    compared: pd.DataFrame,
    peers: pd.DataFrame,
    catalogue: Catalogue,
    *,
    area_id: str,
    sections: Sequence[str] | None = None,
    marker: str = CONFIDENTIAL,
    trends: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The At a glance table of one area, text cells ready to publish (≤ 7 columns).

    Columns: ``indicator, period, value`` (with 95% CI), ``icb`` (places only),
    ``england``, ``comparison`` (word and symbol, vs the ICB for a place and vs England
    for the ICB), ``trend`` (with ``trends`` from :func:`recent_trends`: the short
    :data:`TREND_WORDS`) and ``peers`` (range of the places, and the place's rank,
    1 = highest). A boolean ``suppressed`` column in ``compared`` marks rows whose value
    derives from a count hidden by the small-number rule (:func:`suppressed_rows`); they
    show ``marker`` and are not compared.

    An A4 portrait page holds 7 columns: when the trend column would make 8, ``period``
    moves to the caption (``table.attrs["period"]``) if every row has the same period,
    else :class:`~ina.errors.StatisticsError` (the table would not fit).
    """
    rows = compared[compared["area_id"] == area_id]
    if rows.empty:
        raise StatisticsError(f"summary_table: no results for area {area_id!r}")
    wanted = [i for i in catalogue if sections is None or i.section in sections]
    by_indicator = rows.set_index("indicator_id")
    peer_rows = peers[peers["area_id"] == area_id].set_index("indicator_id")
    # A place's table shows the ICB's value too: [c] where the ICB's own row is hidden.
    icb_rows = compared[compared["area_id"] == ICB_ID]
    icb_suppressed = (
        set(icb_rows.loc[icb_rows["suppressed"].astype(bool), "indicator_id"].astype(str))
        if "suppressed" in icb_rows
        else set()
    )
    trend_labels: dict[str, str] = {}
    if trends is not None:
        own = trends[trends["area_id"] == area_id]
        trend_labels = dict(
            zip(own["indicator_id"].astype(str), own["trend"].astype(str), strict=True)
        )
    records = []
    for indicator in wanted:
        if indicator.id not in by_indicator.index:
            continue
        row = by_indicator.loc[indicator.id]
        hidden = bool(row.get("suppressed", False))
        value = (
            marker
            if hidden
            else _with_interval(indicator, row["value"], row["lower"], row["upper"])
        )
        label = NOT_COMPARED if hidden else str(row["comparison"])
        style = benchmark_style(label)
        peer_text = "–"
        if indicator.id in peer_rows.index:
            peer = peer_rows.loc[indicator.id]
            peer_text = f"{indicator.format(peer['peer_min'])}–{indicator.format(peer['peer_max'])}"
            if np.isfinite(peer["peer_rank"]):
                peer_text += f" ({_ordinal(int(peer['peer_rank']))} of {int(peer['peer_count'])})"
        record = {
            "indicator": indicator.short_name,
            "period": str(row["period"]),
            "value": value,
        }
        if area_id != ICB_ID:
            icb_hidden = indicator.id in icb_suppressed
            record["icb"] = marker if icb_hidden else _plain(indicator, row["icb_value"])
        record["england"] = _plain(indicator, row["england_value"])
        record["comparison"] = f"{style.symbol} {label}"
        if trends is not None:
            record["trend"] = TREND_WORDS[trend_labels.get(indicator.id, CANNOT)]
        record["peers"] = peer_text
        records.append(record)
    table = pd.DataFrame.from_records(records)
    if len(table.columns) > MAX_TABLE_COLUMNS:
        periods = table["period"].unique() if len(table) else []
        if len(periods) != 1:
            raise StatisticsError(
                f"summary_table: {len(table.columns)} columns do not fit an A4 page "
                f"(at most {MAX_TABLE_COLUMNS}) and the rows have different periods"
            )
        table = table.drop(columns="period")
        table.attrs["period"] = str(periods[0])
    return table


def published_results(results: pd.DataFrame, mask: pd.DataFrame) -> pd.DataFrame:
    """``results`` as published: where ``mask`` (the ``sum-indicators`` publication mask,
    same row order) hides a value, the value and its interval are missing and
    ``suppressed`` is True.

    Everything the chapter shows after the CSV (the tables' values, the ICB column of a
    place's table, the places' range and ranks, the spine chart, the key messages) is
    computed from this, so none of it can show or rank a value the CSV hides.
    """
    hidden = mask["value"].to_numpy(dtype=bool)
    out = results.copy()
    for column in ("value", "lower", "upper"):
        out[column] = out[column].astype(float).where(~hidden, np.nan)
    out["suppressed"] = hidden
    return out


def suppressed_rows(compared: pd.DataFrame, rule: RuleLike) -> pd.Series:
    """True where a value derives from a count the small-number rule hides.

    Uses :func:`ina.publishing.suppression_mask` on the numerator and denominator (counts
    of people or events), so the table and the CSV artefact hide the same rows.
    """
    counts = compared[["numerator", "denominator", "value"]]
    mask = suppression_mask(counts, ["numerator", "denominator"], rule, ["value"])
    return mask["value"].rename("suppressed")


def definitions_table(catalogue: Catalogue) -> pd.DataFrame:
    """One row per indicator: its name and polarity, then definition, method and sources.

    Two columns, so the definition gets half the page width when a renderer gives every
    column the same width.
    """
    return pd.DataFrame(
        {
            "indicator": [f"{i.short_name} ({i.polarity.value})" for i in catalogue],
            "definition": [
                f"{i.definition} Period: {i.period}. Unit: {i.unit}. Method: {i.method_text}. "
                f"Sources: {', '.join(i.sources)}."
                for i in catalogue
            ],
        }
    )


_DIFFERENCE_UNITS = {"%": "percentage points", "% change": "percentage points"}
_SIGNIFICANCE = {
    label: "significantly " + label.replace("best", "better").replace("worst", "worse")
    for label in ("worst", "worse", "best", "better", "higher", "lower")
}
_ORDER = {"worst": 0, "worse": 1, "best": 2, "better": 3, "higher": 4, "lower": 5}


def key_messages(
    compared: pd.DataFrame,
    peers: pd.DataFrame,
    catalogue: Catalogue,
    *,
    area_id: str,
    area_name: str,
    comparator_name: str,
    place_names: dict[str, str],
    limit: int = 6,
) -> list[str]:
    """Sentences computed from the table: size and age, then significant differences.

    Significant differences come worse first, then better, then higher/lower (the
    Fingertips reading order), each as "<phrase> is <value> <unit>, <difference>
    <higher|lower> than <comparator> (significantly worse)". For the ICB, the spread of
    male life expectancy between places follows when available.
    """
    rows = compared[compared["area_id"] == area_id].set_index("indicator_id")
    sentences: list[str] = []
    if "resident_population" in rows.index:
        residents = rows.loc["resident_population", "value"]
        text = f"{area_name} has {residents:,.0f} residents"
        if "percent_65_plus" in rows.index:
            older = rows.loc["percent_65_plus"]
            text += f"; {older['value']:.1f}% are aged 65 and over"
            if np.isfinite(older["comparator_value"]):
                text += f" ({comparator_name} {older['comparator_value']:.1f}%)"
        sentences.append(text + ".")
    significant = rows[rows["comparison"].isin(list(_ORDER))]
    significant = significant.assign(_order=significant["comparison"].map(_ORDER))
    significant = significant.sort_values("_order", kind="stable")
    for indicator_id, row in significant.iterrows():
        if len(sentences) >= limit:
            break
        indicator = catalogue[str(indicator_id)]
        difference = row["value"] - row["comparator_value"]
        unit = _DIFFERENCE_UNITS.get(indicator.unit, indicator.unit)
        direction = "higher" if difference > 0 else "lower"
        label = _SIGNIFICANCE[str(row["comparison"])]
        value_unit = "%" if indicator.unit == "%" else f" {indicator.unit}"
        sentences.append(
            f"{indicator.phrase[0].upper()}{indicator.phrase[1:]} is "
            f"{indicator.format(row['value'])}{value_unit}, "
            f"{abs(difference):,.{indicator.decimals}f} {unit} {direction} than "
            f"{comparator_name} ({label})."
        )
    if area_id == ICB_ID and "life_expectancy_male" in set(peers["indicator_id"]):
        places = compared[
            (compared["indicator_id"] == "life_expectancy_male")
            & compared["area_id"].isin(list(place_names))
            & compared["value"].notna()
        ]
        if len(places) > 1:
            high = places.loc[places["value"].idxmax()]
            low = places.loc[places["value"].idxmin()]
            sentences.append(
                f"Male life expectancy ranges from {low['value']:.1f} years in "
                f"{place_names[low['area_id']]} to {high['value']:.1f} years in "
                f"{place_names[high['area_id']]}."
            )
    return sentences


def spine_input(
    compared: pd.DataFrame,
    results: pd.DataFrame,
    catalogue: Catalogue,
    *,
    area_id: str,
    place_ids: Sequence[str],
) -> pd.DataFrame:
    """Long data for :func:`ina.stats.spine_chart_data`: the places and the area.

    One row per indicator with an interval method × area (the places as the range, plus
    the ICB), with ``benchmark`` the centre: the ICB for a place; England for the ICB
    where the extracts hold it, else the ICB itself (then the ICB's marker is "not
    compared"). ``peer`` marks the places; ``comparison`` is the area's label.
    """
    charted = [i.id for i in catalogue if i.method != "count"]
    frame = results[results["indicator_id"].isin(charted) & (results["area_id"] != ENGLAND_ID)]
    frame = frame.copy()
    values = results.set_index(["indicator_id", "area_id"])["value"]
    icb = _lookup(values, frame["indicator_id"], ICB_ID)
    if area_id == ICB_ID:
        england = _lookup(values, frame["indicator_id"], ENGLAND_ID)
        frame["benchmark"] = np.where(np.isfinite(england), england, icb)
        frame["benchmark_name"] = np.where(np.isfinite(england), "England", "ICB")
    else:
        frame["benchmark"] = icb
        frame["benchmark_name"] = "ICB"
    frame["peer"] = frame["area_id"].isin(list(place_ids))
    frame["polarity"] = frame["indicator_id"].map({i.id: i.polarity.value for i in catalogue})
    frame["indicator"] = frame["indicator_id"].map({i.id: i.short_name for i in catalogue})
    labels = compared[compared["area_id"] == area_id].set_index("indicator_id")["comparison"]
    frame["comparison"] = (
        frame["indicator_id"].map(labels).astype(object).where(frame["area_id"] == area_id, None)
    )
    return frame.reset_index(drop=True)


def table_sections() -> dict[str, list[str]]:
    """The two tables of the chapter: population and place; births, life and death."""
    return {
        SECTIONS["population"]: ["population"],
        "Births, life expectancy and mortality": ["start_well", "life_and_death"],
    }


def spine_rows(
    positions: pd.DataFrame,
    long: pd.DataFrame,
    compared: pd.DataFrame,
    catalogue: Catalogue,
    *,
    area_id: str,
) -> pd.DataFrame:
    """:func:`ina.stats.spine_chart_data` output of one area, ready to draw.

    Adds the indicator's short name (``indicator``), the area's comparison label from
    :func:`benchmark` (the spine's own would compare the ICB with itself where England
    is missing), ``value_text`` (the value with the indicator's decimals and unit),
    ``numerator`` (for suppression) and ``benchmark_name``; rows whose value is
    suppressed lose their value and marker.
    """
    rows = positions[positions["area_id"] == area_id].reset_index(drop=True)
    own = compared[compared["area_id"] == area_id].set_index("indicator_id")
    info = {indicator.id: indicator for indicator in catalogue}
    ids = rows["indicator_id"].astype(str)
    hidden = (
        ids.map(own["suppressed"]).fillna(False).astype(bool)
        if "suppressed" in own
        else (pd.Series(False, index=rows.index))
    )
    rows["indicator"] = ids.map(lambda i: info[i].short_name)
    rows["comparison"] = ids.map(own["comparison"]).where(~hidden, NOT_COMPARED)
    rows["numerator"] = ids.map(own["numerator"]).to_numpy(dtype=float)
    names = long[long["area_id"] == area_id].set_index("indicator_id")["benchmark_name"]
    rows["benchmark_name"] = ids.map(names)
    rows.loc[hidden, ["value", "value_x"]] = np.nan
    rows["suppressed"] = hidden.to_numpy(dtype=bool)
    rows["value_text"] = [
        CONFIDENTIAL if h else (info[i].format(v) if np.isfinite(v) else "–")
        for i, v, h in zip(ids, rows["value"].to_numpy(dtype=float), hidden, strict=True)
    ]
    return rows


def spine_centre_name(long: pd.DataFrame, *, icb_name: str) -> str:
    """Name of the spine's centre line: England, the ICB, or both where England is partial."""
    names = set(long["benchmark_name"])
    if names == {"England"}:
        return "England"
    if names == {"ICB"}:
        return icb_name
    return "England (else ICB)"
