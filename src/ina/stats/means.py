"""Means with Student's t confidence intervals.

For indicators that are averages of individual values (e.g. mean waiting time, mean
score): the interval ``mean ± t(n−1) · s / √n`` (Student 1908), as PHEindicatormethods'
``phe_mean`` (reproduced to 1e-9 in ``tests/stats/test_means.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as _scipy_stats

from ina.stats._confidence import (
    ConfidenceLike,
    GroupBy,
    add_interval_columns,
    group_keys,
    normalise_confidence,
    numeric_values,
    require_columns,
)

__all__ = ["mean_with_ci"]


def mean_with_ci(
    data: pd.DataFrame,
    x: str,
    *,
    confidence: ConfidenceLike = 0.95,
    group_by: GroupBy = None,
) -> pd.DataFrame:
    """Mean of column ``x`` with Student's t confidence limits, per group.

    Student's t-distribution interval (Student 1908): ``mean ± |t_{(1−c)/2, n−1}| · s/√n``
    with ``s`` the sample standard deviation (``n − 1`` divisor), as ``phe_mean``. The t
    distribution, rather than the normal, accounts for estimating the spread from the
    same small sample.

    Parameters
    ----------
    data, x:
        Tidy frame with one row per individual value, and the name of the value column.
    confidence:
        One or more levels; see :func:`ina.stats.proportions.proportion`.
    group_by:
        Column(s) defining groups (one output row each, in order of first appearance);
        ``None`` summarises the whole frame in one row.

    Returns
    -------
    The group columns, ``value_sum``, ``value_count``, ``stdev``, ``value`` (the mean),
    the interval columns, ``confidence``, ``statistic`` ("mean") and ``method``
    ("Student's t-distribution"). A missing value in a group makes that group's outputs
    missing (as R's ``sum``/``sd`` do) rather than averaging fewer values unannounced;
    a group of one value has no spread, so its ``stdev`` and limits are missing.
    """
    keys = group_keys(group_by)
    require_columns(data, [x, *keys], "mean_with_ci")
    levels = normalise_confidence(confidence)

    values = pd.Series(numeric_values(data, x), index=data.index, name=x)
    if keys:
        grouper = [data[key] for key in keys]
        grouped = values.groupby(grouper, sort=False, dropna=False)
        has_missing = values.isna().groupby(grouper, sort=False, dropna=False).any()
        summary = pd.DataFrame(
            {
                "value_sum": grouped.sum(),
                "value_count": grouped.size(),
                "stdev": grouped.std(ddof=1),
            }
        )
        for column in ("value_sum", "stdev"):
            summary[column] = summary[column].mask(has_missing)
        summary = summary.reset_index(names=keys)
    else:
        missing = bool(values.isna().any())
        summary = pd.DataFrame(
            {
                "value_sum": [np.nan if missing else values.sum()],
                "value_count": [len(values)],
                "stdev": [np.nan if missing else values.std(ddof=1)],
            }
        )

    total = summary["value_sum"].to_numpy(dtype=float)
    count = summary["value_count"].to_numpy(dtype=float)
    spread = summary["stdev"].to_numpy(dtype=float)
    mean = total / count
    summary["value"] = mean
    standard_error = spread / np.sqrt(count)

    def limits(level: float) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(invalid="ignore"):
            t = np.abs(_scipy_stats.t.ppf((1 - level) / 2, count - 1))
        return mean - t * standard_error, mean + t * standard_error

    add_interval_columns(summary, levels, limits)
    summary["statistic"] = "mean"
    if levels:
        summary["method"] = "Student's t-distribution"
    return summary
