"""The synthetic population behind the demo extracts.

One :class:`DemoWorld` is drawn from ``numpy.random.default_rng(seed)``; every demo file is
a view of it, so the files agree with each other the way real extracts do (deaths and
births happen to the SAPE population, GP registrations are that population plus list
inflation, projections start from it, File 7 denominators are its sums).

The real geography (12 districts, 2 counties, 3 sub-ICB locations, the ICB) carries
synthetic small areas (``X01`` codes), practices (``Z9``) and PCNs (``UZ``) so that no demo
figure can be mistaken for a real one. Parameters are chosen so the figures resemble the
published scale for Norfolk and Suffolk (see ``docs/data-contract.md``, "Demo scale"):
an older population than England, deprivation concentrated in coastal and urban areas,
and mortality and birth outcomes with a deprivation gradient. They are drawn, never
hard-coded into outputs.

Sources of the shapes (approximate, rounded): ONS mid-2022 population estimates for the
England age structure and district sizes; ONS National Life Tables 2020-22 for mortality
by age and sex; ONS Births in England and Wales 2022 for fertility by mother's age,
preterm and low birth weight rates; MHCLG IoD2025 technical report for the score ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from ina.demo._causes import draw_causes

NATIONAL_LSOA_COUNT = 33_755  # LSOA 2021 in England, IoD2025
MAX_AGE = 95  # single years 0..94 and 95+ (the NHS Digital top band); ONS files fold 90+
AGES = np.arange(MAX_AGE + 1)
SEXES = ("female", "male")
YEARS = np.arange(2020, 2025)
PROJECTION_YEARS = np.arange(2022, 2048)
MEAN_SMALL_AREA_POPULATION = 1_610


@dataclass(frozen=True)
class District:
    code: str
    name: str
    county_code: str
    population: int  # mid-2022, rounded
    share_65_plus: float
    deprived_share: float  # share of small areas in the national most deprived 20%
    affluence: float  # mean national percentile (0 = most deprived) of the other small areas


@dataclass(frozen=True)
class Segment:
    """A district, or the part of one inside one sub-ICB location, with its own character."""

    district: District
    sub_icb: str
    population: int
    share_65_plus: float
    deprived_share: float
    affluence: float
    student_share: float = 0.0


COUNTIES = {"E10000020": "Norfolk", "E10000029": "Suffolk"}
SUB_ICBS = {  # ODS code -> ONS code (NHS Digital practice map, August 2026)
    "26A": "E38000239",
    "06L": "E38000086",
    "07K": "E38000204",
}

_D = District
DISTRICTS: tuple[District, ...] = (
    _D("E07000143", "Breckland", "E10000020", 141_000, 0.255, 0.06, 0.50),
    _D("E07000144", "Broadland", "E10000020", 133_000, 0.265, 0.01, 0.66),
    _D("E07000145", "Great Yarmouth", "E10000020", 100_000, 0.235, 0.40, 0.36),
    _D("E07000146", "King's Lynn and West Norfolk", "E10000020", 154_000, 0.255, 0.15, 0.48),
    _D("E07000147", "North Norfolk", "E10000020", 104_000, 0.335, 0.02, 0.50),
    _D("E07000148", "Norwich", "E10000020", 145_000, 0.155, 0.36, 0.38),
    _D("E07000149", "South Norfolk", "E10000020", 145_000, 0.24, 0.01, 0.68),
    _D("E07000200", "Babergh", "E10000029", 93_000, 0.28, 0.02, 0.62),
    _D("E07000202", "Ipswich", "E10000029", 140_000, 0.165, 0.30, 0.40),
    _D("E07000203", "Mid Suffolk", "E10000029", 104_000, 0.27, 0.01, 0.66),
    _D("E07000244", "East Suffolk", "E10000029", 250_000, 0.29, 0.13, 0.52),
    _D("E07000245", "West Suffolk", "E10000029", 182_000, 0.21, 0.03, 0.58),
)
DISTRICT_BY_CODE = {d.code: d for d in DISTRICTS}


def segments() -> list[Segment]:
    """Districts split where a sub-ICB boundary crosses them, in small-area code order.

    East Suffolk: the former Waveney district (Lowestoft, deprived coast) is in 26A, the
    rest in 06L; Mid Suffolk is mostly 06L with a western fringe in 07K.
    """
    out: list[Segment] = []
    for d in DISTRICTS:
        if d.code == "E07000244":
            out.append(Segment(d, "26A", 118_000, 0.29, 0.25, 0.42))
            out.append(Segment(d, "06L", 132_000, 0.29, 0.02, 0.60))
        elif d.code == "E07000203":
            out.append(Segment(d, "06L", 93_000, d.share_65_plus, d.deprived_share, d.affluence))
            out.append(Segment(d, "07K", 11_000, d.share_65_plus, d.deprived_share, d.affluence))
        else:
            sub_icb = {"E10000020": "26A"}.get(d.county_code)
            if sub_icb is None:
                sub_icb = "07K" if d.code == "E07000245" else "06L"
            students = {"E07000148": 0.12, "E07000202": 0.05}.get(d.code, 0.0)
            out.append(
                Segment(
                    d,
                    sub_icb,
                    d.population,
                    d.share_65_plus,
                    d.deprived_share,
                    d.affluence,
                    students,
                )
            )
    return out


# --- England age structure (ONS mid-2022, persons, thousands at knot ages) -----------------

_ENGLAND_KNOTS = (
    (0, 590), (4, 640), (10, 700), (15, 680), (18, 640), (20, 680), (25, 740), (30, 780),
    (35, 770), (40, 740), (45, 690), (50, 760), (55, 780), (58, 770), (60, 720), (65, 610),
    (70, 560), (75, 565), (76, 505), (80, 385), (85, 255), (89, 150), (94, 45),
)  # fmt: skip
ENGLAND_POPULATION = 57_110_000
REGION_POPULATION = 6_400_000  # East of England


def england_persons_profile() -> np.ndarray:
    """Share of England's population at each single age 0..94 and 95+ (sums to 1)."""
    ages, values = zip(*_ENGLAND_KNOTS, strict=True)
    persons = np.interp(AGES, ages, values)
    persons[MAX_AGE] = 95.0  # 95+ (about 0.17% of England)
    return persons / persons.sum()


