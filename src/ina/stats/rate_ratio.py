"""Rate ratios between groups: most vs least deprived quintile, Core20 vs the rest.

The JFP's Figure 5 ("babies in the most deprived areas are 50% more likely to be of low
birth weight") and the Core20 profile (INDICATORS.md §13.1, §13.4) are ratios of two
groups' rates, proportions or directly standardised rates, each with a confidence
interval. Two functions, in the PHEindicatormethods style (tidy frame in, tidy frame
out, ``group_by``, one or several confidence levels):

* :func:`rate_ratio`, the closed-form ratio of one group (or pooled groups) to another,
  with its interval on the log scale (methods below);
* :func:`poisson_rate_ratios`, a Poisson GLM (statsmodels) giving every group's ratio to
  a reference group, optionally adjusted for age band and sex, optionally quasi-Poisson,
  with a test for a linear trend across ordered groups (deprivation quintiles).

Interval methods of :func:`rate_ratio` (all ``exp(log R ± z·SE)``):

* **crude rates** (``statistic="rate"``): ``SE(log RR) = √(1/O₁ + 1/O₂)`` for Poisson
  counts ``O`` (Rothman & Greenland, *Modern Epidemiology*, 3rd ed., ch. 14);
* **proportions** (``"proportion"``): the Katz log interval for a ratio of two binomial
  proportions, ``SE = √(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂)`` (Katz et al. 1978);
* **DSRs** (``"dsr"``): the APHO/PHE method for the ratio of two DSRs (APHO Technical
  Briefing 3, "Commonly used public health statistics and their confidence intervals",
  2008, and the Fingertips PH methods guidance): ``var(log DSR) ≈ var(DSR)/DSR²`` by the
  delta method, with ``var(DSR)`` the Dobson variance ``Σ w²·x/n² / (Σw)²``, so
  ``SE(log ratio) = √(var(DSR₁)/DSR₁² + var(DSR₂)/DSR₂²)``. Each DSR is the one
  :func:`ina.stats.dsr.directly_standardised_rate` publishes (tested to agree).

What happens with few events, deliberately rather than by accident:

* a crude-rate or proportion ratio with **zero events in either group** has no log
  interval; its value and limits are missing and ``statistic`` says why;
* a DSR from **fewer than 10 events** is not published by Fingertips
  (:data:`ina.stats.dsr.MINIMUM_DSR_COUNT`), so neither is a ratio built on one;
* in :func:`poisson_rate_ratios` a **non-reference group with no events** has rate ratio
  0 (the maximum-likelihood estimate) with missing limits and p-value, and is left out of
  the fit (its coefficient would run to minus infinity and stall convergence); a
  **reference group with no events** raises, since every ratio would be infinite;
  adjustment strata (an age band, a sex) with no events at all are dropped because they
  carry no information about the ratios; groups with fewer than 10 events are fitted but
  their ``note`` says the Wald interval is approximate.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

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
    interval_columns,
    normalise_confidence,
    numeric_values,
    reject_where,
    require_columns,
    z_value,
)
from ina.stats.dsr import MINIMUM_DSR_COUNT

__all__ = [
    "FEW_EVENTS",
    "PoissonRateRatios",
    "poisson_rate_ratios",
    "rate_ratio",
]

#: Below this many events a Wald (log-normal) interval is only approximate.
FEW_EVENTS = 10

RatioStatistic = Literal["rate", "proportion", "dsr"]

_SIDE = "__ina_side__"
_ALL = "__ina_all_rows__"
_NUMERATOR, _REFERENCE = "numerator", "reference"

_STATISTIC_LABEL = {
    "rate": "rate ratio",
    "proportion": "ratio of proportions",
    "dsr": "ratio of DSRs",
}
_METHOD_LABEL = {
    "rate": "log interval, Poisson counts",
    "proportion": "log interval (Katz)",
    "dsr": "log interval, Dobson variance of each DSR",
}


def _as_values(values: Hashable | Sequence[Hashable], role: str) -> list[Hashable]:
    """A group value or a list of them (pooled), as a non-empty list."""
    if isinstance(values, str) or not isinstance(values, Sequence):
        return [values]
    chosen = list(values)
    if not chosen:
        raise StatisticsError(f"rate_ratio: {role} must name at least one group")
    return chosen


def _group_text(values: list[Hashable]) -> str:
    return " + ".join(str(value) for value in values)


def _side_totals(
    data: pd.DataFrame,
    x: str,
    n: str,
    group: str,
    numerator: list[Hashable],
    reference: list[Hashable],
    keys: list[str],
    extra: list[str],
) -> pd.DataFrame:
    """Sum ``x`` and ``n`` by (keys, side, *extra), side = numerator or reference."""
    overlap = set(numerator) & set(reference)
    if overlap:
        raise StatisticsError(
            f"rate_ratio: group(s) {sorted(map(str, overlap))} are in both the numerator "
            "and the reference"
        )
    for role, values in ((_NUMERATOR, numerator), (_REFERENCE, reference)):
        absent = [value for value in values if not (data[group] == value).any()]
        if absent:
            raise StatisticsError(
                f"rate_ratio: {role} group(s) {absent!r} not found in column {group!r}"
            )
    side = np.select(
        [data[group].isin(numerator).to_numpy(), data[group].isin(reference).to_numpy()],
        [_NUMERATOR, _REFERENCE],
        default="",
    )
    rows = pd.DataFrame({key: data[key] for key in keys}, index=data.index)
    if not keys:
        rows[_ALL] = 0
    rows[_SIDE] = side
    for column in extra:
        rows[column] = data[column]
    rows[x] = numeric_values(data, x)
    rows[n] = numeric_values(data, n)
    rows = rows[side != ""]
    by = [*(keys or [_ALL]), _SIDE, *extra]
    grouped = rows.groupby(by, sort=False, dropna=False)
    sums = grouped[[x, n]].sum(min_count=1)
    missing = rows[[x, n]].isna().groupby([rows[c] for c in by], sort=False, dropna=False).any()
    return sums.mask(missing.to_numpy()).reset_index()


def _dsr_sides(
    totals: pd.DataFrame,
    x: str,
    n: str,
    index: list[str],
    standard_population: str | pd.Series,
    age_band: str,
) -> pd.DataFrame:
    """DSR (per 1) and its Dobson variance for each (index, side) from age-band sums."""
    band_keys = [*index, _SIDE, age_band]
    if isinstance(standard_population, str):
        if totals.duplicated(band_keys).any():
            raise StatisticsError(
                f"rate_ratio: standard population {standard_population!r} differs between "
                "rows of the same age band"
            )
        weight = totals[standard_population].to_numpy(dtype=float)
        reject_where(~(weight >= 0), totals, [], "standard population weights must be non-negative")
        expected = None
    else:
        lookup = pd.Series(
            standard_population.to_numpy(dtype=float),
            index=standard_population.index.astype(str),
        )
        labels = totals[age_band].astype(str)
        unknown = ~labels.isin(lookup.index).to_numpy()
        if unknown.any():
            raise StatisticsError(
                f"rate_ratio: age band {labels[unknown].iloc[0]!r} is not in the standard "
                f"population (bands {list(lookup.index)!r})"
            )
        weight = lookup.reindex(labels.to_numpy()).to_numpy(dtype=float)
        expected = len(lookup)
    count = np.nan_to_num(totals[x].to_numpy(dtype=float), nan=0.0)
    population = totals[n].to_numpy(dtype=float)
    reject_where(
        ~(population > 0), totals, [], f"population {n!r} must be positive in every age band"
    )
    frame = totals[[*index, _SIDE]].copy()
    frame["weighted_rate"] = weight * count / population
    frame["weighted_variance"] = weight**2 * count / population**2
    frame["weight"] = weight
    frame[x] = count
    frame[n] = population
    frame["bands"] = 1
    sums = frame.groupby([*index, _SIDE], sort=False).sum().reset_index()
    if expected is None:
        expected_bands = np.full(len(sums), sums["bands"].max())
    else:
        expected_bands = np.full(len(sums), expected)
    reject_where(
        sums["bands"].to_numpy() != expected_bands,
        sums,
        [*index, _SIDE],
        f"rate_ratio: every group needs all {int(expected_bands.max())} age bands of the "
        "standard population (a missing band would silently reweight the DSR)",
    )
    total_weight = sums["weight"].to_numpy()
    reject_where(total_weight <= 0, sums, [*index, _SIDE], "standard weights sum to 0")
    sums["value"] = sums["weighted_rate"] / total_weight
    sums["variance"] = sums["weighted_variance"] / total_weight**2
    return sums[[*index, _SIDE, x, n, "value", "variance"]]


def rate_ratio(
    data: pd.DataFrame,
    x: str,
    n: str,
    *,
    group: str,
    numerator: Hashable | Sequence[Hashable],
    reference: Hashable | Sequence[Hashable],
    statistic: RatioStatistic = "rate",
    standard_population: str | pd.Series | None = None,
    age_band: str | None = None,
    group_by: GroupBy = None,
    confidence: ConfidenceLike = 0.95,
    multiplier: float | None = None,
) -> pd.DataFrame:
    """Ratio of the ``numerator`` group's rate to the ``reference`` group's, with a log CI.

    Method: the module docstring (crude rates: Poisson log interval; proportions: Katz;
    DSRs: the APHO/PHE ratio of two DSRs with Dobson variances).

    Parameters
    ----------
    data, x, n:
        Tidy frame with event (or success) counts ``x`` and populations (denominators)
        ``n``; rows of the same group are summed (for DSRs, within each age band).
    group:
        Column naming each row's group (a deprivation quintile, "Core20"/"rest" ...).
    numerator, reference:
        The group value(s) on each side; a list pools several groups (Core20 against
        quintiles 2 to 5 pooled, for example). A group may not be on both sides.
    statistic:
        "rate" (crude rates), "proportion" or "dsr".
    standard_population, age_band:
        DSRs only (both required): a column of standard population weights, or a Series
        indexed by age band label (:data:`ina.stats.standard_populations.ESP2013`)
        matched to the ``age_band`` column. Each side must have every band.
    group_by:
        Column(s) giving one ratio per group (indicator, area, period ...), in order of
        first appearance.
    confidence:
        One or more levels (0.95, or (0.95, 0.998)), named as PHEindicatormethods does.
    multiplier:
        Scale of the two groups' values in the output (default 100,000 for rates and
        DSRs, 100 for proportions); the ratio does not depend on it.

    Returns
    -------
    Group columns, ``numerator_group``, ``reference_group`` (the values as text, pooled
    ones joined by " + "), ``numerator_count``, ``numerator_denominator``,
    ``numerator_value``, ``reference_count``, ``reference_denominator``,
    ``reference_value``, ``value`` (the ratio), interval columns, ``confidence``,
    ``statistic`` ("rate ratio", "ratio of proportions", "ratio of DSRs", or why the
    ratio is not available) and ``method``.
    """
    if statistic not in _STATISTIC_LABEL:
        raise StatisticsError(
            f"rate_ratio: statistic must be 'rate', 'proportion' or 'dsr', got {statistic!r}"
        )
    keys = group_keys(group_by)
    if group in keys:
        raise StatisticsError(f"rate_ratio: {group!r} cannot be both group and group_by")
    extra: list[str] = []
    if statistic == "dsr":
        if standard_population is None or age_band is None:
            raise StatisticsError(
                "rate_ratio: a ratio of DSRs needs standard_population= and age_band="
            )
        extra = [age_band]
        if isinstance(standard_population, str):
            extra.append(standard_population)
    elif standard_population is not None or age_band is not None:
        raise StatisticsError("rate_ratio: standard_population and age_band apply to DSRs only")
    require_columns(data, [x, n, group, *keys, *extra], "rate_ratio")
    levels = normalise_confidence(confidence)
    scale = check_multiplier(
        multiplier if multiplier is not None else (100 if statistic == "proportion" else 100_000)
    )
    check_non_negative(data, [x, n], [])
    numerator_values = _as_values(numerator, "numerator")
    reference_values = _as_values(reference, "reference")
    index = keys or [_ALL]

    sides = _side_totals(data, x, n, group, numerator_values, reference_values, keys, extra)
    if statistic == "dsr":
        assert standard_population is not None and age_band is not None
        sides = _dsr_sides(sides, x, n, index, standard_population, age_band)
    else:
        count = sides[x].to_numpy(dtype=float)
        population = sides[n].to_numpy(dtype=float)
        reject_where(population == 0, sides, [*keys, _SIDE], f"population {n!r} is 0")
        if statistic == "proportion":
            reject_where(
                count > population,
                sides,
                [*keys, _SIDE],
                f"count {x!r} exceeds denominator {n!r} for a proportion",
            )
        sides["value"] = count / population
        sides["variance"] = np.nan

    order = sides[index].drop_duplicates()
    wide = order
    for which in (_NUMERATOR, _REFERENCE):
        part = sides[sides[_SIDE] == which].drop(columns=_SIDE)
        wide = wide.merge(
            part.rename(columns={c: f"{which}:{c}" for c in part.columns if c not in index}),
            on=index,
            how="left",
        )

    def side(column: str, which: str) -> np.ndarray:
        return wide[f"{which}:{column}"].to_numpy(dtype=float)

    o1, o2 = side(x, _NUMERATOR), side(x, _REFERENCE)
    d1, d2 = side(n, _NUMERATOR), side(n, _REFERENCE)
    v1, v2 = side("value", _NUMERATOR), side("value", _REFERENCE)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = v1 / v2
        if statistic == "rate":
            log_se = np.sqrt(1 / o1 + 1 / o2)
            too_few = (o1 == 0) | (o2 == 0)
            reason = "rate ratio NA for zero events in a group"
        elif statistic == "proportion":
            log_se = np.sqrt(1 / o1 - 1 / d1 + 1 / o2 - 1 / d2)
            too_few = (o1 == 0) | (o2 == 0)
            reason = "ratio of proportions NA for zero events in a group"
        else:
            var1, var2 = side("variance", _NUMERATOR), side("variance", _REFERENCE)
            log_se = np.sqrt(var1 / v1**2 + var2 / v2**2)
            too_few = (o1 < MINIMUM_DSR_COUNT) | (o2 < MINIMUM_DSR_COUNT)
            reason = f"ratio of DSRs NA for a total count < {MINIMUM_DSR_COUNT} in a group"
    no_rows = np.isnan(d1) | np.isnan(d2)
    unavailable = too_few | no_rows | ~np.isfinite(ratio)

    result = wide[keys].copy() if keys else pd.DataFrame(index=range(len(wide)))
    result["numerator_group"] = _group_text(numerator_values)
    result["reference_group"] = _group_text(reference_values)
    dsr_hidden = statistic == "dsr"
    result["numerator_count"] = o1
    result["numerator_denominator"] = d1
    result["numerator_value"] = np.where(dsr_hidden & (o1 < MINIMUM_DSR_COUNT), np.nan, v1 * scale)
    result["reference_count"] = o2
    result["reference_denominator"] = d2
    result["reference_value"] = np.where(dsr_hidden & (o2 < MINIMUM_DSR_COUNT), np.nan, v2 * scale)
    result["value"] = np.where(unavailable, np.nan, ratio)

    def limits(level: float) -> tuple[np.ndarray, np.ndarray]:
        z = z_value(level)
        with np.errstate(divide="ignore", invalid="ignore"):
            lower = np.exp(np.log(ratio) - z * log_se)
            upper = np.exp(np.log(ratio) + z * log_se)
        return np.where(unavailable, np.nan, lower), np.where(unavailable, np.nan, upper)

    add_interval_columns(result, levels, limits)
    labels = np.select(
        [no_rows, unavailable],
        [f"{_STATISTIC_LABEL[statistic]} NA: a group has no rows or missing counts", reason],
        default=_STATISTIC_LABEL[statistic],
    )
    result["statistic"] = pd.array(labels, dtype="string")
    if levels:
        result["method"] = _METHOD_LABEL[statistic]
    return result.reset_index(drop=True)


# --- the Poisson GLM -------------------------------------------------------------------


@dataclass(frozen=True)
class PoissonRateRatios:
    """What :func:`poisson_rate_ratios` returns: one tidy frame per question.

    ``ratios``: one row per group (per ``group_by`` group), the reference included with
    ratio 1; ``trend``: one row per ``group_by`` group, the rate ratio per step along the
    ordered groups and its p-value.
    """

    ratios: pd.DataFrame
    trend: pd.DataFrame


def _fit_glm(
    endog: np.ndarray,
    exog: np.ndarray,
    offset: np.ndarray,
    quasi: bool,
    where: str,
):
    """Fit a Poisson GLM (log link), Pearson-scaled when ``quasi``; raise if it fails."""
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = sm.GLM(endog, exog, family=sm.families.Poisson(), offset=offset)
        fitted = model.fit(scale="X2" if quasi else None)
    if not fitted.converged:
        raise StatisticsError(f"poisson_rate_ratios: the Poisson GLM did not converge ({where})")
    return fitted


def _dummies(column: pd.Series, levels: list[Hashable]) -> np.ndarray:
    """Indicator columns for each level after the first (treatment coding)."""
    values = column.to_numpy(dtype=object)
    return (
        np.column_stack([values == level for level in levels[1:]]).astype(float)
        if len(levels) > 1
        else np.empty((len(values), 0))
    )


def _design(
    cells: pd.DataFrame,
    group: str,
    fitted_groups: list[Hashable],
    score_order: list[Hashable] | None,
    adjust_levels: dict[str, list[Hashable]],
) -> np.ndarray:
    """The GLM's design matrix: intercept, the group term, then each adjustment.

    The group term is one indicator per non-reference group in ``fitted_groups``, or, for
    the trend test (``score_order`` given), one column scoring the groups 0, 1, 2 ...
    """
    columns = [np.ones(len(cells))]
    if score_order is not None:
        position = {g: float(i) for i, g in enumerate(score_order)}
        columns.append(cells[group].map(position).to_numpy(dtype=float))
    else:
        columns.append(_dummies(cells[group], fitted_groups))
    columns += [_dummies(cells[c], levels) for c, levels in adjust_levels.items()]
    return np.column_stack(columns)


def poisson_rate_ratios(
    frame: pd.DataFrame,
    events: str,
    population: str,
    group: str,
    reference: Hashable,
    *,
    adjust_for: Sequence[str] = (),
    order: Sequence[Hashable] | None = None,
    scale: Literal["poisson", "pearson"] = "poisson",
    group_by: GroupBy = None,
    confidence: ConfidenceLike = 0.95,
) -> PoissonRateRatios:
    """Each group's rate ratio to ``reference`` from a Poisson GLM, with a trend test.

    Model (statsmodels ``GLM``, Poisson family, log link): ``log E[events] =
    log(population) + α + β_group + Σ γ_adjustment``, the adjustment terms being one
    indicator per level of each ``adjust_for`` column (age band, sex) after the first.
    ``exp(β_g)`` is group g's rate ratio to the reference, adjusted for the strata; its
    interval is the Wald ``exp(β ± z·SE)`` and its p-value the Wald test of ``β = 0``.
    Without adjustment the fit is saturated and reproduces the closed-form crude rate
    ratio and its Poisson log interval exactly (:func:`rate_ratio`).

    ``scale="pearson"`` fits the quasi-Poisson model: standard errors are multiplied by
    the square root of the Pearson χ² over the residual degrees of freedom, widening the
    intervals when counts vary more than Poisson (clustered events). It needs residual
    degrees of freedom (more cells than parameters, e.g. an age adjustment).
    ``dispersion`` reports that ratio in both cases (missing when the model is saturated).

    The trend test refits the model with the group as a score 0, 1, 2 ... in ``order``
    (default: the groups' sorted values, so quintiles 1 to 5): ``exp(slope)`` is the rate
    ratio per step and its Wald p-value tests for a linear trend across the groups
    (log-linear in the score).

    Few events: see the module docstring (zero-event groups get ratio 0 with missing
    limits; a zero-event reference raises; fewer than 10 events are noted).

    Returns
    -------
    :class:`PoissonRateRatios` with

    ``ratios``: group columns, ``<group>`` (the group value), ``reference``, ``events``,
    ``population``, ``value`` (rate ratio), interval columns, ``p_value``,
    ``confidence``, ``statistic`` ("rate ratio" or "rate ratio adjusted for age_band,
    sex"), ``method`` ("Poisson GLM" or "quasi-Poisson GLM (Pearson scale)"),
    ``dispersion`` and ``note`` ("reference group", "no events: ...", "fewer than 10
    events: ..."; missing when there is nothing to note);

    ``trend``: group columns, ``order`` (the groups as ordered, joined by " < "),
    ``groups``, ``value`` (rate ratio per step), interval columns, ``p_value``,
    ``confidence``, ``statistic``, ``method`` and ``dispersion``.
    """
    keys = group_keys(group_by)
    adjust = list(adjust_for)
    if scale not in ("poisson", "pearson"):
        raise StatisticsError(f"scale must be 'poisson' or 'pearson', got {scale!r}")
    clash = {group, *adjust} & set(keys)
    if group in adjust or clash:
        raise StatisticsError(
            "poisson_rate_ratios: group, adjust_for and group_by must be different columns"
        )
    require_columns(frame, [events, population, group, *adjust, *keys], "poisson_rate_ratios")
    levels = normalise_confidence(confidence)
    if not levels:
        raise StatisticsError("poisson_rate_ratios: give at least one confidence level")
    check_non_negative(frame, [events, population], [])
    counts = numeric_values(frame, events)
    people = numeric_values(frame, population)
    reject_where(
        np.isnan(counts) | np.isnan(people), frame, [], "events and population must be present"
    )
    reject_where((people == 0) & (counts > 0), frame, [], f"events with a zero {population!r}")
    for column in [group, *adjust]:
        reject_where(frame[column].isna().to_numpy(), frame, [], f"column {column!r} is missing")

    quasi = scale == "pearson"
    statistic = "rate ratio" + (f" adjusted for {', '.join(adjust)}" if adjust else "")
    method = "quasi-Poisson GLM (Pearson scale)" if quasi else "Poisson GLM"
    data = frame[[*keys, group, *adjust]].copy()
    data["__events"] = counts
    data["__population"] = people
    data = data[data["__population"] > 0]
    parts = [((), data)] if not keys else data.groupby(keys, sort=False, dropna=False)

    ratio_rows: list[pd.DataFrame] = []
    trend_rows: list[dict[str, object]] = []
    for key_values, part in parts:
        key_values = key_values if isinstance(key_values, tuple) else (key_values,)
        where = ", ".join(f"{k}={v!r}" for k, v in zip(keys, key_values, strict=True)) or "all rows"
        groups = list(order) if order is not None else sorted(part[group].unique().tolist())
        unknown = set(part[group].unique()) - set(groups)
        if unknown:
            raise StatisticsError(
                f"poisson_rate_ratios: group(s) {sorted(map(str, unknown))} are not in order= "
                f"({where})"
            )
        if reference not in groups:
            raise StatisticsError(
                f"poisson_rate_ratios: reference {reference!r} is not a group ({where})"
            )
        totals = part.groupby(group, sort=False)[["__events", "__population"]].sum()
        totals = totals.reindex(groups)
        if totals.loc[reference, "__events"] == 0 or np.isnan(totals.loc[reference, "__events"]):
            raise StatisticsError(
                f"poisson_rate_ratios: the reference group {reference!r} has no events, so "
                f"every rate ratio would be infinite; pool years or choose another reference "
                f"({where})"
            )
        present = [g for g in groups if np.isfinite(totals.loc[g, "__events"])]
        empty = [g for g in present if totals.loc[g, "__events"] == 0]
        fitted_groups = [reference, *(g for g in present if g != reference and g not in empty)]
        cells = part[part[group].isin(fitted_groups)]
        for column in adjust:
            by_level = cells.groupby(column, sort=False)["__events"].sum()
            cells = cells[cells[column].isin(by_level.index[by_level > 0])]
        adjust_levels = {c: sorted(cells[c].unique().tolist()) for c in adjust}

        endog = cells["__events"].to_numpy(dtype=float)
        offset = np.log(cells["__population"].to_numpy(dtype=float))
        exog = _design(cells, group, fitted_groups, None, adjust_levels)
        residual_df = len(endog) - np.linalg.matrix_rank(exog)
        if quasi and residual_df <= 0:
            raise StatisticsError(
                "poisson_rate_ratios: the quasi-Poisson scale needs residual degrees of "
                f"freedom, but the model is saturated ({where}); add an adjustment or use "
                "scale='poisson'"
            )
        fit = _fit_glm(endog, exog, offset, quasi, where)
        dispersion = float(fit.pearson_chi2 / residual_df) if residual_df > 0 else np.nan

        beta = {g: 0.0 for g in groups}
        se = {g: np.nan for g in groups}
        p = {g: np.nan for g in groups}
        for index, g in enumerate(fitted_groups[1:], start=1):
            beta[g], se[g], p[g] = fit.params[index], fit.bse[index], fit.pvalues[index]
        rows = pd.DataFrame({group: pd.array(groups, dtype=object)})
        for k, v in zip(keys, key_values, strict=True):
            rows.insert(len(rows.columns) - 1, k, v)
        rows["reference"] = reference
        rows["events"] = totals["__events"].to_numpy(dtype=float)
        rows["population"] = totals["__population"].to_numpy(dtype=float)
        b = np.array([beta[g] for g in groups])
        s = np.array([se[g] for g in groups])
        is_empty = np.array([g in empty for g in groups])
        rows["value"] = np.where(is_empty, 0.0, np.exp(b))

        def limits(level: float, b=b, s=s) -> tuple[np.ndarray, np.ndarray]:
            z = z_value(level)
            return np.exp(b - z * s), np.exp(b + z * s)

        add_interval_columns(rows, levels, limits)
        rows.insert(len(rows.columns) - 1, "p_value", [p[g] for g in groups])
        rows["statistic"] = statistic
        rows["method"] = method
        rows["dispersion"] = dispersion
        notes = []
        for g, n_events in zip(groups, rows["events"], strict=True):
            if g == reference:
                notes.append("reference group")
            elif g in empty:
                notes.append("no events: rate ratio is 0 and its interval cannot be estimated")
            elif n_events < FEW_EVENTS:
                notes.append(f"fewer than {FEW_EVENTS} events: interval approximate")
            else:
                notes.append(None)
        rows["note"] = pd.array(notes, dtype="string")
        ratio_rows.append(rows)

        trend_cells = part[part[group].isin(present)]
        for column in adjust:
            by_level = trend_cells.groupby(column, sort=False)["__events"].sum()
            trend_cells = trend_cells[trend_cells[column].isin(by_level.index[by_level > 0])]
        trend_design = _design(trend_cells, group, fitted_groups, groups, adjust_levels)
        trend_fit = _fit_glm(
            trend_cells["__events"].to_numpy(dtype=float),
            trend_design,
            np.log(trend_cells["__population"].to_numpy(dtype=float)),
            quasi,
            where,
        )
        slope, slope_se = float(trend_fit.params[1]), float(trend_fit.bse[1])
        trend: dict[str, object] = dict(zip(keys, key_values, strict=True))
        trend["order"] = " < ".join(str(g) for g in groups)
        trend["groups"] = len(present)
        trend["value"] = float(np.exp(slope))
        for level, (low, high) in zip(levels, interval_columns(levels), strict=True):
            z = z_value(level)
            trend[low] = float(np.exp(slope - z * slope_se))
            trend[high] = float(np.exp(slope + z * slope_se))
        trend["p_value"] = float(trend_fit.pvalues[1])
        trend["confidence"] = rows["confidence"].iloc[0]
        trend["statistic"] = f"{statistic}, per step in {group}"
        trend["method"] = method + ", linear trend in group order"
        trend["dispersion"] = dispersion
        trend_rows.append(trend)

    ratios = pd.concat(ratio_rows, ignore_index=True)
    return PoissonRateRatios(ratios=ratios, trend=pd.DataFrame(trend_rows))
