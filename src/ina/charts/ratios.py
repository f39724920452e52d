"""Forest plot of most vs least deprived rate ratios (JFP Figure 5), against the JFP's.

Why a forest plot: Figure 5 is a list of "N times more likely" statements; a ratio with
its 95% interval on a log scale shows at once which gaps are real (the interval clears 1)
and how the area's ratio compares with the one the JFP quoted (an open diamond), with the
numbers written next to each row so colour and position are never the only cues.
"""

from __future__ import annotations

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

__all__ = ["describe_ratios", "ratio_forest"]

_CM = 1 / 2.54


def ratio_forest(frame: pd.DataFrame) -> tuple[Figure, pd.DataFrame]:
    """``frame``: ``label, ratio, lower_95, upper_95, jfp_ratio`` (one row per comparison,
    ratio missing where suppressed or not computable). Returns the figure and the data."""
    rows = frame.reset_index(drop=True)
    y = np.arange(len(rows))[::-1]
    with house_style():
        fig = Figure(figsize=(TEXT_WIDTH_CM * _CM, (1.2 + 0.7 * len(rows)) * 2.54 * _CM * 1.1),
                     layout="constrained")  # fmt: skip
        ax = fig.subplots()
        style_axes(ax)
        ax.axvline(1.0, color=COMPARATOR, linewidth=0.8)
        for position, (_, row) in zip(y, rows.iterrows(), strict=True):
            ratio = float(row["ratio"])
            if np.isfinite(ratio):
                ax.plot([row["lower_95"], row["upper_95"]], [position, position], color="#444444")
                ax.plot(ratio, position, "o", color=COLOURS["blue"], markeredgecolor="#222222")
                text = f"{ratio:.2f} ({row['lower_95']:.2f} to {row['upper_95']:.2f})"
            else:
                text = "not available"
            jfp = pd.to_numeric(row["jfp_ratio"], errors="coerce")
            if np.isfinite(jfp):
                ax.plot(float(jfp), position, "D", markerfacecolor="none",
                        markeredgecolor=COLOURS["vermillion"], markersize=7)  # fmt: skip
            ax.annotate(text, (1.0, position), xycoords=("axes fraction", "data"), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=7)  # fmt: skip
        ax.set_xscale("log")
        # Plain ratios ("0.5", "1", "2"): default log labels ("3 x 10^0") read as algebra.
        plain_log_axis(ax, steps=(1.0, 1.5, 2.0, 3.0, 5.0, 7.5))
        ax.set_yticks(y, [str(label) for label in rows["label"]])
        ax.set_xlabel("Rate ratio, most vs least deprived quintile (log scale; 1 = no gap)")
        ax.grid(axis="x")
        fig.legend(
            handles=[
                Line2D([], [], marker="o", color=COLOURS["blue"], linestyle="none",
                       label="This area, with 95% CI"),
                Line2D([], [], marker="D", markerfacecolor="none", linestyle="none",
                       markeredgecolor=COLOURS["vermillion"], label="Ratio quoted by the JFP"),
            ],
            loc="outside lower center", ncols=2, fontsize=7,
        )  # fmt: skip
    return fig, rows[["label", "ratio", "lower_95", "upper_95", "jfp_ratio"]]


def describe_ratios(data: pd.DataFrame, *, area_name: str) -> str:
    """Alt text: how many ratios clear 1, the largest."""
    shown = data.dropna(subset=["ratio"])
    if shown.empty:
        return f"No most-versus-least-deprived ratio could be published for {area_name}."
    clear = shown[(shown["lower_95"] > 1) | (shown["upper_95"] < 1)]
    top = shown.loc[shown["ratio"].idxmax()]
    return (
        f"Forest plot of {len(shown)} rate ratios for {area_name}, most against least deprived "
        f"quintile; {len(clear)} have a 95% interval that excludes 1. The largest is "
        f"{top['label']}: {top['ratio']:.2f} times."
    )
