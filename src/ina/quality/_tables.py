"""Reading published table CSVs and recognising what their columns hold.

The QA checks run on what readers get: the ``data/<area>/<chapter>/<id>.csv`` files the
chapter notebooks publish (already small-number suppressed). They are read as text, so a
check can report a value exactly as published, and parsed to numbers column by column, so
the checks stay vectorised.

Column roles come from the column *names*, the only metadata a published CSV carries.
Names are split into lower-case word tokens (``"Lower CI 95.0 limit"`` -> ``lower, ci,
95, 0, limit``; ``dsr_lower`` -> ``dsr, lower``) and matched against small vocabularies
(counts, percentages, interval bounds, totals). Keeping the vocabularies here, in one
place, is what lets a chapter author see which names the QA recognises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import numpy as np
import pandas as pd

from ina.errors import InputError

DEFAULT_MARKER = "[c]"
#: GSS symbols for a cell without a number: [c] confidential (suppressed), [x] not
#: available, [z] not applicable. None of them is a number, a blank or a zero, and
#: only [c] (or the configured marker) counts as suppressed.
CONFIDENTIAL = "[c]"
NOT_A_NUMBER_SYMBOLS = frozenset({"[c]", "[x]", "[z]"})

COUNT_WORDS = frozenset(
    {
        "count",
        "counts",
        "deaths",
        "births",
        "population",
        "residents",
        "resident",
        "registered",
        "people",
        "persons",
        "patients",
        "admissions",
        "attendances",
        "events",
        "cases",
        "numerator",
        "denominator",
        "observed",
        "expected",
        "number",
        "n",
    }
)
"""Tokens naming a count of people or events: never negative, and additive."""

POPULATION_WORDS = frozenset(
    {"population", "populations", "residents", "resident", "registered", "patients"}
)
"""Tokens naming a count of people living in or registered with an area: never 0 there."""

SIGNED_WORDS = frozenset({"change", "difference", "diff", "net", "gap", "growth"})
"""Tokens naming a difference: may be negative, a percentage change may exceed 100."""

PERCENT_WORDS = frozenset({"percent", "percentage", "pct", "share"})
"""Tokens naming a percentage (or a share in per cent) of a whole: within [0, 100]."""

LOWER_TO_UPPER = {"lower": "upper", "lowercl": "uppercl", "lcl": "ucl", "lci": "uci"}
"""Interval bound tokens: Fingertips ``lowercl``/``uppercl``, PHEindicatormethods
``lowercl``/``uppercl``, ina's ``<value>_lower``/``<value>_upper``, ``Lower CI``/``Upper CI``."""

INTERVAL_NOISE_WORDS = frozenset({"ci", "cl", "confidence", "interval", "limit", "limits", "bound"})

TOTAL_LABELS = frozenset(
    {"all", "all ages", "all persons", "all areas", "all places", "total", "persons"}
)
"""Row labels that mark a total row (compared case-insensitively); the area's own name
(the ICB in the ICB's tables, the place in a place's tables) is a total too."""

TOTAL_COLUMN_NAMES = frozenset({"total", "all", "all_ages", "all_persons", "persons"})


def name_tokens(column: str) -> tuple[str, ...]:
    """Lower-case word tokens of a column name (``"Lower CI"`` -> ``("lower", "ci")``)."""
    return tuple(token for token in re.split(r"[^0-9a-z]+", column.casefold()) if token)


def normalised_name(column: str) -> str:
    return "_".join(name_tokens(column))


def is_count_column(column: str) -> bool:
    tokens = set(name_tokens(column))
    return bool(tokens & COUNT_WORDS) and not tokens & SIGNED_WORDS


def is_percent_column(column: str) -> bool:
    tokens = set(name_tokens(column))
    return (
        bool(tokens & PERCENT_WORDS or column.strip().endswith("%")) and not tokens & SIGNED_WORDS
    )


@dataclass(frozen=True)
class Interval:
    """A pair of interval bound columns and the value column they bracket (if found)."""

    lower: str
    upper: str
    value: str | None


def interval_columns(columns: list[str]) -> list[Interval]:
    """Every lower/upper bound pair among ``columns``, with its value column when named.

    ``dsr_lower``/``dsr_upper`` bracket ``dsr``; bare ``lowercl``/``uppercl`` or
    ``Lower CI``/``Upper CI`` bracket a column called ``value`` when there is one.
    """
    by_tokens = {name_tokens(column): column for column in columns}
    by_normalised = {normalised_name(column): column for column in columns}
    intervals = []
    for tokens, lower in by_tokens.items():
        bound_positions = [i for i, token in enumerate(tokens) if token in LOWER_TO_UPPER]
        if len(bound_positions) != 1:
            continue
        position = bound_positions[0]
        upper_tokens = (
            *tokens[:position],
            LOWER_TO_UPPER[tokens[position]],
            *tokens[position + 1 :],
        )
        upper = by_tokens.get(upper_tokens)
        if upper is None:
            continue
        stem = [
            token
            for i, token in enumerate(tokens)
            if i != position and token not in INTERVAL_NOISE_WORDS and not token.isdigit()
        ]
        value = by_normalised.get("_".join(stem)) if stem else by_normalised.get("value")
        intervals.append(Interval(lower, upper, value if value not in (lower, upper) else None))
    return intervals


