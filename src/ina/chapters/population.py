"""Population chapter: who lives in the area, how that is changing and what it means for demand.

Every function is pure: it takes tidy frames (``docs/data-contract.md``) already restricted
to the area by the caller (:mod:`ina.chapters.context`) and returns a tidy frame, so each
can be tested on a hand-made frame with a known answer. The notebook
``notebooks/population.ipynb`` only wires them to the sources, charts and publishing.

Methods and their sources:

* pyramid: five-year bands by sex as a percentage of the area's total, against a
  comparator (England from ONS MYE2 for the ICB; the ICB for a place) — the layout of the
  ONS population pyramids;
* median age: interpolated within the single year of age where the cumulative population
  reaches half (the ONS method for median age from single-year estimates);
* births and deaths: registrations by calendar year of registration (as ONS annual
  releases), crude rates per 1,000 with Poisson limits, and the all-cause mortality rate
  directly standardised to the 2013 European Standard Population per 100,000 with Dobson
  limits (:mod:`ina.stats.dsr`);
* projections: ONS subnational (district) projections apportioned to the area by the
  area's share of each district's current population in each single year of age and sex
  (places can contain part of a district: the Waveney part of East Suffolk);
* demand: the JFP method (section 3.2): today's age- and sex-specific rates applied to the
  projected population, "if nothing changes and current rates apply".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ina.chapters._ages import BROAD_AGE_GROUPS, FIVE_YEAR_BANDS, broad_age_group, five_year_band
from ina.chapters._rates import standardised_rate_by_group
from ina.errors import StatisticsError
from ina.stats.rates import crude_rate

__all__ = [
    "DAYS_PER_YEAR",
    "apportion_projections",
    "births_and_deaths",
    "deaths_by_band",
    "demand_events",
    "demand_projection",
    "demand_table",
    "findings_age",
    "findings_births_deaths",
    "findings_demand",
    "findings_projections",
    "findings_registered",
    "median_age",
    "mortality_rate_by_year",
    "population_by_place",
    "projections",
    "projections_table",
    "registered_by_age_group",
    "registered_vs_resident",
    "resident_pyramid",
]

#: Average days in a year, so "per day" figures do not depend on leap years.
DAYS_PER_YEAR = 365.25


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise StatisticsError(
            f"{what}: missing column(s) {missing}; the frame has {list(frame.columns)}"
        )


def _by_sex_band(population: pd.DataFrame, value: str = "population") -> pd.DataFrame:
    """Sum single-year counts into sex × five-year band, every band present (0 if none)."""
    _require(population, ["sex", "age", value], "population by band")
    banded = population.assign(age_band=five_year_band(population["age"]))
    table = banded.pivot_table(
        index="sex", columns="age_band", values=value, aggfunc="sum", observed=False
    )
    table = table.reindex(index=["female", "male"], columns=list(FIVE_YEAR_BANDS)).fillna(0)
    result = table.stack().rename(value).reset_index()
    result["age_band"] = pd.Categorical(result["age_band"], list(FIVE_YEAR_BANDS), ordered=True)
    return result


def resident_pyramid(
    area_population: pd.DataFrame,
    comparator_population: pd.DataFrame,
    *,
    area_name: str,
    comparator_name: str,
) -> pd.DataFrame:
    """Return the population pyramid of the area and its comparator.

    Columns ``area, sex, age_band, population, percent``: ``percent`` is the share of the
    area's total population (both sexes, all ages) in that sex and band, so each area's
    percentages sum to 100 and the two pyramids compare age *structure*, not size.
    """
    frames = []
    for name, population in (
        (area_name, area_population),
        (comparator_name, comparator_population),
    ):
        banded = _by_sex_band(population)
        total = banded["population"].sum()
        if total <= 0:
            raise StatisticsError(f"resident_pyramid: {name} has no population")
        banded["percent"] = banded["population"] / total * 100
        frames.append(banded.assign(area=name))
    result = pd.concat(frames, ignore_index=True)
    return result[["area", "sex", "age_band", "population", "percent"]]


def median_age(population: pd.DataFrame, group_by: str | None = None) -> pd.Series:
    """Median age from single-year counts, interpolated within the median year of age.

    ONS method: the median lies in the first age ``a`` where the cumulative population
    reaches half the total; it is ``a + (N/2 - cumulative before a) / population at a``.
    Returns one value per group (or a one-element Series when ``group_by`` is None).
    """
    _require(population, ["age", "population"], "median_age")
    frame = population.assign(_group=population[group_by] if group_by else "all")
    ages = frame.groupby(["_group", "age"], sort=True, observed=True)["population"].sum()
    ages = ages.reset_index()
    ages["cumulative"] = ages.groupby("_group")["population"].cumsum()
    half = ages.groupby("_group")["population"].transform("sum") / 2
    reached = ages[ages["cumulative"] >= half].groupby("_group").head(1)
    before = reached["cumulative"] - reached["population"]
    median = reached["age"] + (half[reached.index] - before) / reached["population"]
    return pd.Series(median.to_numpy(), index=reached["_group"].to_numpy(), name="median_age")


def _distinct_from(labels: pd.Series, total_name: str, group_column: str) -> pd.Series:
    """Rename a part called like the whole area (place West Suffolk, district West Suffolk).

    Rows are found by name in tables and key findings, so a part must never share the
    area's name: it becomes "West Suffolk district" (or "<name> (part)").
    """
    suffix = " district" if group_column == "district_name" else " (part)"
    labels = labels.astype(str)
    return labels.where(labels != total_name, total_name + suffix)


def _profile(population: pd.DataFrame, group_column: str) -> pd.DataFrame:
    totals = population.groupby(group_column, sort=False, observed=True)["population"].sum()
    older = population[population["age"] >= 65].groupby(group_column, observed=True)["population"]
    oldest = population[population["age"] >= 85].groupby(group_column, observed=True)["population"]
    result = pd.DataFrame({"name": totals.index.astype(str), "residents": totals.to_numpy()})
    result["percent_65_plus"] = (
        older.sum().reindex(totals.index, fill_value=0).to_numpy() / totals.to_numpy() * 100
    )
    result["percent_85_plus"] = (
        oldest.sum().reindex(totals.index, fill_value=0).to_numpy() / totals.to_numpy() * 100
    )
    result["median_age"] = median_age(population, group_column).reindex(totals.index).to_numpy()
    return result


def population_by_place(
    population: pd.DataFrame,
    small_areas: pd.DataFrame,
    *,
    group_column: str,
    total_name: str,
    comparators: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Residents of each part of the area, with their age profile, then the area total.

    ``population`` (``lsoa_code, sex, age, population``) is joined to ``small_areas``
    (``lsoa_code`` and ``group_column``: ``place_name`` to compare the places of the ICB,
    ``district_name`` to show the parts of a place). Rows: one per group in order of
    size (omitted when there is only one), then ``total_name`` (the whole area), then each
    comparator (name → population
    frame, e.g. the ICB for a place). Columns ``name, residents, percent_of_area,
    percent_65_plus, percent_85_plus, median_age``; ``percent_of_area`` is blank for
    comparators.
    """
    _require(population, ["lsoa_code", "sex", "age", "population"], "population_by_place")
    _require(small_areas, ["lsoa_code", group_column], "population_by_place")
    joined = population.merge(
        small_areas[["lsoa_code", group_column]], on="lsoa_code", how="inner", validate="m:1"
    )
    if joined.empty:
        raise StatisticsError("population_by_place: no small area of the population is in the area")
    joined[group_column] = joined[group_column].fillna("Not in a place")
    joined[group_column] = _distinct_from(joined[group_column], total_name, group_column)
    parts = _profile(joined, group_column).sort_values(
        ["residents", "name"], ascending=[False, True], kind="stable"
    )
    total = _profile(joined.assign(_all=total_name), "_all")
    area_total = total["residents"].iloc[0]
    parts["percent_of_area"] = parts["residents"] / area_total * 100
    total["percent_of_area"] = 100.0
    # An area with a single part (a place of one whole district) shows only its total.
    rows = [parts, total] if len(parts) > 1 else [total]
    for name, frame in (comparators or {}).items():
        rows.append(_profile(frame.assign(_all=name), "_all").assign(percent_of_area=np.nan))
    result = pd.concat(rows, ignore_index=True)
    return result[
        ["name", "residents", "percent_of_area", "percent_65_plus", "percent_85_plus", "median_age"]
    ]


