"""At a glance: every summary indicator for the ICB, its places and England, benchmarked.

The first chapter of the INA, in the style of the Fingertips area profiles and the Public
Health Scotland locality profiles: one table comparing the area with its peers (the other
places), the ICB and England, a spine chart, key messages computed from the numbers, and
the definition of every indicator (:mod:`ina.indicators`).

The numbers come from the catalogue-driven indicator engine (:mod:`ina.indicators`),
which computes every indicator for every area (England where the extracts or a Fingertips
export give it, the ICB, sub-ICBs, places, PCNs and practices) once per build; this module
takes the ICB, its places and England from those results and turns them into the chapter:

* benchmarking: :func:`ina.stats.compare_with_benchmark` with each indicator's polarity,
  each place against the ICB and the ICB against England; values without an interval
  (counts, ratios, projections) or without a comparator are "not compared";
* recent trends: the indicators the catalogue marks ``trend: true`` are computed for each
  year by the engine and given the Fingertips recent-trend label
  (:func:`ina.indicators.results.recent_trends`); indicators without annual data are
  "Cannot be calculated", never estimated. An indicator significantly worse than its
  comparator *and* getting worse is a Fingertips "red-red" (:func:`red_reds`);
* tables, key messages and the spine chart, from the published (suppressed) values.

Nothing is invented: an England value the extracts do not hold is missing and shown as
"not available".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ina.chapters.context import ChapterContext
from ina.errors import StatisticsError
from ina.indicators import CHAPTERS, Catalogue, Indicator, load_catalogue
from ina.indicators.results import NO_ANNUAL_DATA as RESULTS_NO_ANNUAL_DATA
from ina.indicators.results import IndicatorResults, load_results
from ina.indicators.results import recent_trends as trends_for
from ina.publishing.suppression import CONFIDENTIAL, RuleLike, suppression_mask
from ina.stats import (
    compare_with_benchmark,
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
)

__all__ = [
    "ENGLAND_ID",
    "ICB_ID",
    "NOT_AVAILABLE",
    "NO_ANNUAL_DATA",
    "TREND_WORDS",
    "annual_series",
    "benchmark",
    "chapter_spine",
    "compute_indicators",
    "definitions_table",
    "key_messages",
    "peer_ranges",
    "published_results",
    "recent_trends",
    "red_red_message",
    "red_reds",
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


# --- inputs: the build's indicator results ----------------------------------------------------


def summary_inputs(context: ChapterContext) -> IndicatorResults:
    """The build's indicator results (:mod:`ina.indicators`): computed once per build by
    the catalogue-driven engine for every area, and read here by every area's notebook."""
    return load_results(context)


def _summary_areas(table: pd.DataFrame, place_ids: Sequence[str]) -> list[str]:
    return [ICB_ID, *[p for p in place_ids if p in set(table["area_id"])], ENGLAND_ID]


def _in_summary_order(
    frame: pd.DataFrame, catalogue: Catalogue, areas: list[str], extra: list[str]
) -> pd.DataFrame:
    order = {indicator_id: i for i, indicator_id in enumerate(catalogue.ids)}
    area_order = {area: i for i, area in enumerate(areas)}
    frame = frame[frame["indicator_id"].isin(order) & frame["area_id"].isin(area_order)]
    frame = frame.assign(
        _i=frame["indicator_id"].map(order), _a=frame["area_id"].map(area_order)
    ).sort_values(["_i", "_a", *extra], kind="stable")
    return frame.drop(columns=["_i", "_a"]).reset_index(drop=True)


