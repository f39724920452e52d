"""What a numerator or denominator counts: a source extract, a filter, and counted or summed.

Why a small filter language instead of Python per indicator: the ~150 indicators of the
INA differ mostly in *which rows* of a handful of extracts they count (an age range, a sex,
a set of ICD-10 codes, a birth weight below a threshold, an activity type). Written as data
(``where:`` in the catalogue), the filter is validated on load, printed in the definitions
table, and applied by one engine to every area at once.

A :class:`Measure` names a source of ``ina.yml`` (``births``, ``deaths``,
``resident_population``, ``registered_by_age``, ``hospital_activity`` ...), an optional
``where`` mapping (column → condition) and an optional ``sum`` column (otherwise the rows
are counted, or the source's natural value column summed: residents, patients, counts).

Conditions (``where: {column: condition}``):

===========================  ===============================================
``female``, ``2024``         equal to the value
``[1, 2]``                   one of the values
``{below: 2500}``            less than (``under`` is a synonym)
``{at_least: 65}``           greater than or equal
``{above: 3}``               greater than
``{at_most: 74}``            less than or equal
``{between: [15, 44]}``      inclusive range
``stated``                   present and numeric (a stated birth weight ...)
``{icd10: [C00-C97, X60]}``  ICD-10 codes (3 or 4 characters) in the ranges
===========================  ===============================================

``imd_decile`` may be used on any source born at small area: it is joined from the
``deprivation`` extract (national IMD decile of the small area).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = [
    "SOURCE_KINDS",
    "Condition",
    "Measure",
    "SourceKind",
    "parse_condition",
]

BornAt = Literal["small_area", "practice"]


@dataclass(frozen=True)
class SourceKind:
    """How the engine reads one ``ina.yml`` source: its unit, value, dates and ages.

    ``unit_column`` is the code the rows are born at (small area or practice); ``value``
    is summed when a measure gives no ``sum`` (None: every row counts once); ``date`` or
    ``year`` gives each row's year (None: a snapshot such as a population estimate);
    ``age_band`` is set for sources published in five-year bands ("0-4" ... "90+"), whose
    ``age`` conditions apply to the band's first age; ``england`` names the source and the
    code column holding the same measure for England (ONS MYE2), when one exists.
    """

    born_at: BornAt
    unit_column: str
    value: str | None = None
    date: str | None = None
    year: str | None = None
    age_band: str | None = None
    england: tuple[str, str] | None = None


#: ONS code of England.
ENGLAND_CODE = "E92000001"

SOURCE_KINDS: dict[str, SourceKind] = {
    "resident_population": SourceKind(
        "small_area", "lsoa_code", value="population", england=("national_population", "area_code")
    ),
    "deaths": SourceKind("small_area", "lsoa_code", date="registration_date"),
    "births": SourceKind("small_area", "lsoa_code", date="registration_date"),
    "hospital_activity": SourceKind(
        "small_area", "lsoa_code", value="count", year="year", age_band="age_band"
    ),
    "hospital_admissions": SourceKind(
        "small_area", "lsoa_code", value="admissions", year="year", age_band="age_band"
    ),
    "ae_attendances": SourceKind(
        "small_area", "lsoa_code", value="attendances", year="year", age_band="age_band"
    ),
    "stillbirths": SourceKind("small_area", "lsoa_code", date="registration_date"),
    "smoking_at_delivery": SourceKind("small_area", "lsoa_code", value="maternities", year="year"),
    "ncmp": SourceKind("small_area", "lsoa_code", value="children", year="year"),
    "cancer_registrations": SourceKind(
        "small_area", "lsoa_code", value="cases", year="year", age_band="age_band"
    ),
    "end_of_life": SourceKind("small_area", "lsoa_code", date="registration_date"),
    "registered_by_age": SourceKind("practice", "org_code", value="patients"),
    "qof_prevalence": SourceKind("practice", "practice_code", value="register"),
    "qof_achievement": SourceKind("practice", "practice_code", value="numerator"),
    "cvdprevent": SourceKind("practice", "practice_code", value="numerator"),
    "gp_record_flags": SourceKind("practice", "practice_code", value="value"),
    "screening": SourceKind("practice", "practice_code", value="screened"),
}
"""Sources a measure can count from (the others feed geography or recipes)."""


# --- conditions -----------------------------------------------------------------------------

_ICD10_CODE = re.compile(r"^[A-Z][0-9]{2}[0-9A-Z]?$")
_OPERATORS = {
    "below": np.less,
    "under": np.less,
    "at_least": np.greater_equal,
    "above": np.greater,
    "at_most": np.less_equal,
}


class ConditionError(ValueError):
    """A ``where`` condition that cannot be understood (the catalogue names the entry)."""


@dataclass(frozen=True)
class Condition:
    """One parsed ``where`` condition: apply it to a column with :meth:`mask`."""

    kind: str
    values: tuple[Any, ...]

    def mask(self, column: pd.Series) -> np.ndarray:
        """True for the rows that meet the condition (missing values never do).

        A text or categorical column (ICD-10 codes, age bands, statuses) is evaluated on
        its distinct values and mapped back: an extract of a million rows has a few
        hundred codes, and the string work is what costs.
        """
        if not pd.api.types.is_numeric_dtype(column.dtype) and len(column) > 1000:
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
            if len(uniques) * 4 < len(column):
                on_uniques = self._mask_values(pd.Series(np.asarray(uniques, dtype=object)))
                out = np.zeros(len(column), dtype=bool)
                found = codes >= 0
                out[found] = on_uniques[codes[found]]
                return out
        return self._mask_values(column)

    def _mask_values(self, column: pd.Series) -> np.ndarray:
        if self.kind == "equals":
            return (column.astype(object) == self.values[0]).fillna(False).to_numpy(dtype=bool)
        if self.kind == "one_of":
            return column.astype(object).isin(list(self.values)).to_numpy(dtype=bool)
        numbers = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
        if self.kind == "stated":
            return ~np.isnan(numbers)
        if self.kind == "between":
            low, high = self.values
            with np.errstate(invalid="ignore"):
                return (numbers >= low) & (numbers <= high)
        if self.kind in _OPERATORS:
            with np.errstate(invalid="ignore"):
                return _OPERATORS[self.kind](numbers, self.values[0])
        if self.kind == "icd10":
            return _icd10_mask(column, self.values)
        raise ConditionError(f"unknown condition {self.kind!r}")  # pragma: no cover

    def describe(self) -> str:
        """The condition in words, for the definitions table."""
        if self.kind == "equals":
            return str(self.values[0])
        if self.kind == "one_of":
            return " or ".join(str(v) for v in self.values)
        if self.kind == "stated":
            return "stated"
        if self.kind == "between":
            return f"{self.values[0]:g} to {self.values[1]:g}"
        if self.kind == "icd10":
            return "ICD-10 " + ", ".join(f"{a}-{b}" if a != b else a for a, b in self.values)
        words = {"below": "under", "under": "under", "at_least": "at least", "above": "over"}
        return f"{words.get(self.kind, 'at most')} {self.values[0]:g}"


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConditionError(f"{what} must be a number, got {value!r}")
    return float(value)


def _icd10_range(text: object) -> tuple[str, str]:
    if not isinstance(text, str):
        raise ConditionError(f"an ICD-10 range must be text such as 'C00-C97', got {text!r}")
    first, _, last = text.strip().upper().partition("-")
    last = last or first
    for code in (first, last):
        if not _ICD10_CODE.match(code):
            raise ConditionError(f"{code!r} is not an ICD-10 code (letter, 2 digits, optional 4th)")
    if first[0] != last[0] or first > last:
        raise ConditionError(f"ICD-10 range {text!r} must run upwards within one letter")
    return first, last


def _icd10_mask(column: pd.Series, ranges: tuple[Any, ...]) -> np.ndarray:
    """Codes within any range; a 3-character bound covers all its 4th characters."""
    codes = column.astype("string").str.upper().str.replace(".", "", regex=False)
    three = codes.str[:3]
    result = np.zeros(len(column), dtype=bool)
    for first, last in ranges:
        if len(first) == 3 and len(last) == 3:
            hit = (three >= first) & (three <= last)
        else:
            low = first if len(first) == 4 else first + "0"
            high = last if len(last) == 4 else last + "Z"
            four = codes.str[:4]
            hit = (four >= low) & (four <= high)
        result |= hit.fillna(False).to_numpy(dtype=bool)
    return result


def parse_condition(condition: object) -> Condition:
    """A catalogue ``where`` value as a :class:`Condition` (raises ConditionError)."""
    if isinstance(condition, str) and condition == "stated":
        return Condition("stated", ())
    if isinstance(condition, str | int | float) and not isinstance(condition, bool):
        return Condition("equals", (condition,))
    if isinstance(condition, list):
        if not condition:
            raise ConditionError("a list of values must not be empty")
        return Condition("one_of", tuple(condition))
    if isinstance(condition, Mapping) and len(condition) == 1:
        ((kind, value),) = condition.items()
        if kind in _OPERATORS:
            return Condition(str(kind), (_number(value, str(kind)),))
        if kind == "between":
            if not isinstance(value, list) or len(value) != 2:
                raise ConditionError("between takes [low, high]")
            low, high = (_number(v, "between") for v in value)
            if low > high:
                raise ConditionError(f"between [{low:g}, {high:g}] runs downwards")
            return Condition("between", (low, high))
        if kind == "icd10":
            items = value if isinstance(value, list) else [value]
            return Condition("icd10", tuple(_icd10_range(item) for item in items))
    raise ConditionError(
        "a condition is a value, a list, 'stated', or one of {below|under|at_least|above|"
        f"at_most: n}}, {{between: [a, b]}}, {{icd10: [ranges]}}; got {condition!r}"
    )


# --- measures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A numerator or denominator: what it counts, in words and as data."""

    text: str
    source: str | None = None
    where: tuple[tuple[str, Condition], ...] = ()
    sum: str | None = None

    @property
    def kind(self) -> SourceKind | None:
        return SOURCE_KINDS.get(self.source) if self.source else None

    def condition(self, column: str) -> Condition | None:
        for name, condition in self.where:
            if name == column:
                return condition
        return None

    def describe(self) -> str:
        """``births where birth_weight_g under 2500`` (for the definitions table)."""
        if self.source is None:
            return self.text
        parts = [f"{name} {condition.describe()}" for name, condition in self.where]
        return self.source + (" where " + ", ".join(parts) if parts else "")

    def rows(self, frame: pd.DataFrame) -> np.ndarray:
        """True for the rows of the source frame this measure counts."""
        keep = np.ones(len(frame), dtype=bool)
        kind = self.kind
        for name, condition in self.where:
            if name == "age" and kind is not None and kind.age_band is not None:
                column = band_start(frame[kind.age_band])
            else:
                column = frame[name]
            keep &= condition.mask(column)
        return keep

    def weights(self, frame: pd.DataFrame) -> np.ndarray:
        """What each row adds: the ``sum`` column, the source's value column, or 1."""
        column = self.sum or (self.kind.value if self.kind else None)
        if column is None:
            return np.ones(len(frame), dtype=float)
        return pd.to_numeric(frame[column], errors="coerce").fillna(0).to_numpy(dtype=float)


def band_start(bands: pd.Series) -> pd.Series:
    """First age of each five-year band label ("0-4" → 0, "90+" → 90), as floats (worked
    out once per distinct label: a banded extract repeats a few labels a million times)."""
    codes, uniques = pd.factorize(bands, use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object)).astype("string")
    starts = pd.to_numeric(text.str.extract(r"^(\d+)")[0], errors="coerce").to_numpy(float)
    out = np.full(len(bands), np.nan)
    found = codes >= 0
    out[found] = starts[codes[found]]
    return pd.Series(out, index=bands.index)
