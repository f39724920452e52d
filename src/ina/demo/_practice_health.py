"""The health of each demo practice's patients: QOF registers and the rates the practice-level
extracts (QOF achievement, CVDPREVENT, GP record flags, screening) are drawn from.

Why one module: the five practice extracts must agree with each other and with the
registered lists, the way real ones do (a QOF achievement denominator is part of its
register, CVDPREVENT's hypertension denominator is the hypertension register, the dementia
diagnosis rate's numerator is the dementia register aged 65+). So the registers are drawn
here once, by practice, sex and single year of age, from the QOF prevalence writer's own
generator (``seed + 101``); the other writers redraw them (deterministically, the same
numbers) and then draw their own quantities from their own generators (``seed + 102`` ..
``seed + 105``), so adding or changing one of them never shifts another file.

Each register is ``Binomial(registered patients at that age and sex, p)`` with

    p = min(0.97, scale x age-sex shape x exp(beta x practice deprivation) x practice effect)

where the shape is a rough curve of recorded prevalence by age (rising steeply with age for
the cardiovascular conditions, flat for learning disability and epilepsy, young-adult and
female for depression), ``beta`` the log relative risk between a practice whose patients
are all in the middle and all at the most deprived end of England (the JFP's gradients:
COPD, SMI, diabetes and obesity steep; cancer and AF slightly the other way), the practice
effect a lognormal (coding and case-finding differ between practices) and ``scale`` solves
"England's population structure gives England's QOF 2023-24 prevalence". Demo prevalences
are then higher than England's where the demo lists are older, as Norfolk and Waveney's
are (JFP §3.1: 191,900 with hypertension, 79,700 with diabetes, 25,300 with COPD at 2.3%
against England's 1.9%).

Two registers are built differently because the INA compares them with an expected number:

- hypertension: the *true* prevalence (scaled to England's recorded 14.8% / 0.68 detected)
  gives the modelled expected count (age, sex and deprivation only, as modelled estimates
  are); each practice detects a share of its true cases (about 68%, lower where more
  deprived), so recorded / expected is about 0.6-0.75 (JFP §3.1: "more than 87,000 people
  with high blood pressure that has not yet been diagnosed");
- dementia: the CFAS II age-sex prevalence (Matthews et al., Lancet 2013, the rates NHS
  England's dementia diagnosis rate uses) gives the expected count aged 65+; each practice
  diagnoses about 62% of it (diagnosis rates vary from about 45% to 85%), and a few
  early-onset cases under 65 are added (so the register aged 65+ is about 95% of it).

The world's practices include three with under 1,500 patients, so small registers (and
small achievement and screening counts) occur and suppression has work to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit, logit

from ina.demo._world import AGES, DemoWorld, england_persons_profile, male_fraction

#: Each practice-level extract's generator: ``np.random.default_rng(world.seed + offset)``.
SEED_OFFSETS = {
    "qof_prevalence": 101,
    "qof_achievement": 102,
    "cvdprevent": 103,
    "gp_record_flags": 104,
    "screening": 105,
}

#: QOF year 2024-25 ends on 31 March 2025; the other practice extracts are as at that date.
YEAR_END = "2025-03-31"


@dataclass(frozen=True)
class Condition:
    """How one QOF register is drawn (see the module docstring)."""

    list_type: str  # TOTAL or the age-restricted list, e.g. 17OV
    england: float  # England recorded prevalence on that list, QOF 2023-24
    knots: tuple[tuple[int, float], ...]  # relative prevalence (persons) by age
    male_ratio: float  # male / female prevalence at the same age
    beta: float  # log relative risk per unit of practice deprivation (-1 .. +1)
    spread: float  # sd of the log practice effect (coding and case-finding)


CONDITIONS: dict[str, Condition] = {
    # Hypertension: England's *true* prevalence (recorded 14.8% / 0.68), see HYP_DETECTION.
    "HYP": Condition("TOTAL", 0.148 / 0.68, ((0, 0.0), (18, 0.005), (30, 0.04), (40, 0.12),
                     (50, 0.27), (60, 0.45), (70, 0.6), (80, 0.7), (95, 0.72)), 1.05, 0.10, 0.10),
    "DM": Condition("17OV", 0.077, ((17, 0.004), (30, 0.02), (40, 0.045), (50, 0.09),
                    (60, 0.14), (70, 0.18), (80, 0.18), (95, 0.13)), 1.3, 0.32, 0.12),
    "CHD": Condition("TOTAL", 0.030, ((0, 0.0), (35, 0.001), (45, 0.008), (55, 0.03),
                     (65, 0.07), (75, 0.13), (85, 0.18), (95, 0.2)), 1.9, 0.30, 0.12),
    "AF": Condition("TOTAL", 0.022, ((0, 0.0), (40, 0.002), (50, 0.006), (60, 0.02),
                    (70, 0.06), (80, 0.12), (90, 0.17), (95, 0.18)), 1.35, -0.05, 0.10),
    "COPD": Condition("TOTAL", 0.019, ((0, 0.0), (30, 0.001), (40, 0.004), (50, 0.014),
                      (60, 0.035), (70, 0.065), (80, 0.085), (95, 0.07)), 1.1, 0.55, 0.15),
    "AST": Condition("06OV", 0.065, ((6, 0.075), (18, 0.065), (40, 0.06), (60, 0.065),
                     (80, 0.07), (95, 0.06)), 0.8, 0.12, 0.12),
    "MH": Condition("TOTAL", 0.010, ((0, 0.0), (15, 0.001), (20, 0.006), (30, 0.013),
                    (50, 0.015), (65, 0.012), (80, 0.01), (95, 0.008)), 1.05, 0.50, 0.15),
    "DEP": Condition("18OV", 0.13, ((18, 0.12), (25, 0.15), (45, 0.16), (60, 0.13),
                     (75, 0.10), (95, 0.08)), 0.5, 0.20, 0.22),
    "LD": Condition("TOTAL", 0.0055, ((0, 0.002), (10, 0.007), (20, 0.008), (40, 0.006),
                    (60, 0.004), (80, 0.002), (95, 0.001)), 1.4, 0.25, 0.20),
    "CKD": Condition("18OV", 0.043, ((18, 0.0), (40, 0.003), (50, 0.01), (60, 0.03),
                     (70, 0.09), (80, 0.2), (90, 0.3), (95, 0.32)), 0.8, 0.08, 0.28),
    "OB": Condition("18OV", 0.13, ((18, 0.07), (30, 0.11), (45, 0.15), (60, 0.17),
                    (75, 0.13), (90, 0.07), (95, 0.05)), 0.95, 0.35, 0.22),
    "PC": Condition("TOTAL", 0.005, ((0, 0.0003), (40, 0.001), (60, 0.004), (70, 0.009),
                    (80, 0.02), (90, 0.04), (95, 0.05)), 1.0, -0.05, 0.45),
    "HF": Condition("TOTAL", 0.011, ((0, 0.0), (40, 0.001), (50, 0.003), (60, 0.008),
                    (70, 0.02), (80, 0.05), (90, 0.09), (95, 0.1)), 1.4, 0.30, 0.15),
    "STIA": Condition("TOTAL", 0.019, ((0, 0.0), (30, 0.002), (40, 0.01), (50, 0.03),
                      (60, 0.03), (70, 0.06), (80, 0.1), (95, 0.13)), 1.1, 0.20, 0.12),
    "CAN": Condition("TOTAL", 0.036, ((0, 0.001), (30, 0.003), (40, 0.01), (50, 0.03),
                     (60, 0.06), (70, 0.1), (80, 0.14), (95, 0.14)), 0.9, -0.10, 0.12),
    "EP": Condition("18OV", 0.008, ((18, 0.008), (40, 0.008), (60, 0.008), (80, 0.009),
                    (95, 0.008)), 1.1, 0.35, 0.18),
    "NDH": Condition("18OV", 0.07, ((18, 0.005), (30, 0.015), (40, 0.035), (50, 0.07),
                     (60, 0.11), (70, 0.14), (80, 0.14), (95, 0.1)), 1.0, 0.15, 0.35),
}  # fmt: skip
#: The register groups in QOF's file order (alphabetical, as NHS Digital writes them).
GROUPS: tuple[str, ...] = tuple(sorted([*CONDITIONS, "DEM"]))
LIST_TYPES = {group: CONDITIONS[group].list_type for group in CONDITIONS} | {"DEM": "TOTAL"}

#: Share of true hypertension a practice records: about 68% on average (so recorded /
#: expected is about 0.6-0.75), lower where the practice's patients are more deprived.
HYP_DETECTION = 0.68
HYP_DETECTION_SPREAD = 0.30  # sd on the logit scale between practices
HYP_DETECTION_DEPRIVATION = -0.25  # logit change per unit of deprivation

#: CFAS II dementia prevalence aged 65+ (Matthews et al. 2013) by band: (male, female).
CFAS_II = {
    (65, 69): (0.012, 0.018),
    (70, 74): (0.030, 0.025),
    (75, 79): (0.052, 0.062),
    (80, 84): (0.106, 0.095),
    (85, 89): (0.128, 0.181),
    (90, 95): (0.171, 0.350),
}
DEMENTIA_DIAGNOSIS = 0.62  # mean share of expected dementia aged 65+ that is diagnosed
DEMENTIA_DIAGNOSIS_SPREAD = 0.35  # sd on the logit scale between practices
#: Recorded early-onset dementia, ages 40-64 (about 5% of the register).
EARLY_ONSET = 0.0018


@dataclass(frozen=True)
class PracticeProfile:
    """What the practice extracts need to know about each practice (world order)."""

    codes: np.ndarray
    names: np.ndarray
    sub_icb: np.ndarray
    registered: np.ndarray  # int (practice, sex: female, male, age 0..95)
    deprivation: np.ndarray  # patient-weighted -1 (least) .. +1 (most deprived)
    core20_share: np.ndarray  # share of patients living in the national most deprived 20%

    def at_least(self, age: int) -> np.ndarray:
        """Registered patients aged ``age`` and over, by practice."""
        return self.registered[:, :, age:].sum(axis=(1, 2))

    def between(self, low: int, high: int, sex: int | None = None) -> np.ndarray:
        """Registered patients aged ``low`` to ``high`` (of one sex: 0 female, 1 male)."""
        block = self.registered[:, :, low : high + 1]
        return (block.sum(axis=(1, 2)) if sex is None else block[:, sex].sum(axis=1)).astype(
            np.int64
        )


def practice_profile(world: DemoWorld) -> PracticeProfile:
    """Each practice's list, sub-ICB and the deprivation of where its patients live."""
    areas = world.small_areas.set_index("lsoa_code")["percentile"]
    by_area = world.registrations_by_area
    percentile = by_area["lsoa_code"].map(areas).to_numpy()
    patients = by_area["patients"].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "practice_code": by_area["practice_code"].to_numpy(),
            "weighted": patients * (1.0 - 2.0 * percentile),
            "core20": patients * (percentile < 0.2),
            "patients": patients,
        }
    )
    sums = frame.groupby("practice_code").sum()
    codes = world.practices["practice_code"].to_numpy()
    sums = sums.reindex(codes)
    return PracticeProfile(
        codes=codes,
        names=world.practices["practice_name"].to_numpy(),
        sub_icb=world.practices["sub_icb_code"].to_numpy(),
        registered=world.registrations.astype(np.int64),
        deprivation=(sums["weighted"] / sums["patients"]).to_numpy(),
        core20_share=(sums["core20"] / sums["patients"]).to_numpy(),
    )