def male_fraction() -> np.ndarray:
    """Share male at each age: 51% at birth falling to 30% at 95+ (women live longer)."""
    return np.interp(AGES, [0, 40, 65, 78, 88, 95], [0.512, 0.503, 0.49, 0.46, 0.40, 0.30])


def age_tilt(beta: np.ndarray | float) -> np.ndarray:
    """Multiplicative tilt towards older (beta > 0) or younger (beta < 0) ages.

    Children follow their parents' generation (an area with fewer people in their thirties
    has fewer young children, so births and the age-0 population agree) and young adults
    dip most, as they do where people leave for work or university.
    """
    g = np.interp(
        AGES,
        [0, 15, 18, 22, 30, 45, 60, 75, 95],
        [-0.45, 0.0, -0.3, -0.8, -0.5, 0.0, 0.5, 1.0, 1.7],
    )
    return np.exp(np.multiply.outer(np.asarray(beta, dtype=float), g))


def _beta_for_share_65(targets: np.ndarray) -> np.ndarray:
    """Invert share-aged-65+(beta) on a grid: the tilt that gives each target share."""
    grid = np.linspace(-2.0, 3.0, 1001)
    profiles = england_persons_profile() * age_tilt(grid)
    shares = profiles[:, 65:].sum(axis=1) / profiles.sum(axis=1)
    return np.interp(targets, shares, grid)


# --- mortality (ONS National Life Tables 2020-22, England, central rates m_x) -------------

