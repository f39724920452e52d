"""Life expectancy by quintile, the deprivation gap, its SII and its breakdown by cause.

Hand-made populations: five small areas, one per local quintile, 1,000 people at every
single year of age 0-90 per sex; deaths are made from a Gompertz-like death rate that
rises with deprivation for heart disease and (less) for cancer, plus the same number of
suicides in every quintile, so the expected signs and zeros of the breakdown are known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ina.chapters import deprivation as chapter
from ina.stats.life_expectancy import life_expectancy

AGES = np.arange(0, 91)
YEARS = (2020, 2021, 2022, 2023, 2024)


def _quintiles() -> pd.DataFrame:
    return pd.DataFrame({"lsoa_code": [f"Q{q}" for q in range(1, 6)], "quintile": range(1, 6)})


def _population(per_age: int = 1_000, small: dict[int, int] | None = None) -> pd.DataFrame:
    small = small or {}
    frames = [
        pd.DataFrame(
            {
                "lsoa_code": f"Q{q}",
                "sex": sex,
                "age": AGES,
                "population": small.get(q, per_age),
            }
        )
        for q in range(1, 6)
        for sex in ("female", "male")
    ]
    return pd.concat(frames, ignore_index=True)


def _deaths(population: pd.DataFrame, *, years: tuple[int, ...] = YEARS) -> pd.DataFrame:
    """Deterministic deaths: expected counts rounded, expanded to one row per death."""
    pool = population.assign(
        quintile=population["lsoa_code"].str[1].astype(int),
        person_years=population["population"] * len(years),
    )
    base = 0.0006 * np.exp(0.085 * (pool["age"].to_numpy() - 40))
    excess = 5 - pool["quintile"].to_numpy()  # 4 in the most deprived, 0 in the least
    male = (pool["sex"] == "male").to_numpy()
    rates = {
        "I219": base * 0.5 * (1 + 0.20 * excess) * np.where(male, 1.3, 1.0),
        "C349": base * 0.4 * (1 + 0.08 * excess),
        "R54X": base * 0.1,
    }
    rows = []
    for code, rate in rates.items():
        count = np.round(rate * pool["person_years"].to_numpy()).astype(int)
        rows.append(
            pool.loc[pool.index.repeat(count), ["lsoa_code", "sex", "age"]].assign(
                underlying_cause=code
            )
        )
    # The same 3 suicides at age 30 in every quintile and sex: equal rates, no contribution.
    same = pool[pool["age"] == 30]
    rows.append(
        same.loc[same.index.repeat(3), ["lsoa_code", "sex", "age"]].assign(underlying_cause="X700")
    )
    deaths = pd.concat(rows, ignore_index=True)
    deaths["registration_date"] = pd.to_datetime(
        [f"{years[i % len(years)]}-06-30" for i in range(len(deaths))]
    )
    return deaths


def _independent_life_expectancy(
    deaths: pd.DataFrame, population: pd.DataFrame, years: int
) -> pd.DataFrame:
    """LE by sex and quintile straight from ina.stats, banding ages another way (pd.cut)."""
    edges = [0, 1, 5, *range(10, 95, 5), 200]
    starts = [0, 1, 5, *range(10, 95, 5)]

    def band(age: pd.Series) -> pd.Series:
        return pd.cut(age, bins=edges, right=False, labels=starts).astype(int)

    people = (
        population.assign(
            quintile=population["lsoa_code"].str[1].astype(int), band=band(population["age"])
        )
        .groupby(["sex", "quintile", "band"])["population"]
        .sum()
        .mul(years)
    )
    dead = (
        deaths.assign(quintile=deaths["lsoa_code"].str[1].astype(int), band=band(deaths["age"]))
        .groupby(["sex", "quintile", "band"])
        .size()
        .reindex(people.index, fill_value=0)
    )
    frame = pd.DataFrame({"deaths": dead, "population": people}).reset_index()
    return life_expectancy(
        frame, "deaths", "population", "band", group_by=["sex", "quintile"], le_age=0
    )


@pytest.fixture(scope="module")
def world() -> tuple[pd.DataFrame, pd.DataFrame]:
    population = _population()
    return population, _deaths(population)


@pytest.fixture(scope="module")
def result(world: tuple[pd.DataFrame, pd.DataFrame]) -> chapter.DeprivationGap:
    population, deaths = world
    return chapter.deprivation_gap(deaths, population, _quintiles())


def test_life_expectancy_matches_the_engine_and_rises_with_quintile(
    world: tuple[pd.DataFrame, pd.DataFrame], result: chapter.DeprivationGap
) -> None:
    population, deaths = world
    independent = _independent_life_expectancy(deaths, population, years=5)
    expected = independent.assign(sex=independent["sex"].map(chapter.SEX_LABELS)).set_index(
        ["sex", "quintile"]
    )["value"]
    got = result.life_expectancy.set_index(["sex", "quintile"])["value"]
    assert got.to_numpy() == pytest.approx(expected.reindex(got.index).to_numpy(), abs=1e-9)
    males = result.life_expectancy[result.life_expectancy["sex"] == "Males"]["value"]
    assert males.is_monotonic_increasing
    assert (result.life_expectancy["note"] == "").all()
    assert result.life_expectancy["sex"].tolist()[:5] == ["Males"] * 5
    assert result.years == YEARS


def test_gap_is_le5_minus_le1_with_jfp_wording(result: chapter.DeprivationGap) -> None:
    le = result.life_expectancy.set_index(["sex", "quintile"])["value"]
    for row in result.gap.itertuples():
        assert row.gap == pytest.approx(le[(row.sex, 5)] - le[(row.sex, 1)], abs=1e-12)
        assert row.gap > 0
        assert row.gap_lower < row.gap < row.gap_upper
        months = round(row.gap * 12)
        assert row.gap_text.startswith(f"{months // 12} year")
    assert result.gap["sex"].tolist() == ["Males", "Females"]


def test_causes_sum_to_the_gap_and_equal_rates_contribute_nothing(
    result: chapter.DeprivationGap,
) -> None:
    gaps = result.gap.set_index("sex")["gap"]
    by_cause = result.by_cause
    sums = by_cause.groupby("sex")["contribution"].sum()
    for sex, total in sums.items():
        assert total == pytest.approx(gaps[sex], abs=1e-9)
    assert by_cause.groupby("sex")["percent_of_gap"].sum().to_numpy() == pytest.approx([100, 100])
    contribution = by_cause.set_index(["sex", "cause"])["contribution"]
    for sex in ("Males", "Females"):
        # Suicide and "old age" have the same rates in every quintile: causes share each
        # age band's component by rate difference, so they contribute exactly nothing.
        assert contribution[(sex, "External causes")] == pytest.approx(0, abs=1e-12)
        assert contribution[(sex, "Other causes")] == pytest.approx(0, abs=1e-12)
        assert contribution[(sex, "Coronary heart disease")] > contribution[(sex, "Cancer")] > 0
    assert list(by_cause["cause"].iloc[:10]) == list(chapter.BROAD_CAUSES)


def test_slope_index_matches_a_weighted_fit_and_is_deterministic(
    world: tuple[pd.DataFrame, pd.DataFrame], result: chapter.DeprivationGap
) -> None:
    table = result.life_expectancy[result.life_expectancy["sex"] == "Females"]
    weights = table["person_years"].to_numpy(dtype=float)
    share = weights / weights.sum()
    rank = np.cumsum(share) - share / 2
    slope = np.polyfit(rank, table["value"].to_numpy(), 1, w=np.sqrt(weights))[0]
    row = result.gap.set_index("sex").loc["Females"]
    assert row["sii"] == pytest.approx(slope, rel=1e-9)
    assert row["sii_lower"] < row["sii"] < row["sii_upper"]
    population, deaths = world
    again = chapter.deprivation_gap(deaths, population, _quintiles())
    pd.testing.assert_frame_equal(again.gap, result.gap)


def test_pooling_uses_the_latest_five_years_and_population_times_five() -> None:
    population = _population()
    deaths = _deaths(population, years=(2018, 2019, 2020, 2021, 2022, 2023, 2024))
    recent, used = chapter.pooled_deaths(deaths)
    assert used == [2020, 2021, 2022, 2023, 2024]
    assert recent["registration_date"].dt.year.min() == 2020
    inputs = chapter.life_table_inputs(recent, population, _quintiles(), years=len(used))
    band_90 = inputs[(inputs["start_age"] == 90) & (inputs["quintile"] == 1)]
    assert band_90["person_years"].tolist() == [5_000.0, 5_000.0]
    ones = inputs[(inputs["start_age"] == 1) & (inputs["quintile"] == 3)]
    assert ones["person_years"].tolist() == [4 * 1_000 * 5.0] * 2
    assert inputs["deaths"].sum() == len(recent)
    assert len(inputs) == 2 * 5 * 20


def test_life_table_inputs_by_cause_is_complete_and_ignores_other_areas(
    world: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    population, deaths = world
    stray = deaths.iloc[:4].assign(lsoa_code="ELSEWHERE")
    inputs = chapter.life_table_inputs(
        pd.concat([deaths, stray]), population, _quintiles(), years=5, by_cause=True
    )
    assert len(inputs) == 2 * 5 * 20 * len(chapter.BROAD_CAUSES)
    assert inputs["deaths"].sum() == len(deaths)
    per_band = inputs.groupby(["sex", "quintile", "start_age"])["person_years"].nunique()
    assert (per_band == 1).all()


def test_an_empty_quintile_is_explained_not_fatal(
    world: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    population, deaths = world
    without_q1 = population[population["lsoa_code"] != "Q1"]
    result = chapter.deprivation_gap(deaths[deaths["lsoa_code"] != "Q1"], without_q1, _quintiles())
    q1 = result.life_expectancy[result.life_expectancy["quintile"] == 1]
    assert q1["value"].isna().all()
    assert set(q1["note"]) == {"no residents of this quintile in the area"}
    assert result.gap["gap"].isna().all()
    assert result.gap["sii"].isna().all()
    assert result.gap["gap_text"].eq("not published").all()
    assert result.by_cause.empty
    findings = chapter.findings_gap(result, area_name="Somewhere")
    assert findings == [
        "The gap for males or females cannot be given for Somewhere: no published life "
        "expectancy for quintile 1 most deprived (no residents of this quintile in the area)."
    ]
    assert chapter.findings_gap_causes(result.by_cause) == []


def test_a_small_quintile_hits_the_5000_person_year_rule() -> None:
    population = _population(small={5: 10})  # 91 ages × 10 × 5 years = 4,550 person-years
    deaths = _deaths(_population())
    deaths = deaths[deaths["lsoa_code"] != "Q5"]
    result = chapter.deprivation_gap(deaths, population, _quintiles())
    q5 = result.life_expectancy[result.life_expectancy["quintile"] == 5]
    assert q5["value"].isna().all()
    assert q5["note"].str.contains("5,000 person-years").all()
    assert result.life_expectancy.loc[result.life_expectancy["quintile"] < 5, "value"].notna().all()
    assert result.gap["note"].str.contains("5 least deprived").all()
    table = chapter.life_expectancy_table(result)
    assert "note" in table.columns


def test_findings_use_years_and_months_and_name_the_top_causes(
    result: chapter.DeprivationGap,
) -> None:
    gap = chapter.findings_gap(result, area_name="Testshire")
    males = result.gap.set_index("sex").loc["Males", "gap_text"]
    assert males in gap[0] and "for males" in gap[0] and "for females" in gap[0]
    assert "slope index of inequality" in gap[1]
    causes = chapter.findings_gap_causes(result.by_cause)
    first = causes[0]
    assert first.startswith("For males")
    heart = first.index("coronary heart disease")
    cancer = first.index("cancer")
    assert heart < cancer  # largest first
    assert "%" in first
    assert not chapter.life_expectancy_table(result).columns.str.contains("note").any()
    display = chapter.gap_table(result)
    assert list(display.columns) == [
        "sex",
        "le_most_deprived",
        "le_least_deprived",
        "gap",
        "gap_ci",
        "sii",
        "sii_ci",
    ]
    assert display["gap_ci"].str.fullmatch(r"\d+\.\d to \d+\.\d").all()


def test_a_cause_narrowing_the_gap_is_reported() -> None:
    by_cause = pd.DataFrame(
        {
            "sex": ["Males"] * 3,
            "cause": ["Cancer", "Mental and behavioural (incl. dementia)", "Stroke"],
            "contribution": [2.0, -0.5, 1.0],
            "percent_of_gap": [80.0, -20.0, 40.0],
        }
    )
    sentences = chapter.findings_gap_causes(by_cause)
    assert "cancer (2 years, 80%) and stroke (1 year, 40%)" in sentences[0]
    assert "narrow the gap by 6 months" in sentences[1]


def test_gap_by_cause_table_puts_the_sexes_side_by_side(
    result: chapter.DeprivationGap,
) -> None:
    table = chapter.gap_by_cause_table(result.by_cause)
    assert list(table.columns) == [
        "cause",
        "males_years",
        "males_percent_of_gap",
        "females_years",
        "females_percent_of_gap",
    ]
    assert table["cause"].tolist() == list(chapter.BROAD_CAUSES)
    gaps = result.gap.set_index("sex")["gap"]
    assert table["males_years"].sum() == pytest.approx(gaps["Males"], abs=1e-9)
    assert table["females_percent_of_gap"].sum() == pytest.approx(100)
    headers = chapter.gap_by_cause_headers(table)
    assert headers["females_percent_of_gap"] == "Females: % of gap"
    assert headers["males_years"] == "Males: years"
    assert list(chapter.gap_by_cause_table(result.by_cause.iloc[:0]).columns) == ["cause"]
