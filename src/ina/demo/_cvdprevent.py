"""Demo CVDPREVENT audit data download, practice level, "To March 2025".

Layout of the audit's data download (``IndicatorCode, IndicatorShortName, TimePeriod,
AreaCode, AreaName, AreaType, Numerator, Denominator, Value``; LF, no BOM; ``Value`` the
percentage to one decimal place). Denominators come from the QOF registers of
:mod:`ina.demo._practice_health` (CVDPREVENT applies no personalised care adjustments, so
its hypertension and CKD denominators are the whole registers); numerators are binomial
draws from the generator ``seed + 103`` at practice rates that are lower where more
deprived, solved so the pooled rates resemble CVDPREVENT's England figures for 2024-25:
hypertension treated to target 65%, lipids at target 55%, AF anticoagulated 90%, CKD with
a urine ACR 45% and an eGFR 90% in 12 months, uncoded CKD 0.5% of adults, and about 1.5%
of CKD patients progressing to stage G4-G5 in the year.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ina.demo._formats import write_csv
from ina.demo._practice_health import (
    SEED_OFFSETS,
    draw_registers,
    practice_profile,
    practice_rates,
)
from ina.demo._world import AGES, DemoWorld

HEADER = [
    "IndicatorCode",
    "IndicatorShortName",
    "TimePeriod",
    "AreaCode",
    "AreaName",
    "AreaType",
    "Numerator",
    "Denominator",
    "Value",
]
TIME_PERIOD = "To March 2025"

#: code -> (short name, pooled rate, practice spread (logit sd), deprivation gradient).
INDICATORS: dict[str, tuple[str, float, float, float]] = {
    "CVDP002AF": ("AF: treated with anticoagulants (CHA2DS2-VASc >= 2)", 0.90, 0.45, -0.2),
    "CVDP005CKD_ACR": ("CKD 3a-5: urine ACR in the preceding 12 months", 0.45, 0.6, -0.3),
    "CVDP006CKD_EGFR": ("CKD: eGFR in the preceding 12 months", 0.90, 0.5, -0.2),
    "CVDP007HYP": ("Hypertension: treated to target (age appropriate)", 0.65, 0.3, -0.25),
    "CVDP009CHOL": ("CVD: optimal lipid therapy (LDL-C or non-HDL-C at target)", 0.55, 0.35, -0.3),
    "CVDP010CKD_UNCODED": ("Adults with two eGFR < 60 at least 90 days apart, no CKD code",
                           0.005, 0.35, 0.2),
    "CVDP011CKD_PROGRESSION": ("CKD: progressed to stage G4-G5 in the year", 0.015, 0.3, 0.2),
}  # fmt: skip


def _single(path: Path | list[Path]) -> Path:
    if isinstance(path, list):
        if len(path) != 1:
            raise ValueError(f"expected one path, got {len(path)}")
        return path[0]
    return path


def draw_cvdprevent(world: DemoWorld) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Indicator code -> (numerators, denominators) by practice (world order)."""
    profile = practice_profile(world)
    registers = draw_registers(world, profile)
    rng = np.random.default_rng(world.seed + SEED_OFFSETS["cvdprevent"])
    chads = np.interp(AGES, [0, 64, 65, 74, 75], [0.45, 0.45, 0.88, 0.88, 1.0])
    ckd = registers.total("CKD")
    adults = profile.at_least(18)
    denominators = {
        "CVDP002AF": rng.binomial(registers.by_age["AF"], chads[None, None, :]).sum(axis=(1, 2)),
        "CVDP005CKD_ACR": ckd,
        "CVDP006CKD_EGFR": ckd,
        "CVDP007HYP": registers.total("HYP"),
        "CVDP009CHOL": rng.binomial(registers.total("CHD") + registers.total("STIA"), 0.88),
        "CVDP010CKD_UNCODED": adults,
        "CVDP011CKD_PROGRESSION": ckd,
    }
    out = {}
    for code, (_, target, spread, gradient) in INDICATORS.items():
        denominator = denominators[code]
        rate = practice_rates(rng, profile, denominator, target, spread=spread, gradient=gradient)
        if code == "CVDP010CKD_UNCODED":
            # Uncoded CKD follows the practice's older, CKD-prone list.
            rate = rate * (ckd / adults) / (ckd.sum() / adults.sum())
        out[code] = (rng.binomial(denominator, np.clip(rate, 0.0, 1.0)), denominator)
    return out


def cvdprevent(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """``CVDPREVENT_practice_2024-25.csv``: one row per indicator and practice."""
    profile = practice_profile(world)
    drawn = draw_cvdprevent(world)
    order = np.argsort(profile.codes, kind="stable")
    rows = []
    for code, (name, *_) in INDICATORS.items():
        numerator, denominator = drawn[code]
        for i in order:
            d = int(denominator[i])
            value = "" if d == 0 else f"{100 * numerator[i] / d:.1f}"
            rows.append(
                [code, name, TIME_PERIOD, profile.codes[i], profile.names[i], "Practice",
                 int(numerator[i]), d, value]
            )  # fmt: skip
    return [write_csv(_single(path), HEADER, rows)]
