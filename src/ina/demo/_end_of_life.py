"""Synthetic linked end-of-life extract: every demo death with its last 90 days in hospital.

One row per death of the :class:`~ina.demo._world.DemoWorld` (the same decedents as the
deaths extract, so the counts agree), with the emergency admissions that began in the 90
days before death and the bed days they used, drawn with a generator of its own
(``seed + 303``):

    admissions ~ Poisson(m x Gamma(10, 1/10)),
    m = base x age factor x cause factor x exp(0.12 x deprivation)

The shapes (approximate, rounded) follow the OHID/NHS England end-of-life profiles and
the Nuffield Trust's analysis of hospital use in the last months of life: about 60% of
decedents have at least one emergency admission in their last 90 days, about 1.0 per
decedent on average and about one in ten three or more; fewer at the oldest ages
(more deaths in care homes, fewer transfers), fewer after sudden deaths (external
causes, myocardial infarction) and after dementia or "old age", more for cancer,
respiratory disease and sepsis, and more in deprived areas. Each admission lasts 0 days
(a same-day admission, about a quarter) or a gamma-distributed stay averaging about 9
days; bed days are summed within the window (at most 90).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ina.demo._world import DemoWorld

SEED_OFFSET = 303
MEAN_ADMISSIONS = 1.0
GAMMA_SHAPE = 10.0
DEPRIVATION_LOG_RR = 0.12
SAME_DAY_SHARE = 0.25
STAY_SHAPE, STAY_MEAN = 1.6, 9.0
WINDOW_DAYS = 90
#: (ICD-10 prefix, relative rate of emergency admission in the last 90 days). The
#: longest matching prefix wins; causes not listed have 1.0.
CAUSE_FACTORS: tuple[tuple[str, float], ...] = (
    ("C", 1.35), ("J", 1.3), ("U07", 1.2), ("A41", 1.3), ("N", 1.2), ("K", 1.2),
    ("I21", 0.6), ("I46", 0.5), ("F0", 0.55), ("G30", 0.55), ("R54", 0.4),
    ("P", 0.3), ("Q", 0.5), ("W", 0.9), ("V", 0.15), ("X", 0.15), ("Y", 0.15),
)  # fmt: skip
#: Relative rate by age (knots, interpolated): infants rarely have an *emergency*
#: admission (they die in the unit they were born into), the oldest fewer than midlife.
_AGE_KNOTS = ((0, 0.4), (1, 0.9), (40, 1.0), (70, 1.1), (80, 1.0), (90, 0.8), (100, 0.7))


def cause_factor(causes: np.ndarray) -> np.ndarray:
    """Relative admission rate of each underlying cause (longest prefix of the table)."""
    codes = pd.Series(causes, dtype="str")
    factor = np.ones(len(codes))
    for prefix, value in sorted(CAUSE_FACTORS, key=lambda item: len(item[0])):
        factor[codes.str.startswith(prefix).to_numpy()] = value
    return factor


def age_factor(age: np.ndarray) -> np.ndarray:
    ages, values = zip(*_AGE_KNOTS, strict=True)
    return np.interp(age, ages, values)


def draw_end_of_life(world: DemoWorld) -> pd.DataFrame:
    """The world's deaths with ``emergency_admissions_90d`` and ``bed_days_90d``."""
    rng = np.random.default_rng(world.seed + SEED_OFFSET)
    deaths = world.deaths
    percentile = (
        deaths["lsoa_code"].map(world.small_areas.set_index("lsoa_code")["percentile"]).to_numpy()
    )
    deprivation = 1.0 - 2.0 * percentile
    relative = (
        age_factor(deaths["age"].to_numpy())
        * cause_factor(deaths["underlying_cause"].to_numpy())
        * np.exp(DEPRIVATION_LOG_RR * deprivation)
    )
    mean = relative * MEAN_ADMISSIONS / relative.mean()
    frailty = rng.gamma(GAMMA_SHAPE, 1 / GAMMA_SHAPE, len(mean))
    admissions = np.minimum(rng.poisson(mean * frailty), WINDOW_DAYS)
    n = int(admissions.sum())
    stay = np.where(
        rng.random(n) < SAME_DAY_SHARE,
        0,
        1 + np.floor(rng.gamma(STAY_SHAPE, (STAY_MEAN - 1) / STAY_SHAPE, n)),
    )
    owner = np.repeat(np.arange(len(admissions)), admissions)
    bed_days = np.bincount(owner, weights=stay, minlength=len(admissions))
    return deaths.assign(
        emergency_admissions_90d=admissions.astype(np.int64),
        bed_days_90d=np.minimum(bed_days, WINDOW_DAYS).astype(np.int64),
    )
