"""``data/indicators.csv`` (and ``.parquet``): every indicator × area of the build, tidy.

Why one file: place leads, analysts and other tools want the numbers without scraping
the report. One row per indicator × area × period, with its interval, comparator,
comparison, trend and headline target (:data:`ina.indicators.results.INDICATOR_COLUMNS`,
documented in the README), in a CSV and the same table as Parquet.

Disclosure control is the publishing layer's (:mod:`ina.publishing.disclosure`):

- numerator and denominator are counts; the value and its limits derive from them;
- the places, the sub-ICBs, the PCNs and the practices each add up to the ICB, and the
  practices of a PCN to the PCN, so a hidden count is never the ICB minus the others;
- the ICB's and places' pooled counts are also in every area's At a glance tables, so the
  cells the whole-ICB decision hides there (:func:`ina.chapters.disclosure.summary_hidden`)
  are hidden here too;
- a row whose value is hidden shows no comparison, and no target status; a row whose
  comparator's value is hidden (a place compared with a hidden ICB value) shows neither
  the comparator's value nor the comparison.

The Parquet twin holds exactly the CSV's cells (text, with the same symbols), so the two
can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ina._cache import read_cached, write_cached
from ina.indicators.catalogue import Catalogue, load_catalogue, own_rule_hidden
from ina.indicators.results import INDICATOR_COLUMNS, IndicatorResults
from ina.publishing import Derived, Disclosure, Parts, Same
from ina.publishing.suppression import RuleLike
from ina.publishing.tables import publication_mask, write_csv_with_declaration

__all__ = [
    "INDICATORS_CSV",
    "INDICATORS_PARQUET",
    "PublishedIndicators",
    "indicator_mask",
    "indicators_declaration",
    "published_indicators",
    "write_indicator_files",
]

INDICATORS_CSV = "indicators.csv"
INDICATORS_PARQUET = "indicators.parquet"
ICB_ID = "icb"
_LIMITS = ("value", "lower_95", "upper_95", "lower_99_8", "upper_99_8")


def indicators_declaration(table: pd.DataFrame, practice_pcn: dict[str, str]) -> Disclosure:
    """The declaration of ``indicators.csv`` for the areas in ``table``."""
    kinds = table.drop_duplicates("area_id").groupby("area_type", sort=False)["area_id"]
    ids = {kind: tuple(values) for kind, values in kinds}
    rows = [
        Parts("area_id", parts=ids[kind], total=ICB_ID, within=("indicator_id",))
        for kind in ("sub_icb", "place", "pcn", "practice")
        if kind in ids
    ]
    by_pcn: dict[str, list[str]] = {}
    for practice in ids.get("practice", ()):
        by_pcn.setdefault(practice_pcn.get(practice, ""), []).append(practice)
    rows += [
        Parts("area_id", parts=tuple(members), total=pcn, within=("indicator_id",))
        for pcn, members in sorted(by_pcn.items())
        if pcn in ids.get("pcn", ())
    ]
    return Disclosure(
        counts=("numerator", "denominator"),
        derived={column: Derived(("numerator",), denominator="denominator") for column in _LIMITS},
        key=("indicator_id", "area_id", "period"),
        rows=tuple(rows),
        same=(
            Same("numerator", "numerator_measure", ("area_id", "period")),
            Same("denominator", "denominator_measure", ("area_id", "period")),
        ),
    )


def _not_applicable(table: pd.DataFrame) -> pd.DataFrame:
    """``[z]`` cells: a count's denominator and limits, England's comparator, the target
    of an indicator that has none."""
    count = table["denominator"].isna() & table["numerator"].notna()
    no_interval = (
        table["lower_95"].isna() & table["value"].notna() & table["comparison"].eq("not compared")
    )
    national = table["area_type"].isin(["england", "region"])
    no_target = table["target_value"].isna()
    out = pd.DataFrame(False, index=table.index, columns=table.columns)
    out["denominator"] = count
    for column in _LIMITS[1:]:
        out[column] = no_interval
    out["comparator_id"] = national
    out["comparator_value"] = national
    for column in ("target_value", "target_date", "target_status"):
        out[column] = no_target
    return out


def _measures(table: pd.DataFrame) -> pd.DataFrame:
    from ina.chapters.disclosure import with_measures

    return with_measures(table, period="period")


def indicator_mask(
    results: IndicatorResults,
    *,
    rule: RuleLike,
    summary_hidden: pd.DataFrame | None = None,
    practice_pcn: dict[str, str] | None = None,
    catalogue: Catalogue | None = None,
) -> tuple[pd.DataFrame, Disclosure, pd.DataFrame]:
    """The published indicator table, its declaration and the cells it hides (True).

    Every chapter that shows an indicator value reads this one mask (through
    :func:`published_indicators`), so a value hidden in ``indicators.csv`` is hidden in
    every table and chart of every report, and a value shown there is shown the same way.
    """
    table = _measures(results.table[INDICATOR_COLUMNS].reset_index(drop=True))
    hide = own_rule_hidden(table, catalogue or load_catalogue())
    if summary_hidden is not None and not summary_hidden.empty:
        keyed = summary_hidden.set_index(["indicator_id", "area_id"])[["numerator", "denominator"]]
        index = pd.MultiIndex.from_arrays([table["indicator_id"], table["area_id"]])
        decided = keyed.reindex(index).fillna(False).astype(bool).set_axis(table.index)
        hide = decided if hide is None else (decided | hide)
    disclosure = indicators_declaration(table, practice_pcn or {})
    disclosure, mask = publication_mask(
        table, rule=rule, disclosure=disclosure, hide=hide, what=INDICATORS_CSV
    )
    hidden_value = mask["value"].to_numpy()
    values = pd.Series(
        hidden_value, index=pd.MultiIndex.from_arrays([table["indicator_id"], table["area_id"]])
    )
    comparator = pd.MultiIndex.from_arrays(
        [table["indicator_id"], table["comparator_id"].fillna("")]
    )
    comparator_hidden = values.reindex(comparator).fillna(False).to_numpy(dtype=bool)
    mask["comparator_value"] = mask["comparator_value"] | comparator_hidden
    mask["comparison"] = mask["comparison"] | hidden_value | comparator_hidden
    mask["target_status"] = mask["target_status"] | hidden_value
    return table, disclosure, mask


def write_indicator_files(
    results: IndicatorResults,
    folder: Path,
    *,
    rule: RuleLike,
    summary_hidden: pd.DataFrame | None = None,
    practice_pcn: dict[str, str] | None = None,
    catalogue: Catalogue | None = None,
) -> list[Path]:
    """Write ``indicators.csv``, its declaration and ``indicators.parquet`` to ``folder``.

    ``summary_hidden``: ``indicator_id, area_id, numerator, denominator`` (booleans), the
    cells the At a glance decision hides for the ICB and its places.
    """
    table, disclosure, mask = indicator_mask(
        results,
        rule=rule,
        summary_hidden=summary_hidden,
        practice_pcn=practice_pcn,
        catalogue=catalogue,
    )
    csv = write_csv_with_declaration(
        table,
        mask,
        folder / INDICATORS_CSV,
        rule=rule,
        disclosure=disclosure,
        decimals=4,
        not_applicable=_not_applicable(table),
    )
    published = pd.read_csv(csv, dtype=str, keep_default_na=False)
    parquet = folder / INDICATORS_PARQUET
    published.to_parquet(parquet, index=False)
    return [csv, csv.with_name(csv.stem + ".disclosure.json"), parquet]


def _decision_inputs(context: Any, results: IndicatorResults) -> dict[str, Any]:
    """The whole-ICB decision and the practice → PCN map the indicator mask needs."""
    from ina.chapters import summary
    from ina.chapters.disclosure import summary_hidden
    from ina.indicators import load_catalogue

    settings = context.settings
    catalogue = load_catalogue().supported_by(settings.source_names())
    places = [place.id for place in settings.places]
    pooled = summary.compute_indicators(results, catalogue)
    series = summary.annual_series(results, catalogue)
    hidden, _ = summary_hidden(pooled, series, places, settings.suppression)
    decided = pd.concat([pooled[["indicator_id", "area_id"]], hidden], axis=1)
    practices = context.geography.practices
    practice_pcn = dict(zip(practices["practice_code"], practices["pcn_code"], strict=True))
    return {"rule": settings.suppression, "summary_hidden": decided, "practice_pcn": practice_pcn}


@dataclass(frozen=True)
class PublishedIndicators:
    """``table``: the rows of ``indicators.csv`` (numbers); ``mask``: its hidden cells."""

    table: pd.DataFrame
    mask: pd.DataFrame


def published_indicators(context: Any, *, use_cache: bool = True) -> PublishedIndicators:
    """The indicator table every chapter shows, with the cells ``indicators.csv`` hides.

    Cached beside the results (``.ina-cache/published-<results digest>.pickle``): the
    build's publish step computes it once and every notebook of every area reads it.
    """
    from ina.indicators.results import load_results, results_cache_file

    results = load_results(context, use_cache=use_cache)
    results_file = results_cache_file(context)
    cache = results_file.with_name(results_file.name.replace("indicators-", "published-"))
    if use_cache:
        cached = read_cached(cache, PublishedIndicators)
        if cached is not None:
            return cached
    table, _, mask = indicator_mask(results, **_decision_inputs(context, results))
    found = PublishedIndicators(table=table, mask=mask)
    if use_cache:
        write_cached(cache, found, stale="published-*.pickle")
    return found


def publish_indicators(config_path: Path, folder: Path, *, use_cache: bool = True) -> list[Path]:
    """The build's step: compute the results once (warming the per-build cache every
    notebook then reads) and write the indicator files with the summary's decision.
    ``ina verify`` calls it with ``use_cache=False``: recomputed from the extracts."""
    from ina.chapters.context import load_context
    from ina.indicators.results import load_results

    context = load_context(config_path, ICB_ID)
    results = load_results(context, use_cache=use_cache)
    if use_cache:
        published_indicators(context)  # warm the chapters' cache
    return write_indicator_files(results, folder, **_decision_inputs(context, results))
