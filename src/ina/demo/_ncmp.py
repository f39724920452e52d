"""Synthetic NCMP: Reception and Year 6 children of the demo small areas by BMI category.

Each small area's residents aged 4 (Reception) and 10 (Year 6) in the
:class:`~ina.demo._world.DemoWorld` population are measured with probability about 95%
(slightly less in deprived areas, as NCMP participation is), every academic year
2019/20 to 2023/24. Each measured child's BMI centile is a latent normal score

    z ~ Normal(b x deprivation + sex shift + year shift + small-area effect,
               exp(a x deprivation))

cut at fixed thresholds into the UK90 clinical categories (underweight, healthy weight,
overweight, obese excluding severe, severely obese). The thresholds are solved so that an
England-like spread of deprivation (national percentiles uniform) gives England's
2023/24 NCMP shares: Reception 22.1% overweight including obesity, 9.6% obese including
severe, 2.5% severely obese; Year 6 35.8%, 22.1% and 5.8%; underweight about 1.1% and
1.6%. The deprivation terms (a wider, higher distribution in deprived areas) give about
twice the obesity of the least deprived fifth in the most deprived fifth, and about 1.4
times the Year 6 overweight (the JFP Figure 5 ratio); boys are more often obese than
girls in Year 6. The year shift follows England's obesity series (the 2020/21 peak of
the pandemic year, then the fall back). A generator of its own (``seed + 301``) draws
the file, so adding it shifts no other demo file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import ndtr

from ina.demo._world import DemoWorld

SEED_OFFSET = 301
ACADEMIC_YEARS = (2019, 2020, 2021, 2022, 2023)
#: School year code, age of the residents measured, and the model's parameters.
SCHOOL_YEARS = ("R", "6")
AGE_MEASURED = {"R": 4, "6": 10}
#: England 2023/24: share underweight, and shares at or above the overweight, obese and
#: severely obese thresholds (each including the heavier categories).
ENGLAND_SHARES = {
    "R": (0.011, 0.221, 0.096, 0.025),
    "6": (0.016, 0.358, 0.221, 0.058),
}
#: England obesity including severe obesity by academic year (NCMP national series).
ENGLAND_OBESITY = {
    "R": {2019: 0.099, 2020: 0.144, 2021: 0.101, 2022: 0.092, 2023: 0.096},
    "6": {2019: 0.210, 2020: 0.255, 2021: 0.234, 2022: 0.227, 2023: 0.221},
}
#: Latent mean shift and log-spread per unit of deprivation (-1 least .. +1 most).
DEPRIVATION_SHIFT = {"R": 0.12, "6": 0.10}
DEPRIVATION_SPREAD = {"R": 0.10, "6": 0.30}
#: Boys' latent shift (girls get its negative): boys are more often obese in Year 6.
BOYS_SHIFT = {"R": 0.015, "6": 0.085}
AREA_EFFECT_SD = 0.06
PARTICIPATION = 0.95
PARTICIPATION_DEPRIVATION = 0.015
#: File codes, lightest category first, and sexes in file order.
CATEGORIES = ("UNDERWEIGHT", "HEALTHY_WEIGHT", "OVERWEIGHT", "OBESE", "SEVERELY_OBESE")
SEXES = ("M", "F")
_GRID = np.linspace(-0.999, 0.999, 201)  # England: national percentiles uniform


@dataclass(frozen=True)
class Measurements:
    """Children by (academic year, small area, school year, sex: M, F, BMI category)."""

    years: tuple[int, ...]
    lsoa_codes: np.ndarray
    counts: np.ndarray


def _share_above(threshold: float, mean: np.ndarray, spread: np.ndarray) -> float:
    return float((1 - ndtr((threshold - mean) / spread)).mean())


def _england_mean_and_spread(school_year: str, shift: float = 0.0) -> tuple[np.ndarray, ...]:
    """Latent means and spreads of an England-like population (both sexes, every decile)."""
    boys = BOYS_SHIFT[school_year]
    mean = np.concatenate([_GRID * DEPRIVATION_SHIFT[school_year] + s for s in (boys, -boys)])
    mean = mean + shift
    spread = np.exp(np.tile(_GRID, 2) * DEPRIVATION_SPREAD[school_year])
    return mean, spread


@cache
def thresholds(school_year: str) -> np.ndarray:
    """Latent cut points (underweight, overweight, obese, severely obese) giving England's
    2023/24 shares for an England-like spread of deprivation."""
    mean, spread = _england_mean_and_spread(school_year)
    underweight, *above = ENGLAND_SHARES[school_year]
    cuts = [
        brentq(lambda c: (1 - _share_above(c, mean, spread)) - underweight, -8, 8),
        *(brentq(lambda c, s=s: _share_above(c, mean, spread) - s, -8, 8) for s in above),
    ]
    cuts_array = np.array(cuts)
    cuts_array.setflags(write=False)  # cached: shared by every caller
    return cuts_array


@cache
def year_shift(school_year: str, year: int) -> float:
    """The latent shift that gives England's obesity of ``year`` (0 for 2023/24)."""
    cut = thresholds(school_year)[2]
    target = ENGLAND_OBESITY[school_year][year]

    def gap(shift: float) -> float:
        mean, spread = _england_mean_and_spread(school_year, shift)
        return _share_above(cut, mean, spread) - target

    return float(brentq(gap, -2, 2))


