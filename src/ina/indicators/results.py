"""The indicator results of a build: values, comparators, comparisons, trends and targets.

Why one results object: every chapter, the life-course summary, the places-side-by-side
matrix and the published ``indicators.csv`` must show the *same* value, comparison and
trend for an indicator and area. :func:`build_results` makes them once from the engine's
output; :func:`load_results` caches them per build (keyed by the checksums of every
source extract, the configuration, the catalogue and the code), so the build computes
them once and every notebook reads them, while a reviewer who opens a notebook without a
cache gets them recomputed from ``data_raw/``.

Comparators follow the report's convention: the ICB is compared with its benchmark
(England, or the region, or a goal, as the catalogue says); every area inside the ICB
(sub-ICB, place, PCN, practice) with the ICB. England's value is computed from national
extracts where the catalogue says ``england: computed`` and the extracts allow, and
otherwise taken as published from a Fingertips export (``source = "fingertips"``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ina._cache import read_cached, write_cached
from ina.indicators.areas import ENGLAND_AREA_ID
from ina.indicators.catalogue import CHAPTERS, Catalogue, load_catalogue
from ina.indicators.comparators import REGION_AREA_ID, fingertips_comparators
from ina.indicators.engine import RESULT_COLUMNS, EngineInputs, annual_series, compute_indicators
from ina.indicators.targets import CANNOT_BE_ASSESSED, target_progress
from ina.stats import compare_with_benchmark, recent_trend
from ina.stats.benchmarking import NOT_COMPARED
from ina.stats.trends import CANNOT, TrendMethod

__all__ = [
    "INDICATOR_COLUMNS",
    "NO_ANNUAL_DATA",
    "TREND_COLUMNS",
    "IndicatorResults",
    "build_results",
    "load_results",
    "recent_trends",
    "results_cache_file",
]

#: The published tidy file (``outputs/data/indicators.csv``): one row per indicator × area.
INDICATOR_COLUMNS = [
    "indicator_id",
    "indicator_name",
    "chapter",
    "area_id",
    "area_name",
    "area_type",
    *RESULT_COLUMNS[2:],  # period, numerator, denominator, value and the four limits
    "unit",
    "polarity",
    "comparator_id",
    "comparator_value",
    "comparison",
    "trend",
    "target_value",
    "target_date",
    "target_status",
    "source",
]
NO_ANNUAL_DATA = "no annual data in the extracts (pooled or single-year values only)"
ICB_ID = "icb"


@dataclass(frozen=True)
class IndicatorResults:
    """``table``: :data:`INDICATOR_COLUMNS`; ``annual``: the yearly series behind the
    trends; ``trends``: one row per indicator × area with the Fingertips label and why it
    cannot be calculated; ``targets``: every target × area (:mod:`ina.indicators.targets`)."""

    table: pd.DataFrame
    annual: pd.DataFrame
    trends: pd.DataFrame
    targets: pd.DataFrame

    def for_area(self, area_id: str) -> pd.DataFrame:
        return self.table[self.table["area_id"] == area_id].reset_index(drop=True)


def _fingertips_rows(
    catalogue: Catalogue, inputs: EngineInputs, computed: pd.DataFrame
) -> pd.DataFrame:
    """England and region rows from the Fingertips export, for indicators whose England
    value the extracts do not give."""
    if "fingertips" not in inputs.settings.source_names():
        return pd.DataFrame()
    have_england = set(computed.loc[computed["area_id"] == ENGLAND_AREA_ID, "indicator_id"])
    wanted = catalogue.only(
        [i.id for i in catalogue if i.fingertips_id and i.id not in have_england]
    )
    if not len(wanted):
        return pd.DataFrame()
    periods = computed[computed["area_id"] == ICB_ID].set_index("indicator_id")["period"].to_dict()
    found = fingertips_comparators(
        wanted,
        inputs.frame("fingertips"),
        local_periods=periods,
        path=inputs.settings.source_path("fingertips"),
    )
    return found.drop(columns=["area_code"]).assign(source="fingertips")


TREND_COLUMNS = [
    "indicator_id",
    "area_id",
    "trend",
    "trend_note",
    "trend_method",
    "chi_squared",
    "slope",
    "points",
    "first_period",
    "last_period",
]


def recent_trends(catalogue: Catalogue, annual: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """The Fingertips recent trend of every indicator × area of ``keys`` (one call of
    :func:`ina.stats.recent_trend` for all series).

    ``annual``: the engine's annual series. Proportions use the chi-squared test for trend
    on their counts and denominators, the other statistics the weighted regression on the
    95% limits. Series without annual data are "Cannot be calculated" with the note
    :data:`NO_ANNUAL_DATA`. Returns :data:`TREND_COLUMNS` in the order of ``keys``.
    """
    computed = pd.DataFrame()
    if not annual.empty:
        info = {indicator.id: indicator for indicator in catalogue}
        frame = annual.assign(
            polarity=annual["indicator_id"].map({k: i.polarity.value for k, i in info.items()}),
            trend_method=annual["indicator_id"].map(
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
        computed = recent_trend(
            frame,
            "year",
            "polarity",
            method="trend_method",
            value="value",
            lower="lower_95",
            upper="upper_95",
            count="numerator",
            denominator="denominator",
            group_by=["indicator_id", "area_id"],
        ).astype({"indicator_id": str, "area_id": str})
    out = keys[["indicator_id", "area_id"]].drop_duplicates().astype(str)
    if computed.empty:
        out = out.assign(trend=CANNOT, trend_note=NO_ANNUAL_DATA)
    else:
        out = out.merge(computed, on=["indicator_id", "area_id"], how="left")
        missing = out["trend"].isna()
        out["trend"] = out["trend"].astype(object).where(~missing, CANNOT)
        out["trend_note"] = out["trend_note"].astype(object).where(~missing, NO_ANNUAL_DATA)
    for column in TREND_COLUMNS:
        if column not in out:
            out[column] = np.nan
    return out[TREND_COLUMNS].astype({"trend": "string", "trend_note": "string"})


def _compare(table: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Comparator id and value per row, and the Fingertips comparison label."""
    info = {indicator.id: indicator for indicator in catalogue}
    values = table.set_index(["indicator_id", "area_id"])["value"]
    is_icb = table["area_type"] == "icb"
    inside = ~table["area_type"].isin(["england", "region", "icb"])
    icb_comparator = table["indicator_id"].map(
        {
            k: {"region": REGION_AREA_ID, "goal": "goal"}.get(
                i.benchmark.comparator, ENGLAND_AREA_ID
            )
            for k, i in info.items()
        }
    )
    comparator_id = np.where(is_icb, icb_comparator, np.where(inside, ICB_ID, ""))
    index = pd.MultiIndex.from_arrays([table["indicator_id"], comparator_id])
    comparator_value = values.reindex(index).to_numpy(dtype=float)
    goals = table["indicator_id"].map({k: i.benchmark.goal for k, i in info.items()})
    comparator_value = np.where(comparator_id == "goal", goals.astype(float), comparator_value)
    frame = table.assign(
        comparator_id=np.where(comparator_id == "", None, comparator_id),
        comparator_value=comparator_value,
        _polarity=table["indicator_id"].map({k: i.polarity.value for k, i in info.items()}),
    )
    both = frame["indicator_id"].map({k: len(i.benchmark.levels) > 1 for k, i in info.items()})
    labels = pd.Series(NOT_COMPARED, index=frame.index, dtype=object)
    for wide, extra in (
        (False, {}),
        (True, {"lower_998": "lower_99_8", "upper_998": "upper_99_8"}),
    ):
        rows = frame[both == wide]
        if rows.empty:
            continue
        compared = compare_with_benchmark(
            rows, "value", "lower_95", "upper_95", "comparator_value", "_polarity", **extra
        )
        labels.loc[rows.index] = compared["comparison"].to_numpy()
    frame["comparison"] = labels.where(frame["comparator_id"].notna(), NOT_COMPARED)
    return frame.drop(columns="_polarity")


