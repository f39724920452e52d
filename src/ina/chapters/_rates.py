"""Standardised mortality for chapter tables: events and populations banded for ESP2013."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ina.chapters._ages import FIVE_YEAR_BANDS, five_year_band
from ina.errors import StatisticsError
from ina.stats.dsr import directly_standardised_rate
from ina.stats.standard_populations import ESP2013

__all__ = ["band_totals", "standardised_rate_by_group"]


def band_totals(
    frame: pd.DataFrame, groups: Sequence[str], value: str | None = None
) -> pd.DataFrame:
    """Sum ``value`` (or count rows) by ``groups`` × ESP2013 band, every band present.

    Returns ``*groups, age_band, total``; a band with nobody in a group is 0, because the
    standardisation must see all 19 bands of every group.
    """
    groups = list(groups)
    banded = frame.assign(
        age_band=five_year_band(frame["age"]).astype(str),
        _value=frame[value] if value else 1,
    )
    sums = banded.groupby([*groups, "age_band"], observed=True)["_value"].sum()
    levels = [sorted(banded[g].dropna().unique()) for g in groups] + [list(FIVE_YEAR_BANDS)]
    full = pd.MultiIndex.from_product(levels, names=[*groups, "age_band"])
    return sums.reindex(full, fill_value=0).rename("total").reset_index()


def standardised_rate_by_group(
    events: pd.DataFrame,
    population: pd.DataFrame,
    group_column: str,
    *,
    person_years_multiplier: float = 1.0,
) -> pd.DataFrame:
    """Directly standardised rate per 100,000 (ESP2013, Dobson 95% limits) per group.

    ``events``: one row per event with ``group_column`` and ``age``; ``population``:
    ``age, population`` and optionally ``group_column`` (when absent, every group shares
    the same denominator, e.g. one population estimate for every year). The denominator
    is multiplied by ``person_years_multiplier`` (the number of years pooled). Returns
    ``group_column, events, dsr, dsr_lower, dsr_upper``; groups with fewer than 10
    events get missing rates (the Fingertips publication rule in :mod:`ina.stats.dsr`).
    """
    if events.empty:
        raise StatisticsError("standardised_rate_by_group: there are no events")
    counts = band_totals(events, [group_column])
    if group_column in population.columns:
        denominators = band_totals(population, [group_column], "population")
        merged = counts.merge(
            denominators, on=[group_column, "age_band"], how="left", suffixes=("", "_pop")
        )
    else:
        denominators = band_totals(population.assign(_all=0), ["_all"], "population")
        merged = counts.merge(
            denominators.drop(columns="_all"), on="age_band", how="left", suffixes=("", "_pop")
        )
    merged = merged.rename(columns={"total": "events", "total_pop": "population"})
    merged["population"] = merged["population"].fillna(0) * person_years_multiplier
    if (merged["population"] <= 0).any():
        bad = merged[merged["population"] <= 0].iloc[0]
        raise StatisticsError(
            f"standardised_rate_by_group: {group_column} {bad[group_column]!r} has no "
            f"population aged {bad['age_band']}"
        )
    rates = directly_standardised_rate(
        merged,
        "events",
        "population",
        standard_population=ESP2013,
        group_by=group_column,
        age_band="age_band",
    )
    return pd.DataFrame(
        {
            group_column: rates[group_column].to_numpy(),
            "events": rates["total_count"].to_numpy(dtype=float).astype(int),
            "dsr": rates["value"].to_numpy(dtype=float),
            "dsr_lower": rates["lowercl"].to_numpy(dtype=float),
            "dsr_upper": rates["uppercl"].to_numpy(dtype=float),
        }
    )
