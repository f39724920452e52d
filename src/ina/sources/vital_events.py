"""Record-level death and birth registrations, as a local authority receives them.

Public health teams receive ONS registrations (the Public Health Mortality and Births
files) one record per event. The contract's csv layouts keep the ONS field names:

- deaths: ``DOR, DOD, SEX, AGEINYRS, LSOAR, ICD10U`` (dates ``YYYY-MM-DD``, ``SEX``
  ``1`` male ``2`` female, age in completed years, LSOA of usual residence, underlying
  cause as ICD-10 without the dot, e.g. ``I219``);
- births: ``DOR, DOB, SEX, BIRTHWGT, GESTATN, AGEBM, LSOAR`` (weight in grams,
  gestation in completed weeks, mother's age in years).

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


def read_deaths(path: str | Path, *, name: str | None = None) -> Extract:
    """Read record-level death registrations.

    Tidy columns: ``registration_date, death_date`` (datetime64), ``sex`` (female/male),
    ``age`` (int, 0–125), ``lsoa_code``, ``underlying_cause`` (ICD-10, e.g. ``I219``).
    """
    raw, table, registered, died = _read_registrations(path, DEATH_COLUMNS, "DOD", "date of death")
    frame = pd.DataFrame(
        {
            "registration_date": registered,
            "death_date": died,
            "sex": _sex(table),
            "age": check.integers_in_range(table, "AGEINYRS", 0, MAX_AGE),
            "lsoa_code": check.codes(table, "LSOAR", check.LSOA, description="LSOA"),
            "underlying_cause": check.codes(table, "ICD10U", ICD10, description="ICD-10"),
        }
    )
    provenance = raw.provenance(name or "deaths", rows=len(frame), fmt="ons_deaths_records_csv")
    return Extract(name or "deaths", frame, (provenance,))


def read_births(path: str | Path, *, name: str | None = None) -> Extract:
    """Read record-level birth registrations.

    Tidy columns: ``registration_date, birth_date`` (datetime64), ``sex`` (female/male),
    ``birth_weight_g`` (Int64, 100–7000 g, NA if unknown), ``gestation_weeks`` (Int64,
    16–50, NA if unknown), ``mother_age`` (int, 10–65), ``lsoa_code``.
    """
    raw, table, registered, born = _read_registrations(path, BIRTH_COLUMNS, "DOB", "date of birth")
    weight = check.integers_in_range(table, "BIRTHWGT", 100, 7000, allow_blank=True)
    gestation = check.integers_in_range(table, "GESTATN", 16, 50, allow_blank=True)
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
    for column, label in (("birth_weight_g", "birth weight"), ("gestation_weeks", "gestation")):
        missing = int(frame[column].isna().sum())
        if missing:
            log.warning("%s: %d births with unknown %s (kept as NA)", table.label, missing, label)
    provenance = raw.provenance(name or "births", rows=len(frame), fmt="ons_births_records_csv")
    return Extract(name or "births", frame, (provenance,))
