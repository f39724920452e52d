"""Synthetic hospital activity: A&E attendances and emergency admissions of the demo residents.

Counts are drawn for every small area, sex, five-year age band, financial year and point
of delivery of the :class:`~ina.demo._world.DemoWorld` population as

    count ~ Poisson(population x base rate(activity, sex, band) x deprivation factor
                    x small-area factor x year factor)

with a generator of its own (``seed + 13``), so adding this file shifts no other demo
file. The shapes (approximate, rounded) follow NHS England's Hospital Episode
Statistics for England 2022-23 (A&E attendances and emergency admissions per head by age
and sex):

- A&E attendances are U-shaped by age: high under 5, a second rise in young adults, the
  lowest in later childhood and midlife, then rising steeply from 75 to the highest at
  90+; boys and young men attend more than girls and young women.
- Emergency admissions are high in infancy, lowest in later childhood and rise steeply
  with age (about ten times the midlife rate at 90+); men are admitted more from 60.
- Both are higher in deprived small areas (about 1.5 times at the same age and sex
  between the most and the least deprived fifths), as the Joint Forward Plan and the
  Core20PLUS5 evidence show; crude A&E rates differ by about 1.6 times, emergency
  admissions by less because deprived areas are younger.
- A gamma small-area factor (for distance to an emergency department and local
  services) spreads the counts more than Poisson alone, as real small-area counts are.

The base rates are scaled so the crude rates for the whole demo population are those of
Norfolk and Waveney in 2023/24: 294,000 A&E attendances and 109,150 emergency admissions
for about 1.1 million people, i.e. about 0.27 and 0.10 per person a year. Activity in
2022/23 is about 3% lower (the national growth from 2022/23 to 2023/24).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ina.demo._world import AGES, DemoWorld

#: Five-year bands (0-4 .. 85-89, 90+), as hospital aggregates are published.
AGE_BANDS: tuple[str, ...] = (*(f"{start}-{start + 4}" for start in range(0, 90, 5)), "90+")
BAND_OF_AGE = np.minimum(AGES // 5, len(AGE_BANDS) - 1)
#: Financial years by their start (2022 = 2022/23) and activity relative to 2023/24.
FINANCIAL_YEARS = {2022: 0.97, 2023: 1.00}
#: Points of delivery in file order, the crude rate per person a year each is scaled to,
#: and the log relative risk per unit of deprivation (-1 least .. +1 most deprived).
POINTS_OF_DELIVERY = ("AE", "NEL")
CRUDE_RATE = {"AE": 294_000 / 1_100_000, "NEL": 109_150 / 1_100_000}
DEPRIVATION_LOG_RR = {"AE": 0.28, "NEL": 0.26}
#: Shape of the gamma small-area factor (mean 1, coefficient of variation 1/sqrt(shape)).
AREA_FACTOR_SHAPE = 40.0
SEED_OFFSET = 13

# Per person a year at the band's lower age (persons; shaped, then scaled to CRUDE_RATE).
_RATE_KNOTS = {
    "AE": (
        (0, 0.46), (5, 0.21), (10, 0.22), (15, 0.30), (20, 0.33), (25, 0.30), (30, 0.28),
        (40, 0.24), (50, 0.22), (60, 0.22), (70, 0.28), (75, 0.34), (80, 0.46), (85, 0.64),
        (90, 0.86),
    ),
    "NEL": (
        (0, 0.11), (5, 0.03), (10, 0.03), (15, 0.05), (20, 0.055), (30, 0.055), (40, 0.06),
        (50, 0.075), (60, 0.10), (65, 0.12), (70, 0.15), (75, 0.21), (80, 0.29), (85, 0.39),
        (90, 0.52),
    ),
}  # fmt: skip
# Male rate / female rate at the band's lower age.
_MALE_RATIO_KNOTS = {
    "AE": ((0, 1.18), (15, 1.12), (25, 1.05), (45, 1.02), (65, 1.0), (90, 0.95)),
    "NEL": ((0, 1.2), (15, 0.85), (40, 0.95), (60, 1.12), (80, 1.15), (90, 1.05)),
}


@dataclass(frozen=True)
class HospitalActivity:
    """Counts by (financial year, small area, age band, sex, point of delivery).

    ``counts`` has shape ``(len(years), areas, len(AGE_BANDS), 2, len(pods))`` with sex
    in the ONS order of the file (index 0 = ``SEX 1`` male, 1 = ``SEX 2`` female).
    """

    years: tuple[int, ...]
    lsoa_codes: np.ndarray
    pods: tuple[str, ...]
    counts: np.ndarray


def band_population(world: DemoWorld) -> np.ndarray:
    """Residents by (small area, band, sex) with sex ordered male, female (file order)."""
    one_hot = (BAND_OF_AGE[:, None] == np.arange(len(AGE_BANDS))[None, :]).astype(np.int64)
    by_band = world.population @ one_hot  # (area, sex: female, male, band)
    return np.ascontiguousarray(by_band[:, ::-1, :].transpose(0, 2, 1))


def base_rates(world: DemoWorld) -> dict[str, np.ndarray]:
    """Per-person annual rates by (band, sex: male, female) before deprivation.

    Shaped by the knots above, then scaled so that ``Σ rate x population`` over the whole
    demo population (with its deprivation factor) equals :data:`CRUDE_RATE` per person.
    """
    population = band_population(world)
    deprivation = _deprivation_scale(world)
    lower_age = np.arange(len(AGE_BANDS)) * 5
    rates: dict[str, np.ndarray] = {}
    for pod in POINTS_OF_DELIVERY:
        ages, values = zip(*_RATE_KNOTS[pod], strict=True)
        persons = np.exp(np.interp(lower_age, ages, np.log(values)))
        ages, ratios = zip(*_MALE_RATIO_KNOTS[pod], strict=True)
        ratio = np.interp(lower_age, ages, ratios)
        # persons = (male x m + female x f) / (m + f) ≈ average of the two: split evenly.
        female = 2 * persons / (1 + ratio)
        shaped = np.stack([female * ratio, female], axis=1)  # (band, sex: male, female)
        factor = np.exp(DEPRIVATION_LOG_RR[pod] * deprivation)[:, None, None]
        expected = (population * shaped[None] * factor).sum()
        rates[pod] = shaped * CRUDE_RATE[pod] * population.sum() / expected
    return rates


def _deprivation_scale(world: DemoWorld) -> np.ndarray:
    """-1 (least) .. +1 (most deprived) from the national IMD percentile, as deaths use."""
    return 1.0 - 2.0 * world.small_areas["percentile"].to_numpy()


def draw_hospital_activity(world: DemoWorld) -> HospitalActivity:
    """Poisson counts for both financial years from the demo residents (deterministic)."""
    rng = np.random.default_rng(world.seed + SEED_OFFSET)
    population = band_population(world)  # (area, band, sex)
    deprivation = _deprivation_scale(world)
    rates = base_rates(world)
    n_areas = len(world.small_areas)
    means = []
    for pod in POINTS_OF_DELIVERY:
        area_factor = rng.gamma(AREA_FACTOR_SHAPE, 1 / AREA_FACTOR_SHAPE, n_areas)
        factor = np.exp(DEPRIVATION_LOG_RR[pod] * deprivation) * area_factor
        means.append(population * rates[pod][None] * factor[:, None, None])
    mean = np.stack(means, axis=-1)  # (area, band, sex, pod)
    year_factor = np.array(list(FINANCIAL_YEARS.values()))
    counts = rng.poisson(year_factor[:, None, None, None, None] * mean[None])
    return HospitalActivity(
        tuple(FINANCIAL_YEARS),
        world.small_areas["lsoa_code"].to_numpy(),
        POINTS_OF_DELIVERY,
        counts.astype(np.int64),
    )


def activity_rows(activity: HospitalActivity) -> pd.DataFrame:
    """The non-zero cells as file rows ``FYEAR,LSOA21,AGE_BAND,SEX,POD,ACTIVITY``.

    Rows come in the array's order (year, small area, band, sex 1 then 2, AE then NEL),
    which is the order an extract sorted on its keys would have, so the bytes are fixed.
    """
    year_i, area_i, band_i, sex_i, pod_i = np.nonzero(activity.counts)
    years = np.array([f"{y}{(y + 1) % 100:02d}" for y in activity.years])
    return pd.DataFrame(
        {
            "FYEAR": years[year_i],
            "LSOA21": activity.lsoa_codes[area_i],
            "AGE_BAND": np.array(AGE_BANDS)[band_i],
            "SEX": sex_i + 1,
            "POD": np.array(activity.pods)[pod_i],
            "ACTIVITY": activity.counts[year_i, area_i, band_i, sex_i, pod_i],
        }
    )
