"""Deprivation chapter: where the area sits on the national Index of Multiple Deprivation.

Pure functions over tidy frames (``docs/data-contract.md``), tested on hand-made frames.
Methods and sources:

* IMD deciles and ranks are national (MHCLG English Indices of Deprivation: rank 1 = most
  deprived small area in England; decile 1 = the most deprived 10% of small areas). By
  construction each national decile holds 10% of England's small areas, so "10% in each
  decile" is the England line the area is compared with (an area-count line: small areas
  have similar but not identical populations).
* Core20: NHS England Core20PLUS5 — people living in the 20% most deprived small areas
  nationally, i.e. IMD deciles 1 and 2.
* Inequality inside the area: small areas are put into *local* deprivation quintiles of
  the ICB (``phe_quantile`` method, :func:`ina.stats.quantiles.quantiles`, by IMD rank),
  and all-cause mortality is directly standardised (ESP2013, Dobson limits) per quintile,
  pooling every year of deaths, with the ratio of the most to the least deprived quintile.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ina.chapters._rates import standardised_rate_by_group
from ina.chapters.population import _distinct_from
from ina.errors import StatisticsError
from ina.stats.quantiles import quantiles

__all__ = [
    "CORE20_DECILES",
    "core20_by_group",
    "decile_distribution",
    "findings_core20",
    "findings_mortality",
    "findings_most_deprived",
    "local_quintiles",
    "mortality_by_quintile",
    "most_deprived_small_areas",
    "small_area_deprivation",
]

#: IMD deciles that make up Core20 (the 20% most deprived small areas in England).
CORE20_DECILES = (1, 2)
QUINTILE_LABELS = {
    1: "1 most deprived",
    2: "2",
    3: "3",
    4: "4",
    5: "5 least deprived",
}


def small_area_deprivation(
    population: pd.DataFrame, small_areas: pd.DataFrame, deprivation: pd.DataFrame
) -> pd.DataFrame:
    """One row per small area: names, geography, residents and national IMD rank/decile.

    ``population``: ``lsoa_code, sex, age, population``; ``small_areas``: the geography
    frame (``lsoa_code, lsoa_name, district_name, place_name`` ...); ``deprivation``:
    ``lsoa_code, imd_rank, imd_decile``. Every small area of ``small_areas`` must have an
    IMD value: a missing one means the lookup and the IoD edition disagree (LSOA 2011 vs
    2021), and a silent gap would bias every figure in the chapter.
    """
    residents = population.groupby("lsoa_code")["population"].sum().rename("population")
    frame = small_areas.merge(
        deprivation[["lsoa_code", "imd_rank", "imd_decile"]],
        on="lsoa_code",
        how="left",
        validate="1:1",
    )
    missing = frame["imd_decile"].isna()
    if missing.any():
        raise StatisticsError(
            f"{int(missing.sum())} small area(s) have no IMD decile, e.g. "
            f"{frame.loc[missing, 'lsoa_code'].iloc[0]}: the deprivation file does not "
            "match the small-area lookup (check both use LSOA 2021 codes)"
        )
    frame["population"] = frame["lsoa_code"].map(residents).fillna(0)
    frame["imd_rank"] = frame["imd_rank"].astype(int)
    frame["imd_decile"] = frame["imd_decile"].astype(int)
    frame["core20"] = frame["imd_decile"].isin(CORE20_DECILES)
    return frame


def decile_distribution(areas: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Share of each area's residents living in each national IMD decile.

    ``areas`` maps a name to its small-area frame (``imd_decile, population``). Returns
    ``area, imd_decile, population, percent, england_percent`` (10 in every decile),
    deciles 1–10 for every area, percentages summing to 100 per area.
    """
    rows = []
    for name, frame in areas.items():
        counts = frame.groupby("imd_decile")["population"].sum().reindex(range(1, 11), fill_value=0)
        total = counts.sum()
        if total <= 0:
            raise StatisticsError(f"decile_distribution: {name} has no residents")
        rows.append(
            pd.DataFrame(
                {
                    "area": name,
                    "imd_decile": np.arange(1, 11),
                    "population": counts.to_numpy(),
                    "percent": counts.to_numpy() / total * 100,
                    "england_percent": 10.0,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def core20_by_group(
    small_areas: pd.DataFrame,
    *,
    group_column: str,
    total_name: str,
    comparators: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Core20 residents by part of the area, then the area total and comparators.

    Returns ``name, population, core20_population, core20_percent, share_of_core20``:
    ``core20_percent`` is the share of the group's residents living in Core20 small
    areas; ``share_of_core20`` is the share of the *area's* Core20 residents who live in
    the group (where the Core20 population is concentrated). Groups are in descending
    order of Core20 percentage (omitted when the area has only one part); comparators
    have no share.
    """
    frame = small_areas.assign(
        _group=_distinct_from(
            small_areas[group_column].fillna("Not in a place"), total_name, group_column
        ),
        _core20=small_areas["population"].where(small_areas["core20"], 0),
    )

    def summarise(data: pd.DataFrame, key: str) -> pd.DataFrame:
        sums = data.groupby(key, sort=False)[["population", "_core20"]].sum()
        return pd.DataFrame(
            {
                "name": sums.index.astype(str),
                "population": sums["population"].to_numpy(),
                "core20_population": sums["_core20"].to_numpy(),
            }
        )

    parts = summarise(frame, "_group")
    total = summarise(frame.assign(_all=total_name), "_all")
    area_core20 = total["core20_population"].iloc[0]
    parts["share_of_core20"] = (
        parts["core20_population"] / area_core20 * 100 if area_core20 > 0 else 0.0
    )
    total["share_of_core20"] = 100.0 if area_core20 > 0 else 0.0
    rows = [parts, total] if len(parts) > 1 else [total]
    for name, data in (comparators or {}).items():
        comparator = data.assign(_core20=data["population"].where(data["core20"], 0))
        rows.append(summarise(comparator.assign(_all=name), "_all").assign(share_of_core20=np.nan))
    result = pd.concat(rows, ignore_index=True)
    result["core20_percent"] = result["core20_population"] / result["population"] * 100
    shown_parts = len(parts) if len(parts) > 1 else 0
    ordered = result.iloc[:shown_parts].sort_values(
        ["core20_percent", "name"], ascending=[False, True], kind="stable"
    )
    result = pd.concat([ordered, result.iloc[shown_parts:]], ignore_index=True)
    return result[["name", "population", "core20_population", "core20_percent", "share_of_core20"]]


def most_deprived_small_areas(small_areas: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` most deprived small areas of the area by national IMD rank.

    Returns ``lsoa_code, lsoa_name, district_name, place_name, population, imd_decile,
    imd_rank`` sorted from the most deprived (rank 1 is the most deprived in England).
    """
    columns = [
        "lsoa_code",
        "lsoa_name",
        "district_name",
        "place_name",
        "population",
        "imd_decile",
        "imd_rank",
    ]
    present = [column for column in columns if column in small_areas.columns]
    ordered = small_areas.sort_values(["imd_rank", "lsoa_code"], kind="stable")
    return ordered.head(n)[present].reset_index(drop=True)


def local_quintiles(icb_small_areas: pd.DataFrame) -> pd.DataFrame:
    """Put the ICB's small areas into local deprivation quintiles (1 = most deprived).

    Quintiles of the ICB's small areas by national IMD rank (``phe_quantile`` method via
    :func:`ina.stats.quantiles.quantiles`, lowest rank first), so each holds a fifth of
    the ICB's small areas. A place keeps the ICB's quintiles, so its figures compare with
    the ICB's. Returns ``lsoa_code, quintile``.
    """
    ranked = quantiles(
        icb_small_areas[["lsoa_code", "imd_rank"]],
        "imd_rank",
        n_quantiles=5,
        invert=False,
        quantile_column="quintile",
    )
    return ranked[["lsoa_code", "quintile"]].astype({"quintile": int})


def mortality_by_quintile(
    deaths: pd.DataFrame,
    population: pd.DataFrame,
    quintiles_by_lsoa: pd.DataFrame,
    *,
    years: int,
) -> pd.DataFrame:
    """All-cause mortality per 100,000 (ESP2013, Dobson 95% CI) by local IMD quintile.

    ``deaths``: record-level (``lsoa_code, age``) for the area over ``years`` years;
    ``population``: ``lsoa_code, age, population`` (one year; multiplied by ``years`` to
    give person-years); ``quintiles_by_lsoa``: from :func:`local_quintiles`. Deaths whose
    small area is not in the area are ignored. Returns ``quintile, label, deaths, dsr,
    dsr_lower, dsr_upper, ratio_to_least`` (the quintile's rate over quintile 5's);
    quintiles with no residents in the area are left out.
    """
    if years < 1:
        raise StatisticsError("mortality_by_quintile: years must be at least 1")
    lookup = quintiles_by_lsoa.set_index("lsoa_code")["quintile"]
    people = population.assign(quintile=population["lsoa_code"].map(lookup))
    people = people[people["quintile"].notna() & (people["population"] > 0)]
    present = sorted(people["quintile"].astype(int).unique())
    events = deaths.assign(quintile=deaths["lsoa_code"].map(lookup))
    events = events[events["quintile"].isin(present)]
    rates = standardised_rate_by_group(
        events.astype({"quintile": int}),
        people.astype({"quintile": int}),
        "quintile",
        person_years_multiplier=years,
    )
    rates = rates.set_index("quintile").reindex(present).reset_index()
    rates["events"] = rates["events"].fillna(0).astype(int)
    rates = rates.rename(columns={"events": "deaths"})
    rates.insert(1, "label", rates["quintile"].map(QUINTILE_LABELS))
    least = rates.loc[rates["quintile"] == 5, "dsr"]
    rates["ratio_to_least"] = rates["dsr"] / least.iloc[0] if len(least) else np.nan
    return rates


# --- key findings ------------------------------------------------------------------------


def findings_core20(table: pd.DataFrame, *, area_name: str) -> list[str]:
    """Key findings from :func:`core20_by_group` (area row, then the parts)."""
    rows = table.set_index("name")
    area = rows.loc[area_name]
    sentences = [
        f"{area['core20_population']:,.0f} residents of {area_name} "
        f"({area['core20_percent']:.1f}%) live in the 20% most deprived small areas of "
        "England (Core20), against 20% nationally."
    ]
    parts = table.iloc[: list(table["name"]).index(area_name)]
    if len(parts) > 1:
        top = parts.iloc[0]
        sentences.append(
            f"{top['name']} has the highest Core20 share ({top['core20_percent']:.1f}%) and "
            f"is home to {top['share_of_core20']:.1f}% of the area's Core20 residents."
        )
    return sentences


def findings_most_deprived(table: pd.DataFrame) -> list[str]:
    """Key findings from :func:`most_deprived_small_areas`."""
    if table.empty:
        return []
    first = table.iloc[0]
    in_decile_1 = int((table["imd_decile"] == 1).sum())
    return [
        f"The most deprived small area is {first['lsoa_name']}, ranked {first['imd_rank']:,} "
        "of England's small areas (1 = most deprived).",
        f"{in_decile_1} of the {len(table)} most deprived small areas shown are in England's "
        "most deprived 10%.",
    ]


def findings_mortality(table: pd.DataFrame) -> list[str]:
    """Key findings from :func:`mortality_by_quintile`: most against least deprived."""
    rows = table.set_index("quintile")
    if not {1, 5} <= set(rows.index) or rows.loc[[1, 5], "dsr"].isna().any():
        return [
            "Mortality cannot be compared between the most and least deprived quintiles here: "
            "one of them has too few residents or deaths in this area."
        ]
    most, least = rows.loc[1], rows.loc[5]
    separate = most["dsr_lower"] > least["dsr_upper"] or most["dsr_upper"] < least["dsr_lower"]
    verdict = (
        "a statistically significant difference (the 95% intervals do not overlap)"
        if separate
        else "the 95% intervals overlap, so the difference may be chance"
    )
    return [
        f"Age-standardised mortality is {most['dsr']:,.0f} per 100,000 in the most deprived "
        f"fifth of small areas and {least['dsr']:,.0f} in the least deprived: "
        f"{most['ratio_to_least']:.2f} times as high; {verdict}."
    ]
