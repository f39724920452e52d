"""Vectorised validation of raw text columns, in the spirit of ScotPHO's input checks.

Each check converts or tests a whole column at once with pandas/numpy and, when anything
is wrong, raises :class:`ina.errors.InputError` for the *first* bad row in file order
(found with ``numpy.argmax`` on a boolean mask, never a Python loop over rows), naming the
file, the 1-based line (or sheet row), the column, what was expected and what was found.

Why not pandera: its failure reports carry frame index positions rather than file lines,
its lazy mode collects every failure (costly on the 10-million-cell national extracts) and
the messages would have to be rewritten anyway; these few explicit checks give one exact,
user-facing message per problem and stay easy to read next to each format's reader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ina.sources._base import RawTable

#: Code patterns (ONS/NHS). ``X01`` LSOAs and ``Z9``/``UZ`` practices/PCNs are the demo data's.
LSOA = r"[EWX]01\d{6}"
DISTRICT = r"E0[6-9]\d{6}"
DISTRICT_EW = r"(?:E0[6-9]|W06)\d{6}"
COUNTY_EW = r"(?:E0[6-9]|E10|W06)\d{6}"
SUB_ICB_ONS = r"E38\d{6}"
ICB_ONS = r"E54\d{6}"
REGION_ONS = r"E40\d{6}"
ORG_CODE = r"[A-Z0-9]{2,6}"
PRACTICE = r"[A-Z]\d{5}|Z9\d{4}"
PCN = r"U\d{5}|UZ\d{4}|U"  # "U" is NHS Digital's code for "Unallocated"
ONS_AREA = r"[EWSNK]\d{8}"


# Plausible ceilings for counts, by what they count. Each is a generous multiple of the
# largest real value, so no genuine extract comes near it while a typo, a misplaced
# decimal point or a column of another unit (1e12 attendances) stops the build.

#: Residents (or registered patients) of one small area. LSOAs are drawn for 1,000 to
#: 3,000 residents (ONS) and the most populous LSOA 2021 holds about 10,000 (student
#: halls); 50,000 is five times that.
MAX_SMALL_AREA_POPULATION = 50_000
#: Residents of any ONS area (district, county, region, England, UK): the UK had 67.6
#: million people in mid-2022; 100 million is above any area's population.
MAX_AREA_POPULATION = 100_000_000
#: Patients registered with one GP practice or PCN. The largest practice lists in England
#: are about 100,000 patients and the largest PCNs about 200,000; one million is five
#: times the largest.
MAX_PRACTICE_LIST = 1_000_000
#: Patients registered in one sub-ICB, CCG, ICB or STP: the largest ICB (North West
#: London) has about 3 million; 10 million is over three times that.
MAX_SYSTEM_LIST = 10_000_000
#: Patients registered in one NHS England region (London, about 11 million) or nation.
MAX_REGION_LIST = 100_000_000


def _first(mask: np.ndarray) -> int | None:
    """Position of the first True, or None (argmax stops at the first True in C)."""
    if mask.size == 0:
        return None
    position = int(np.argmax(mask))
    return position if mask[position] else None


def _values(table: RawTable, column: str) -> pd.Series:
    return table.frame[column]


def text(table: RawTable, column: str, *, allow_blank: bool = False) -> pd.Series:
    """Stripped text; a blank cell is an error unless ``allow_blank``."""
    values = _values(table, column).str.strip()
    values = values.mask(values == "")
    if not allow_blank:
        bad = _first(values.isna().to_numpy())
        if bad is not None:
            raise table.fail("blank cell", position=bad, column=column, expected="a value")
    return values


def codes(
    table: RawTable,
    column: str,
    pattern: str,
    *,
    description: str,
    allow_blank: bool = False,
) -> pd.Series:
    """Codes matching ``pattern`` (e.g. LSOA ``E01`` + 6 digits); ill-formed → InputError."""
    values = text(table, column, allow_blank=allow_blank)
    ok = values.str.fullmatch(pattern).fillna(allow_blank).to_numpy(dtype=bool)
    bad = _first(~ok)
    if bad is not None:
        raise table.fail(
            f"ill-formed {description} code",
            position=bad,
            column=column,
            expected=f"{description} code matching {pattern}",
            found=values.iloc[bad],
        )
    return values


def _arrow_cast(raw: pd.Series, target: pa.DataType) -> np.ndarray | None:
    """Fast path: Arrow's C cast of the whole column, or None if any cell is not clean.

    Only a fully clean column (no blank, no stray text) takes this path (about 50 times
    faster than ``pd.to_numeric`` on text); anything else goes through the pandas path
    below, which finds and names the first bad cell.
    """
    try:
        cast = pc.cast(pa.array(raw), target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, TypeError):
        return None
    if cast.null_count:
        return None
    return cast.to_numpy(zero_copy_only=False)


#: Largest count any source may hold: 2**53, where float64 (through which non-clean
#: columns are parsed) stops representing every whole number, and far below int64's
#: 9.2e18, so a cast can never wrap. No count in any extract comes near it (England has
#: 5.7e7 people); sources give much tighter, population-based ``maximum`` bounds.
MAX_COUNT = 2**53


def counts(
    table: RawTable,
    column: str,
    *,
    allow_blank: bool = False,
    maximum: int | None = None,
    maximum_reason: str = "",
    expected: str | None = None,
) -> np.ndarray | pd.Series:
    """Whole numbers from 0 to ``maximum`` (``"112.0"`` is accepted as 112).

    Every count is also at most :data:`MAX_COUNT`, checked *before* the cast to int64 (a
    21-digit count would otherwise wrap to a negative number). ``maximum`` is the
    plausible ceiling the source's docstring justifies (usually a multiple of the
    population the count is of); ``maximum_reason`` says what it is, for the message, and
    ``expected`` replaces the whole expectation (``integers_in_range`` gives its range).
    Returns an ``int64`` array, or a nullable ``Int64`` Series when ``allow_blank``.
    """
    ceiling = MAX_COUNT if maximum is None else min(int(maximum), MAX_COUNT)
    raw = _values(table, column)
    fast = _arrow_cast(raw, pa.int64())
    if fast is not None and not (fast < 0).any() and not (fast > ceiling).any():
        return pd.array(fast, dtype="Int64") if allow_blank else fast  # type: ignore[return-value]
    number = pd.to_numeric(raw.str.strip(), errors="coerce").to_numpy(dtype=float)
    blank = raw.isna().to_numpy()
    missing = np.isnan(number)
    with np.errstate(invalid="ignore"):
        not_number = missing & ~blank
        infinite = ~missing & np.isinf(number)
        fractional = ~missing & ~infinite & (number != np.floor(number))
        negative = ~missing & (number < 0)
        too_large = ~missing & (number > ceiling)
    if expected is None:
        expected = f"a whole number from 0 to {ceiling:,}"
        if maximum_reason and maximum is not None:
            expected += f" ({maximum_reason})"
    problems = [
        (not_number | infinite, "not a number"),
        (fractional, "not a whole number"),
        (negative, "negative count"),
        (too_large, "count too large"),
    ]
    if not allow_blank:
        problems.append((blank, "blank count"))
    _raise_first(table, column, problems, expected=expected, raw=raw)
    if allow_blank:
        return pd.array(number, dtype="Float64").astype("Int64")  # type: ignore[return-value]
    return number.astype(np.int64)


def numbers(
    table: RawTable,
    column: str,
    *,
    allow_blank: bool = True,
    minimum: float | None = None,
    maximum: float | None = None,
) -> np.ndarray:
    """Floats (blank → NaN only where allowed; any other text → InputError)."""
    raw = _values(table, column)
    fast = _arrow_cast(raw, pa.float64())
    if (
        fast is not None
        and not np.isnan(fast).any()
        and (minimum is None or not (fast < minimum).any())
        and (maximum is None or not (fast > maximum).any())
    ):
        return fast
    number = pd.to_numeric(raw.str.strip(), errors="coerce").to_numpy(dtype=float)
    blank = raw.isna().to_numpy()
    missing = np.isnan(number)
    problems = [(missing & ~blank, "not a number")]
    if not allow_blank:
        problems.append((blank, "blank cell"))
    expected = "a number"
    with np.errstate(invalid="ignore"):
        if minimum is not None:
            problems.append((~missing & (number < minimum), f"below {minimum:g}"))
            expected += f" >= {minimum:g}"
        if maximum is not None:
            problems.append((~missing & (number > maximum), f"above {maximum:g}"))
            expected += f" <= {maximum:g}"
    _raise_first(table, column, problems, expected=expected, raw=raw)
    return number


def integers_in_range(
    table: RawTable, column: str, low: int, high: int, *, allow_blank: bool = False
) -> np.ndarray | pd.Series:
    """Whole numbers within ``[low, high]`` (ranks, deciles, ages, weeks)."""
    values = counts(
        table, column, allow_blank=allow_blank, expected=f"a whole number from {low} to {high}"
    )
    as_float = np.asarray(pd.array(values, dtype="Float64").to_numpy(na_value=np.nan))
    with np.errstate(invalid="ignore"):
        outside = ~np.isnan(as_float) & ((as_float < low) | (as_float > high))
    _raise_first(
        table,
        column,
        [(outside, "out of range")],
        expected=f"a whole number from {low} to {high}",
        raw=_values(table, column),
    )
    return values


def _raise_first(
    table: RawTable,
    column: str,
    problems: Sequence[tuple[np.ndarray, str]],
    *,
    expected: str,
    raw: pd.Series,
) -> None:
    """Raise for whichever problem occurs first in file order."""
    firsts = [(_first(mask), message) for mask, message in problems]
    firsts = [(position, message) for position, message in firsts if position is not None]
    if not firsts:
        return
    position, message = min(firsts)
    found = raw.iloc[position]
    raise table.fail(
        message,
        position=position,
        column=column,
        expected=expected,
        found="" if pd.isna(found) else found,
    )


def choices(
    table: RawTable, column: str, mapping: Mapping[str, str], *, description: str = "value"
) -> pd.Series:
    """Map published labels to tidy ones (case-insensitive); anything else → InputError."""
    raw = _values(table, column)
    keys = {key.casefold(): value for key, value in mapping.items()}
    mapped = raw.str.strip().str.casefold().map(keys)
    bad = _first(mapped.isna().to_numpy())
    if bad is not None:
        raise table.fail(
            f"unknown {description}",
            position=bad,
            column=column,
            expected="one of " + ", ".join(sorted(dict.fromkeys(mapping))),
            found="" if pd.isna(raw.iloc[bad]) else raw.iloc[bad],
        )
    return mapped.astype("str")


#: No extract holds an event, registration or extract date before this: ONS and NHS
#: Digital records start in the 20th century, so an earlier date is a typo (``1092``)
#: or a placeholder, never history.
EARLIEST_DATE = pd.Timestamp("1900-01-01")


#: The last day a ``datetime64[ns]`` column (the tidy frames' unit) can hold.
_LAST_REPRESENTABLE = pd.Timestamp("2261-12-31")


def today() -> pd.Timestamp:
    """The build date (local calendar day): no registration or extract can be after it."""
    return pd.Timestamp.today().normalize()


def dates(
    table: RawTable,
    column: str,
    formats: Sequence[str] = ("%Y-%m-%d",),
    *,
    earliest: pd.Timestamp | None = EARLIEST_DATE,
    latest: pd.Timestamp | None = None,
    latest_reason: str = "the build date",
) -> pd.Series:
    """Dates in any of ``formats`` (tried in turn, vectorised) → ``datetime64[ns]``.

    Every date is on or after ``earliest`` (1 January 1900 by default) and, when
    ``latest`` is given, on or before it: a registration, an event or an extract date
    after the day of the build (``latest=today()``) is a wrong date, not a forecast.
    """
    raw = _values(table, column).str.strip()
    # Microsecond resolution holds any year a typo can produce (``2999``); nanoseconds,
    # the tidy frames' unit, stop at 2262 and would raise on assignment.
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    for fmt in formats:
        todo = parsed.isna() & raw.notna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(raw[todo], format=fmt, errors="coerce").astype(
            "datetime64[us]"
        )
    bad = _first(parsed.isna().to_numpy())
    if bad is not None:
        raise table.fail(
            "not a date",
            position=bad,
            column=column,
            expected="a date like " + " or ".join(_example(f) for f in formats),
            found="" if pd.isna(raw.iloc[bad]) else raw.iloc[bad],
        )
    bounds: list[tuple[np.ndarray, str]] = []
    if latest is None or latest > _LAST_REPRESENTABLE:
        bounds.append(
            ((parsed > _LAST_REPRESENTABLE).to_numpy(), f"date after {_LAST_REPRESENTABLE.date()}")
        )
    if earliest is not None:
        bounds.append(((parsed < earliest).to_numpy(), f"date before {earliest.date()}"))
    if latest is not None:
        bounds.append(((parsed > latest).to_numpy(), f"date in the future (after {latest_reason})"))
    if any(mask.any() for mask, _ in bounds):
        low = earliest.date() if earliest is not None else None
        high = latest.date() if latest is not None else None
        expected = (
            f"a date from {low} to {high} ({latest_reason})"
            if low and high
            else f"a date on or after {low}"
            if low
            else f"a date on or before {high} ({latest_reason})"
            if high
            else f"a date on or before {_LAST_REPRESENTABLE.date()}"
        )
        _raise_first(table, column, bounds, expected=expected, raw=raw)
    return parsed.astype("datetime64[ns]")


def _example(fmt: str) -> str:
    return pd.Timestamp("2026-08-01").strftime(fmt)


NHS_DATE_FORMATS = ("%d%b%Y", "%Y-%m-%d", "%d/%m/%Y")


def unique(table: RawTable, keys: Mapping[str, pd.Series | np.ndarray], what: str) -> None:
    """No two rows share ``keys`` (file column name → values); names both rows on failure."""
    frame = pd.DataFrame({name: np.asarray(values) for name, values in keys.items()})
    repeated = frame.duplicated(keep="first").to_numpy()
    bad = _first(repeated)
    if bad is None:
        return
    row = frame.iloc[bad]
    same = (frame == row).all(axis=1).to_numpy()
    first = _first(same)
    shown = ", ".join(f"{k}={v}" for k, v in row.items())
    raise table.fail(
        f"duplicate {what} ({shown}), first seen at row {table.line_of(first or 0)}",
        position=bad,
        column=", ".join(keys),
        expected=f"one row per {what}",
    )


def totals_match(
    table: RawTable,
    *,
    total_positions: np.ndarray,
    totals: np.ndarray,
    sums: np.ndarray,
    column: str,
    what: str,
    tolerance: float = 0.0,
) -> None:
    """Each published total equals the sum of its parts (to the unit by default).

    ``total_positions`` are the data-row positions of the total rows (ALL / All ages /
    Total), aligned with ``totals`` and the recomputed ``sums``.
    """
    with np.errstate(invalid="ignore"):
        wrong = np.abs(np.asarray(totals, dtype=float) - np.asarray(sums, dtype=float)) > (
            tolerance + 1e-9
        )
    order = np.argsort(total_positions, kind="stable")
    bad = _first(wrong[order])
    if bad is None:
        return
    index = order[bad]
    raise table.fail(
        f"{what} does not equal the sum of its parts ({_fmt(sums[index])})",
        position=int(total_positions[index]),
        column=column,
        expected=f"{_fmt(sums[index])} (the sum)",
        found=_fmt(totals[index]),
    )


def _fmt(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return f"{int(number)}" if number.is_integer() else f"{number:g}"


def only_value(table: RawTable, column: str, values: pd.Series) -> str | None:
    """The single value a column takes (e.g. EXTRACT_DATE); several → InputError."""
    distinct = pd.unique(values.dropna())
    if len(distinct) > 1:
        second = _first((values != distinct[0]).to_numpy(dtype=bool))
        raise table.fail(
            "more than one value in a column that should hold one",
            position=second,
            column=column,
            expected=f"{distinct[0]} throughout",
            found=str(distinct[1]),
        )
    return None if len(distinct) == 0 else str(distinct[0])


def whole_where(
    table: RawTable, column: str, values: np.ndarray, where: np.ndarray, *, what: str
) -> None:
    """``values`` (already parsed numbers) are whole wherever ``where`` holds.

    For long layouts whose one ``VALUE`` column mixes counts with decimals (QOF points, a
    modelled expected count): the counts must still be whole numbers.
    """
    with np.errstate(invalid="ignore"):
        fractional = where & ~np.isnan(values) & (values != np.floor(values))
    bad = _first(fractional)
    if bad is not None:
        raise table.fail(
            "not a whole number",
            position=bad,
            column=column,
            expected=f"a whole number ({what})",
            found=_values(table, column).iloc[bad],
        )


def part_within_whole(
    table: RawTable,
    *,
    part: np.ndarray,
    whole: np.ndarray,
    positions: np.ndarray,
    column: str,
    what: str,
) -> None:
    """Each ``part`` is at most its ``whole`` (a numerator within its denominator).

    ``positions`` are the data-row positions reported (the part's rows); pairs where either
    side is missing (NaN) are not compared. The first offending row in file order is named.
    """
    part = np.asarray(part, dtype=float)
    whole = np.asarray(whole, dtype=float)
    positions = np.asarray(positions)
    with np.errstate(invalid="ignore"):
        wrong = part > whole
    order = np.argsort(positions, kind="stable")
    bad = _first(wrong[order])
    if bad is None:
        return
    index = order[bad]
    raise table.fail(
        f"{what} ({_fmt(part[index])} > {_fmt(whole[index])})",
        position=int(positions[index]),
        column=column,
        expected=f"at most {_fmt(whole[index])}",
        found=_fmt(part[index]),
    )
