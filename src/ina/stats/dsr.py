"""Directly standardised rates (DSRs) with Dobson confidence intervals.

A DSR is the rate an area would have if its age structure were the standard
population's, which is what makes, say, a coastal district with many older residents
comparable with a young city. Method: age-specific rates weighted by a standard
population (ESP2013 by default in Fingertips), with the Dobson et al. (1991) interval,
as PHEindicatormethods' ``calculate_dsr`` v2.1.0, including its variant for
non-independent events (one person admitted several times). Reproduced to 1e-9 in
``tests/stats/test_dsr.py``.
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
    describe_position,
    group_keys,
    normalise_confidence,
    number_text,
    numeric_values,
    reject_where,
    require_columns,
)
from ina.stats.intervals import _byars_lower, _byars_upper

__all__ = ["MINIMUM_DSR_COUNT", "directly_standardised_rate"]

#: Fingertips publishes no DSR when the total count is below 10: the Dobson interval is
#: unreliable there and the rate too unstable to compare (a publication rule, so the
#: row is returned with missing value and limits and a statistic that says why).
MINIMUM_DSR_COUNT = 10

_ALL = "__ina_all_rows__"  # a constant grouping key when the caller gives none
_WEIGHT = "__ina_standard__"
_EVENTS = "__ina_events__"
_EVENTS_SQUARED = "__ina_events_squared__"

StandardPopulation = str | Sequence[float] | np.ndarray | pd.Series


def _check_consistent_within_band(
    rows: pd.DataFrame, column: str, band_keys: list[str], what: str
) -> None:
    """Raise if ``column`` takes more than one value within one group's age band."""
    grouped = rows.groupby(band_keys, sort=False, dropna=False)[column]
    spread = (grouped.max() - grouped.min()).to_numpy()
    if np.any(spread > 0):
        bands = grouped.max().index[np.flatnonzero(spread > 0)[0]]
        raise StatisticsError(
            f"{what} {column!r} differs between rows of the same age band ({bands!r}); "
            "it must be the same on every row of a band"
        )


def _standard_weights(
    bands: pd.DataFrame,
    keys: list[str],
    standard_population: StandardPopulation,
    age_band: str | None,
) -> np.ndarray:
    """Give each (group, age band) row its standard population weight, or raise.

    A vector standard is matched by position within each group (as the R package
    does), or by label when it is a Series indexed by band labels and ``age_band`` is
    given. Every group must have every band: a missing band would silently reweight
    the rate, so it is an error.
    """
    band_counts = bands.groupby(keys, sort=False, dropna=False)[keys[0]].transform("size")
    band_counts = band_counts.to_numpy()
    if isinstance(standard_population, str):
        weights = bands[_WEIGHT].to_numpy(dtype=float)
        expected = int(band_counts.max())
        reject_where(
            band_counts < expected,
            bands,
            keys,
            f"missing age bands: every group needs all {expected} bands that the largest group has",
        )
        return weights

    if isinstance(standard_population, pd.Series):
        standard = standard_population
    else:
        standard = pd.Series(np.asarray(standard_population, dtype=float))
    standard_values = standard.to_numpy(dtype=float, na_value=np.nan)
    if np.any(np.isnan(standard_values)) or np.any(standard_values < 0):
        raise StatisticsError("standard_population must be non-negative with none missing")

    labelled = (
        isinstance(standard_population, pd.Series)
        and age_band is not None
        and not isinstance(standard.index, pd.RangeIndex)
    )
    if labelled:
        lookup = pd.Series(standard_values, index=standard.index.astype(str))
        labels = bands[age_band].astype(str)
        unknown = ~labels.isin(lookup.index).to_numpy()
        if unknown.any():
            first = int(np.flatnonzero(unknown)[0])
            raise StatisticsError(
                f"age band {labels.iloc[first]!r} is not in the standard population "
                f"(bands {list(lookup.index)!r}; {describe_position(bands, first, keys)})"
            )
        reject_where(
            band_counts != len(standard),
            bands,
            keys,
            f"missing age bands: the standard population has {len(standard)} bands",
        )
        return lookup.reindex(labels.to_numpy()).to_numpy(dtype=float)

    reject_where(
        band_counts != len(standard),
        bands,
        keys,
        f"the standard population has {len(standard)} age bands but this group has a "
        "different number (missing or extra age bands)",
    )
    position = bands.groupby(keys, sort=False, dropna=False).cumcount().to_numpy()
    return standard_values[position]


