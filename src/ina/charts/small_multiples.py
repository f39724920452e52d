"""Small multiples: one small trend chart per area (or per indicator), on a seaborn grid.

The same indicator for every place, or several indicators for one place, drawn on a
seaborn ``FacetGrid`` so that the panels share scales and can be compared at a glance.
Each panel is a line with its confidence interval as a band; a comparator (England, the
ICB) can be drawn in every panel as a dashed black line, named in the legend.

A suppressed or unavailable point (NaN, or flagged in the ``hidden`` column) is a gap in
its line and band, never interpolated: seaborn's own ``lineplot`` would join the points
either side, so each panel is drawn with matplotlib's ``plot``/``fill_between`` through
``FacetGrid.map_dataframe``. A note under the grid says why there are gaps.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ina.charts._result import ChartResult
from ina.charts._style import COLOURS, COMPARATOR, TEXT_WIDTH_CM, house_style
from ina.errors import StatisticsError

__all__ = ["describe_small_multiples", "small_multiples"]

_CM = 1 / 2.54
_LINE = COLOURS["blue"]
SHOWN, NOT_SHOWN = "shown", "not shown (suppressed or not available)"
_GAP_NOTE = "Gaps are values suppressed to protect confidentiality or not available."


def _panel(
    data: pd.DataFrame,
    *,
    x: str,
    lower: str | None,
    upper: str | None,
    comparator: str | None,
    color: object = None,
    label: object = None,
) -> None:
    """Draw one panel on the current axes (FacetGrid sets it); NaN values are gaps."""
    import matplotlib.pyplot as plt

    ax = plt.gca()
    rows = data.sort_values(x, kind="stable")
    xs = rows[x].to_numpy(dtype=float)
    ys = rows["_drawn"].to_numpy(dtype=float)
    if lower and upper:
        ax.fill_between(
            xs,
            rows["_lower"].to_numpy(dtype=float),
            rows["_upper"].to_numpy(dtype=float),
            color=_LINE,
            alpha=0.18,
            linewidth=0,
        )
    ax.plot(xs, ys, color=_LINE, marker="o", markersize=3, linewidth=1.5)
    if comparator:
        ax.plot(
            xs,
            rows[comparator].to_numpy(dtype=float),
            color=COMPARATOR,
            linestyle="--",
            linewidth=1.0,
        )
    ax.grid(axis="y")


def small_multiples(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    facet: str,
    title: str,
    axis_label: str,
    lower: str | None = None,
    upper: str | None = None,
    hidden: str | None = None,
    comparator: str | None = None,
    comparator_name: str = "England",
    facet_order: list[str] | None = None,
    columns: int = 3,
    share_y: bool = True,
    value_format: Callable[[float], str] = lambda v: f"{v:,.1f}",
    what: str | None = None,
) -> ChartResult:
    """A grid of small trend charts, one per value of ``facet``; figure, table, alt text.

    ``data`` is long: one row per facet and ``x`` (a year or period number) with the value
    ``y``, optional confidence limits ``lower``/``upper`` (drawn as a band) and an
    optional ``comparator`` column (the comparator's value at that ``x``, the same for
    every facet). ``hidden`` names a boolean column marking points that may not be drawn
    (suppressed); they, and missing values, are gaps. Use ``share_y=False`` for several
    indicators with different units (one facet per indicator).

    Returns a :class:`~ina.charts._result.ChartResult`: the figure, the table drawn
    (``facet, x, y`` under their own names, the limits and comparator if given, and
    ``status``: "shown" or "not shown (suppressed or not available)", with the hidden
    points' numbers removed) and the alt text (:func:`describe_small_multiples`).
    """
    import matplotlib.pyplot as plt

    needed = [x, y, facet, *(c for c in (lower, upper, hidden, comparator) if c)]
    missing = [column for column in needed if column not in data.columns]
    if missing:
        raise StatisticsError(f"small_multiples: missing column(s) {missing}")
    if data.empty:
        raise StatisticsError("small_multiples: there is nothing to draw")
    if (lower is None) != (upper is None):
        raise StatisticsError("small_multiples: give both lower= and upper=, or neither")
    if not pd.api.types.is_numeric_dtype(data[x]):
        raise StatisticsError(f"small_multiples: {x!r} must be numeric (a year or period)")
    frame = data.copy()
    frame[facet] = frame[facet].astype(str)
    if frame.duplicated([facet, x]).any():
        raise StatisticsError(f"small_multiples: two rows for the same {facet} and {x}")
    gone = frame[y].isna().to_numpy().copy()
    if hidden:
        gone |= frame[hidden].fillna(False).astype(bool).to_numpy()
    frame["_drawn"] = np.where(gone, np.nan, frame[y].to_numpy(dtype=float))
    if lower and upper:
        frame["_lower"] = np.where(gone, np.nan, frame[lower].to_numpy(dtype=float))
        frame["_upper"] = np.where(gone, np.nan, frame[upper].to_numpy(dtype=float))
    order = facet_order or list(dict.fromkeys(frame[facet]))
    unknown = sorted(set(frame[facet]) - set(order))
    if unknown:
        raise StatisticsError(f"small_multiples: {unknown} are not in facet_order")
    frame = frame[frame[facet].isin(order)]
    wrap = max(1, min(columns, len(order)))
    panel_width_cm = TEXT_WIDTH_CM / wrap
    panel_height_cm = 4.6
    with house_style():
        grid = sns.FacetGrid(
            frame,
            col=facet,
            col_order=order,
            col_wrap=wrap if len(order) > 1 else None,
            height=panel_height_cm * _CM,
            aspect=panel_width_cm / panel_height_cm,
            sharex=True,
            sharey=share_y,
            despine=True,
        )
        fig = grid.figure
        grid.map_dataframe(_panel, x=x, lower=lower, upper=upper, comparator=comparator)
        for name, ax in grid.axes_dict.items():
            ax.set_title(textwrap.fill(str(name), int(panel_width_cm * 4.5)), fontsize=8.5)
        # Not grid.set_axis_labels: it runs tight_layout, which replaces the layout engine.
        for ax in grid.axes.flat:
            ax.set_xlabel("")
        for ax in grid.axes[::wrap] if grid.axes.ndim == 1 else grid.axes[:, 0]:
            ax.set_ylabel(axis_label)
        fig.set_layout_engine("constrained")
        fig.get_layout_engine().set(h_pad=0.06)
        xs = sorted(frame[x].unique().tolist())
        step = max(1, int(np.ceil(len(xs) / 4)))
        for ax in grid.axes.flat:
            ax.set_xticks(xs[::step], [f"{value:g}" for value in xs[::step]])
            ax.tick_params(labelsize=7)
            ax.yaxis.label.set_size(7.5)
            if share_y:
                ax.set_ylim(bottom=0)
        handles = [Line2D([0], [0], color=_LINE, marker="o", markersize=3, label=what or y)]
        if lower and upper:
            handles.append(Patch(facecolor=_LINE, alpha=0.18, label="95% confidence interval"))
        if comparator:
            handles.append(
                Line2D([0], [0], color=COMPARATOR, linestyle="--", label=comparator_name)
            )
        # The gap note is the legend's title: a supxlabel would collide with the legend.
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=len(handles),
            fontsize=7.5,
            title=_GAP_NOTE if gone.any() else None,
            title_fontsize=7,
        )
        fig.suptitle(textwrap.fill(title, 80), fontsize=9.5, fontweight="bold", x=0.02, ha="left")
        # Detach from pyplot's figure manager: no second display in a notebook, no leak.
        plt.close(fig)
    kept = [facet, x, y, *(c for c in (lower, upper, comparator) if c)]
    table = frame.assign(
        _rank=frame[facet].map({name: i for i, name in enumerate(order)})
    ).sort_values(["_rank", x], kind="stable")
    status = np.where(table["_drawn"].isna(), NOT_SHOWN, SHOWN)
    table = table[kept].copy()
    for column in (y, lower, upper):
        if column:
            table[column] = table[column].where(status == SHOWN)
    table["status"] = status
    table = table.reset_index(drop=True)
    text = describe_small_multiples(
        table, x=x, y=y, facet=facet, what=what or y, value_format=value_format
    )
    return ChartResult(fig, table, text)


def describe_small_multiples(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    facet: str,
    what: str,
    value_format: Callable[[float], str] = lambda v: f"{v:,.1f}",
) -> str:
    """Alt text from the table: per panel, first and last shown value, and the gaps."""
    facets = list(dict.fromkeys(data[facet]))
    start, end = data[x].min(), data[x].max()
    parts = []
    gaps = []
    for name in facets:
        rows = data[data[facet] == name].sort_values(x, kind="stable")
        shown = rows[rows["status"] == SHOWN]
        if shown.empty:
            parts.append(f"{name}: no values shown")
        else:
            first, last = shown.iloc[0], shown.iloc[-1]
            parts.append(
                f"{name} from {value_format(first[y])} in {first[x]:g} to "
                f"{value_format(last[y])} in {last[x]:g}"
            )
        missing = int((rows["status"] != SHOWN).sum())
        if missing:
            gaps.append(f"{name} ({missing})")
    text = (
        f"Small multiples of {what}, {start:g} to {end:g}, one panel for each of "
        f"{len(facets)} {facet}s: " + "; ".join(parts) + "."
    )
    if gaps:
        text += " Points not shown (suppressed or not available): " + ", ".join(gaps) + "."
    return text
