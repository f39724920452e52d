"""Confidence interval primitives for proportions and Poisson counts.

These are the building blocks every indicator in the INA uses, written once, vectorised
over numpy arrays and pandas Series (scalars also work), and checked against the
PHEindicatormethods test vectors (``tests/stats/test_intervals.py``):

* :func:`wilson_lower` / :func:`wilson_upper`: Wilson score interval for a proportion
  (Wilson 1927; Newcombe 1998, method 3), the method Fingertips uses for proportions.
* :func:`byars_lower` / :func:`byars_upper`: Byar's approximation to the exact Poisson
  interval for a count (Breslow & Day 1987), used by Fingertips for counts of 10 or more.
* :func:`exact_poisson_lower` / :func:`exact_poisson_upper`: the exact (Garwood 1936)
  Poisson interval via the chi-squared distribution, used for counts below 10.
* :func:`poisson_count_interval`: the Fingertips rule combining the two.

Missing inputs (NaN) give missing limits for that element only; negative counts, counts
larger than denominators and invalid confidence levels raise
:class:`~ina.errors.StatisticsError`, because they are data errors, not small numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np
import pandas as pd
from scipy import stats as _scipy_stats

from ina.errors import StatisticsError
from ina.stats._confidence import (
    confidence_suffix,
    normalise_confidence,
    single_confidence,
    z_value,
)

__all__ = [
    "EXACT_POISSON_BELOW",
    "byars_lower",
    "byars_upper",
    "confidence_suffix",
    "exact_poisson_lower",
    "exact_poisson_upper",
    "normalise_confidence",
    "poisson_count_interval",
    "poisson_interval_method",
    "wilson_lower",
    "wilson_upper",
    "z_value",
]

#: Counts below this use the exact Poisson interval, counts at or above it Byar's
#: approximation (the Fingertips / PHEindicatormethods rule; Byar's is accurate to well
#: under 1% from about 10 events, and much cheaper than the chi-squared quantile).
EXACT_POISSON_BELOW = 10

ArrayLike = float | int | np.ndarray | pd.Series | Sequence[float]
Result = TypeVar("Result", float, np.ndarray, pd.Series)


def _as_float_array(values: ArrayLike, name: str) -> np.ndarray:
    """Return ``values`` as a float array (pandas NA becomes NaN) or raise a clear error."""
    try:
        if isinstance(values, pd.Series):
            return values.to_numpy(dtype=float, na_value=np.nan)
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise StatisticsError(f"{name} must be numeric, got {values!r}") from error


def _shape_like(result: np.ndarray, *templates: ArrayLike) -> float | np.ndarray | pd.Series:
    """Return ``result`` in the caller's container: Series in, Series out; scalars, float."""
    for template in templates:
        if isinstance(template, pd.Series):
            return pd.Series(result, index=template.index, dtype=float)
    if result.ndim == 0:
        return float(result)
    return result


def _check_non_negative(values: np.ndarray, name: str) -> None:
    """Raise when any (non-missing) value is negative: counts and populations cannot be."""
    negative = values < 0  # NaN compares False, so missing values pass through
    if np.any(negative):
        first = np.flatnonzero(np.atleast_1d(negative))[0]
        found = np.atleast_1d(values)[first]
        raise StatisticsError(f"{name} must not be negative, found {found:g} at position {first}")


