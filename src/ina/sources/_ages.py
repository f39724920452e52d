"""Single-year-of-age columns (``F0``..``F90``, ``0``..``90``) to a long table, vectorised.

ONS publishes population by age as one column per year of age; the tidy contract wants
one row per area, sex and age. Both SAPE and MYE2 share the checks (every age from 0 to
the open top band present exactly once) and the reshape (``numpy.repeat``/``tile`` of the
validated count matrix, no melt over text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ina.errors import InputError
from ina.sources import _checks as check
from ina.sources._base import RawTable


def age_columns(table: RawTable, prefix: str, top: int, *, open_top: str = "") -> list[str]:
    """The columns ``<prefix>0`` .. ``<prefix><top>`` (top may carry ``open_top``, e.g. '+').

    Missing ages raise InputError naming the first missing column and the expected run.
    """
    pattern = re.compile(rf"{re.escape(prefix)}(\d+){re.escape(open_top)}?", re.IGNORECASE)
    by_age: dict[int, str] = {}
    for column in table.frame.columns:
        match = pattern.fullmatch(column)
        if match:
            by_age[int(match.group(1))] = column
    wanted = range(top + 1)
    missing = [age for age in wanted if age not in by_age]
    if missing:
        raise InputError(
            table.label,
            f"single-year-of-age column {prefix}{missing[0]} is missing",
            column=f"{prefix}{missing[0]}",
            expected=f"columns {prefix}0 .. {prefix}{top} ({prefix}{top} = {top} and over)",
            found=", ".join(map(str, table.frame.columns[:12])) + ", ...",
        )
    extra = sorted(age for age in by_age if age > top)
    if extra:
        raise InputError(
            table.label,
            f"unexpected age column {by_age[extra[0]]}",
            column=by_age[extra[0]],
            expected=f"ages 0 .. {top} (the top band is open)",
        )
    return [by_age[age] for age in wanted]


def count_matrix(
    table: RawTable, columns: Sequence[str], *, maximum: int | None = None, maximum_reason: str = ""
) -> np.ndarray:
    """Validated whole counts from 0 to ``maximum`` as an ``(rows, columns)`` int64 matrix."""
    if not columns:
        return np.zeros((len(table.frame), 0), dtype=np.int64)
    return np.column_stack(
        [
            check.counts(table, column, maximum=maximum, maximum_reason=maximum_reason)
            for column in columns
        ]
    )


def check_row_totals(
    table: RawTable, total_column: str, totals: np.ndarray, parts: np.ndarray, what: str
) -> None:
    """A row's published total equals the sum of its age (and sex) columns."""
    check.totals_match(
        table,
        total_positions=np.arange(len(totals)),
        totals=totals,
        sums=parts.sum(axis=1),
        column=total_column,
        what=what,
    )


def long_by_age(
    keys: dict[str, pd.Series | np.ndarray],
    blocks: Sequence[tuple[str, np.ndarray]],
    value_name: str,
) -> pd.DataFrame:
    """Rows = keys × sex × age, from one ``(rows, ages)`` matrix per sex.

    ``blocks`` is ``[(sex, matrix), ...]``; rows come out ordered by key row, then sex in
    block order, then age, so the frame reads like the file.
    """
    n_rows = len(next(iter(keys.values())))
    n_ages = blocks[0][1].shape[1]
    n_sex = len(blocks)
    per_row = n_sex * n_ages
    stacked = np.concatenate([matrix for _, matrix in blocks], axis=1)  # rows × (sex, age)
    repeat = np.repeat(np.arange(n_rows), per_row)
    frame = pd.DataFrame(
        {
            name: pd.Series(values).astype("str").take(repeat).reset_index(drop=True)
            for name, values in keys.items()
        }
    )
    frame["sex"] = pd.Categorical.from_codes(
        np.tile(np.repeat(np.arange(n_sex, dtype=np.int8), n_ages), n_rows),
        categories=[sex for sex, _ in blocks],
    )
    frame["age"] = np.tile(np.arange(n_ages, dtype=np.int64), n_sex * n_rows)
    frame[value_name] = stacked.reshape(-1)
    return frame
