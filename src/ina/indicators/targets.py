"""Progress against the plans' targets: met, not met, not yet due, or cannot be assessed.

Why a register computed from the catalogue: the PHIP and the JFP set quantified targets
(INDICATORS.md §10.1) but the INA is where their progress is evidenced. Each target lives
on its indicator's catalogue entry (value, operator, date, plan and section), so the
register, the summary's progress table and the gap in people are all derived from the same
results as every other table.

Status rules, for each area with a value:

- **met**: the value meets the target (``< 6``, ``>= 85`` ...);
- **not yet due**: not met, and the target's date is after the assessment date;
- **not met**: not met, and the date has passed or no date was set;
- **cannot be assessed**: the value is missing, suppressed or not computed.

The gap in people is how many more people would need the outcome (or fewer have it) for
the area to meet the target: ``max(0, T·N − X)`` for a "higher is the aim" target and
``max(0, X − T·N)`` for a "lower is the aim" one, with T the target on the value's scale
(divided by the multiplier) and N, X the denominator and numerator. It is given for counts
of people (proportions and crude rates) only; a standardised rate has no such count.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ina.indicators.catalogue import Catalogue

__all__ = [
    "CANNOT_BE_ASSESSED",
    "MET",
    "NOT_MET",
    "NOT_YET_DUE",
    "TARGET_COLUMNS",
    "target_progress",
]

MET = "met"
NOT_MET = "not met"
NOT_YET_DUE = "not yet due"
CANNOT_BE_ASSESSED = "cannot be assessed"
_GAP_STATISTICS = {"proportion_wilson", "crude_rate"}

TARGET_COLUMNS = [
    "indicator_id",
    "target_number",
    "area_id",
    "period",
    "value",
    "target",
    "target_value",
    "target_date",
    "plan",
    "plan_area",
    "section",
    "status",
    "gap_people",
]


def target_progress(
    results: pd.DataFrame, catalogue: Catalogue, *, as_of: dt.date, area_ids: list[str]
) -> pd.DataFrame:
    """One row per target × area of ``area_ids`` (:data:`TARGET_COLUMNS`).

    ``results``: the engine's results (``indicator_id, area_id, period, numerator,
    denominator, value``); a value that is missing (not computed, suppressed) gives
    "cannot be assessed". ``as_of`` decides "not yet due" (the report's date, so the
    register is the same whenever the build is rerun).
    """
    indexed = results.set_index(["indicator_id", "area_id"])
    rows = []
    for indicator in catalogue:
        for number, target in enumerate(indicator.targets, start=1):
            for area_id in area_ids:
                key = (indicator.id, area_id)
                found = indexed.loc[key] if key in indexed.index else None
                value = float(found["value"]) if found is not None else np.nan
                status, gap = CANNOT_BE_ASSESSED, np.nan
                if not np.isnan(value):
                    if target.met(value):
                        status = MET
                    elif target.due is not None and target.due > as_of:
                        status = NOT_YET_DUE
                    else:
                        status = NOT_MET
                    if indicator.method in _GAP_STATISTICS:
                        share = target.value / indicator.multiplier
                        x, n = float(found["numerator"]), float(found["denominator"])
                        aim_higher = target.operator in (">", ">=")
                        gap = max(0.0, share * n - x) if aim_higher else max(0.0, x - share * n)
                rows.append(
                    {
                        "indicator_id": indicator.id,
                        "target_number": number,
                        "area_id": area_id,
                        "period": found["period"] if found is not None else "",
                        "value": value,
                        "target": target.label,
                        "target_value": target.value,
                        "target_date": target.by,
                        "plan": target.plan,
                        "plan_area": target.area,
                        "section": target.section,
                        "status": status,
                        "gap_people": gap,
                    }
                )
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)
