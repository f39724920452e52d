"""Which ages and causes of death make up a life expectancy gap (Arriaga decomposition).

Method
------
Arriaga (1984), "Measuring and explaining the change in life expectancies",
*Demography* 21(1):83-96, with the cause-of-death extension of Arriaga (1989) / Preston,
Heuveline & Guillot (2001, *Demography*, §3.8): the method of OHID's Segment Tool, which
breaks the gap in life expectancy at birth between, e.g., the most and least deprived
quintiles of an area into ages and causes (the JFP's figure 6).

Both populations get the same abridged life table as :mod:`ina.stats.life_expectancy`
(Chiang II, bands 0, 1-4, ..., 90+). With ``1`` the *comparison* population (e.g. most
deprived) and ``2`` the *reference* population (e.g. least deprived), the gap
``e_0^2 - e_0^1`` is the sum over age bands of

* closed band ``[x, x+n)``: ``Δ_x = l_x^1/l_0 (L_x^2/l_x^2 - L_x^1/l_x^1)``
  ``+ T_{x+n}^2/l_0 (l_x^1/l_x^2 - l_{x+n}^1/l_{x+n}^2)``
  (the direct effect of the band's mortality plus the indirect effect on later years);
* open band ``w``: ``Δ_w = l_w^1/l_0 (T_w^2/l_w^2 - T_w^1/l_w^1)``.

The sum is exact (no residual), so the age components add up to the gap. Each band's
``Δ_x`` is then shared between causes in proportion to the difference in cause-specific
death rates, ``Δ_{x,c} = Δ_x (M_{x,c}^1 - M_{x,c}^2) / (M_x^1 - M_x^2)``: a cause with more
deaths per person in the comparison population contributes positively to the gap. The
causes must partition all deaths (include an "other causes" row), so the shares add up to
1 and the cause components also add up exactly to the gap. Where the two all-cause rates
in a band are equal to working precision the share is undefined; such a band's (tiny)
contribution is shared in proportion to the two populations' combined deaths by cause.

Unlike :func:`~ina.stats.life_expectancy.life_expectancy`, which publishes NA for small
or malformed areas as Fingertips does, a decomposition of an unusable life table is not
meaningful, so bad input raises :class:`~ina.errors.StatisticsError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ina.errors import StatisticsError
from ina.stats._confidence import GroupBy, group_keys, require_columns
from ina.stats.life_expectancy import (
    DEFAULT_AGE_CONTENTS,
    STANDARD_START_AGES,
    LifeTable,
    abridged_life_table,
    place_on_grid,
    usable_groups,
)

__all__ = ["GapDecomposition", "arriaga_age_components", "life_expectancy_gap_by_cause"]

#: Relative size below which an all-cause rate difference counts as zero.
EQUAL_RATES_TOLERANCE = 1e-12
#: The 5,000 person-year rule is a publication rule for single areas, not a validity rule.
_PUBLICATION_ONLY_RULES = ("or fewer person-years",)


@dataclass(frozen=True)
class GapDecomposition:
    """Result of :func:`life_expectancy_gap_by_cause`; every table is tidy.

    * ``summary``: per group, ``le_reference``, ``le_comparison`` and ``gap``
      (reference minus comparison, years);
    * ``by_age``: per group and age band, ``contribution`` (years; sums to ``gap``);
    * ``by_age_and_cause``: per group, age band and cause, ``contribution``;
    * ``by_cause``: per group and cause, ``contribution`` summed over ages (sums to ``gap``).
    """

    summary: pd.DataFrame
    by_age: pd.DataFrame
    by_age_and_cause: pd.DataFrame | None
    by_cause: pd.DataFrame | None


def arriaga_age_components(comparison: LifeTable, reference: LifeTable) -> np.ndarray:
    """Arriaga (1984) age components of ``e_0(reference) - e_0(comparison)``, ``G × B``.

    Both tables must have the same shape and radix. Row sums equal the gap exactly (up
    to floating point), because the formula telescopes.
    """
    l1, l2 = comparison.survivors, reference.survivors
    big_l1, big_l2 = comparison.person_years, reference.person_years
    t2 = reference.person_years_remaining
    radix = l1[:, :1]
    components = np.empty_like(l1)
    direct = l1[:, :-1] / radix * (big_l2[:, :-1] / l2[:, :-1] - big_l1[:, :-1] / l1[:, :-1])
    indirect = t2[:, 1:] / radix * (l1[:, :-1] / l2[:, :-1] - l1[:, 1:] / l2[:, 1:])
    components[:, :-1] = direct + indirect
    components[:, -1] = (
        l1[:, -1]
        / radix[:, 0]
        * (t2[:, -1] / l2[:, -1] - comparison.person_years_remaining[:, -1] / l1[:, -1])
    )
    return components


def _check_usable(
    deaths: np.ndarray,
    population: np.ndarray,
    structure: dict[str, np.ndarray],
    names: list[str],
    side: str,
) -> None:
    problems = {**structure, **usable_groups(deaths, population)}
    for rule, mask in problems.items():
        if any(fragment in rule for fragment in _PUBLICATION_ONLY_RULES):
            continue
        if mask.any():
            shown = ", ".join(names[i] for i in np.flatnonzero(mask)[:5])
            raise StatisticsError(
                f"cannot decompose the life expectancy gap: {side} population of {shown} has {rule}"
            )


def life_expectancy_gap_by_cause(
    data: pd.DataFrame,
    deaths: str,
    population: str,
    start_age: str,
    *,
    compare: str,
    reference: object,
    comparison: object,
    cause: str | None = None,
    group_by: GroupBy = None,
    age_contents: Sequence[object] = DEFAULT_AGE_CONTENTS,
) -> GapDecomposition:
    """Decompose the life expectancy gap at birth by age band and cause (Arriaga 1984).

    Method: Arriaga (1984) age decomposition, causes allocated in proportion to the
    difference in cause-specific death rates (Arriaga 1989; Preston et al. 2001), on the
    Chiang II life table of :mod:`ina.stats.life_expectancy`; as OHID's Segment Tool.

    Parameters
    ----------
    data:
        Tidy frame: one row per group, population (``compare`` value), age band and, if
        ``cause`` is given, cause of death. The population column repeats the band's
        person-years on every cause row; causes must cover all deaths.
    deaths, population, start_age:
        Column names, as for :func:`~ina.stats.life_expectancy.life_expectancy`.
    compare, reference, comparison:
        The column telling the two populations apart and its two values, e.g.
        ``compare="quintile", reference="Least deprived", comparison="Most deprived"``.
        The gap is ``LE(reference) - LE(comparison)``.
    cause:
        Column with the cause of death; ``None`` for the age decomposition only.
    group_by:
        Columns for separate decompositions (e.g. sex, area); order of first appearance.
    age_contents:
        Labels of the 20 bands 0, 1-4, ..., 90+ as they appear in ``start_age``.

    Raises
    ------
    StatisticsError
        Missing columns or populations, either population's table unusable (negative or
        missing deaths, zero population, more deaths than population, no deaths at 90+,
        missing or repeated bands), populations differing between cause rows, or a
        ``reference``/``comparison`` value absent from a group.
    """
    keys = group_keys(group_by)
    cause_columns = [cause] if cause is not None else []
    require_columns(
        data,
        [deaths, population, start_age, compare, *keys, *cause_columns],
        "life_expectancy_gap_by_cause",
    )
    labels = list(age_contents)
    if len(labels) != len(STANDARD_START_AGES):
        raise StatisticsError(
            f"age_contents must label the {len(STANDARD_START_AGES)} bands 0, 1-4, ..., 90+; "
            f"got {len(labels)} labels"
        )
    if reference == comparison:
        raise StatisticsError("reference and comparison must be different populations")
    sides = data[data[compare].isin([reference, comparison])]
    outer = (
        sides.groupby(keys, sort=False, dropna=False).size().reset_index()[keys]
        if keys
        else pd.DataFrame(index=[0])
    )
    names = (
        [", ".join(map(str, row)) for row in outer.itertuples(index=False)]
        if keys
        else ["the data"]
    )

    # All-cause totals per group, side and band (one row per band), checking that the
    # population is the same on every cause row of a band.
    band_keys = [*keys, compare, start_age]
    grouped = sides.groupby(band_keys, sort=False, dropna=False)
    population_spread = grouped[population].agg(["min", "max"])
    inconsistent = population_spread["min"] != population_spread["max"]
    if inconsistent.any():
        raise StatisticsError(
            f"column {population!r} differs between cause rows of the same band "
            f"({dict(zip(band_keys, inconsistent[inconsistent].index[0], strict=True))})"
        )
    totals = grouped.agg(
        **{deaths: (deaths, lambda s: s.sum(min_count=1)), population: (population, "first")}
    ).reset_index()

    tables: dict[str, LifeTable] = {}
    for side, label in (("reference", reference), ("comparison", comparison)):
        part = totals[totals[compare] == label]
        aligned = outer.merge(part, on=keys, how="left") if keys else part
        if keys and aligned[start_age].isna().any():
            missing_at = aligned.loc[aligned[start_age].isna(), keys].iloc[0].tolist()
            raise StatisticsError(f"{compare}={label!r} has no rows for group {missing_at}")
        if not keys and part.empty:
            raise StatisticsError(f"{compare}={label!r} has no rows")
        # ``aligned`` follows ``outer``'s order, so grid rows are the groups in order.
        grid = place_on_grid(aligned, deaths, population, start_age, keys, labels)
        deaths_grid, population_grid = grid.deaths, grid.population
        structure = grid.structure_problems
        _check_usable(deaths_grid, population_grid, structure, names, f"{compare}={label!r}")
        tables[side] = abridged_life_table(deaths_grid, population_grid, STANDARD_START_AGES)

    components = arriaga_age_components(tables["comparison"], tables["reference"])
    le_reference = tables["reference"].life_expectancy[:, 0]
    le_comparison = tables["comparison"].life_expectancy[:, 0]
    summary = outer.copy()
    summary["le_reference"] = le_reference
    summary["le_comparison"] = le_comparison
    summary["gap"] = le_reference - le_comparison

    n_groups, n_bands = components.shape
    repeat_outer = outer.loc[outer.index.repeat(n_bands)].reset_index(drop=True)
    by_age = repeat_outer.assign(**{start_age: np.tile(labels, n_groups)})
    by_age["contribution"] = components.ravel()
    if cause is None:
        return GapDecomposition(summary, by_age, None, None)

    by_age_and_cause = _allocate_to_causes(
        sides,
        components,
        tables,
        outer,
        keys,
        compare,
        reference,
        comparison,
        cause,
        deaths,
        start_age,
        labels,
    )
    by_cause = (
        by_age_and_cause.groupby([*keys, cause], sort=False, dropna=False)["contribution"]
        .sum()
        .reset_index()
    )
    return GapDecomposition(summary, by_age, by_age_and_cause, by_cause)


def _allocate_to_causes(
    sides: pd.DataFrame,
    components: np.ndarray,
    tables: dict[str, LifeTable],
    outer: pd.DataFrame,
    keys: list[str],
    compare: str,
    reference: object,
    comparison: object,
    cause: str,
    deaths: str,
    start_age: str,
    labels: list[object],
) -> pd.DataFrame:
    """Share each band's Arriaga component between causes (rate-difference shares)."""
    causes = pd.Index(pd.unique(sides[cause]))
    n_groups, n_bands = components.shape
    group_index = (
        sides[keys]
        .merge(outer.assign(_g=np.arange(len(outer))), on=keys, how="left")["_g"]
        .to_numpy()
        if keys
        else np.zeros(len(sides), dtype=int)
    )
    band_index = pd.Index(labels).get_indexer(sides[start_age].to_numpy())
    cause_index = causes.get_indexer(sides[cause].to_numpy())
    cause_deaths = pd.to_numeric(sides[deaths], errors="coerce").fillna(0).to_numpy(float)
    if (cause_deaths < 0).any():
        raise StatisticsError(f"column {deaths!r} has negative deaths for a cause")
    is_reference = (sides[compare] == reference).to_numpy()
    grids = {}
    for side, mask in (("reference", is_reference), ("comparison", ~is_reference)):
        grid = np.zeros((n_groups, n_bands, causes.size))
        np.add.at(
            grid, (group_index[mask], band_index[mask], cause_index[mask]), cause_deaths[mask]
        )
        grids[side] = grid / tables[side].population[:, :, None]
    rate_difference = grids["comparison"] - grids["reference"]
    total_difference = rate_difference.sum(axis=2, keepdims=True)
    scale = np.abs(rate_difference).sum(axis=2, keepdims=True)
    equal = np.abs(total_difference) <= EQUAL_RATES_TOLERANCE * np.maximum(scale, 1e-300)
    combined = grids["comparison"] + grids["reference"]
    combined_total = combined.sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(
            equal,
            np.where(combined_total > 0, combined / combined_total, 1 / causes.size),
            rate_difference / total_difference,
        )
    contribution = components[:, :, None] * share
    repeat_outer = outer.loc[outer.index.repeat(n_bands * causes.size)].reset_index(drop=True)
    return repeat_outer.assign(
        **{
            start_age: np.tile(np.repeat(labels, causes.size), n_groups),
            cause: np.tile(causes.to_numpy(), n_groups * n_bands),
            "contribution": contribution.ravel(),
        }
    )
