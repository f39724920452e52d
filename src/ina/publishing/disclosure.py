"""Disclosure control as a property of publishing: each published table declares its structure.

Why: hiding counts of 1 to 7 is not enough. A hidden count comes back from a rate and its
denominator, from a total minus its other parts (across rows, across years, or across two
tables of one area), or from a chart point. So every table or figure data set a chapter
publishes carries a :class:`Disclosure`: which columns are counts, which columns are
derived from which counts (and from which denominator), and which rows or columns add up
to which totals. :func:`disclosure_mask` turns that declaration into the cells to hide, and
the declaration is written next to the CSV (``<id>.disclosure.json``) so that a reader, the
QA and the disclosure scanner (:mod:`ina.publishing.scan`) know what each column is
without guessing from its name.

The rules, applied until nothing changes:

1. **Primary**: a count in ``[min_count, max_count]`` is hidden.
2. **Secondary (complementary)**: for every *line* of parts that add up to a total:

   * the total is visible (in this table, or published elsewhere) and exactly one part is
     hidden: the part could be recovered by subtraction, so a second part is hidden;
   * the total is hidden and no part is: the total is the sum of the parts, so one part is
     hidden.

   Lines come from :class:`Parts` (rows: places and their area, years and their pooled
   period, quintiles of one sex), from :class:`ColumnParts` (columns of one row), and may
   name a total in another table of the same area (``total_in``): the :class:`Ledger` of
   the chapter run records which cells earlier tables hid. A total that is not in the
   ledger is taken as visible (the safe assumption).

   **The complementary cell** is chosen deterministically: among the line's visible parts
   with a known value, the smallest *non-zero* true value (a hidden zero protects nothing,
   so a zero only when no other part is left); ties go to the first in the table's row
   order, then column order. When no part is left to hide, the in-table total is hidden.
3. **Derived**: a derived column (rate, interval, share, ratio) is hidden in every row where
   any count it derives from, or its denominator, is hidden.

The numbers computed inside the pipeline stay exact; this only decides what is shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ina.errors import StatisticsError

__all__ = [
    "ColumnParts",
    "Derived",
    "Disclosure",
    "Ledger",
    "Parts",
    "Same",
    "disclosure_mask",
    "hidden_counts",
]


def _tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value)


@dataclass(frozen=True)
class Derived:
    """A published column computed from counts of the same row.

    ``counts``: the count columns it derives from; ``denominator``: the column of the same
    table holding its denominator, when it has one, and ``per`` its multiplier (a rate per
    1,000 is ``count / denominator * 1000``), which let the scanner try ``rate ×
    denominator`` as a reader would.
    """

    counts: tuple[str, ...]
    denominator: str | None = None
    per: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", _tuple(self.counts))


@dataclass(frozen=True)
class Parts:
    """Rows that add up to a total, told apart by the value of one key column.

    ``column`` is the key column (``"name"``, ``"year"``, ``"area_id"``); ``parts`` its
    values that are the parts (``None``: every row that is not the total); ``total`` the
    value of the total row, or ``None`` when the total is not a row of this table (it is
    published elsewhere, or a reader can get it elsewhere). ``within`` are the other key
    columns: one line of parts per combination of their values (per sex, per indicator).
    ``counts`` are the count columns that add up (default: all). ``total_in`` names an
    earlier table of the same chapter run holding each line's total in a row with the same
    ``within`` values and the same count column.
    """

    column: str
    parts: tuple[str, ...] | None = None
    total: str | None = None
    within: tuple[str, ...] = ()
    counts: tuple[str, ...] | None = None
    total_in: str | None = None

    @classmethod
    def of(
        cls,
        frame: pd.DataFrame,
        column: str,
        *,
        total: str,
        others: Sequence[str] = (),
    ) -> Parts:
        """The rows of ``frame`` other than ``total`` and ``others`` (comparators, such as
        England or the ICB on a place's table) are the parts of ``total``."""
        skip = {total, *others}
        parts = tuple(dict.fromkeys(v for v in frame[column].map(_label) if v not in skip))
        return cls(column, parts=parts, total=total)

    def __post_init__(self) -> None:
        if self.parts is not None:
            object.__setattr__(self, "parts", _tuple(self.parts))
        object.__setattr__(self, "within", _tuple(self.within))
        if self.counts is not None:
            object.__setattr__(self, "counts", _tuple(self.counts))


@dataclass(frozen=True)
class ColumnParts:
    """Count columns of one row that add up to a total column of the same row."""

    total: str
    parts: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", _tuple(self.parts))


@dataclass(frozen=True)
class Same:
    """Count cells that hold the same quantity, so they are hidden together.

    The births of an area and year are the numerator of the birth rate *and* the
    denominator of the low birth weight percentage: hiding one and publishing the other
    hides nothing. A cell of ``column`` is the quantity named by the value of ``measure``
    (a column of the table, e.g. ``numerator_measure = "births"``) at the key values
    ``on`` (e.g. ``area_id, period``); every cell of any ``Same`` column with the same
    quantity is hidden when one is.
    """

    column: str
    measure: str
    on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "on", _tuple(self.on))