@dataclass(frozen=True)
class PublishedTable:
    """One published CSV: its text as published and its numeric columns parsed.

    ``text`` holds every cell as published (``""`` for blank); ``numbers`` the numeric
    columns as floats with NaN for blank or suppressed cells; ``suppressed`` marks the
    cells equal to the suppression marker; ``decimals`` the most decimal places any cell
    of a numeric column is published with (its rounding unit is ``10 ** -decimals``).
    """

    relative_path: str
    area: str
    chapter: str
    table_id: str
    text: pd.DataFrame
    numbers: pd.DataFrame
    suppressed: pd.DataFrame
    decimals: dict[str, int]
    key_columns: list[str]
    marker: str = DEFAULT_MARKER

    @property
    def value_columns(self) -> list[str]:
        return [column for column in self.text.columns if column not in self.key_columns]

    def unit(self, column: str) -> float:
        """The rounding unit of a numeric column as published (1 for whole numbers)."""
        return float(10.0 ** -self.decimals.get(column, 0))

    def row_keys(self) -> pd.Series:
        """``"age_group=0-15, year=2030"`` per row: how findings name a row."""
        return row_key_text(self.text, self.key_columns)


def row_key_text(text: pd.DataFrame, key_columns: list[str]) -> pd.Series:
    parts = [column + "=" + text[column].astype(str) for column in key_columns]
    return reduce(lambda left, right: left + ", " + right, parts).astype(str)


_DECIMALS = re.compile(r"\.(\d+)$")


def _parsed_column(cells: list[str], hidden: list[bool]) -> tuple[list[float], int] | None:
    """A column's cells as floats (NaN for blank or a symbol) and its most decimal places,
    or None for a text column (a cell that is not a number, or no number at all).

    Plain Python per cell: QA reads some 600 small tables, where pandas' per-column
    string methods cost far more than the cells themselves.
    """
    values: list[float] = []
    places = 0
    present = False
    for cell, is_hidden in zip(cells, hidden, strict=True):
        if cell == "" or is_hidden or cell in NOT_A_NUMBER_SYMBOLS:
            values.append(np.nan)
            continue
        if "_" in cell:  # float() reads "1_000"; a published number never has one
            return None
        try:
            value = float(cell)
        except ValueError:
            return None
        if value != value:  # "nan" is a word here, not a number
            return None
        present = True
        values.append(value)
        match = _DECIMALS.search(cell)
        if match is not None:
            places = max(places, len(match.group(1)))
    return (values, places) if present else None


def _parse_numbers(
    text: pd.DataFrame, marker: str
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Numeric columns parsed (blank/GSS symbol -> NaN), the suppressed mask, decimals."""
    hidden_by_column: dict[str, list[bool]] = {}
    numbers: dict[str, list[float]] = {}
    decimals: dict[str, int] = {}
    for column in text.columns:
        cells = [str(cell).strip() for cell in text[column].tolist()]
        hidden = [cell in (marker, CONFIDENTIAL) for cell in cells]
        hidden_by_column[column] = hidden
        parsed = _parsed_column(cells, hidden)
        if parsed is not None:
            numbers[column], decimals[column] = parsed
    suppressed = pd.DataFrame(hidden_by_column, index=text.index, columns=text.columns, dtype=bool)
    numeric = pd.DataFrame(numbers, index=text.index, columns=list(numbers), dtype="float64")
    return numeric, suppressed, decimals


def key_columns_of(text: pd.DataFrame, numeric_columns: set[str]) -> list[str]:
    """The columns that identify a row: the leading non-numeric columns.

    A table whose first column is numeric (years, deciles) is keyed by that column. When
    the leading columns do not identify rows uniquely (a long table ``age_group, year,
    value``), following columns are added until they do.
    """
    columns = list(text.columns)
    keys: list[str] = []
    for column in columns:
        if column in numeric_columns:
            break
        keys.append(column)
    if not keys:
        keys = columns[:1]
    while len(keys) < len(columns) and text.duplicated(keys).any():
        keys.append(columns[len(keys)])
    return keys


def read_published_table(
    path: Path, data_dir: Path, *, marker: str = DEFAULT_MARKER
) -> PublishedTable:
    """Read ``data_dir/<area>/<chapter>/<id>.csv`` as a :class:`PublishedTable`."""
    relative = path.relative_to(data_dir)
    parts = relative.parts
    area = parts[0] if len(parts) > 1 else ""
    chapter = "/".join(parts[1:-1])
    try:
        text = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(path, f"published table cannot be read: {error}") from error
    except pd.errors.EmptyDataError:
        text = pd.DataFrame()
    text.columns = [str(column) for column in text.columns]
    numbers, suppressed, decimals = _parse_numbers(text, marker)
    keys = key_columns_of(text, set(numbers.columns)) if len(text.columns) else []
    return PublishedTable(
        relative_path=f"data/{relative.as_posix()}",
        area=area,
        chapter=chapter,
        table_id=path.stem,
        text=text,
        numbers=numbers,
        suppressed=suppressed,
        decimals=decimals,
        key_columns=keys,
        marker=marker,
    )


def published_csvs(data_dir: Path) -> dict[str, Path]:
    """``<area>/<chapter>/<id>.csv`` -> path, for every CSV under ``data_dir`` (sorted)."""
    if not data_dir.is_dir():
        return {}
    return {
        path.relative_to(data_dir).as_posix(): path
        for path in sorted(
            data_dir.rglob("*.csv"), key=lambda p: p.relative_to(data_dir).as_posix()
        )
        if path.is_file()
    }


def rounding_tolerance(unit: float | np.ndarray, terms: int | np.ndarray) -> float | np.ndarray:
    """How far a sum of ``terms`` values each rounded to ``unit`` can be from the rounded
    exact sum: half a unit per term plus half a unit for the total itself."""
    return 0.5 * unit * (np.asarray(terms) + 1) * (1 + 1e-9)