_MORTALITY_KNOTS = {
    "male": ((0, 0.0042), (1, 0.0002), (5, 0.0001), (15, 0.0002), (20, 0.0005), (30, 0.0008),
             (40, 0.0015), (50, 0.0033), (60, 0.0080), (70, 0.019), (80, 0.055), (85, 0.095),
             (90, 0.165), (95, 0.32)),
    "female": ((0, 0.0035), (1, 0.00015), (5, 0.00008), (15, 0.00015), (20, 0.00025),
               (30, 0.0004), (40, 0.0010), (50, 0.0023), (60, 0.0053), (70, 0.0125),
               (80, 0.040), (85, 0.072), (90, 0.135), (95, 0.29)),
}  # fmt: skip
# Relative risk of death per unit of deprivation (log scale) by age: steepest in midlife.
_DEPRIVATION_LOG_RR_KNOTS = (
    (0, 0.3),
    (20, 0.45),
    (40, 0.7),
    (60, 0.6),
    (75, 0.42),
    (85, 0.2),
    (95, 0.1),
)
# Registered deaths relative to 2024 (COVID-19 in 2020-21).
YEAR_MORTALITY = {2020: 1.09, 2021: 1.04, 2022: 1.01, 2023: 0.99, 2024: 0.97}


def mortality_rates() -> np.ndarray:
    """Death rates, shape (sex, age) with sex in :data:`SEXES` order, interpolated log-linearly."""
    rates = []
    for sex in SEXES:
        ages, values = zip(*_MORTALITY_KNOTS[sex], strict=True)
        rates.append(np.exp(np.interp(AGES, ages, np.log(values))))
    return np.array(rates)


def deprivation_log_rr() -> np.ndarray:
    ages, values = zip(*_DEPRIVATION_LOG_RR_KNOTS, strict=True)
    return np.interp(AGES, ages, values)


# --- fertility (ONS births 2022: rates per woman by single year of mother's age) ----------

_FERTILITY_KNOTS = (
    (15, 0.002), (18, 0.012), (20, 0.030), (24, 0.060), (28, 0.090), (31, 0.110),
    (34, 0.095), (37, 0.060), (40, 0.025), (43, 0.007), (46, 0.001), (49, 0.0),
)  # fmt: skip
YEAR_FERTILITY = {2020: 1.04, 2021: 1.05, 2022: 1.01, 2023: 0.99, 2024: 0.98}


def fertility_rates() -> np.ndarray:
    """Births per woman per year by single year of age (zero outside 15-49)."""
    ages, values = zip(*_FERTILITY_KNOTS, strict=True)
    rates = np.interp(AGES, ages, values)
    rates[(AGES < 15) | (AGES > 49)] = 0.0
    return rates


# --- the world ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoWorld:
    """Everything the demo files are written from.

    ``small_areas``: one row per synthetic LSOA (code, name, district, sub-ICB, segment,
    national IMD percentile). ``population``: int array (small area, sex, age 0..95).
    ``practices``: one row per practice; ``registrations``: int array
    (practice, sex, age) and the practice x small area frame ``registrations_by_area``.
    """

    seed: int
    small_areas: pd.DataFrame
    population: np.ndarray
    practices: pd.DataFrame
    registrations: np.ndarray
    registrations_by_area: pd.DataFrame
    deaths: pd.DataFrame
    births: pd.DataFrame


def build_world(seed: int) -> DemoWorld:
    """Draw the synthetic population and its events from one seeded generator."""
    rng = np.random.default_rng(seed)
    small_areas = _draw_small_areas(rng)
    population = _draw_population(rng, small_areas)
    practices, registrations, by_area = _draw_registrations(rng, small_areas, population)
    deaths = _draw_deaths(rng, small_areas, population)
    births = _draw_births(rng, small_areas, population)
    deaths = _thin_year(deaths, small_areas, keep=THIN_DEATHS)
    births = _thin_year(births, small_areas, keep=THIN_BIRTHS)
    return DemoWorld(
        seed, small_areas, population, practices, registrations, by_area, deaths, births
    )


#: The demo's thin year. Real registration extracts have gaps (a register office's returns
#: for part of a year missing or late); here King's Lynn and West Norfolk, which is the
#: whole West Norfolk place of the PHIP scheme, has only its last few 2020 registrations,
#: so the published tables carry a place-year of 5 deaths and 3 births that disclosure
#: control must protect (directly, in rates and charts, and against subtraction from
#: the pooled 2020-2024 totals and from the ICB).
THIN_DISTRICT = "E07000146"
THIN_YEAR = 2020
THIN_DEATHS = 5
THIN_BIRTHS = 3


