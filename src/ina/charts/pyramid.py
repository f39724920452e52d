"""Population pyramid: the area's age structure as bars, its comparator as an outline.

Females to the right, males to the left, five-year bands upwards; each bar is the share
of the area's whole population in that sex and band, so areas of any size compare. The
comparator (England for the ICB, the ICB for a place) is a black step outline, named in
a label on the chart; the sexes are labelled above their halves (never colour alone).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ina.charts._style import COLOURS, COMPARATOR, house_style, new_figure, set_title

__all__ = ["describe_pyramid", "population_pyramid"]

_OLDER_BANDS = ("65-69", "70-74", "75-79", "80-84", "85-89", "90+")


def _side(frame: pd.DataFrame, area: str, sex: str, bands: list[str]) -> np.ndarray:
    rows = frame[(frame["area"] == area) & (frame["sex"] == sex)].set_index("age_band")
    return rows["percent"].reindex(bands).to_numpy(dtype=float)


def population_pyramid(
    pyramid: pd.DataFrame, *, area_name: str, comparator_name: str, people: str = "residents"
) -> tuple[Figure, pd.DataFrame]:
    """Draw :func:`ina.chapters.population.resident_pyramid`; return the figure and data.

    The data is one row per band: ``age_band``, the area's and the comparator's female and
    male percentages (what the chart draws). ``people`` names who is counted (residents,
    or registered patients when the pyramid is of a GP registration extract).
    """
    bands = [str(band) for band in pd.unique(pyramid["age_band"].astype(str))]
    y = np.arange(len(bands))
    area_female = _side(pyramid, area_name, "female", bands)
    area_male = _side(pyramid, area_name, "male", bands)
    comp_female = _side(pyramid, comparator_name, "female", bands)
    comp_male = _side(pyramid, comparator_name, "male", bands)

    with house_style():
        fig, (ax,) = new_figure(11.0)
        ax.barh(y, area_female, height=0.85, color=COLOURS["orange"], label=f"{area_name}")
        ax.barh(y, -area_male, height=0.85, color=COLOURS["sky"])
        for values, sign in ((comp_female, 1), (comp_male, -1)):
            edges = np.repeat(sign * values, 2)
            steps = np.ravel(np.column_stack([y - 0.5, y + 0.5]))
            ax.plot(edges, steps, color=COMPARATOR, linewidth=1.1)
        limit = float(np.nanmax([area_female, area_male, comp_female, comp_male])) * 1.15
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-0.6, len(bands) - 0.4 + 1.2)
        ax.set_yticks(y, bands)
        ticks = ax.get_xticks()
        ax.set_xticks(ticks, [f"{abs(t):.0f}%" for t in ticks])
        ax.set_xlim(-limit, limit)
        ax.axvline(0, color="#444444", linewidth=0.6)
        ax.set_xlabel(f"Percentage of all {people}")
        top = len(bands) + 0.1
        ax.text(-limit * 0.5, top, "Males", ha="center", va="bottom", fontweight="bold")
        ax.text(limit * 0.5, top, "Females", ha="center", va="bottom", fontweight="bold")
        # Name the comparator outline where it is drawn, on the widest male band.
        widest = int(np.nanargmax(comp_male))
        ax.annotate(
            f"{comparator_name} (outline)",
            xy=(-comp_male[widest], widest),
            xytext=(-limit * 0.98, widest + 3.5),
            ha="left",
            fontsize=7.5,
            arrowprops={"arrowstyle": "-", "color": COMPARATOR, "linewidth": 0.7},
        )
        set_title(ax, f"{area_name}: {people} by age and sex")
        ax.grid(axis="x")

    data = pd.DataFrame(
        {
            "age_band": bands,
            "area_female_percent": area_female,
            "area_male_percent": area_male,
            "comparator_female_percent": comp_female,
            "comparator_male_percent": comp_male,
        }
    )
    return fig, data


def describe_pyramid(
    data: pd.DataFrame, *, area_name: str, comparator_name: str, people: str = "residents"
) -> str:
    """Alt text: the chart's structure and its main message (share aged 65 and over)."""
    older = data[data["age_band"].isin(_OLDER_BANDS)]
    area_older = older[["area_female_percent", "area_male_percent"]].to_numpy().sum()
    comparator_older = older[["comparator_female_percent", "comparator_male_percent"]].sum().sum()
    relation = "older than" if area_older > comparator_older else "younger than"
    if abs(area_older - comparator_older) < 0.5:
        relation = "similar in age to"
    return (
        f"Population pyramid of {area_name} by five-year age band, males left and females "
        f"right, with {comparator_name} as an outline. {area_name} is {relation} "
        f"{comparator_name}: {area_older:.1f}% of {people} are aged 65 and over against "
        f"{comparator_older:.1f}%."
    )