def list_age(list_type: str) -> int:
    """The youngest age on a QOF list: ``TOTAL`` 0, ``17OV`` 17 ..."""
    return 0 if list_type == "TOTAL" else int(list_type[:2])


def _shape(condition: Condition) -> np.ndarray:
    """Relative prevalence by (sex: female, male, age), zero below the list's age."""
    ages, values = zip(*condition.knots, strict=True)
    persons = np.interp(AGES, ages, values)
    persons[: list_age(condition.list_type)] = 0.0
    female = 2 * persons / (1 + condition.male_ratio)
    return np.stack([female, female * condition.male_ratio])


@cache
def _scale(group: str) -> float:
    """The factor that gives England's prevalence on England's age-sex structure."""
    condition = CONDITIONS[group]
    profile = england_persons_profile()
    males = male_fraction()
    england = np.stack([profile * (1 - males), profile * males])
    england[:, : list_age(condition.list_type)] = 0.0
    return condition.england * england.sum() / (england * _shape(condition)).sum()


def cfas_rates() -> np.ndarray:
    """CFAS II prevalence by (sex: female, male, age), zero under 65."""
    rates = np.zeros((2, len(AGES)))
    for (low, high), (male, female) in CFAS_II.items():
        rates[0, low : high + 1] = female
        rates[1, low : high + 1] = male
    return rates


