"""Population projections for the demo: a cohort-component model from the 2022 base.

The ONS subnational projections are themselves cohort-component projections: each year
people age one year, the deaths implied by age-specific mortality are removed, births
from age-specific fertility are added at age 0, and net migration by age is added. The
demo does the same with the life-table and fertility shapes in :mod:`ina.demo._world` and
a net-migration schedule weighted to people in their fifties and sixties (retirement
moves into Norfolk and Suffolk), which reproduces the JFP's picture for 2040: about +26%
aged 65+, about +1% of working age and about -1% under 16.
"""

from __future__ import annotations

import numpy as np

from ina.demo._world import AGES, PROJECTION_YEARS, fertility_rates, mortality_rates

ONS_TOP_AGE = 90  # ONS population files: single years 0..89 and 90+
MALE_SHARE_AT_BIRTH = 0.513


def fold_top_age(array: np.ndarray, top: int = ONS_TOP_AGE) -> np.ndarray:
    """Fold the last axis (ages 0..95) into 0..top-1 and an open ``top``+ band."""
    return np.concatenate([array[..., :top], array[..., top:].sum(axis=-1, keepdims=True)], axis=-1)


def _migration_schedule() -> np.ndarray:
    """Relative net migration by age 0..90: young families, retirement moves, little later."""
    ages = np.arange(ONS_TOP_AGE + 1)
    return np.interp(
        ages,
        [0, 10, 17, 19, 22, 30, 40, 50, 58, 64, 70, 78, 90],
        [1.8, 1.08, 0.1, -0.6, 0.2, 0.6, 0.42, 0.9, 1.0, 2.3, 1.6, 0.2, 0.0],
    )


# Calibrated so the ICB total gives the JFP's 2040 picture (see the module docstring).
ICB_NET_MIGRATION_RATE = 0.009
ICB_FERTILITY_FACTOR = 1.0
ENGLAND_NET_MIGRATION_RATE = 0.004


def project(
    base: np.ndarray, net_migration_rate: float, fertility_factor: float = 1.0
) -> np.ndarray:
    """Project a base population forward over :data:`PROJECTION_YEARS`.

    ``base``: shape (area, sex, 91) with sex order (female, male) and ages 0..89, 90+.
    ``net_migration_rate``: net migrants per year as a share of the base population.
    Returns (area, sex, age, year) as floats; the first year is the base itself.
    """
    mortality = fold_top_age(mortality_rates())  # (sex, 91); 90+ takes the sum, fixed below
    mortality[:, ONS_TOP_AGE] = mortality_rates()[:, ONS_TOP_AGE:].mean(axis=1)
    survival = np.exp(-mortality)
    fertility = fold_top_age(fertility_rates()) * fertility_factor
    schedule = _migration_schedule()
    schedule = schedule / schedule.sum()
    migrants = (
        base.sum(axis=(1, 2))[:, None, None] * net_migration_rate * schedule[None, None, :] / 2
    )

    out = np.empty((*base.shape, len(PROJECTION_YEARS)))
    current = base.astype(float)
    out[..., 0] = current
    for step in range(1, len(PROJECTION_YEARS)):
        survivors = current * survival[None]
        aged = np.zeros_like(current)
        aged[..., 1:] = survivors[..., :-1]
        aged[..., ONS_TOP_AGE] += survivors[..., ONS_TOP_AGE]
        births = (current[:, 0, :] * fertility[None]).sum(axis=1)
        aged[:, 0, 0] = births * (1 - MALE_SHARE_AT_BIRTH) * np.exp(-mortality[0, 0] / 2)
        aged[:, 1, 0] = births * MALE_SHARE_AT_BIRTH * np.exp(-mortality[1, 0] / 2)
        current = np.maximum(aged + migrants, 0.0)
        out[..., step] = current
    return out


def check_growth(projected: np.ndarray, year: int = 2040) -> dict[str, float]:
    """Growth from the base year to ``year`` for under 16, 16-64 and 65+ (for calibration)."""
    column = int(np.flatnonzero(year == PROJECTION_YEARS)[0])
    total = projected.sum(axis=(0, 1))  # (age, year)
    groups = {"under_16": slice(0, 16), "16_to_64": slice(16, 65), "65_plus": slice(65, None)}
    return {
        name: float(total[band, column].sum() / total[band, 0].sum() - 1)
        for name, band in groups.items()
    }


__all__ = ["AGES", "check_growth", "fold_top_age", "project"]