def registered_by_age_group(registered: pd.DataFrame) -> pd.DataFrame:
    """Registered patients by broad age group and sex, with an "All ages" row.

    ``registered``: ``sex, age, population`` (single years, 95 = 95+). Columns
    ``age_group, female, male, registered`` (counts); used where residents by age are not
    supplied and the registration extract shows the age structure instead.
    """
    _require(registered, ["sex", "age", "population"], "registered_by_age_group")
    table = registered.assign(age_group=broad_age_group(registered["age"])).pivot_table(
        index="age_group", columns="sex", values="population", aggfunc="sum", observed=False
    )
    table = table.reindex(index=list(BROAD_AGE_GROUPS), columns=["female", "male"]).fillna(0)
    table.loc["All ages"] = table.sum()
    result = table.astype("int64").reset_index().rename(columns={"index": "age_group"})
    result.columns.name = None
    result["registered"] = result["female"] + result["male"]
    return result[["age_group", "female", "male", "registered"]]


def registered_vs_resident(registered: pd.DataFrame, resident: pd.DataFrame) -> pd.DataFrame:
    """Registered patients of the area's practices against the area's residents, by age.

    ``registered``: ``sex, age, patients`` (NHS Digital, top age 95+); ``resident``:
    ``sex, age, population`` (ONS, top age 90+). Both are banded into the broad groups
    (``0-15``, ``16-64``, ``65-74``, ``75+``), which the different open top ages do not
    affect. Columns ``age_group, registered, resident, difference, ratio`` (registered
    per 100 residents) with an ``All ages`` row last. A ratio above 100 is the usual
    "list inflation" (people who moved away, or live across the boundary).
    """
    _require(registered, ["age", "patients"], "registered_vs_resident")
    _require(resident, ["age", "population"], "registered_vs_resident")
    groups = list(BROAD_AGE_GROUPS)
    registered_by_group = (
        registered.groupby(broad_age_group(registered["age"]), observed=False)["patients"]
        .sum()
        .reindex(groups, fill_value=0)
    )
    resident_by_group = (
        resident.groupby(broad_age_group(resident["age"]), observed=False)["population"]
        .sum()
        .reindex(groups, fill_value=0)
    )
    result = pd.DataFrame(
        {
            "age_group": [*groups, "All ages"],
            "registered": [*registered_by_group.to_numpy(), registered_by_group.sum()],
            "resident": [*resident_by_group.to_numpy(), resident_by_group.sum()],
        }
    )
    if (result["resident"] <= 0).any():
        raise StatisticsError("registered_vs_resident: an age group has no residents")
    result["difference"] = result["registered"] - result["resident"]
    result["ratio"] = result["registered"] / result["resident"] * 100
    return result


