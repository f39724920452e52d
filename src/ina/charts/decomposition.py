"""Charts of the life expectancy gap: life expectancy by quintile, and the gap by cause.

* :func:`quintile_life_expectancy_chart`: life expectancy at birth by deprivation
  quintile for males and females, points with 95% confidence whiskers (a point range,
  not bars: life expectancy has no meaningful zero, so bars from 0 would hide the
  differences). Quintiles the engine did not publish are labelled "not published".
* :func:`gap_by_cause_chart`: the Segment Tool view of the gap (OHID Segment Tool; the
  Joint Forward Plan's figure 6): one horizontal bar per cause, its contribution in years
  and months and as a percentage of the gap, one panel per sex. A cause with lower death
  rates in the most deprived quintile narrows the gap and is drawn to the left of zero.

Both return ``(Figure, data)`` with exactly what was drawn, and have ``describe_*`` alt
text computed from the same data, as every chart in :mod:`ina.charts`.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ina.charts._style import COLOURS, add_note, house_style, new_figure, set_title

__all__ = [
    "describe_gap_by_cause",
    "describe_quintile_life_expectancy",
    "gap_by_cause_chart",
    "quintile_life_expectancy_chart",
    "years_and_months",
]

_SEX_COLOURS = {"Males": COLOURS["blue"], "Females": COLOURS["vermillion"]}
_SEX_MARKERS = {"Males": "s", "Females": "o"}
_FALLBACK_COLOURS = (COLOURS["green"], COLOURS["purple"])
_LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.85}


def _plural(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def years_and_months(years: float, *, short: bool = False) -> str:
    """Write a number of years as whole years and months, as the Joint Forward Plan does.

    ``6.75`` → ``"6 years and 9 months"`` (``short``: ``"6y 9m"``). Months are rounded to
    the nearest whole month first, so 6.99 years is "7 years". A negative value keeps its
    sign (``"-2 months"``, ``"-2m"``). Raises ``ValueError`` for NaN or infinity: a
    missing gap must be worded by the caller ("not published"), never printed as "nan".
    """
    if not math.isfinite(years):
        raise ValueError(f"years_and_months needs a finite number of years, got {years!r}")
    total = round(abs(years) * 12)
    whole, months = divmod(total, 12)
    sign = "-" if years < 0 and total > 0 else ""
    if short:
        if whole == 0:
            return f"{sign}{months}m"
        return f"{sign}{whole}y {months}m" if months else f"{sign}{whole}y"
    if whole == 0:
        return sign + _plural(months, "month")
    if months == 0:
        return sign + _plural(whole, "year")
    return f"{sign}{_plural(whole, 'year')} and {_plural(months, 'month')}"


def _colour(series: str, index: int) -> str:
    return _SEX_COLOURS.get(series, _FALLBACK_COLOURS[index % len(_FALLBACK_COLOURS)])


def _series_rows(
    frame: pd.DataFrame, series: str, name: str, slot: str, slots: list[str]
) -> pd.DataFrame:
    """The rows of one series (one panel or one set of points), one per slot in drawing order.

    Both charts draw every series against the same slots (quintiles or causes), so a slot
    a series lacks must come back as an all-NaN row in its place, not be dropped: that
    keeps each series' values aligned with the shared axis positions.
    """
    rows = frame[frame[series].astype(str) == name]
    return rows.set_index(rows[slot].astype(str)).reindex(slots)


def quintile_life_expectancy_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    series: str = "sex",
    label: str = "label",
    value: str = "value",
    lower: str = "lowercl",
    upper: str = "uppercl",
) -> tuple[Figure, pd.DataFrame]:
    """Life expectancy by quintile, one point range per series (sex), values labelled.

    ``frame`` has one row per series and quintile, in drawing order (quintile 1, the most
    deprived, on the left). A row with no value is shown as "not published" at the
    bottom of its slot. Returns ``series, label, value, lower, upper`` as drawn.
    """
    names = list(dict.fromkeys(frame[series].astype(str)))
    labels = list(dict.fromkeys(frame[label].astype(str)))
    x = np.arange(len(labels))
    spread = 0.36 / max(len(names) - 1, 1) if len(names) > 1 else 0.0
    finite = frame[[value, lower, upper]].to_numpy(dtype=float)
    finite = finite[np.isfinite(finite)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (70.0, 90.0)
    margin = max((high - low) * 0.12, 0.5)
    bottom, top = low - 2.2 * margin, high + 1.6 * margin
    published = frame.assign(_published=np.isfinite(frame[value].to_numpy(dtype=float)))
    all_missing = ~published.groupby(published[label].astype(str), sort=False)[
        "_published"
    ].any().reindex(labels).to_numpy(dtype=bool)
    with house_style():
        fig, (ax,) = new_figure(8.5)
        for index, name in enumerate(names):
            rows = _series_rows(frame, series, name, label, labels)
            centre = rows[value].to_numpy(dtype=float)
            lows, highs = rows[lower].to_numpy(dtype=float), rows[upper].to_numpy(dtype=float)
            offset = x + (index - (len(names) - 1) / 2) * spread
            colour = _colour(name, index)
            ax.errorbar(
                offset,
                centre,
                yerr=np.vstack([centre - lows, highs - centre]),
                fmt=_SEX_MARKERS.get(name, "D"),
                color=colour,
                ecolor=colour,
                capsize=3,
                markersize=5,
                linewidth=1.1,
                label=name,
            )
            for slot, position, number, high_limit in zip(x, offset, centre, highs, strict=True):
                if np.isfinite(number):
                    ax.text(
                        position,
                        high_limit + margin * 0.15,
                        f"{number:.1f}",
                        ha="center",
                        va="bottom",
                        fontsize=7,
                        color=colour,
                    )
                elif not all_missing[slot]:
                    ax.text(
                        position,
                        bottom + margin * 0.2,
                        "not\npublished",
                        ha="center",
                        va="bottom",
                        fontsize=6.5,
                        color=colour,
                    )
        # A slot where no series is published gets one label, not overlapping ones.
        for position in np.flatnonzero(all_missing):
            ax.text(
                position,
                bottom + margin * 0.2,
                "not published",
                ha="center",
                va="bottom",
                fontsize=7,
                color=COLOURS["grey"],
            )
        ax.set_xticks(x, labels)
        ax.set_xlim(-0.6, len(labels) - 0.4)
        ax.set_ylim(bottom, top)
        ax.set_xlabel("Local deprivation quintile")
        ax.set_ylabel("Life expectancy at birth (years)")
        set_title(ax, title)
        ax.grid(axis="y")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=max(len(names), 1))
    data = pd.DataFrame(
        {
            series: frame[series].astype(str).to_numpy(),
            label: frame[label].astype(str).to_numpy(),
            value: frame[value].to_numpy(dtype=float),
            lower: frame[lower].to_numpy(dtype=float),
            upper: frame[upper].to_numpy(dtype=float),
        }
    )
    return fig, data


def describe_quintile_life_expectancy(
    data: pd.DataFrame,
    *,
    series: str = "sex",
    label: str = "label",
    value: str = "value",
) -> str:
    """Alt text for :func:`quintile_life_expectancy_chart`: each series' first and last."""
    parts = []
    for name, rows in data.groupby(series, sort=False):
        published = rows.dropna(subset=[value])
        if published.empty:
            parts.append(f"{name}: not published in any quintile")
            continue
        first, last = published.iloc[0], published.iloc[-1]
        parts.append(
            f"{name}: {first[value]:.1f} years in quintile {first[label]}, "
            f"{last[value]:.1f} in quintile {last[label]}"
        )
    count = data[label].nunique()
    return (
        f"Points with 95% confidence whiskers of life expectancy at birth in {count} "
        f"deprivation quintiles, by sex. " + "; ".join(parts) + "."
    )