@dataclass(frozen=True)
class Registers:
    """QOF registers by (practice, sex, age), and the expected counts they are compared with."""

    by_age: dict[str, np.ndarray]
    hyp_expected: np.ndarray  # modelled expected hypertensives, by practice (float)
    dementia_expected_65: np.ndarray  # CFAS II expected dementia aged 65+, by practice (float)

    def total(self, group: str) -> np.ndarray:
        return self.by_age[group].sum(axis=(1, 2))

    def aged(self, group: str, low: int, high: int = 95) -> np.ndarray:
        return self.by_age[group][:, :, low : high + 1].sum(axis=(1, 2))


def draw_registers(world: DemoWorld, profile: PracticeProfile) -> Registers:
    """Every register of every practice, from the QOF prevalence generator (``seed + 101``)."""
    rng = np.random.default_rng(world.seed + SEED_OFFSETS["qof_prevalence"])
    registered = profile.registered
    q = profile.deprivation
    n = len(q)
    by_age: dict[str, np.ndarray] = {}
    hyp_expected = np.zeros(n)
    for group, condition in CONDITIONS.items():
        effect = rng.lognormal(-(condition.spread**2) / 2, condition.spread, n)
        base = _scale(group) * _shape(condition)[None] * np.exp(condition.beta * q)[:, None, None]
        p = np.clip(base * effect[:, None, None], 0.0, 0.97)
        if group == "HYP":
            hyp_expected = (registered * np.clip(base, 0.0, 0.97)).sum(axis=(1, 2))
            true_cases = rng.binomial(registered, p)
            detection = expit(
                logit(HYP_DETECTION)
                + HYP_DETECTION_DEPRIVATION * q
                + rng.normal(0.0, HYP_DETECTION_SPREAD, n)
            )
            by_age[group] = rng.binomial(true_cases, detection[:, None, None])
        else:
            by_age[group] = rng.binomial(registered, p)
    cfas = cfas_rates()
    expected_65 = (registered * cfas[None]).sum(axis=(1, 2))
    diagnosis = expit(logit(DEMENTIA_DIAGNOSIS) + rng.normal(0.0, DEMENTIA_DIAGNOSIS_SPREAD, n))
    p_dementia = np.clip(cfas[None] * diagnosis[:, None, None], 0.0, 0.97)
    p_dementia[:, :, 40:65] = EARLY_ONSET
    by_age["DEM"] = rng.binomial(registered, p_dementia)
    return Registers(by_age, hyp_expected, expected_65)


