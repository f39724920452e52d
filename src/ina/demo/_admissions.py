"""Synthetic admitted patient care by diagnosis, and A&E attendances by reason.

Both are drawn for every financial year 2020/21 to 2024/25, small area, five-year age
band and sex of the :class:`~ina.demo._world.DemoWorld` residents as

    count ~ Poisson(population x rate(group, band, sex) x exp(b_group x deprivation)
                    x small-area factor x year factor)

each from a generator of its own (``seed + 201`` admissions, ``seed + 202`` A&E), so
neither shifts another demo file. Deprivation runs from -1 (least) to +1 (most
deprived), so ``b`` of about 0.25 gives the most- vs least-deprived fifth the rate ratio
of about 1.5 that the Joint Forward Plan (Fig 5) reports for emergency admissions of
young children.

Admissions. Clinical groups are drawn first, each with an age curve (per 100,000 a year
at the band's lower age, shaped after Hospital Episode Statistics for England and the
Fingertips indicators named in INDICATORS.md), a male:female ratio, a deprivation
slope and its ICD-10 primary diagnoses and external causes; some are scaled to a target:

- self-harm (S/T injury with cause X60-X84): about 190 per 100,000, highest at 15-19;
- falls 65+ (S00-T98 with W00-W19) about 2,100 per 100,000 aged 65+ including hip
  fractures (S720-S722) at about 550;
- stroke, MI, COPD, asthma, heart failure, pneumonia, UTI, diabetes, epilepsy,
  dementia, the alcohol-specific conditions (emergency and elective);
- children 0-4: respiratory and infections, so that all emergency admissions of the
  under-5s are about 150 per 1,000 a year.

Every other emergency admission ("other", the remainder up to the all-cause emergency
rate: 109,150 a year for Norfolk and Waveney's 1.1 million, so about 0.10 per person)
is spread over about 30 common diagnoses. The admission method is drawn per row from a
mix of the emergency methods (A&E 21 most often). Rare codes (fetal alcohol syndrome,
alcoholic myopathy, baby affected by maternal alcohol) give the small counts that
suppression and exact Poisson intervals must handle.

A&E attendances. The all-cause curve is that of the activity extract (294,000 a year for
1.1 million: about 0.27 per person, U-shaped by age, high under 5) split by reason with
age-dependent shares: falls rising to about a third of attendances at 90+, self-harm
and mental health highest in young adults, alcohol and drugs in working ages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ina.demo._activity import AGE_BANDS, band_population
from ina.demo._world import DemoWorld

#: Financial years (start) and all-cause activity relative to 2023/24: the COVID-19 dip
#: of 2020/21, then recovery and growth (NHS England, HES and A&E statistics, rounded).
EMERGENCY_YEARS = {2020: 0.86, 2021: 0.96, 2022: 0.98, 2023: 1.00, 2024: 1.02}
ELECTIVE_YEARS = {2020: 0.62, 2021: 0.86, 2022: 0.95, 2023: 1.00, 2024: 1.03}
AE_YEARS = {2020: 0.78, 2021: 0.97, 2022: 0.98, 2023: 1.00, 2024: 1.03}
ADMISSIONS_OFFSET = 201
AE_OFFSET = 202
AREA_FACTOR_SHAPE = 40.0
LOWER_AGE = np.arange(len(AGE_BANDS)) * 5
#: All-cause emergency admissions per person a year (Norfolk and Waveney 2023/24).
EMERGENCY_CRUDE = 109_150 / 1_100_000
#: All-cause emergency admissions per person a year at the band's lower age (shape only).
_EMERGENCY_KNOTS = (
    (0, 0.162), (5, 0.035), (10, 0.035), (15, 0.055), (20, 0.060), (30, 0.058), (40, 0.062),
    (50, 0.077), (60, 0.10), (65, 0.12), (70, 0.15), (75, 0.21), (80, 0.29), (85, 0.39),
    (90, 0.52),
)  # fmt: skip
_EMERGENCY_MALE_RATIO = ((0, 1.2), (15, 0.85), (40, 0.95), (60, 1.12), (80, 1.15), (90, 1.05))
EMERGENCY_DEPRIVATION_B = 0.26
#: Emergency admission methods (NHS Data Dictionary) and their shares.
EMERGENCY_METHODS = (
    ("21", 0.74), ("22", 0.11), ("23", 0.005), ("24", 0.04), ("25", 0.005),
    ("2A", 0.03), ("2B", 0.02), ("2D", 0.05),
)  # fmt: skip
ELECTIVE_METHODS = (("11", 0.55), ("12", 0.15), ("13", 0.30))


@dataclass(frozen=True)
class Group:
    """One clinical group: its codes and how often, at what ages and where, it happens.

    ``codes`` are ``(DIAG_4_01, CAUSE_3 or "", weight)``; ``knots`` per 100,000 a year at
    the band's lower age (0 outside them); ``male_ratio`` knots of male / female rate;
    ``target`` ``(min_age, max_age, per 100,000)`` rescales the curve so the group's crude
    rate over those ages is exactly that for the demo residents.
    """

    codes: tuple[tuple[str, str, float], ...]
    knots: tuple[tuple[int, float], ...]
    male_ratio: tuple[tuple[int, float], ...] = ((0, 1.0),)
    deprivation_b: float = 0.26
    methods: tuple[tuple[str, float], ...] = EMERGENCY_METHODS
    target: tuple[int, int, float] | None = None
    female_only_codes: frozenset[str] = field(default_factory=frozenset)


def _codes(*items: tuple[str, str, float]) -> tuple[tuple[str, str, float], ...]:
    return tuple(items)


_ALCOHOL_CODES = _codes(
    ("F100", "", 22), ("F102", "", 14), ("F103", "", 10), ("F104", "", 2), ("K703", "", 7),
    ("K701", "", 3), ("K709", "", 2), ("K852", "", 4), ("K860", "", 1.5), ("T510", "X45", 5),
    ("T510", "X65", 2), ("T510", "Y15", 0.6), ("E244", "", 0.05), ("G312", "", 0.6),
    ("G621", "", 0.3), ("G721", "", 0.05), ("I426", "", 0.4), ("K292", "", 1.0),
    ("R780", "", 0.4),
)  # fmt: skip

GROUPS: dict[str, Group] = {
    "self_harm": Group(
        _codes(
            ("T391", "X60", 30), ("T430", "X61", 8), ("T432", "X61", 6), ("T424", "X61", 5),
            ("T402", "X62", 5), ("T509", "X64", 14), ("T519", "X69", 2), ("S610", "X78", 6),
            ("S519", "X78", 4), ("T71X", "X70", 2), ("T149", "X84", 6), ("S019", "X80", 0.5),
        ),
        ((0, 0), (10, 260), (15, 620), (20, 360), (25, 250), (35, 210), (45, 170), (55, 95),
         (65, 45), (75, 35), (85, 40), (90, 40)),
        ((0, 0.4), (15, 0.45), (25, 0.8), (45, 0.9), (65, 1.0)),
        deprivation_b=0.55,
        methods=(("21", 0.9), ("25", 0.04), ("2A", 0.03), ("2D", 0.03)),
        target=(0, 200, 190),
    ),
    "falls": Group(
        _codes(
            ("S060", "W19", 14), ("S099", "W19", 10), ("S422", "W19", 8), ("S525", "W19", 10),
            ("S328", "W19", 6), ("S223", "W10", 5), ("S019", "W01", 6), ("T149", "W19", 8),
            ("S800", "W06", 4), ("S821", "W10", 3), ("S099", "W09", 2), ("S529", "W00", 3),
        ),
        ((0, 160), (5, 110), (10, 90), (20, 70), (40, 80), (55, 130), (65, 520), (70, 800),
         (75, 1300), (80, 2300), (85, 4000), (90, 6500)),
        ((0, 1.3), (15, 1.4), (40, 1.0), (65, 0.62), (85, 0.55)),
        deprivation_b=0.15,
        methods=(("21", 0.9), ("22", 0.04), ("2A", 0.03), ("2D", 0.03)),
        target=(65, 200, 1550),
    ),
    "hip_fracture": Group(
        _codes(("S720", "W19", 40), ("S720", "W01", 10), ("S721", "W19", 28), ("S722", "W19", 9),
               ("S722", "W10", 4), ("S720", "", 4), ("S721", "", 3)),
        ((0, 0), (40, 4), (50, 12), (60, 45), (65, 110), (70, 200), (75, 380), (80, 760),
         (85, 1500), (90, 2800)),
        ((0, 1.0), (60, 0.6), (85, 0.5)),
        deprivation_b=0.12,
        methods=(("21", 0.93), ("2B", 0.04), ("2D", 0.03)),
        target=(65, 200, 550),
    ),
    "stroke": Group(
        _codes(("I639", "", 45), ("I634", "", 15), ("I619", "", 14), ("I64X", "", 10),
               ("I611", "", 4), ("I635", "", 8)),
        ((0, 1), (20, 4), (40, 22), (50, 60), (60, 150), (70, 360), (80, 820), (90, 1300)),
        ((0, 1.0), (40, 1.35), (80, 1.1)),
        deprivation_b=0.22,
        methods=(("21", 0.9), ("22", 0.04), ("2B", 0.03), ("2D", 0.03)),
    ),
    "mi": Group(
        _codes(("I214", "", 45), ("I219", "", 25), ("I211", "", 12), ("I210", "", 10),
               ("I220", "", 3)),
        ((0, 0), (30, 6), (40, 30), (50, 90), (60, 190), (70, 310), (80, 500), (90, 620)),
        ((0, 2.4), (60, 2.0), (80, 1.4)),
        deprivation_b=0.32,
    ),
    "copd": Group(
        _codes(("J441", "", 45), ("J440", "", 25), ("J449", "", 22), ("J439", "", 4),
               ("J42X", "", 4)),
        ((0, 0), (35, 10), (45, 45), (55, 160), (65, 420), (75, 760), (85, 900), (90, 820)),
        ((0, 1.0), (55, 0.95), (75, 1.15)),
        deprivation_b=0.75,
    ),
    "asthma": Group(
        _codes(("J459", "", 70), ("J450", "", 18), ("J46X", "", 12)),
        ((0, 160), (5, 190), (10, 110), (15, 70), (20, 60), (40, 55), (60, 60), (80, 55),
         (90, 40)),
        ((0, 1.6), (10, 1.2), (15, 0.5), (60, 0.6)),
        deprivation_b=0.40,
    ),
    "heart_failure": Group(
        _codes(("I500", "", 60), ("I509", "", 30), ("I501", "", 10)),
        ((0, 1), (40, 8), (50, 30), (60, 100), (70, 350), (80, 1000), (90, 2100)),
        ((0, 1.0), (50, 1.5), (80, 1.2)),
        deprivation_b=0.28,
    ),
    "pneumonia": Group(
        _codes(("J189", "", 70), ("J181", "", 14), ("J159", "", 8), ("J129", "", 5),
               ("J180", "", 3)),
        ((0, 250), (5, 70), (15, 40), (40, 60), (60, 250), (70, 560), (80, 1400), (90, 3000)),
        ((0, 1.1), (15, 1.0), (60, 1.2)),
        deprivation_b=0.32,
    ),
    "uti": Group(
        _codes(("N390", "", 100),),
        ((0, 120), (5, 40), (15, 60), (40, 55), (60, 150), (70, 360), (80, 900), (90, 1800)),
        ((0, 0.7), (15, 0.25), (60, 0.55), (80, 0.75)),
        deprivation_b=0.22,
    ),
    "diabetes": Group(
        _codes(("E101", "", 40), ("E109", "", 8), ("E111", "", 10), ("E116", "", 8),
               ("E119", "", 16), ("E149", "", 6)),
        ((0, 8), (5, 35), (15, 65), (25, 55), (50, 55), (70, 100), (85, 150), (90, 130)),
        ((0, 1.0), (25, 1.2), (60, 1.3)),
        deprivation_b=0.42,
    ),
    "epilepsy": Group(
        _codes(("G409", "", 55), ("G403", "", 15), ("G402", "", 8), ("G410", "", 8),
               ("G419", "", 14)),
        ((0, 90), (5, 60), (15, 60), (30, 50), (60, 50), (80, 75), (90, 60)),
        ((0, 1.1),),
        deprivation_b=0.42,
    ),
    "dementia": Group(
        _codes(("F03X", "", 40), ("F019", "", 18), ("F009", "", 7), ("G309", "", 30)),
        ((0, 0), (55, 4), (65, 40), (75, 150), (85, 400), (90, 620)),
        ((0, 1.0), (75, 1.1)),
        deprivation_b=0.05,
    ),
    "alcohol_emergency": Group(
        _ALCOHOL_CODES,
        ((0, 0), (10, 10), (15, 140), (20, 190), (30, 290), (40, 440), (50, 500), (60, 400),
         (70, 250), (80, 100), (90, 50)),
        ((0, 1.0), (20, 1.4), (35, 2.1), (70, 2.4)),
        deprivation_b=0.70,
    ),
    "alcohol_elective": Group(
        _codes(("F102", "", 40), ("F103", "", 10), ("K703", "", 25), ("K709", "", 8),
               ("K860", "", 6), ("I426", "", 4), ("K292", "", 5), ("G312", "", 2)),
        ((0, 0), (20, 15), (30, 40), (40, 70), (50, 85), (60, 70), (70, 40), (80, 12),
         (90, 5)),
        ((0, 1.0), (30, 2.0)),
        deprivation_b=0.55,
        methods=ELECTIVE_METHODS,
    ),
    "alcohol_newborn": Group(
        _codes(("P043", "", 3), ("Q860", "", 1)),
        ((0, 3.0), (5, 0.4), (10, 0.2), (15, 0)),
        deprivation_b=0.9,
        methods=(("21", 0.6), ("2D", 0.4)),
    ),
    "children_infections": Group(
        _codes(
            ("J219", "", 22), ("J069", "", 16), ("J050", "", 6), ("B349", "", 10),
            ("A099", "", 9), ("R509", "", 10), ("H669", "", 3), ("J039", "", 4),
            ("L039", "", 2), ("J22X", "", 5), ("R111", "", 4),
        ),
        ((0, 10_000), (5, 1_200), (10, 500), (15, 0)),
        ((0, 1.18),),
        deprivation_b=0.25,
        methods=(("21", 0.7), ("22", 0.22), ("2A", 0.03), ("2D", 0.05)),
    ),
}  # fmt: skip

#: The remainder of emergency admissions: common primary diagnoses (3 characters, with
#: their usual fourth) and, for injuries, the external cause.
OTHER_CODES = _codes(
    ("R074", "", 9), ("R073", "", 4), ("R104", "", 7), ("R101", "", 3), ("R55X", "", 5),
    ("R060", "", 3), ("R69X", "", 2), ("K358", "", 3), ("K802", "", 3), ("K566", "", 2),
    ("K922", "", 2), ("N179", "", 3), ("L031", "", 3), ("I489", "", 4), ("I269", "", 2),
    ("I802", "", 1), ("A419", "", 3), ("E871", "", 2), ("R51X", "", 2), ("R42X", "", 2),
    ("K573", "", 2), ("K297", "", 1), ("O210", "", 1), ("J209", "", 2), ("J22X", "", 3),
    ("F419", "", 1), ("T784", "", 1), ("S626", "W23", 1), ("S525", "W22", 1),
    ("S063", "V43", 0.5), ("S270", "V47", 0.3), ("T630", "X20", 0.1), ("T670", "", 0.05),
)  # fmt: skip
#: Codes only women can have (pregnancy); only aged 15-44.
_PREGNANCY_CODES = frozenset({"O210"})


def _log_curve(knots: Sequence[tuple[int, float]]) -> np.ndarray:
    """Knots interpolated on the log scale (rates that rise exponentially with age)."""
    ages, values = zip(*knots, strict=True)
    return np.exp(np.interp(LOWER_AGE, ages, np.log(values)))


def _curve(knots: Sequence[tuple[int, float]]) -> np.ndarray:
    ages, values = zip(*knots, strict=True)
    return np.interp(LOWER_AGE, ages, values)


def _by_sex(persons: np.ndarray, ratio_knots: Sequence[tuple[int, float]]) -> np.ndarray:
    """(band, sex: male, female) rates whose average is ``persons``, males x ratio."""
    ratio = _curve(ratio_knots)
    female = 2 * persons / (1 + ratio)
    return np.stack([female * ratio, female], axis=1)


def deprivation_scale(world: DemoWorld) -> np.ndarray:
    """-1 (least) .. +1 (most deprived), from the national IMD percentile, as elsewhere."""
    return 1.0 - 2.0 * world.small_areas["percentile"].to_numpy()


def _scaled(
    rate: np.ndarray,
    population: np.ndarray,
    factor: np.ndarray,
    low: int,
    high: int,
    per_person: float,
) -> np.ndarray:
    """``rate`` (band, sex) rescaled so bands from ``low`` to ``high`` average ``per_person``."""
    bands = (low <= LOWER_AGE) & (high >= LOWER_AGE)
    expected = (population[:, bands] * rate[None, bands] * factor[:, None, None]).sum()
    return rate * per_person * population[:, bands].sum() / expected


def group_rates(world: DemoWorld) -> dict[str, np.ndarray]:
    """Per-person annual rates, shape (band, sex: male, female), before deprivation.

    Groups with a ``target`` are scaled to it; ``other`` is the all-cause emergency rate
    (scaled to :data:`EMERGENCY_CRUDE`) less the emergency groups, at least a fifth of it.
    """
    population = band_population(world)
    q = deprivation_scale(world)
    rates: dict[str, np.ndarray] = {}
    for name, group in GROUPS.items():
        rate = _by_sex(_curve(group.knots) / 100_000, group.male_ratio)
        if group.target is not None:
            low, high, per_100k = group.target
            factor = np.exp(group.deprivation_b * q)
            rate = _scaled(rate, population, factor, low, high, per_100k / 100_000)
        rates[name] = rate
    total = _by_sex(
        _log_curve(_EMERGENCY_KNOTS),
        _EMERGENCY_MALE_RATIO,
    )
    total = _scaled(total, population, np.exp(EMERGENCY_DEPRIVATION_B * q), 0, 200, EMERGENCY_CRUDE)
    emergency = sum(
        rate for name, rate in rates.items() if GROUPS[name].methods is not ELECTIVE_METHODS
    )
    rates["other"] = np.maximum(total - emergency, 0.2 * total)
    return rates


def _code_probabilities(
    codes: Sequence[tuple[str, str, float]], sex_index: int, lower_age: int
) -> np.ndarray:
    """Code weights for one band and sex (pregnancy codes only for women 15-44)."""
    weights = np.array([w for _, _, w in codes], dtype=float)
    allowed = np.array(
        [
            code not in _PREGNANCY_CODES or (sex_index == 1 and 15 <= lower_age <= 40)
            for code, _, _ in codes
        ]
    )
    weights = weights * allowed
    return weights / weights.sum()


def _split(rng: np.random.Generator, counts: np.ndarray, shares: Sequence[float]) -> np.ndarray:
    """Multinomial split of each count over ``shares`` → (len(counts), len(shares))."""
    p = np.asarray(shares, dtype=float)
    return rng.multinomial(counts, p / p.sum())


def draw_admissions(world: DemoWorld) -> pd.DataFrame:
    """File rows ``FYEAR,...,ADMISSIONS`` for every group, year, area, band and sex.

    For each group: a gamma small-area factor, Poisson counts per (year, area, band, sex)
    and then multinomial splits over its codes and admission methods. Rows with the same
    key (two groups sharing a code) are summed, then sorted on the key so the bytes are
    fixed whatever the drawing order.
    """
    rng = np.random.default_rng(world.seed + ADMISSIONS_OFFSET)
    population = band_population(world).astype(float)  # (area, band, sex)
    q = deprivation_scale(world)
    rates = group_rates(world)
    lsoa = world.small_areas["lsoa_code"].to_numpy()
    parts = []
    groups = {**GROUPS, "other": Group(OTHER_CODES, ((0, 0),))}
    for name, group in groups.items():
        elective = group.methods is ELECTIVE_METHODS
        years = ELECTIVE_YEARS if elective else EMERGENCY_YEARS
        area_factor = rng.gamma(AREA_FACTOR_SHAPE, 1 / AREA_FACTOR_SHAPE, len(lsoa))
        b = EMERGENCY_DEPRIVATION_B if name == "other" else group.deprivation_b
        mean = population * rates[name][None] * (np.exp(b * q) * area_factor)[:, None, None]
        year_factor = np.array(list(years.values()))
        counts = rng.poisson(year_factor[:, None, None, None] * mean[None])
        year_i, area_i, band_i, sex_i = np.nonzero(counts)
        n = counts[year_i, area_i, band_i, sex_i]
        by_code = np.zeros((len(n), len(group.codes)), dtype=np.int64)
        for band in np.unique(band_i):
            for sex in (0, 1):
                rows = (band_i == band) & (sex_i == sex)
                if rows.any():
                    p = _code_probabilities(group.codes, sex, int(LOWER_AGE[band]))
                    by_code[rows] = rng.multinomial(n[rows], p)
        row_i, code_i = np.nonzero(by_code)
        method_counts = _split(rng, by_code[row_i, code_i], [s for _, s in group.methods])
        cell_i, method_i = np.nonzero(method_counts)
        source = row_i[cell_i]
        diag = np.array([c for c, _, _ in group.codes])[code_i[cell_i]]
        cause = np.array([c for _, c, _ in group.codes])[code_i[cell_i]]
        parts.append(
            pd.DataFrame(
                {
                    "year": np.array(list(years))[year_i[source]],
                    "area": area_i[source],
                    "band": band_i[source],
                    "sex": sex_i[source] + 1,
                    "ADMIMETH": np.array([m for m, _ in group.methods])[method_i],
                    "DIAG_4_01": diag,
                    "CAUSE_3": cause,
                    "ADMISSIONS": method_counts[cell_i, method_i],
                }
            )
        )
    rows = pd.concat(parts, ignore_index=True)
    keys = ["year", "area", "band", "sex", "ADMIMETH", "DIAG_4_01", "CAUSE_3"]
    rows = rows.groupby(keys, as_index=False, sort=True)["ADMISSIONS"].sum()
    return pd.DataFrame(
        {
            "FYEAR": [f"{y}{(y + 1) % 100:02d}" for y in rows["year"]],
            "LSOA21": lsoa[rows["area"].to_numpy()],
            "AGE_BAND": np.array(AGE_BANDS)[rows["band"].to_numpy()],
            "SEX": rows["sex"].to_numpy(),
            "ADMIMETH": rows["ADMIMETH"].to_numpy(),
            "DIAG_3_01": rows["DIAG_4_01"].str.slice(0, 3).to_numpy(),
            "DIAG_4_01": rows["DIAG_4_01"].to_numpy(),
            "CAUSE_3": rows["CAUSE_3"].to_numpy(),
            "ADMISSIONS": rows["ADMISSIONS"].to_numpy(),
        }
    )


# --- A&E attendances ----------------------------------------------------------------------

AE_REASONS = ("FALL", "SELF_HARM", "MENTAL_HEALTH", "ALCOHOL_DRUG", "OTHER_INJURY", "ILLNESS")
AE_CRUDE = 294_000 / 1_100_000
_AE_KNOTS = (
    (0, 0.46), (5, 0.21), (10, 0.22), (15, 0.30), (20, 0.33), (25, 0.30), (30, 0.28),
    (40, 0.24), (50, 0.22), (60, 0.22), (70, 0.28), (75, 0.34), (80, 0.46), (85, 0.64),
    (90, 0.86),
)  # fmt: skip
_AE_MALE_RATIO = ((0, 1.18), (15, 1.12), (25, 1.05), (45, 1.02), (65, 1.0), (90, 0.95))
#: Share of attendances by reason at the band's lower age (ILLNESS takes the remainder).
_AE_SHARE_KNOTS = {
    "FALL": ((0, 0.09), (5, 0.07), (15, 0.04), (40, 0.05), (60, 0.09), (70, 0.15), (80, 0.24),
             (90, 0.33)),
    "SELF_HARM": ((0, 0.0), (10, 0.012), (15, 0.030), (20, 0.022), (30, 0.014), (50, 0.008),
                  (65, 0.003), (90, 0.002)),
    "MENTAL_HEALTH": ((0, 0.001), (10, 0.012), (15, 0.035), (25, 0.035), (45, 0.025),
                      (65, 0.010), (90, 0.006)),
    "ALCOHOL_DRUG": ((0, 0.0), (10, 0.002), (15, 0.018), (20, 0.030), (40, 0.030), (60, 0.018),
                     (75, 0.006), (90, 0.002)),
    "OTHER_INJURY": ((0, 0.30), (5, 0.42), (15, 0.36), (25, 0.28), (45, 0.22), (65, 0.12),
                     (85, 0.07), (90, 0.06)),
}  # fmt: skip
#: Log rate ratio per unit of deprivation by reason (all attendances about 0.28).
AE_DEPRIVATION_B = {
    "FALL": 0.10,
    "SELF_HARM": 0.55,
    "MENTAL_HEALTH": 0.50,
    "ALCOHOL_DRUG": 0.60,
    "OTHER_INJURY": 0.25,
    "ILLNESS": 0.28,
}


def ae_rates(world: DemoWorld) -> dict[str, np.ndarray]:
    """Per-person annual A&E rates by reason, (band, sex: male, female), before deprivation,
    scaled together so all attendances average :data:`AE_CRUDE` per resident."""
    population = band_population(world)
    q = deprivation_scale(world)
    total = _by_sex(_log_curve(_AE_KNOTS), _AE_MALE_RATIO)
    shares = {reason: _curve(knots) for reason, knots in _AE_SHARE_KNOTS.items()}
    shares["ILLNESS"] = 1.0 - sum(shares.values())
    rates = {reason: total * shares[reason][:, None] for reason in AE_REASONS}
    expected = sum(
        (population * rates[r][None] * np.exp(AE_DEPRIVATION_B[r] * q)[:, None, None]).sum()
        for r in AE_REASONS
    )
    scale = AE_CRUDE * population.sum() / expected
    return {reason: rate * scale for reason, rate in rates.items()}


def draw_ae_attendances(world: DemoWorld) -> pd.DataFrame:
    """File rows ``FYEAR,LSOA21,AGE_BAND,SEX,ATTENDANCE_REASON,ATTENDANCES`` (non-zero),
    in key order (year, small area, band, sex, reason in :data:`AE_REASONS` order)."""
    rng = np.random.default_rng(world.seed + AE_OFFSET)
    population = band_population(world).astype(float)
    q = deprivation_scale(world)
    rates = ae_rates(world)
    area_factor = rng.gamma(AREA_FACTOR_SHAPE, 1 / AREA_FACTOR_SHAPE, len(q))
    mean = np.stack(
        [
            population
            * rates[r][None]
            * (np.exp(AE_DEPRIVATION_B[r] * q) * area_factor)[:, None, None]
            for r in AE_REASONS
        ],
        axis=-1,
    )  # (area, band, sex, reason)
    year_factor = np.array(list(AE_YEARS.values()))
    counts = rng.poisson(year_factor[:, None, None, None, None] * mean[None])
    year_i, area_i, band_i, sex_i, reason_i = np.nonzero(counts)
    years = np.array([f"{y}{(y + 1) % 100:02d}" for y in AE_YEARS])
    return pd.DataFrame(
        {
            "FYEAR": years[year_i],
            "LSOA21": world.small_areas["lsoa_code"].to_numpy()[area_i],
            "AGE_BAND": np.array(AGE_BANDS)[band_i],
            "SEX": sex_i + 1,
            "ATTENDANCE_REASON": np.array(AE_REASONS)[reason_i],
            "ATTENDANCES": counts[year_i, area_i, band_i, sex_i, reason_i],
        }
    )
