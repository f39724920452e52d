"""Named numerator recipes: the few indicators that are not a filtered count of one source.

A catalogue entry names a recipe (``recipe: projected_change``) and its ``parameters``;
the recipe returns the engine's result rows for every area. Keep recipes short and
generic: an indicator that can be written as a ``where:`` filter belongs in the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ina.errors import StatisticsError
from ina.indicators.areas import ENGLAND_AREA_ID
from ina.indicators.measures import ENGLAND_CODE

__all__ = ["RECIPES", "projection_base_year"]


def projection_base_year(settings: Any, years: list[int]) -> int:
    """The report's base year within the projections: the reporting year, clipped."""
    return int(min(max(settings.reporting_year, years[0]), years[-1]))


def projected_change(indicator: Any, inputs: Any, *, annual: bool = False) -> pd.DataFrame:
    """Projected % change of the residents in an age range, base year → ``horizon_year``.

    ONS subnational projections are published for districts; each area's share of a
    district is its share of the district's current residents of the same single year of
    age and sex (the district's overall share where nobody of that age and sex lives in the
    area today), for every area at once. England (``E92000001``) is taken as published.
    Parameters: ``min_age`` (default 0), ``max_age`` (default 200), ``horizon_year``.
    """
    if annual:
        return pd.DataFrame()
    projections = inputs.frame("population_projections")
    years = sorted(int(y) for y in projections["year"].unique())
    base = projection_base_year(inputs.settings, years)
    horizon = int(indicator.parameter("horizon_year", 2040))
    if not base < horizon <= years[-1]:
        raise StatisticsError(
            f"{indicator.id}: the population projections do not reach {horizon} after the base "
            f"year {base}"
        )
    low, high = indicator.parameter("min_age", 0), indicator.parameter("max_age", 200)
    wanted = projections[
        projections["year"].isin([base, horizon])
        & projections["sex"].isin(["female", "male"])
        & projections["age"].between(low, high)
    ].astype({"sex": str})
    keys = ["district_code", "sex", "age"]
    registry = inputs.registry
    districts = inputs.geography.small_areas[["lsoa_code", "district_code"]]
    people = inputs.frame("resident_population").merge(districts, on="lsoa_code", how="inner")
    people = people.astype({"sex": str, "lsoa_code": str})
    whole = people.groupby(keys)["population"].sum().rename("whole")
    placed = people.merge(registry.small_areas, on="lsoa_code", how="inner")
    part = placed.groupby(["area_id", *keys])["population"].sum()
    share = part.reset_index().merge(whole.reset_index(), on=keys, how="left")
    share["share"] = share["population"] / share["whole"].where(share["whole"] > 0)
    missing = set(share["district_code"]) - set(wanted["area_code"])
    if missing:
        raise StatisticsError(f"{indicator.id}: no projections for district(s) {sorted(missing)}")
    district_totals = people.groupby("district_code")["population"].sum()
    pairs = part.groupby(["area_id", "district_code"]).sum().rename("area_total").reset_index()
    pairs["district_share"] = pairs["area_total"] / pairs["district_code"].map(district_totals)
    future = pairs[["area_id", "district_code", "district_share"]].merge(
        wanted.rename(columns={"area_code": "district_code"}), on="district_code"
    )
    future = future.merge(share[["area_id", *keys, "share"]], on=["area_id", *keys], how="left")
    future["share"] = future["share"].fillna(future["district_share"])
    future["population"] = future["population"] * future["share"]
    totals = future.pivot_table(
        index="area_id", columns="year", values="population", aggfunc="sum", sort=False
    )
    england = wanted[wanted["area_code"] == ENGLAND_CODE]
    if not england.empty:
        totals.loc[ENGLAND_AREA_ID] = (
            england.groupby("year")["population"].sum().reindex([base, horizon])
        )
    start, end = totals[base], totals[horizon]
    return pd.DataFrame(
        {
            "indicator_id": indicator.id,
            "area_id": totals.index.astype(str),
            "period": f"{base}-{horizon}",
            "numerator": (end - start).to_numpy(),
            "denominator": start.to_numpy(),
            "value": ((end - start) / start * indicator.multiplier).to_numpy(),
            "lower_95": np.nan,
            "upper_95": np.nan,
            "lower_99_8": np.nan,
            "upper_99_8": np.nan,
        }
    )


Recipe = Callable[..., pd.DataFrame]

#: Recipe name (``recipe:`` in the catalogue) → function.
RECIPES: dict[str, Recipe] = {
    "projected_change": projected_change,
}
