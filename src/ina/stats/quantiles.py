"""Assign small areas to quantiles (deciles, quintiles ...) of an indicator, per group.

Method: PHEindicatormethods v2.1.0 ``phe_quantile`` (the Fingertips rule for "decile of
an area within its region" and similar). Within each group of ``N`` non-missing values:

1. rank the values with ties taking the lowest rank (``min``); ascending when
   ``invert`` is false, descending when ``invert`` is true;
2. ``quantile = floor((q + 1) - ceiling(((N + 1) - rank) / (N / q)))``; 0 becomes 1.

With ``invert=False`` quantile 1 holds the lowest values; ``invert=True`` (the default)
puts the highest values in quantile 1 — e.g. for "low is good" indicators, quantile 1 is
the worst-performing areas. Groups with fewer values than quantiles get no quantiles
(NA, with a warning), as the reference does. Every step is a grouped pandas operation,
so 10,000 areas cost the same code path as 10.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ina.errors import StatisticsError


def _group_columns(group_by: str | Sequence[str] | None) -> list[str]:
    return [group_by] if isinstance(group_by, str) else list(group_by or [])


def _invert_per_row(data: pd.DataFrame, invert: bool | str) -> pd.Series:
    """Return a boolean Series of the ``invert`` flag per row, validated."""
    if isinstance(invert, bool | np.bool_):
        return pd.Series(bool(invert), index=data.index)
    if isinstance(invert, str):
        if invert not in data.columns:
            raise StatisticsError(
                f"invert column {invert!r} not found; the data has {list(data.columns)}"
            )
        flags = data[invert]
        if flags.isna().any():
            raise StatisticsError(f"invert column {invert!r} has missing values")
        if flags.dtype != bool:
            text = flags.astype(str).str.upper()
            if not text.isin(["TRUE", "FALSE"]).all():
                bad = flags[~text.isin(["TRUE", "FALSE"])].iloc[0]
                raise StatisticsError(f"invert column {invert!r} must be TRUE/FALSE, found {bad!r}")
            flags = text == "TRUE"
        return flags.astype(bool)
    raise StatisticsError(f"invert must be True, False or a column name, got {invert!r}")


def quantiles(
    data: pd.DataFrame,
    values: str,
    *,
    n_quantiles: int = 10,
    invert: bool | str = True,
    group_by: str | Sequence[str] | None = None,
    quantile_column: str = "quantile",
) -> pd.DataFrame:
    """Return ``data`` with a ``quantile`` column (1..n_quantiles, nullable integer).

    Method and source: PHEindicatormethods v2.1.0 ``phe_quantile`` (module docstring).

    Parameters
    ----------
    values:
        Column with the indicator values; missing values get no quantile.
    n_quantiles:
        Number of quantiles (10 for deciles, 5 for quintiles).
    invert:
        ``True`` ranks the highest value first (quantile 1 = highest values), ``False``
        the lowest; or the name of a boolean column, which must be constant within each
        group (an indicator has one polarity).
    group_by:
        Column(s) defining groups assigned independently (e.g. indicator, sex, region).

    Raises
    ------
    StatisticsError
        Unknown columns, non-numeric values, ``n_quantiles`` < 1, or a group with mixed
        ``invert`` values.
    """
    groups = _group_columns(group_by)
    missing = [c for c in [values, *groups] if c not in data.columns]
    if missing:
        raise StatisticsError(f"column(s) {missing} not found; the data has {list(data.columns)}")
    if isinstance(n_quantiles, bool) or not isinstance(n_quantiles, int | np.integer):
        raise StatisticsError(f"n_quantiles must be a whole number, got {n_quantiles!r}")
    if n_quantiles < 1:
        raise StatisticsError(f"n_quantiles must be at least 1, got {n_quantiles}")
    numbers = pd.to_numeric(data[values], errors="coerce")
    if (numbers.isna() & data[values].notna()).any():
        bad = data.loc[numbers.isna() & data[values].notna(), values].iloc[0]
        raise StatisticsError(f"column {values!r} must be numeric; found {bad!r}")

    flags = _invert_per_row(data, invert)
    if groups:
        grouping = data.groupby(groups, sort=False, dropna=False)
        key = pd.Series(grouping.ngroup().to_numpy(), index=data.index)
        first_row = key.drop_duplicates()
        names = pd.Series(
            [
                ", ".join(map(str, row))
                for row in data.loc[first_row.index, groups].itertuples(index=False)
            ],
            index=first_row.to_numpy(),
        )
    else:
        key = pd.Series(0, index=data.index)
        names = pd.Series(["all data"], index=[0])
    mixed = flags.groupby(key).nunique() > 1
    if mixed.any():
        raise StatisticsError(
            f"invert differs within group(s) {list(names[mixed[mixed].index])}; each group "
            "must have one polarity (all TRUE or all FALSE)"
        )

    # Rank descending where inverted by ranking the negated values (ties keep 'min').
    signed = numbers.where(~flags, -numbers)
    rank = signed.groupby(key).rank(method="min")
    count = numbers.groupby(key).transform("count")
    q = float(n_quantiles)
    with np.errstate(invalid="ignore", divide="ignore"):
        assigned = np.floor((q + 1) - np.ceil(((count + 1) - rank) / (count / q)))
    assigned = assigned.where(assigned != 0, 1)
    too_small = count < n_quantiles
    if too_small.any():
        small_groups = np.unique(key[too_small])
        shown = list(names[small_groups[:5]])
        warnings.warn(
            f"{len(small_groups)} group(s) have fewer than {n_quantiles} values, so no "
            f"quantiles were assigned to them (e.g. {shown})",
            UserWarning,
            stacklevel=2,
        )
        assigned = assigned.where(~too_small)
    result = data.copy()
    result[quantile_column] = assigned.where(numbers.notna()).astype("Int64")
    return result
