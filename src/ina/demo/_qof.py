"""Demo QOF 2024-25 raw data: ``PREVALENCE_2425.csv`` and ``ACHIEVEMENT_2425.csv``.

The prevalence file is the registers of :mod:`ina.demo._practice_health` in NHS Digital's
layout (as ``../shared/real-data/qof_2223/PREVALENCE_2223.csv``: LF, no BOM, one row per
practice and group in alphabetical order, ``REGISTER`` written ``112.0``, the list size
that of the group's list type: ``TOTAL``, ``06OV`` asthma, ``17OV`` diabetes, ``18OV``
CKD, depression, epilepsy, NDH and obesity). List sizes are exactly the practice's
registered patients at or over that age in the demo ``registered_by_age`` extract.

The achievement file is NHS Digital's long layout ``PRACTICE_CODE, INDICATOR_CODE,
MEASURE, VALUE`` with ``MEASURE`` ``ACHIEVED_POINTS, DENOMINATOR, NUMERATOR, PCAS`` for
eight indicators, drawn from its own generator (``seed + 102``). Each indicator's
population is part of a register (MH002 the SMI register, HYP008 hypertensives aged 79 or
under, HYP009 aged 80+, AF008 AF patients with CHA2DS2-VASc >= 2 ...); personalised care
adjustments (PCAs) are taken out of it to give the denominator; the numerator is a
binomial draw at a practice rate that varies between practices and is lower where the
practice's patients are more deprived, solved so the pooled rate is the stated one
(MH002: 66% of the register incl. PCAs in 26A against England's 72%, JFP §3.5, with a few
practices far below the rest; COPD010 75%; HYP008 68%; HYP009 80%; AF008 90%; DEM004 70%).
Points follow QOF's linear scale between each indicator's lower and upper thresholds
(the demo's points and thresholds resemble QOF 2024-25's; they are not the contract's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ina.demo._formats import write_csv
from ina.demo._practice_health import (
    GROUPS,
    LIST_TYPES,
    SEED_OFFSETS,
    PracticeProfile,
    Registers,
    draw_registers,
    format_count,
    list_age,
    practice_profile,
    practice_rates,
)
from ina.demo._world import AGES, DemoWorld

PREVALENCE_HEADER = [
    "PRACTICE_CODE",
    "GROUP_CODE",
    "REGISTER",
    "PATIENT_LIST_TYPE",
    "PRACTICE_LIST_SIZE",
]
ACHIEVEMENT_HEADER = ["PRACTICE_CODE", "INDICATOR_CODE", "MEASURE", "VALUE"]
MEASURES = ("ACHIEVED_POINTS", "DENOMINATOR", "NUMERATOR", "PCAS")

Population = Callable[[np.random.Generator, Registers, PracticeProfile], np.ndarray]


def _single(path: Path | list[Path]) -> Path:
    if isinstance(path, list):
        if len(path) != 1:
            raise ValueError(f"expected one path, got {len(path)}")
        return path[0]
    return path


def chads_eligible(
    rng: np.random.Generator, registers: Registers, _: PracticeProfile
) -> np.ndarray:
    """AF patients with CHA2DS2-VASc >= 2: about half under 65, nearly all from 75."""
    share = np.interp(AGES, [0, 64, 65, 74, 75], [0.45, 0.45, 0.88, 0.88, 1.0])
    return rng.binomial(registers.by_age["AF"], share[None, None, :]).sum(axis=(1, 2))


def ltc_patients(
    rng: np.random.Generator, registers: Registers, profile: PracticeProfile
) -> np.ndarray:
    """Patients with any of SMOK002's conditions: the registers less their overlaps."""
    groups = ("HYP", "DM", "CHD", "STIA", "COPD", "CKD", "AST", "MH")
    listed = sum(registers.aged(group, 15) for group in groups)
    return np.minimum(rng.binomial(listed, 0.6), profile.at_least(15))


def register(group: str, low: int = 0, high: int = 95, share: float = 1.0) -> Population:
    """Patients of one register aged ``low``-``high`` (a ``share`` of them, e.g. DEM004's
    patients diagnosed before the year's review window)."""

    def population(
        rng: np.random.Generator, registers: Registers, _: PracticeProfile
    ) -> np.ndarray:
        patients = registers.aged(group, low, high)
        return patients if share == 1.0 else rng.binomial(patients, share)

    return population


@dataclass(frozen=True)
class QofIndicator:
    """One demo achievement indicator (see the module docstring)."""

    code: str
    population: Population
    target: float | dict[str, float]  # pooled achievement, overall or by sub-ICB
    with_pcas: bool  # target is numerator / (denominator + PCAs), as Fingertips shows it
    pca_rate: float
    spread: float  # practice sd on the logit scale
    gradient: float  # logit change per unit of deprivation
    points: float
    thresholds: tuple[float, float]  # QOF lower and upper achievement thresholds
    outliers: float = 0.0