def build_results(
    inputs: EngineInputs, catalogue: Catalogue | None = None, *, as_of: dt.date | None = None
) -> IndicatorResults:
    """Every indicator × area, with comparator, comparison, trend and headline target.

    ``as_of`` decides whether an unmet target is "not yet due"; by default the last day
    of the reporting year, so a rebuild of the same edition gives the same register.
    """
    catalogue = (catalogue or load_catalogue()).supported_by(inputs.settings.source_names())
    as_of = as_of or dt.date(int(inputs.settings.reporting_year), 12, 31)
    computed = compute_indicators(inputs, catalogue).assign(source="computed")
    taken = _fingertips_rows(catalogue, inputs, computed)
    values = pd.concat([computed, taken], ignore_index=True) if not taken.empty else computed
    registry = inputs.registry
    names = registry.names() | {REGION_AREA_ID: "East of England"}
    types = registry.types() | {REGION_AREA_ID: "region"}
    if not taken.empty:
        names |= dict(zip(taken["area_id"], taken["area_name"], strict=False))
        values = values.drop(columns=["area_name"], errors="ignore")
    info = {indicator.id: indicator for indicator in catalogue}
    table = values.assign(
        indicator_name=values["indicator_id"].map({k: i.short_name for k, i in info.items()}),
        chapter=values["indicator_id"].map({k: CHAPTERS[i.chapter] for k, i in info.items()}),
        area_name=values["area_id"].map(names),
        area_type=values["area_id"].map(types),
        unit=values["indicator_id"].map({k: i.unit for k, i in info.items()}),
        polarity=values["indicator_id"].map({k: i.polarity.value for k, i in info.items()}),
    )
    table = _compare(table, catalogue)
    annual = annual_series(inputs, catalogue)
    trends = recent_trends(catalogue, annual, table)
    table = table.merge(
        trends[["indicator_id", "area_id", "trend"]], on=["indicator_id", "area_id"], how="left"
    )
    inside = [a for a in registry.areas["area_id"] if a != ENGLAND_AREA_ID]
    targets = target_progress(table, catalogue, as_of=as_of, area_ids=inside)
    headline = targets[targets["target_number"] == 1].set_index(["indicator_id", "area_id"])
    index = pd.MultiIndex.from_arrays([table["indicator_id"], table["area_id"]])
    table["target_value"] = headline["target"].reindex(index).to_numpy()
    table["target_date"] = headline["target_date"].reindex(index).to_numpy()
    status = headline["status"].reindex(index).to_numpy()
    has_target = table["indicator_id"].map({k: bool(i.targets) for k, i in info.items()})
    table["target_status"] = np.where(
        has_target & table["area_type"].ne("england") & table["area_type"].ne("region"),
        np.where(pd.isna(status), CANNOT_BE_ASSESSED, status),
        None,
    )
    order = {indicator_id: i for i, indicator_id in enumerate(catalogue.ids)}
    area_order = registry.order() | {REGION_AREA_ID: 0.5}
    table = table.assign(
        _i=table["indicator_id"].map(order), _a=table["area_id"].map(area_order)
    ).sort_values(["_i", "_a"], kind="stable")
    return IndicatorResults(
        table=table[INDICATOR_COLUMNS].reset_index(drop=True),
        annual=annual,
        trends=trends,
        targets=targets,
    )


