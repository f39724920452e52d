"""Small-number suppression: the statistical disclosure control applied to everything published.

Why: counts of a few people (1 to 7 by default, the NHS England / ONS convention for
health data released outside the NHS) can identify individuals when combined with what a
reader already knows. Suppression is applied **once, at the edge** (by
:func:`ina.publishing.show_table` and :func:`ina.publishing.show_figure` when a table or a
figure's data leaves the pipeline), never inside the computations, so that totals, rates and
intervals are always computed from the true counts.

The rules, in order (see ``ina.yml`` ``suppression``):

1. **Primary suppression**: a count from ``rule.min_count`` to ``rule.max_count`` inclusive
   is replaced by ``rule.marker``. With the default ``min_count: 1`` zero is *not*
   suppressed (a true zero discloses nothing about an individual); set ``min_count: 0`` to
   suppress zeros as well. Missing counts are left missing.
2. **Secondary (complementary) suppression**: when a table publishes a total, a single
   suppressed cell could be recovered by subtracting the other cells from the total. So in
   every row that has a row total (``total_column``) and every column that has a column
   total (``total_row``), if exactly one component is suppressed, the smallest other
   unsuppressed component is suppressed as well (preferring non-zero cells, which carry
   information; when no component is left, the total itself is suppressed). Rows and
   columns are revisited until nothing changes, because a cell suppressed to protect its
   row can leave its column with a single suppressed cell.
3. **Derived values**: any column derived from a suppressed count (a rate, a percentage,
   a confidence limit) is suppressed in the same row, because the count can be recovered
   from the rate and the published denominator. ``derived_columns`` is either a sequence of
   column names (each derived from every count column in the row) or a mapping from a
   derived column to the count column(s) it derives from.

Limitations: totals are recognised only as a row-total column and one column-total row;
hierarchical tables (places summing to the ICB in separate rows) should publish the
components and the total in separate tables or pass the total row explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from ina.errors import ConfigError, StatisticsError

__all__ = [
    "CONFIDENTIAL",
    "GSS_SYMBOLS",
    "NOT_APPLICABLE",
    "NOT_AVAILABLE",
    "DerivedColumns",
    "RuleLike",
    "SuppressionRule",
    "is_disabled",
    "suppress",
    "suppression_mask",
]


class RuleLike(Protocol):
    """Anything with the suppression settings (``Settings.suppression`` is one).

    ``disabled`` is True only for ``suppression: none`` (nothing hidden, every page stamped
    UNSUPPRESSED); a rule without the attribute is enabled.
    """

    min_count: int
    max_count: int
    marker: str


#: GSS symbols (Government Statistical Service, "Symbols in tables"): confidential,
#: not available, not applicable. Suppressed cells are never blank or zero.
CONFIDENTIAL = "[c]"
NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
GSS_SYMBOLS = (CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE)


def is_disabled(rule: RuleLike) -> bool:
    """True for ``suppression: none``."""
    return bool(getattr(rule, "disabled", False))


@dataclass(frozen=True)
class SuppressionRule:
    """A small-number rule: counts in ``[min_count, max_count]`` are shown as ``marker``."""

    min_count: int = 1
    max_count: int = 7
    marker: str = CONFIDENTIAL
    disabled: bool = False

    def __post_init__(self) -> None:
        _check_rule(self)


DerivedColumns = Sequence[str] | Mapping[str, str | Sequence[str]]


def _check_rule(rule: RuleLike) -> None:
    """A rule that would hide nothing is refused: turning suppression off is ``none``."""
    if is_disabled(rule):
        return
    if rule.min_count < 0 or rule.max_count < rule.min_count or rule.max_count < 1:
        raise ConfigError(
            f"suppression: min_count ({rule.min_count}) must be >= 0 and <= max_count "
            f"({rule.max_count}), and max_count >= 1 (to turn suppression off use "
            "`suppression: none`)"
        )
    marker = str(rule.marker).strip()
    if not marker or marker in (NOT_AVAILABLE, NOT_APPLICABLE):
        raise ConfigError("suppression: marker must be a non-empty symbol other than [x], [z]")
    try:
        float(marker)
    except ValueError:
        pass
    else:
        raise ConfigError(f"suppression: marker {marker!r} must not be a number")


def _counts_as_float(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        raise StatisticsError(
            f"suppression: count column {column!r} is not in the table "
            f"(columns: {', '.join(map(str, frame.columns))})"
        )
    try:
        values = pd.to_numeric(frame[column], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise StatisticsError(f"suppression: count column {column!r} is not numeric") from error
    if np.any(values < 0):
        raise StatisticsError(f"suppression: count column {column!r} has negative counts")
    return values


def _protect_singletons(
    values: np.ndarray, mask: np.ndarray, components: np.ndarray, total: int
) -> bool:
    """Along axis 1 of ``values``: where one component is suppressed, suppress another.

    ``values``/``mask`` have shape (lines, cells); ``components`` indexes the component
    cells and ``total`` the total cell of each line. Returns True when anything changed.
    """
    changed = False
    component_mask = mask[:, components]
    singleton_lines = np.flatnonzero(component_mask.sum(axis=1) == 1)
    for line in singleton_lines:
        if mask[line, total]:
            continue  # the total is hidden: nothing can be recovered by subtraction
        candidates = components[~mask[line, components]]
        candidate_values = values[line, candidates]
        usable = ~np.isnan(candidate_values)
        candidates, candidate_values = candidates[usable], candidate_values[usable]
        if candidates.size == 0:
            mask[line, total] = True
        else:
            # Prefer the smallest non-zero cell (least information lost, but it protects);
            # a zero only when nothing else is left. Ties go to the first (stable order).
            order = np.lexsort((candidate_values, candidate_values == 0))
            mask[line, candidates[order[0]]] = True
        changed = True
    return changed


def suppression_mask(
    frame: pd.DataFrame,
    count_columns: Sequence[str],
    rule: RuleLike,
    derived_columns: DerivedColumns = (),
    *,
    total_column: str | None = None,
    total_row: int | None = None,
) -> pd.DataFrame:
    """Return a boolean frame (same shape as ``frame``): True where a cell must be hidden.

    See the module docstring for the rules. ``total_column`` names the count column holding
    each row's total of the other count columns; ``total_row`` is the position (``-1`` for
    the last row) of the row holding each count column's total over the other rows.
    """
    _check_rule(rule)
    count_columns = list(count_columns)
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    if not count_columns or frame.empty or is_disabled(rule):
        return mask
    if total_column is not None and total_column not in count_columns:
        raise StatisticsError(
            f"suppression: total_column {total_column!r} must be one of the count columns"
        )
    values = np.column_stack([_counts_as_float(frame, column) for column in count_columns])
    hidden = (values >= rule.min_count) & (values <= rule.max_count)

    row_total = count_columns.index(total_column) if total_column is not None else None
    column_total = None
    if total_row is not None:
        if not -len(frame) <= total_row < len(frame):
            raise StatisticsError(
                f"suppression: total_row {total_row} is outside the table ({len(frame)} rows)"
            )
        column_total = total_row % len(frame)

    row_components = np.array([i for i in range(len(count_columns)) if i != row_total], dtype=int)
    column_components = np.array([i for i in range(len(frame)) if i != column_total], dtype=int)
    changed = True
    while changed:
        changed = False
        if row_total is not None:
            changed |= _protect_singletons(values, hidden, row_components, row_total)
        if column_total is not None:
            transposed = hidden.T.copy()
            if _protect_singletons(values.T, transposed, column_components, column_total):
                hidden = transposed.T.copy()
                changed = True

    for position, column in enumerate(count_columns):
        mask[column] = hidden[:, position]

    if isinstance(derived_columns, Mapping):
        sources = {
            derived: [source] if isinstance(source, str) else list(source)
            for derived, source in derived_columns.items()
        }
    else:
        sources = {derived: count_columns for derived in derived_columns}
    for derived, source_columns in sources.items():
        if derived not in frame.columns:
            raise StatisticsError(f"suppression: derived column {derived!r} is not in the table")
        unknown = [source for source in source_columns if source not in count_columns]
        if unknown:
            raise StatisticsError(
                f"suppression: derived column {derived!r} derives from {unknown}, "
                "which are not count columns"
            )
        mask[derived] = mask[derived] | mask[source_columns].any(axis=1)
    return mask


def suppress(
    frame: pd.DataFrame,
    count_columns: Sequence[str],
    rule: RuleLike,
    derived_columns: DerivedColumns = (),
    *,
    total_column: str | None = None,
    total_row: int | None = None,
) -> pd.DataFrame:
    """Return a copy of ``frame`` with small counts and what derives from them replaced.

    Columns with any suppressed cell become object columns holding the original values and
    ``rule.marker``; the other columns keep their dtype. See the module docstring for the
    rules and :func:`suppression_mask` for the arguments.
    """
    mask = suppression_mask(
        frame,
        count_columns,
        rule,
        derived_columns,
        total_column=total_column,
        total_row=total_row,
    )
    result = frame.copy()
    for column in frame.columns[mask.any(axis=0).to_numpy()]:
        result[column] = result[column].astype(object).where(~mask[column], rule.marker)
    return result
