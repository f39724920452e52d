"""Indicators taken as published by OHID Fingertips (``statistic: published``).

Why: some of the plans' outcomes cannot be recomputed from any extract an ICB holds.
Survey measures (the Annual Population Survey's wellbeing and smoking questions, Active
Lives' activity and weight) are weighted estimates whose microdata stay with ONS and
Sport England; healthy life expectancy and the dementia diagnosis rate's England value
are modelled nationally. Recomputing them with a Wilson interval would be wrong
(INDICATORS.md: "take the value and CI from the source"), so the engine reads the value,
count, denominator and both confidence levels from the Fingertips export for the areas
Fingertips publishes:

- the ICB (its ONS code) and each sub-ICB location (the practice map's ONS code);
- a place that is exactly one whole district (its district code);
- no other place: a survey estimate of several districts cannot be added up, so those
  places read "not available" (the chapters say why).

England and the region come through :mod:`ina.indicators.comparators` as for every other
indicator with a Fingertips id.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ina.indicators.comparators import fingertips_sex

__all__ = ["fingertips_published", "published_area_codes"]

_VALUES = {
    "count": "numerator",
    "denominator": "denominator",
    "value": "value",
    "lower_ci_95_0_limit": "lower_95",
    "upper_ci_95_0_limit": "upper_95",
    "lower_ci_99_8_limit": "lower_99_8",
    "upper_ci_99_8_limit": "upper_99_8",
}


def published_area_codes(inputs: Any) -> dict[str, str]:
    """ONS code → area id of every ICB area Fingertips publishes values for."""
    settings = inputs.settings
    codes = {str(settings.icb.ons_code): "icb"}
    if "practice_map" in settings.source_names():
        mapped = inputs.frame("practice_map")[["sub_icb_ons_code", "sub_icb_code"]]
        known = set(inputs.registry.areas["area_id"])
        for ons, ods in mapped.drop_duplicates().itertuples(index=False):
            if str(ods) in known:
                codes[str(ons)] = str(ods)
    for place in settings.places:
        if len(place.members) == 1 and place.members[0].sub_icb is None:
            codes[str(place.members[0].district)] = place.id
    return codes


def fingertips_published(indicator: Any, inputs: Any, *, annual: bool = False) -> pd.DataFrame:
    """The indicator's published rows for the ICB's areas: the latest period, or every
    period (``annual``) as a series for the recent trend (year = the period's first year)."""
    from ina.indicators.engine import RESULT_COLUMNS

    if "fingertips" not in inputs.settings.source_names():
        return pd.DataFrame(columns=[*RESULT_COLUMNS, "year"])
    export = inputs.frame("fingertips")
    codes = published_area_codes(inputs)
    rows = export[
        (export["indicator_id"] == indicator.fingertips_id)
        & (export["sex"].fillna("") == fingertips_sex(indicator))
        & (export["category_type"].fillna("") == "")
        & export["area_code"].isin(list(codes))
    ]
    wanted_age = indicator.parameter("fingertips_age")
    if wanted_age is not None:
        rows = rows[rows["age"] == wanted_age]
    if rows.empty:
        return pd.DataFrame(columns=[*RESULT_COLUMNS, "year"])
    rows = rows.assign(_order=rows["time_period_sortable"].fillna(0).astype("int64"))
    if not annual:
        latest = rows.groupby("area_code")["_order"].transform("max")
        rows = rows[rows["_order"] == latest]
    out = pd.DataFrame(
        {
            "indicator_id": indicator.id,
            "area_id": rows["area_code"].map(codes).to_numpy(),
            "period": rows["time_period"].astype(str).to_numpy(),
        }
    )
    for column, name in _VALUES.items():
        out[name] = (
            pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float)
            if column in rows
            else np.nan
        )
    if annual:
        out["year"] = (rows["_order"] // 10_000).astype(int).to_numpy()
        out = out[out["year"] > 0]
    return out.sort_values(["area_id", "period"], kind="stable").reset_index(drop=True)
