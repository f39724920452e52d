"""Checks within one release: each published table is internally consistent.

Modelled on the checks ScotPHO's profiles tool runs before an indicator update and the
OHID Fingertips data-quality rules (an indicator value must lie within its confidence
interval; counts cannot be negative; parts must add up to the total they are shown with):

``interval`` (error)        every value with interval columns lies inside its interval
                            and lower <= upper, allowing for the rounding of the
                            published figures (half a unit in the last decimal place);
``percent-range`` (error)   percentages (and shares in per cent) lie within [0, 100];
``negative-count`` (error)  counts of people or events are not negative;
``zero-population`` (warning) a population count (registered patients, residents) is not
                            0: an area with people cannot have none, so a 0 means the
                            extract lacks the area's rows (the regions file given as
                            practice registrations once published 0 patients everywhere);
``parts-sum`` (warning)     in a table with a total row (``All ages``, ``Total``, or the
                            area's own name: the ICB over its places, a place over its
                            districts) the rows *above* the total add up to it, and in a
                            table with a total column (``total``, ``persons``) the other
                            count columns add up to it, within rounding. Rows below the
                            total row are comparators (England, the ICB in a place's
                            table) and are not parts. Additive columns are counts, and
                            percentage columns whose total is 100 (shares). A group with a
                            suppressed or blank part is skipped: its sum is unknowable.

Column roles are recognised from names (see :mod:`ina.quality._tables`); a column the
vocabulary does not recognise is not checked rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ina.quality._tables import (
    POPULATION_WORDS,
    TOTAL_COLUMN_NAMES,
    TOTAL_LABELS,
    PublishedTable,
    interval_columns,
    is_count_column,
    is_percent_column,
    name_tokens,
    normalised_name,
    rounding_tolerance,
)
from ina.quality.findings import combine_findings, table_findings


def _format(values: pd.Series, decimals: int) -> pd.Series:
    return values.map(lambda value: f"{value:.{decimals}f}")


def check_intervals(table: PublishedTable) -> list[pd.DataFrame]:
    """Errors for values outside their interval and for intervals with lower > upper."""
    found = []
    numbers = table.numbers
    for interval in interval_columns(list(table.text.columns)):
        if interval.lower not in numbers or interval.upper not in numbers:
            continue
        lower, upper = numbers[interval.lower], numbers[interval.upper]
        decimals = max(table.decimals[interval.lower], table.decimals[interval.upper])
        tolerance = 0.5 * 10.0**-decimals * (1 + 1e-9)
        reversed_ = lower > upper + tolerance
        if reversed_.any():
            keys = table.row_keys()[reversed_]
            found.append(
                table_findings(
                    table,
                    check="interval",
                    severity="error",
                    row_key=keys,
                    column=f"{interval.lower}, {interval.upper}",
                    new_value=table.text.loc[reversed_, interval.lower]
                    + " > "
                    + table.text.loc[reversed_, interval.upper],
                    message=f"lower limit {interval.lower} is above upper limit {interval.upper}",
                )
            )
        if interval.value is None or interval.value not in numbers:
            continue
        value = numbers[interval.value]
        value_tolerance = max(tolerance, 0.5 * table.unit(interval.value) * (1 + 1e-9))
        outside = ~reversed_ & (
            (value < lower - value_tolerance) | (value > upper + value_tolerance)
        )
        if outside.any():
            text = table.text.loc[outside]
            found.append(
                table_findings(
                    table,
                    check="interval",
                    severity="error",
                    row_key=table.row_keys()[outside],
                    column=interval.value,
                    new_value=text[interval.value],
                    message=f"{interval.value} "
                    + text[interval.value]
                    + " is outside its interval ["
                    + text[interval.lower]
                    + ", "
                    + text[interval.upper]
                    + f"] ({interval.lower}, {interval.upper})",
                )
            )
    return found


def check_ranges(table: PublishedTable) -> list[pd.DataFrame]:
    """Errors for percentages outside [0, 100] and for negative counts."""
    found = []
    for column in table.numbers.columns:
        values = table.numbers[column]
        tolerance = 0.5 * table.unit(column)
        if is_percent_column(column):
            bad = (values < -tolerance) | (values > 100 + tolerance)
            check, what = "percent-range", "a percentage outside [0, 100]"
        elif is_count_column(column):
            bad = values < 0
            check, what = "negative-count", "a negative count"
        else:
            continue
        if bad.any():
            found.append(
                table_findings(
                    table,
                    check=check,
                    severity="error",
                    row_key=table.row_keys()[bad],
                    column=column,
                    new_value=table.text.loc[bad, column],
                    message=f"{column} is {what}",
                )
            )
    return found


#: Words that may accompany a population word and still name everyone (not a subset).
_WHOLE = frozenset({"total", "all", "list", "size", "count", "number", "of", "people", "ages"})


def _whole_population(label: str) -> bool:
    """``registered``, ``Residents``, ``list size of registered patients``: everyone.

    A qualified population (``core20_population``, "patients with diabetes") is a subset
    that may truly be 0 (Mid Suffolk has no Core20 small area), so it is not flagged.
    """
    tokens = set(name_tokens(label))
    return bool(tokens & POPULATION_WORDS) and tokens <= POPULATION_WORDS | _WHOLE


def check_zero_populations(table: PublishedTable) -> list[pd.DataFrame]:
    """Warnings for a published 0 where a count of people living or registered is expected.

    A count is a population when its column is named so (``registered``, ``residents``,
    ``population``), when its ``<column>_measure`` cell says so (``indicators.csv``:
    ``denominator`` with ``denominator_measure`` "residents"), or when a key cell of its
    row does (``pop-registered.csv``: ``people`` on the row "Registered patients").
    Suppressed and blank cells are not 0 and are never flagged.
    """

    def is_population(text: pd.Series) -> pd.Series:
        # astype(bool): on an empty column pandas' map keeps the str dtype.
        return text.map(lambda cell: _whole_population(str(cell))).astype(bool)

    zeros = {
        column: zero
        for column in table.numbers.columns
        if is_count_column(column) and (zero := (table.numbers[column] == 0).fillna(False)).any()
    }
    if not zeros:
        return []  # most tables: no zero count, nothing to look up
    keyed = pd.Series(False, index=table.text.index)
    for key in table.key_columns:
        if set(name_tokens(key)) & {"name", "measure", "definition", "unit", "text"}:
            continue  # free text ("Registered patients with diabetes") says nothing of a 0
        keyed |= is_population(table.text[key])
    found = []
    for column, zero in zeros.items():
        population = keyed.copy()
        if _whole_population(column):
            population[:] = True
        measure = f"{column}_measure"
        if measure in table.text.columns:
            population |= is_population(table.text[measure])
        bad = zero & population
        if bad.any():
            found.append(
                table_findings(
                    table,
                    check="zero-population",
                    severity="warning",
                    row_key=table.row_keys()[bad],
                    column=column,
                    new_value=table.text.loc[bad, column],
                    message=f"{column} is 0 where a population count (registered patients, "
                    "residents) is expected to be positive: check that the extract has "
                    "this area's rows",
                )
            )
    return found


def _total_rows(
    table: PublishedTable, total_labels: frozenset[str]
) -> tuple[pd.Series, pd.Series, pd.Series] | None:
    """(group of each row, is-part mask, total row per group) or None without a total.

    The first key column holds the part labels and the total label; further key columns
    define groups (a long table has a total per year). The parts of a group are its rows
    *above* its first total row; rows below it are comparators. Rows are numbered
    0..n-1 as published (the frame's RangeIndex).
    """
    first = table.key_columns[0]
    is_total = table.text[first].str.strip().str.casefold().isin(total_labels)
    if not is_total.any():
        return None
    others = table.key_columns[1:]
    group = (
        table.text[others].astype(str).agg("\x1f".join, axis=1)
        if others
        else pd.Series("", index=table.text.index, dtype=str)
    )
    position = pd.Series(np.arange(len(table.text)), index=table.text.index)
    total_row = position[is_total].groupby(group[is_total]).min()
    is_part = ~is_total & (position < group.map(total_row).fillna(-1))
    return group, is_part, total_row


def check_total_rows(table: PublishedTable, area_name: str | None) -> list[pd.DataFrame]:
    """Warnings where the rows above a total row do not add up to it (within rounding)."""
    if table.text.empty or not table.key_columns:
        return []
    labels = set(TOTAL_LABELS)
    if area_name:
        labels.add(area_name.strip().casefold())
    grouping = _total_rows(table, frozenset(labels))
    if grouping is None:
        return []
    group, is_part, total_row = grouping
    part_count = is_part.groupby(group).sum().reindex(total_row.index, fill_value=0)
    total_row = total_row[part_count >= 2]  # one part equal to its total says nothing
    if total_row.empty:
        return []
    part_count = part_count.loc[total_row.index]
    found = []
    for column in table.numbers.columns:
        if column in table.key_columns:
            continue
        values = table.numbers[column]
        totals = pd.Series(values.iloc[total_row.to_numpy()].to_numpy(), index=total_row.index)
        if is_percent_column(column):
            # Only shares add up: a percentage column whose totals are all 100.
            present = totals.dropna()
            if present.empty or ((present - 100).abs() > 0.5 * table.unit(column)).any():
                continue
        elif not is_count_column(column):
            continue
        parts = values[is_part]
        sums = parts.groupby(group[is_part]).sum().reindex(total_row.index)
        unknown = (
            parts.isna().groupby(group[is_part]).any().reindex(total_row.index, fill_value=True)
        )
        tolerance = rounding_tolerance(table.unit(column), part_count.to_numpy())
        bad = ~unknown & totals.notna() & ((sums - totals).abs() > tolerance)
        if not bad.any():
            continue
        rows = table.text.index[total_row[bad].to_numpy()]
        sums_text = pd.Series(
            _format(sums[bad], table.decimals.get(column, 0)).to_numpy(), index=rows
        )
        counts_text = pd.Series(part_count[bad].astype(str).to_numpy(), index=rows)
        totals_text = table.text.loc[rows, column]
        found.append(
            table_findings(
                table,
                check="parts-sum",
                severity="warning",
                row_key=table.row_keys().loc[rows],
                column=column,
                previous_value=sums_text,
                new_value=totals_text,
                message="the "
                + counts_text
                + " rows above add up to "
                + sums_text
                + " but the total row shows "
                + totals_text,
            )
        )
    return found


def check_total_column(table: PublishedTable) -> list[pd.DataFrame]:
    """Warnings where the count columns of a row do not add up to its total column."""
    totals = [c for c in table.numbers.columns if normalised_name(c) in TOTAL_COLUMN_NAMES]
    if len(totals) != 1:
        return []
    total = totals[0]
    parts = [
        c
        for c in table.numbers.columns
        if c != total and c not in table.key_columns and is_count_column(c)
    ]
    if len(parts) < 2:
        return []
    values = table.numbers[parts]
    complete = values.notna().all(axis=1) & table.numbers[total].notna()
    unit = max(table.unit(c) for c in [*parts, total])
    sums = values.sum(axis=1)
    bad = complete & ((sums - table.numbers[total]).abs() > rounding_tolerance(unit, len(parts)))
    if not bad.any():
        return []
    sums_text = _format(sums[bad], max(table.decimals.get(c, 0) for c in parts))
    return [
        table_findings(
            table,
            check="parts-sum",
            severity="warning",
            row_key=table.row_keys()[bad],
            column=total,
            previous_value=sums_text,
            new_value=table.text.loc[bad, total],
            message=f"{', '.join(parts)} add up to "
            + sums_text
            + f" but {total} shows "
            + table.text.loc[bad, total],
        )
    ]


def check_table(table: PublishedTable, area_name: str | None = None) -> pd.DataFrame:
    """Every within-release check on one published table."""
    return combine_findings(
        [
            *check_intervals(table),
            *check_ranges(table),
            *check_zero_populations(table),
            *check_total_rows(table, area_name),
            *check_total_column(table),
        ]
    )


def check_tables(
    tables: Iterable[PublishedTable], area_names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Every within-release check on every table; ``area_names`` maps area id -> name."""
    names = area_names or {}
    return combine_findings([check_table(table, names.get(table.area)) for table in tables])
