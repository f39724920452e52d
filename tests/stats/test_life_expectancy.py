"""Life expectancy (Chiang II + Silcocks) against the PHEindicatormethods test vectors.

The R tests compare ``round(x, 4)`` on both sides; so do these. The reference's own
numbers come from ``testLifeExpectancy.R`` (see the README next to the CSVs).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats.life_expectancy import (
    DEFAULT_AGE_CONTENTS,
    PROBABILITY_ABOVE_ONE_RULE,
    abridged_life_table,
    life_expectancy,
    usable_groups,
)


def _rounded_equal(actual: pd.Series, expected: pd.Series) -> None:
    actual_r = actual.astype(float).round(4).to_numpy()
    expected_r = expected.astype(float).round(4).to_numpy()
    np.testing.assert_array_equal(np.isnan(actual_r), np.isnan(expected_r))
    np.testing.assert_allclose(actual_r, expected_r, rtol=0, atol=1e-12, equal_nan=True)


def test_single_area_matches_reference(read_reference) -> None:
    reference = read_reference("life_expectancy.csv")
    result = life_expectancy(reference, "deaths", "pops", "startage", full_output=True)
    assert list(result["startage"]) == list(reference["startage"])
    for column in ["value", "lowercl", "uppercl", "pops_used", "dths_used"]:
        _rounded_equal(result[column], reference[column])
    assert result["method"].iloc[0].startswith("Chiang")


def test_two_levels_and_wide_interval_rule(read_reference) -> None:
    reference = read_reference("life_expectancy_wide_ci.csv")
    with pytest.warns(UserWarning) as record:
        result = life_expectancy(
            reference, "deaths", "pops", "startage", group_by="area", confidence=[0.95, 0.998]
        )
    messages = " | ".join(str(w.message) for w in record)
    assert "Area 1" in messages and "more deaths than population" in messages
    assert "wider than 20 years" in messages
    # R appends suppressed groups after valid ones (r_output_row); we keep key order, so
    # compare by area and start age rather than by row position.
    merged = result.merge(reference, on=["area", "startage"], suffixes=("", "_ref"))
    assert len(merged) == len(reference) == len(result)
    for column in ["value", "lower95_0cl", "upper95_0cl"]:
        _rounded_equal(merged[column], merged[f"{column}_ref"])
    area2 = merged[merged["area"] == "Area 2"]
    withheld = area2["value"].isna()
    assert withheld.sum() == 11 and area2.loc[withheld, "lower95_0cl"].notna().all()
    assert {"lower99_8cl", "upper99_8cl"} <= set(result.columns)


def test_single_level_998_equals_two_level_columns(read_reference) -> None:
    reference = read_reference("life_expectancy_wide_ci.csv")
    area2 = reference[reference["area"] == "Area 2"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both = life_expectancy(area2, "deaths", "pops", "startage", confidence=(0.95, 0.998))
        single = life_expectancy(area2, "deaths", "pops", "startage", confidence=99.8)
    np.testing.assert_array_equal(single["lowercl"], both["lower99_8cl"])
    np.testing.assert_array_equal(single["uppercl"], both["upper99_8cl"])


@pytest.mark.parametrize(
    ("case", "rule"),
    [
        ("negative_deaths", "negative deaths"),
        ("zero_pop", "zero or negative population"),
        ("deaths_gt_pops", "more deaths than population"),
        ("low_total_pop", "5,000 or fewer"),
    ],
)
def test_suppression_cases_give_all_na(read_reference, case: str, rule: str) -> None:
    cases = read_reference("life_expectancy_suppression_cases.csv")
    data = cases[cases["case"] == case]
    with pytest.warns(UserWarning, match=rule):
        result = life_expectancy(data, "deaths", "pop", "startage")
    assert len(result) == 20
    assert result[["value", "lowercl", "uppercl"]].isna().all().all()


def test_missing_age_band_gives_all_na(read_reference) -> None:
    cases = read_reference("life_expectancy_suppression_cases.csv")
    data = cases[cases["case"] == "missing_ageband"]
    with pytest.warns(UserWarning, match="19 age bands"):
        result = life_expectancy(
            data, "deaths", "pop", "startage", age_contents=DEFAULT_AGE_CONTENTS[:-1]
        )
    assert result[["value", "lowercl", "uppercl"]].isna().all().all()
    # With the default 20 labels the same data has a band missing: also NA.
    with pytest.warns(UserWarning, match="age band missing"):
        result = life_expectancy(data, "deaths", "pop", "startage")
    assert result["value"].isna().all()


def _synthetic_areas(n_areas: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ages = np.array(DEFAULT_AGE_CONTENTS, dtype=float)
    base_rate = np.minimum(0.0003 * np.exp(0.085 * ages), 0.25)
    base_rate[0] = 0.004
    population = rng.integers(2_000, 9_000, size=(n_areas, ages.size)).astype(float)
    deaths = rng.poisson(population * base_rate * rng.uniform(0.8, 1.3, size=(n_areas, 1)))
    deaths[:, -1] = np.maximum(deaths[:, -1], 1)
    return pd.DataFrame(
        {
            "area": np.repeat([f"A{i:04d}" for i in range(n_areas)], ages.size),
            "age": np.tile(DEFAULT_AGE_CONTENTS, n_areas),
            "deaths": deaths.ravel(),
            "population": population.ravel(),
        }
    )


def test_grouped_result_equals_each_group_alone() -> None:
    data = _synthetic_areas(6)
    together = life_expectancy(data, "deaths", "population", "age", group_by="area")
    for area, rows in data.groupby("area"):
        alone = life_expectancy(rows, "deaths", "population", "age")
        part = together[together["area"] == area]
        np.testing.assert_allclose(part["value"], alone["value"], rtol=1e-12)
        np.testing.assert_allclose(part["uppercl"], alone["uppercl"], rtol=1e-12)


def test_rows_in_any_order_and_text_labels() -> None:
    data = _synthetic_areas(2)
    labels = ["0", "1-4", *[f"{a}-{a + 4}" for a in range(5, 90, 5)], "90+"]
    label_of = dict(zip(DEFAULT_AGE_CONTENTS, labels, strict=True))
    relabelled = data.assign(age=data["age"].map(label_of))
    shuffled = relabelled.sample(frac=1, random_state=3)
    expected = life_expectancy(data, "deaths", "population", "age", group_by="area")
    result = life_expectancy(
        shuffled, "deaths", "population", "age", group_by="area", age_contents=labels
    )
    # Groups come out in order of first appearance, ages ascending within each.
    assert list(result["area"].drop_duplicates()) == list(shuffled["area"].drop_duplicates())
    result = result.sort_values("area", kind="stable").reset_index(drop=True)
    np.testing.assert_allclose(result["value"], expected["value"], rtol=1e-12)
    assert list(result["age"].iloc[:3]) == ["0", "1-4", "5-9"]


def test_le_age_selects_bands() -> None:
    data = _synthetic_areas(3)
    result = life_expectancy(data, "deaths", "population", "age", group_by="area", le_age=[0, 65])
    assert list(result["age"]) == [0, 65] * 3
    with pytest.raises(StatisticsError, match="le_age"):
        life_expectancy(data, "deaths", "population", "age", le_age=66)


def test_life_table_identities() -> None:
    data = _synthetic_areas(4)
    deaths = data["deaths"].to_numpy(float).reshape(4, 20)
    population = data["population"].to_numpy(float).reshape(4, 20)
    table = abridged_life_table(deaths, population, DEFAULT_AGE_CONTENTS)
    # Everyone alive at age x dies at or after x: sum of d from x equals l_x.
    np.testing.assert_allclose(
        np.cumsum(table.deaths_in_table[:, ::-1], axis=1)[:, ::-1], table.survivors
    )
    assert np.all(np.diff(table.survivors, axis=1) <= 0)
    assert np.all(table.life_expectancy[:, 0] > table.life_expectancy[:, 1] - 1)


def test_bad_input_raises_clear_errors() -> None:
    data = _synthetic_areas(1)
    with pytest.raises(StatisticsError, match="not found"):
        life_expectancy(data, "dead", "population", "age")
    with pytest.raises(StatisticsError, match="numeric"):
        life_expectancy(
            data.astype({"deaths": object}).assign(deaths="x"), "deaths", "population", "age"
        )
    with pytest.raises(StatisticsError, match="confidence"):
        life_expectancy(data, "deaths", "population", "age", confidence=0.5)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    n_areas=st.integers(1, 5),
    low=st.sampled_from([0.9, 0.95, 0.99]),
    high=st.sampled_from([0.995, 0.998, 0.999]),
)
def test_value_inside_interval_and_interval_widens(
    seed: int, n_areas: int, low: float, high: float
) -> None:
    data = _synthetic_areas(n_areas, seed=seed)
    result = life_expectancy(
        data, "deaths", "population", "age", group_by="area", confidence=(low, high)
    )
    # Columns in the order the levels were given: [narrow, wide].
    lower = [c for c in result.columns if c.startswith("lower")]
    upper = [c for c in result.columns if c.startswith("upper")]
    assert len(lower) == len(upper) == 2
    shown = result.dropna(subset=["value"])
    assert (shown[lower[0]] <= shown["value"]).all() and (shown["value"] <= shown[upper[0]]).all()
    limits = result.dropna(subset=[lower[0]])
    assert len(limits) == len(result)  # realistic rates: every group has limits
    assert (limits[lower[1]] < limits[lower[0]]).all()
    assert (limits[upper[1]] > limits[upper[0]]).all()


def test_death_rate_too_high_caps_probability_of_dying_at_one() -> None:
    # 45% of the 85-89 band dying each year: a n M = 1.125 > 1, so the uncapped q would be
    # above 1. PHEindicatormethods caps q at 1 and still gives a life expectancy.
    data = _synthetic_areas(2)
    band_85 = (data["area"] == "A0000") & (data["age"] == 85)
    data.loc[band_85, "deaths"] = 0.45 * data.loc[band_85, "population"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no suppression warning for the capped group
        result = life_expectancy(data, "deaths", "population", "age", group_by="area")
    capped = result[result["area"] == "A0000"].set_index("age")
    below_90 = capped.loc[capped.index < 90]
    assert below_90[["value", "lowercl", "uppercl"]].notna().all().all()
    assert (below_90["lowercl"] <= below_90["value"]).all()
    assert (below_90["value"] <= below_90["uppercl"]).all()
    # Nobody reaches 90 in the table: as the reference, value 0 and NA limits there.
    assert capped.loc[90, "value"] == 0
    assert np.isnan(capped.loc[90, "lowercl"]) and np.isnan(capped.loc[90, "uppercl"])
    # Those in the capped band all die in it, living a = 0.5 of its 5 years; no variance.
    assert capped.loc[85, "value"] == pytest.approx(2.5, abs=1e-12)
    assert capped.loc[85, "lowercl"] == pytest.approx(2.5, abs=1e-12)
    # The other group is untouched.
    other = result[result["area"] == "A0001"].reset_index(drop=True)
    alone = life_expectancy(
        data[data["area"] == "A0001"], "deaths", "population", "age"
    ).reset_index(drop=True)
    np.testing.assert_allclose(other["value"], alone["value"], rtol=1e-12)
    np.testing.assert_allclose(other["lowercl"], alone["lowercl"], rtol=1e-12)


def _capped_example() -> pd.DataFrame:
    """No deaths below 80; 80-84: 100 of 1,000 die; 85-89: 50 of 100 (q capped); 90+."""
    population = [1000.0] * 17 + [1000.0, 100.0, 50.0]
    deaths = [0.0] * 17 + [100.0, 50.0, 10.0]
    return pd.DataFrame({"age": DEFAULT_AGE_CONTENTS, "deaths": deaths, "pop": population})


def test_capped_probability_hand_computed_example() -> None:
    # By hand (radix 100,000; a = 0.5 and n = 5 for these bands):
    #   80-84: M = 0.1, q = 0.5 / 1.25 = 0.4; l_80 = 100,000, d = 40,000, l_85 = 60,000,
    #          L_80 = 5 (60,000 + 0.5 * 40,000) = 400,000;
    #   85-89: M = 0.5, uncapped q = 2.5 / 2.25 = 1.111 -> 1; d = 60,000, l_90 = 0,
    #          L_85 = 5 (0 + 0.5 * 60,000) = 150,000;  90+: L_90 = l_90 / M = 0.
    #   e_85 = 150,000 / 60,000 = 2.5; e_80 = 550,000 / 100,000 = 5.5; no deaths below
    #   80, so l_x = 100,000 and e_x = (80 - x) + 5.5 for x < 80: e_0 = 85.5; e_90 = 0.
    # Variance: var(q_80) = q^2 (1 - q) / D = 0.16 * 0.6 / 100 = 0.00096, and the
    #   capped band and the open band (l_90 = 0) add nothing, bands without deaths
    #   neither: S = l_80^2 (0.5 * 5 + e_85)^2 var(q_80) = 1e10 * 25 * 0.00096 = 2.4e8,
    #   so var(e_x) = 2.4e8 / 1e10 = 0.024 for every x <= 80; var(e_85) = 0.
    result = life_expectancy(_capped_example(), "deaths", "pop", "age").set_index("age")
    expected_value = {0: 85.5, 1: 84.5, 5: 80.5, 40: 45.5, 75: 10.5, 80: 5.5, 85: 2.5, 90: 0.0}
    for age, value in expected_value.items():
        assert result.loc[age, "value"] == pytest.approx(value, rel=1e-12, abs=1e-12)
    z = 1.959963984540054
    for age in (0, 5, 40, 80):
        assert result.loc[age, "uppercl"] == pytest.approx(
            expected_value[age] + z * np.sqrt(0.024), rel=1e-12
        )
        assert result.loc[age, "lowercl"] == pytest.approx(
            expected_value[age] - z * np.sqrt(0.024), rel=1e-12
        )
    assert result.loc[85, "lowercl"] == result.loc[85, "uppercl"] == pytest.approx(2.5)
    assert result.loc[90, ["lowercl", "uppercl"]].isna().all()

    table = abridged_life_table(
        _capped_example()["deaths"].to_numpy(),
        _capped_example()["pop"].to_numpy(),
        DEFAULT_AGE_CONTENTS,
    )
    assert table.probability_of_dying[0, 18] == 1.0
    assert table.probability_of_dying[0, 17] == pytest.approx(0.4, rel=1e-12)
    np.testing.assert_allclose(table.survivors[0, 17:], [1e5, 6e4, 0.0], rtol=1e-12)
    np.testing.assert_allclose(table.person_years[0, 17:], [4e5, 1.5e5, 0.0], rtol=1e-12)


def test_capped_group_still_fails_the_decomposition_rule() -> None:
    # usable_groups keeps reporting the band (the Arriaga decomposition needs l_x > 0).
    example = _capped_example()
    problems = usable_groups(
        example["deaths"].to_numpy()[None, :], example["pop"].to_numpy()[None, :]
    )
    assert problems[PROBABILITY_ABOVE_ONE_RULE].tolist() == [True]
    assert not any(
        mask.any() for rule, mask in problems.items() if rule != PROBABILITY_ABOVE_ONE_RULE
    )


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    scale=st.sampled_from([1.0, 3.0, 10.0, 40.0]),
)
def test_any_death_rate_up_to_population_gives_a_valid_table(seed: int, scale: float) -> None:
    # Death rates up to 100% a year (deaths <= population): q never exceeds 1, survivors
    # never go negative, and every age below the first l = 0 has finite limits.
    rng = np.random.default_rng(seed)
    ages = np.array(DEFAULT_AGE_CONTENTS, dtype=float)
    population = rng.integers(500, 5_000, size=ages.size).astype(float)
    rate = np.minimum(scale * 0.0003 * np.exp(0.085 * ages) * rng.uniform(0.5, 1.5, ages.size), 1)
    deaths = np.maximum(np.floor(rate * population), 0.0)
    deaths[-1] = max(deaths[-1], 1.0)
    table = abridged_life_table(deaths, population, DEFAULT_AGE_CONTENTS)
    assert (table.probability_of_dying <= 1).all() and (table.probability_of_dying >= 0).all()
    assert (table.survivors >= 0).all() and (np.diff(table.survivors, axis=1) <= 0).all()
    data = pd.DataFrame({"age": DEFAULT_AGE_CONTENTS, "deaths": deaths, "pop": population})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the > 20-year interval rule may warn
        result = life_expectancy(data, "deaths", "pop", "age")
    alive = table.survivors[0] > 0
    assert np.isfinite(result.loc[alive, ["lowercl", "uppercl"]].to_numpy()).all()
    assert (result.loc[~alive, "value"] == 0).all()
    assert result.loc[~alive, "lowercl"].isna().all()
    shown = result["value"].notna() & alive
    assert (result.loc[shown, "lowercl"] <= result.loc[shown, "value"] + 1e-12).all()
