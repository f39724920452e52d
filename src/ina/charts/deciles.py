"""IMD decile distribution: the area's residents by national decile against England's 10%.

Bars for the area's share of residents in each national decile (1 = most deprived);
England's even 10% as a labelled dashed line; for a place, the ICB as black diamond
markers named on the chart. Decile 1–2 bars (Core20) are hatched and labelled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ina.charts._style import COLOURS, COMPARATOR, house_style, new_figure, set_title

__all__ = ["decile_chart", "describe_deciles"]


def decile_chart(
    distribution: pd.DataFrame, *, area_name: str, comparator_name: str | None = None
) -> tuple[Figure, pd.DataFrame]:
    """Draw :func:`ina.chapters.deprivation.decile_distribution` for one area.

    Returns the figure and ``imd_decile, area_percent, [comparator_percent,]
    england_percent``.
    """
    area = distribution[distribution["area"] == area_name].set_index("imd_decile")
    deciles = np.arange(1, 11)
    shares = area["percent"].reindex(deciles).to_numpy(dtype=float)
    data = pd.DataFrame({"imd_decile": deciles, "area_percent": shares})
    with house_style():
        fig, (ax,) = new_figure(8.5)
        colours = [COLOURS["vermillion"] if d <= 2 else COLOURS["blue"] for d in deciles]
        bars = ax.bar(deciles, shares, color=colours, width=0.7)
        for bar, decile in zip(bars, deciles, strict=True):
            if decile <= 2:
                bar.set_hatch("///")
                bar.set_edgecolor("white")
        for decile, share in zip(deciles, shares, strict=True):
            ax.text(
                decile,
                share + 0.3,
                f"{share:.1f}%",
                ha="center",
                va="bottom",
                fontsize=7,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.85},
            )
        ax.axhline(10, color=COMPARATOR, linestyle="--", linewidth=1)
        top = float(np.nanmax(shares))
        handles = [
            Patch(
                facecolor=COLOURS["vermillion"],
                hatch="///",
                edgecolor="white",
                label=f"{area_name}: Core20 (deciles 1-2)",
            ),
            Patch(facecolor=COLOURS["blue"], label=f"{area_name}: deciles 3-10"),
            Line2D([], [], color=COMPARATOR, linestyle="--", label="England: 10% in each decile"),
        ]
        if comparator_name is not None:
            comparator = distribution[distribution["area"] == comparator_name]
            comparator_shares = (
                comparator.set_index("imd_decile")["percent"].reindex(deciles).to_numpy(float)
            )
            ax.plot(
                deciles,
                comparator_shares,
                linestyle="none",
                marker="D",
                markersize=5,
                color=COMPARATOR,
            )
            handles.append(
                Line2D(
                    [], [], linestyle="none", marker="D", color=COMPARATOR, label=comparator_name
                )
            )
            data["comparator_percent"] = comparator_shares
            top = max(top, float(np.nanmax(comparator_shares)))
        data["england_percent"] = 10.0
        ax.legend(handles=handles, loc="upper right")
        ax.set_ylim(0, max(top, 10) * 1.35)
        ax.set_xticks(
            deciles, ["1\nmost\ndeprived", *[str(d) for d in range(2, 10)], "10\nleast\ndeprived"]
        )
        ax.set_xlabel("National IMD decile")
        ax.set_ylabel("Percentage of residents")
        set_title(ax, f"{area_name}: residents by national deprivation decile")
        ax.grid(axis="y")
    return fig, data


def describe_deciles(data: pd.DataFrame, *, area_name: str) -> str:
    """Alt text for :func:`decile_chart`: structure and the Core20 share against 20%."""
    core20 = data.loc[data["imd_decile"] <= 2, "area_percent"].sum()
    least = data.loc[data["imd_decile"] >= 9, "area_percent"].sum()
    return (
        f"Bar chart of the percentage of {area_name} residents in each national IMD decile "
        f"(1 most deprived to 10 least deprived) against England's 10% line. "
        f"{core20:.1f}% live in the two most deprived deciles (Core20; England 20%) and "
        f"{least:.1f}% in the two least deprived."
    )
