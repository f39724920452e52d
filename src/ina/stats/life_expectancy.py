"""Period life expectancy from an abridged life table, for many areas at once.

Method
------
Chiang's method II abridged life table (Chiang 1984, *The Life Table and its
Applications*, ch. 2 and 8), with the variance of the final, open-ended age band taken
from Silcocks, Jenner & Reza (2001), "Life expectancy as a summary of mortality in a
population: statistical considerations and suitability for use by health authorities",
*J Epidemiol Community Health* 55:38-43. This is the method of Public Health England's
Life Expectancy Calculator and of PHEindicatormethods v2.1.0 ``phe_life_expectancy``,
whose published test vectors this module reproduces (to the 4 decimal places the R tests
compare).

For age band *i* starting at age ``x_i`` with width ``n_i``, deaths ``D_i`` and
person-years ``P_i``:

* ``M_i = D_i / P_i`` (age-specific death rate);
* ``a_i`` = fraction of the band lived by those who die in it: 0.1 for the first band
  (infants die mostly in the first weeks), 0.5 otherwise;
* ``q_i = min(1, n_i M_i / (1 + n_i (1 - a_i) M_i))``; ``q = 1`` for the open final band.
  The formula exceeds 1 exactly when ``a_i n_i M_i > 1`` (e.g. more than 40% of an
  85-89 band dying each year); such a ``q`` is capped at 1, as PHEindicatormethods v2.1.0
  does (its ``qi`` is 1 unless ``D_i <= P_i / n_i / a_i``);
* ``l_0 = 100000``, ``l_{i+1} = l_i (1 - q_i)``, ``d_i = l_i q_i``;
* ``L_i = n_i (l_{i+1} + a_i d_i)``; ``L_w = l_w / M_w`` for the open band;
* ``T_i = sum_{j >= i} L_j`` and ``e_i = T_i / l_i``, with ``e_i = 0`` where ``l_i = 0``
  (the bands after a capped one: nobody in the table lives to them), as the reference.

Variance (Chiang): ``var(q_i) = n_i^2 M_i (1 - a_i n_i M_i) / (P_i (1 + (1 - a_i) n_i M_i)^3)``
(``= q_i^2 (1 - q_i) / D_i``, the form the reference uses), which is 0 for a capped
band (``q_i = 1``) instead of the negative value the uncapped formula would give; and
``var(e_x) = [S_x + l_w^2 var(M_w) / M_w^4] / l_x^2`` where
``S_x = sum_{x <= i < w} l_i^2 ((1 - a_i) n_i + e_{i+1})^2 var(q_i)``, and
``var(M_w) = D_w / P_w^2`` (Silcocks et al.: the open band's contribution, which
Chiang's formula sets to zero; it vanishes with ``l_w`` when an earlier band is capped).
Where ``l_x = 0`` the variance is 0/0, so those ages get a value of 0 with NA limits,
as the reference returns them. Limits are ``e ± z sqrt(var(e))`` with the exact normal
quantile ``z`` (1.959964 for 95%); the reference's single-area test vectors were made with
``z = 1.96`` (the Excel calculator's constant), a difference below 1e-5 years that the
4-decimal comparison the R tests use cannot see.

The band widths are fixed by the method: 0, 1-4, 5-9, ..., 85-89 and 90+ (20 bands);
``age_contents`` only says how those 20 bands are labelled in the data (numbers such as
``0, 1, 5, ...`` or text such as ``"0", "1-4", ...``) and in which order.

Suppression follows the reference package: a group with negative deaths, a zero (or
negative) population, more deaths than population in any band, or a missing, repeated or
unexpected age band, or an ``age_contents`` that does not describe 20 bands, gets no life
expectancy at all (NA, with a warning naming it); so does a group whose total population
is 5,000 person-years or fewer (too small for a stable life table). Where the 95%
interval is wider than 20 years the value is withheld but the
limits are still published, as Fingertips does. A band death rate so high that the
probability of dying would exceed 1 is *not* a reason for NA: the probability is capped
at 1 (above), as in the reference, silently as there. A group with no deaths in the open
final band has an infinite life expectancy under this method; it is treated like the
other unusable groups (NA with a warning), where the reference returns no usable result
(infinite values shown as NA, non-finite limits) without saying why.

Everything is computed on ``groups × age bands`` numpy arrays, so 1,000 areas cost one
pass, not 1,000.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ina.errors import StatisticsError
from ina.stats._confidence import (
    ConfidenceLike,
    GroupBy,
    confidence_label,
    group_keys,
    interval_columns,
    normalise_confidence,
    require_columns,
    z_value,
)

#: The reference age bands: 0, 1-4, 5-9, ..., 85-89, 90+ (start ages). The method fixes
#: these widths; ``age_contents`` relabels them but cannot change them.
STANDARD_START_AGES: tuple[int, ...] = (0, 1, 5, *range(10, 95, 5))
DEFAULT_AGE_CONTENTS: tuple[int, ...] = STANDARD_START_AGES
#: Radix of the life table: the notional cohort size at the first age.
RADIX = 100_000.0
#: Fraction of the first year of life lived by infants who die (Chiang; PHE calculator).
INFANT_SEPARATION_FACTOR = 0.1
#: Fraction of the band lived by those who die in it, for every band after the first.
SEPARATION_FACTOR = 0.5
#: A group with total population at or below this many person-years gets no value.
MIN_TOTAL_POPULATION = 5_000.0
#: The value is withheld where the 95% interval is wider than this many years.
MAX_CI_WIDTH_YEARS = 20.0
#: The reference applies the width rule to the 95% interval whatever levels are requested.
WIDTH_RULE_CONFIDENCE = 0.95

METHOD = "Chiang, using Silcocks et al for confidence limits"
#: The :func:`usable_groups` rule for a band whose probability of dying would exceed 1.
#: :func:`life_expectancy` does not apply it (it caps the probability at 1, as the
#: reference); the gap decomposition does, since its formulas divide by survivors.
PROBABILITY_ABOVE_ONE_RULE = (
    "a death rate too high for the life table (probability of dying above 1)"
)


@dataclass(frozen=True)
class LifeTable:
    """An abridged life table for ``G`` groups and ``B`` age bands (arrays are ``G × B``).

    Rows of a group that is unusable (see :func:`usable_groups`) contain NaN or inf; use
    the ``usable`` mask before reading them. In a group with a capped band (``q = 1``)
    the later bands have ``survivors`` 0, ``life_expectancy`` 0 and ``variance`` NaN.
    """

    start_ages: np.ndarray  # (B,)
    widths: np.ndarray  # (B,), NaN for the open final band
    separation: np.ndarray  # (B,) a_i
    deaths: np.ndarray
    population: np.ndarray
    death_rate: np.ndarray  # M
    probability_of_dying: np.ndarray  # q, capped at 1
    survivors: np.ndarray  # l
    deaths_in_table: np.ndarray  # d
    person_years: np.ndarray  # L
    person_years_remaining: np.ndarray  # T
    life_expectancy: np.ndarray  # e
    variance: np.ndarray  # var(e)


def abridged_life_table(
    deaths: np.ndarray, population: np.ndarray, start_ages: Sequence[float]
) -> LifeTable:
    """Chiang II abridged life table with Silcocks et al. (2001) variance, vectorised.

    Probabilities of dying above 1 are set to 1 (PHEindicatormethods v2.1.0), with no
    variance from that band; see the module docstring. ``deaths`` and ``population`` are
    ``G × B`` arrays (one row per group, one column per age band in ``start_ages``
    order; the last band is open-ended). No validation is done
    here: callers screen groups with :func:`usable_groups` first, and rows that fail it
    simply contain NaN/inf (numpy warnings are silenced for them).
    """
    deaths = np.atleast_2d(np.asarray(deaths, dtype=float))
    population = np.atleast_2d(np.asarray(population, dtype=float))
    ages = np.asarray(start_ages, dtype=float)
    n_bands = ages.size
    if deaths.shape != population.shape or deaths.shape[1] != n_bands:
        raise StatisticsError(
            f"deaths {deaths.shape} and population {population.shape} must both be "
            f"groups × {n_bands} age bands"
        )
    widths = np.append(np.diff(ages), np.nan)
    separation = np.full(n_bands, SEPARATION_FACTOR)
    separation[0] = INFANT_SEPARATION_FACTOR
    n, a = widths[:-1], separation[:-1]

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rate = deaths / population
        closed_rate = rate[:, :-1]
        q = np.ones_like(rate)
        # Above 1 exactly when a n M > 1; capped at 1 as the reference does.
        q[:, :-1] = np.minimum(n * closed_rate / (1 + n * (1 - a) * closed_rate), 1.0)
        survivors = RADIX * np.cumprod(
            np.concatenate([np.ones((rate.shape[0], 1)), 1 - q[:, :-1]], axis=1), axis=1
        )
        died = survivors * q
        person_years = np.empty_like(rate)
        person_years[:, :-1] = n * (survivors[:, 1:] + a * died[:, :-1])
        person_years[:, -1] = survivors[:, -1] / rate[:, -1]
        remaining = np.cumsum(person_years[:, ::-1], axis=1)[:, ::-1]
        # After a capped band nobody survives: e = 0 there, as the reference.
        expectancy = np.where(survivors == 0, 0.0, remaining / survivors)

        variance_q = np.where(
            q[:, :-1] >= 1,
            0.0,  # q = 1 is certain: q^2 (1 - q) / D = 0
            n**2
            * closed_rate
            * (1 - a * n * closed_rate)
            / (population[:, :-1] * (1 + (1 - a) * n * closed_rate) ** 3),
        )
        terms = np.empty_like(rate)
        terms[:, :-1] = survivors[:, :-1] ** 2 * ((1 - a) * n + expectancy[:, 1:]) ** 2 * variance_q
        # Silcocks et al.: the open band adds l_w^2 var(1/M_w) = l_w^2 var(M_w) / M_w^4.
        open_rate_variance = deaths[:, -1] / population[:, -1] ** 2
        terms[:, -1] = survivors[:, -1] ** 2 * open_rate_variance / rate[:, -1] ** 4
        variance = np.cumsum(terms[:, ::-1], axis=1)[:, ::-1] / survivors**2

    return LifeTable(
        start_ages=ages,
        widths=widths,
        separation=separation,
        deaths=deaths,
        population=population,
        death_rate=rate,
        probability_of_dying=q,
        survivors=survivors,
        deaths_in_table=died,
        person_years=person_years,
        person_years_remaining=remaining,
        life_expectancy=expectancy,
        variance=variance,
    )


def usable_groups(
    deaths: np.ndarray,
    population: np.ndarray,
    start_ages: Sequence[float] = STANDARD_START_AGES,
) -> dict[str, np.ndarray]:
    """Return boolean masks (length ``G``) of groups failing each rule; keys name the rule.

    The reference's rules (missing values, negative deaths, zero or negative population,
    deaths exceeding population, total population of 5,000 or fewer), no deaths in the
    open band (infinite expectancy), and :data:`PROBABILITY_ABOVE_ONE_RULE`: a band where
    ``a_i n_i M_i > 1``, i.e. a death rate so high that the uncapped probability of dying
    exceeds 1 (e.g. 85-89 with more than 40% dying each year). :func:`life_expectancy`
    ignores that last mask, because it caps the probability at 1 as PHEindicatormethods
    does; it is reported for callers whose formulas need survivors at every age (the
    Arriaga decomposition divides by them).
    """
    deaths = np.atleast_2d(np.asarray(deaths, dtype=float))
    population = np.atleast_2d(np.asarray(population, dtype=float))
    ages = np.asarray(start_ages, dtype=float)
    widths = np.diff(ages)
    separation = np.full(widths.size, SEPARATION_FACTOR)
    separation[0] = INFANT_SEPARATION_FACTOR
    missing = np.isnan(deaths).any(axis=1) | np.isnan(population).any(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        closed_rate = deaths[:, :-1] / population[:, :-1]
        if closed_rate.shape[1] == widths.size:
            too_high = (separation * widths * closed_rate > 1).any(axis=1)
        else:  # not a life table's shape; the caller reports that instead
            too_high = np.zeros(deaths.shape[0], dtype=bool)
        return {
            "missing deaths or population": missing,
            "negative deaths": (deaths < 0).any(axis=1),
            "zero or negative population in an age band": (population <= 0).any(axis=1),
            "more deaths than population in an age band": (deaths > population).any(axis=1),
            "no deaths in the final, open age band": deaths[:, -1] == 0,
            PROBABILITY_ABOVE_ONE_RULE: too_high,
            f"total population of {MIN_TOTAL_POPULATION:,.0f} or fewer person-years": (
                ~missing & (np.nansum(population, axis=1) <= MIN_TOTAL_POPULATION)
            ),
        }


def _numeric(data: pd.DataFrame, column: str) -> np.ndarray:
    """Read a column as float, raising (not coercing to NaN) when it holds text."""
    series = data[column]
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        first = series[bad].iloc[0]
        raise StatisticsError(f"column {column!r} must be numeric; found {first!r}")
    return converted.to_numpy(dtype=float)


@dataclass(frozen=True)
class GroupedBands:
    """Input rows placed on a ``groups × bands`` grid (shared with the decomposition)."""

    keys: pd.DataFrame  # one row per group (group_by columns), in output order
    group_of_row: np.ndarray  # (rows,) group index of each input row
    band_of_row: np.ndarray  # (rows,) band index, -1 for labels not in age_contents
    deaths: np.ndarray  # (G, B), NaN where a band is missing
    population: np.ndarray  # (G, B)
    structure_problems: dict[str, np.ndarray]  # masks (G,)


def place_on_grid(
    data: pd.DataFrame,
    deaths: str,
    population: str,
    start_age: str,
    group_by: Sequence[str],
    age_contents: Sequence[object],
) -> GroupedBands:
    """Put tidy rows onto a ``groups × age bands`` grid and flag structural problems.

    ``age_contents`` lists the band labels in ascending age order. Groups are in order of
    first appearance, as elsewhere in :mod:`ina.stats`. A group with a band missing, repeated, or
    labelled with something not in ``age_contents`` is flagged, not raised: the reference
    returns NA for such a group and carries on with the others.
    """
    labels = pd.Index(list(age_contents))
    if labels.size < 2 or labels.has_duplicates:
        raise StatisticsError(
            f"age_contents must list at least two distinct age band labels, got "
            f"{list(age_contents)!r}"
        )
    band = labels.get_indexer(data[start_age].to_numpy())
    if group_by:
        grouped = data.groupby(list(group_by), sort=False, dropna=False)
        group = grouped.ngroup().to_numpy()
        keys = grouped.size().reset_index()[list(group_by)]
    else:
        group = np.zeros(len(data), dtype=int)
        keys = pd.DataFrame(index=[0])
    n_groups, n_bands = len(keys), labels.size

    known = band >= 0
    counts = np.zeros((n_groups, n_bands), dtype=int)
    np.add.at(counts, (group[known], band[known]), 1)
    unexpected = np.bincount(group[~known], minlength=n_groups) > 0
    grid_deaths = np.full((n_groups, n_bands), np.nan)
    grid_population = np.full((n_groups, n_bands), np.nan)
    grid_deaths[group[known], band[known]] = _numeric(data, deaths)[known]
    grid_population[group[known], band[known]] = _numeric(data, population)[known]
    problems = {
        "an age band missing": (counts == 0).any(axis=1),
        "an age band repeated": (counts > 1).any(axis=1),
        "an age band label not in age_contents": unexpected,
    }
    return GroupedBands(keys, group, band, grid_deaths, grid_population, problems)


def _describe(keys: pd.DataFrame, mask: np.ndarray) -> str:
    chosen = keys.loc[mask]
    if chosen.shape[1] == 0:
        return "the data"
    labels = [", ".join(map(str, row)) for row in chosen.itertuples(index=False)]
    shown = "; ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
    return f"group(s) {shown}"


def warn_unusable(keys: pd.DataFrame, problems: dict[str, np.ndarray], stacklevel: int) -> None:
    """Issue one warning per rule that suppressed any group, naming the groups."""
    for rule, mask in problems.items():
        if mask.any():
            warnings.warn(
                f"life expectancy set to NA for {_describe(keys, mask)}: {rule}",
                UserWarning,
                stacklevel=stacklevel,
            )


def life_expectancy(
    data: pd.DataFrame,
    deaths: str,
    population: str,
    start_age: str,
    *,
    group_by: GroupBy = None,
    age_contents: Sequence[object] = DEFAULT_AGE_CONTENTS,
    le_age: object = "all",
    confidence: ConfidenceLike = 0.95,
    full_output: bool = False,
) -> pd.DataFrame:
    """Life expectancy at each start age, with confidence limits, for every group.

    Method: Chiang II abridged life table (Chiang 1984) with the Silcocks, Jenner & Reza
    (2001) variance for the open final band; suppression as PHEindicatormethods v2.1.0
    ``phe_life_expectancy`` (see the module docstring for formulas and rules). As there,
    a probability of dying above 1 is capped at 1, not suppressed: that band adds no
    variance, and the ages after it get a value of 0 with NA limits (nobody survives to
    them in the table).

    Parameters
    ----------
    data:
        Tidy frame: one row per group and age band.
    deaths, population, start_age:
        Column names: deaths in the band, person-years (mid-year population × years) in
        the band, and the band's label (values from ``age_contents``).
    group_by:
        Column(s) identifying groups (areas, sexes, years); ``None`` for one group.
    age_contents:
        Labels of the 20 bands 0, 1-4, 5-9, ..., 90+ in ascending age order, as they
        appear in ``start_age`` (default the start ages 0, 1, 5, ..., 90).
    le_age:
        ``"all"`` for every band, or the label(s) of the band(s) to report.
    confidence:
        One level (0.95, 95, 99.8, ...) giving ``lowercl``/``uppercl``, or several (e.g.
        ``(0.95, 0.998)``) giving ``lower95_0cl``, ``upper99_8cl``, ...
    full_output:
        Also return ``pops_used`` and ``dths_used`` (population and deaths from that age
        up) and ``confidence``, ``statistic`` and ``method`` columns.

    Returns
    -------
    One row per group and reported age: the group columns, ``start_age``, ``deaths``,
    ``population``, ``value`` and the interval columns. Groups are in order of first
    appearance and ages ascending. (The R package puts suppressed groups after valid
    ones; we keep the input's group order.)

    Raises
    ------
    StatisticsError
        Missing or non-numeric columns, bad ``age_contents``/``le_age``/``confidence``.
    """
    group_columns = group_keys(group_by)
    require_columns(data, [deaths, population, start_age, *group_columns], "life_expectancy")
    levels = normalise_confidence(confidence)
    if not levels:
        raise StatisticsError("confidence must name at least one level for life expectancy")
    labels = pd.Index(list(age_contents))
    if isinstance(le_age, str) and le_age == "all":
        report_bands = np.arange(labels.size)
    else:
        wanted = list(le_age) if isinstance(le_age, list | tuple | np.ndarray) else [le_age]
        report_bands = labels.get_indexer(wanted)
        if (report_bands < 0).any():
            absent = [w for w, i in zip(wanted, report_bands, strict=True) if i < 0]
            raise StatisticsError(
                f"le_age must be 'all' or labels from age_contents {list(labels)}; got {absent!r}"
            )

    grid = place_on_grid(data, deaths, population, start_age, group_columns, labels)
    n_groups = len(grid.keys)
    # A group with a band missing would also show "missing deaths"; report one cause.
    misshapen = np.logical_or.reduce(list(grid.structure_problems.values()))
    value_problems = usable_groups(grid.deaths, grid.population)
    # Not a reason for NA here: the life table caps q at 1, as the reference does.
    value_problems.pop(PROBABILITY_ABOVE_ONE_RULE)
    problems = {
        **grid.structure_problems,
        **{rule: mask & ~misshapen for rule, mask in value_problems.items()},
    }
    standard = len(STANDARD_START_AGES)
    if labels.size != standard:
        # The reference accepts such a call but returns NA for every group.
        problems = {
            f"age_contents describes {labels.size} age bands; the method needs the "
            f"{standard} bands 0, 1-4, 5-9, ..., 85-89, 90+": np.ones(n_groups, dtype=bool)
        }
        life_table_values = np.full((n_groups, labels.size), np.nan)
        life_table_variance = life_table_values
    else:
        table = abridged_life_table(grid.deaths, grid.population, STANDARD_START_AGES)
        life_table_values, life_table_variance = table.life_expectancy, table.variance
    unusable = np.logical_or.reduce(list(problems.values()))
    warn_unusable(grid.keys, problems, stacklevel=2)

    value = np.where(unusable[:, None], np.nan, life_table_values)
    with np.errstate(invalid="ignore"):
        standard_error = np.where(unusable[:, None], np.nan, np.sqrt(life_table_variance))
    width_95 = 2 * z_value(WIDTH_RULE_CONFIDENCE) * standard_error
    too_wide = width_95 > MAX_CI_WIDTH_YEARS
    if too_wide.any():
        warnings.warn(
            f"life expectancy withheld (limits still given) for {int(too_wide.sum())} "
            f"group-age(s) whose 95% interval is wider than {MAX_CI_WIDTH_YEARS:g} years",
            UserWarning,
            stacklevel=2,
        )

    # Output rows: the input rows whose band is reported (plus, for "all", rows with an
    # unknown label, shown as NA), in group then age order.
    row_group, row_band = grid.group_of_row, grid.band_of_row
    keep = np.isin(row_band, report_bands)
    if isinstance(le_age, str):
        keep |= row_band < 0
    order = np.lexsort((row_band[keep], row_group[keep]))
    rows = np.flatnonzero(keep)[order]
    output = data.iloc[rows][[*group_columns, start_age, deaths, population]].reset_index(drop=True)
    g, b = row_group[rows], row_band[rows]
    in_table = b >= 0
    b_safe = np.where(in_table, b, 0)

    def pick(array: np.ndarray) -> np.ndarray:
        return np.where(in_table, array[g, b_safe], np.nan)

    centre, se = pick(value), pick(standard_error)
    output["value"] = np.where(pick(too_wide.astype(float)) == 1, np.nan, centre)
    for level, (lower, upper) in zip(levels, interval_columns(levels), strict=True):
        z = z_value(level)
        output[lower] = centre - z * se
        output[upper] = centre + z * se
    if full_output:
        output["pops_used"] = pick(np.cumsum(grid.population[:, ::-1], axis=1)[:, ::-1])
        output["dths_used"] = pick(np.cumsum(grid.deaths[:, ::-1], axis=1)[:, ::-1])
        output["confidence"] = confidence_label(levels)
        output["statistic"] = [
            f"life expectancy at {labels[i]}" if ok else "life expectancy"
            for i, ok in zip(b_safe, in_table, strict=True)
        ]
        output["method"] = METHOD
    return output