@dataclass(frozen=True)
class Disclosure:
    """What a published table is, for disclosure control (see the module docstring).

    ``counts``: counts of people or events (primary suppression applies); ``derived``:
    derived column -> :class:`Derived` (or the count column names it derives from);
    ``key``: the columns that identify a row; ``rows``/``columns``: part/total structure;
    ``same``: cells holding one quantity (:class:`Same`).
    """

    counts: tuple[str, ...] = ()
    derived: Mapping[str, Derived] = field(default_factory=dict)
    key: tuple[str, ...] = ()
    rows: tuple[Parts, ...] = ()
    columns: tuple[ColumnParts, ...] = ()
    same: tuple[Same, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "same", tuple(self.same))
        object.__setattr__(self, "counts", _tuple(self.counts))
        object.__setattr__(self, "key", _tuple(self.key))
        derived = {
            name: spec if isinstance(spec, Derived) else Derived(_tuple(spec))
            for name, spec in dict(self.derived).items()
        }
        object.__setattr__(self, "derived", derived)
        object.__setattr__(self, "rows", tuple(self.rows))
        object.__setattr__(self, "columns", tuple(self.columns))

    @classmethod
    def simple(
        cls,
        count_columns: Sequence[str] = (),
        derived_columns: Sequence[str] | Mapping[str, str | Sequence[str]] = (),
        *,
        total_column: str | None = None,
    ) -> Disclosure:
        """The declaration of the older ``count_columns``/``derived_columns`` arguments."""
        counts = _tuple(count_columns)
        if isinstance(derived_columns, Mapping):
            derived = {k: Derived(_tuple(v)) for k, v in derived_columns.items()}
        else:
            derived = {name: Derived(counts) for name in derived_columns}
        columns: tuple[ColumnParts, ...] = ()
        if total_column is not None:
            if total_column not in counts:
                raise StatisticsError(
                    f"suppression: total_column {total_column!r} must be one of the count columns"
                )
            columns = (ColumnParts(total_column, tuple(c for c in counts if c != total_column)),)
        return cls(counts=counts, derived=derived, columns=columns)

    def to_json(self) -> str:
        """The declaration as published next to the CSV (sorted keys, stable bytes)."""
        document = {
            "counts": list(self.counts),
            "derived": {name: asdict(spec) for name, spec in sorted(self.derived.items())},
            "key": list(self.key),
            "rows": [asdict(parts) for parts in self.rows],
            "columns": [asdict(parts) for parts in self.columns],
            "same": [asdict(same) for same in self.same],
        }
        return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Disclosure:
        document = json.loads(text)
        return cls(
            counts=tuple(document.get("counts", ())),
            derived={
                name: Derived(tuple(spec["counts"]), spec.get("denominator"), spec.get("per"))
                for name, spec in document.get("derived", {}).items()
            },
            key=tuple(document.get("key", ())),
            rows=tuple(
                Parts(
                    column=parts["column"],
                    parts=None if parts.get("parts") is None else tuple(parts["parts"]),
                    total=parts.get("total"),
                    within=tuple(parts.get("within", ())),
                    counts=None if parts.get("counts") is None else tuple(parts["counts"]),
                    total_in=parts.get("total_in"),
                )
                for parts in document.get("rows", ())
            ),
            columns=tuple(
                ColumnParts(parts["total"], tuple(parts["parts"]))
                for parts in document.get("columns", ())
            ),
            same=tuple(
                Same(same["column"], same["measure"], tuple(same.get("on", ())))
                for same in document.get("same", ())
            ),
        )

    def check(self, frame: pd.DataFrame, what: str) -> None:
        """Refuse a declaration that names columns the table does not have."""
        missing = [c for c in self.counts if c not in frame.columns]
        for name, spec in self.derived.items():
            missing += [c for c in (name, *spec.counts) if c not in frame.columns]
            if spec.denominator is not None and spec.denominator not in frame.columns:
                missing.append(spec.denominator)
            unknown = [c for c in spec.counts if c not in self.counts]
            if unknown:
                raise StatisticsError(
                    f"{what}: derived column {name!r} derives from {unknown}, "
                    "which are not count columns"
                )
        for parts in self.rows:
            missing += [c for c in (parts.column, *parts.within) if c not in frame.columns]
            missing += [c for c in parts.counts or () if c not in self.counts]
        for parts in self.columns:
            missing += [c for c in (parts.total, *parts.parts) if c not in self.counts]
        for same in self.same:
            missing += [c for c in (same.measure, *same.on) if c not in frame.columns]
            missing += [same.column] if same.column not in self.counts else []
        if missing:
            raise StatisticsError(
                f"{what}: the disclosure declaration names columns the table does not have "
                f"(or are not count columns): {', '.join(dict.fromkeys(map(str, missing)))}"
            )


