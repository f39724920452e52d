"""Underlying causes of death for the synthetic deaths (ICD-10, ONS 4-character style).

The cause mix by age band follows the shape of ONS "Deaths registered in England and
Wales" (2022): external causes and cancer dominate young-adult deaths, circulatory
disease, cancer and respiratory disease older ones, dementia and "old age" the oldest;
perinatal conditions and congenital anomalies in infants. Causes with a strong deprivation
gradient in English data (lung cancer, COPD, alcohol-related liver disease, drug
poisoning, suicide, diabetes) get a relative risk per unit of deprivation, so the gap in
life expectancy can be broken down by cause. COVID-19 (U071) appears from 2020.

Codes are written without the dot, three-character codes padded with ``X`` (``I64X``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

# Age bands (lower bounds) the weights below refer to.
BAND_LOWER = np.array([0, 1, 15, 35, 50, 65, 75, 85])


class CauseGroup(NamedTuple):
    """ICD-10 codes (with relative weights), the group's weight in each age band of
    :data:`BAND_LOWER`, its relative risk per unit of deprivation, and the sex it applies
    to (``None`` for both)."""

    codes: tuple[str, ...]
    code_weights: tuple[float, ...]
    band_weights: tuple[float, ...]
    deprivation_rr: float
    sex: str | None


CAUSE_GROUPS: dict[str, CauseGroup] = {
    "perinatal": CauseGroup(
        ("P072", "P220", "P369", "P011", "R95X"),
        (3, 2, 2, 1, 1),
        (60, 0, 0, 0, 0, 0, 0, 0),
        1.3,
        None,
    ),
    "congenital": CauseGroup(
        ("Q249", "Q899", "Q000", "Q909"), (3, 2, 1, 1), (25, 8, 1, 0.3, 0.1, 0, 0, 0), 1.1, None
    ),
    "ihd": CauseGroup(
        ("I219", "I251", "I259", "I214"), (4, 3, 3, 1), (0, 0.2, 4, 12, 14, 12, 10, 8), 1.25, None
    ),
    "stroke": CauseGroup(
        ("I639", "I64X", "I619", "I678"), (4, 2, 2, 1), (0, 0.3, 1, 3, 4, 5, 6, 7), 1.15, None
    ),
    "other_circulatory": CauseGroup(
        ("I500", "I48X", "I269", "I10X", "I710", "I350", "I420"),
        (3, 2, 1, 1, 1, 1, 1),
        (0.5, 1, 3, 5, 5, 6, 8, 10),
        1.05,
        None,
    ),
    "lung_cancer": CauseGroup(
        ("C349", "C341", "C343"), (6, 2, 1), (0, 0, 0.5, 3, 8, 8, 5, 2), 1.7, None
    ),
    "colorectal_cancer": CauseGroup(
        ("C189", "C20X", "C187", "C180"), (4, 2, 1, 1), (0, 0, 0.5, 2.5, 3.5, 3.5, 3, 2), 1.1, None
    ),
    "breast_cancer": CauseGroup(("C509",), (1,), (0, 0, 2, 8, 6, 4, 3, 2), 0.95, "female"),
    "prostate_cancer": CauseGroup(("C61X",), (1,), (0, 0, 0, 0.5, 3, 4, 5, 4), 0.95, "male"),
    "other_cancer": CauseGroup(
        ("C259", "C159", "C169", "C679", "C649", "C719", "C900", "C859", "C80X", "C220", "C56X"),
        (4, 3, 2, 2, 2, 2, 2, 2, 3, 2, 2),
        (1, 8, 8, 14, 17, 14, 9, 5),
        1.15,
        None,
    ),
    "copd": CauseGroup(("J449", "J440", "J439"), (5, 2, 1), (0, 0, 0.1, 1, 4, 6, 6, 4), 1.9, None),
    "pneumonia": CauseGroup(
        ("J189", "J181", "J690"), (5, 1, 1), (1, 1, 0.5, 1, 1.5, 2.5, 4, 6), 1.3, None
    ),
    "other_respiratory": CauseGroup(
        ("J841", "J22X", "J459", "J960"), (3, 1, 1, 1), (1, 2, 1, 1, 1.5, 2, 2, 2), 1.2, None
    ),
    "dementia": CauseGroup(
        ("F03X", "G309", "F019", "G301"), (4, 3, 2, 1), (0, 0, 0, 0.1, 1, 4, 11, 17), 0.95, None
    ),
    "neurological": CauseGroup(
        ("G20X", "G122", "G35X", "G40X"), (4, 2, 1, 1), (1, 6, 4, 3, 3, 3, 3, 2), 1.0, None
    ),
    "liver": CauseGroup(
        ("K703", "K746", "K704", "K760"), (4, 3, 1, 1), (0, 0.2, 3, 8, 6, 2.5, 1.2, 0.5), 2.0, None
    ),
    "other_digestive": CauseGroup(
        ("K922", "K566", "K559", "K573", "K859"),
        (2, 1, 1, 1, 1),
        (1, 1, 1, 2, 2.5, 3, 3, 3),
        1.15,
        None,
    ),
    "diabetes": CauseGroup(
        ("E149", "E119", "E109"), (4, 3, 1), (0, 0.3, 1, 1.5, 2, 2, 1.5, 1), 1.4, None
    ),
    "kidney": CauseGroup(("N179", "N189"), (1, 1), (0, 0.2, 0.3, 0.5, 1, 1.5, 2, 2.5), 1.2, None),
    "infections": CauseGroup(
        ("A419", "A047", "B182"), (4, 1, 1), (4, 3, 1, 1, 1.5, 2, 2, 2), 1.2, None
    ),
    "old_age": CauseGroup(("R54X",), (1,), (0, 0, 0, 0, 0, 0, 0.5, 6), 0.9, None),
    "falls": CauseGroup(
        ("W19X", "W010", "W108"), (5, 1, 1), (0.2, 1, 1, 1, 1, 1, 1.5, 2.5), 1.1, None
    ),
    "transport": CauseGroup(
        ("V892", "V234", "V031"), (3, 1, 1), (0.5, 6, 9, 2, 1, 0.4, 0.2, 0.1), 1.3, None
    ),
    "suicide": CauseGroup(
        ("X700", "X800", "X780", "Y870"), (6, 1, 1, 1), (0, 2, 16, 7, 3, 0.7, 0.3, 0.1), 1.5, None
    ),
    "drug_poisoning": CauseGroup(
        ("X420", "X440", "X450", "Y120"),
        (4, 3, 2, 1),
        (0, 0.5, 14, 6, 2, 0.3, 0.1, 0.05),
        2.2,
        None,
    ),
    "other_external": CauseGroup(
        ("X599", "W690", "X479", "Y349"), (3, 1, 1, 1), (3, 6, 5, 2, 1, 0.5, 0.3, 0.3), 1.3, None
    ),
}

# Share of deaths from COVID-19 by registration year (ONS, England and Wales, rounded).
COVID_SHARE = {2020: 0.12, 2021: 0.10, 2022: 0.04, 2023: 0.02, 2024: 0.008}
COVID_RELATIVE_RISK_PER_DEPRIVATION = 1.4


def draw_causes(
    rng: np.random.Generator,
    age: np.ndarray,
    sex_index: np.ndarray,
    deprivation: np.ndarray,
    year: np.ndarray,
) -> np.ndarray:
    """One underlying cause per death, vectorised (inverse-CDF sampling over groups).

    ``sex_index`` is 0 for female and 1 for male; ``deprivation`` runs from -1 (least) to
    +1 (most deprived); COVID-19 is drawn first with the year's share (higher in the
    deprived, and only at ages 15+), other causes from the age-band mix.
    """
    n = len(age)
    band = np.searchsorted(BAND_LOWER, age, side="right") - 1
    names = list(CAUSE_GROUPS)
    weights = np.empty((n, len(names)))
    for j, name in enumerate(names):
        _, _, by_band, rr, sex_only = CAUSE_GROUPS[name]
        w = np.asarray(by_band, dtype=float)[band] * rr**deprivation
        if sex_only == "female":
            w = w * (sex_index == 0)
        elif sex_only == "male":
            w = w * (sex_index == 1)
        weights[:, j] = w
    cumulative = np.cumsum(weights, axis=1)
    pick = (cumulative < (rng.random(n) * cumulative[:, -1])[:, None]).sum(axis=1)

    codes = np.empty(n, dtype="<U4")
    for j, name in enumerate(names):
        mask = pick == j
        if mask.any():
            group_codes, code_weights, *_ = CAUSE_GROUPS[name]
            p = np.asarray(code_weights, dtype=float)
            codes[mask] = rng.choice(np.array(group_codes), size=int(mask.sum()), p=p / p.sum())

    covid_share = np.array([COVID_SHARE.get(int(y), 0.0) for y in year])
    covid_p = covid_share * COVID_RELATIVE_RISK_PER_DEPRIVATION**deprivation * (age >= 15)
    codes[rng.random(n) < covid_p] = "U071"
    return codes