def _thin_year(records: pd.DataFrame, small_areas: pd.DataFrame, *, keep: int) -> pd.DataFrame:
    """Drop all but the ``keep`` latest :data:`THIN_YEAR` registrations of the thin district."""
    district = records["lsoa_code"].map(small_areas.set_index("lsoa_code")["district_code"])
    year = pd.to_datetime(records["registration_date"]).dt.year
    in_gap = np.flatnonzero(((district == THIN_DISTRICT) & (year == THIN_YEAR)).to_numpy())
    dates = records["registration_date"].to_numpy()[in_gap]
    latest = in_gap[np.argsort(dates, kind="stable")][len(in_gap) - keep :]
    drop = np.setdiff1d(in_gap, latest)
    return records.drop(index=records.index[drop]).reset_index(drop=True)


def _draw_small_areas(rng: np.random.Generator) -> pd.DataFrame:
    """Synthetic LSOAs: counts in proportion to segment population, ONS-style names, and a
    national deprivation percentile (0 = most deprived) concentrated where the real
    deprivation is (Great Yarmouth, Norwich, Ipswich, Lowestoft, King's Lynn)."""
    parts = []
    for index, seg in enumerate(segments()):
        n = max(1, round(seg.population / MEAN_SMALL_AREA_POPULATION))
        # An exact number of deprived small areas per segment (not Bernoulli), so the
        # deprived share of each place does not hinge on the seed.
        deprived = np.zeros(n, dtype=bool)
        deprived[rng.permutation(n)[: round(n * seg.deprived_share)]] = True
        # Most deprived 20%: skewed towards the bottom of the distribution.
        low = 0.2 * rng.beta(1.3, 1.6, n)
        # Others: a beta with the segment's mean, rescaled to (0.2, 1).
        mean = (seg.affluence - 0.2) / 0.8
        high = 0.2 + 0.8 * rng.beta(4 * mean, 4 * (1 - mean), n)
        students = rng.random(n) < seg.student_share
        parts.append(
            pd.DataFrame(
                {
                    "segment": index,
                    "district_code": seg.district.code,
                    "district_name": seg.district.name,
                    "county_code": seg.district.county_code,
                    "sub_icb_code": seg.sub_icb,
                    "percentile": np.where(deprived, low, high),
                    "students": students,
                    "segment_share_65": seg.share_65_plus,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame["lsoa_code"] = [f"X01{i:06d}" for i in range(1, len(frame) + 1)]
    # ONS naming: "<district> <MSOA number><letter>", about 5 LSOAs to an MSOA.
    within = frame.groupby("district_code").cumcount().to_numpy()
    msoa = within // 5 + 1
    letter = np.array(list("ABCDE"))[within % 5]
    frame["lsoa_name"] = [
        f"{d} {m:03d}{ch}" for d, m, ch in zip(frame["district_name"], msoa, letter, strict=True)
    ]
    frame["imd_rank"] = distinct_ranks(frame["percentile"].to_numpy())
    frame["imd_decile"] = decile_from_rank(frame["imd_rank"].to_numpy())
    return frame


def distinct_ranks(percentile: np.ndarray, total: int = NATIONAL_LSOA_COUNT) -> np.ndarray:
    """National ranks (1 = most deprived) near ``percentile * total``, all distinct.

    Sorted targets are pushed up just enough to be strictly increasing:
    ``r_i = i + cummax(t_j - j)``; the few that would pass ``total`` are pushed down the same
    way from the top. Ranks stay in the order of the percentiles.
    """
    order = np.argsort(percentile, kind="stable")
    target = np.clip(np.ceil(percentile[order] * total), 1, total).astype(np.int64)
    idx = np.arange(len(target))
    ranks = idx + np.maximum.accumulate(target - idx)
    top = total - (len(target) - 1 - idx)  # the highest rank position i can take
    ranks = np.minimum(ranks, top)
    out = np.empty_like(ranks)
    out[order] = ranks
    return out


def decile_from_rank(rank: np.ndarray, total: int = NATIONAL_LSOA_COUNT) -> np.ndarray:
    """National decile (1 = most deprived 10%) of a rank out of ``total``."""
    return np.ceil(rank * 10 / total).astype(np.int64)


def _draw_population(rng: np.random.Generator, small_areas: pd.DataFrame) -> np.ndarray:
    """Residents by small area, sex and single age (multinomial draws from a tilted profile).

    Each small area's age profile is England's tilted towards older ages until its share
    aged 65+ reaches a target: its segment's (the real district's, rounded) less 5 points
    when deprived, plus noise. Student areas (Norwich, Ipswich) get extra 18-23 year olds.
    """
    n = len(small_areas)
    deprived = small_areas["percentile"].to_numpy() < 0.2
    target = (
        small_areas["segment_share_65"].to_numpy() + 0.01 - 0.05 * deprived + rng.normal(0, 0.04, n)
    )
    target = np.clip(target, 0.05, 0.50)
    profile = england_persons_profile() * age_tilt(_beta_for_share_65(target))
    students = small_areas["students"].to_numpy()
    profile[np.ix_(students, (AGES >= 18) & (AGES <= 23))] *= 4.0
    males = male_fraction()
    by_sex = np.stack([profile * (1 - males), profile * males], axis=1)  # (area, sex, age)
    by_sex /= by_sex.sum(axis=(1, 2), keepdims=True)
    size = np.clip(np.round(rng.normal(MEAN_SMALL_AREA_POPULATION, 230, n)), 1_000, 3_000).astype(
        np.int64
    )
    counts = rng.multinomial(size, by_sex.reshape(n, -1))
    return counts.reshape(n, len(SEXES), len(AGES))


def _draw_registrations(
    rng: np.random.Generator, small_areas: pd.DataFrame, population: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Practices, PCNs and who is registered where.

    Practices sit in segments in proportion to population (about one per 10,600 residents).
    Each small area registers with up to three practices of its segment (72%, 18%, 10%),
    chosen with the Gumbel-top-k trick weighted by a lognormal practice "pull" so list
    sizes vary as they do (2,000 to 30,000). Registered = residents + about 3% list
    inflation (people who have moved away but are still on a list).
    """
    segs = segments()
    total_pop = sum(s.population for s in segs)
    practice_rows = []
    registrations = []
    area_rows = []
    next_practice = 1
    next_pcn = 1
    share = np.array([0.72, 0.18, 0.10])
    for index, seg in enumerate(segs):
        n_practices = max(1, round(160 * seg.population / total_pop))
        codes = [f"Z9{next_practice + i:04d}" for i in range(n_practices)]
        next_practice += n_practices
        pcn_sizes = _chunk_sizes(n_practices, 4)
        pcn_codes: list[str] = []
        pcn_names: list[str] = []
        short = seg.district.name.upper()
        for number, chunk in enumerate(pcn_sizes, start=1):
            pcn_codes += [f"UZ{next_pcn:04d}"] * chunk
            suffix = " WAVENEY" if seg.district.code == "E07000244" and seg.sub_icb == "26A" else ""
            if seg.district.code == "E07000203" and seg.sub_icb == "07K":
                suffix = " WEST"
            pcn_names += [f"{short}{suffix} DEMO PCN {number}"] * chunk
            next_pcn += 1
        postcode_area = "NR" if seg.district.county_code == "E10000020" else "IP"
        for i, code in enumerate(codes):
            practice_rows.append(
                {
                    "practice_code": code,
                    "practice_name": f"{short} DEMO SURGERY {i + 1}",
                    "pcn_code": pcn_codes[i],
                    "pcn_name": pcn_names[i],
                    "sub_icb_code": seg.sub_icb,
                    "district_code": seg.district.code,
                    "postcode": f"{postcode_area}{index + 1} 9ZZ",
                }
            )
        in_segment = np.flatnonzero(small_areas["segment"].to_numpy() == index)
        pull = rng.lognormal(0.0, 0.55, n_practices)
        k = min(3, n_practices)
        keys = np.log(pull)[None, :] + rng.gumbel(size=(len(in_segment), n_practices))
        chosen = np.argsort(-keys, axis=1, kind="stable")[:, :k]  # (area, k) practice indices
        residents = population[in_segment]  # (area, sex, age)
        registered = residents + rng.poisson(residents * 0.03)
        probs = share[:k] / share[:k].sum()
        split = rng.multinomial(registered, probs)  # (area, sex, age, k)
        seg_reg = np.zeros((n_practices, len(SEXES), len(AGES)), dtype=np.int64)
        for slot in range(k):
            np.add.at(seg_reg, chosen[:, slot], split[..., slot])
            area_rows.append(
                pd.DataFrame(
                    {
                        "practice_code": np.array(codes)[chosen[:, slot]],
                        "lsoa_code": small_areas["lsoa_code"].to_numpy()[in_segment],
                        "patients": split[..., slot].sum(axis=(1, 2)),
                    }
                )
            )
        registrations.append(seg_reg)
    practices = pd.DataFrame(practice_rows)
    by_area = pd.concat(area_rows, ignore_index=True)
    by_area = by_area.loc[by_area["patients"] > 0]
    by_area = by_area.groupby(["practice_code", "lsoa_code"], as_index=False)["patients"].sum()
    return practices, np.concatenate(registrations), by_area


def _chunk_sizes(n: int, size: int) -> list[int]:
    """Split n practices into PCNs of about ``size`` (a PCN has at least two when possible)."""
    if n <= size + 1:
        return [n]
    count = round(n / size)
    base, extra = divmod(n, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def _deprivation_scale(small_areas: pd.DataFrame) -> np.ndarray:
    """Deprivation on a -1 (least) .. +1 (most deprived) scale from the national percentile."""
    return 1.0 - 2.0 * small_areas["percentile"].to_numpy()


def _draw_deaths(
    rng: np.random.Generator, small_areas: pd.DataFrame, population: np.ndarray
) -> pd.DataFrame:
    """Poisson deaths by small area, sex, age and year: life-table rates x a deprivation
    relative risk that is steepest in midlife (so the gap in life expectancy between the
    most and least deprived fifths is about 5-7 years) x a year factor for COVID-19."""
    q = _deprivation_scale(small_areas)
    log_rr = np.multiply.outer(q, deprivation_log_rr())  # (area, age)
    rates = mortality_rates()[None, :, :] * np.exp(log_rr)[:, None, :]
    years = np.array([YEAR_MORTALITY[int(y)] for y in YEARS])
    expected = population[None] * rates[None] * years[:, None, None, None]  # (year, area, sex, age)
    counts = rng.poisson(expected)
    year_i, area_i, sex_i, age_i = np.nonzero(counts)
    repeat = counts[year_i, area_i, sex_i, age_i]
    year_i, area_i, sex_i, age_i = (np.repeat(a, repeat) for a in (year_i, area_i, sex_i, age_i))
    n = len(year_i)
    age = age_i.astype(np.int64)
    top = age == MAX_AGE
    age[top] = MAX_AGE + np.minimum(rng.geometric(0.35, top.sum()) - 1, 13)
    year = YEARS[year_i]
    causes = draw_causes(rng, age, sex_i, q[area_i], year)
    registration = _registration_dates(rng, year, seasonal=True)
    coroner = np.isin(np.char.ljust(causes, 1).astype("<U1"), list("VWXY"))  # external causes
    delay = 1 + rng.negative_binomial(3, 0.35, n)
    delay = np.where(coroner, 30 + rng.gamma(2.0, 45.0, n).astype(np.int64), delay)
    death = registration - delay.astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "registration_date": registration,
            "death_date": death,
            "sex": np.where(sex_i == 1, 1, 2),  # ONS: 1 male, 2 female
            "age": age,
            "lsoa_code": small_areas["lsoa_code"].to_numpy()[area_i],
            "underlying_cause": causes,
        }
    )


def _registration_dates(
    rng: np.random.Generator, year: np.ndarray, *, seasonal: bool
) -> np.ndarray:
    """Weekday registration dates in each record's year; deaths peak in winter."""
    out = np.empty(len(year), dtype="datetime64[D]")
    for y in np.unique(year):
        days = np.arange(np.datetime64(f"{y}-01-01"), np.datetime64(f"{y + 1}-01-01"))
        weekday = ((days.astype(np.int64) + 3) % 7) < 5  # 1970-01-01 was a Thursday
        month_day = np.char.ljust(np.datetime_as_string(days, unit="D"), 10).astype("<U10")
        closed = np.isin(np.char.ljust(month_day, 10), [f"{y}-01-01", f"{y}-12-25", f"{y}-12-26"])
        weekday = weekday & ~closed  # register offices close on these bank holidays
        doy = np.arange(len(days))
        weight = weekday * (1 + (0.18 * np.cos(2 * np.pi * (doy - 15) / 365) if seasonal else 0))
        if seasonal and y == 2020:
            weight = weight * (1 + 0.6 * np.exp(-(((doy - 105) / 18) ** 2)))
        if seasonal and y == 2021:
            weight = weight * (1 + 0.5 * np.exp(-(((doy - 20) / 15) ** 2)))
        mask = year == y
        out[mask] = rng.choice(days, size=int(mask.sum()), p=weight / weight.sum())
    return out


def _draw_births(
    rng: np.random.Generator, small_areas: pd.DataFrame, population: np.ndarray
) -> pd.DataFrame:
    """Births to resident women by mother's age, with younger mothers, more preterm births
    and lower birth weight in deprived areas (so low birth weight is about 50% more common
    in the most deprived fifth, as the JFP reports)."""
    q = _deprivation_scale(small_areas)
    women = population[:, 0, :]  # (area, age)
    fert = fertility_rates()[None, :] * (1 + 0.12 * q)[:, None]
    young = np.clip((30 - AGES) / 12, 0, 1)
    fert = fert * (1 + 0.5 * np.multiply.outer(q, young))
    years = np.array([YEAR_FERTILITY[int(y)] for y in YEARS])
    counts = rng.poisson(women[None] * fert[None] * years[:, None, None])  # (year, area, age)
    year_i, area_i, age_i = np.nonzero(counts)
    repeat = counts[year_i, area_i, age_i]
    year_i, area_i, age_i = (np.repeat(a, repeat) for a in (year_i, area_i, age_i))
    n = len(year_i)
    qb = q[area_i]
    preterm_p = 0.072 * (1 + 0.22 * qb) * np.where((age_i < 20) | (age_i >= 40), 1.25, 1.0)
    preterm = rng.random(n) < preterm_p
    gest_preterm = np.clip(np.round(36.5 - rng.gamma(1.3, 2.6, n)), 22, 36)
    gest_term = np.clip(np.round(rng.normal(39.3, 1.2, n)), 37, 42)
    gestation = np.where(preterm, gest_preterm, gest_term).astype(np.int64)
    sex = np.where(rng.random(n) < 0.513, 1, 2)
    median_weight = np.interp(
        gestation,
        [22, 24, 28, 32, 34, 36, 37, 38, 40, 42],
        [500, 650, 1150, 1800, 2300, 2750, 3100, 3300, 3520, 3680],
    )
    mean_weight = median_weight - 110 * (sex == 2) - 90 * qb
    spread = np.where(gestation >= 37, 420, 0.16 * median_weight)
    weight = np.clip(np.round(rng.normal(mean_weight, spread)), 350, 5_800).astype(np.int64)
    year = YEARS[year_i]
    registration = _registration_dates(rng, year, seasonal=False)
    delay = rng.integers(3, 43, n)  # registered within 42 days of birth
    birth = registration - delay.astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "registration_date": registration,
            "birth_date": birth,
            "sex": sex,
            "birth_weight_g": weight,
            "gestation_weeks": gestation,
            "mother_age": age_i.astype(np.int64),
            "lsoa_code": small_areas["lsoa_code"].to_numpy()[area_i],
        }
    )


def domain_percentiles(
    rng: np.random.Generator, imd_percentile: np.ndarray, correlation: float
) -> np.ndarray:
    """A domain's national percentile correlated with the IMD's (Gaussian copula)."""
    z = ndtri(np.clip(imd_percentile, 1e-6, 1 - 1e-6))
    noise = rng.standard_normal(len(z))
    return ndtr(correlation * z + np.sqrt(1 - correlation**2) * noise)
