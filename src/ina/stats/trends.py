"""Fingertips recent trends: is an indicator getting better or worse over its last 5 points?

Fingertips marks each area's recent trend with one of nine labels, and this module returns
exactly those words (:data:`TREND_LABELS`) so that INA tables read like Fingertips:
"Increasing and getting better", "Increasing and getting worse", "Decreasing and getting
better", "Decreasing and getting worse", "Increasing" / "Decreasing" (no-judgement
indicators), "No significant change" and "Cannot be calculated".

Method and sources
------------------
* Fingertips "Public Health Profiles: technical guidance" (recent trends) and the OHID
  Fingertips calculator (``TrendMarkerCalculator`` in the public repositories
  ``ukhsa-collaboration/fingertips-open`` and ``dhsc-govuk/FingertipsNext``), read for
  the method only:

  - the **5 most recent** data points are used; fewer gives "Cannot be calculated";
  - **proportions** (``method="chi_squared"``): the chi-squared test for linear trend in
    proportions (Cochran 1954; Armitage 1955; as in Fingertips' "SPC for proportions"
    trend), with time scores t = 1..5, counts x and denominators n:
    ``χ² = N (N Σxt − X Σnt)² / (X (N − X) (N Σnt² − (Σnt)²))``, N = Σn, X = Σx; the
    direction is the sign of ``N Σxt − X Σnt``;
  - **other value types** (``method="weighted_regression"``: rates, DSRs, means ...):
    weighted least-squares regression of the value on t with weights ``1/SE²``, where
    ``SE = (upper95 − lower95) / 3.92`` is recovered from the 95% interval; the test
    statistic is ``(slope / SE(slope))²`` with ``SE(slope)² = Σw / (Σw Σwt² − (Σwt)²)``;
  - significant at **99.8%**: ``χ² > 9.5495`` (the 99.8% point of χ² on 1 df);
  - Fingertips' robustness ("no outliers") check: the trend is reported only if the slope
    has the same sign with all 5 points and with each point left out in turn (6 fits) —
    the weighted regression for other value types, an ordinary regression of
    ``logit(x/n)`` on t for proportions — so one unusual year cannot create a trend.

* **Gaps are allowed** (Fingertips' own rule, the default ``require_consecutive=False``):
  the 5 most recent periods that have a row are used whatever their spacing (a year with
  no row at all is skipped), and they get the time scores t = 1..5 in date order, not
  their period values; Fingertips' calculator numbers the points 1..5 in the same way.
  ``require_consecutive=True`` is stricter: the 5 most recent periods must be one
  ``period_step`` apart, else "Cannot be calculated".
* Missing counts, denominators, values or limits in the 5 most recent periods give
  "Cannot be calculated" (the data are suppressed or incomplete). Fingertips does the
  same: it walks back from the latest point and stops at the first suppressed (invalid)
  one, so a suppressed row among the 5 most recent leaves fewer than 5 usable points.
  Also "Cannot be calculated": a proportion with a count equal to its denominator (as
  Fingertips) or of 0 (its logit is undefined; Fingertips does not screen this case), and
  an interval of zero width (its weight is infinite). ``trend_note`` says which.

Everything is vectorised: the 5 points of every series are laid out as one ``(series, 5)``
array, so 10,000 area × indicator series take a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import numpy as np
import pandas as pd
from scipy import stats as _scipy_stats

from ina.errors import StatisticsError
from ina.stats._confidence import group_keys, numeric_values, require_columns
from ina.stats.benchmarking import BenchmarkStyle, Polarity

__all__ = [
    "POINTS_USED",
    "TREND_CHI_SQUARED_THRESHOLD",
    "TREND_LABELS",
    "TREND_STYLES",
    "TrendMethod",
    "recent_trend",
]

#: Number of most recent data points Fingertips uses for the recent trend.
POINTS_USED = 5
#: Significance level of the trend test (Fingertips: 99.8%).
TREND_CONFIDENCE = 0.998
#: χ² on 1 df at 99.8%: 9.549535706... (Fingertips' constant ``9.54953570608324``).
TREND_CHI_SQUARED_THRESHOLD = float(_scipy_stats.chi2.ppf(TREND_CONFIDENCE, 1))
#: Width of a 95% interval in standard errors, as Fingertips recovers SE (2 × 1.96).
INTERVAL_WIDTH_IN_SE = 3.92

INCREASING_BETTER = "Increasing and getting better"
INCREASING_WORSE = "Increasing and getting worse"
DECREASING_BETTER = "Decreasing and getting better"
DECREASING_WORSE = "Decreasing and getting worse"
INCREASING = "Increasing"
DECREASING = "Decreasing"
NO_CHANGE = "No significant change"
CANNOT = "Cannot be calculated"

#: The Fingertips trend labels, exactly as Fingertips writes them.
TREND_LABELS: tuple[str, ...] = (
    INCREASING_BETTER,
    INCREASING_WORSE,
    DECREASING_BETTER,
    DECREASING_WORSE,
    INCREASING,
    DECREASING,
    NO_CHANGE,
    CANNOT,
)

#: Arrow glyph, marker and colour for each label (green better, red worse, blue for
#: no-judgement change, grey otherwise), so a dashboard never relies on colour alone.
TREND_STYLES: dict[str, BenchmarkStyle] = {
    INCREASING_BETTER: BenchmarkStyle("#92D050", "^", "↑", INCREASING_BETTER),
    INCREASING_WORSE: BenchmarkStyle("#C00000", "^", "↑", INCREASING_WORSE),
    DECREASING_BETTER: BenchmarkStyle("#92D050", "v", "↓", DECREASING_BETTER),
    DECREASING_WORSE: BenchmarkStyle("#C00000", "v", "↓", DECREASING_WORSE),
    INCREASING: BenchmarkStyle("#5555E6", "^", "↑", INCREASING),
    DECREASING: BenchmarkStyle("#5555E6", "v", "↓", DECREASING),
    NO_CHANGE: BenchmarkStyle("#A6A6A6", ">", "→", NO_CHANGE),
    CANNOT: BenchmarkStyle("#C9C9C9", "s", "–", CANNOT),
}


class TrendMethod(StrEnum):
    """Which Fingertips trend test to use for an indicator."""

    CHI_SQUARED = "chi_squared"  # proportions with counts and denominators
    WEIGHTED_REGRESSION = "weighted_regression"  # any value with a 95% interval

    @classmethod
    def parse(cls, value: object) -> TrendMethod:
        """Read a method name; "proportion" means chi-squared, rate/dsr/mean regression."""
        if isinstance(value, TrendMethod):
            return value
        text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
        aliases = {
            "chi_squared": cls.CHI_SQUARED,
            "proportion": cls.CHI_SQUARED,
            "weighted_regression": cls.WEIGHTED_REGRESSION,
            "regression": cls.WEIGHTED_REGRESSION,
            "rate": cls.WEIGHTED_REGRESSION,
            "crude_rate": cls.WEIGHTED_REGRESSION,
            "dsr": cls.WEIGHTED_REGRESSION,
            "mean": cls.WEIGHTED_REGRESSION,
            "ratio": cls.WEIGHTED_REGRESSION,
        }
        if not isinstance(value, str) or text not in aliases:
            raise StatisticsError(
                f"unknown trend method {value!r}; expected 'chi_squared' (proportions) or "
                "'weighted_regression' (rates, DSRs, other values with 95% limits)"
            )
        return aliases[text]


def _per_row(frame: pd.DataFrame, spec: object, parse, name: str) -> pd.Series:
    """One parsed setting per row, from a constant or from a column named ``spec``."""
    if isinstance(spec, str) and not isinstance(spec, StrEnum) and spec in frame.columns:
        column = frame[spec]
        if column.isna().any():
            row = column.index[column.isna().to_numpy()][0]
            raise StatisticsError(f"{name} column {spec!r} is missing at row {row!r}")
        mapping = {value: parse(value) for value in pd.unique(column)}
        return column.map(mapping)
    parsed = parse(spec)
    return pd.Series([parsed] * len(frame), index=frame.index, dtype=object)


def _sign(values: np.ndarray) -> np.ndarray:
    """Fingertips' slope sign: -1 for negative, +1 otherwise (zero counts as positive)."""
    return np.where(values < 0, -1, 1)


