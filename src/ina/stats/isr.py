"""Indirectly standardised ratios (e.g. SMRs) and rates.

Indirect standardisation compares the events observed in an area with those expected
if the reference population's age-specific rates (England, say) applied to the area's
own age structure. It is the method of choice for small areas and rare events, where
the age-specific rates a DSR needs are too unstable. As PHEindicatormethods'
``calculate_ISRatio`` / ``calculate_ISRate`` (reproduced to 1e-9 in
``tests/stats/test_isr.py``):

* expected ``E = Σ_i x_ref,i / n_ref,i · n_i`` over age bands;
* ratio ``O / E × refvalue``; rate ``O / E × (Σ x_ref / Σ n_ref × multiplier)``;
* limits from the Poisson interval for ``O`` (exact below 10 events, Byar's from 10;
  Breslow & Day 1987), divided by ``E`` and scaled the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ina.errors import StatisticsError
from ina.stats._confidence import (
    ConfidenceLike,
    GroupBy,
    add_interval_columns,
    check_multiplier,
    check_non_negative,
    group_keys,
    normalise_confidence,
    number_text,
    numeric_values,
    reject_where,
    require_columns,
)
from ina.stats.intervals import EXACT_POISSON_BELOW, _poisson_interval

__all__ = ["indirectly_standardised_rate", "indirectly_standardised_ratio"]

Reference = str | Sequence[float] | np.ndarray | pd.Series

_ALL = "__ina_all_rows__"


def _reference_values(
    data: pd.DataFrame,
    groups: pd.DataFrame,
    reference: Reference,
    role: str,
    group_columns: list[str],
    keys: list[str],
) -> np.ndarray:
    """Reference counts or populations per row: a column, or a vector repeated per group.

    ``groups`` holds the grouping columns of ``data`` (with a constant column when the
    caller gave none), on a fresh 0..n-1 index.

    A vector is matched to each group's rows by position (the R package's
    ``refpoptype = "vector"``), so every group must have exactly as many rows as it has
    entries; otherwise an age band is missing or extra, which is an error.
    """
    if isinstance(reference, str):
        return numeric_values(data, reference)
    values = (
        reference.to_numpy(dtype=float, na_value=np.nan)
        if isinstance(reference, pd.Series)
        else np.asarray(reference, dtype=float)
    )
    if values.ndim != 1:
        raise StatisticsError(f"{role} must be a column name or a one-dimensional vector")
    grouped = groups.groupby(group_columns, sort=False, dropna=False)
    rows_per_group = grouped[group_columns[0]].transform("size").to_numpy()
    reject_where(
        rows_per_group != len(values),
        groups,
        keys,
        f"{role} has {len(values)} age bands but this group has a different number of "
        "rows (missing or extra age bands)",
    )
    return values[grouped.cumcount().to_numpy()]


def _indirect(
    data: pd.DataFrame,
    x: str,
    n: str,
    x_ref: Reference,
    n_ref: Reference,
    group_by: GroupBy,
    observed_totals: pd.DataFrame | None,
    role: str,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Shared core: returns (group frame, observed, expected, reference rate per person)."""
    keys = group_keys(group_by)
    reference_columns = [c for c in (x_ref, n_ref) if isinstance(c, str)]
    observed_in_data = observed_totals is None
    require_columns(data, [*([x] if observed_in_data else []), n, *keys, *reference_columns], role)
    check_non_negative(data, [*([x] if observed_in_data else []), n, *reference_columns], [])

    frame = pd.DataFrame({key: data[key] for key in keys}, index=data.index)
    if not keys:
        frame[_ALL] = 0
    group_columns = keys if keys else [_ALL]
    frame = frame.reset_index(drop=True)

    reference_count = _reference_values(data, frame, x_ref, "x_ref", group_columns, keys)
    reference_population = _reference_values(data, frame, n_ref, "n_ref", group_columns, keys)
    if np.any(reference_count < 0) or np.any(reference_population < 0):
        raise StatisticsError(f"{role}: reference counts and populations must not be negative")
    reject_where(
        np.isnan(reference_population) | (reference_population == 0),
        frame,
        keys,
        "the reference population n_ref is missing or 0 in an age band",
    )
    # Missing reference counts or local populations contribute nothing, as in the R
    # package (a band with no local population can have no expected events).
    reference_count = np.nan_to_num(reference_count, nan=0.0)
    population = np.nan_to_num(numeric_values(data, n), nan=0.0)
    frame["__expected"] = reference_count / reference_population * population
    frame["__reference_count"] = reference_count
    frame["__reference_population"] = reference_population
    if observed_in_data:
        frame["__observed"] = np.nan_to_num(numeric_values(data, x), nan=0.0)

    totals = frame.groupby(group_columns, sort=False, dropna=False).sum().reset_index()

    if observed_totals is not None:
        require_columns(observed_totals, [*keys, x], f"{role} observed_totals")
        check_non_negative(observed_totals, [x], keys)
        if keys:
            if observed_totals.duplicated(keys).any():
                raise StatisticsError(f"{role}: observed_totals has more than one row per group")
            supplied = observed_totals[[*keys, x]].rename(columns={x: "__observed"})
            merged = totals.merge(supplied, on=keys, how="left", indicator=True)
            reject_where(
                (merged["_merge"] != "both").to_numpy(),
                merged,
                keys,
                f"observed_totals has no {x!r} for this group",
            )
            extra = len(observed_totals) - int((merged["_merge"] == "both").sum())
            if extra:
                raise StatisticsError(
                    f"{role}: observed_totals has {extra} group(s) not in the data"
                )
            totals = merged.drop(columns="_merge")
        else:
            if len(observed_totals) != 1:
                raise StatisticsError(
                    f"{role}: without group_by, observed_totals must have exactly one row"
                )
            totals["__observed"] = numeric_values(observed_totals, x)[0]

    observed = totals["__observed"].to_numpy(dtype=float)
    reject_where(np.isnan(observed), totals, keys, f"observed count {x!r} is missing")
    expected = totals["__expected"].to_numpy(dtype=float)
    reject_where(
        expected <= 0,
        totals,
        keys,
        "expected count is 0 (no population, or reference rates of 0 in every band), "
        "so the ratio is undefined",
    )
    reference_rate = (
        totals["__reference_count"].to_numpy() / totals["__reference_population"].to_numpy()
    )
    result = pd.DataFrame({key: totals[key] for key in keys})
    result["observed"] = observed
    result["expected"] = expected
    return result, observed, expected, reference_rate