def _bar_label(years: float, percent: float) -> str:
    return f"{years_and_months(years, short=True)} ({percent:.0f}%)"


def gap_by_cause_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    series: str = "sex",
    cause: str = "cause",
    contribution: str = "contribution",
    percent: str = "percent_of_gap",
    note: str | None = None,
) -> tuple[Figure, pd.DataFrame]:
    """Horizontal bars of each cause's contribution to the gap, one panel per series.

    A missing contribution (suppressed: it derives from a small count) has no bar and the
    label ``[c]``; ``note`` is written under the panels (say why).

    ``frame``: one row per series and cause (causes in the order to draw, first at the
    top); ``contribution`` in years, ``percent`` its share of the series' gap. Each bar is
    labelled with years and months and the percentage; negative contributions (causes
    narrowing the gap) go left of zero. Returns ``series, cause, contribution, percent``.
    """
    names = list(dict.fromkeys(frame[series].astype(str)))
    causes = list(dict.fromkeys(frame[cause].astype(str)))
    if not names:
        raise ValueError("gap_by_cause_chart needs at least one row")
    y = np.arange(len(causes))[::-1]
    values = frame[contribution].to_numpy(dtype=float)
    biggest = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0
    left = min(float(np.nanmin(values)), 0.0)
    right = max(float(np.nanmax(values)), 0.0)
    with house_style():
        fig, axes = new_figure(2.6 + 0.62 * len(causes), ncols=len(names))
        for index, (ax, name) in enumerate(zip(axes, names, strict=True)):
            rows = _series_rows(frame, series, name, cause, causes)
            years = rows[contribution].to_numpy(dtype=float)
            shares = rows[percent].to_numpy(dtype=float)
            ax.barh(y, np.nan_to_num(years), color=_colour(name, index), height=0.66)
            ax.axvline(0, color="#444444", linewidth=0.8)
            for position, amount, share in zip(y, years, shares, strict=True):
                if not np.isfinite(amount):
                    ax.text(biggest * 0.02, position, "[c]", ha="left", va="center", fontsize=7)
                    continue
                # Labels sit right of the bar's outer end, or right of zero for a bar
                # drawn to the left, so none runs into the cause names.
                ax.text(
                    max(amount, 0.0) + biggest * 0.02,
                    position,
                    _bar_label(amount, share),
                    ha="left",
                    va="center",
                    fontsize=7,
                    bbox=_LABEL_BOX,
                )
            if index == 0:
                ax.set_yticks(y, [textwrap.fill(cause_name, 24) for cause_name in causes])
            else:
                ax.set_yticks(y, [])
                ax.tick_params(axis="y", length=0)
            ax.set_xlim(left - (biggest * 0.05 if left < 0 else 0.0), right + biggest * 0.6)
            ax.set_ylim(-0.6, len(causes) - 0.4)
            ax.set_xlabel("Contribution to the gap (years)")
            set_title(ax, name, width=40)
            ax.grid(axis="x")
        fig.suptitle(title, x=0.01, ha="left", fontsize=9.5, fontweight="bold")
        add_note(fig, note)
    data = pd.DataFrame(
        {
            series: frame[series].astype(str).to_numpy(),
            cause: frame[cause].astype(str).to_numpy(),
            contribution: values,
            percent: frame[percent].to_numpy(dtype=float),
        }
    )
    return fig, data


def describe_gap_by_cause(
    data: pd.DataFrame,
    *,
    series: str = "sex",
    cause: str = "cause",
    contribution: str = "contribution",
    percent: str = "percent_of_gap",
) -> str:
    """Alt text for :func:`gap_by_cause_chart`: the largest contribution in each panel."""
    parts = []
    for name, rows in data.groupby(series, sort=False):
        if rows[contribution].isna().all():
            parts.append(f"{name}: every contribution is suppressed [c]")
            continue
        top = rows.loc[rows[contribution].idxmax()]
        parts.append(
            f"{name}: largest is {top[cause]} "
            f"({years_and_months(float(top[contribution]))}, {top[percent]:.0f}% of the gap)"
        )
    return (
        f"Horizontal bars of the contribution of {data[cause].nunique()} causes of death to "
        "the gap in life expectancy between the most and least deprived quintiles. "
        + "; ".join(parts)
        + "."
    )
