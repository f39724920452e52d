"""What the chapters publish, declared for disclosure control (:mod:`ina.publishing.disclosure`).

Why a module of its own: the same counts are published by more than one notebook. The
births and deaths of a place and year are in the At a glance ``sum-trends`` table of every
area's report *and* in the Population chapter's births and deaths table and chart; the
pooled 2020-24 totals are in ``sum-indicators``; the ICB's counts are the sums of its
places'. A cell hidden in one and shown in another is disclosed, so the decision for all
of them is made here, once, from the whole ICB's data (:func:`summary_hidden`), and each
notebook publishes its tables with that decision (``hide=``) and its own declaration.

The declarations:

* ``sum-indicators`` (one row per area × indicator, pooled period): numerator and
  denominator are counts; value and interval derive from them; the places add up to the
  ICB (``Parts("area_id", ...)``); the same quantity (the births of an area, say) is the
  numerator of one indicator and the denominator of another (``Same``, by the
  ``numerator_measure``/``denominator_measure`` columns published with the table).
* ``sum-trends`` (area × indicator × year): as above, and the years add up to the pooled
  value in ``sum-indicators`` (``Parts("year", total_in="sum-indicators")``).
* Population ``pop-births-deaths`` (table and chart data, one area): births and deaths by
  year, hidden exactly as in ``sum-trends``; rates derive from them and the population.
* Deprivation deaths by local quintile (mortality table, and by sex in the life
  expectancy table) of every area: one whole-ICB decision (:func:`quintile_deaths_hidden`),
  since the ICB's quintiles are the sums of the places'.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ina.chapters.context import ChapterContext
from ina.publishing import Derived, Disclosure, Parts, Same, publication_mask
from ina.publishing.suppression import RuleLike

__all__ = [
    "MEASURES",
    "POOLED",
    "births_deaths_disclosure",
    "births_deaths_hidden",
    "indicators_disclosure",
    "quintile_deaths",
    "quintile_deaths_hidden",
    "quintile_hide",
    "summary_hidden",
    "trends_disclosure",
    "vital_hidden",
    "with_measures",
]

ICB_ID = "icb"

#: The quantity each indicator's numerator and denominator count, so that one quantity
#: published twice (births as a numerator and as a denominator) is hidden in both places.
#: An indicator not listed gets a quantity of its own (never linked, never merged).
MEASURES: dict[str, tuple[str, str]] = {
    "resident_population": ("residents", "none"),
    "percent_65_plus": ("residents aged 65+", "residents"),
    "percent_85_plus": ("residents aged 85+", "residents"),
    "growth_65_plus": ("projected growth aged 65+", "residents aged 65+ in the base year"),
    "registered_per_100": ("registered patients", "residents"),
    "core20_percent": ("Core20 residents", "residents"),
    "birth_rate": ("births", "residents"),
    "general_fertility_rate": ("births", "women aged 15-44"),
    "low_birth_weight": ("births under 2,500 g", "births with a stated weight"),
    "preterm_births": ("births under 37 weeks", "births with a stated gestation"),
    "life_expectancy_male": ("deaths of males", "males"),
    "life_expectancy_female": ("deaths of females", "females"),
    "mortality_all_ages": ("deaths", "residents"),
    "mortality_under_75": ("deaths under 75", "residents under 75"),
}
#: Denominators that are the births themselves when every birth has the value stated.
_BIRTHS_WHEN_ALL_STATED = ("births with a stated weight", "births with a stated gestation")
#: The period label of a pooled row in the joint frame of :func:`summary_hidden`.
POOLED = "pooled"

_COUNTS = ("numerator", "denominator")
_DERIVED = {
    column: Derived(("numerator",), denominator="denominator")
    for column in ("value", "lower", "upper")
}


def with_measures(frame: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """``frame`` (``area_id, indicator_id, <period>, numerator, denominator, ...``) with
    ``numerator_measure`` and ``denominator_measure``: what each count counts.

    Low birth weight and preterm percentages divide by the births with a stated weight or
    gestation; where that equals the area's births in the same period it *is* the births
    (a reader can tell), so it is named ``births`` and linked to the birth rate numerator.
    """
    out = frame.copy()
    ids = out["indicator_id"].astype(str)
    out["numerator_measure"] = ids.map(lambda i: MEASURES.get(i, (f"{i} numerator", ""))[0])
    out["denominator_measure"] = ids.map(lambda i: MEASURES.get(i, ("", f"{i} denominator"))[1])
    births = (
        out[ids == "birth_rate"]
        .assign(_key=lambda f: f["area_id"].astype(str) + "|" + f[period].astype(str))
        .set_index("_key")["numerator"]
    )
    key = out["area_id"].astype(str) + "|" + out[period].astype(str)
    all_stated = out["denominator_measure"].isin(_BIRTHS_WHEN_ALL_STATED) & (
        pd.to_numeric(out["denominator"], errors="coerce").to_numpy()
        == key.map(births).to_numpy(dtype=float)
    )
    out.loc[all_stated, "denominator_measure"] = "births"
    return out


def _same(on: Sequence[str]) -> tuple[Same, ...]:
    return (
        Same("numerator", "numerator_measure", tuple(on)),
        Same("denominator", "denominator_measure", tuple(on)),
    )


def indicators_disclosure(place_ids: Sequence[str]) -> Disclosure:
    """The declaration of ``sum-indicators`` (see the module docstring)."""
    return Disclosure(
        counts=_COUNTS,
        derived=_DERIVED,
        key=("area_id", "indicator_id", "period"),
        rows=(Parts("area_id", parts=tuple(place_ids), total=ICB_ID, within=("indicator_id",)),),
        same=_same(("area_id", "period")),
    )


def trends_disclosure(place_ids: Sequence[str]) -> Disclosure:
    """The declaration of ``sum-trends`` (see the module docstring)."""
    return Disclosure(
        counts=_COUNTS,
        derived=_DERIVED,
        key=("area_id", "indicator_id", "year"),
        rows=(
            Parts("area_id", parts=tuple(place_ids), total=ICB_ID, within=("indicator_id", "year")),
            Parts("year", within=("area_id", "indicator_id"), total_in="sum-indicators"),
        ),
        same=_same(("area_id", "year")),
    )


def _joint_disclosure(place_ids: Sequence[str]) -> Disclosure:
    return Disclosure(
        counts=_COUNTS,
        rows=(
            Parts(
                "area_id", parts=tuple(place_ids), total=ICB_ID, within=("indicator_id", "period")
            ),
            Parts("period", total=POOLED, within=("area_id", "indicator_id")),
        ),
        same=_same(("area_id", "label")),
    )


def summary_hidden(
    results: pd.DataFrame,
    series: pd.DataFrame,
    place_ids: Sequence[str],
    rule: RuleLike,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which numerator/denominator cells of ``results`` and ``series`` are hidden.

    ``results``: :func:`ina.chapters.summary.compute_indicators` (pooled); ``series``:
    :func:`ina.chapters.summary.annual_series` (by year). Both are put in one frame (the
    pooled row of an area × indicator is the total of its years, the ICB the total of
    its places, one quantity in several rows is one cell) and decided together, so every
    notebook that publishes any of these counts hides the same cells. Returns boolean
    frames (``numerator``, ``denominator``) aligned with ``results`` and ``series``.
    """
    pooled = with_measures(results, period="period")
    pooled = pooled.assign(label=pooled["period"].astype(str), period=POOLED)
    yearly = with_measures(series.assign(period=series["year"].astype(str)), period="period")
    yearly = yearly.assign(label=yearly["period"])
    columns = ["area_id", "indicator_id", "period", "label", *_COUNTS]
    columns += ["numerator_measure", "denominator_measure"]
    joint = pd.concat([pooled[columns], yearly[columns]], ignore_index=True)
    from ina.indicators import load_catalogue, own_rule_hidden

    _, mask = publication_mask(
        joint,
        rule=rule,
        disclosure=_joint_disclosure(place_ids),
        hide=own_rule_hidden(joint, load_catalogue()),
    )
    hidden = mask[list(_COUNTS)]
    first = hidden.iloc[: len(results)].set_axis(results.index)
    second = hidden.iloc[len(results) :].set_axis(series.index)
    return first, second