def directly_standardised_rate(
    data: pd.DataFrame,
    x: str,
    n: str,
    *,
    standard_population: StandardPopulation,
    group_by: GroupBy = None,
    confidence: ConfidenceLike = 0.95,
    multiplier: float = 100_000,
    independent_events: bool = True,
    event_frequency: str | None = None,
    age_band: str | None = None,
) -> pd.DataFrame:
    """Directly standardised rate per ``multiplier`` with Dobson confidence limits.

    Method (Dobson et al. 1991; Breslow & Day 1987), as ``calculate_dsr`` v2.1.0:

    * ``DSR = Σ w_i·x_i/n_i / Σ w_i × multiplier`` over age bands ``i``, with standard
      population weights ``w_i``;
    * ``var(DSR) = Σ w_i²·v_i/n_i² / (Σ w_i)² × multiplier²`` where ``v_i = x_i`` for
      independent events (Poisson) and, for non-independent events,
      ``v_i = Σ_f f²·p_{if}`` over event frequencies ``f`` with ``p_{if}`` people having
      ``f`` events each (repeat events by one person add more than their count to the
      variance);
    * limits ``DSR + √(var(DSR)/O) · (O_limit − O)`` with ``O`` the total count and
      ``O_limit`` Byar's limits for ``O`` (Breslow & Day 1987).

    A total count below 10 gives missing value and limits with statistic
    "dsr NA for total count < 10" (the Fingertips publication rule; not an error).

    Parameters
    ----------
    data:
        Tidy frame, one row per age band (per group), or for non-independent events
        one row per age band and event frequency.
    x:
        Event counts; for non-independent events, the number of *people* with
        ``event_frequency`` events. Missing counts are treated as 0 events, as in the R
        package (age bands absent from an events extract had none).
    n:
        Population of the age band (repeated on each frequency row for
        non-independent events). Must be positive and present.
    standard_population:
        A column name, or a vector matched to each group's bands by position (the
        group's rows in order), or a Series indexed by band label (such as
        :data:`ina.stats.standard_populations.ESP2013`) which is matched by label when
        ``age_band`` is given.
    group_by:
        Column(s) identifying each area/period; one output row per group in order of
        first appearance. ``event_frequency`` is never a grouping and is dropped from it.
    confidence, multiplier:
        Confidence level(s) (see :func:`ina.stats.proportions.proportion`); rate per
        this many people (default 100,000).
    independent_events, event_frequency, age_band:
        For non-independent events set ``independent_events=False`` and name the
        event-frequency and age-band columns. With independent events ``age_band`` is
        optional; rows sharing a band within a group (e.g. males and females) are
        summed.

    Returns
    -------
    Group columns, ``total_count``, ``total_pop``, ``value``, interval columns,
    ``confidence``, ``statistic`` ("dsr per 100000") and ``method`` ("Dobson", or
    "Dobson, with confidence adjusted for non-independent events").

    Raises
    ------
    StatisticsError
        Negative counts, populations or weights; a missing or zero population; a group
        with missing or extra age bands for the standard population; inconsistent
        populations or weights within a band; missing columns.
    """
    keys = group_keys(group_by)
    if event_frequency is not None:
        keys = [key for key in keys if key != event_frequency]
    if not independent_events and (event_frequency is None or age_band is None):
        raise StatisticsError(
            "non-independent events need event_frequency and age_band columns: the "
            "variance depends on how many people had each number of events per band"
        )
    if independent_events and event_frequency is not None:
        raise StatisticsError("event_frequency applies only with independent_events=False")
    weight_column = standard_population if isinstance(standard_population, str) else None
    needed = [x, n, *keys]
    needed += [c for c in (weight_column, event_frequency, age_band) if c is not None]
    require_columns(data, needed, "directly_standardised_rate")
    levels = normalise_confidence(confidence)
    scale = check_multiplier(multiplier)
    check_non_negative(data, [c for c in (x, n, weight_column, event_frequency) if c], [])

    population = numeric_values(data, n)
    reject_where(np.isnan(population), data, [], f"population {n!r} is missing")
    reject_where(
        population == 0,
        data,
        [],
        f"population {n!r} is 0, so that age band's rate is undefined (combine bands)",
    )

    group_columns = keys if keys else [_ALL]
    rows = pd.DataFrame({key: data[key] for key in keys}, index=data.index)
    if not keys:
        rows[_ALL] = 0
    if age_band is not None:
        rows[age_band] = data[age_band]
    counts = np.nan_to_num(numeric_values(data, x), nan=0.0)
    frequency = numeric_values(data, event_frequency) if event_frequency else 1.0
    rows[_EVENTS] = counts * frequency
    rows[_EVENTS_SQUARED] = counts * frequency**2
    rows[n] = population
    if weight_column is not None:
        rows[_WEIGHT] = numeric_values(data, weight_column)
        reject_where(
            np.isnan(rows[_WEIGHT].to_numpy()), data, [], f"weight {weight_column!r} is missing"
        )

    if age_band is not None:
        band_keys = [*group_columns, age_band]
        if not independent_events:
            _check_consistent_within_band(rows, n, band_keys, "population")
        if weight_column is not None:
            _check_consistent_within_band(rows, _WEIGHT, band_keys, "standard population")
        grouped = rows.groupby(band_keys, sort=False, dropna=False)
        aggregations: dict[str, str] = {_EVENTS: "sum", _EVENTS_SQUARED: "sum"}
        aggregations[n] = "sum" if independent_events else "first"
        if weight_column is not None:
            aggregations[_WEIGHT] = "first"
        bands = grouped.agg(aggregations).reset_index()
    else:
        bands = rows.reset_index(drop=True)

    weights = _standard_weights(bands, group_columns, standard_population, age_band)
    band_population = bands[n].to_numpy(dtype=float)
    bands["weighted_rate"] = weights * bands[_EVENTS].to_numpy() / band_population
    bands["weighted_variance"] = weights**2 * bands[_EVENTS_SQUARED].to_numpy() / band_population**2
    bands["weight"] = weights

    totals = (
        bands.groupby(group_columns, sort=False, dropna=False)[
            [_EVENTS, n, "weighted_rate", "weighted_variance", "weight"]
        ]
        .sum()
        .reset_index()
    )
    total_weight = totals["weight"].to_numpy()
    reject_where(total_weight <= 0, totals, keys, "the standard population weights sum to 0")
    observed = totals[_EVENTS].to_numpy(dtype=float)
    value = totals["weighted_rate"].to_numpy() / total_weight * scale
    variance = totals["weighted_variance"].to_numpy() / total_weight**2 * scale**2
    suppressed = observed < MINIMUM_DSR_COUNT

    result = pd.DataFrame({key: totals[key] for key in keys})
    result["total_count"] = observed
    result["total_pop"] = totals[n].to_numpy(dtype=float)
    result["value"] = np.where(suppressed, np.nan, value)

    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.sqrt(variance / observed)

    def limits(level: float) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(divide="ignore", invalid="ignore"):
            lower = value + spread * (_byars_lower(observed, level) - observed)
            upper = value + spread * (_byars_upper(observed, level) - observed)
        return np.where(suppressed, np.nan, lower), np.where(suppressed, np.nan, upper)

    add_interval_columns(result, levels, limits)
    result["statistic"] = np.where(
        suppressed,
        f"dsr NA for total count < {MINIMUM_DSR_COUNT}",
        f"dsr per {number_text(scale)}",
    )
    result["statistic"] = result["statistic"].astype("string")
    if levels:
        result["method"] = (
            "Dobson"
            if independent_events
            else "Dobson, with confidence adjusted for non-independent events"
        )
    return result
