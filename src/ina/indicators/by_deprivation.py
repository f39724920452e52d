"""Any small-area indicator by deprivation quintile, with the JFP Figure 5 rate ratios.

Why through the engine: the JFP's Figure 5 ("babies in the most deprived areas are 50%
more likely to be of low birth weight", "three times more likely to take their own life")
compares the most and least deprived fifths on indicators the catalogue already defines.
Computing them with the engine — an area registry whose "areas" are the five local
quintiles — gives each quintile exactly the indicator's own definition and statistic
(Wilson, Byar's, a DSR with Dobson limits), so a Figure 5 ratio can never use a different
definition from the chapter that reports the indicator.

Quintiles are *local*: the ICB's small areas split into fifths by national IMD rank
(:func:`ina.chapters.deprivation.local_quintiles`), as the JFP's "quintiles of the
population Norfolk & Waveney" are (INDICATORS.md §13.5). A place report uses the ICB's
quintiles, restricted to the place's small areas.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ina.indicators.areas import AreaRegistry
from ina.indicators.catalogue import Catalogue, Indicator
from ina.indicators.engine import EngineInputs, compute_indicators

__all__ = [
    "FIGURE5_FILE",
    "QUINTILE_IDS",
    "by_quintile",
    "figure5_comparisons",
    "figure5_ratios",
    "quintile_counts",
    "quintile_inputs",
]

FIGURE5_FILE = Path(__file__).with_name("figure5.yml")

#: Area ids of the five quintiles (1 = most deprived).
QUINTILE_IDS = ("Q1", "Q2", "Q3", "Q4", "Q5")


def _quintile_registry(quintiles: pd.DataFrame, small_areas: Sequence[str]) -> AreaRegistry:
    kept = quintiles[quintiles["lsoa_code"].isin(list(small_areas))]
    members = pd.DataFrame(
        {
            "lsoa_code": kept["lsoa_code"].astype(str).to_numpy(),
            "area_id": ("Q" + kept["quintile"].astype(int).astype(str)).to_numpy(),
        }
    )
    names = {
        "Q1": "1 (most deprived)",
        "Q2": "2",
        "Q3": "3",
        "Q4": "4",
        "Q5": "5 (least deprived)",
    }
    areas = pd.DataFrame(
        {
            "area_id": list(QUINTILE_IDS),
            "area_name": [names[q] for q in QUINTILE_IDS],
            "area_type": "quintile",
        }
    )
    return AreaRegistry(
        areas=areas,
        small_areas=members,
        practices=pd.DataFrame(columns=["practice_code", "area_id"]),
    )


def quintile_inputs(
    inputs: EngineInputs, quintiles: pd.DataFrame, small_areas: Sequence[str]
) -> EngineInputs:
    """The engine's inputs with the five quintiles (of ``small_areas``) as its areas."""
    return EngineInputs(
        settings=inputs.settings,
        geography=inputs.geography,
        load=inputs.load,
        periods=inputs.periods,
        _frames=inputs._frames,
        _registry=_quintile_registry(quintiles, small_areas),
    )


def quintile_counts(view: EngineInputs, indicator: Indicator) -> pd.DataFrame:
    """Events and population (person-years) per quintile, and per five-year age band for
    a standardised rate: the input of the Poisson model behind the ratios
    (:func:`ina.stats.poisson_rate_ratios`). Columns ``quintile, [age_band,] events,
    population``; the same rows, years and filters as the indicator's own value."""
    from ina.indicators.engine import _area_rows, _measure_rows, _select_years

    numerator = _measure_rows(indicator.numerator_measure, view)
    denominator = _measure_rows(indicator.denominator_measure, view)
    if numerator is None or denominator is None:
        return pd.DataFrame(columns=["quintile", "events", "population"])
    years = _select_years(indicator, numerator)
    detail = "band" if indicator.method == "dsr_esp2013" else None
    events = _area_rows(numerator, view, england=False, years=years, detail=detail)
    people = _area_rows(denominator, view, england=False, years=years, detail=detail)
    if not denominator.dated:
        people = people.assign(weight=people["weight"] * len(years))
    keys = ["area_id", "age_band"] if detail else ["area_id"]
    x = events.groupby(keys)["weight"].sum().rename("events")
    n = people.groupby(keys)["weight"].sum().rename("population")
    table = pd.concat([x, n], axis=1).fillna(0.0).reset_index()
    table = table[table["population"] > 0]
    if indicator.parameter("denominator_includes_numerator", False):
        table["population"] = table["population"] + table["events"]
    table["quintile"] = table["area_id"].str[1:].astype(int)
    columns = ["quintile", "age_band", "events", "population"] if detail else [
        "quintile", "events", "population"]  # fmt: skip
    return table[columns].reset_index(drop=True)