def compute_indicators(
    inputs: IndicatorResults,
    catalogue: Catalogue | None = None,
    place_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every catalogue indicator for the ICB, its places and England, from the results.

    Returns the long frame ``area_id, indicator_id, period, numerator, denominator, value,
    lower, upper`` in catalogue order, areas ICB, places (config order) then England.
    """
    catalogue = catalogue or load_catalogue()
    table = inputs.table
    places = place_ids if place_ids is not None else _place_ids(table)
    frame = table.rename(columns={"lower_95": "lower", "upper_95": "upper"})[
        ["area_id", *RESULT_COLUMNS[1:]]
    ]
    return _in_summary_order(frame, catalogue, _summary_areas(table, places), [])


def _place_ids(table: pd.DataFrame) -> list[str]:
    rows = table[table["area_type"] == "place"]
    return list(dict.fromkeys(rows["area_id"]))


def annual_series(
    inputs: IndicatorResults,
    catalogue: Catalogue | None = None,
    place_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every ``trend: true`` indicator for the ICB and its places, by registration year.

    The engine's annual series (the same methods as the pooled values, each year divided
    by the one mid-year estimate): ``area_id, indicator_id, year, numerator, denominator,
    value, lower, upper``; a DSR with fewer than 10 deaths in a year is missing
    (Fingertips' rule), never filled in.
    """
    catalogue = catalogue or load_catalogue()
    places = place_ids if place_ids is not None else _place_ids(inputs.table)
    wanted = catalogue.only([indicator.id for indicator in catalogue if indicator.trend])
    annual = inputs.annual.rename(columns={"lower_95": "lower", "upper_95": "upper"})
    areas = [ICB_ID, *places]
    return _in_summary_order(annual[ANNUAL_COLUMNS], wanted, areas, ["year"])


# --- recent trends ---------------------------------------------------------------------------

#: Why an indicator has no trend marker when the catalogue gives it no annual data.
NO_ANNUAL_DATA = RESULTS_NO_ANNUAL_DATA

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


def recent_trends(
    series: pd.DataFrame, catalogue: Catalogue, area_ids: Sequence[str]
) -> pd.DataFrame:
    """The Fingertips recent-trend label of every area × indicator of the catalogue.

    ``series``: :func:`annual_series`; the trends are those of
    :func:`ina.indicators.results.recent_trends` (one implementation for the summary and
    the published indicators file). Returns ``area_id, indicator_id, trend, trend_note,
    trend_method, chi_squared, slope, points, first_period, last_period`` in catalogue
    order, areas in ``area_ids`` order.
    """
    unknown = sorted(set(series["indicator_id"]) - set(catalogue.ids))
    if unknown:
        raise StatisticsError(f"recent_trends: indicator(s) {unknown} are not in the catalogue")
    keys = pd.MultiIndex.from_product(
        [catalogue.ids, [str(area) for area in area_ids]], names=["indicator_id", "area_id"]
    ).to_frame(index=False)
    annual = series.rename(columns={"lower": "lower_95", "upper": "upper_95"})
    trends = trends_for(catalogue, annual, keys)
    return trends[["area_id", "indicator_id", *trends.columns.drop(["area_id", "indicator_id"])]]


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


RED_RED_NAMED = 5
"""How many red-reds the key message names; the red-red table lists them all."""


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
    if len(names) > RED_RED_NAMED:
        # A key message, not the table: the first few (catalogue order), then how many
        # more the red-red table lists.
        rest = len(names) - RED_RED_NAMED
        names = [*names[:RED_RED_NAMED], f"{rest} more indicator{'s' if rest > 1 else ''}"]
        return (
            f"{len(found)} indicators are significantly worse than {comparator_name} and "
            f"getting worse (Fingertips recent trend): {', '.join(names[:-1])} and "
            f"{names[-1]} (see the red-red table)."
        )
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
    wanted = [
        i for i in catalogue if sections is None or i.section in sections or i.chapter in sections
    ]
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
        if len(periods) == 1:
            table = table.drop(columns="period")
            table.attrs["period"] = str(periods[0])
        else:
            # Mixed periods (a chapter's indicators): each row names its own period.
            table["indicator"] = table["indicator"] + ", " + table["period"]
            table = table.drop(columns="period")
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


def table_sections(catalogue: Catalogue | None = None) -> dict[str, list[str]]:
    """The summary's tables, one per chapter of the life course that has indicators
    (heading → the chapter's catalogue name), in report order."""
    chapters = {indicator.chapter for indicator in (catalogue or load_catalogue())}
    return {title: [name] for name, title in CHAPTERS.items() if name in chapters}


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


def chapter_spine(
    compared: pd.DataFrame,
    published: pd.DataFrame,
    catalogue: Catalogue,
    trends: pd.DataFrame,
    chapter_name: str,
    *,
    area_id: str,
    area_name: str,
    icb_name: str,
    place_ids: Sequence[str],
) -> tuple[Any, pd.DataFrame, pd.DataFrame, str] | None:
    """The spine chart of one chapter's indicators for one area, with trend markers.

    Returns the figure, its data (with ``count``, the numerator, and ``trend``), the hidden
    cells (``count``) and the alt-text sentence; None when the chapter has no charted
    indicator. Each row's value label ends with its Fingertips recent trend in words
    ("↑ worse", "↓ better", "→ no change"), so trends are on the spine as well.
    """
    from ina.charts import spine
    from ina.stats import spine_chart_data

    mine = catalogue.only([i.id for i in catalogue if i.chapter == chapter_name])
    long = spine_input(compared, published, mine, area_id=area_id, place_ids=place_ids)
    long = long[np.isfinite(long["value"].to_numpy(dtype=float))]
    if long.empty or area_id not in set(long["area_id"]):
        return None
    rows = spine_chart_data(
        long,
        indicator="indicator_id",
        area="area_id",
        value="value",
        benchmark="benchmark",
        polarity="polarity",
        areas=[area_id],
        peers="peer",
    )
    rows = spine_rows(rows, long, compared, mine, area_id=area_id)
    own = trends[trends["area_id"] == area_id].set_index("indicator_id")["trend"]
    words = rows["indicator_id"].map(own).fillna(CANNOT).map(lambda t: TREND_WORDS.get(t, "–"))
    labels = [
        text if word.startswith("–") else f"{text} {word}"
        for text, word in zip(rows["value_text"], words, strict=True)
    ]
    centre = spine_centre_name(long, icb_name=icb_name)
    fig, data = spine.spine_chart(
        rows, area_name=area_name, benchmark_name=centre, value_text=pd.Series(labels)
    )
    data = data.assign(count=rows["numerator"].to_numpy(), trend=words.to_numpy())
    hide = rows[["suppressed"]].rename(columns={"suppressed": "count"})
    text = spine.describe_spine(data, area_name=area_name, benchmark_name=centre)
    return fig, data, hide, text
