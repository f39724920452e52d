"""The house style every chart shares: A4-width figures, colour-blind-safe colours, labels.

Colours are the Okabe & Ito (2008) palette, distinguishable with every common colour
vision deficiency; charts never rely on colour alone (every series is labelled directly on
the chart, comparators are drawn as lines or markers with a word next to them).
Figures are created with :class:`matplotlib.figure.Figure` directly, not ``pyplot``, so
a notebook never shows a figure twice and no global state leaks between charts.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "COLOURS",
    "COMPARATOR",
    "STYLE",
    "TEXT_WIDTH_CM",
    "house_style",
    "new_figure",
    "set_title",
    "style_axes",
    "thousands",
]

#: Okabe-Ito colours by role.
COLOURS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#6E6E6E",
    "light_grey": "#D9D9D9",
}
#: Comparators (England, the ICB) are drawn in black lines or markers.
COMPARATOR = COLOURS["black"]
#: Text width of an A4 portrait page with 2.5 cm margins.
TEXT_WIDTH_CM = 16.0
_CM = 1 / 2.54

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.axisbelow": True,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "grid.color": "#E5E5E5",
    "grid.linewidth": 0.6,
    "svg.hashsalt": "ina",
    "path.simplify": True,
}


@contextmanager
def house_style() -> Iterator[None]:
    """Apply :data:`STYLE` while a chart is built (rcParams are read as artists are made)."""
    with mpl.rc_context(STYLE):
        yield


def new_figure(
    height_cm: float, *, width_cm: float = TEXT_WIDTH_CM, ncols: int = 1
) -> tuple[Figure, list[Axes]]:
    """Return an A4-text-width figure with ``ncols`` axes, laid out without overlaps.

    Call it inside :func:`house_style` so the axes and everything drawn on them share it.
    """
    fig = Figure(figsize=(width_cm * _CM, height_cm * _CM), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    for ax in axes:
        style_axes(ax)
    return fig, list(axes)


def style_axes(ax: Axes) -> None:
    """Apply the house style to one axes (grid behind, light spines, readable ticks)."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)


def set_title(ax: Axes, title: str, width: int = 60) -> None:
    """Set a left-aligned title, wrapped so it never runs off an A4-width figure."""
    ax.set_title(textwrap.fill(title, width))


def thousands(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators (``12,345``)."""
    return f"{value:,.{decimals}f}"


def add_note(fig: Figure, note: str | None) -> None:
    """Write a note under the plot (e.g. why some points are gaps): in the figure itself,
    so a reader of the printed chart sees it, not only a reader of the alt text."""
    if note:
        fig.supxlabel(note, fontsize=7, color="#444444", ha="center")


def plain_log_axis(ax: Axes, *, steps: tuple[float, ...] = (1.0, 2.0, 5.0)) -> list[float]:
    """Label a log-scaled x axis with plain numbers (``500``, ``1,000``, ``2,000``).

    Why: matplotlib labels log axes ``10^3`` and, over less than a decade, labels minor
    ticks ``2 x 10^2 3 x 10^2`` that run into each other. Ticks go at ``steps`` times the
    powers of ten inside the axis's current limits (so call it after plotting); minor
    ticks stay unlabelled. Returns the ticks placed.
    """
    import math

    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    low, high = ax.get_xlim()
    ticks = [
        step * 10.0**power
        for power in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1)
        for step in steps
        if low <= step * 10.0**power <= high
    ]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    return ticks