def category_probabilities(
    school_year: str, deprivation: np.ndarray, shift: np.ndarray
) -> np.ndarray:
    """P(category) for each latent ``shift`` (sex, year and area terms) and deprivation.

    ``deprivation`` and ``shift`` broadcast together; the result has one more axis, the
    five categories lightest first.
    """
    cuts = thresholds(school_year)
    mean = DEPRIVATION_SHIFT[school_year] * deprivation + shift
    spread = np.exp(DEPRIVATION_SPREAD[school_year] * deprivation)
    below = ndtr((cuts - mean[..., None]) / spread[..., None])  # P(z < cut)
    edges = np.concatenate(
        [np.zeros((*below.shape[:-1], 1)), below, np.ones((*below.shape[:-1], 1))], axis=-1
    )
    return np.diff(edges, axis=-1)


def draw_ncmp(world: DemoWorld) -> Measurements:
    """Children measured and their BMI categories (deterministic for the world's seed)."""
    rng = np.random.default_rng(world.seed + SEED_OFFSET)
    deprivation = 1.0 - 2.0 * world.small_areas["percentile"].to_numpy()
    n_areas = len(deprivation)
    counts = np.zeros(
        (len(ACADEMIC_YEARS), n_areas, len(SCHOOL_YEARS), len(SEXES), len(CATEGORIES)),
        dtype=np.int64,
    )
    participation = PARTICIPATION - PARTICIPATION_DEPRIVATION * deprivation
    for s, school_year in enumerate(SCHOOL_YEARS):
        # world.population sexes are (female, male); the file's order is M, F.
        residents = world.population[:, ::-1, AGE_MEASURED[school_year]]  # (area, sex)
        area_effect = rng.normal(0.0, AREA_EFFECT_SD, n_areas)
        boys = BOYS_SHIFT[school_year]
        sex_shift = np.array([boys, -boys])
        for y, year in enumerate(ACADEMIC_YEARS):
            measured = rng.binomial(residents, participation[:, None])
            shift = year_shift(school_year, year) + area_effect[:, None] + sex_shift[None, :]
            probabilities = category_probabilities(
                school_year, np.repeat(deprivation[:, None], 2, axis=1), shift
            )
            counts[y, :, s] = rng.multinomial(measured, probabilities)
    return Measurements(ACADEMIC_YEARS, world.small_areas["lsoa_code"].to_numpy(), counts)


def ncmp_rows(measurements: Measurements) -> pd.DataFrame:
    """The non-zero cells as ``ACADEMIC_YEAR,LSOA21,SCHOOL_YEAR,SEX,BMI_CATEGORY,CHILDREN``.

    Rows come in the array's order (year, small area, R then 6, M then F, lightest
    category first), which is the order of an extract sorted on its keys.
    """
    year_i, area_i, school_i, sex_i, category_i = np.nonzero(measurements.counts)
    years = np.array([f"{y}/{(y + 1) % 100:02d}" for y in measurements.years])
    return pd.DataFrame(
        {
            "ACADEMIC_YEAR": years[year_i],
            "LSOA21": measurements.lsoa_codes[area_i],
            "SCHOOL_YEAR": np.array(SCHOOL_YEARS)[school_i],
            "SEX": np.array(SEXES)[sex_i],
            "BMI_CATEGORY": np.array(CATEGORIES)[category_i],
            "CHILDREN": measurements.counts[year_i, area_i, school_i, sex_i, category_i],
        }
    )
