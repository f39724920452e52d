"""Record-level death and birth registrations, as a local authority receives them.

Public health teams receive ONS registrations (the Public Health Mortality and Births
files) one record per event. The contract's csv layouts keep the ONS field names:

- deaths: ``DOR, DOD, SEX, AGEINYRS, LSOAR, ICD10U`` (dates ``YYYY-MM-DD``, ``SEX``
  ``1`` male ``2`` female, age in completed years, LSOA of usual residence, underlying
  cause as ICD-10 without the dot, e.g. ``I219``), optionally followed by ``AGEINDAYS``
  (age in completed days for a death under one year, empty otherwise) and ``POD_TYPE``
  (place of death: ``home``, ``care_home``, ``hospital``, ``hospice``, ``religious``,
  ``other``). Older extracts without the two columns still read: their tidy columns are
  then missing throughout, and the infant and place-of-death indicators have no data;
- births and stillbirths: ``DOR, DOB, SEX, BIRTHWGT, GESTATN, AGEBM, LSOAR`` (weight in
  grams, gestation in completed weeks, mother's age in years). A stillbirth is, in law
  (Still-Birth Definition Act 1992), a baby born dead after 24 or more weeks, so a
  stillbirths file with a stated gestation under 24 weeks is refused.

Identical records are legitimate (two registrations can share every field), so no
duplicate check is made. Unknown birth weight or gestation is left blank by ONS; those
are read as NA (nullable integers) and counted in a warning, never guessed.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import (
    Extract,
    RawFile,
    RawTable,
    read_csv_with_columns,
)

DEATH_COLUMNS = ["DOR", "DOD", "SEX", "AGEINYRS", "LSOAR", "ICD10U"]
#: Optional death columns (newer extracts): age in days under one year, place of death.
DEATH_DETAIL_COLUMNS = ["AGEINDAYS", "POD_TYPE"]
PLACES_OF_DEATH = {
    place: place for place in ("home", "care_home", "hospital", "hospice", "religious", "other")
}
#: A death under one year is at most 365 days after birth (a leap year's 366th day is age 1).
MAX_AGE_IN_DAYS = 365
#: Shortest gestation of a registrable stillbirth (Still-Birth Definition Act 1992).
STILLBIRTH_MIN_GESTATION = 24
BIRTH_COLUMNS = ["DOR", "DOB", "SEX", "BIRTHWGT", "GESTATN", "AGEBM", "LSOAR"]
SEXES = {"1": "male", "2": "female"}
ICD10 = r"[A-Z]\d{2}[0-9X]?"
MAX_AGE = 125
log = logging.getLogger(__name__)


def _event_before_registration(
    table: RawTable, event: pd.Series, registered: pd.Series, column: str, what: str
) -> None:
    """An event cannot be registered before it happened."""
    late = (event > registered).to_numpy()
    if late.any():
        position = int(np.argmax(late))
        raise table.fail(
            f"{what} is after the registration date (DOR)",
            position=position,
            column=column,
            expected=f"a {what} on or before DOR",
            found=str(event.iloc[position].date()),
        )


def _read_registrations(
    path: str | Path, columns: list[str], event_column: str, what: str
) -> tuple[RawFile, RawTable, pd.Series, pd.Series]:
    """Read a registrations file and its two dates: ``(raw, table, registered, event)``.

    Deaths and births arrive in the same ONS record layout: a header naming ``DOR`` and
    the event date column, the registration date, and an event that cannot come after
    its registration. Reading both through here keeps those checks (and the order they
    fail in) the same for the two files.
    """
    raw, table = read_csv_with_columns(path, columns, ["DOR", event_column])
    # A registration cannot be after the build, nor before 1900 (``check.dates``); the
    # event is then bounded by its registration.
    registered = check.dates(table, "DOR", latest=check.today())
    event = check.dates(table, event_column, latest=check.today())
    _event_before_registration(table, event, registered, event_column, what)
    return raw, table, registered, event


def _sex(table: RawTable) -> pd.Categorical:
    """The ONS ``SEX`` code (1 male, 2 female) as a female/male categorical, as both files use."""
    return pd.Categorical(
        check.choices(table, "SEX", SEXES, description="sex"), categories=["female", "male"]
    )


def _death_details(table: RawTable, age: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """``age_days`` (float, NaN when empty or absent) and ``place_of_death`` (or missing).

    An age in days is only meaningful under one year: a value on a death aged 1 or over
    means the columns are shifted or the age is wrong, so it stops the build rather than
    count an adult as an infant death.
    """
    n = len(table.frame)
    columns = set(table.frame.columns)
    days = np.full(n, np.nan)
    if "AGEINDAYS" in columns:
        given = check.integers_in_range(table, "AGEINDAYS", 0, MAX_AGE_IN_DAYS, allow_blank=True)
        days = np.asarray(pd.array(given, dtype="Float64").to_numpy(na_value=np.nan), dtype=float)
        adult = ~np.isnan(days) & (np.asarray(age) >= 1)
        if adult.any():
            position = int(np.argmax(adult))
            raise table.fail(
                "age in days given for a death aged 1 year or over",
                position=position,
                column="AGEINDAYS",
                expected="empty unless AGEINYRS is 0",
                found=str(int(days[position])),
            )
    place = pd.Series(np.full(n, np.nan, dtype=object))
    if "POD_TYPE" in columns:
        place = check.choices(table, "POD_TYPE", PLACES_OF_DEATH, description="place of death")
    return days, place


def read_deaths(path: str | Path, *, name: str | None = None) -> Extract:
    """Read record-level death registrations.

    Tidy columns: ``registration_date, death_date`` (datetime64), ``sex`` (female/male),
    ``age`` (int, 0–125), ``lsoa_code``, ``underlying_cause`` (ICD-10, e.g. ``I219``),
    ``age_days`` (float, 0–365 for deaths under one year, NaN when empty or when the file
    has no ``AGEINDAYS``) and ``place_of_death`` (``home`` | ``care_home`` | ``hospital``
    | ``hospice`` | ``religious`` | ``other``, missing when the file has no ``POD_TYPE``).
    """
    raw, table, registered, died = _read_registrations(path, DEATH_COLUMNS, "DOD", "date of death")
    age = check.integers_in_range(table, "AGEINYRS", 0, MAX_AGE)
    frame = pd.DataFrame(
        {
            "registration_date": registered,
            "death_date": died,
            "sex": _sex(table),
            "age": age,
            "lsoa_code": check.codes(table, "LSOAR", check.LSOA, description="LSOA"),
            "underlying_cause": check.codes(table, "ICD10U", ICD10, description="ICD-10"),
        }
    )
    frame["age_days"], place = _death_details(table, age)
    frame["place_of_death"] = place.to_numpy(dtype=object)
    provenance = raw.provenance(name or "deaths", rows=len(frame), fmt="ons_deaths_records_csv")
    return Extract(name or "deaths", frame, (provenance,))


def _read_birth_records(
    path: str | Path, label: str, fmt: str, *, min_gestation: int, what: str
) -> Extract:
    """Live births and stillbirths share one record layout, one set of checks and columns."""
    raw, table, registered, born = _read_registrations(path, BIRTH_COLUMNS, "DOB", "date of birth")
    weight = check.integers_in_range(table, "BIRTHWGT", 100, 7000, allow_blank=True)
    gestation = check.integers_in_range(table, "GESTATN", min_gestation, 50, allow_blank=True)
    frame = pd.DataFrame(
        {
            "registration_date": registered,
            "birth_date": born,
            "sex": _sex(table),
            "birth_weight_g": pd.array(weight, dtype="Int64"),
            "gestation_weeks": pd.array(gestation, dtype="Int64"),
            "mother_age": check.integers_in_range(table, "AGEBM", 10, 65),
            "lsoa_code": check.codes(table, "LSOAR", check.LSOA, description="LSOA"),
        }
    )
    for column, text in (("birth_weight_g", "birth weight"), ("gestation_weeks", "gestation")):
        missing = int(frame[column].isna().sum())
        if missing:
            log.warning("%s: %d %s with unknown %s (kept as NA)", table.label, missing, what, text)
    provenance = raw.provenance(label, rows=len(frame), fmt=fmt)
    return Extract(label, frame, (provenance,))


def read_births(path: str | Path, *, name: str | None = None) -> Extract:
    """Read record-level birth registrations.

    Tidy columns: ``registration_date, birth_date`` (datetime64), ``sex`` (female/male),
    ``birth_weight_g`` (Int64, 100–7000 g, NA if unknown), ``gestation_weeks`` (Int64,
    16–50, NA if unknown), ``mother_age`` (int, 10–65), ``lsoa_code``.
    """
    return _read_birth_records(
        path, name or "births", "ons_births_records_csv", min_gestation=16, what="births"
    )


def read_stillbirths(path: str | Path, *, name: str | None = None) -> Extract:
    """Read record-level stillbirth registrations (the births layout, 24 weeks or more).

    Tidy columns as :func:`read_births`; ``gestation_weeks`` is 24–50 (NA if unknown).
    """
    return _read_birth_records(
        path,
        name or "stillbirths",
        "ons_stillbirths_records_csv",
        min_gestation=STILLBIRTH_MIN_GESTATION,
        what="stillbirths",
    )
