"""The shape every QA finding takes, and the order findings are reported in.

Findings are rows of one DataFrame (not objects), so each check builds them for all the
rows of a table at once with boolean masks, and the report sorts and counts them with
pandas. Columns (all text):

``check``            which check found it (``value-moved``, ``interval``, ...)
``severity``         ``error`` (stops the build), ``warning`` or ``note``
``area``             area id (``icb`` or a place id)
``chapter``          chapter name
``table``            table (or figure data) id: the CSV's name without ``.csv``
``row_key``          the row, by its key columns (``age_group=0-15``); blank for a table
``column``           the column; blank for a whole row or table
``previous_value``   the value in the previous release, as published (between releases)
``new_value``        the value in this release, as published
``message``          one sentence saying what is wrong and by how much
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd

if TYPE_CHECKING:
    from ina.quality._tables import PublishedTable

Severity = Literal["error", "warning", "note"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")

FINDING_COLUMNS = (
    "check",
    "severity",
    "area",
    "chapter",
    "table",
    "row_key",
    "column",
    "previous_value",
    "new_value",
    "message",
)


_EMPTY_FINDINGS = pd.DataFrame({column: pd.Series(dtype=str) for column in FINDING_COLUMNS})


def empty_findings() -> pd.DataFrame:
    """No findings, with the columns of a findings frame (a copy: callers may add rows)."""
    return _EMPTY_FINDINGS.copy()


def table_findings(
    table: PublishedTable,
    *,
    check: str,
    severity: Severity,
    row_key: pd.Series | str = "",
    column: pd.Series | str = "",
    previous_value: pd.Series | str = "",
    new_value: pd.Series | str = "",
    message: pd.Series | str,
) -> pd.DataFrame:
    """Findings about one table: each argument a scalar or a Series aligned on the rows."""
    values = {
        "row_key": row_key,
        "column": column,
        "previous_value": previous_value,
        "new_value": new_value,
        "message": message,
    }
    index = next((value.index for value in values.values() if isinstance(value, pd.Series)), None)
    frame = pd.DataFrame(values, index=index if index is not None else [0])
    frame.insert(0, "table", table.table_id)
    frame.insert(0, "chapter", table.chapter)
    frame.insert(0, "area", table.area)
    frame.insert(0, "severity", severity)
    frame.insert(0, "check", check)
    return frame[list(FINDING_COLUMNS)].astype(str).reset_index(drop=True)


def combine_findings(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """All findings in one frame, in the deterministic report order.

    Order: severity (errors first), check, area, chapter, table, row, column, message, so
    the same inputs always give the same report byte for byte.
    """
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return empty_findings()
    findings = pd.concat(frames, ignore_index=True).astype(str)
    rank = findings["severity"].map({name: i for i, name in enumerate(SEVERITIES)})
    ordered = findings.assign(_rank=rank).sort_values(
        ["_rank", *[c for c in FINDING_COLUMNS if c != "severity"]], kind="stable"
    )
    return ordered.drop(columns="_rank").reset_index(drop=True)