INDICATORS: tuple[QofIndicator, ...] = (
    # Care plan for SMI: 66% in 26A vs England 72% (JFP §3.5); practices under 14% to 100%.
    QofIndicator("MH002", register("MH"), {"26A": 0.66, "06L": 0.73, "07K": 0.72}, True,
                 0.12, 0.75, -0.35, 6, (0.40, 0.90), outliers=0.03),
    QofIndicator("COPD010", register("COPD"), 0.75, True, 0.08, 0.55, -0.30, 9, (0.50, 0.90)),
    QofIndicator("HYP008", register("HYP", 0, 79), 0.68, False, 0.04, 0.35, -0.25, 40,
                 (0.45, 0.77)),
    QofIndicator("HYP009", register("HYP", 80), 0.80, False, 0.06, 0.35, -0.20, 20,
                 (0.40, 0.82)),
    QofIndicator("AF008", chads_eligible, 0.90, False, 0.07, 0.45, -0.20, 12, (0.70, 0.95)),
    QofIndicator("DEM004", register("DEM", share=0.92), 0.70, True, 0.10, 0.50, -0.30, 6,
                 (0.35, 0.70)),
    QofIndicator("SMOK002", ltc_patients, 0.93, False, 0.01, 0.45, -0.20, 25, (0.50, 0.90)),
    QofIndicator("DM012", register("DM"), 0.80, False, 0.07, 0.45, -0.25, 4, (0.50, 0.90)),
)  # fmt: skip


def qof_prevalence(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """``PREVALENCE_2425.csv``: one row per practice and group, in code order."""
    profile = practice_profile(world)
    registers = draw_registers(world, profile)
    order = np.argsort(profile.codes, kind="stable")
    rows = []
    for i in order:
        for group in GROUPS:
            list_type = LIST_TYPES[group]
            size = int(profile.at_least(list_age(list_type))[i])
            count = int(registers.total(group)[i])
            rows.append([profile.codes[i], group, f"{count}.0", list_type, size])
    return [write_csv(_single(path), PREVALENCE_HEADER, rows)]


@dataclass(frozen=True)
class Achievement:
    """Drawn achievement of every practice for one indicator (world practice order)."""

    indicator: QofIndicator
    numerator: np.ndarray
    denominator: np.ndarray
    pcas: np.ndarray
    points: np.ndarray


def draw_achievement(world: DemoWorld) -> list[Achievement]:
    """Every demo indicator of every practice, from the ``seed + 102`` generator."""
    profile = practice_profile(world)
    registers = draw_registers(world, profile)
    rng = np.random.default_rng(world.seed + SEED_OFFSETS["qof_achievement"])
    out = []
    n = len(profile.codes)
    for indicator in INDICATORS:
        population = indicator.population(rng, registers, profile)
        pca_rate = np.clip(rng.beta(4.0, 4.0 / indicator.pca_rate - 4.0, n), 0.0, 0.6)
        pcas = rng.binomial(population, pca_rate)
        denominator = population - pcas
        # A target on the with-PCAs basis is reached at a higher rate on the denominator.
        keep = 1.0 - (pcas.sum() / max(population.sum(), 1)) if indicator.with_pcas else 1.0
        target = indicator.target
        if isinstance(target, dict):
            target = {k: min(v / keep, 0.995) for k, v in target.items()}
        else:
            target = min(target / keep, 0.995)
        rate = practice_rates(
            rng,
            profile,
            denominator,
            target,
            spread=indicator.spread,
            gradient=indicator.gradient,
            outliers=indicator.outliers,
        )
        numerator = rng.binomial(denominator, rate)
        low, high = indicator.thresholds
        with np.errstate(invalid="ignore", divide="ignore"):
            achieved = np.where(denominator > 0, numerator / np.maximum(denominator, 1), 1.0)
        points = indicator.points * np.clip((achieved - low) / (high - low), 0.0, 1.0)
        out.append(Achievement(indicator, numerator, denominator, pcas, np.round(points, 2)))
    return out


def _points_text(value: float) -> str:
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def qof_achievement(world: DemoWorld, path: Path | list[Path]) -> list[Path]:
    """``ACHIEVEMENT_2425.csv``: long rows sorted by practice, indicator and measure."""
    profile = practice_profile(world)
    drawn = sorted(draw_achievement(world), key=lambda a: a.indicator.code)
    rows = []
    for i in np.argsort(profile.codes, kind="stable"):
        code = profile.codes[i]
        for one in drawn:
            values = {
                "ACHIEVED_POINTS": _points_text(float(one.points[i])),
                "DENOMINATOR": format_count(one.denominator[i : i + 1])[0],
                "NUMERATOR": format_count(one.numerator[i : i + 1])[0],
                "PCAS": format_count(one.pcas[i : i + 1])[0],
            }
            rows += [[code, one.indicator.code, m, values[m]] for m in MEASURES]
    return [write_csv(_single(path), ACHIEVEMENT_HEADER, pd.DataFrame(rows))]
