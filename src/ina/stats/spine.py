"""Spine-chart scaling, as in Fingertips area profiles (data only; drawing is elsewhere).

A spine chart shows many indicators on one page: for each indicator a bar from the worst
to the best value among comparator areas (e.g. all English local authorities), a darker
band from the 25th to the 75th percentile, England in the middle, and a marker for the
area coloured by its benchmark comparison. Because indicators have different units, each
is rescaled to a common 0-1 axis.

Method and source: Fingertips "Spine chart" (Area profiles) as described in the Fingertips
user guide and PHE's Local Authority Health Profiles technical notes:

* worst and best are the extreme values among the comparator areas, polarity-aware: for
  "low is good" the worst is the *maximum*; for "no judgement" the left end is the lowest
  and the right end the highest value;
* the 25th and 75th percentiles of the comparator values (linear interpolation between
  order statistics, numpy's default / R type 7; Fingertips documents the 25th and 75th
  percentiles without naming the interpolation);
* the scale is centred on England (England at 0.5) and stretched so that whichever of
  worst and best is further from England sits at the edge (0 or 1): with
  ``D = max(|worst − England|, |best − England|)``, a value ``v`` is drawn at
  ``0.5 + s·(v − England)/(2D)``, where ``s = +1`` when high is good (or no judgement) and
  ``−1`` when low is good, so "better" is always to the right;
* the area's marker takes its Fingertips benchmark colour
  (:func:`ina.stats.benchmarking.compare_with_benchmark`) when its confidence limits are
  given.

The result is one tidy row per indicator × marked area that a chart module can draw
without further arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ina.errors import StatisticsError
from ina.stats._confidence import group_keys, numeric_values, require_columns
from ina.stats.benchmarking import Polarity, compare_with_benchmark

__all__ = ["SPINE_CENTRE", "spine_chart_data"]

#: Where the comparator (England) sits on the 0-1 spine axis.
SPINE_CENTRE = 0.5


def spine_chart_data(
    data: pd.DataFrame,
    *,
    indicator: str | Sequence[str],
    area: str,
    value: str,
    benchmark: str,
    polarity: Polarity | str,
    areas: Sequence[object],
    peers: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    lower_998: str | None = None,
    upper_998: str | None = None,
    min_peers: int = 2,
) -> pd.DataFrame:
    """Return Fingertips spine-chart positions for the ``areas`` on every indicator.

    Method and source: Fingertips spine chart (module docstring).

    Parameters
    ----------
    data:
        Long data, one row per indicator (``indicator`` columns) × area (``area``), holding
        the comparator areas' values and the marked areas' values.
    value:
        The indicator value.
    benchmark:
        Column with the England (comparator) value for each row's indicator.
    polarity:
        One :class:`~ina.stats.benchmarking.Polarity` or the name of a column with each
        indicator's polarity.
    areas:
        The areas to place markers for (e.g. the ICB and its places).
    peers:
        Optional boolean column marking the comparator areas (e.g. all upper-tier local
        authorities); by default every row of the indicator is a comparator.
    lower, upper, lower_998, upper_998:
        Optional confidence limits, to colour each marker by its benchmark comparison.
    min_peers:
        Indicators with fewer comparator values get no range (missing positions).

    Returns
    -------
    One row per indicator × marked area with: the indicator and area columns, ``value``,
    ``benchmark``, ``polarity``, ``peer_count``, ``worst``, ``percentile_25``,
    ``percentile_75``, ``best`` (in the indicator's units; for no judgement "worst" and
    "best" are the lowest and highest), their positions ``worst_x``, ``percentile_25_x``,
    ``percentile_75_x``, ``best_x``, ``benchmark_x`` (0.5) and ``value_x`` on the 0-1 axis,
    and ``comparison`` / ``comparison_colour`` when limits were given. ``value_x`` is
    outside 0-1 when a marked area lies beyond every comparator (e.g. an ICB compared with
    local authorities); the chart decides whether to clip it.

    Raises
    ------
    StatisticsError
        Missing columns, unknown polarity, an indicator with more than one benchmark or
        polarity value, or a marked area missing from the data.
    """
    keys = group_keys(indicator)
    if not keys:
        raise StatisticsError("indicator must name at least one column")
    columns = [*keys, area, value, benchmark]
    if peers is not None:
        columns.append(peers)
    require_columns(data, columns, "spine_chart_data")
    if min_peers < 1:
        raise StatisticsError(f"min_peers must be at least 1, got {min_peers!r}")

    work = data[[*keys, area]].copy()
    work["__value"] = numeric_values(data, value)
    work["__benchmark"] = numeric_values(data, benchmark)
    if (
        isinstance(polarity, str)
        and not isinstance(polarity, Polarity)
        and (polarity in data.columns)
    ):
        mapping = {p: Polarity.parse(p) for p in pd.unique(data[polarity].dropna())}
        if data[polarity].isna().any():
            raise StatisticsError(f"polarity column {polarity!r} has missing values")
        work["__polarity"] = data[polarity].map(mapping).astype(object)
    else:
        work["__polarity"] = Polarity.parse(polarity)
    if peers is not None:
        flags = data[peers]
        if flags.isna().any() or not pd.api.types.is_bool_dtype(flags):
            raise StatisticsError(f"peers column {peers!r} must be True/False with no gaps")
        work["__peer"] = flags.to_numpy(dtype=bool)
    else:
        work["__peer"] = True

    grouped = work.groupby(keys, sort=False, dropna=False)
    for column, what in (("__benchmark", "benchmark"), ("__polarity", "polarity")):
        varying = grouped[column].nunique(dropna=False) > 1
        if varying.any():
            raise StatisticsError(
                f"indicator {varying[varying].index[0]!r} has more than one {what} value"
            )

    peer_values = work[work["__peer"] & work["__value"].notna()]
    by_indicator = peer_values.groupby(keys, sort=False, dropna=False)["__value"]
    summary = pd.DataFrame(
        {
            "peer_count": by_indicator.size(),
            "lowest": by_indicator.min(),
            "percentile_25": by_indicator.quantile(0.25),
            "percentile_75": by_indicator.quantile(0.75),
            "highest": by_indicator.max(),
        }
    )
    indicator_info = grouped.agg(
        benchmark=("__benchmark", "first"), polarity=("__polarity", "first")
    )
    summary = indicator_info.join(summary, how="left")
    summary["peer_count"] = summary["peer_count"].fillna(0).astype(int)

    wanted = list(areas)
    marked = work[work[area].isin(wanted)]
    absent = [a for a in wanted if a not in set(marked[area])]
    if absent:
        raise StatisticsError(f"area(s) {absent!r} not found in column {area!r}")
    if marked.duplicated([*keys, area]).any():
        raise StatisticsError("an area appears twice for one indicator; give every key column")

    if lower is not None and upper is not None:
        compared = compare_with_benchmark(
            data.loc[marked.index],
            value,
            lower,
            upper,
            benchmark,
            polarity,
            lower_998=lower_998,
            upper_998=upper_998,
        )
        marked = marked.assign(
            comparison=compared["comparison"].to_numpy(),
            comparison_colour=compared["comparison_colour"].to_numpy(),
        )

    result = marked.join(summary, on=keys)
    direction = np.where(result["polarity"].to_numpy() == Polarity.LOW_IS_GOOD, -1.0, 1.0)
    low_is_good = direction < 0
    result["worst"] = np.where(low_is_good, result["highest"], result["lowest"])
    result["best"] = np.where(low_is_good, result["lowest"], result["highest"])
    centre = result["benchmark"].to_numpy(dtype=float)
    half_range = np.maximum(
        np.abs(result["worst"].to_numpy(dtype=float) - centre),
        np.abs(result["best"].to_numpy(dtype=float) - centre),
    )
    usable = (result["peer_count"].to_numpy() >= min_peers) & np.isfinite(centre)

    def position(values: pd.Series) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = SPINE_CENTRE + direction * (values.to_numpy(dtype=float) - centre) / (
                2 * half_range
            )
        # All comparators equal to England: everything sits on the centre line.
        scaled = np.where(half_range == 0, SPINE_CENTRE, scaled)
        return np.where(usable, scaled, np.nan)

    out = result[[*keys, area]].reset_index(drop=True)
    out["value"] = result["__value"].to_numpy()
    out["benchmark"] = centre
    out["polarity"] = pd.array([str(p) for p in result["polarity"]], dtype="string")
    out["peer_count"] = result["peer_count"].to_numpy()
    for name in ("worst", "percentile_25", "percentile_75", "best"):
        out[name] = np.where(usable, result[name].to_numpy(dtype=float), np.nan)
    for name in ("worst", "percentile_25", "percentile_75", "best"):
        out[f"{name}_x"] = position(result[name])
    out["benchmark_x"] = np.where(usable, SPINE_CENTRE, np.nan)
    out["value_x"] = position(result["__value"])
    if "comparison" in result.columns:
        out["comparison"] = pd.array(result["comparison"].to_numpy(), dtype="string")
        out["comparison_colour"] = pd.array(result["comparison_colour"].to_numpy(), dtype="string")
    return out