def by_quintile(
    inputs: EngineInputs,
    catalogue: Catalogue,
    quintiles: pd.DataFrame,
    small_areas: Sequence[str],
) -> pd.DataFrame:
    """The engine's result rows of ``catalogue``'s small-area indicators per quintile
    (``area_id`` Q1..Q5) over ``small_areas``. Practice-born and published indicators are
    left out: their units have no single small area."""
    wanted = catalogue.only(
        [
            i.id
            for i in catalogue
            if i.born_at == "small_area" and i.method != "published" and i.recipe is None
        ]
    )
    view = quintile_inputs(inputs, quintiles, small_areas)
    out = compute_indicators(view, wanted)
    return out[out["area_id"].isin(QUINTILE_IDS)].reset_index(drop=True)


def figure5_ratios(rows: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Most (Q1) vs least (Q5) deprived quintile ratio per indicator with a 95% CI.

    The ratio's interval is the log-scale normal approximation from each quintile's own
    95% limits (standard error of log value ≈ (log upper − log lower) / (2 × 1.96)),
    which is the Fingertips-style ratio of two rates, proportions or DSRs with the
    intervals their own methods gave (Wilson, Byar's/exact, Dobson). Ratios without both
    values or limits are missing. Returns ``indicator_id, q1, q5, ratio, lower_95,
    upper_95, q1_count, q5_count``.
    """
    records = []
    z = 1.959963984540054
    for indicator in catalogue:
        mine = rows[rows["indicator_id"] == indicator.id].set_index("area_id")
        if not {"Q1", "Q5"} <= set(mine.index):
            continue
        q1, q5 = mine.loc["Q1"], mine.loc["Q5"]
        values = [float(q1[c]) for c in ("value", "lower_95", "upper_95")]
        values += [float(q5[c]) for c in ("value", "lower_95", "upper_95")]
        ratio = lower = upper = np.nan
        if all(np.isfinite(values)) and min(values) > 0:
            v1, l1, u1, v5, l5, u5 = values
            se = np.hypot(np.log(u1 / l1) / (2 * z), np.log(u5 / l5) / (2 * z))
            ratio = v1 / v5
            lower, upper = ratio * np.exp(-z * se), ratio * np.exp(z * se)
        records.append(
            {
                "indicator_id": indicator.id,
                "q1": float(q1["value"]),
                "q5": float(q5["value"]),
                "ratio": ratio,
                "lower_95": lower,
                "upper_95": upper,
                "q1_count": float(q1["numerator"]),
                "q5_count": float(q5["numerator"]),
            }
        )
    return pd.DataFrame(
        records,
        columns=[
            "indicator_id",
            "q1",
            "q5",
            "ratio",
            "lower_95",
            "upper_95",
            "q1_count",
            "q5_count",
        ],
    )


def figure5_comparisons(catalogue: Catalogue) -> list[dict[str, object]]:
    """The Figure 5 comparisons of ``figure5.yml`` whose indicator is in ``catalogue``
    (each: ``id, indicator, jfp_ratio, wording``), in file order."""
    raw = yaml.safe_load(FIGURE5_FILE.read_text(encoding="utf-8"))["comparisons"]
    known = set(catalogue.ids)
    return [entry for entry in raw if entry["indicator"] in known]
