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
    abridged_life_table,
    life_expectancy,
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


def test_impossible_death_rate_is_suppressed_with_a_warning() -> None:
    data = _synthetic_areas(2)
    band_85 = (data["area"] == "A0000") & (data["age"] == 85)
    data.loc[band_85, "deaths"] = 0.45 * data.loc[band_85, "population"]
    with pytest.warns(UserWarning, match="probability of dying above 1"):
        result = life_expectancy(data, "deaths", "population", "age", group_by="area")
    assert result.loc[result["area"] == "A0000", "lowercl"].isna().all()
    assert result.loc[result["area"] == "A0001", "lowercl"].notna().all()