def _finish(
    result: pd.DataFrame,
    observed: np.ndarray,
    expected: np.ndarray,
    scale: np.ndarray | float,
    levels: tuple[float, ...],
    statistic: str,
) -> pd.DataFrame:
    result["value"] = observed / expected * scale

    def limits(level: float) -> tuple[np.ndarray, np.ndarray]:
        lower, upper = _poisson_interval(observed, level)
        return lower / expected * scale, upper / expected * scale

    add_interval_columns(result, levels, limits)
    result["statistic"] = statistic
    if levels:
        method = np.where(observed < EXACT_POISSON_BELOW, "Exact", "Byars")
        result["method"] = pd.array(method.astype(object), dtype="string")
    return result


def indirectly_standardised_ratio(
    data: pd.DataFrame,
    x: str,
    n: str,
    x_ref: Reference,
    n_ref: Reference,
    *,
    group_by: GroupBy = None,
    confidence: ConfidenceLike = 0.95,
    refvalue: float = 1,
    observed_totals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indirectly standardised ratio ``O / E × refvalue`` (e.g. an SMR with refvalue 100).

    Indirect standardisation with Poisson limits on the observed count (exact below 10,
    Byar's approximation from 10; Breslow & Day 1987), as ``calculate_ISRatio``.

    Parameters
    ----------
    data:
        Tidy frame, one row per age band per group, with local counts and populations.
    x, n:
        Observed event count and population columns. Missing counts and populations
        count as 0 (a band with no people has no observed or expected events).
    x_ref, n_ref:
        Reference (e.g. England) counts and populations per band: column names, or
        vectors matched to each group's rows by position.
    group_by:
        Column(s) identifying areas; one output row each, in order of first appearance.
    confidence:
        One or more levels; see :func:`ina.stats.proportions.proportion`.
    refvalue:
        1 for a ratio, 100 for an SMR expressed with England = 100.
    observed_totals:
        Optional frame of observed totals (the ``group_by`` columns and ``x``), for
        when events are not available by age band; ``data`` then need not contain ``x``.

    Returns
    -------
    Group columns, ``observed``, ``expected``, ``value``, interval columns,
    ``confidence``, ``statistic`` ("indirectly standardised ratio x 100") and ``method``.
    """
    levels = normalise_confidence(confidence)
    scale = check_multiplier(refvalue)
    result, observed, expected, _ = _indirect(
        data, x, n, x_ref, n_ref, group_by, observed_totals, "indirectly_standardised_ratio"
    )
    return _finish(
        result,
        observed,
        expected,
        scale,
        levels,
        f"indirectly standardised ratio x {number_text(scale)}",
    )


def indirectly_standardised_rate(
    data: pd.DataFrame,
    x: str,
    n: str,
    x_ref: Reference,
    n_ref: Reference,
    *,
    group_by: GroupBy = None,
    confidence: ConfidenceLike = 0.95,
    multiplier: float = 100_000,
    observed_totals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indirectly standardised rate ``O / E × reference crude rate`` per ``multiplier``.

    The ratio of :func:`indirectly_standardised_ratio` applied to the reference
    population's crude rate ``Σ x_ref / Σ n_ref × multiplier``, with limits scaled the
    same way (Poisson on ``O``; Breslow & Day 1987), as ``calculate_ISRate``. Arguments
    as for :func:`indirectly_standardised_ratio`; the output adds ``ref_rate``.
    """
    levels = normalise_confidence(confidence)
    scale = check_multiplier(multiplier)
    result, observed, expected, reference_rate = _indirect(
        data, x, n, x_ref, n_ref, group_by, observed_totals, "indirectly_standardised_rate"
    )
    result["ref_rate"] = reference_rate * scale
    return _finish(
        result,
        observed,
        expected,
        reference_rate * scale,
        levels,
        f"indirectly standardised rate per {number_text(scale)}",
    )
