"""Crude rates with Poisson confidence intervals.

The Fingertips method for a count of events per population (e.g. admissions per 100,000):
the count is treated as Poisson, with the exact interval below 10 events and Byar's
approximation from 10 (Breslow & Day 1987), as PHEindicatormethods' ``phe_rate``
(reproduced to 1e-9 in ``tests/stats/test_rates.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ina.stats._confidence import (
    ConfidenceLike,
    GroupBy,
    add_interval_columns,
    check_multiplier,
    check_non_negative,
    counts_by_group,
    group_keys,
    normalise_confidence,
    number_text,
    reject_where,
    require_columns,
)
from ina.stats.intervals import EXACT_POISSON_BELOW, _poisson_interval

__all__ = ["crude_rate"]


def crude_rate(
    data: pd.DataFrame,
    x: str,
    n: str,
    *,
    confidence: ConfidenceLike = 0.95,
    multiplier: float = 100_000,
    group_by: GroupBy = None,
) -> pd.DataFrame:
    """Crude rate ``x / n × multiplier`` with Poisson confidence limits.

    Exact Poisson interval via chi-squared (Garwood 1936) for counts below 10, Byar's
    approximation (Breslow & Day 1987) from 10 upwards; the count's limits are divided
    by the denominator. As ``phe_rate`` in PHEindicatormethods. Unlike a proportion,
    the count may exceed the denominator (several events per person, or person-years).

    Parameters
    ----------
    data, x, n:
        Tidy frame and the names of its event-count and population columns.
    confidence:
        One or more levels; see :func:`ina.stats.proportions.proportion`.
    multiplier:
        Rate per this many people (default 100,000; labelled "rate per 100000").
    group_by:
        Column(s) to sum counts and populations within; one row per group, in order of
        first appearance. Without it each row is its own rate and all columns are kept.

    Returns
    -------
    The group columns (or all input columns), ``x``, ``n``, ``value``, the interval
    columns, ``confidence``, ``statistic`` and ``method`` ("Exact" or "Byars"; missing
    when the count is missing). A missing count or population gives missing outputs.
    Negative values and a zero population raise :class:`~ina.errors.StatisticsError`.
    """
    keys = group_keys(group_by)
    require_columns(data, [x, n, *keys], "crude_rate")
    levels = normalise_confidence(confidence)
    scale = check_multiplier(multiplier)
    check_non_negative(data, [x, n], [])

    result = counts_by_group(data, x, n, keys)
    count = result[x].to_numpy(dtype=float)
    population = result[n].to_numpy(dtype=float)
    reject_where(population == 0, result, keys, f"population {n!r} is 0, so the rate is undefined")

    result["value"] = count / population * scale

    def limits(level: float) -> tuple[np.ndarray, np.ndarray]:
        lower, upper = _poisson_interval(count, level)
        return lower / population * scale, upper / population * scale

    add_interval_columns(result, levels, limits)
    result["statistic"] = f"rate per {number_text(scale)}"
    if levels:
        method = np.where(count < EXACT_POISSON_BELOW, "Exact", "Byars").astype(object)
        method[np.isnan(count)] = None
        result["method"] = pd.array(method, dtype="string")
    return result
