"""Line charts over time, each line labelled at its end (no legend to decode)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ina.charts._style import COLOURS, add_note, house_style, new_figure, set_title

__all__ = ["describe_trend_lines", "trend_lines"]

_LINE_COLOURS = (COLOURS["blue"], COLOURS["vermillion"], COLOURS["green"], COLOURS["purple"])
_MARKERS = ("o", "s", "^", "D")


def trend_lines(
    frame: pd.DataFrame,
    *,
    x: str,
    series: dict[str, str],
    title: str,
    axis_label: str,
    lower: dict[str, str] | None = None,
    upper: dict[str, str] | None = None,
    value_format: Callable[[float], str] = lambda v: f"{v:,.1f}",
    note: str | None = None,
) -> tuple[Figure, pd.DataFrame]:
    """One line per column named in ``series`` (column → label), over ``x``.

    A missing value (NaN: suppressed or not available) is a gap in its line, never
    interpolated; ``note`` is written under the plot (say why there are gaps).

    Each line has its own marker and its label and last value written at its end;
    ``lower``/``upper`` map a column to its confidence limit columns (shaded band).
    The y axis starts at zero so changes are not exaggerated. Returns ``x`` and the
    plotted columns.
    """
    xs = frame[x].to_numpy()
    columns = list(series)
    with house_style():
        fig, (ax,) = new_figure(7.5)
        top = 0.0
        for index, column in enumerate(columns):
            colour = _LINE_COLOURS[index % len(_LINE_COLOURS)]
            ys = frame[column].to_numpy(dtype=float)
            ax.plot(xs, ys, color=colour, marker=_MARKERS[index % len(_MARKERS)], linewidth=1.6)
            if lower and upper and column in lower:
                low = frame[lower[column]].to_numpy(dtype=float)
                high = frame[upper[column]].to_numpy(dtype=float)
                ax.fill_between(xs, low, high, color=colour, alpha=0.15, linewidth=0)
                top = max(top, float(np.nanmax(high)))
            finite = np.flatnonzero(np.isfinite(ys))
            if finite.size == 0:
                continue
            top = max(top, float(np.nanmax(ys)))
            last = int(finite[-1])
            ax.annotate(
                f"{series[column]}: {value_format(ys[last])}",
                xy=(xs[last], ys[last]),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
                color=colour,
            )
        ax.set_ylim(0, top * 1.15 if top > 0 else 1)
        ax.set_xticks(xs, [str(value) for value in xs])
        ax.set_xlim(xs[0] - 0.3, xs[-1] + (xs[-1] - xs[0]) * 0.45 + 0.5)
        ax.set_ylabel(axis_label)
        set_title(ax, title)
        ax.grid(axis="y")
        add_note(fig, note)
    kept = [x, *columns]
    for mapping in (lower or {}, upper or {}):
        kept += [mapping[column] for column in columns if column in mapping]
    return fig, frame[kept].reset_index(drop=True)


def describe_trend_lines(
    data: pd.DataFrame,
    *,
    x: str,
    series: dict[str, str],
    what: str,
    value_format: Callable[[float], str] = lambda v: f"{v:,.1f}",
) -> str:
    """Alt text for :func:`trend_lines`: what is plotted and first → last of each line."""
    start, end = data[x].iloc[0], data[x].iloc[-1]

    def shown(value: float) -> str:
        return value_format(value) if np.isfinite(value) else "not shown [c]"

    parts = [
        f"{label} from {shown(float(data[column].iloc[0]))} in {start} to "
        f"{shown(float(data[column].iloc[-1]))} in {end}"
        for column, label in series.items()
    ]
    text = f"Line chart of {what}, {start} to {end}: " + "; ".join(parts) + "."
    if any(data[column].isna().any() for column in series):
        text += " Gaps are values suppressed to protect confidentiality [c]."
    return text
