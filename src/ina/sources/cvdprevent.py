"""CVDPREVENT audit data download at practice level (NHS England / NHS Benchmarking).

The audit's data download gives, for one system level, one row per indicator, time
period and area:

    IndicatorCode,IndicatorShortName,TimePeriod,AreaCode,AreaName,AreaType,Numerator,Denominator,Value

with ``IndicatorCode`` such as ``CVDP007HYP`` (``CVDP``, three digits, the condition and,
in this project's extract, an optional suffix such as ``_ACR``), ``TimePeriod`` the
audit's period name (``To March 2025``: the 12 months to the end of that month),
``AreaType`` ``Practice`` and ``Value`` the percentage ``100 x Numerator /
Denominator`` rounded as published (blank where the denominator is 0). The INA reads the
practice rows only: the practice map then carries them to PCN, sub-ICB, place and ICB.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ina.sources import _checks as check
from ina.sources._base import Extract, RawTable, read_csv_with_columns

COLUMNS = [
    "IndicatorCode",
    "IndicatorShortName",
    "TimePeriod",
    "AreaCode",
    "AreaName",
    "AreaType",
    "Numerator",
    "Denominator",
    "Value",
]
INDICATOR_CODE = r"CVDP\d{3}[A-Z0-9_]+"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
TIME_PERIOD = r"To (?:" + "|".join(MONTHS) + r") (?:19|20)\d{2}"
#: How far a published ``Value`` may be from ``100 x Numerator / Denominator``: the audit
#: rounds percentages (to one decimal place, or to a whole number in some views), so half a
#: point allows any published rounding while a value from another row or column does not pass.
VALUE_TOLERANCE = 0.5
FORMAT = "cvdprevent_download_csv"


def _period_ended(table: RawTable, period: pd.Series) -> None:
    """A period ends with its month; a month not over by the build date is an error."""
    month = period.str.extract(r"To (\w+) (\d{4})")
    number = month[0].map({name: i + 1 for i, name in enumerate(MONTHS)})
    end = pd.to_datetime(
        {"year": month[1].astype(int), "month": number.astype(int), "day": 1}
    ) + pd.offsets.MonthEnd(0)
    future = (end > check.today()).to_numpy()
    if future.any():
        position = int(np.argmax(future))
        raise table.fail(
            "time period has not ended yet",
            position=position,
            column="TimePeriod",
            expected=f"a period ending by the build date ({check.today().date()})",
            found=period.iloc[position],
        )


def read_cvdprevent(path: str | Path, *, name: str | None = None) -> Extract:
    """Read a practice-level CVDPREVENT data download.

    Tidy columns: ``practice_code, indicator_code, period`` (the published period name,
    e.g. ``To March 2025``), ``numerator, denominator`` (int). Checks: the nine columns,
    indicator codes, period names (a month and year that has ended), ``AreaType`` Practice
    and practice codes, whole counts from 0 to 1,000,000 (one practice's patients),
    numerator <= denominator, ``Value`` (when given) within 0.5 points of 100 x numerator
    / denominator, and one row per indicator, period and practice.
    """
    raw, table = read_csv_with_columns(path, COLUMNS, ["IndicatorCode", "AreaCode"])
    indicator = check.codes(table, "IndicatorCode", INDICATOR_CODE, description="CVDPREVENT")
    period = check.codes(table, "TimePeriod", TIME_PERIOD, description="CVDPREVENT period")
    _period_ended(table, period)
    check.choices(table, "AreaType", {"Practice": "Practice"}, description="area type")
    practice = check.codes(table, "AreaCode", check.PRACTICE, description="GP practice")
    limit = {"maximum": check.MAX_PRACTICE_LIST, "maximum_reason": "patients of one practice"}
    numerator = check.counts(table, "Numerator", **limit)  # type: ignore[arg-type]
    denominator = check.counts(table, "Denominator", **limit)  # type: ignore[arg-type]
    check.part_within_whole(
        table,
        part=numerator,
        whole=denominator,
        positions=np.arange(len(numerator)),
        column="Numerator",
        what="numerator above its denominator",
    )
    value = check.numbers(table, "Value", minimum=0, maximum=100)
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = np.where(denominator > 0, 100.0 * numerator / np.maximum(denominator, 1), np.nan)
        wrong = ~np.isnan(value) & (
            np.isnan(percent) | (np.abs(value - percent) > VALUE_TOLERANCE + 1e-9)
        )
    if wrong.any():
        position = int(np.argmax(wrong))
        expected = (
            "blank (the denominator is 0)"
            if np.isnan(percent[position])
            else f"{percent[position]:.1f} (100 x Numerator / Denominator)"
        )
        raise table.fail(
            "Value does not match Numerator / Denominator",
            position=position,
            column="Value",
            expected=expected,
            found=table.frame["Value"].iloc[position],
        )
    check.unique(
        table,
        {"IndicatorCode": indicator, "TimePeriod": period, "AreaCode": practice},
        "indicator, time period and practice",
    )
    frame = pd.DataFrame(
        {
            "practice_code": practice.astype("str"),
            "indicator_code": indicator.astype("str"),
            "period": period.astype("str"),
            "numerator": np.asarray(numerator, dtype=np.int64),
            "denominator": np.asarray(denominator, dtype=np.int64),
        }
    )
    label = name or "cvdprevent"
    return Extract(label, frame, (raw.provenance(label, rows=len(frame), fmt=FORMAT),))
