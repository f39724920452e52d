"""Proportions and percentages with Wilson score confidence intervals.

The Fingertips method for any indicator that is "x out of n" (prevalence, screening
coverage, percentage of a population): the Wilson score interval (Wilson 1927; Newcombe
1998, method 3), reproducing PHEindicatormethods' ``phe_proportion`` to 1e-9
(``tests/stats/test_proportions.py``).
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
from ina.stats.intervals import wilson_lower, wilson_upper

__all__ = ["proportion"]


def _statistic_label(multiplier: float) -> str:
    """ "percentage" for ×100, else "proportion of <multiplier>" (the R package's labels)."""
    return "percentage" if multiplier == 100 else f"proportion of {number_text(multiplier)}"


def proportion(
    data: pd.DataFrame,
    x: str,
    n: str,
    *,
    confidence: ConfidenceLike = 0.95,
    multiplier: float = 1,
    group_by: GroupBy = None,
) -> pd.DataFrame:
    """Proportion ``x / n`` (× ``multiplier``) with Wilson score confidence limits.

    Wilson score interval (Wilson 1927; Newcombe 1998, method 3), as ``phe_proportion``
    in PHEindicatormethods and Fingertips: chosen over the normal approximation because
    it stays inside 0-100% and keeps its coverage for small counts and extreme
    proportions.

    Parameters
    ----------
    data:
        Tidy frame with a numerator and a denominator column.
    x, n:
        Names of the numerator and denominator columns.
    confidence:
        One or more levels (``0.95``, ``99.8``, ``[0.95, 0.998]``); ``None`` for no
        interval. One level gives ``lowercl``/``uppercl``; several give ``lower95_0cl``,
        ``upper95_0cl``, ``lower99_8cl`` ... .
    multiplier:
        1 for a proportion, 100 for a percentage (labelled "percentage").
    group_by:
        Column(s) to group by. Numerators and denominators are summed within each group
        and one row per group is returned (groups in order of first appearance). Without
        it, each row is its own proportion and all input columns are kept, with the
        input index (as ``phe_proportion`` does for ungrouped data).

    Returns
    -------
    The group columns (or all input columns), ``x``, ``n``, ``value``, the interval
    columns, ``confidence``, ``statistic`` and ``method`` ("Wilson").

    A missing numerator or denominator (anywhere in a group) gives missing outputs for
    that row or group, as in the R package. Negative values, a numerator above its
    denominator, or a zero denominator with a numerator raise
    :class:`~ina.errors.StatisticsError`.
    """
    keys = group_keys(group_by)
    require_columns(data, [x, n, *keys], "proportion")
    levels = normalise_confidence(confidence)
    scale = check_multiplier(multiplier)
    check_non_negative(data, [x, n], [])

    result = counts_by_group(data, x, n, keys)
    numerator = result[x].to_numpy(dtype=float)
    denominator = result[n].to_numpy(dtype=float)
    reject_where(
        numerator > denominator,
        result,
        keys,
        f"numerator {x!r} must not exceed denominator {n!r} for a proportion",
    )
    reject_where(
        denominator == 0,
        result,
        keys,
        f"denominator {n!r} is 0, so the proportion is undefined",
    )

    result["value"] = numerator / denominator * scale

    def limits(level: float) -> tuple[np.ndarray, np.ndarray]:
        return (
            wilson_lower(numerator, denominator, level) * scale,
            wilson_upper(numerator, denominator, level) * scale,
        )

    add_interval_columns(result, levels, limits)
    result["statistic"] = _statistic_label(scale)
    if levels:
        result["method"] = "Wilson"
    return result
