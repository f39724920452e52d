"""Checks between releases: what moved since the outputs published last time.

ScotPHO's profile updates compare every indicator with the previous release and ask the
analyst to explain large moves before publishing; this does the same for every published
table. Each ``data/<area>/<chapter>/<id>.csv`` of the new release is compared with the
same file of the previous release, rows matched by the table's key columns (its leading
non-numeric columns, see :func:`ina.quality._tables.key_columns_of`) rather than by
position, so a re-sorted table is not reported as changed:

``value-moved`` (warning)          a number moved by more than the threshold (default
                                   :data:`DEFAULT_MOVE_THRESHOLD`, 5%) relative to its
                                   previous value; a move of at most one unit of the
                                   published precision of a non-integer column is
                                   rounding and is not reported;
``suppression-changed`` (note)     a cell became suppressed, or stopped being;
``value-changed`` (note)           a text cell changed, or a cell became blank/filled;
``row-added`` / ``row-removed``    a row (by key) appeared or disappeared (notes);
``column-added`` / ``column-removed``, ``table-added`` / ``table-removed`` (notes).
"""

from __future__ import annotations

import pandas as pd

from ina.quality._tables import CONFIDENTIAL, PublishedTable, row_key_text
from ina.quality.findings import Severity, combine_findings, table_findings

DEFAULT_MOVE_THRESHOLD = 0.05
"""A published number that moved by more than this fraction of its previous value is a
warning. A module constant for now; it could become an ``ina.yml`` setting."""

_OCCURRENCE = "\x1foccurrence"


def _keyed(table: PublishedTable, keys: list[str]) -> pd.DataFrame:
    """The table's text indexed by its key (plus an occurrence number for repeats)."""
    text = table.text.copy()
    text[_OCCURRENCE] = text.groupby(keys, sort=False).cumcount()
    return text.set_index([*keys, _OCCURRENCE])


def _keys_text(index: pd.Index, keys: list[str]) -> pd.Series:
    frame = index.to_frame(index=False)[keys].astype(str)
    return row_key_text(frame, keys)


def _relative_moves(old: pd.Series, new: pd.Series) -> pd.Series:
    """(new - old) / |old|; +-inf when a zero became non-zero."""
    difference = new - old
    moves = difference / old.abs().where(old != 0)
    return moves.where(old != 0, difference.where(difference == 0, difference * float("inf")))


def _moved_values(
    new: PublishedTable,
    old: PublishedTable,
    column: str,
    old_text: pd.Series,
    new_text: pd.Series,
    row_keys: pd.Series,
    threshold: float,
) -> list[pd.DataFrame]:
    # A previous release may have used another marker (``*`` before the GSS [c]).
    marker_old = old_text.str.strip().isin({old.marker, CONFIDENTIAL})
    marker_new = new_text.str.strip().isin({new.marker, CONFIDENTIAL})
    differs = old_text.str.strip() != new_text.str.strip()
    old_number = pd.to_numeric(old_text.str.strip().where(~marker_old), errors="coerce")
    new_number = pd.to_numeric(new_text.str.strip().where(~marker_new), errors="coerce")
    both_numbers = old_number.notna() & new_number.notna()

    def cell_findings(
        selected: pd.Series, check: str, severity: Severity, message: pd.Series | str
    ) -> pd.DataFrame:
        """One finding per selected cell of ``column``, with its row key and both texts.

        The three cell checks below differ only in which cells they select and what they
        say; taking the key and both versions' text from one selection here keeps them
        from ever being picked from different rows.
        """
        return table_findings(
            new,
            check=check,
            severity=severity,
            row_key=row_keys[selected],
            column=column,
            previous_value=old_text[selected],
            new_value=new_text[selected],
            message=message,
        )

    found = []
    if (differs & both_numbers).any():
        move = _relative_moves(old_number, new_number)
        decimals = max(new.decimals.get(column, 0), old.decimals.get(column, 0))
        rounding = (decimals > 0) & ((new_number - old_number).abs() <= 10.0**-decimals * 1.000001)
        moved = differs & both_numbers & (move.abs() > threshold) & ~rounding
        if moved.any():
            percent = move[moved].map(lambda value: f"{value:+.1%}")
            message = (
                f"{column} moved "
                + percent
                + " since the previous release ("
                + old_text[moved]
                + " -> "
                + new_text[moved]
                + f"), more than {threshold:.0%}"
            )
            found.append(cell_findings(moved, "value-moved", "warning", message))
    suppression = differs & (marker_old != marker_new)
    if suppression.any():
        message = marker_new[suppression].map(
            {True: f"{column} is now suppressed", False: f"{column} is no longer suppressed"}
        )
        found.append(cell_findings(suppression, "suppression-changed", "note", message))
    other = differs & ~both_numbers & ~suppression
    if other.any():
        found.append(
            cell_findings(
                other, "value-changed", "note", f"{column} changed since the previous release"
            )
        )
    return found


def compare_tables(
    new: PublishedTable, old: PublishedTable, *, threshold: float = DEFAULT_MOVE_THRESHOLD
) -> pd.DataFrame:
    """Findings between the previous and the new version of one published table."""
    found: list[pd.DataFrame] = []
    new_columns, old_columns = list(new.text.columns), list(old.text.columns)
    for column in (c for c in new_columns if c not in old_columns):
        found.append(
            table_findings(
                new,
                check="column-added",
                severity="note",
                column=column,
                message=f"column {column} is new in this release",
            )
        )
    for column in (c for c in old_columns if c not in new_columns):
        found.append(
            table_findings(
                new,
                check="column-removed",
                severity="note",
                column=column,
                message=f"column {column} was in the previous release but is not in this one",
            )
        )
    keys = new.key_columns
    if not keys or any(key not in old_columns for key in keys):
        found.append(
            table_findings(
                new,
                check="value-changed",
                severity="note",
                message="the key columns changed (" + ", ".join(keys) + "); rows were not compared",
            )
        )
        return combine_findings(found)
    old_keyed, new_keyed = _keyed(old, keys), _keyed(new, keys)
    added = new_keyed.index.difference(old_keyed.index, sort=False)
    removed = old_keyed.index.difference(new_keyed.index, sort=False)
    if len(added):
        found.append(
            table_findings(
                new,
                check="row-added",
                severity="note",
                row_key=_keys_text(added, keys),
                message="row is new in this release",
            )
        )
    if len(removed):
        found.append(
            table_findings(
                new,
                check="row-removed",
                severity="note",
                row_key=_keys_text(removed, keys),
                message="row was in the previous release but is not in this one",
            )
        )
    common_rows = new_keyed.index.intersection(old_keyed.index, sort=False)
    if len(common_rows):
        row_keys = _keys_text(common_rows, keys)
        row_keys.index = common_rows
        for column in (c for c in new_columns if c in old_columns and c not in keys):
            found.extend(
                _moved_values(
                    new,
                    old,
                    column,
                    old_keyed.loc[common_rows, column].astype(str),
                    new_keyed.loc[common_rows, column].astype(str),
                    row_keys,
                    threshold,
                )
            )
    return combine_findings(found)
