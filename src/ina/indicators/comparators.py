"""England and regional comparators taken from OHID Fingertips "download data" exports.

Why: an ICB's extracts rarely hold England's numerators (no national deaths or births
file), yet benchmarking needs England's value and interval. Fingertips publishes them, for
every indicator with an id, with the count, denominator and both confidence levels. The
engine takes them **as published** (flagged ``source = "fingertips"``), never recomputed,
by indicator id, area code, sex, age and period:

- England (``E92000001``) and the region (``E12000006``, East of England, for Norfolk and
  Suffolk; ``region_code`` to change it) rows without a category (the headline value);
- the sex from the indicator's numerator filter (``Male``/``Female``, else ``Persons``);
- the period: the local result's period when Fingertips has the same one (``2020-24`` and
  ``2020 - 24`` are the same; ``2022/23`` matches ``2022-23``), else the latest Fingertips
  period, named in ``period`` so a reader sees when the two differ;
- the ages: the indicator's ``fingertips_age`` parameter, else the one age band the
  export has for that indicator (an export with several is ambiguous and refused).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ina.errors import InputError
from ina.indicators.areas import ENGLAND_AREA_ID
from ina.indicators.catalogue import Catalogue, Indicator
from ina.indicators.engine import RESULT_COLUMNS
from ina.indicators.measures import ENGLAND_CODE

__all__ = [
    "EAST_OF_ENGLAND_CODE",
    "REGION_AREA_ID",
    "fingertips_comparators",
    "fingertips_sex",
    "same_period",
]

EAST_OF_ENGLAND_CODE = "E12000006"
REGION_AREA_ID = "region"

_OUTPUT = ["indicator_id", "area_id", "area_code", "area_name", *RESULT_COLUMNS[2:]]


def _period_key(text: object) -> str:
    """Periods compared on their digits: ``2020 - 24``, ``2020-24`` → ``2020-24``;
    ``2022/23`` → ``2022-23``."""
    digits = re.findall(r"\d+", str(text))
    return "-".join(digits)


def same_period(local: object, published: object) -> bool:
    """True when a local period label and a Fingertips ``Time period`` are the same."""
    return _period_key(local) == _period_key(published) != ""


def fingertips_sex(indicator: Indicator) -> str:
    """The Fingertips ``Sex`` of an indicator: from its numerator's sex filter, else Persons."""
    condition = indicator.numerator_measure.condition("sex")
    if condition is not None and condition.kind == "equals":
        return str(condition.values[0]).capitalize()
    return "Persons"


def _rows_for(
    indicator: Indicator, export: pd.DataFrame, codes: list[str], path: object
) -> pd.DataFrame:
    """The headline rows of the comparator areas for one indicator (one age group)."""
    rows = export[
        (export["indicator_id"] == indicator.fingertips_id)
        & (export["sex"].fillna("") == fingertips_sex(indicator))
        & (export["category_type"].fillna("") == "")
        & export["area_code"].isin(codes)
    ]
    wanted_age = indicator.parameter("fingertips_age")
    if wanted_age is not None:
        rows = rows[rows["age"] == wanted_age]
    ages = sorted(rows["age"].dropna().unique().tolist())
    if len(ages) > 1:
        raise InputError(
            str(path),
            f"indicator {indicator.id!r}: Fingertips indicator {indicator.fingertips_id} has "
            "several age groups; set parameters.fingertips_age in the catalogue",
            column="Age",
            expected="one age group",
            found=", ".join(ages),
        )
    return rows


def fingertips_comparators(
    catalogue: Catalogue,
    export: pd.DataFrame,
    *,
    local_periods: Mapping[str, str] | None = None,
    region_code: str = EAST_OF_ENGLAND_CODE,
    path: object = "fingertips",
) -> pd.DataFrame:
    """England and region rows for every catalogue indicator with a Fingertips id.

    ``export``: the tidy frame of :func:`ina.sources.read_fingertips` (one or several
    exports concatenated); ``local_periods``: indicator id → the period of the local
    results, matched when Fingertips has it. Returns ``indicator_id, area_id ("england" |
    "region"), area_code, area_name, period`` and the published numbers (:data:`_OUTPUT`).
    """
    local_periods = local_periods or {}
    parts = []
    areas = {ENGLAND_CODE: ENGLAND_AREA_ID, region_code: REGION_AREA_ID}
    for indicator in catalogue:
        if indicator.fingertips_id is None:
            continue
        rows = _rows_for(indicator, export, list(areas), path)
        for code, area_id in areas.items():
            mine = rows[rows["area_code"] == code]
            if mine.empty:
                continue
            local = local_periods.get(indicator.id)
            matched = mine[[same_period(local, p) for p in mine["time_period"]]] if local else mine
            if matched.empty:
                matched = mine
            order = matched["time_period_sortable"].fillna(0).astype("int64")
            chosen = matched.loc[[order.idxmax()]]
            parts.append(
                pd.DataFrame(
                    {
                        "indicator_id": indicator.id,
                        "area_id": area_id,
                        "area_code": code,
                        "area_name": chosen["area_name"].to_numpy(),
                        "period": chosen["time_period"].to_numpy(),
                        "numerator": chosen["count"].to_numpy(dtype=float),
                        "denominator": chosen["denominator"].to_numpy(dtype=float),
                        "value": chosen["value"].to_numpy(dtype=float),
                        "lower_95": _column(chosen, "lower_ci_95_0_limit"),
                        "upper_95": _column(chosen, "upper_ci_95_0_limit"),
                        "lower_99_8": _column(chosen, "lower_ci_99_8_limit"),
                        "upper_99_8": _column(chosen, "upper_ci_99_8_limit"),
                    }
                )
            )
    if not parts:
        return pd.DataFrame(columns=_OUTPUT)
    return pd.concat(parts, ignore_index=True)[_OUTPUT]


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return frame[name].to_numpy(dtype=float)
