"""Funnel plots: control limits, significance and plotting points (PHEindicatormethods parity).

A funnel plot shows each area's value against its size with control limits around the
overall (baseline) value at 95% ("2 standard deviations", ``2s``) and 99.8% (``3s``): an
area outside the funnel differs from the baseline by more than chance would explain. The
functions mirror PHEindicatormethods v2.1.0 ``calculate_funnel_limits``,
``assign_funnel_significance`` and ``calculate_funnel_points`` and reproduce its test
vectors (``tests/stats/test_funnel.py``).

Methods and sources
-------------------
Spiegelhalter (2005) "Funnel plots for comparing institutional performance", Stat Med
24:1185-1202; APHO Technical Briefing 2 "Commonly used public health statistics and their
confidence intervals" (2008) and the Fingertips PH methods guidance
(https://fingertips.phe.org.uk/profile/guidance/supporting-information/PH-methods):

* **proportions**: baseline ``p̄ = Σx / Σn``; limits at denominator ``n`` are
  ``p̄ ± z·√(p̄(1 − p̄)/n)`` clipped to [0, 1] — the proportions whose Wilson score
  interval just reaches ``p̄`` (hence method "Wilson"); × ``multiplier``.
* **ratios** (observed / expected, ``ratio_type="count"``: O/E − 1; ``"isr"``: O/E ×
  ``multiplier``): for each observed count O on the axis, the expected count at which O is
  on the limit is the exact Poisson limit of O (Garwood 1936): the lower control limit
  sits at ``E = χ²(c + (1 − c)/2; 2O + 2)/2`` and the upper at ``E = χ²((1 − c)/2; 2O)/2``.
* **rates** (``rate_type="dsr"`` or ``"crude"``, per ``multiplier``, over
  ``years_of_data``): baseline ``R = Σevents / Σperson-years × multiplier`` (person-years
  derived as ``events / rate × multiplier`` unless a denominator is given); for O events
  the population per year at which O is on the lower limit is
  ``exact_upper(O) / R × multiplier / years`` and the limit rate ``O × R / exact_upper(O)``
  (upper limit likewise with ``exact_lower``). DSRs from fewer than 10 events are not
  charted (Fingertips: a DSR is not published below 10 events).
* **significance** is the same comparison made for each area: "High (0.001)" /
  "Low (0.001)" outside the 99.8% limits, "High (0.025)" / "Low (0.025)" outside the 95%
  limits only (the one-sided tail probabilities), else "Not significant".
* **axis**: 100 points from ``axis_min`` to ``axis_max``, each about a constant factor
  above the last but at least one more (whole numbers), so both the steep small-number end
  and the long tail are drawn smoothly (:func:`funnel_axis`). The default range, inferred
  from the package's reference outputs (it is not in the published method): from
  ``0.95 × smallest`` size rounded down to one significant figure (or from 1 when the
  range spans more than a factor of 10) to ``1.05 × largest`` rounded up to two
  significant figures; for rates the range is set in population per year and converted
  to events with the baseline rate. This reproduces the PHEindicatormethods axes for
  proportions and rates exactly; for ratios the package ends its axis at a value this rule
  does not reproduce (716 rather than 750 for its test data), so pass ``axis=`` to match
  it point for point (the limits at any axis point agree).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ina.errors import StatisticsError
from ina.stats._confidence import check_multiplier, numeric_values, require_columns, z_value
from ina.stats.intervals import exact_poisson_lower, exact_poisson_upper

__all__ = [
    "AXIS_POINTS",
    "DSR_MINIMUM_EVENTS",
    "assign_funnel_significance",
    "calculate_funnel_limits",
    "calculate_funnel_points",
    "funnel_axis",
]

#: Points on the funnel axis (PHEindicatormethods generates 100).
AXIS_POINTS = 100
#: DSRs from fewer events are not charted or tested (Fingertips publication rule).
DSR_MINIMUM_EVENTS = 10
#: The two control-limit levels: "2s" = 95%, "3s" = 99.8% (Fingertips' funnel levels).
LEVELS: dict[str, float] = {"2s": 0.95, "3s": 0.998}

Statistic = Literal["proportion", "ratio", "rate"]

HIGH_998, HIGH_95 = "High (0.001)", "High (0.025)"
LOW_998, LOW_95 = "Low (0.001)", "Low (0.025)"
NOT_SIGNIFICANT = "Not significant"
DSR_NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"


# ---------------------------------------------------------------------------------------
# Axis
# ---------------------------------------------------------------------------------------


def funnel_axis(axis_min: float, axis_max: float, points: int = AXIS_POINTS) -> np.ndarray:
    """Return ``points`` whole numbers from ``axis_min`` to ``axis_max`` for drawing limits.

    Each point is the previous one times the constant ratio that would reach ``axis_max``
    in the remaining steps, rounded to a whole number, but at least one more than the
    previous point: so the axis starts 1, 2, 3 ... where a geometric step is under one and
    is geometric (even on a log scale) above. This is the axis PHEindicatormethods draws
    (reproduced exactly for all its funnel test vectors).
    """
    if not (isinstance(points, int) and points >= 2):
        raise StatisticsError(f"points must be a whole number of at least 2, got {points!r}")
    low, high = float(axis_min), float(axis_max)
    if not (math.isfinite(low) and math.isfinite(high) and 0 < low < high):
        raise StatisticsError(
            f"the funnel axis needs 0 < axis_min < axis_max, got {axis_min!r} and {axis_max!r}"
        )
    if high - low < points - 1:
        raise StatisticsError(
            f"the funnel axis from {low:g} to {high:g} cannot hold {points} whole numbers"
        )
    # A short recurrence (100 steps), not a loop over data.
    axis = np.empty(points)
    axis[0] = low
    for step in range(1, points):
        previous = axis[step - 1]
        ratio = (high / previous) ** (1 / (points - step))
        axis[step] = max(previous + 1, np.round(previous * ratio))
    return axis


def _default_axis(low: float, high: float) -> np.ndarray:
    """The default axis from ``low`` to ``high``, widened when too short for 100 points.

    A range narrower than 99 (e.g. all denominators about 20) cannot hold 100 distinct
    whole numbers; it is extended downwards (not below 1), then upwards.
    """
    if high - low < AXIS_POINTS - 1:
        low = max(1.0, high - (AXIS_POINTS - 1))
        high = max(high, low + AXIS_POINTS - 1)
    return funnel_axis(low, high)


def _round_down_1sf(value: float) -> float:
    exponent = math.floor(math.log10(value))
    return math.floor(value / 10**exponent) * 10**exponent


def _round_up_2sf(value: float) -> float:
    exponent = math.floor(math.log10(value)) - 1
    return math.ceil(round(value / 10**exponent, 9)) * 10**exponent


def _default_size_range(sizes: np.ndarray) -> tuple[float, float, bool]:
    """Axis range in size units: (low, high, start_from_one). See the module docstring."""
    sizes = sizes[np.isfinite(sizes) & (sizes > 0)]
    if sizes.size == 0:
        raise StatisticsError("the funnel needs at least one positive denominator")
    high = _round_up_2sf(1.05 * sizes.max())
    low = _round_down_1sf(0.95 * sizes.min())
    return low, high, high / low > 10


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


def _statistic(statistic: str) -> str:
    if statistic not in ("proportion", "ratio", "rate"):
        raise StatisticsError(
            f"statistic must be 'proportion', 'ratio' or 'rate', got {statistic!r}"
        )
    return statistic


def _check_counts(frame: pd.DataFrame, column: str, values: np.ndarray) -> None:
    bad = values < 0
    if bad.any():
        row = frame.index[int(np.flatnonzero(bad)[0])]
        raise StatisticsError(f"column {column!r} must not be negative (row {row!r})")


def _rate_inputs(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None,
    rate: str | None,
    rate_type: str | None,
    multiplier: float | None,
    years_of_data: float | None,
    role: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float, str]:
    """Validate rate inputs; return (events, person_years, rates, multiplier, years, type).

    Person-years are ``events / rate × multiplier`` where the rate is given and events are
    positive; otherwise the denominator (crude rates with zero events need one).
    """
    if rate_type not in ("dsr", "crude"):
        raise StatisticsError(f"{role}: rate_type must be 'dsr' or 'crude', got {rate_type!r}")
    if rate is None:
        raise StatisticsError(f"{role}: statistic 'rate' needs the rate= column")
    if multiplier is None:
        raise StatisticsError(f"{role}: statistic 'rate' needs a multiplier (e.g. 100000)")
    scale = check_multiplier(multiplier)
    if (
        years_of_data is None
        or isinstance(years_of_data, bool)
        or not (isinstance(years_of_data, int | float) and years_of_data > 0)
    ):
        raise StatisticsError(
            f"{role}: statistic 'rate' needs years_of_data, a positive number; "
            f"got {years_of_data!r}"
        )
    if rate_type == "dsr" and denominator is not None:
        raise StatisticsError(
            f"{role}: a DSR funnel derives its denominators from the events and rates; "
            "do not give denominator="
        )
    columns = [numerator, rate] + ([denominator] if denominator else [])
    require_columns(data, columns, role)
    events = numeric_values(data, numerator)
    rates = numeric_values(data, rate)
    _check_counts(data, numerator, events)
    _check_counts(data, rate, rates)
    with np.errstate(divide="ignore", invalid="ignore"):
        person_years = np.where(events > 0, events / rates * scale, np.nan)
    if denominator is not None:
        given = numeric_values(data, denominator)
        _check_counts(data, denominator, given)
        person_years = np.where(events > 0, person_years, given)
    return events, person_years, rates, scale, float(years_of_data), rate_type


def _dsr_usable(events: np.ndarray, rate_type: str) -> np.ndarray:
    if rate_type == "dsr":
        return events >= DSR_MINIMUM_EVENTS
    return np.isfinite(events)


# ---------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------


def calculate_funnel_limits(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    rate: str | None = None,
    *,
    statistic: Statistic,
    multiplier: float | None = None,
    ratio_type: Literal["count", "isr"] | None = None,
    rate_type: Literal["dsr", "crude"] | None = None,
    years_of_data: float | None = None,
    axis: Sequence[float] | np.ndarray | None = None,
    type: Literal["standard", "full"] = "full",
) -> pd.DataFrame:
    """Return 95% and 99.8% funnel control limits at 100 axis points (one row each).

    Method and source: PHEindicatormethods v2.1.0 ``calculate_funnel_limits`` and the
    Fingertips funnel-plot method (module docstring for the formulas).

    Parameters
    ----------
    numerator, denominator:
        Proportions: successes and denominators. Ratios: observed and expected counts.
        Rates: events (``numerator``), the rate (``rate``) and, for crude rates only, an
        optional denominator (person-years) used where there are no events.
    statistic:
        "proportion", "ratio" or "rate".
    multiplier:
        Scale of the output (100 for percentages, 100000 for rates per 100,000; for
        ``ratio_type="isr"`` 100 gives the ratio ×100). Required for proportions and rates.
    ratio_type, rate_type, years_of_data:
        As in PHEindicatormethods: "count" (O/E − 1) or "isr" (O/E × multiplier); "dsr" or
        "crude"; the number of years the rates pool (required for rates).
    axis:
        Axis points to use instead of the default 100-point axis (sizes for proportions,
        observed counts for ratios and rates).
    type:
        "full" adds ``statistic`` and ``method`` columns.

    Returns
    -------
    Proportions: ``Population, lower_2s_limit, upper_2s_limit, lower_3s_limit,
    upper_3s_limit, baseline``. Ratios: ``Observed_events`` then, per limit,
    ``<limit>_exp_events`` (the expected count at which that many observed events is on
    the limit) and ``<limit>_limit``, then ``baseline``. Rates: ``Events`` then, per
    limit, ``<limit>_population_1_year`` and ``<limit>_limit``, then ``baseline``.
    """
    kind = _statistic(statistic)
    role = "calculate_funnel_limits"
    if type not in ("standard", "full"):
        raise StatisticsError(f"type must be 'standard' or 'full', got {type!r}")
    explicit_axis = None if axis is None else np.asarray(axis, dtype=float)
    if explicit_axis is not None and (
        explicit_axis.ndim != 1 or explicit_axis.size == 0 or (explicit_axis <= 0).any()
    ):
        raise StatisticsError("axis must be a non-empty list of positive numbers")

    if kind == "proportion":
        if denominator is None or multiplier is None:
            raise StatisticsError(f"{role}: proportions need denominator= and multiplier=")
        require_columns(data, [numerator, denominator], role)
        scale = check_multiplier(multiplier)
        x, n = numeric_values(data, numerator), numeric_values(data, denominator)
        _check_counts(data, numerator, x)
        _check_counts(data, denominator, n)
        if (x > n).any():
            row = data.index[int(np.flatnonzero(x > n)[0])]
            raise StatisticsError(f"numerator is larger than denominator at row {row!r}")
        used = np.isfinite(x) & np.isfinite(n)
        baseline = x[used].sum() / n[used].sum()
        if explicit_axis is None:
            low, high, from_one = _default_size_range(n[used])
            explicit_axis = _default_axis(1.0 if from_one else low, high)
        sizes = explicit_axis
        out = pd.DataFrame({"Population": sizes})
        spread = np.sqrt(baseline * (1 - baseline) / sizes)
        for name, level in LEVELS.items():
            z = z_value(level)
            out[f"lower_{name}_limit"] = np.clip(baseline - z * spread, 0, 1) * scale
            out[f"upper_{name}_limit"] = np.clip(baseline + z * spread, 0, 1) * scale
        out = out[
            ["Population", "lower_2s_limit", "upper_2s_limit", "lower_3s_limit", "upper_3s_limit"]
        ]
        out["baseline"] = baseline * scale
        labels = ("proportion", "Wilson")

    elif kind == "ratio":
        if denominator is None:
            raise StatisticsError(f"{role}: ratios need denominator= (the expected counts)")
        if ratio_type not in ("count", "isr"):
            raise StatisticsError(
                f"{role}: ratio_type must be 'count' or 'isr', got {ratio_type!r}"
            )
        if ratio_type == "isr" and multiplier is None:
            raise StatisticsError(f"{role}: ratio_type 'isr' needs a multiplier (e.g. 100)")
        require_columns(data, [numerator, denominator], role)
        observed = numeric_values(data, numerator)
        expected = numeric_values(data, denominator)
        _check_counts(data, numerator, observed)
        _check_counts(data, denominator, expected)
        if explicit_axis is None:
            low, high, from_one = _default_size_range(expected)
            explicit_axis = _default_axis(
                1.0 if from_one else max(1.0, math.floor(low)), math.ceil(high)
            )
        counts = explicit_axis
        out = pd.DataFrame({"Observed_events": counts})
        scale = 1.0 if ratio_type == "count" else check_multiplier(multiplier)
        offset = -1.0 if ratio_type == "count" else 0.0
        for name, level in LEVELS.items():
            for side, limit_of in (("lower", exact_poisson_upper), ("upper", exact_poisson_lower)):
                at = np.asarray(limit_of(counts, level), dtype=float)
                out[f"{side}_{name}_exp_events"] = at
                with np.errstate(divide="ignore"):
                    out[f"{side}_{name}_limit"] = counts / at * scale + offset
        out = out[
            ["Observed_events"]
            + [
                f"{side}_{name}_{part}"
                for name in LEVELS
                for side in ("lower", "upper")
                for part in ("exp_events", "limit")
            ]
        ]
        out["baseline"] = 0.0 if ratio_type == "count" else scale
        labels = (f"ratio ({ratio_type})", "Poisson")

    else:
        events, person_years, _, scale, years, kind_of_rate = _rate_inputs(
            data, numerator, denominator, rate, rate_type, multiplier, years_of_data, role
        )
        used = _dsr_usable(events, kind_of_rate) & np.isfinite(person_years)
        if not used.any():
            raise StatisticsError(f"{role}: no rows with usable events and rates")
        baseline = events[used].sum() / person_years[used].sum() * scale
        if explicit_axis is None:
            low, high, from_one = _default_size_range(person_years[used] / years)
            to_events = years * baseline / scale
            start = 1.0 if from_one else max(1.0, math.floor(low * to_events))
            explicit_axis = _default_axis(start, math.ceil(high * to_events))
        counts = explicit_axis
        out = pd.DataFrame({"Events": counts})
        for name, level in LEVELS.items():
            for side, limit_of in (("lower", exact_poisson_upper), ("upper", exact_poisson_lower)):
                expected_events = np.asarray(limit_of(counts, level), dtype=float)
                out[f"{side}_{name}_population_1_year"] = expected_events / baseline * scale / years
                with np.errstate(divide="ignore"):
                    out[f"{side}_{name}_limit"] = counts * baseline / expected_events
        out["baseline"] = baseline
        labels = (f"rate ({kind_of_rate} per {scale:,.10g})", "Poisson")

    if type == "full":
        out["statistic"] = pd.array([labels[0]] * len(out), dtype="string")
        out["method"] = pd.array([labels[1]] * len(out), dtype="string")
    return out


# ---------------------------------------------------------------------------------------
# Significance
# ---------------------------------------------------------------------------------------


def _label(
    high998: np.ndarray,
    high95: np.ndarray,
    low998: np.ndarray,
    low95: np.ndarray,
    missing: np.ndarray,
) -> np.ndarray:
    return np.select(
        [missing, high998, low998, high95, low95],
        [None, HIGH_998, LOW_998, HIGH_95, LOW_95],
        default=NOT_SIGNIFICANT,
    ).astype(object)


def assign_funnel_significance(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    rate: str | None = None,
    *,
    statistic: Statistic,
    rate_type: Literal["dsr", "crude"] | None = None,
    multiplier: float | None = None,
    output: str = "significance",
) -> pd.DataFrame:
    """Label each row by where it falls against the funnel limits at its own size.

    Method and source: PHEindicatormethods v2.1.0 ``assign_funnel_significance``; the
    comparison is the funnel's (module docstring): proportions against
    ``p̄ ± z·√(p̄(1 − p̄)/n)``; ratios and rates by whether the exact Poisson interval of
    the observed count excludes the count expected at the baseline (ratio 1; rate
    ``R × person-years``). Labels: "High (0.001)", "High (0.025)", "Not significant",
    "Low (0.025)", "Low (0.001)"; DSRs from fewer than 10 events get "Not applicable for
    events less than 10 for dsrs"; rows with missing inputs get a missing label.

    ``years_of_data`` does not change significance, so it is not needed here.
    """
    kind = _statistic(statistic)
    role = "assign_funnel_significance"
    result = data.copy()
    if kind == "proportion":
        if denominator is None:
            raise StatisticsError(f"{role}: proportions need denominator=")
        require_columns(data, [numerator, denominator], role)
        x, n = numeric_values(data, numerator), numeric_values(data, denominator)
        _check_counts(data, numerator, x)
        _check_counts(data, denominator, n)
        used = np.isfinite(x) & np.isfinite(n) & (n > 0)
        baseline = x[used].sum() / n[used].sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            value = x / n
            spread = np.sqrt(baseline * (1 - baseline) / n)
        z95, z998 = z_value(0.95), z_value(0.998)
        labels = _label(
            value > baseline + z998 * spread,
            value > baseline + z95 * spread,
            value < baseline - z998 * spread,
            value < baseline - z95 * spread,
            ~used,
        )
    else:
        if kind == "ratio":
            if denominator is None:
                raise StatisticsError(f"{role}: ratios need denominator= (expected counts)")
            require_columns(data, [numerator, denominator], role)
            observed = numeric_values(data, numerator)
            expected = numeric_values(data, denominator)
            _check_counts(data, numerator, observed)
            _check_counts(data, denominator, expected)
            not_applicable = np.zeros(len(data), dtype=bool)
        else:
            observed, person_years, _, _, _, kind_of_rate = _rate_inputs(
                data, numerator, denominator, rate, rate_type, multiplier, 1.0, role
            )
            usable = _dsr_usable(observed, kind_of_rate) & np.isfinite(person_years)
            baseline = observed[usable].sum() / person_years[usable].sum()
            expected = baseline * person_years
            not_applicable = (kind_of_rate == "dsr") & (observed < DSR_MINIMUM_EVENTS)
        missing = ~(np.isfinite(observed) & np.isfinite(expected))
        safe = np.where(np.isfinite(observed), observed, 0.0)
        lower998 = np.asarray(exact_poisson_lower(safe, 0.998), dtype=float)
        upper998 = np.asarray(exact_poisson_upper(safe, 0.998), dtype=float)
        lower95 = np.asarray(exact_poisson_lower(safe, 0.95), dtype=float)
        upper95 = np.asarray(exact_poisson_upper(safe, 0.95), dtype=float)
        with np.errstate(invalid="ignore"):
            labels = _label(
                lower998 > expected,
                lower95 > expected,
                upper998 < expected,
                upper95 < expected,
                missing,
            )
        labels[not_applicable] = DSR_NOT_APPLICABLE
    result[output] = pd.array(labels, dtype="string")
    return result


# ---------------------------------------------------------------------------------------
# Points
# ---------------------------------------------------------------------------------------


def calculate_funnel_points(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    rate: str | None = None,
    *,
    rate_type: Literal["dsr", "crude"],
    years_of_data: float,
    multiplier: float,
) -> pd.DataFrame:
    """Add the rate to chart (``<rate>_chart``) and its population per year.

    Method and source: PHEindicatormethods v2.1.0 ``calculate_funnel_points``: a rate-based
    funnel plots each area at its population per year, derived from the events and the
    rate (``events / rate × multiplier / years_of_data``) so that DSRs sit at the
    population their precision corresponds to; where there are no events a crude rate's
    own denominator is used (``denominator / years_of_data``). DSRs from fewer than 10
    events are not charted (both columns missing).
    """
    events, person_years, rates, _, years, kind_of_rate = _rate_inputs(
        data,
        numerator,
        denominator,
        rate,
        rate_type,
        multiplier,
        years_of_data,
        "calculate_funnel_points",
    )
    keep = _dsr_usable(events, kind_of_rate)
    assert rate is not None  # checked by _rate_inputs
    result = data.copy()
    result[f"{rate}_chart"] = np.where(keep, rates, np.nan)
    result["denominator_derived"] = np.where(keep, person_years / years, np.nan)
    return result
