"""Synthetic cancer registrations by stage for the demo residents (diagnosis years 2019-2023).

New cases are drawn for every small area, five-year age band, sex, diagnosis year and
3-character ICD-10 site as

    cases ~ Poisson(population x rate(site, sex, band) x deprivation factor(site)
                    x small-area factor x year factor)

and each cell's cases are split into stages 1-4 and unknown by a multinomial draw, with
a generator of its own (``seed + 302``). Shapes (approximate, rounded) follow NDRS
"Cancer Registration Statistics, England" (2019-2022) and CRUK's incidence by age:

- incidence rises steeply with age (about 20 per 100,000 under 5, 2,500 at 80-84);
  rates are scaled so the crude rate of the whole demo population is about 600 per
  100,000 a year (an older ICB than England's 580; Norfolk and Waveney registered 7,313
  cancers in 2022/23 for about 1.1 million people);
- breast, prostate, lung and colorectal (C18-C20) are the four largest sites, about half
  of all cases together; childhood cancers are leukaemia, brain, kidney and lymphoma;
- lung, head and neck, cervix, liver and stomach cancer are more common in deprived
  areas, melanoma and prostate (more often PSA-detected) less;
- stage follows each site's NDRS distribution (breast and melanoma mostly stage 1-2,
  lung, pancreas and oesophagus mostly stage 4); the odds of an early stage are lower in
  deprived areas and in 2020 (the pandemic's delayed diagnoses), so about 55-58% of staged
  cases are at stage 1 or 2 (the PHIP target is 75%), fewer in the most deprived fifth;
- about 8% of cases at stageable sites have an unknown stage (more at the oldest ages);
  brain, leukaemia, myeloma and cancers of unknown primary have none (``U``);
- 2020 diagnoses are about 10% fewer (the first pandemic year), recovering by 2022.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ina.demo._activity import AGE_BANDS, band_population
from ina.demo._world import DemoWorld

SEED_OFFSET = 302
DIAGNOSIS_YEARS = {2019: 1.0, 2020: 0.90, 2021: 0.98, 2022: 1.0, 2023: 1.02}
#: Odds of an early stage relative to other years (2020: later diagnoses).
YEAR_EARLY_ODDS = {2019: 1.0, 2020: 0.88, 2021: 0.96, 2022: 1.0, 2023: 1.0}
CRUDE_RATE = 600 / 100_000
STAGES = ("1", "2", "3", "4", "U")
#: Log odds ratio of an early (1-2) rather than late (3-4) stage per unit of deprivation.
EARLY_STAGE_DEPRIVATION = -0.12
UNKNOWN_STAGE = 0.075
AREA_FACTOR_SHAPE = 50.0
#: Ages the rate knots refer to (the middle of the broad bands 0-14, 15-29, ...).
KNOT_AGES = (2, 17, 32, 50, 67, 80, 90)


class Site(NamedTuple):
    """ICD-10 codes and weights, rates per 100,000 at :data:`KNOT_AGES` (male, female),
    log relative risk per unit of deprivation, and the stage distribution (stages 1-4;
    None for a site with no stage)."""

    codes: tuple[str, ...]
    weights: tuple[float, ...]
    male: tuple[float, ...]
    female: tuple[float, ...]
    deprivation: float
    stages: tuple[float, float, float, float] | None


_Z = (0.0,) * 7
SITES: dict[str, Site] = {
    "breast": Site(("C50",), (1,), (0, 0, 0.2, 1.5, 4, 8, 10),
                   (0, 0.6, 46, 265, 440, 480, 520), -0.07, (45, 40, 9, 6)),
    "prostate": Site(("C61",), (1,), (0, 0, 0.5, 90, 700, 800, 700), _Z, -0.10,
                     (26, 34, 19, 21)),
    "lung": Site(("C34", "C33"), (98, 2), (0, 0.2, 2, 34, 255, 470, 425),
                 (0, 0.2, 2, 34, 212, 340, 255), 0.57, (24, 9, 20, 47)),
    "colorectal": Site(("C18", "C20", "C19"), (65, 30, 5), (0, 0.5, 6, 55, 240, 420, 500),
                       (0, 0.5, 6, 45, 160, 300, 400), 0.06, (19, 28, 30, 23)),
    "melanoma": Site(("C43",), (1,), (0, 2, 10, 35, 90, 150, 170),
                     (0, 4, 18, 40, 60, 90, 100), -0.32, (70, 18, 8, 4)),
    "lymphoma": Site(("C83", "C85", "C82", "C81"), (35, 35, 20, 10),
                     (1, 4, 9, 25, 70, 110, 100), (0.5, 3, 7, 18, 50, 80, 80), 0.05,
                     (25, 15, 18, 42)),
    "kidney": Site(("C64", "C65"), (92, 8), (1, 0.5, 3, 25, 60, 80, 70),
                   (1, 0.3, 2, 12, 30, 45, 45), 0.11, (52, 9, 16, 23)),
    "head_and_neck": Site(("C32", "C09", "C01", "C02", "C10", "C13", "C06"),
                          (30, 20, 15, 12, 10, 7, 6), (0, 0.5, 3, 40, 70, 65, 60),
                          (0, 0.3, 1.5, 13, 25, 30, 35), 0.37, (22, 15, 15, 48)),
    "pancreas": Site(("C25",), (1,), (0, 0, 1, 12, 55, 100, 120), (0, 0, 1, 9, 40, 85, 110),
                     0.06, (10, 14, 10, 66)),
    "bladder": Site(("C67",), (1,), (0, 0, 1, 10, 60, 150, 220), (0, 0, 0.5, 3, 15, 45, 70),
                    0.11, (52, 20, 10, 18)),
    "uterus": Site(("C54", "C55"), (95, 5), _Z, (0, 0, 3, 40, 90, 80, 60), 0.10,
                   (70, 8, 13, 9)),
    "oesophagus": Site(("C15",), (1,), (0, 0, 0.5, 15, 55, 90, 100),
                       (0, 0, 0.2, 4, 18, 40, 60), 0.16, (10, 15, 30, 45)),
    "ovary": Site(("C56", "C57"), (85, 15), _Z, (0.2, 1.5, 5, 20, 40, 50, 45), 0.0,
                  (26, 8, 38, 28)),
    "stomach": Site(("C16",), (1,), (0, 0, 1, 8, 30, 60, 80), (0, 0, 1, 4, 12, 30, 45),
                    0.25, (16, 12, 20, 52)),
    "liver": Site(("C22",), (1,), (0.5, 0.2, 1, 10, 40, 55, 50), (0.5, 0.1, 0.5, 3, 15, 25, 25),
                  0.29, (35, 15, 20, 30)),
    "thyroid": Site(("C73",), (1,), (0, 0.5, 2, 5, 8, 8, 6), (0.1, 3, 10, 14, 13, 12, 10),
                    0.0, (62, 14, 11, 13)),
    "cervix": Site(("C53",), (1,), _Z, (0, 3, 20, 12, 10, 12, 12), 0.29, (55, 15, 20, 10)),
    "testis": Site(("C62",), (1,), (0.5, 6, 12, 4, 1, 0.5, 0.5), _Z, 0.0, (75, 15, 5, 5)),
    "brain": Site(("C71", "C72"), (90, 10), (3, 2, 4, 10, 22, 25, 15),
                  (2.5, 1.5, 3, 7, 15, 18, 10), 0.0, None),
    "leukaemia": Site(("C91", "C92", "C95", "C93"), (45, 40, 10, 5),
                      (6, 3, 3, 10, 45, 90, 110), (5, 2, 2, 7, 25, 55, 60), 0.05, None),
    "myeloma": Site(("C90",), (1,), (0, 0, 0.5, 8, 30, 60, 70), (0, 0, 0.3, 5, 20, 40, 45),
                    0.05, None),
    "unknown_primary": Site(("C80",), (1,), (0, 0, 0.5, 5, 30, 100, 200),
                            (0, 0, 0.5, 4, 25, 90, 200), 0.30, None),
    "other": Site(("C49", "C23", "C45", "C17", "C69", "C41", "C48", "C68", "C51"),
                  (20, 14, 14, 12, 8, 8, 8, 8, 8), (4, 6, 8, 25, 80, 140, 160),
                  (3, 5, 8, 20, 55, 90, 110), 0.05, (35, 20, 20, 25)),
}  # fmt: skip


@dataclass(frozen=True)
class Registrations:
    """The non-zero cells: index arrays into (year, small area, age band, sex: 1 male
    2 female, site code, stage) and their cases, in key order."""

    years: tuple[int, ...]
    lsoa_codes: np.ndarray
    site_codes: tuple[str, ...]
    cells: pd.DataFrame  # columns year, area, band, sex, code, stage (indices) and cases


def site_codes() -> tuple[str, ...]:
    """Every 3-character code drawn, sorted (the file's order)."""
    return tuple(sorted(code for site in SITES.values() for code in site.codes))


def _rates_by_band(values: tuple[float, ...]) -> np.ndarray:
    """Per-person rates at each band's middle age, log-linear between the knots."""
    middle = np.arange(len(AGE_BANDS)) * 5 + 2.5
    per_person = np.asarray(values, dtype=float) / 100_000
    floor = 1e-9
    return np.exp(np.interp(middle, KNOT_AGES, np.log(per_person + floor))) * (per_person.max() > 0)


def code_rates() -> tuple[tuple[str, ...], np.ndarray, np.ndarray, list[Site]]:
    """Unscaled rates by (code, band, sex: male, female), each code's deprivation log-RR
    and its site (codes in :func:`site_codes` order)."""
    codes = site_codes()
    rates = np.zeros((len(codes), len(AGE_BANDS), 2))
    log_rr = np.zeros(len(codes))
    site_of: list[Site] = []
    index = {code: i for i, code in enumerate(codes)}
    for site in SITES.values():
        share = np.asarray(site.weights, dtype=float) / sum(site.weights)
        by_sex = np.stack([_rates_by_band(site.male), _rates_by_band(site.female)], axis=1)
        for code, weight in zip(site.codes, share, strict=True):
            rates[index[code]] = by_sex * weight
            log_rr[index[code]] = site.deprivation
    for code in codes:
        site_of.append(next(s for s in SITES.values() if code in s.codes))
    return codes, rates, log_rr, site_of


def stage_probabilities(
    site: Site, deprivation: np.ndarray, band: np.ndarray, year: int
) -> np.ndarray:
    """P(stage 1, 2, 3, 4, U) for each case cell (arrays of the cells' deprivation and band)."""
    n = len(deprivation)
    if site.stages is None:
        out = np.zeros((n, len(STAGES)))
        out[:, -1] = 1.0
        return out
    base = np.asarray(site.stages, dtype=float) / sum(site.stages)
    early, late = base[:2].sum(), base[2:].sum()
    odds = early / late * np.exp(EARLY_STAGE_DEPRIVATION * deprivation) * YEAR_EARLY_ODDS[year]
    p_early = odds / (1 + odds)
    staged = np.concatenate(
        [p_early[:, None] * base[:2] / early, (1 - p_early)[:, None] * base[2:] / late], axis=1
    )
    lower_age = band * 5
    unknown = UNKNOWN_STAGE * np.where(lower_age >= 85, 2.2, np.where(lower_age >= 75, 1.3, 0.8))
    unknown = np.clip(unknown * (1 + 0.1 * deprivation), 0, 0.5)
    return np.concatenate([staged * (1 - unknown)[:, None], unknown[:, None]], axis=1)


def draw_cancer_registrations(world: DemoWorld) -> Registrations:
    """Poisson cases by cell, split into stages (deterministic for the world's seed)."""
    rng = np.random.default_rng(world.seed + SEED_OFFSET)
    population = band_population(world).astype(float)  # (area, band, sex: male, female)
    deprivation = 1.0 - 2.0 * world.small_areas["percentile"].to_numpy()
    codes, rates, log_rr, site_of = code_rates()
    factor = np.exp(np.multiply.outer(deprivation, log_rr))  # (area, code)
    expected = np.einsum("abs,cbs,ac->", population, rates, factor)
    scale = CRUDE_RATE * population.sum() / expected
    area_factor = rng.gamma(AREA_FACTOR_SHAPE, 1 / AREA_FACTOR_SHAPE, len(deprivation))
    mean = (
        population[:, :, :, None]
        * (rates.transpose(1, 2, 0)[None] * scale)
        * (factor * area_factor[:, None])[:, None, None, :]
    )  # (area, band, sex, code)
    parts = []
    for y, (year, year_factor) in enumerate(DIAGNOSIS_YEARS.items()):
        cases = rng.poisson(mean * year_factor)
        area_i, band_i, sex_i, code_i = np.nonzero(cases)
        stages = np.zeros((len(area_i), len(STAGES)))
        for c, site in enumerate(site_of):
            hit = code_i == c
            stages[hit] = stage_probabilities(site, deprivation[area_i[hit]], band_i[hit], year)
        split = rng.multinomial(cases[area_i, band_i, sex_i, code_i], stages)  # (cell, stage)
        cell_i, stage_i = np.nonzero(split)
        parts.append(
            pd.DataFrame(
                {
                    "year": y,
                    "area": area_i[cell_i],
                    "band": band_i[cell_i],
                    "sex": sex_i[cell_i],
                    "code": code_i[cell_i],
                    "stage": stage_i,
                    "cases": split[cell_i, stage_i],
                }
            )
        )
    # np.nonzero walks C order, so each year's cells are already in key order.
    cells = pd.concat(parts, ignore_index=True)
    return Registrations(
        tuple(DIAGNOSIS_YEARS), world.small_areas["lsoa_code"].to_numpy(), codes, cells
    )


def registration_rows(registrations: Registrations) -> pd.DataFrame:
    """Non-zero cells as ``DIAGNOSIS_YEAR,LSOA21,AGE_BAND,SEX,SITE_ICD10,STAGE,CASES``.

    Rows come in the array's order (year, small area, band, sex 1 then 2, site, stage),
    the order of an extract sorted on its keys.
    """
    c = registrations.cells
    return pd.DataFrame(
        {
            "DIAGNOSIS_YEAR": np.array(registrations.years)[c["year"].to_numpy()],
            "LSOA21": registrations.lsoa_codes[c["area"].to_numpy()],
            "AGE_BAND": np.array(AGE_BANDS)[c["band"].to_numpy()],
            "SEX": c["sex"].to_numpy() + 1,
            "SITE_ICD10": np.array(registrations.site_codes)[c["code"].to_numpy()],
            "STAGE": np.array(STAGES)[c["stage"].to_numpy()],
            "CASES": c["cases"].to_numpy(),
        }
    )
