"""Places compared: one small panel per indicator, the ICB and every place with 95% CIs.

Why small multiples: a Live Well section has 3–12 indicators in different units; one
panel each, same layout, lets a place lead read "where do we sit among the places" for
every indicator of the section at a glance, next to the section's table. Each place's
marker shape *and* colour give its comparison with the ICB (the Fingertips categories of
:data:`ina.stats.benchmarking.BENCHMARK_STYLES`), so colour is never the only cue; the
ICB is a solid line and England a dashed one, both named in the legend. Hidden values
are gaps with the word "suppressed" (never a zero).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ina.charts._style import (
    COLOURS,
    COMPARATOR,
    TEXT_WIDTH_CM,
    house_style,
    plain_log_axis,
    style_axes,
)
from ina.stats.benchmarking import NOT_COMPARED, benchmark_style

__all__ = ["describe_funnels", "describe_places", "places_compared", "practice_funnels"]

_CM = 1 / 2.54
_PANEL_COLUMNS = 2


def places_compared(
    frame: pd.DataFrame,
    *,
    units: Mapping[str, str],
    decimals: Mapping[str, int],
    highlight: str | None = None,
    icb_id: str = "icb",
) -> tuple[Figure, pd.DataFrame]:
    """Draw :func:`ina.chapters.live_well.places_frame` output; return the figure and the
    data as drawn (``indicator, area, value, lower_95, upper_95, comparison, england``).

    ``units`` and ``decimals``: per indicator id, for the panel titles and value labels;
    ``highlight``: the place whose report this is (its name is bold).
    """
    indicators = list(dict.fromkeys(frame["indicator_id"]))
    rows_per_panel = max(1, frame.groupby("indicator_id").size().max()) if len(frame) else 1
    n_rows = max(1, math.ceil(len(indicators) / _PANEL_COLUMNS))
    panel_height = 0.55 * rows_per_panel + 1.6
    with house_style():
        fig = Figure(
            figsize=(TEXT_WIDTH_CM * _CM, min(24.0, panel_height * n_rows) * _CM),
            layout="constrained",
        )
        axes = fig.subplots(n_rows, _PANEL_COLUMNS, squeeze=False, sharey=True).ravel()
        for number, (ax, indicator_id) in enumerate(zip(axes, indicators, strict=False)):
            _panel(
                ax,
                frame[frame["indicator_id"] == indicator_id].reset_index(drop=True),
                unit=units.get(indicator_id, ""),
                decimals=decimals.get(indicator_id, 1),
                highlight=highlight,
                icb_id=icb_id,
                labels=number % _PANEL_COLUMNS == 0,
            )
        for ax in axes[len(indicators) :]:
            ax.set_visible(False)
        _legend(fig, frame)
    drawn = frame[
        ["indicator", "area", "period", "value", "lower_95", "upper_95", "comparison", "england"]
    ].reset_index(drop=True)
    return fig, drawn


def _panel(
    ax: object,
    rows: pd.DataFrame,
    *,
    unit: str,
    decimals: int,
    highlight: str | None,
    icb_id: str,
    labels: bool = True,
) -> None:
    style_axes(ax)
    title = str(rows["indicator"].iloc[0]) if len(rows) else ""
    ax.set_title(textwrap.fill(title, 30), fontsize=8.5)
    y = np.arange(len(rows))[::-1]
    for position, (_, row) in zip(y, rows.iterrows(), strict=True):
        value = float(row["value"])
        if not np.isfinite(value):
            ax.text(
                0.02,
                position,
                "suppressed or not available",
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=6.5,
                color=COLOURS["grey"],
            )
            continue
        is_icb = row["area_id"] == icb_id
        label = NOT_COMPARED if is_icb else str(row["comparison"])
        style = benchmark_style(label)
        if np.isfinite(row["lower_95"]) and np.isfinite(row["upper_95"]):
            ax.plot(
                [row["lower_95"], row["upper_95"]],
                [position, position],
                color="#444444",
                linewidth=1,
            )
        ax.plot(
            value,
            position,
            marker="D" if is_icb else style.marker,
            markersize=6,
            color=COMPARATOR if is_icb else style.colour,
            markeredgecolor="#222222",
            linestyle="none",
        )
    icb_value = rows.loc[rows["area_id"] == icb_id, "value"]
    if len(icb_value) and np.isfinite(icb_value.iloc[0]):
        ax.axvline(float(icb_value.iloc[0]), color=COMPARATOR, linewidth=0.8)
    england = rows["england"].dropna()
    if len(england):
        ax.axvline(float(england.iloc[0]), color=COMPARATOR, linewidth=0.8, linestyle="--")
    ax.set_yticks(y, [str(a) for a in rows["area"]])
    if labels:
        for tick, area_id in zip(ax.get_yticklabels(), rows["area_id"], strict=False):
            if area_id == highlight:
                tick.set_fontweight("bold")
    else:
        ax.tick_params(axis="y", labelleft=False)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel(unit, fontsize=7)
    ax.grid(axis="x")
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.{max(0, decimals - 1)}f}")


def _legend(fig: Figure, frame: pd.DataFrame) -> None:
    labels = [
        label
        for label in dict.fromkeys(frame["comparison"].astype(str))
        if label and label != NOT_COMPARED
    ]
    handles = [
        Line2D([], [], marker="D", color=COMPARATOR, linestyle="none", label="ICB (solid line)"),
        Line2D([], [], color=COMPARATOR, linestyle="--", label="England"),
    ]
    for label in labels:
        style = benchmark_style(label)
        handles.append(
            Line2D(
                [],
                [],
                marker=style.marker,
                color=style.colour,
                markeredgecolor="#222222",
                linestyle="none",
                label=_legend_text(label),
            )
        )
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=7)


def _legend_text(label: str) -> str:
    """``Worse than the ICB (95%)``: the category word first, then its confidence level."""
    words = {
        "best": "Better than the ICB (99.8%)",
        "better": "Better than the ICB (95%)",
        "similar": "Similar to the ICB",
        "worse": "Worse than the ICB (95%)",
        "worst": "Worse than the ICB (99.8%)",
        "higher": "Higher than the ICB",
        "lower": "Lower than the ICB",
    }
    return words.get(label, benchmark_style(label).text)


def describe_places(data: pd.DataFrame, *, area_name: str | None = None) -> str:
    """Alt text: how many panels, and per indicator the lowest and highest place."""
    parts = []
    for indicator, rows in data.groupby("indicator", sort=False):
        shown = rows.dropna(subset=["value"])
        places = shown[shown["area"] != shown["area"].iloc[0]] if len(shown) else shown
        if places.empty:
            parts.append(f"{indicator}: no place value published")
            continue
        low, high = places.loc[places["value"].idxmin()], places.loc[places["value"].idxmax()]
        parts.append(
            f"{indicator}: lowest {low['area']} ({low['value']:,.1f}), highest {high['area']} "
            f"({high['value']:,.1f})"
        )
    who = f" {area_name} is highlighted." if area_name else ""
    return (
        f"Small multiples, one panel per indicator ({len(parts)}), comparing the ICB and its "
        f"places with 95% confidence intervals; marker shape and colour give each place's "
        f"comparison with the ICB.{who} " + "; ".join(parts) + "."
    )


def practice_funnels(
    frames: Mapping[str, pd.DataFrame],
    *,
    titles: Mapping[str, str],
    multiplier: float = 100.0,
) -> tuple[Figure, pd.DataFrame]:
    """Funnel plots of practices, one panel per practice-born proportion.

    Each panel: practices (points; the report's own place's practices filled, the others
    hollow) by denominator, the ICB value (all practices pooled) as the centre line and the
    95% and 99.8% control limits of :func:`ina.stats.funnel.calculate_funnel_limits`
    (PHEindicatormethods' method). Practices whose count is hidden are not drawn. Returns
    the figure and the drawn practices with their position against the limits.
    """
    from ina.stats.funnel import calculate_funnel_limits

    ids = [i for i, f in frames.items() if f.dropna(subset=["numerator", "denominator"]).shape[0]]
    n_rows = max(1, math.ceil(len(ids) / _PANEL_COLUMNS))
    tables = []
    with house_style():
        fig = Figure(
            figsize=(TEXT_WIDTH_CM * _CM, min(24.0, 6.0 * n_rows + 1.5) * _CM),
            layout="constrained",
        )
        axes = fig.subplots(n_rows, _PANEL_COLUMNS, squeeze=False).ravel()
        for ax, indicator_id in zip(axes, ids, strict=False):
            style_axes(ax)
            rows = frames[indicator_id].dropna(subset=["numerator", "denominator"])
            rows = rows[rows["denominator"] > 0].reset_index(drop=True)
            limits = calculate_funnel_limits(
                rows,
                "numerator",
                "denominator",
                statistic="proportion",
                multiplier=multiplier,
                type="standard",
                # Limits over the practices' own range: at a denominator of 1 they span
                # 0-100% and would flatten every practice onto the axis.
                axis=np.geomspace(
                    max(1.0, float(rows["denominator"].min()) * 0.8),
                    float(rows["denominator"].max()) * 1.2,
                    100,
                ),
            )
            baseline = float(limits["baseline"].iloc[0])
            ax.plot(
                limits["Population"],
                limits["lower_2s_limit"],
                color=COMPARATOR,
                lw=0.7,
                linestyle="--",
            )
            ax.plot(
                limits["Population"],
                limits["upper_2s_limit"],
                color=COMPARATOR,
                lw=0.7,
                linestyle="--",
            )
            ax.plot(limits["Population"], limits["lower_3s_limit"], color=COMPARATOR, lw=0.9)
            ax.plot(limits["Population"], limits["upper_3s_limit"], color=COMPARATOR, lw=0.9)
            ax.axhline(baseline, color=COLOURS["grey"], lw=0.8)
            low3 = np.interp(rows["denominator"], limits["Population"], limits["lower_3s_limit"])
            high3 = np.interp(rows["denominator"], limits["Population"], limits["upper_3s_limit"])
            low2 = np.interp(rows["denominator"], limits["Population"], limits["lower_2s_limit"])
            high2 = np.interp(rows["denominator"], limits["Population"], limits["upper_2s_limit"])
            value = rows["value"].to_numpy(dtype=float)
            position = np.where(
                value > high3,
                "above 99.8% limit",
                np.where(
                    value < low3,
                    "below 99.8% limit",
                    np.where(
                        value > high2,
                        "above 95% limit",
                        np.where(value < low2, "below 95% limit", "within limits"),
                    ),
                ),
            )
            mine = rows["in_area"].to_numpy(dtype=bool)
            ax.scatter(
                rows.loc[~mine, "denominator"],
                value[~mine],
                s=12,
                facecolors="none",
                edgecolors=COLOURS["blue"],
                linewidths=0.8,
                label="Other practices",
            )
            ax.scatter(
                rows.loc[mine, "denominator"],
                value[mine],
                s=14,
                color=COLOURS["orange"],
                edgecolors="#222222",
                linewidths=0.4,
                marker="D",
                label="Practices in this area",
            )
            ax.set_xscale("log")
            spread = np.concatenate([value, [baseline]])
            spread = spread[np.isfinite(spread)]
            margin = max(1.0, 0.1 * float(spread.max() - spread.min()))
            low, high = float(spread.min()) - margin, float(spread.max()) + margin
            ax.set_ylim(max(0.0, low), min(multiplier, high))
            ax.set_title(textwrap.fill(titles.get(indicator_id, indicator_id), 30), fontsize=8.5)
            ax.set_xlabel("Denominator (log scale)", fontsize=7)
            plain_log_axis(ax)
            ax.grid(axis="y")
            tables.append(
                rows.assign(
                    indicator=titles.get(indicator_id, indicator_id),
                    position=position,
                    icb_value=baseline,
                )
            )
        for ax in axes[len(ids) :]:
            ax.set_visible(False)
        fig.legend(
            handles=[
                Line2D(
                    [],
                    [],
                    marker="o",
                    markerfacecolor="none",
                    color=COLOURS["blue"],
                    linestyle="none",
                    label="Other practices",
                ),
                Line2D(
                    [],
                    [],
                    marker="D",
                    color=COLOURS["orange"],
                    linestyle="none",
                    label="Practices in this area",
                ),
                Line2D([], [], color=COLOURS["grey"], label="ICB value"),
                Line2D([], [], color=COMPARATOR, linestyle="--", label="95% limits"),
                Line2D([], [], color=COMPARATOR, label="99.8% limits"),
            ],
            loc="outside lower center",
            ncols=3,
            fontsize=7,
        )
    columns = [
        "indicator",
        "practice_code",
        "practice",
        "numerator",
        "denominator",
        "value",
        "icb_value",
        "position",
        "in_area",
    ]
    data = (
        pd.concat(tables, ignore_index=True)[columns] if tables else pd.DataFrame(columns=columns)
    )
    return fig, data


def describe_funnels(data: pd.DataFrame) -> str:
    """Alt text: per indicator, how many practices lie outside the 99.8% limits."""
    parts = []
    for indicator, rows in data.groupby("indicator", sort=False):
        above = int((rows["position"] == "above 99.8% limit").sum())
        below = int((rows["position"] == "below 99.8% limit").sum())
        parts.append(
            f"{indicator}: {len(rows)} practices, {above} above and {below} below the 99.8% limits"
        )
    return (
        "Funnel plots of practices against 95% and 99.8% control limits around the ICB "
        "value. " + "; ".join(parts) + "."
    )
