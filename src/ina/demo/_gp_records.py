"""Demo GP-record flags extract (a GPES-style practice search), as at 31 March 2025.

Long layout ``EXTRACT_DATE, PRACTICE_CODE, MEASURE, VALUE`` (LF, no BOM, ISO dates), one
row per practice and measure. Counts that a QOF register already holds are taken from it
(:mod:`ina.demo._practice_health`): the learning disability register aged 14+, the SMI
register (the QOF MH register), the people identified as approaching the end of life
(the QOF palliative care register) and the dementia register aged 65+ (about 95% of the
QOF DEM register). The two expected counts are the models the INA compares registers
with: ``HYP_EXPECTED`` the modelled hypertension prevalence (age, sex, deprivation) x the
list, so recorded / expected is about 0.6-0.75, and ``DEM_EXPECTED_65PLUS`` CFAS II
age-sex rates x the registered 65+ (diagnosis rates about 60-70%), both written to one
decimal place. The other counts are binomial draws from the generator ``seed + 104`` at
practice rates, lower (or, for smoking, frailty and new depression, higher) where the
practice's patients are more deprived: LD annual health checks about 75% of the LD
register 14+ (a health action plan for about 85% of those), all six SMI physical health
checks about 55%, care plans for about 75% of those identified at end of life (PHIP
target 90%), My Care Choices Register records about 0.6% of the list (PHIP target 1%),
new depression diagnoses about 1.1% of adults a year (JFP §3.1: 9,600 a year in Norfolk
and Waveney), a frailty score for about 70% of the 65+ and moderate or severe frailty for
about 12%, ethnicity recorded for about 88% of the list, current smokers about 13% of the
15+ and carers flagged for about 2.5%.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ina.demo._formats import write_csv
from ina.demo._practice_health import (
    SEED_OFFSETS,
    YEAR_END,
    draw_registers,
    practice_profile,
    practice_rates,
)
from ina.demo._world import DemoWorld

HEADER = ["EXTRACT_DATE", "PRACTICE_CODE", "MEASURE", "VALUE"]
MEASURES = (
    "LD_REGISTER_14PLUS",
    "LD_AHC_COMPLETED",
    "LD_AHC_WITH_HAP",
    "DEP_NEW_DIAGNOSES_18PLUS",
    "SMI_REGISTER",
    "SMI_PHC_ALL_SIX",
    "MCCR_ACTIVE_RECORDS",
    "EOL_IDENTIFIED",
    "EOL_CARE_PLAN",
    "FRAILTY_65PLUS_SCORED",
    "FRAILTY_65PLUS_MODERATE_SEVERE",
    "DEM_REGISTER_65PLUS",
    "DEM_EXPECTED_65PLUS",
    "HYP_EXPECTED",
    "ETHNICITY_RECORDED",
    "SMOKERS_15PLUS",
    "CARERS_FLAGGED",
)
#: Measures that are modelled expectations (decimals), not counts of records.
EXPECTED = ("DEM_EXPECTED_65PLUS", "HYP_EXPECTED")


def _single(path: Path | list[Path]) -> Path:
    if isinstance(path, list):
        if len(path) != 1:
            raise ValueError(f"expected one path, got {len(path)}")
        return path[0]
    return path


def draw_gp_record_flags(world: DemoWorld) -> dict[str, np.ndarray]:
    """Measure -> value by practice (world order)."""
    profile = practice_profile(world)
    registers = draw_registers(world, profile)
    rng = np.random.default_rng(world.seed + SEED_OFFSETS["gp_record_flags"])

    def share(of: np.ndarray, target: float, spread: float, gradient: float) -> np.ndarray:
        rate = practice_rates(rng, profile, of, target, spread=spread, gradient=gradient)
        return rng.binomial(of, rate)

    listed = profile.at_least(0)
    aged_65 = profile.at_least(65)
    old_share = profile.at_least(80) / np.maximum(aged_65, 1)
    ld_14 = registers.aged("LD", 14)
    ld_checked = share(ld_14, 0.75, 0.6, -0.3)
    smi = registers.total("MH")
    eol = registers.total("PC")
    scored = share(aged_65, 0.70, 0.7, -0.2)
    # Moderate or severe frailty among the scored: more where older and more deprived.
    frailty = 0.17 * (old_share / old_share.mean()) ** 0.8 * np.exp(0.3 * profile.deprivation)
    # MCCR use varies widely between practices and follows the share of older patients.
    mccr_rate = 0.006 * (old_share / old_share.mean()) * rng.lognormal(-0.125, 0.5, len(listed))
    mccr_rate *= 0.006 * listed.sum() / (mccr_rate * listed).sum()
    return {
        "LD_REGISTER_14PLUS": ld_14,
        "LD_AHC_COMPLETED": ld_checked,
        "LD_AHC_WITH_HAP": rng.binomial(ld_checked, 0.85),
        "DEP_NEW_DIAGNOSES_18PLUS": share(profile.at_least(18), 0.011, 0.25, 0.2),
        "SMI_REGISTER": smi,
        "SMI_PHC_ALL_SIX": share(smi, 0.55, 0.6, -0.3),
        "MCCR_ACTIVE_RECORDS": rng.binomial(listed, np.clip(mccr_rate, 0.0, 0.2)),
        "EOL_IDENTIFIED": eol,
        "EOL_CARE_PLAN": share(eol, 0.75, 0.6, -0.25),
        "FRAILTY_65PLUS_SCORED": scored,
        "FRAILTY_65PLUS_MODERATE_SEVERE": rng.binomial(scored, np.clip(frailty, 0.0, 0.9)),
        "DEM_REGISTER_65PLUS": registers.aged("DEM", 65),
        "DEM_EXPECTED_65PLUS": registers.dementia_expected_65,
        "HYP_EXPECTED": registers.hyp_expected,
        "ETHNICITY_RECORDED": share(listed, 0.88, 0.5, -0.1),
        "SMOKERS_15PLUS": share(profile.at_least(15), 0.13, 0.15, 0.45),
        "CARERS_FLAGGED": share(listed, 0.025, 0.45, -0.1),
    }


def gp_record_flags(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """``gp_record_flags_2025-03.csv``: one row per practice and measure."""
    profile = practice_profile(world)
    drawn = draw_gp_record_flags(world)
    rows = []
    for i in np.argsort(profile.codes, kind="stable"):
        for measure in MEASURES:
            value = drawn[measure][i]
            text = f"{value:.1f}" if measure in EXPECTED else str(int(value))
            rows.append([YEAR_END, profile.codes[i], measure, text])
    return [write_csv(_single(path), HEADER, rows)]
