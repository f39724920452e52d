"""Demo cancer screening coverage by practice, period ending 31 March 2025.

Layout ``PRACTICE_CODE, PROGRAMME, PERIOD_END, ELIGIBLE, SCREENED`` (LF, no BOM), as the
practice-level coverage NHS England and NHS Digital publish (and Fingertips' cancer
services profile shows). Eligible people are the practice's registered patients in the
programme's ages and sex less those ceased from the programme (a binomial share), so they
never exceed the registered list; screened people are a binomial draw from the generator
``seed + 105`` at a practice rate that is lower where more of the practice's patients
live in deprived areas, solved so the pooled coverage is England-like: bowel 60-74 in 30
months about 71% (69% in 26A, where JFP §3.5 has 46 practices below the 26A average),
breast 50-70 in 36 months 70%, cervical 25-49 in 42 months 67% and 50-64 in 66 months 75%.
The practice spread (about 4-5 points for bowel) makes the gap of the practices below
the 26A average a few thousand people, as the JFP's "additional 3,600 people" is.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ina.demo._formats import write_csv
from ina.demo._practice_health import (
    SEED_OFFSETS,
    YEAR_END,
    PracticeProfile,
    practice_profile,
    practice_rates,
)
from ina.demo._world import DemoWorld

HEADER = ["PRACTICE_CODE", "PROGRAMME", "PERIOD_END", "ELIGIBLE", "SCREENED"]

#: programme -> (ages, sex: None persons / 0 women, share not ceased, pooled coverage
#: overall or by sub-ICB, practice logit sd, deprivation gradient).
PROGRAMMES: dict[str, tuple[tuple[int, int], int | None, float, float | dict[str, float],
                            float, float]] = {
    "BOWEL_60_74_30M": ((60, 74), None, 0.985, {"26A": 0.69, "06L": 0.72, "07K": 0.715},
                        0.22, -0.35),
    "BREAST_50_70_36M": ((50, 70), 0, 0.97, 0.70, 0.25, -0.40),
    "CERVICAL_25_49_42M": ((25, 49), 0, 0.95, 0.67, 0.22, -0.30),
    "CERVICAL_50_64_66M": ((50, 64), 0, 0.90, 0.75, 0.18, -0.25),
}  # fmt: skip


def _single(path: Path | list[Path]) -> Path:
    if isinstance(path, list):
        if len(path) != 1:
            raise ValueError(f"expected one path, got {len(path)}")
        return path[0]
    return path


def draw_screening(
    world: DemoWorld,
) -> tuple[PracticeProfile, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Programme -> (eligible, screened) by practice (world order)."""
    profile = practice_profile(world)
    rng = np.random.default_rng(world.seed + SEED_OFFSETS["screening"])
    out = {}
    for programme, ((low, high), sex, kept, target, spread, gradient) in PROGRAMMES.items():
        eligible = rng.binomial(profile.between(low, high, sex), kept)
        rate = practice_rates(rng, profile, eligible, target, spread=spread, gradient=gradient)
        out[programme] = (eligible, rng.binomial(eligible, rate))
    return profile, out


def screening(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """``cancer_screening_coverage_practice_2025-03.csv``: practice x programme rows."""
    profile, drawn = draw_screening(world)
    rows = []
    for i in np.argsort(profile.codes, kind="stable"):
        for programme, (eligible, screened) in drawn.items():
            rows.append([profile.codes[i], programme, YEAR_END, int(eligible[i]), int(screened[i])])
    return [write_csv(_single(path), HEADER, rows)]