def calibrated_rates(offsets: np.ndarray, weights: np.ndarray, target: float) -> np.ndarray:
    """Practice rates ``expit(b + offset)`` whose ``weights``-weighted mean is ``target``.

    Why solve for ``b``: the practice offsets (noise, deprivation) shift the mean on the
    probability scale, so a fixed intercept would miss the published magnitude; solving
    makes the demo's pooled rate the stated one whatever the draw.
    """
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    if total <= 0:
        return expit(logit(target) + offsets)

    def gap(b: float) -> float:
        return float((w * expit(b + offsets)).sum() / total - target)

    return expit(brentq(gap, -15.0, 15.0) + offsets)


def practice_rates(
    rng: np.random.Generator,
    profile: PracticeProfile,
    weights: np.ndarray,
    targets: float | dict[str, float],
    *,
    spread: float,
    gradient: float,
    outliers: float = 0.0,
) -> np.ndarray:
    """Rates by practice: a target pooled rate (overall or by sub-ICB) with practice variation.

    ``spread`` is the sd of the practice effect on the logit scale, ``gradient`` the logit
    change per unit of deprivation (negative: worse where more deprived) and ``outliers``
    the share of practices far below the rest (a data or service problem: QOF's "under 14%"
    practices).
    """
    n = len(profile.codes)
    offsets = rng.normal(0.0, spread, n) + gradient * profile.deprivation
    if outliers:
        offsets = offsets - 3.0 * (rng.random(n) < outliers)
    if isinstance(targets, float):
        return calibrated_rates(offsets, weights, targets)
    rates = np.empty(n)
    for sub_icb in np.unique(profile.sub_icb):
        inside = profile.sub_icb == sub_icb
        rates[inside] = calibrated_rates(offsets[inside], weights[inside], targets[sub_icb])
    return rates


def format_count(values: np.ndarray) -> list[str]:
    """Counts as NHS Digital's QOF raw files write them (``112.0``)."""
    return [f"{int(v)}.0" for v in values]