def _chi_squared_trend(
    counts: np.ndarray, denominators: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """χ² for trend in proportions, its direction statistic, and the logit sign check.

    Rows are series, columns the 5 points. Returns ``(chi2, direction, robust)``.
    """
    total_n = denominators.sum(axis=1)
    total_x = counts.sum(axis=1)
    sum_nt = (denominators * t).sum(axis=1)
    sum_nt2 = (denominators * t**2).sum(axis=1)
    sum_xt = (counts * t).sum(axis=1)
    direction = total_n * sum_xt - total_x * sum_nt
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = (
            total_n
            * direction**2
            / (total_x * (total_n - total_x) * (total_n * sum_nt2 - sum_nt**2))
        )
        logit = np.log(counts / (denominators - counts))
    robust = _consistent_slope_signs(logit, np.ones_like(logit), t)
    return chi2, direction, robust


def _weighted_slopes(
    y: np.ndarray, weights: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted least-squares slope of ``y`` on ``t`` for all points and leaving each out.

    Returns ``(slope_all, variance_all, slopes_leave_one_out)`` (the last is (series, 5)).
    """
    s1 = weights
    s2 = weights * t * y
    s3 = weights * t
    s4 = weights * y
    s5 = weights * t**2
    totals = [term.sum(axis=1) for term in (s1, s2, s3, s4, s5)]
    a1, a2, a3, a4, a5 = totals
    with np.errstate(divide="ignore", invalid="ignore"):
        determinant = a1 * a5 - a3**2
        slope = (a1 * a2 - a3 * a4) / determinant
        variance = a1 / determinant
        # Leaving point j out: subtract its terms from every sum.
        b1, b2, b3, b4, b5 = (
            total[:, None] - term for total, term in zip(totals, (s1, s2, s3, s4, s5), strict=True)
        )
        slopes_out = (b1 * b2 - b3 * b4) / (b1 * b5 - b3**2)
    return slope, variance, slopes_out


def _consistent_slope_signs(y: np.ndarray, weights: np.ndarray, t: np.ndarray) -> np.ndarray:
    """True where the slope keeps its sign with all points and with each point left out."""
    slope, _, slopes_out = _weighted_slopes(y, weights, t)
    signs = np.concatenate([_sign(slope)[:, None], _sign(slopes_out)], axis=1)
    finite = np.isfinite(slope) & np.isfinite(slopes_out).all(axis=1)
    return finite & (np.abs(signs.sum(axis=1)) == POINTS_USED + 1)


def recent_trend(
    data: pd.DataFrame,
    period: str,
    polarity: Polarity | str,
    *,
    method: TrendMethod | str = TrendMethod.WEIGHTED_REGRESSION,
    value: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    count: str | None = None,
    denominator: str | None = None,
    group_by: str | Sequence[str] | None = None,
    require_consecutive: bool = False,
    period_step: float = 1,
) -> pd.DataFrame:
    """Return the Fingertips recent-trend label for every series (one row per group).

    Method and source: Fingertips recent trends (module docstring): chi-squared test for
    trend for proportions, inverse-variance weighted regression otherwise, over the 5 most
    recent points (gaps allowed, time scores 1..5), significant at 99.8% (χ² > 9.5495),
    with Fingertips' leave-one-out check on the slope's sign.

    Parameters
    ----------
    data:
        Long data: one row per series (``group_by``) and period.
    period:
        Numeric period column (e.g. the start year, 2019 for "2019/20"), used to order the
        points (and, with ``require_consecutive=True``, to check they are ``period_step``
        apart). The regression uses the points' order (t = 1..5), not these values.
    polarity:
        A :class:`~ina.stats.benchmarking.Polarity` for all series, or a column name.
    method:
        ``"chi_squared"`` (needs ``count`` and ``denominator``), ``"weighted_regression"``
        (needs ``value``, ``lower``, ``upper``: the 95% limits), or a column naming the
        method per row (constant within a series). "proportion", "rate", "dsr" ... are
        accepted as aliases.
    group_by:
        Column(s) identifying a series (indicator, area, sex, age ...).
    require_consecutive:
        ``False`` (default, Fingertips' rule): the 5 most recent points, gaps allowed.
        ``True``: they must also be consecutive periods, else "Cannot be calculated".
    period_step:
        Spacing of consecutive periods, used only with ``require_consecutive=True``.

    Returns
    -------
    One row per series with the group columns, ``trend`` (label), ``trend_method``,
    ``chi_squared``, ``slope`` (per point, i.e. per period step when the points are
    consecutive: for proportions the change in the pooled
    proportion per step, for regression in the value's units), ``points``,
    ``first_period``, ``last_period`` and ``trend_note`` (why a trend cannot be
    calculated; empty otherwise).

    Raises
    ------
    StatisticsError
        Missing or non-numeric columns, unknown polarity or method, a series with the same
        period twice, negative counts or denominators, a count above its denominator, a
        lower limit above its upper limit, or polarity/method varying within a series.
    """
    keys = group_keys(group_by)
    require_columns(data, [period, *keys], "recent_trend")
    if not (isinstance(period_step, int | float) and period_step > 0):
        raise StatisticsError(f"period_step must be a positive number, got {period_step!r}")
    methods = _per_row(data, method, TrendMethod.parse, "method")
    polarities = _per_row(data, polarity, Polarity.parse, "polarity")
    uses_chi = methods == TrendMethod.CHI_SQUARED
    uses_regression = ~uses_chi
    if uses_chi.any() and (count is None or denominator is None):
        raise StatisticsError("the chi-squared trend test needs count= and denominator= columns")
    if uses_regression.any() and (value is None or lower is None or upper is None):
        raise StatisticsError(
            "the weighted-regression trend needs value=, lower= and upper= (95% limits) columns"
        )
    numeric_columns = [c for c in (value, lower, upper, count, denominator) if c is not None]
    require_columns(data, numeric_columns, "recent_trend")

    periods = numeric_values(data, period)
    if np.isnan(periods).any():
        row = data.index[int(np.flatnonzero(np.isnan(periods))[0])]
        raise StatisticsError(f"period column {period!r} is missing at row {row!r}")
    arrays = {name: numeric_values(data, name) for name in numeric_columns}
    if count is not None and denominator is not None:
        x, n = arrays[count], arrays[denominator]
        for name, values in ((count, x), (denominator, n)):
            if (values < 0).any():
                row = data.index[int(np.flatnonzero(values < 0)[0])]
                raise StatisticsError(f"column {name!r} must not be negative (row {row!r})")
        with np.errstate(invalid="ignore"):
            above = uses_chi.to_numpy() & (x > n)
        if above.any():
            row = data.index[int(np.flatnonzero(above)[0])]
            raise StatisticsError(
                f"count {count!r} is larger than denominator {denominator!r} at row {row!r}"
            )
    if lower is not None and upper is not None:
        with np.errstate(invalid="ignore"):
            swapped = arrays[lower] > arrays[upper]
        if swapped.any():
            row = data.index[int(np.flatnonzero(swapped)[0])]
            raise StatisticsError(
                f"lower limit {lower!r} is above upper limit {upper!r} at row {row!r}"
            )

    work = pd.DataFrame({"__period": periods}, index=pd.RangeIndex(len(data)))
    for key in keys:
        work[key] = data[key].to_numpy()
    work["__series"] = (
        work.groupby(keys, sort=False, dropna=False).ngroup().to_numpy() if keys else 0
    )
    work["__chi"] = uses_chi.to_numpy()
    work["__polarity"] = polarities.to_numpy()
    for name, values in arrays.items():
        work[name] = values

    per_series = work.groupby("__series", sort=True)
    if (per_series["__chi"].nunique() > 1).any() or (per_series["__polarity"].nunique() > 1).any():
        raise StatisticsError("method and polarity must be the same for every row of a series")
    duplicated = work.duplicated(["__series", "__period"])
    if duplicated.any():
        row = data.index[int(np.flatnonzero(duplicated.to_numpy())[0])]
        raise StatisticsError(
            f"a series has period {periods[int(np.flatnonzero(duplicated.to_numpy())[0])]!r} "
            f"twice (row {row!r}); give group_by the columns that identify a series"
        )

    work = work.sort_values(["__series", "__period"], kind="stable")
    latest = work.groupby("__series", sort=True).tail(POINTS_USED)
    summary = latest.groupby("__series", sort=True).agg(
        points=("__period", "size"),
        first_period=("__period", "min"),
        last_period=("__period", "max"),
        chi=("__chi", "first"),
        polarity=("__polarity", "first"),
    )
    first_rows = work.groupby("__series", sort=True).head(1).set_index("__series")
    result = first_rows[keys].copy() if keys else pd.DataFrame(index=summary.index)
    n_series = len(summary)
    note = np.full(n_series, "", dtype=object)
    note[summary["points"].to_numpy() < POINTS_USED] = f"fewer than {POINTS_USED} data points"

    chi2 = np.full(n_series, np.nan)
    slope = np.full(n_series, np.nan)
    direction = np.zeros(n_series)
    robust = np.zeros(n_series, dtype=bool)

    full = summary.index[summary["points"].to_numpy() == POINTS_USED]
    if len(full):
        five = latest[latest["__series"].isin(full)]
        position = {series: i for i, series in enumerate(summary.index)}
        rows = np.array([position[s] for s in full])
        shape = (len(full), POINTS_USED)

        def grid(column: str) -> np.ndarray:
            return five[column].to_numpy(dtype=float).reshape(shape)

        period_grid = grid("__period")
        gaps = np.diff(period_grid, axis=1)
        if require_consecutive:
            broken = ~np.isclose(gaps, period_step).all(axis=1)
            note[rows[broken & (note[rows] == "")]] = (
                f"the {POINTS_USED} most recent periods are not consecutive"
            )
        t = np.broadcast_to(np.arange(1, POINTS_USED + 1, dtype=float), shape)
        is_chi = summary.loc[full, "chi"].to_numpy(dtype=bool)

        if is_chi.any() and count is not None and denominator is not None:
            xs, ns = grid(count)[is_chi], grid(denominator)[is_chi]
            idx = rows[is_chi]
            incomplete = np.isnan(xs).any(axis=1) | np.isnan(ns).any(axis=1)
            degenerate = ((xs == 0) | (xs == ns)).any(axis=1) & ~incomplete
            note[idx[incomplete & (note[idx] == "")]] = "missing count or denominator"
            note[idx[degenerate & (note[idx] == "")]] = (
                "a count of 0 or equal to its denominator (logit undefined)"
            )
            c2, d, ok = _chi_squared_trend(xs, ns, t[is_chi])
            chi2[idx], direction[idx], robust[idx] = c2, d, ok
            # Slope of the proportion on t, weighted by denominators (same sign as the test).
            with np.errstate(invalid="ignore", divide="ignore"):
                slope[idx] = d / (
                    ns.sum(axis=1) * (ns * t[is_chi] ** 2).sum(axis=1)
                    - (ns * t[is_chi]).sum(axis=1) ** 2
                )
        is_reg = ~is_chi
        if is_reg.any() and value is not None and lower is not None and upper is not None:
            ys, lo, up = grid(value)[is_reg], grid(lower)[is_reg], grid(upper)[is_reg]
            idx = rows[is_reg]
            incomplete = (
                np.isnan(ys).any(axis=1) | np.isnan(lo).any(axis=1) | np.isnan(up).any(axis=1)
            )
            zero_width = ((up - lo) <= 0).any(axis=1) & ~incomplete
            note[idx[incomplete & (note[idx] == "")]] = "missing value or confidence limits"
            note[idx[zero_width & (note[idx] == "")]] = "a confidence interval of zero width"
            with np.errstate(divide="ignore", invalid="ignore"):
                weights = 1.0 / ((up - lo) / INTERVAL_WIDTH_IN_SE) ** 2
            b, variance, _ = _weighted_slopes(ys, weights, t[is_reg])
            with np.errstate(divide="ignore", invalid="ignore"):
                chi2[idx] = b**2 / variance
            slope[idx], direction[idx] = b, b
            robust[idx] = _consistent_slope_signs(ys, weights, t[is_reg])

    cannot = note != ""
    significant = ~cannot & robust & (chi2 > TREND_CHI_SQUARED_THRESHOLD)
    increasing = significant & (direction > 0)
    decreasing = significant & (direction < 0)
    polarity_codes = np.array(
        [
            {Polarity.HIGH_IS_GOOD: 1, Polarity.LOW_IS_GOOD: -1}.get(p, 0)
            for p in summary["polarity"]
        ]
    )
    labels = np.select(
        [
            cannot,
            increasing & (polarity_codes > 0),
            increasing & (polarity_codes < 0),
            increasing,
            decreasing & (polarity_codes > 0),
            decreasing & (polarity_codes < 0),
            decreasing,
        ],
        [
            CANNOT,
            INCREASING_BETTER,
            INCREASING_WORSE,
            INCREASING,
            DECREASING_WORSE,
            DECREASING_BETTER,
            DECREASING,
        ],
        default=NO_CHANGE,
    )
    result = result.reset_index(drop=True)
    result["trend"] = pd.array(labels, dtype="string")
    result["trend_method"] = pd.array(
        np.where(
            summary["chi"].to_numpy(dtype=bool),
            TrendMethod.CHI_SQUARED.value,
            TrendMethod.WEIGHTED_REGRESSION.value,
        ),
        dtype="string",
    )
    result["chi_squared"] = np.where(cannot, np.nan, chi2)
    result["slope"] = np.where(cannot, np.nan, slope)
    result["points"] = summary["points"].to_numpy()
    result["first_period"] = summary["first_period"].to_numpy()
    result["last_period"] = summary["last_period"].to_numpy()
    result["trend_note"] = pd.array(note, dtype="string")
    return result