def _year_of(dates: pd.Series, what: str) -> pd.Series:
    years = pd.to_datetime(dates, errors="coerce").dt.year
    if years.isna().any():
        raise StatisticsError(f"{what}: registration dates must all be valid dates")
    return years.astype(int)


def births_and_deaths(
    births: pd.DataFrame,
    deaths: pd.DataFrame,
    population: pd.DataFrame,
    *,
    standard_rate: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Births, deaths and their rates by calendar year of registration.

    ``births`` and ``deaths`` are the record-level tidy frames restricted to the area
    (``registration_date``; deaths also ``sex``, ``age``); ``population`` is the area's
    resident population (``sex, age, population``), the denominator for every year (the
    one estimate year loaded; stated in the chapter). ``standard_rate`` is the output of
    :func:`mortality_rate_by_year` (``year, dsr, dsr_lower, dsr_upper``) when available.
    Columns: ``year, births, deaths, population`` (the denominator), ``birth_rate,
    death_rate`` (crude, per 1,000) and, when given, ``dsr, dsr_lower, dsr_upper``.
    """
    _require(births, ["registration_date"], "births_and_deaths (births)")
    _require(deaths, ["registration_date"], "births_and_deaths (deaths)")
    _require(population, ["population"], "births_and_deaths (population)")
    denominator = float(population["population"].sum())
    if denominator <= 0:
        raise StatisticsError("births_and_deaths: the area has no population")
    birth_years = _year_of(births["registration_date"], "births").value_counts()
    death_years = _year_of(deaths["registration_date"], "deaths").value_counts()
    years = sorted(set(birth_years.index) | set(death_years.index))
    result = pd.DataFrame({"year": years})
    result["births"] = birth_years.reindex(years, fill_value=0).to_numpy()
    result["deaths"] = death_years.reindex(years, fill_value=0).to_numpy()
    result["population"] = denominator
    result["birth_rate"] = crude_rate(result, "births", "population", multiplier=1000)["value"]
    result["death_rate"] = crude_rate(result, "deaths", "population", multiplier=1000)["value"]
    if standard_rate is not None:
        result = result.merge(
            standard_rate[["year", "dsr", "dsr_lower", "dsr_upper"]], on="year", how="left"
        )
    return result


def mortality_rate_by_year(deaths: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """All-cause mortality per 100,000, directly standardised to ESP2013, by year.

    ``deaths``: record-level (``registration_date, age``) for the area; ``population``:
    ``age, population`` (the same denominator every year). Dobson 95% limits; fewer than
    10 deaths in a year give a missing rate (Fingertips rule). Returns ``year, deaths,
    dsr, dsr_lower, dsr_upper``.
    """
    _require(deaths, ["registration_date", "age"], "mortality_rate_by_year")
    events = deaths.assign(year=_year_of(deaths["registration_date"], "deaths"))
    rates = standardised_rate_by_group(events, population, "year")
    return rates.rename(columns={"events": "deaths"})


def deaths_by_band(deaths: pd.DataFrame, *, by_year: bool = False) -> pd.DataFrame:
    """Count deaths by sex and five-year age band (and year of registration if asked).

    Returns ``[year,] sex, age_band, count`` with every sex × band present (0 if none), the
    shape both standardisation and the demand projection need.
    """
    _require(deaths, ["registration_date", "sex", "age"], "deaths_by_band")
    frame = deaths.assign(age_band=five_year_band(deaths["age"]), count=1)
    keys = ["sex", "age_band"]
    if by_year:
        frame["year"] = _year_of(deaths["registration_date"], "deaths")
        keys = ["year", *keys]
    counts = frame.groupby(keys, observed=False)["count"].sum()
    levels = [["female", "male"], list(FIVE_YEAR_BANDS)]
    if by_year:
        levels = [sorted(frame["year"].unique()), *levels]
    full = pd.MultiIndex.from_product(levels, names=keys)
    result = counts.reindex(full, fill_value=0).reset_index()
    result["age_band"] = pd.Categorical(result["age_band"], list(FIVE_YEAR_BANDS), ordered=True)
    return result


def apportion_projections(
    projections: pd.DataFrame,
    population: pd.DataFrame,
    small_areas: pd.DataFrame,
    area_lsoa_codes: Sequence[str] | pd.Index,
) -> pd.DataFrame:
    """Project the area's population from district projections, by age, sex and year.

    Method: the area's share of district ``d`` in sex ``s`` and single year of age ``a`` is
    ``P(area ∩ d, s, a) / P(d, s, a)`` from the small-area estimates; the area's projection
    is ``Σ_d share(d, s, a) × projection(d, s, a, year)``. A place made of whole districts
    gets exactly their projections; a place holding 60% of a district's people of some age
    gets 60% of the district's projection for that age. Where a district has nobody of an
    age and sex in the estimates the district's all-age share is used.

    ``projections``: ``area_code, sex, age, year, population`` (ONS SNPP tidy);
    ``population``: ``lsoa_code, sex, age, population`` for every small area of the
    districts concerned; ``small_areas``: ``lsoa_code, district_code``.
    Returns ``sex, age, year, population``.
    """
    _require(projections, ["area_code", "sex", "age", "year", "population"], "projections")
    _require(population, ["lsoa_code", "sex", "age", "population"], "apportion_projections")
    _require(small_areas, ["lsoa_code", "district_code"], "apportion_projections")
    in_area = pd.Index(area_lsoa_codes)
    joined = population.merge(
        small_areas[["lsoa_code", "district_code"]], on="lsoa_code", how="inner", validate="m:1"
    )
    joined["in_area"] = joined["lsoa_code"].isin(in_area)
    districts = joined.loc[joined["in_area"], "district_code"].unique()
    if len(districts) == 0:
        raise StatisticsError("apportion_projections: the area has no small areas with population")
    joined = joined[joined["district_code"].isin(districts)]
    keys = ["district_code", "sex", "age"]
    whole = joined.groupby(keys, observed=True)["population"].sum()
    part = joined[joined["in_area"]].groupby(keys, observed=True)["population"].sum()
    share = (part.reindex(whole.index, fill_value=0) / whole.where(whole > 0)).rename("share")
    district_share = (
        joined[joined["in_area"]].groupby("district_code")["population"].sum()
        / joined.groupby("district_code")["population"].sum()
    )
    share = share.reset_index()
    share["share"] = share["share"].fillna(share["district_code"].map(district_share))

    missing = set(districts) - set(projections["area_code"])
    if missing:
        raise StatisticsError(
            f"apportion_projections: no projections for district(s) {sorted(missing)}"
        )
    projected = projections[projections["area_code"].isin(districts)].rename(
        columns={"area_code": "district_code"}
    )
    projected = projected.merge(share, on=keys, how="left")
    # Ages and sexes the estimates lack entirely take the district's overall share.
    projected["share"] = projected["share"].fillna(projected["district_code"].map(district_share))
    projected["population"] = projected["population"] * projected["share"]
    result = (
        projected.groupby(["sex", "age", "year"], observed=True)["population"].sum().reset_index()
    )
    return result.sort_values(["year", "sex", "age"], ignore_index=True)


def projections(projected: pd.DataFrame, *, base_year: int, years: Sequence[int]) -> pd.DataFrame:
    """Projected population by broad age group, with the change from ``base_year``.

    ``projected``: ``sex, age, year, population`` (from :func:`apportion_projections`).
    Columns ``age_group, year, population, change, percent_change``; groups ``0-15``,
    ``16-64``, ``65-74``, ``75+`` then ``All ages``; ``base_year`` first, then ``years``.
    """
    _require(projected, ["age", "year", "population"], "projections")
    wanted = [base_year, *[year for year in years if year != base_year]]
    absent = sorted(set(wanted) - set(projected["year"].unique()))
    if absent:
        raise StatisticsError(f"projections: the projections do not cover year(s) {absent}")
    frame = projected[projected["year"].isin(wanted)]
    frame = frame.assign(age_group=broad_age_group(frame["age"]).astype(str))
    table = frame.pivot_table(
        index="age_group", columns="year", values="population", aggfunc="sum"
    ).reindex(index=list(BROAD_AGE_GROUPS), columns=wanted, fill_value=0)
    table.loc["All ages"] = table.sum()
    result = table.stack().rename("population").reset_index()
    base = result["age_group"].map(table[base_year])
    result["change"] = result["population"] - base
    result["percent_change"] = result["change"] / base * 100
    order = {group: i for i, group in enumerate([*BROAD_AGE_GROUPS, "All ages"])}
    result = result.sort_values(
        ["age_group", "year"], key=lambda s: s.map(order) if s.name == "age_group" else s
    )
    return result.reset_index(drop=True)


def demand_projection(
    events: pd.DataFrame,
    population: pd.DataFrame,
    projected: pd.DataFrame,
    *,
    base_year: int,
    years: Sequence[int],
) -> pd.DataFrame:
    """Activity expected if today's age- and sex-specific rates apply to the future population.

    The Joint Forward Plan method (section 3.2: "if nothing changes and current rates
    apply to the increasing population"): the rate in each sex and five-year band is
    today's ``count / population``; the expected activity in a year is ``Σ rate ×
    projected population`` over sex and band. The change is measured between the
    expected activity in ``base_year`` and in each later year, so it reflects only the
    population's growth and ageing.

    ``events``: ``activity, sex, age_band, count`` (one year's counts, or an annual
    average); ``population``: ``sex, age, population`` (the rate denominator);
    ``projected``: ``sex, age, year, population``. Returns ``activity, year, expected,
    change, percent_change, change_per_month, change_per_day`` with ``base_year`` rows
    first per activity.
    """
    _require(events, ["activity", "sex", "age_band", "count"], "demand_projection (events)")
    _require(population, ["sex", "age", "population"], "demand_projection (population)")
    _require(projected, ["sex", "age", "year", "population"], "demand_projection (projected)")
    if (pd.to_numeric(events["count"]) < 0).any():
        raise StatisticsError("demand_projection: counts must be >= 0")
    wanted = [base_year, *[year for year in years if year != base_year]]
    absent = sorted(set(wanted) - set(projected["year"].unique()))
    if absent:
        raise StatisticsError(f"demand_projection: no projection for year(s) {absent}")
    denominators = _by_sex_band(population).set_index(["sex", "age_band"])["population"]
    counts = (
        events.assign(age_band=events["age_band"].astype(str))
        .groupby(["activity", "sex", "age_band"], observed=True)["count"]
        .sum()
        .reset_index()
    )
    counts["denominator"] = counts.set_index(["sex", "age_band"]).index.map(denominators)
    orphan = counts["denominator"].isna() | ((counts["denominator"] <= 0) & (counts["count"] > 0))
    if orphan.any():
        bad = counts[orphan].iloc[0]
        raise StatisticsError(
            f"demand_projection: {bad['activity']} has events for {bad['sex']} "
            f"{bad['age_band']} but no population to make a rate"
        )
    counts["rate"] = np.where(counts["denominator"] > 0, counts["count"] / counts["denominator"], 0)

    future = projected[projected["year"].isin(wanted)]
    future = future.assign(age_band=five_year_band(future["age"]).astype(str))
    future = future.groupby(["year", "sex", "age_band"], observed=True)["population"].sum()
    future = future.reset_index()
    expected = counts.merge(future, on=["sex", "age_band"], how="inner")
    expected["expected"] = expected["rate"] * expected["population"]
    result = expected.groupby(["activity", "year"], sort=False)["expected"].sum().reset_index()
    base = result[result["year"] == base_year].set_index("activity")["expected"]
    result["change"] = result["expected"] - result["activity"].map(base)
    result["percent_change"] = result["change"] / result["activity"].map(base) * 100
    result["change_per_month"] = result["change"] / 12
    result["change_per_day"] = result["change"] / DAYS_PER_YEAR
    activity_order = {name: i for i, name in enumerate(dict.fromkeys(events["activity"]))}
    result = result.sort_values(
        ["activity", "year"], key=lambda s: s.map(activity_order) if s.name == "activity" else s
    )
    return result.reset_index(drop=True)


# --- key findings: sentences computed from the tables above -------------------------------

_ACTIVITY_NAMES = {
    "deaths": ("deaths", "year"),
    "ae_attendances": ("A&E attendances", "month"),
    "emergency_admissions": ("emergency admissions", "month"),
    "gp_appointments": ("GP appointments", "day"),
}


def _signed(value: float, decimals: int = 1) -> str:
    return f"{value:+,.{decimals}f}".replace("-", "−")


def findings_age(profile: pd.DataFrame, *, area_name: str, comparator_name: str) -> list[str]:
    """Key findings from :func:`population_by_place` (area total row and comparator row)."""
    rows = profile.set_index("name")
    area = rows.loc[area_name]
    sentences = [
        f"{area_name} has {area['residents']:,.0f} residents; {area['percent_65_plus']:.1f}% "
        f"are aged 65 and over and {area['percent_85_plus']:.1f}% 85 and over "
        f"(median age {area['median_age']:.1f})."
    ]
    if comparator_name in rows.index:
        comparator = rows.loc[comparator_name]
        difference = area["percent_65_plus"] - comparator["percent_65_plus"]
        word = "higher" if difference > 0 else "lower"
        sentences.append(
            f"The share aged 65 and over is {abs(difference):.1f} percentage points {word} "
            f"than in {comparator_name} ({comparator['percent_65_plus']:.1f}%)."
        )
    parts = profile.iloc[: list(profile["name"]).index(area_name)]
    if len(parts) > 1:
        oldest = parts.loc[parts["percent_65_plus"].idxmax()]
        youngest = parts.loc[parts["percent_65_plus"].idxmin()]
        sentences.append(
            f"{oldest['name']} has the oldest population ({oldest['percent_65_plus']:.1f}% aged "
            f"65 and over) and {youngest['name']} the youngest "
            f"({youngest['percent_65_plus']:.1f}%)."
        )
    return sentences


def findings_registered(table: pd.DataFrame, *, area_name: str) -> list[str]:
    """Key findings from :func:`registered_vs_resident`."""
    total = table.set_index("age_group").loc["All ages"]
    groups = table[table["age_group"] != "All ages"]
    widest = groups.loc[(groups["ratio"] - 100).abs().idxmax()]
    return [
        f"{total['registered']:,.0f} patients are registered with practices in {area_name}, "
        f"{total['ratio']:.1f} for every 100 residents.",
        f"The largest difference is at ages {widest['age_group']}: {widest['ratio']:.1f} "
        "registered patients per 100 residents.",
    ]


def findings_births_deaths(table: pd.DataFrame) -> list[str]:
    """Key findings from :func:`births_and_deaths` (latest year and change over the series).

    Give it the table as published (suppressed cells missing): a sentence that would need
    a suppressed value is left out, so the text discloses nothing the table hides.
    """
    first, latest = table.iloc[0], table.iloc[-1]
    sentences = []
    if pd.notna(latest["births"]) and pd.notna(latest["deaths"]):
        balance = latest["births"] - latest["deaths"]
        word = "more" if balance > 0 else "fewer"
        sentences.append(
            f"In {latest['year']:.0f} there were {latest['births']:,.0f} births and "
            f"{latest['deaths']:,.0f} deaths: {abs(balance):,.0f} {word} births than deaths."
        )
    if "dsr" in table.columns and pd.notna(latest["dsr"]) and pd.notna(first["dsr"]):
        change = (latest["dsr"] / first["dsr"] - 1) * 100
        sentences.append(
            f"Age-standardised mortality was {latest['dsr']:,.0f} per 100,000 in "
            f"{latest['year']:.0f} ({_signed(change)}% since {first['year']:.0f})."
        )
    return sentences


def findings_projections(table: pd.DataFrame, *, base_year: int) -> list[str]:
    """Key findings from :func:`projections`: growth of 65+ against working age and children."""
    sentences = []
    for year in sorted(set(table["year"]) - {base_year}):
        rows = table[table["year"] == year].set_index("age_group")
        base = table[table["year"] == base_year].set_index("age_group")["population"]
        older = rows.loc[["65-74", "75+"], "population"].sum()
        older_change = (older / base.loc[["65-74", "75+"]].sum() - 1) * 100
        sentences.append(
            f"From {base_year} to {year} the population aged 65 and over is projected to change "
            f"by {_signed(older_change)}%, working age (16-64) by "
            f"{_signed(rows.loc['16-64', 'percent_change'])}% and under-16s by "
            f"{_signed(rows.loc['0-15', 'percent_change'])}%."
        )
    return sentences


def _sentence_case(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` would turn "A&E" into "A&e")."""
    return text[:1].upper() + text[1:]


def demand_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`demand_projection` with readable activity names, for publishing."""
    names = table["activity"].map(
        lambda a: _sentence_case(_ACTIVITY_NAMES.get(str(a), (str(a).replace("_", " "), ""))[0])
    )
    return table.assign(activity=names)[
        [
            "activity",
            "year",
            "expected",
            "change",
            "percent_change",
            "change_per_month",
            "change_per_day",
        ]
    ]


def findings_demand(table: pd.DataFrame) -> list[str]:
    """Key findings from :func:`demand_projection` (the last year shown per activity)."""
    sentences = []
    for activity, rows in table.groupby("activity", sort=False):
        latest = rows.iloc[-1]
        name, unit = _ACTIVITY_NAMES.get(str(activity), (str(activity).replace("_", " "), "year"))
        per_unit = {
            "day": latest["change_per_day"],
            "month": latest["change_per_month"],
            "year": latest["change"],
        }[unit]
        base_year = rows["year"].iloc[0]
        sentences.append(
            f"If today's rates apply to the projected population, {name} would change by "
            f"about {_signed(per_unit, 0)} a {unit} between {base_year} and "
            f"{latest['year']} ({_signed(latest['percent_change'])}%)."
        )
    return sentences


def demand_events(
    deaths: pd.DataFrame, hospital_activity: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Today's activity by sex and five-year band: the numerators of the demand rates.

    Deaths are averaged over every registration year in the extract (one year of deaths
    in a place is too few for stable age-specific rates); hospital activity (tidy
    ``year, lsoa_code, age_band, sex, activity, count``, already restricted to the area)
    uses its latest year. Returns ``activity, sex, age_band, count``.
    """
    years = _year_of(deaths["registration_date"], "deaths").nunique()
    events = deaths_by_band(deaths).assign(activity="deaths")
    events["count"] = events["count"] / max(years, 1)
    frames = [events[["activity", "sex", "age_band", "count"]].astype({"age_band": str})]
    if hospital_activity is not None and not hospital_activity.empty:
        _require(
            hospital_activity, ["year", "age_band", "sex", "activity", "count"], "hospital activity"
        )
        latest = hospital_activity[hospital_activity["year"] == hospital_activity["year"].max()]
        frames.append(
            latest.astype({"age_band": str})
            .groupby(["activity", "sex", "age_band"], as_index=False, sort=False)["count"]
            .sum()
        )
    return pd.concat(frames, ignore_index=True)


def projections_table(outlook: pd.DataFrame, *, base_year: int) -> pd.DataFrame:
    """One row per age group: population in each year and % change from ``base_year``.

    The wide form of :func:`projections` for publishing (at most 7 columns with two
    horizons): ``age_group, population_<year>..., change_<year>...``.
    """
    order = list(dict.fromkeys(outlook["age_group"]))
    wide = outlook.pivot(index="age_group", columns="year", values="population").reindex(order)
    wide.columns = [f"population_{year}" for year in wide.columns]
    later = sorted(set(outlook["year"]) - {base_year})
    changes = outlook.pivot(index="age_group", columns="year", values="percent_change")
    for year in later:
        wide[f"change_{year}"] = changes[year].reindex(order)
    return wide.reset_index()