def vital_hidden(context: ChapterContext, rule: RuleLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The annual series of births and deaths for the whole ICB, and what is hidden in it.

    For notebooks other than the summary that publish yearly births or deaths: the same
    decision as the summary's ``sum-trends``, from the indicators that share those counts
    (births, mortality and their pooled values; the others do not share a count with
    them, so leaving them out changes nothing: see ``tests/chapters``).
    """
    from ina.chapters import summary
    from ina.indicators import load_catalogue

    catalogue = load_catalogue().supported_by(context.settings.source_names())
    inputs = summary.summary_inputs(context)
    vital = catalogue.only(
        [i.id for i in catalogue if {"births", "deaths"} & set(i.sources) and i.trend]
    )
    pooled = summary.compute_indicators(inputs, vital)
    series = summary.annual_series(inputs, catalogue)
    place_ids = [place.id for place in context.settings.places]
    _, series_hidden = summary_hidden(pooled, series, place_ids, rule)
    return series, series_hidden


def births_deaths_disclosure(columns: Sequence[str]) -> Disclosure:
    """The declaration of the Population births and deaths table or chart data.

    ``columns``: the columns published (the chart's data has the population, the table
    has the DSR). The years add up to the pooled totals of ``sum-indicators`` (published
    in every report), and the crude rates are counts per 1,000 of the population.
    """
    present = set(columns)
    population = "population" if "population" in present else None
    derived = {
        "birth_rate": Derived(
            ("births",), denominator=population, per=1000 if population else None
        ),
        "death_rate": Derived(
            ("deaths",), denominator=population, per=1000 if population else None
        ),
        "dsr": Derived(("deaths",)),
        "dsr_lower": Derived(("deaths",)),
        "dsr_upper": Derived(("deaths",)),
    }
    return Disclosure(
        counts=tuple(c for c in ("births", "deaths", "population") if c in present),
        derived={name: spec for name, spec in derived.items() if name in present},
        key=("year",),
        rows=(Parts("year", counts=("births", "deaths")),),
    )


def births_deaths_hidden(
    vital: pd.DataFrame, series_hidden: pd.DataFrame, series: pd.DataFrame, area_id: str
) -> pd.DataFrame:
    """The ``hide`` frame of one area's births and deaths table: as in ``sum-trends``.

    ``vital``: :func:`ina.chapters.population.births_and_deaths` of the area; ``series``
    and ``series_hidden``: the annual series and its mask from :func:`summary_hidden`.
    """
    own = series.assign(births=series_hidden["numerator"], deaths=series_hidden["numerator"])[
        series["area_id"].astype(str) == area_id
    ]
    hide = pd.DataFrame(False, index=vital.index, columns=["births", "deaths"])
    for column, indicator in (("births", "birth_rate"), ("deaths", "mortality_all_ages")):
        rows = own[own["indicator_id"] == indicator].set_index("year")[column]
        hide[column] = vital["year"].map(rows).fillna(False).astype(bool).to_numpy()
    return hide


# --- deaths by local deprivation quintile (Deprivation chapter) ----------------------------

_SEXES = ("Males", "Females")
_PERSONS = "Persons"


def quintile_deaths(context: ChapterContext, quintiles: pd.DataFrame) -> pd.DataFrame:
    """Deaths by area, sex and local quintile, as every area's Deprivation tables count them.

    ``area_id, sex, label, deaths``: ``sex = "Persons"`` rows are the mortality table's
    (all registration years), the others the life expectancy table's (the pooled years),
    for the ICB and every place, computed with the chapter's own functions so the counts
    are the published ones. ``attrs["pooled_is_all"]`` says whether the two use the same
    years (then a quintile's Persons deaths are its Males plus Females).
    """
    from ina.chapters import deprivation
    from ina.indicators.areas import build_registry

    places = [place.id for place in context.settings.places]
    members = build_registry(context.geography, sub_icb_names={}).small_areas
    membership = members[members["area_id"].isin(["icb", *places])]
    population = context.icb_population
    deaths = context.source("deaths")
    deaths = deaths[deaths["lsoa_code"].isin(population["lsoa_code"])].reset_index(drop=True)
    years = deaths["registration_date"].dt.year.nunique()
    pooled, used = deprivation.pooled_deaths(deaths, years=deprivation.GAP_POOLED_YEARS)
    rows = []
    for area_id, codes in membership.groupby("area_id", sort=False)["lsoa_code"]:
        people = population[population["lsoa_code"].isin(codes)]
        mortality = deprivation.mortality_by_quintile(
            deaths[deaths["lsoa_code"].isin(codes)], people, quintiles, years=years
        )
        rows.append(mortality[["label", "deaths"]].assign(area_id=str(area_id), sex=_PERSONS))
        inputs = deprivation.life_table_inputs(
            pooled[pooled["lsoa_code"].isin(codes)], people, quintiles, years=len(used)
        )
        table = deprivation.life_expectancy_by_quintile(inputs)
        rows.append(table[["sex", "label", "deaths"]].assign(area_id=str(area_id)))
    out = pd.concat(rows, ignore_index=True)[["area_id", "sex", "label", "deaths"]]
    out.attrs["pooled_is_all"] = len(used) == years
    return out


def quintile_deaths_hidden(
    context: ChapterContext, quintiles: pd.DataFrame, rule: RuleLike
) -> tuple[pd.DataFrame, pd.Series]:
    """The whole-ICB decision for deaths by quintile (every area's report, one answer).

    A place's quintile deaths are published in the place's report, the ICB's in the
    ICB's, and the ICB's are the sum of the places': hiding a small place-quintile needs
    a complement in another place (and report). Lines: places → ICB per sex and quintile;
    Males + Females → Persons per area and quintile (when both tables use the same
    years); quintiles → the area's total (published in ``sum-indicators``). Returns the
    counts (:func:`quintile_deaths`) and which are hidden.
    """
    key = _whole_icb_key(context, quintiles, rule)
    if key in _QUINTILE_DEATHS_HIDDEN:
        counts, hidden = _QUINTILE_DEATHS_HIDDEN[key]
        return counts.copy(), hidden.copy()
    counts = quintile_deaths(context, quintiles)
    places = tuple(place.id for place in context.settings.places)
    rows = [
        Parts("area_id", parts=places, total=ICB_ID, within=("sex", "label")),
        Parts("label", within=("area_id", "sex")),
    ]
    if counts.attrs["pooled_is_all"]:
        rows.append(Parts("sex", parts=_SEXES, total=_PERSONS, within=("area_id", "label")))
    _, mask = publication_mask(
        counts, rule=rule, disclosure=Disclosure(counts=("deaths",), rows=tuple(rows))
    )
    _QUINTILE_DEATHS_HIDDEN.clear()  # one build's answer is enough to keep
    _QUINTILE_DEATHS_HIDDEN[key] = (counts, mask["deaths"])
    return counts.copy(), mask["deaths"].copy()


#: The whole-ICB answer of :func:`quintile_deaths_hidden`, by :func:`_whole_icb_key`: it
#: is the same in every area's Deprivation chapter, and a build's kernel runs several.
_QUINTILE_DEATHS_HIDDEN: dict[str, tuple[pd.DataFrame, pd.Series]] = {}


def _whole_icb_key(context: ChapterContext, quintiles: pd.DataFrame, rule: RuleLike) -> str:
    """What a whole-ICB decision depends on: the configuration, the SHA-256 of every
    source file and the code (the indicator results' cache key), the quintiles and the
    rule. The area is not in it: that is the point."""
    from ina._digest import inputs_digest
    from ina.indicators.results import results_cache_file

    return inputs_digest(results_cache_file(context).name, quintiles, rule)


def quintile_hide(
    counts: pd.DataFrame, hidden: pd.Series, table: pd.DataFrame, area_id: str
) -> pd.DataFrame:
    """The ``hide`` frame (``deaths``) of one area's mortality (no ``sex`` column: the
    Persons rows) or life expectancy table (``sex, label``), from the whole-ICB decision."""
    own = counts.assign(hidden=hidden.to_numpy())[counts["area_id"] == area_id]
    if "sex" in table.columns:
        key = own["sex"].astype(str) + "|" + own["label"].astype(str)
        wanted = table["sex"].astype(str) + "|" + table["label"].astype(str)
    else:
        own = own[own["sex"] == _PERSONS]
        key, wanted = own["label"].astype(str), table["label"].astype(str)
    flags = pd.Series(own["hidden"].to_numpy(), index=key.to_numpy())
    return pd.DataFrame(
        {"deaths": wanted.map(flags).fillna(False).astype(bool).to_numpy()}, index=table.index
    )
