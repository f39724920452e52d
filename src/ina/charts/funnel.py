"""Funnel plot of practices: each practice's proportion against its size and the ICB value.

Practice variation is what the JFP acts on, and a league table exaggerates it: a small
practice's value swings by chance. The funnel draws the ICB value (the pooled proportion
of all practices shown) with 95% and 99.8% control limits that narrow as the denominator
grows, so only practices outside the funnel differ by more than chance would explain.
Limits and each practice's significance come from :mod:`ina.stats.funnel`
(PHEindicatormethods' ``calculate_funnel_limits`` / ``assign_funnel_significance``,
proportions: ``p̄ ± z·√(p̄(1 − p̄)/n)``); this module only draws and describes them.

Points are shaped *and* coloured by where they fall (triangles above, inverted triangles
below, filled beyond 99.8%, open beyond 95% only, grey circles within), the lines are
labelled where they end, and the practices beyond the 99.8% limits are named on the
chart, so nothing depends on colour. Proportions only: the practice indicators the
chapters fund (QOF achievement and prevalence, screening coverage) are proportions.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ina.charts._result import ChartResult
from ina.charts._style import COLOURS, COMPARATOR, house_style, new_figure
from ina.errors import StatisticsError
from ina.stats.funnel import (
    HIGH_95,
    HIGH_998,
    LOW_95,
    LOW_998,
    NOT_SIGNIFICANT,
    assign_funnel_significance,
    calculate_funnel_limits,
)

__all__ = ["FUNNEL_WORDS", "describe_funnel", "funnel_chart"]

#: The funnel's significance labels in words, most extreme high first.
FUNNEL_WORDS: dict[str, str] = {
    HIGH_998: "above the 99.8% limit",
    HIGH_95: "above the 95% limit only",
    NOT_SIGNIFICANT: "within the limits",
    LOW_95: "below the 95% limit only",
    LOW_998: "below the 99.8% limit",
}
# (marker, face colour, edge colour) per category; open markers for the 95%-only ones.
_POINTS: dict[str, tuple[str, str, str]] = {
    HIGH_998: ("^", COLOURS["vermillion"], "black"),
    HIGH_95: ("^", "white", COLOURS["vermillion"]),
    NOT_SIGNIFICANT: ("o", COLOURS["light_grey"], COLOURS["grey"]),
    LOW_95: ("v", "white", COLOURS["blue"]),
    LOW_998: ("v", COLOURS["blue"], "black"),
}


def funnel_chart(
    data: pd.DataFrame,
    *,
    label: str,
    numerator: str,
    denominator: str,
    title: str,
    axis_label: str,
    what: str,
    multiplier: float = 100,
    baseline_name: str = "ICB",
    max_labels: int = 10,
    value_format: Callable[[float], str] = lambda v: f"{v:.1f}%",
) -> ChartResult:
    """Draw practices' proportions against their denominators with funnel limits.

    ``data``: one row per practice with its ``label`` (name or code), ``numerator`` and
    ``denominator``. Rows with a missing or zero denominator or a missing numerator (not
    published) are left out of the funnel and its baseline; the alt text counts them.
    Up to ``max_labels`` practices beyond the 99.8% limits are named on the chart, the
    furthest from the baseline first (all of them are in the table and the alt text).

    Returns a :class:`~ina.charts._result.ChartResult`: the figure; the table, one row
    per practice drawn, ordered by value: ``label`` (under its own name), the numerator
    and denominator, ``value``, ``baseline``, ``lower_95``, ``upper_95``, ``lower_99_8``,
    ``upper_99_8`` (the limits at that practice's denominator) and ``significance`` (in
    words, :data:`FUNNEL_WORDS`); and the alt text (:func:`describe_funnel`).
    """
    missing = [c for c in (label, numerator, denominator) if c not in data.columns]
    if missing:
        raise StatisticsError(f"funnel_chart: missing column(s) {missing}")
    x = pd.to_numeric(data[numerator], errors="coerce")
    n = pd.to_numeric(data[denominator], errors="coerce")
    usable = (x.notna() & n.notna() & (n > 0)).to_numpy()
    left_out = int((~usable).sum())
    points = pd.DataFrame(
        {
            label: data[label].astype(str).to_numpy()[usable],
            numerator: x.to_numpy(dtype=float)[usable],
            denominator: n.to_numpy(dtype=float)[usable],
        }
    )
    if len(points) < 2:
        raise StatisticsError("funnel_chart: a funnel needs at least two practices with data")
    limits_at_points = calculate_funnel_limits(
        points,
        numerator,
        denominator,
        statistic="proportion",
        multiplier=multiplier,
        axis=points[denominator].to_numpy(),
        type="standard",
    )
    significance = assign_funnel_significance(
        points, numerator, denominator, statistic="proportion"
    )["significance"].astype(str)
    table = points.assign(
        value=points[numerator] / points[denominator] * multiplier,
        baseline=limits_at_points["baseline"].to_numpy(),
        lower_95=limits_at_points["lower_2s_limit"].to_numpy(),
        upper_95=limits_at_points["upper_2s_limit"].to_numpy(),
        lower_99_8=limits_at_points["lower_3s_limit"].to_numpy(),
        upper_99_8=limits_at_points["upper_3s_limit"].to_numpy(),
        significance=significance.map(FUNNEL_WORDS).to_numpy(),
        _label=significance.to_numpy(),
    )
    table = table.sort_values(["value", label], ascending=[False, True], kind="stable")
    curve = calculate_funnel_limits(
        points,
        numerator,
        denominator,
        statistic="proportion",
        multiplier=multiplier,
        type="standard",
    )
    baseline = float(table["baseline"].iloc[0])
    with house_style():
        fig, (ax,) = new_figure(9.5)
        # Draw the limits over the practices' range only: at a denominator of 1 they span
        # 0-100% and would flatten the chart.
        curve = curve[curve["Population"] >= 0.8 * table[denominator].min()]
        sizes = curve["Population"].to_numpy()
        for column, style, name in (
            ("3s", ":", "99.8% limits"),
            ("2s", "--", "95% limits"),
        ):
            for side in ("lower", "upper"):
                ax.plot(
                    sizes,
                    curve[f"{side}_{column}_limit"].to_numpy(),
                    color=COMPARATOR,
                    linestyle=style,
                    linewidth=0.9,
                )
            # 95% named on the upper curve, 99.8% on the lower, so the labels never meet.
            side = "upper" if column == "2s" else "lower"
            ax.annotate(
                name,
                xy=(sizes[-1], curve[f"{side}_{column}_limit"].iloc[-1]),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
            )
        ax.axhline(baseline, color=COMPARATOR, linewidth=1.2)
        ax.annotate(
            f"{baseline_name}: {value_format(baseline)}",
            xy=(sizes[-1], baseline),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            fontweight="bold",
        )
        for category, (marker, face, edge) in _POINTS.items():
            chosen = table[table["_label"] == category]
            if chosen.empty:
                continue
            ax.scatter(
                chosen[denominator],
                chosen["value"],
                marker=marker,
                s=26,
                c=face,
                edgecolors=edge,
                linewidths=0.8,
                zorder=3,
            )
        outliers = table[table["_label"].isin([HIGH_998, LOW_998])]
        outliers = outliers.assign(_distance=(outliers["value"] - baseline).abs())
        outliers = outliers.sort_values(["_distance", label], ascending=[False, True])
        shown = outliers.head(max_labels)
        for name, size, value, category in zip(
            shown[label], shown[denominator], shown["value"], shown["_label"], strict=True
        ):
            above = category == HIGH_998
            ax.annotate(
                textwrap.shorten(str(name), 28, placeholder="…"),
                xy=(size, value),
                xytext=(4, 5 if above else -5),
                textcoords="offset points",
                va="bottom" if above else "top",
                fontsize=6.5,
            )
        ax.set_xlim(0, float(sizes[-1]) * 1.18)
        values = np.concatenate([table["value"].to_numpy(), curve["lower_3s_limit"].to_numpy()])
        low = float(np.nanmin(values))
        high = float(np.nanmax(np.concatenate([table["value"], curve["upper_3s_limit"]])))
        pad = (high - low) * 0.08 or 1.0
        ax.set_ylim(max(0.0, low - pad), min(multiplier, high + pad))
        ax.set_xlabel(f"{denominator} (denominator)")
        ax.set_ylabel(axis_label)
        ax.set_title(textwrap.fill(title, 60))
        ax.grid(axis="y")
        handles = [
            Line2D(
                [0],
                [0],
                linestyle="none",
                marker=marker,
                markersize=6,
                markerfacecolor=face,
                markeredgecolor=edge,
                label=FUNNEL_WORDS[category],
            )
            for category, (marker, face, edge) in _POINTS.items()
            if (table["_label"] == category).any()
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=7)
    table = table.drop(columns="_label").reset_index(drop=True)
    text = describe_funnel(
        table,
        label=label,
        what=what,
        baseline_name=baseline_name,
        value_format=value_format,
        left_out=left_out,
    )
    return ChartResult(fig, table, text)


def describe_funnel(
    data: pd.DataFrame,
    *,
    label: str,
    what: str,
    baseline_name: str = "ICB",
    value_format: Callable[[float], str] = lambda v: f"{v:.1f}%",
    left_out: int = 0,
) -> str:
    """Alt text from the funnel's table: the baseline and how many fall where, by name."""
    baseline = float(data["baseline"].iloc[0])
    text = (
        f"Funnel plot of {what} for {len(data)} practices against their denominators, "
        f"with the {baseline_name} value of {value_format(baseline)} and 95% and 99.8% "
        "control limits."
    )
    parts = []
    for word in FUNNEL_WORDS.values():
        chosen = data[data["significance"] == word]
        if chosen.empty:
            continue
        part = f"{len(chosen)} {word}"
        if "99.8%" in word:
            part += f" ({', '.join(chosen[label].astype(str))})"
        parts.append(part)
    text += " " + "; ".join(parts) + "."
    if left_out:
        text += f" {left_out} practice{'s' if left_out != 1 else ''} without data not shown."
    return text