def _wilson_inputs(x: ArrayLike, n: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate a numerator/denominator pair for the Wilson interval."""
    x_values = _as_float_array(x, "numerator")
    n_values = _as_float_array(n, "denominator")
    _check_non_negative(x_values, "numerator")
    _check_non_negative(n_values, "denominator")
    x_values, n_values = np.broadcast_arrays(x_values, n_values)
    too_big = x_values > n_values
    if np.any(too_big):
        first = np.flatnonzero(np.atleast_1d(too_big))[0]
        raise StatisticsError(
            "numerator must not exceed denominator for a proportion, found "
            f"{np.atleast_1d(x_values)[first]:g} > {np.atleast_1d(n_values)[first]:g} "
            f"at position {first}"
        )
    return x_values, n_values


def _wilson(x: ArrayLike, n: ArrayLike, confidence: float | int, sign: int) -> np.ndarray:
    """Wilson score limit: ``(2x + z² ± z·√(z² + 4x(1 − x/n))) / (2(n + z²))``."""
    x_values, n_values = _wilson_inputs(x, n)
    level = single_confidence(confidence)
    missing = np.isnan(x_values) | np.isnan(n_values)
    if level == 1:
        # z is infinite: the interval is the whole of [0, 1].
        bound = 0.0 if sign < 0 else 1.0
        return np.where(missing, np.nan, bound)
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        # x(1 - x/n), written so that n = 0 (which forces x = 0) gives 0, not 0 * NaN.
        spread = np.where(n_values > 0, x_values * (1 - x_values / n_values), 0.0)
        spread = np.where(missing, np.nan, spread)
        limit = (2 * x_values + z**2 + sign * z * np.sqrt(z**2 + 4 * spread)) / (
            2 * (n_values + z**2)
        )
    # Rounding can put a limit a few ulps outside [0, 1] (e.g. 15/15 gives 1 + 2e-16);
    # a proportion's limit cannot be, so clip (NaN stays NaN).
    return np.clip(limit, 0.0, 1.0)


def wilson_lower(x: ArrayLike, n: ArrayLike, confidence: float | int = 0.95) -> Result:
    """Lower Wilson score limit for the proportion ``x / n``, as a proportion in [0, 1].

    Wilson score interval (Wilson 1927; Newcombe 1998, method 3), as used by Fingertips
    and PHEindicatormethods: unlike the normal ("Wald") interval it stays inside [0, 1]
    and behaves well for proportions near 0 or 1 and for small denominators.
    ``confidence = 1`` gives 0. ``x > n`` or negative inputs raise ``StatisticsError``.
    """
    return _shape_like(_wilson(x, n, confidence, -1), x, n)  # type: ignore[return-value]


def wilson_upper(x: ArrayLike, n: ArrayLike, confidence: float | int = 0.95) -> Result:
    """Upper Wilson score limit for ``x / n`` (Wilson 1927; Newcombe 1998, method 3).

    See :func:`wilson_lower`; ``confidence = 1`` gives 1.
    """
    return _shape_like(_wilson(x, n, confidence, +1), x, n)  # type: ignore[return-value]


def _count_inputs(x: ArrayLike) -> np.ndarray:
    values = _as_float_array(x, "count")
    _check_non_negative(values, "count")
    return values


def _byars_lower(x: np.ndarray, level: float) -> np.ndarray:
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        base = 1 - 1 / (9 * x) - z / (3 * np.sqrt(x))
        limit = x * base**3
    # For x = 0, and for very small x at very high confidence, the cube's base is negative
    # and the approximation breaks down; the lower limit of a count is then 0.
    # (PHEindicatormethods reports NA there; the Fingertips rule never uses Byar's below
    # 10 events, where the two agree.)
    limit = np.where((x == 0) | (base < 0), 0.0, limit)
    return np.where(np.isnan(x), np.nan, limit)


def _byars_upper(x: np.ndarray, level: float) -> np.ndarray:
    z = z_value(level)
    x_plus_1 = x + 1
    return x_plus_1 * (1 - 1 / (9 * x_plus_1) + z / (3 * np.sqrt(x_plus_1))) ** 3


def byars_lower(x: ArrayLike, confidence: float | int = 0.95) -> Result:
    """Lower confidence limit for a Poisson count ``x`` by Byar's approximation.

    Byar's approximation (Breslow & Day 1987, vol. II, p. 69):
    ``x · (1 − 1/(9x) − z/(3√x))³``. Accurate for counts of about 10 or more; the
    result is a count, so divide by the denominator for a rate. Clamped at 0 where the
    approximation would go negative (x = 0, or tiny x at very high confidence).
    """
    values = _count_inputs(x)
    return _shape_like(_byars_lower(values, single_confidence(confidence)), x)  # type: ignore[return-value]


def byars_upper(x: ArrayLike, confidence: float | int = 0.95) -> Result:
    """Upper confidence limit for a Poisson count ``x`` by Byar's approximation.

    Byar's approximation (Breslow & Day 1987): ``(x+1) · (1 − 1/(9(x+1)) + z/(3√(x+1)))³``.
    """
    values = _count_inputs(x)
    return _shape_like(_byars_upper(values, single_confidence(confidence)), x)  # type: ignore[return-value]


def _exact_lower(x: np.ndarray, level: float) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        limit = _scipy_stats.chi2.ppf((1 - level) / 2, 2 * x) / 2
    # chi-squared with 0 degrees of freedom is a point mass at 0 (R's qchisq agrees);
    # scipy returns NaN for df = 0, so set the x = 0 limit explicitly.
    limit = np.where(x == 0, 0.0, limit)
    return np.where(np.isnan(x), np.nan, limit)


def _exact_upper(x: np.ndarray, level: float) -> np.ndarray:
    return _scipy_stats.chi2.ppf(level + (1 - level) / 2, 2 * x + 2) / 2


def exact_poisson_lower(x: ArrayLike, confidence: float | int = 0.95) -> Result:
    """Lower exact confidence limit for a Poisson count via the chi-squared distribution.

    Exact Poisson interval (Garwood 1936; Breslow & Day 1987): ``χ²((1 − c)/2; 2x) / 2``;
    0 for x = 0. Used by Fingertips for counts below 10.
    """
    values = _count_inputs(x)
    return _shape_like(_exact_lower(values, single_confidence(confidence)), x)  # type: ignore[return-value]


def exact_poisson_upper(x: ArrayLike, confidence: float | int = 0.95) -> Result:
    """Upper exact confidence limit for a Poisson count: ``χ²(c + (1 − c)/2; 2x + 2) / 2``.

    Exact Poisson interval (Garwood 1936; Breslow & Day 1987).
    """
    values = _count_inputs(x)
    return _shape_like(_exact_upper(values, single_confidence(confidence)), x)  # type: ignore[return-value]


def _poisson_interval(x: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Fingertips rule on validated float counts: exact below 10 events, Byar's from 10."""
    x = np.asarray(x, dtype=float)
    exact = x < EXACT_POISSON_BELOW
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = _byars_lower(x, level)
        upper = _byars_upper(x, level)
    # The chi-squared quantiles are ~50x slower than Byar's closed form: compute them
    # only for the small counts that need them.
    if np.any(exact):
        small = x[exact]
        lower = np.array(lower, dtype=float)
        upper = np.array(upper, dtype=float)
        lower[exact] = _exact_lower(small, level)
        upper[exact] = _exact_upper(small, level)
    missing = np.isnan(x)
    return np.where(missing, np.nan, lower), np.where(missing, np.nan, upper)


def poisson_count_interval(x: ArrayLike, confidence: float | int = 0.95) -> tuple[Result, Result]:
    """Confidence interval ``(lower, upper)`` for a Poisson count, as counts.

    The Fingertips / PHEindicatormethods rule: the exact chi-squared interval (Garwood
    1936) for counts below 10, Byar's approximation (Breslow & Day 1987) from 10 upwards.
    Divide by the denominator (and multiply by the rate's multiplier) for a rate.
    """
    values = _count_inputs(x)
    lower, upper = _poisson_interval(values, single_confidence(confidence))
    return _shape_like(lower, x), _shape_like(upper, x)  # type: ignore[return-value]


def poisson_interval_method(x: ArrayLike) -> np.ndarray | pd.Series:
    """Name the interval method :func:`poisson_count_interval` uses: "Exact" or "Byars"."""
    values = _count_inputs(x)
    labels = np.where(values < EXACT_POISSON_BELOW, "Exact", "Byars").astype(object)
    if isinstance(x, pd.Series):
        return pd.Series(labels, index=x.index, dtype="string")
    return labels
