"""Bar charts: ranked horizontal bars, grouped bars and rates with confidence intervals.

Every bar carries its value as a text label at its end, and a reference (the area total,
England, the ICB) is a labelled line, so no chart needs colour to be read.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ina.charts._style import COLOURS, COMPARATOR, add_note, house_style, new_figure, set_title

__all__ = [
    "describe_grouped_bars",
    "describe_horizontal_bars",
    "describe_interval_bars",
    "grouped_bars",
    "horizontal_bars",
    "interval_bars",
]

Formatter = Callable[[float], str]
_LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85}
_SERIES_COLOURS = (COLOURS["blue"], COLOURS["orange"], COLOURS["green"], COLOURS["purple"])


def _percent(value: float) -> str:
    return f"{value:.1f}%"


def horizontal_bars(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    title: str,
    axis_label: str,
    reference: tuple[str, float] | None = None,
    value_format: Formatter = _percent,
    highlight: str | None = None,
) -> tuple[Figure, pd.DataFrame]:
    """Horizontal bars in the order given (first at the top), values printed at the ends.

    ``reference`` is a (name, value) drawn as a labelled dashed line (e.g. the ICB);
    ``highlight`` is a label whose bar is drawn in a darker colour *and* bold text.
    Returns the figure and ``label, value`` as drawn.
    """
    labels = frame[label].astype(str).tolist()
    values = frame[value].to_numpy(dtype=float)
    y = np.arange(len(labels))[::-1]
    height = 2.2 + 0.62 * len(labels)
    with house_style():
        fig, (ax,) = new_figure(height)
        colours = [
            COLOURS["vermillion"] if name == highlight else COLOURS["blue"] for name in labels
        ]
        ax.barh(y, values, color=colours, height=0.7)
        top = float(np.nanmax(np.append(values, reference[1] if reference else 0)))
        for position, number in zip(y, values, strict=True):
            ax.text(
                number + top * 0.01,
                position,
                value_format(number),
                va="center",
                fontsize=8,
                bbox=_LABEL_BOX,
            )
        if reference is not None:
            name, level = reference
            ax.axvline(level, color=COMPARATOR, linestyle="--", linewidth=1)
            ax.text(
                level,
                len(labels) - 0.35,
                f" {name}: {value_format(level)}",
                ha="left",
                va="bottom",
                fontsize=7.5,
            )
        ax.set_yticks(y, labels)
        for tick in ax.get_yticklabels():
            if tick.get_text() == highlight:
                tick.set_fontweight("bold")
        ax.set_xlim(0, top * 1.18)
        ax.set_ylim(-0.6, len(labels) + 0.3)
        ax.set_xlabel(axis_label)
        set_title(ax, title)
        ax.grid(axis="x")
    return fig, pd.DataFrame({label: labels, value: values})


def describe_horizontal_bars(
    data: pd.DataFrame,
    *,
    label: str,
    value: str,
    what: str,
    value_format: Formatter = _percent,
) -> str:
    """Alt text for :func:`horizontal_bars`: structure, highest and lowest."""
    ordered = data.sort_values(value, ascending=False, kind="stable")
    high, low = ordered.iloc[0], ordered.iloc[-1]
    return (
        f"Horizontal bar chart of {what} for {len(data)} areas. Highest: {high[label]} "
        f"({value_format(high[value])}); lowest: {low[label]} ({value_format(low[value])})."
    )


def grouped_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    series: str,
    value: str,
    title: str,
    axis_label: str,
    value_format: Formatter = _percent,
    zero_line: bool = False,
) -> tuple[Figure, pd.DataFrame]:
    """Vertical bars grouped by ``category``, one bar per ``series``, values on the bars.

    Series are named in a legend *and* each bar is labelled with its value; series
    order and category order are as first seen. Returns ``category, series, value``.
    """
    categories = list(dict.fromkeys(frame[category].astype(str)))
    names = list(dict.fromkeys(frame[series].astype(str)))
    table = frame.assign(_c=frame[category].astype(str), _s=frame[series].astype(str)).pivot_table(
        index="_c", columns="_s", values=value, aggfunc="sum"
    )
    table = table.reindex(index=categories, columns=names)
    x = np.arange(len(categories))
    width = 0.8 / len(names)
    hatches = ("", "///", "...", "xx")
    with house_style():
        fig, (ax,) = new_figure(8.0)
        span = float(np.nanmax(np.abs(table.to_numpy()))) or 1.0
        for index, name in enumerate(names):
            offsets = x - 0.4 + width * (index + 0.5)
            heights = table[name].to_numpy(dtype=float)
            bars = ax.bar(
                offsets,
                heights,
                width=width * 0.92,
                color=_SERIES_COLOURS[index % len(_SERIES_COLOURS)],
                hatch=hatches[index % len(hatches)],
                edgecolor="white",
                label=name,
            )
            for bar, number in zip(bars, heights, strict=True):
                below = number < 0
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    number + (-span if below else span) * 0.015,
                    value_format(number),
                    ha="center",
                    va="top" if below else "bottom",
                    fontsize=7,
                )
        if zero_line:
            ax.axhline(0, color="#444444", linewidth=0.8)
        low = float(np.nanmin(table.to_numpy()))
        bottom = low - span * 0.12 if low < 0 else 0.0
        ax.set_ylim(bottom, float(np.nanmax(table.to_numpy())) + span * 0.15)
        ax.set_xticks(x, categories)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_ylabel(axis_label)
        set_title(ax, title)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=min(len(names), 4))
        ax.grid(axis="y")
    data = table.stack().rename(value).reset_index()
    data.columns = [category, series, value]
    return fig, data


def describe_grouped_bars(
    data: pd.DataFrame,
    *,
    category: str,
    series: str,
    value: str,
    what: str,
    value_format: Formatter = _percent,
) -> str:
    """Alt text for :func:`grouped_bars`: structure and the largest value."""
    largest = data.loc[data[value].idxmax()]
    groups = ", ".join(dict.fromkeys(data[category].astype(str)))
    return (
        f"Grouped bar chart of {what} for {groups}, one bar per {series.replace('_', ' ')}. "
        f"The largest is {largest[category]} ({largest[series]}): "
        f"{value_format(largest[value])}."
    )


def interval_bars(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    lower: str,
    upper: str,
    title: str,
    axis_label: str,
    reference: tuple[str, float] | None = None,
    value_format: Formatter = lambda v: f"{v:,.0f}",
    note: str | None = None,
) -> tuple[Figure, pd.DataFrame]:
    """Vertical bars with 95% confidence intervals as whiskers, values above the whiskers.

    Rows with a missing value (not published: too few events, or suppressed) are drawn as
    an empty slot labelled "not published"; ``note`` is written under the plot (say why).
    Returns ``label, value, lower, upper`` as drawn.
    """
    labels = frame[label].astype(str).tolist()
    values = frame[value].to_numpy(dtype=float)
    lows = frame[lower].to_numpy(dtype=float)
    highs = frame[upper].to_numpy(dtype=float)
    x = np.arange(len(labels))
    with house_style():
        fig, (ax,) = new_figure(8.0)
        ax.bar(x, np.nan_to_num(values), color=COLOURS["blue"], width=0.6)
        errors = np.vstack([values - lows, highs - values])
        ax.errorbar(x, values, yerr=errors, fmt="none", ecolor=COMPARATOR, capsize=4, linewidth=1)
        top = float(np.nanmax(highs)) if np.isfinite(highs).any() else 1.0
        for position, number, high in zip(x, values, highs, strict=True):
            text = "not published" if np.isnan(number) else value_format(number)
            ax.text(
                position,
                (0 if np.isnan(high) else high) + top * 0.02,
                text,
                ha="center",
                va="bottom",
                fontsize=7.5,
            )
        if reference is not None:
            name, level = reference
            ax.axhline(level, color=COMPARATOR, linestyle="--", linewidth=1)
            ax.text(
                len(labels) - 0.5,
                level,
                f"{name}: {value_format(level)}",
                ha="right",
                va="bottom",
                fontsize=7.5,
            )
        ax.set_xticks(x, labels)
        ax.set_ylim(0, top * 1.15)
        ax.set_ylabel(axis_label)
        set_title(ax, title)
        ax.grid(axis="y")
        add_note(fig, note)
    data = pd.DataFrame({label: labels, value: values, lower: lows, upper: highs})
    return fig, data


def describe_interval_bars(
    data: pd.DataFrame,
    *,
    label: str,
    value: str,
    what: str,
    value_format: Formatter = lambda v: f"{v:,.0f}",
) -> str:
    """Alt text for :func:`interval_bars`: structure, first against last group."""
    published = data.dropna(subset=[value])
    if published.empty:
        return f"Bar chart of {what}: no group has enough events to publish a rate."
    first, last = published.iloc[0], published.iloc[-1]
    return (
        f"Bar chart of {what} for {len(data)} groups with 95% confidence intervals. "
        f"{first[label]}: {value_format(first[value])}; {last[label]}: "
        f"{value_format(last[value])}."
    )
