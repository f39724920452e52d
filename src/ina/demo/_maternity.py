"""Synthetic stillbirth registrations and smoking status at delivery, from the demo births.

Stillbirths (generator ``seed + 203``): for each small area and registration year, a
Poisson number with mean ``live births x r / (1 - r) x exp(0.45 x deprivation)``, with
``r`` scaled so that stillbirths are about 3.3 per 1,000 total births (England 2022:
3.3) and about twice as common in the most as in the least deprived fifth (ONS,
Births in England and Wales). Each stillbirth takes its mother's age from a live birth
of the same small area and year (so young mothers are where young mothers are), and
gets a gestation of 24 weeks or more, most of them preterm, a weight below that of a
live birth of the same gestation, and a registration within 42 days of delivery.

Smoking at delivery (generator ``seed + 204``): the maternities of a financial year
starting in ``Y`` are the small area's live births and stillbirths registered in
calendar year ``Y`` less about 1.5% (a twin or triplet delivery is one maternity). A
little over 2% have an unknown status; of the others, a share smokes that is about
13% in 2020/21, 11.2% in 2023/24 and 9% in 2024/25 across the ICB (OHID annual
SATOD, JFP Obj 1b), on a logistic scale with a deprivation slope that makes the most
deprived fifth about four times the least deprived (about 20% against 5%).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

from ina.demo._world import YEARS, DemoWorld, _registration_dates

STILLBIRTH_OFFSET = 203
SMOKING_OFFSET = 204
STILLBIRTHS_PER_1000_TOTAL = 3.3
STILLBIRTH_DEPRIVATION_B = 0.45
#: Share of known-status maternities smoking at delivery, by financial year (start).
SMOKING_SHARE = {2020: 0.130, 2021: 0.124, 2022: 0.118, 2023: 0.112, 2024: 0.090}
SMOKING_DEPRIVATION_B = 1.1
UNKNOWN_STATUS_SHARE = 0.022
SINGLETON_SHARE = 0.985
SMOKING_STATUSES = ("SMOKER", "NON_SMOKER", "UNKNOWN")


def _deprivation(world: DemoWorld) -> np.ndarray:
    return 1.0 - 2.0 * world.small_areas["percentile"].to_numpy()


def _births_by_area_year(world: DemoWorld) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """Live births (area, year of registration) and each birth's area and year index."""
    lsoa = world.small_areas["lsoa_code"].to_numpy()
    area = pd.Series(world.births["lsoa_code"]).map(pd.Series(np.arange(len(lsoa)), index=lsoa))
    year = pd.to_datetime(world.births["registration_date"]).dt.year - int(YEARS[0])
    counts = np.zeros((len(lsoa), len(YEARS)), dtype=np.int64)
    np.add.at(counts, (area.to_numpy(), year.to_numpy()), 1)
    return counts, area, year


def draw_stillbirths(world: DemoWorld) -> pd.DataFrame:
    """Record-level stillbirths, columns as the births file (unsorted, the writer sorts)."""
    rng = np.random.default_rng(world.seed + STILLBIRTH_OFFSET)
    live, birth_area, birth_year = _births_by_area_year(world)
    factor = np.exp(STILLBIRTH_DEPRIVATION_B * _deprivation(world))[:, None]
    ratio = STILLBIRTHS_PER_1000_TOTAL / (1000 - STILLBIRTHS_PER_1000_TOTAL)
    scale = ratio * live.sum() / (live * factor).sum()
    counts = rng.poisson(live * factor * scale)
    area_i, year_i = np.nonzero(counts)
    repeat = counts[area_i, year_i]
    area_i, year_i = np.repeat(area_i, repeat), np.repeat(year_i, repeat)
    n = len(area_i)
    # Mother's age: that of a random live birth of the same small area and year.
    key = birth_area.to_numpy() * len(YEARS) + birth_year.to_numpy()
    order = np.argsort(key, kind="stable")
    first = np.searchsorted(key[order], area_i * len(YEARS) + year_i)
    pick = order[first + (rng.random(n) * live[area_i, year_i]).astype(np.int64)]
    mother_age = world.births["mother_age"].to_numpy()[pick]
    gestation = np.where(
        rng.random(n) < 0.7,
        np.clip(np.round(24 + rng.gamma(2.0, 3.0, n)), 24, 36),
        np.clip(np.round(rng.normal(39.0, 1.3, n)), 37, 42),
    ).astype(np.int64)
    median = np.interp(
        gestation, [24, 28, 32, 36, 38, 40, 42], [600, 1050, 1650, 2500, 2950, 3250, 3400]
    )
    weight = np.clip(np.round(rng.normal(0.85 * median, 0.18 * median)), 250, 5_000)
    weight_text = np.where(rng.random(n) < 0.02, "", weight.astype(np.int64).astype(str))
    registration = _registration_dates(rng, YEARS[year_i], seasonal=False)
    delivered = registration - rng.integers(2, 43, n).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "DOR": np.datetime_as_string(registration, unit="D"),
            "DOB": np.datetime_as_string(delivered, unit="D"),
            "SEX": np.where(rng.random(n) < 0.52, 1, 2),
            "BIRTHWGT": weight_text,
            "GESTATN": gestation,
            "AGEBM": mother_age,
            "LSOAR": world.small_areas["lsoa_code"].to_numpy()[area_i],
        }
    )


def draw_smoking_at_delivery(world: DemoWorld) -> pd.DataFrame:
    """Rows ``FYEAR,LSOA21,SMOKING_STATUS,MATERNITIES`` (non-zero), in key order."""
    rng = np.random.default_rng(world.seed + SMOKING_OFFSET)
    live, _, _ = _births_by_area_year(world)
    stillbirths = draw_stillbirths(world)
    still = pd.crosstab(stillbirths["LSOAR"], pd.to_datetime(stillbirths["DOR"]).dt.year)
    lsoa = world.small_areas["lsoa_code"].to_numpy()
    still = still.reindex(index=lsoa, columns=YEARS, fill_value=0).to_numpy()
    maternities = rng.binomial(live + still, SINGLETON_SHARE)  # (area, year)
    unknown = rng.binomial(maternities, UNKNOWN_STATUS_SHARE)
    known = maternities - unknown
    q = _deprivation(world)
    area_effect = q * SMOKING_DEPRIVATION_B + rng.normal(0, 0.25, len(q))
    smokers = np.zeros_like(known)
    for j, year in enumerate(YEARS):
        target = SMOKING_SHARE[int(year)]

        def gap(intercept: float, j: int = j, target: float = target) -> float:
            share = expit(intercept + area_effect)
            return float((known[:, j] * share).sum() / known[:, j].sum() - target)

        intercept = brentq(gap, -8.0, 4.0)
        smokers[:, j] = rng.binomial(known[:, j], expit(intercept + area_effect))
    counts = np.stack([smokers, known - smokers, unknown], axis=-1)  # (area, year, status)
    counts = counts.transpose(1, 0, 2)  # (year, area, status): key order
    year_i, area_i, status_i = np.nonzero(counts)
    fyear = np.array([f"{y}{(y + 1) % 100:02d}" for y in YEARS])
    return pd.DataFrame(
        {
            "FYEAR": fyear[year_i],
            "LSOA21": lsoa[area_i],
            "SMOKING_STATUS": np.array(SMOKING_STATUSES)[status_i],
            "MATERNITIES": counts[year_i, area_i, status_i],
        }
    )
