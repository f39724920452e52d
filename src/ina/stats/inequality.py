"""Slope and relative indices of inequality (SII, RII) across deprivation quantiles.

Method
------
Low & Low (2004), "Measuring the gap: quantifying and comparing local health
inequalities", *J Public Health* 26(4):388-395, and Low & Low (2006), "Twenty-first
century equivalents of the Black Report ..." (*J Public Health* 28(3)), as implemented by
PHEindicatormethods v2.1.0 ``phe_sii`` and used for every Fingertips inequality indicator.

Within each group the quantiles (e.g. deprivation deciles, ordered from most to least
deprived by their label) are placed at the midpoint of their share of the cumulative
population, the *relative rank* ``r_k`` in [0, 1]. A population-weighted least-squares
line ``y_k = α + β r_k`` is fitted to the indicator values ``y_k`` (weights = populations,
which is the reference's regression of ``y √n`` on ``√n`` and ``r √n``). Then:

* untransformed: ``SII = β`` (the modelled gap from the most to the least deprived end),
  ``RII = (α + β) / α`` and the intercept ``α``;
* ``transform=True`` (rates on the log scale, proportions on the logit scale, the
  reference's recommendation for such indicators): the line is fitted to ``g(y)`` and
  back-transformed: ``SII = g⁻¹(α + β) - g⁻¹(α)``, ``RII = g⁻¹(α + β) / g⁻¹(α)``,
  intercept ``g⁻¹(α)``.

Everything is multiplied by ``multiplier`` (e.g. 100 for proportions as percentages). A
negative multiplier reverses the direction: the SII changes sign and the RII is inverted;
the intercept is scaled by ``|multiplier|`` (the reference leaves it unsigned).

Confidence limits come from simulation, as the reference: each quantile's value is drawn
``repetitions`` times from a normal distribution on the scale of its type (identity for
``value_type=0``, log for rates, logit for proportions) with the standard error given or
derived from 95% limits, ``se = (g(upper) - g(lower)) / (2 × 1.959964)``; the regression is
refitted to every draw and the limits are the ``(1 - c)/2`` and ``1 - (1 - c)/2``
quantiles (R's type 7) of the simulated SIIs and RIIs. Draws for all groups, repetitions
and quantiles are made as one array per block of groups and the weighted regressions are
solved in closed form for all of them at once (the slope is a fixed linear combination of
the values for a given set of populations). Results are reproducible for a given
``seed``; they cannot equal R's bit for bit (a different random generator), but agree
within the reference tests' tolerance.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from ina.errors import StatisticsError
from ina.stats._confidence import (
    ConfidenceLike,
    GroupBy,
    confidence_label,
    confidence_suffix,
    group_keys,
    normalise_confidence,
    require_columns,
    z_value,
)

__all__ = ["slope_index_of_inequality"]

#: value_type codes, as PHEindicatormethods.
OTHER, RATE, PROPORTION = 0, 1, 2
#: Fewer quantiles than this give NA with a warning (the reference asks for 5 to 100).
MIN_QUANTILES = 5
#: The reference warns above this many quantiles (the method is meant for deciles or fewer).
MAX_QUANTILES_WITHOUT_WARNING = 10
#: Number of independent simulation sets compared by ``reliability_stat``.
RELIABILITY_SETS = 10
#: Upper bound on simulated values held in memory at once (float64: 8 bytes each).
SIMULATION_BLOCK_VALUES = 20_000_000
#: Input confidence limits are 95% limits.
INPUT_LIMITS_CONFIDENCE = 0.95
DEFAULT_SEED = 5

METHOD = "Low & Low (2004/2006) weighted regression on relative rank; simulated CIs"

_TO_SCALE: dict[int, Callable[[np.ndarray], np.ndarray]] = {
    OTHER: lambda v: v,
    RATE: np.log,
    PROPORTION: logit,
}
_FROM_SCALE: dict[int, Callable[[np.ndarray], np.ndarray]] = {
    OTHER: lambda v: v,
    RATE: np.exp,
    PROPORTION: expit,
}


def _text(value: object) -> str:
    """A group key for a message: strings quoted, numbers plain (no numpy reprs)."""
    return repr(value) if isinstance(value, str) else str(value)


def _interval_names(statistic: str, levels: tuple[float, ...]) -> list[tuple[str, str]]:
    if len(levels) == 1:
        return [(f"{statistic}_lowercl", f"{statistic}_uppercl")]
    return [
        (f"{statistic}_lower{confidence_suffix(c)}cl", f"{statistic}_upper{confidence_suffix(c)}cl")
        for c in levels
    ]


def _weighted_fit_coefficients(population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weights turning values into the weighted least-squares line, for ``G × K`` arrays.

    With population shares ``s_k``, relative ranks ``r_k`` (cumulative share midpoints),
    ``r̄ = Σ s_k r_k`` and ``S = Σ s_k (r_k - r̄)²``, the weighted fit of ``y = α + β r`` is
    ``β = Σ_k s_k (r_k - r̄) y_k / S`` and ``α = Σ_k s_k y_k - r̄ β``: both linear in ``y``.
    Returns ``(slope_weights, intercept_weights)``; a padding quantile (population 0)
    gets weight 0, so groups with different numbers of quantiles share one array.
    """
    total = population.sum(axis=1, keepdims=True)
    share = population / total
    rank = np.cumsum(share, axis=1) - share / 2
    mean_rank = (share * rank).sum(axis=1, keepdims=True)
    centred = rank - mean_rank
    spread = (share * centred**2).sum(axis=1, keepdims=True)
    slope_weights = share * centred / spread
    intercept_weights = share - mean_rank * slope_weights
    return slope_weights, intercept_weights


