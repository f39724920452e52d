"""Fingertips-style spine chart: many indicators on one page, each against its peers.

Each row is one indicator: a light bar from the worst to the best value among the peer
areas, a darker bar from their 25th to 75th percentile, a vertical line for the benchmark
(England, or the ICB) in the middle, and the area's marker. Every indicator is rescaled to
a common 0-1 axis by :func:`ina.stats.spine_chart_data` (better always to the right; for
"no judgement" indicators, higher to the right), so this module only draws.

The marker is coloured *and* shaped by the area's comparison with the benchmark
(:data:`ina.stats.benchmarking.BENCHMARK_STYLES`: triangle up better, triangle down
worse, circle similar, square not compared ...), and the legend names each, so the chart
never relies on colour alone (WCAG 2.2, 1.4.1). The area's value is printed at the right
of each row. Markers beyond every peer are drawn at the edge with a caret.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ina.charts._style import COMPARATOR, house_style, new_figure, set_title
from ina.errors import StatisticsError
from ina.stats.benchmarking import NOT_COMPARED, benchmark_style

__all__ = ["describe_spine", "spine_chart"]

_RANGE = "#D9D9D9"
_QUARTILES = "#8C8C8C"
_REQUIRED = [
    "value",
    "worst_x",
    "percentile_25_x",
    "percentile_75_x",
    "best_x",
    "value_x",
    "benchmark",
    "worst",
    "best",
]
_EDGE = 0.01


def spine_chart(
    data: pd.DataFrame,
    *,
    indicator: str = "indicator",
    area_name: str,
    benchmark_name: str,
    value_text: pd.Series | None = None,
    peers_name: str = "places",
) -> tuple[Figure, pd.DataFrame]:
    """Draw a spine chart from :func:`ina.stats.spine_chart_data` rows of one area.

    ``data``: one row per indicator (first row at the top) with the spine positions
    (``*_x``), ``value``, ``benchmark``, ``worst``, ``best`` and ``comparison`` (missing
    → "not compared"); ``value_text`` (aligned with ``data``) is the value as printed at
    the right (default: one decimal). Returns the figure and the table drawn:
    ``indicator, value, benchmark, worst, percentile_25, percentile_75, best,
    comparison``.
    """
    missing = [column for column in [indicator, *_REQUIRED] if column not in data.columns]
    if missing:
        raise StatisticsError(f"spine_chart: missing column(s) {missing}")
    if data.empty:
        raise StatisticsError("spine_chart: there are no indicators to draw")
    rows = data.reset_index(drop=True)
    labels = (
        rows["comparison"].astype(object).where(rows["comparison"].notna(), NOT_COMPARED)
        if "comparison" in rows.columns
        else pd.Series(NOT_COMPARED, index=rows.index)
    ).astype(str)
    texts = (
        value_text.reset_index(drop=True).astype(str)
        if value_text is not None
        else rows["value"].map(lambda v: f"{v:,.1f}" if np.isfinite(v) else "–")
    )
    count = len(rows)
    y = np.arange(count)[::-1].astype(float)
    with house_style():
        fig, (ax,) = new_figure(3.2 + 0.62 * count)
        for position, row in zip(y, rows.itertuples(index=False), strict=True):
            worst, best = row.worst_x, row.best_x
            if np.isfinite(worst) and np.isfinite(best):
                left, right = sorted((worst, best))
                ax.barh(position, right - left, left=left, height=0.6, color=_RANGE, zorder=1)
                q_left, q_right = sorted((row.percentile_25_x, row.percentile_75_x))
                ax.barh(
                    position, q_right - q_left, left=q_left, height=0.6, color=_QUARTILES, zorder=2
                )
        ax.axvline(0.5, color=COMPARATOR, linewidth=1.2, zorder=3)
        for label in dict.fromkeys(labels):
            style = benchmark_style(label)
            chosen = (labels == label).to_numpy()
            x = rows["value_x"].to_numpy(dtype=float)[chosen]
            drawn = np.clip(np.where(np.isfinite(x), x, 0.5), -_EDGE, 1 + _EDGE)
            shown = np.isfinite(x)
            ax.scatter(
                drawn[shown],
                y[chosen][shown],
                marker=style.marker,
                s=70,
                c=style.colour,
                edgecolors="black",
                linewidths=0.7,
                zorder=4,
            )
        for position, text in zip(y, texts, strict=True):
            ax.text(1.06, position, text, va="center", ha="left", fontsize=8)
        ax.text(
            1.06,
            count - 0.35,
            "Value",
            ha="left",
            va="bottom",
            fontsize=7.5,
            fontweight="bold",
        )
        ax.set_yticks(y, rows[indicator].astype(str).tolist())
        ax.set_ylim(-0.7, count - 0.1)
        ax.set_xlim(-0.03, 1.03)
        ax.set_xticks([0, 0.5, 1], ["Worst / lowest", benchmark_name, "Best / highest"])
        ax.tick_params(axis="x", labelsize=7.5)
        ax.tick_params(axis="y", length=0)
        ax.spines[["left", "top", "right"]].set_visible(False)
        set_title(ax, f"{area_name}: against {benchmark_name} and the {peers_name}", width=48)
        handles = [
            Patch(facecolor=_RANGE, label=f"Range of {peers_name}"),
            Patch(facecolor=_QUARTILES, label="25th-75th percentile"),
            Line2D([0], [0], color=COMPARATOR, linewidth=1.2, label=benchmark_name),
        ]
        for label in dict.fromkeys(labels):
            style = benchmark_style(label)
            handles.append(
                Line2D(
                    [0],
                    [0],
                    linestyle="none",
                    marker=style.marker,
                    markersize=7,
                    markerfacecolor=style.colour,
                    markeredgecolor="black",
                    label=f"{area_name}: {label}",
                )
            )
        fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=7.5)
    table = pd.DataFrame(
        {
            "indicator": rows[indicator].astype(str).to_numpy(),
            "value": rows["value"].to_numpy(dtype=float),
            "benchmark": rows["benchmark"].to_numpy(dtype=float),
            "worst": rows["worst"].to_numpy(dtype=float),
            "percentile_25": rows["percentile_25"].to_numpy(dtype=float)
            if "percentile_25" in rows
            else np.nan,
            "percentile_75": rows["percentile_75"].to_numpy(dtype=float)
            if "percentile_75" in rows
            else np.nan,
            "best": rows["best"].to_numpy(dtype=float),
            "comparison": labels.to_numpy(),
        }
    )
    return fig, table


def describe_spine(data: pd.DataFrame, *, area_name: str, benchmark_name: str) -> str:
    """Alt text: what the spine chart shows and how the area compares, from its table.

    ``data`` is the table :func:`spine_chart` returns.
    """
    counts = data["comparison"].value_counts()
    order = ["best", "better", "similar", "worse", "worst", "higher", "lower", NOT_COMPARED]
    parts = [f"{int(counts[label])} {label}" for label in order if label in counts.index]
    text = (
        f"Spine chart of {len(data)} indicators for {area_name}: each row shows the range of "
        f"the peer areas from worst (left) to best (right), with {benchmark_name} in the middle "
        f"and {area_name} marked. Compared with {benchmark_name}: {', '.join(parts)}."
    )
    worse = data[data["comparison"].isin(["worse", "worst"])]["indicator"].tolist()
    if worse:
        text += f" Significantly worse: {', '.join(worse)}."
    better = data[data["comparison"].isin(["better", "best"])]["indicator"].tolist()
    if better:
        text += f" Significantly better: {', '.join(better)}."
    return text