# --- the per-build cache ---------------------------------------------------------------------

_CODE_PACKAGES = ("indicators", "stats", "geography", "sources", "config", "publishing", "chapters")


def _digest(settings: Any, provenance: list[str]) -> str:
    """Checksum of what the results depend on: config, extracts, catalogue and code."""
    import ina

    digest = hashlib.sha256()
    dump = (
        settings.model_dump_for_manifest() if hasattr(settings, "model_dump_for_manifest") else {}
    )
    digest.update(repr(sorted(dump.items(), key=str)).encode())
    for line in provenance:
        digest.update(line.encode())
    package = Path(ina.__file__).parent
    for name in _CODE_PACKAGES:
        for file in sorted((package / name).rglob("*")):
            if file.suffix in {".py", ".yml", ".csv"}:
                digest.update(file.relative_to(package).as_posix().encode())
                digest.update(file.read_bytes())
    digest.update(pd.__version__.encode())
    return digest.hexdigest()[:32]


_FILE_DIGESTS: dict[tuple[str, int, int], str] = {}


def _file_digest(path: Path) -> str:
    """SHA-256 of a source file, remembered per path, size and modification time (every
    notebook asks for the same files' digests; reading them once per process is enough)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _FILE_DIGESTS:
        _FILE_DIGESTS[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _FILE_DIGESTS[key]


def results_cache_file(context: Any) -> Path:
    """Where :func:`load_results` caches the results of this configuration and these extracts.

    Keyed by the bytes of every configured source file (hashed directly: unpickling every
    extract just to read its checksum cost seconds per notebook), the configuration, the
    catalogue and the code.
    """
    settings = context.settings
    root = Path(settings.root)
    provenance = []
    for name in settings.source_names():
        located = settings.source_path(name)
        for path in located if isinstance(located, list) else [located]:
            path = Path(path)
            relative = Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()
            provenance.append(f"{name}:{relative}:{_file_digest(path)}")
    return Path(settings.root) / ".ina-cache" / f"indicators-{_digest(settings, provenance)}.pickle"


def load_results(context: Any, *, use_cache: bool = True) -> IndicatorResults:
    """The build's indicator results for a chapter context (computed once, then cached).

    The cache lives in ``<config folder>/.ina-cache/indicators-<digest>.pickle``; the
    digest covers the configuration, the SHA-256 of every source file, the catalogue and
    the code, so a changed extract, definition or method can never be hidden by it.
    """
    cache = results_cache_file(context)
    if use_cache:
        cached = read_cached(cache, IndicatorResults)
        if cached is not None:
            return cached
    results = build_results(EngineInputs.from_context(context))
    if use_cache:
        write_cached(cache, results, stale="indicators-*.pickle")
    return results