def _indices_from_line(
    intercept: np.ndarray, slope: np.ndarray, value_type: int, transform: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (sii, rii, intercept) on the value scale, before the multiplier."""
    if transform:
        back = _FROM_SCALE[value_type]
        at_zero, at_one = back(intercept), back(intercept + slope)
        return at_one - at_zero, at_one / at_zero, at_zero
    return slope, (intercept + slope) / intercept, intercept


def _apply_multiplier(
    sii: np.ndarray, rii: np.ndarray, intercept: np.ndarray, multiplier: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if multiplier < 0:
        rii = 1 / rii
    return sii * multiplier, rii, intercept * abs(multiplier)


def _simulate_limits(
    mean: np.ndarray,
    spread: np.ndarray,
    slope_weights: np.ndarray,
    intercept_weights: np.ndarray,
    *,
    value_type: int,
    transform: bool,
    multiplier: float,
    repetitions: int,
    probabilities: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Simulated quantiles of SII and RII, each ``G × len(probabilities)``.

    ``mean`` and ``spread`` are on the sampling scale (identity/log/logit).
    """
    n_groups, n_quantiles = mean.shape
    block = max(1, SIMULATION_BLOCK_VALUES // max(1, repetitions * n_quantiles))
    sii_limits = np.empty((n_groups, probabilities.size))
    rii_limits = np.empty((n_groups, probabilities.size))
    back = _FROM_SCALE[value_type]
    for start in range(0, n_groups, block):
        rows = slice(start, min(start + block, n_groups))
        draws = rng.standard_normal((rows.stop - rows.start, repetitions, n_quantiles))
        draws *= spread[rows, None, :]
        draws += mean[rows, None, :]
        # The regression is on the sampling scale when transformed, else on the values.
        values = draws if transform else back(draws)
        slope = np.einsum("grk,gk->gr", values, slope_weights[rows])
        intercept = np.einsum("grk,gk->gr", values, intercept_weights[rows])
        sii, rii, _ = _indices_from_line(intercept, slope, value_type, transform)
        sii, rii, _ = _apply_multiplier(sii, rii, intercept, multiplier)
        sii_limits[rows] = np.quantile(sii, probabilities, axis=1).T
        rii_limits[rows] = np.quantile(rii, probabilities, axis=1).T
    return sii_limits, rii_limits


def _grid(
    values: np.ndarray, group: np.ndarray, position: np.ndarray, shape: tuple[int, int], fill: float
) -> np.ndarray:
    grid = np.full(shape, fill)
    grid[group, position] = values
    return grid


def slope_index_of_inequality(
    data: pd.DataFrame,
    quantile: str,
    population: str,
    *,
    value: str | None = None,
    x: str | None = None,
    value_type: int = OTHER,
    transform: bool = False,
    lower_cl: str | None = None,
    upper_cl: str | None = None,
    se: str | None = None,
    multiplier: float = 1.0,
    repetitions: int = 100_000,
    confidence: ConfidenceLike = 0.95,
    rii: bool = False,
    intercept: bool = False,
    reliability_stat: bool = False,
    group_by: GroupBy = None,
    seed: int | None = DEFAULT_SEED,
    full_output: bool = True,
) -> pd.DataFrame:
    """Slope index of inequality (and optionally RII) with simulated confidence limits.

    Method: Low & Low (2004, 2006) population-weighted regression on relative rank, with
    PHEindicatormethods v2.1.0 ``phe_sii`` conventions for transforms, multipliers and
    simulated limits (see the module docstring for formulas).

    Parameters
    ----------
    data:
        One row per group and quantile; quantiles are ordered by their label, lowest
        (most deprived) first.
    quantile, population:
        Columns with the quantile label and its population (the regression weight).
    value, x:
        The indicator value, or (for proportions) the numerator ``x`` so that
        ``value = x / population``.
    value_type:
        0 other (e.g. life expectancy), 1 rate, 2 proportion (0-1). Sets the scale on
        which values are simulated (identity, log, logit) and that of ``se``.
    transform:
        Fit the line on the log (rates) or logit (proportions) scale; needs ``lower_cl``
        and ``upper_cl``.
    lower_cl, upper_cl, se:
        95% limits of each value, or its standard error on the simulation scale (log for
        rates, logit for proportions); needed when ``confidence`` is not ``None``.
    multiplier:
        Scales SII and intercept (e.g. 100 for percentages); negative reverses direction.
    repetitions:
        Simulations per group (the reference default 100,000).
    confidence:
        One level or several (e.g. ``(0.95, 0.998)``); ``None`` for no limits.
    rii, intercept:
        Also return the RII (with limits) and the fitted value at relative rank 0.
    reliability_stat:
        Repeat the simulation :data:`RELIABILITY_SETS` times and report, per limit, the
        mean absolute difference between the first set's limit and the others' (a check
        that ``repetitions`` is large enough), in ``<limit>_reliability`` columns.
    group_by:
        Columns identifying groups (areas, sexes, periods); output in order of first
        appearance.
    seed:
        Seed of the random generator (default 5, so reruns give identical limits).
    full_output:
        Add ``n_quantiles``, ``population``, ``repetitions``, ``confidence``, ``method``.

    Raises
    ------
    StatisticsError
        Negative or zero populations, negative standard errors, proportions or their
        limits outside 0-1, non-positive rates or limits that cannot be logged, missing
        limits/SE, repeated quantiles, no ``value``/``x``, or
        inconsistent arguments. Groups with a missing population or value, or fewer than 5
        quantiles, get NA with a warning; more than 10 quantiles warns.
    """
    keys = group_keys(group_by)
    if value_type not in (OTHER, RATE, PROPORTION):
        raise StatisticsError(
            f"value_type must be 0 (other), 1 (rate) or 2 (proportion), got {value_type!r}"
        )
    if value is None and x is None:
        raise StatisticsError(
            "slope_index_of_inequality needs a value column (or x for a proportion's numerator)"
        )
    if x is not None and value is None and value_type != PROPORTION:
        raise StatisticsError("x (a numerator) can only be used with value_type=2 (proportion)")
    if transform and value_type == OTHER:
        raise StatisticsError(
            "transform=True needs value_type 1 (rate, log scale) or 2 (proportion, logit scale)"
        )
    if (lower_cl is None) != (upper_cl is None):
        raise StatisticsError("give both lower_cl and upper_cl, or neither")
    if transform and lower_cl is None:
        raise StatisticsError(
            "transform=True needs lower_cl and upper_cl (the 95% limits "
            "locate each value on the transformed scale)"
        )
    if isinstance(multiplier, bool) or not np.isfinite(float(multiplier)) or multiplier == 0:
        raise StatisticsError(f"multiplier must be a non-zero number, got {multiplier!r}")
    if (
        isinstance(repetitions, bool)
        or not isinstance(repetitions, int | np.integer)
        or (repetitions < 1)
    ):
        raise StatisticsError(f"repetitions must be a positive whole number, got {repetitions!r}")
    levels = normalise_confidence(confidence)
    if levels and se is None and lower_cl is None:
        raise StatisticsError("confidence limits need either se or lower_cl and upper_cl")
    columns = [quantile, population, *keys]
    columns += [c for c in (value, x, lower_cl, upper_cl, se) if c is not None]
    require_columns(data, columns, "slope_index_of_inequality")
    if data.empty:
        raise StatisticsError("slope_index_of_inequality: the data has no rows")

    def numbers(column: str) -> np.ndarray:
        converted = pd.to_numeric(data[column], errors="coerce")
        if (converted.isna() & data[column].notna()).any():
            raise StatisticsError(f"column {column!r} must be numeric")
        return converted.to_numpy(dtype=float)

    pops = numbers(population)
    values = numbers(value) if value is not None else numbers(x) / pops  # type: ignore[arg-type]

    # Groups, and each row's position among its group's quantiles (label order).
    if keys:
        grouping = data.groupby(keys, sort=False, dropna=False)
        group = grouping.ngroup().to_numpy()
        key_frame = grouping.size().reset_index()[keys]
        # ngroup numbers groups in sorted order; reorder keys to first appearance.
        first = pd.unique(group)
        order = np.empty_like(first)
        order[first] = np.arange(first.size)
        group = order[group]
        key_frame = key_frame.iloc[first].reset_index(drop=True)
    else:
        group = np.zeros(len(data), dtype=int)
        key_frame = pd.DataFrame(index=[0])
    n_groups = len(key_frame)

    def where(rows: np.ndarray) -> str:
        g = group[np.flatnonzero(rows)[0]]
        if not keys:
            return "the data"
        return "group " + ", ".join(f"{k}={_text(key_frame[k].iloc[g])}" for k in keys)

    def reject(rows: np.ndarray, message: str) -> None:
        if rows.any():
            raise StatisticsError(f"{message} ({where(rows)})")

    labels = data[quantile]
    if labels.isna().any():
        reject(labels.isna().to_numpy(), f"column {quantile!r} has missing quantile labels")
    frame = pd.DataFrame({"group": group, "label": labels.to_numpy()})
    reject(frame.duplicated().to_numpy(), f"a quantile appears twice in column {quantile!r}")
    ordered = frame.sort_values(["group", "label"], kind="stable")
    position = np.empty(len(frame), dtype=int)
    position[ordered.index.to_numpy()] = ordered.groupby("group").cumcount().to_numpy()
    n_quantiles = np.bincount(group, minlength=n_groups)
    width = int(n_quantiles.max())
    too_few = n_quantiles < MIN_QUANTILES
    if too_few.any():
        warnings.warn(
            f"SII set to NA for {int(too_few.sum())} group(s) with fewer than {MIN_QUANTILES} "
            f"quantiles ({where(too_few[group])} first)",
            UserWarning,
            stacklevel=2,
        )
    if width > MAX_QUANTILES_WITHOUT_WARNING:
        warnings.warn(
            f"some groups have more than {MAX_QUANTILES_WITHOUT_WARNING} quantiles (up to "
            f"{width}); the SII method is designed for deciles or fewer",
            UserWarning,
            stacklevel=2,
        )

    with np.errstate(invalid="ignore"):
        reject(pops < 0, f"column {population!r} must not be negative")
        reject(pops == 0, f"column {population!r} must be above 0 in every quantile")
    incomplete_rows = np.isnan(pops) | np.isnan(values)
    missing_data = np.bincount(group[incomplete_rows], minlength=n_groups) > 0
    if missing_data.any():
        warnings.warn(
            f"SII set to NA for {int(missing_data.sum())} group(s) with a missing population "
            f"or value ({where(incomplete_rows)} first)",
            UserWarning,
            stacklevel=2,
        )
    incomplete = missing_data | too_few
    if value_type == PROPORTION:
        with np.errstate(invalid="ignore"):
            reject((values < 0) | (values > 1), "a proportion is outside 0-1 (value_type=2)")
    shape = (n_groups, width)

    # Spread on the sampling scale, from se or the 95% limits.
    to_scale = _TO_SCALE[value_type]
    need_spread = bool(levels)
    spread_rows = np.zeros(len(data))
    if need_spread:
        if se is not None and not (transform and lower_cl is not None):
            spread_rows = numbers(se)
            reject(np.isnan(spread_rows) & ~incomplete[group], f"column {se!r} has missing values")
            with np.errstate(invalid="ignore"):
                reject(spread_rows < 0, f"column {se!r} (standard error) must not be negative")
        else:
            lower, upper = numbers(lower_cl), numbers(upper_cl)  # type: ignore[arg-type]
            reject(
                (np.isnan(lower) | np.isnan(upper)) & ~incomplete[group],
                "confidence limits are missing (give lower_cl and upper_cl, or se)",
            )
            with np.errstate(invalid="ignore"):
                if value_type == PROPORTION:
                    reject(
                        (lower < 0) | (lower > 1) | (upper < 0) | (upper > 1),
                        "a proportion's confidence limit is outside 0-1 (value_type=2)",
                    )
                reject(lower > upper, "lower_cl is above upper_cl")
            spread_rows = _scale_spread(lower, upper, value_type, reject)
    if need_spread or transform:
        _check_scale(values, value_type, incomplete[group], reject)

    pop_grid = _grid(np.nan_to_num(pops), group, position, shape, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_rows = (
            to_scale(values) if (need_spread and value_type != OTHER) or transform else values
        )
    mean_grid = _grid(np.nan_to_num(mean_rows), group, position, shape, 0.0)
    spread_grid = _grid(np.nan_to_num(spread_rows), group, position, shape, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        # Groups with a missing population give NaN here; they are reported as NA.
        slope_weights, intercept_weights = _weighted_fit_coefficients(pop_grid)

    fit_grid = mean_grid if transform else _grid(np.nan_to_num(values), group, position, shape, 0.0)
    slope = (slope_weights * fit_grid).sum(axis=1)
    line_intercept = (intercept_weights * fit_grid).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sii_value, rii_value, intercept_value = _apply_multiplier(
            *_indices_from_line(line_intercept, slope, value_type, transform), multiplier
        )

    result = key_frame.copy()
    result["sii"] = np.where(incomplete, np.nan, sii_value)
    if rii:
        result["rii"] = np.where(incomplete, np.nan, rii_value)
    if intercept:
        result["intercept"] = np.where(incomplete, np.nan, intercept_value)

    if levels:
        probabilities = np.array([p for c in levels for p in ((1 - c) / 2, c + (1 - c) / 2)])
        rng = np.random.default_rng(seed)
        sets = RELIABILITY_SETS if reliability_stat else 1
        simulated = [
            _simulate_limits(
                mean_grid,
                spread_grid,
                slope_weights,
                intercept_weights,
                value_type=value_type,
                transform=transform,
                multiplier=multiplier,
                repetitions=int(repetitions),
                probabilities=probabilities,
                rng=rng,
            )
            for _ in range(sets)
        ]
        statistics = [("sii", 0)] + ([("rii", 1)] if rii else [])
        for name, which in statistics:
            limits = simulated[0][which]
            for index, (lower_name, upper_name) in enumerate(_interval_names(name, levels)):
                for column, k in ((lower_name, 2 * index), (upper_name, 2 * index + 1)):
                    result[column] = np.where(incomplete, np.nan, limits[:, k])
                    if reliability_stat:
                        others = np.stack([s[which][:, k] for s in simulated[1:]])
                        difference = np.abs(others - limits[:, k]).mean(axis=0)
                        result[f"{column}_reliability"] = np.where(incomplete, np.nan, difference)
    if full_output:
        result["n_quantiles"] = n_quantiles
        result["population"] = pop_grid.sum(axis=1)
        result["repetitions"] = int(repetitions) if levels else np.nan
        result["confidence"] = confidence_label(levels) if levels else pd.NA
        result["method"] = METHOD + (
            f" ({'log' if value_type == RATE else 'logit'} transform)" if transform else ""
        )
    return result


def _scale_spread(
    lower: np.ndarray, upper: np.ndarray, value_type: int, reject: Callable[..., None]
) -> np.ndarray:
    """Standard error on the sampling scale from 95% limits: (g(U) - g(L)) / (2 z)."""
    z = z_value(INPUT_LIMITS_CONFIDENCE)
    if value_type == RATE:
        reject(lower <= 0, "a rate's lower confidence limit must be above 0 to use the log scale")
    if value_type == PROPORTION:
        reject(
            (lower <= 0) | (upper >= 1),
            "a proportion's confidence limits must be "
            "strictly between 0 and 1 to use the logit scale",
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        to_scale = _TO_SCALE[value_type]
        return (to_scale(upper) - to_scale(lower)) / (2 * z)


def _check_scale(
    values: np.ndarray,
    value_type: int,
    skip: np.ndarray,
    reject: Callable[..., None],
) -> None:
    """Values must be valid on the log (rate) or logit (proportion) scale."""
    usable = ~skip
    with np.errstate(invalid="ignore"):
        if value_type == RATE:
            reject(usable & (values <= 0), "a rate must be above 0 to use the log scale")
        if value_type == PROPORTION:
            reject(
                usable & ((values <= 0) | (values >= 1)),
                "a proportion must be strictly between 0 and 1 to use the logit scale",
            )