def _label(value: object) -> str:
    """How a key value is compared: as published text (years as ``2022``, not ``2022.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Ledger:
    """Which count cells the earlier tables of one chapter run hid, for ``total_in``.

    Keyed by table id, then by the ``(column, key values...)`` a :class:`Parts` line uses.
    """

    def __init__(self) -> None:
        self._tables: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
        # The labels of a key column, made once: a table's lines ask for them hundreds
        # of times (one question per line and count column).
        self._labels: dict[tuple[str, str], np.ndarray] = {}

    def record(self, table_id: str, frame: pd.DataFrame, mask: pd.DataFrame) -> None:
        self._tables[table_id] = (frame.reset_index(drop=True), mask.reset_index(drop=True))
        for key in [key for key in self._labels if key[0] == table_id]:
            del self._labels[key]

    def _labels_of(self, table_id: str, frame: pd.DataFrame, column: str) -> np.ndarray:
        labels = self._labels.get((table_id, column))
        if labels is None:
            labels = frame[column].map(_label).to_numpy()
            self._labels[(table_id, column)] = labels
        return labels

    def mask(self, table_id: str) -> pd.DataFrame:
        """The mask a published table was given (True = hidden), in its row order."""
        if table_id not in self._tables:
            raise StatisticsError(f"ledger: table {table_id!r} has not been published")
        return self._tables[table_id][1]

    def hidden(self, table_id: str, column: str, where: Mapping[str, str]) -> bool | None:
        """Whether the matching cell of ``table_id`` was hidden (None: not published here)."""
        if table_id not in self._tables:
            return None
        frame, mask = self._tables[table_id]
        if column not in frame.columns:
            return None
        rows = np.ones(len(frame), dtype=bool)
        for key, value in where.items():
            if key not in frame.columns:
                return None
            rows &= self._labels_of(table_id, frame, key) == value
        if not rows.any():
            return None
        return bool(mask.loc[rows, column].any())


def _count_values(frame: pd.DataFrame, column: str) -> np.ndarray:
    try:
        values = pd.to_numeric(frame[column], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise StatisticsError(f"suppression: count column {column!r} is not numeric") from error
    if np.any(values < 0):
        raise StatisticsError(f"suppression: count column {column!r} has negative counts")
    return values


@dataclass
class _Line:
    parts: list[tuple[int, int]]  # (row, count column position)
    total: tuple[int, int] | None = None
    external_hidden: bool = False  # the total lives elsewhere and is hidden there


def _row_lines(
    frame: pd.DataFrame,
    parts: Parts,
    counts: list[str],
    ledger: Ledger | None,
) -> Iterable[_Line]:
    labels = frame[parts.column].map(_label).to_numpy()
    columns = list(parts.counts) if parts.counts is not None else counts
    if parts.within:
        groups = frame.groupby(
            [frame[c].map(_label) for c in parts.within], sort=False, dropna=False
        ).indices
    else:
        groups = {(): np.arange(len(frame))}
    for group_key, rows in groups.items():
        key_values = group_key if isinstance(group_key, tuple) else (group_key,)
        where = dict(zip(parts.within, map(str, key_values), strict=True))
        rows = np.asarray(rows)
        is_total = (
            labels[rows] == parts.total
            if parts.total is not None
            else np.zeros(len(rows), dtype=bool)
        )
        is_part = np.isin(labels[rows], parts.parts) if parts.parts is not None else ~is_total
        part_rows = rows[is_part]
        total_rows = rows[is_total]
        for column in columns:
            position = counts.index(column)
            line = _Line(parts=[(int(r), position) for r in part_rows])
            if len(total_rows):
                line.total = (int(total_rows[0]), position)
            elif parts.total_in is not None and ledger is not None:
                line.external_hidden = bool(ledger.hidden(parts.total_in, column, where))
            if line.parts:
                yield line


def _protect(values: np.ndarray, hidden: np.ndarray, line: _Line) -> bool:
    """Apply rule 2 to one line; True when a cell was hidden."""
    part_hidden = [hidden[cell] for cell in line.parts]
    total_hidden = line.external_hidden or (line.total is not None and hidden[line.total])
    n_hidden = sum(part_hidden)
    if not total_hidden and n_hidden != 1:
        return False
    if total_hidden and n_hidden != 0:
        return False
    if len(line.parts) == 1 and not total_hidden:
        return False  # a single part is its total: nothing new is disclosed
    candidates = [
        cell
        for cell, is_hidden in zip(line.parts, part_hidden, strict=True)
        if not is_hidden and not np.isnan(values[cell])
    ]
    if not candidates:
        if line.total is not None and not hidden[line.total]:
            hidden[line.total] = True
            return True
        return False
    # Smallest non-zero true value first, zeros last; ties by row, then column order.
    chosen = min(candidates, key=lambda cell: (values[cell] == 0, values[cell], cell))
    hidden[chosen] = True
    return True


def hidden_counts(
    frame: pd.DataFrame,
    disclosure: Disclosure,
    *,
    min_count: int,
    max_count: int,
    ledger: Ledger | None = None,
    hide: pd.DataFrame | None = None,
) -> np.ndarray:
    """Boolean (rows × ``disclosure.counts``): which count cells are hidden (rules 1 and 2).

    ``hide`` (boolean, the frame's shape) marks cells another publication of the same
    quantities already hid (they stay hidden and take part in the secondary rule).
    """
    counts = list(disclosure.counts)
    if not counts or frame.empty:
        return np.zeros((len(frame), len(counts)), dtype=bool)
    values = np.column_stack([_count_values(frame, column) for column in counts])
    hidden = (values >= min_count) & (values <= max_count)
    if hide is not None:
        hidden |= hide.reindex(index=frame.index, columns=counts, fill_value=False).to_numpy(
            dtype=bool
        )
    same_groups = _same_groups(frame, disclosure, counts)
    lines: list[_Line] = []
    for parts in disclosure.rows:
        lines.extend(_row_lines(frame, parts, counts, ledger))
    for column_parts in disclosure.columns:
        total = counts.index(column_parts.total)
        positions = [counts.index(part) for part in column_parts.parts]
        for row in range(len(frame)):
            lines.append(_Line(parts=[(row, p) for p in positions], total=(row, total)))
    changed = True
    while changed:
        changed = False
        for group in same_groups:
            cells = tuple(np.array(group).T)
            if hidden[cells].any() and not hidden[cells].all():
                hidden[cells] = True
                changed = True
        for line in lines:
            changed |= _protect(values, hidden, line)
    return hidden


def _same_groups(
    frame: pd.DataFrame, disclosure: Disclosure, counts: list[str]
) -> list[list[tuple[int, int]]]:
    """Cells (row, count position) grouped by the quantity they hold (:class:`Same`)."""
    cells: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for same in disclosure.same:
        position = counts.index(same.column)
        identity = frame[same.measure].map(_label)
        for column in same.on:
            identity = identity + "\x1f" + frame[column].map(_label)
        for row, key in enumerate(identity.to_numpy()):
            cells.setdefault(str(key), []).append((row, position))
    return [group for group in cells.values() if len(group) > 1]


def disclosure_mask(
    frame: pd.DataFrame,
    disclosure: Disclosure,
    *,
    min_count: int,
    max_count: int,
    ledger: Ledger | None = None,
    hide: pd.DataFrame | None = None,
    what: str = "table",
) -> pd.DataFrame:
    """Return a boolean frame (same shape as ``frame``): True where a cell must be hidden."""
    disclosure.check(frame, what)
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    hidden = hidden_counts(
        frame, disclosure, min_count=min_count, max_count=max_count, ledger=ledger, hide=hide
    )
    for position, column in enumerate(disclosure.counts):
        mask[column] = hidden[:, position]
    if hide is not None:  # cells another publication hid, derived columns included
        extra = hide.reindex(index=frame.index, fill_value=False)
        for column in extra.columns.intersection(frame.columns):
            mask[column] = mask[column] | extra[column].fillna(False).astype(bool)
    for name, spec in disclosure.derived.items():
        sources = list(spec.counts)
        if spec.denominator is not None and spec.denominator in disclosure.counts:
            sources.append(spec.denominator)
        if sources:
            mask[name] = mask[name] | mask[sources].any(axis=1)
    return mask
