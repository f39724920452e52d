"""Confidence levels and result tables: one way to read them, one way to name columns.

Public health analysts write confidence levels both as fractions (``0.95``, ``0.998``) and
as percentages (``95``, ``99.8``); Fingertips publishes 95% and 99.8% limits side by side.
Every function in :mod:`ina.stats` accepts either form, and names its output columns the
way PHEindicatormethods does (``lowercl``/``uppercl`` for one level, ``lower95_0cl``,
``upper99_8cl`` ... for several) so that results can be compared with the R package and
with Fingertips downloads column for column.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from numbers import Real

import numpy as np
import pandas as pd
from scipy import stats as _scipy_stats

from ina.errors import StatisticsError

#: The range PHEindicatormethods accepts: 90% to 100% (as a fraction or a percentage).
MIN_CONFIDENCE = 0.9

ConfidenceLike = float | int | Iterable[float | int] | None


def _one_level(value: object) -> float:
    """Read one confidence level as a fraction in [0.9, 1], or raise ``StatisticsError``."""
    if isinstance(value, bool) or not isinstance(value, Real | np.number):
        raise StatisticsError(f"confidence must be a number such as 0.95 or 95, got {value!r}")
    level = float(value)
    if math.isnan(level):
        raise StatisticsError("confidence must be a number such as 0.95 or 95, got NaN")
    # Percentages are divided by 100; rounding removes float noise (99.8 / 100 is not
    # exactly 0.998) so that 99.8 and 0.998 give bit-identical limits.
    if 1 < level <= 100:
        level = round(level / 100, 12)
    if not MIN_CONFIDENCE <= level <= 1:
        raise StatisticsError(
            f"confidence must be between 0.9 and 1 (or between 90 and 100), got {value!r}"
        )
    return level


def normalise_confidence(confidence: ConfidenceLike) -> tuple[float, ...]:
    """Return confidence level(s) as a tuple of fractions, in the order given.

    Accepts ``0.95``, ``95``, ``99.8``, ``0.998`` or a sequence such as ``[0.95, 0.998]``.
    ``None`` means "no confidence interval" and gives an empty tuple (PHEindicatormethods'
    ``confidence = NA``). Anything outside 90%-100%, non-numeric, or repeated raises
    :class:`~ina.errors.StatisticsError`, because a typo such as ``0.095`` would otherwise
    publish a meaningless interval.
    """
    if confidence is None:
        return ()
    if isinstance(confidence, str):
        raise StatisticsError(
            f"confidence must be a number such as 0.95 or 95, got the text {confidence!r}"
        )
    if isinstance(confidence, Iterable):
        levels = tuple(_one_level(value) for value in confidence)
        if not levels:
            raise StatisticsError("confidence must name at least one level, got an empty list")
    else:
        levels = (_one_level(confidence),)
    if len(set(levels)) != len(levels):
        raise StatisticsError(f"confidence levels must be distinct, got {confidence!r}")
    return levels


def single_confidence(confidence: float | int) -> float:
    """Return exactly one confidence level as a fraction (for the interval primitives)."""
    levels = normalise_confidence(confidence)
    if len(levels) != 1:
        raise StatisticsError(f"expected one confidence level, got {confidence!r}")
    return levels[0]


def confidence_suffix(level: float | int) -> str:
    """Return the column-name suffix for a level: ``"95_0"`` for 95%, ``"99_8"`` for 99.8%.

    Matches PHEindicatormethods' names (``lower95_0cl``, ``upper99_8cl``); levels with more
    decimal places keep them (99.95% gives ``"99_95"``).
    """
    percent = _one_level(level) * 100
    text = f"{round(percent, 8):.10g}"
    if "." not in text:
        text += ".0"
    return text.replace(".", "_")


def interval_columns(levels: tuple[float, ...]) -> list[tuple[str, str]]:
    """Return ``(lower, upper)`` column names for each level, PHEindicatormethods style.

    One level gives ``[("lowercl", "uppercl")]``; several give ``lower95_0cl`` /
    ``upper95_0cl`` and so on, in the order the levels were given.
    """
    if len(levels) == 1:
        return [("lowercl", "uppercl")]
    return [(f"lower{confidence_suffix(c)}cl", f"upper{confidence_suffix(c)}cl") for c in levels]


def confidence_label(levels: tuple[float, ...]) -> str:
    """Return levels as text for a ``confidence`` column, e.g. ``"95%"`` or ``"95%, 99.8%"``."""
    return ", ".join(f"{round(c * 100, 8):.10g}%" for c in levels)


def z_value(confidence: float | int) -> float:
    """Two-sided standard normal quantile for a confidence level: 1.95996... for 95%.

    ``z = Φ⁻¹(c + (1 - c)/2)`` (written this way, rather than ``(1 + c)/2``, so that the
    floating-point result matches the R package bit for bit); confidence 1 gives ``inf``.
    """
    level = single_confidence(confidence)
    return float(_scipy_stats.norm.ppf(level + (1 - level) / 2))


# --- shared handling of input and result tables -------------------------------------------
#
# Every frame-level function in ina.stats (proportions, rates, means, DSR, ISR) reads tidy
# frames the same way: named columns, optional grouping, NA-propagating sums, and errors
# that name the offending row or group. Keeping that here means they agree exactly.

GroupBy = str | Sequence[str] | None


def group_keys(group_by: GroupBy) -> list[str]:
    """Return the grouping columns as a list (``None`` means no grouping)."""
    if group_by is None:
        return []
    if isinstance(group_by, str):
        return [group_by]
    keys = list(group_by)
    if len(set(keys)) != len(keys):
        raise StatisticsError(f"group_by names a column twice: {keys!r}")
    return keys


def require_columns(data: pd.DataFrame, columns: Iterable[str], role: str) -> None:
    """Raise ``StatisticsError`` naming any of ``columns`` that ``data`` lacks."""
    if not isinstance(data, pd.DataFrame):
        raise StatisticsError(f"{role}: data must be a pandas DataFrame, got {type(data).__name__}")
    missing = [column for column in columns if column not in data.columns]
    if missing:
        raise StatisticsError(
            f"{role}: column(s) {missing!r} not found; the data has {list(data.columns)!r}"
        )


def numeric_values(data: pd.DataFrame, column: str) -> np.ndarray:
    """Return a column as float64 (pandas NA becomes NaN); text raises ``StatisticsError``."""
    series = data[column]
    if not (pd.api.types.is_numeric_dtype(series) or series.isna().all()) or (
        pd.api.types.is_bool_dtype(series)
    ):
        raise StatisticsError(f"column {column!r} must be numeric, found dtype {series.dtype}")
    return series.to_numpy(dtype=float, na_value=np.nan)


def describe_position(table: pd.DataFrame, position: int, keys: Sequence[str]) -> str:
    """Say where a row is, for error messages: its group values, else its index label."""
    if keys:
        values = ", ".join(f"{key}={table[key].iloc[position]!r}" for key in keys)
        return f"group {values}"
    return f"row {table.index[position]!r}"


def reject_where(bad: np.ndarray, table: pd.DataFrame, keys: Sequence[str], message: str) -> None:
    """Raise ``StatisticsError(message + where)`` for the first ``True`` in ``bad``."""
    if np.any(bad):
        first = int(np.flatnonzero(bad)[0])
        raise StatisticsError(f"{message} ({describe_position(table, first, keys)})")


def check_non_negative(data: pd.DataFrame, columns: Iterable[str], keys: Sequence[str]) -> None:
    """Counts and populations cannot be negative: raise naming the column and row."""
    for column in columns:
        values = numeric_values(data, column)
        reject_where(values < 0, data, keys, f"column {column!r} must not be negative")


def check_multiplier(multiplier: float) -> float:
    """A multiplier scales a rate (per 100,000 ...); it must be a positive number."""
    if isinstance(multiplier, bool) or not isinstance(multiplier, Real | np.number):
        raise StatisticsError(f"multiplier must be a positive number, got {multiplier!r}")
    value = float(multiplier)
    if not (math.isfinite(value) and value > 0):
        raise StatisticsError(f"multiplier must be a positive number, got {multiplier!r}")
    return value


def number_text(value: float) -> str:
    """Format a multiplier for a statistic label: 100000 -> "100000", 0.5 -> "0.5"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def grouped_sums(data: pd.DataFrame, columns: Sequence[str], keys: Sequence[str]) -> pd.DataFrame:
    """Sum ``columns`` within groups, a missing value making that group's sum missing.

    R's ``sum()`` (what PHEindicatormethods uses) propagates NA, so an area with a missing
    numerator gets a missing result instead of a silently smaller one. Groups keep the
    order in which they first appear; missing group keys form their own group.
    Returns the keys as ordinary columns followed by the sums, one row per group.
    """
    frame = pd.DataFrame({key: data[key] for key in keys})
    for column in columns:
        frame[column] = numeric_values(data, column)
    grouped = frame.groupby(list(keys), sort=False, dropna=False)
    sums = grouped[list(columns)].sum(min_count=1)
    any_missing = (
        frame[list(columns)]
        .isna()
        .groupby([frame[key] for key in keys], sort=False, dropna=False)
        .any()
    )
    sums = sums.mask(any_missing.to_numpy())
    return sums.reset_index()


def counts_by_group(data: pd.DataFrame, x: str, n: str, keys: Sequence[str]) -> pd.DataFrame:
    """Numerator ``x`` and denominator ``n`` as numbers: summed per group, or per row.

    Proportions and crude rates both start here: grouped, one row per group with the keys
    and the sums (see :func:`grouped_sums`); ungrouped, every input row with ``x`` and
    ``n`` converted to numbers.
    """
    if keys:
        return grouped_sums(data, [x, n], keys)
    result = data.copy()
    result[x] = numeric_values(data, x)
    result[n] = numeric_values(data, n)
    return result


def add_interval_columns(
    result: pd.DataFrame,
    levels: tuple[float, ...],
    limits: Callable[[float], tuple[np.ndarray, np.ndarray]],
) -> None:
    """Add lower/upper columns for each level (named as PHEindicatormethods does), in place.

    ``limits(level)`` returns the (lower, upper) arrays for one confidence level.
    """
    for level, (lower_name, upper_name) in zip(levels, interval_columns(levels), strict=True):
        lower, upper = limits(level)
        result[lower_name] = lower
        result[upper_name] = upper
    if levels:
        result["confidence"] = confidence_label(levels)
