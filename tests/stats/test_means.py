"""``mean_with_ci`` against phe_mean's test vectors, errors and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats.means import mean_with_ci

EXPECTED_COLUMNS = [
    "value_sum", "value_count", "stdev", "value",
    "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl", "statistic", "method",
]


@pytest.mark.reference
def test_grouped_and_ungrouped_match_reference(read_reference, columns_match) -> None:
    data = read_reference("mean_input.csv")
    expected = read_reference("mean_expected.csv")

    grouped = mean_with_ci(data, "values", group_by="area", confidence=[0.95, 0.998])
    assert list(grouped.columns) == ["area", *EXPECTED_COLUMNS[:-2], "confidence",
                                     *EXPECTED_COLUMNS[-2:]]
    columns_match(grouped, expected.iloc[:2], ["area", *EXPECTED_COLUMNS])

    whole = mean_with_ci(data, "values", confidence=[0.95, 0.998])
    columns_match(whole, expected.iloc[2:], EXPECTED_COLUMNS)


@pytest.mark.reference
def test_single_level_matches_reference(read_reference, columns_match) -> None:
    data = read_reference("mean_input.csv")
    expected = read_reference("mean_expected.csv").iloc[:2]
    result = mean_with_ci(data, "values", group_by=["area"], confidence=99.8)
    columns_match(
        result,
        expected.rename(columns={"lower99_8cl": "lowercl", "upper99_8cl": "uppercl"}),
        ["value", "lowercl", "uppercl"],
    )


def test_known_small_example() -> None:
    # 1..5: mean 3, sd sqrt(2.5), t(0.975, 4) = 2.776445105...
    result = mean_with_ci(pd.DataFrame({"v": [1, 2, 3, 4, 5]}), "v")
    half_width = 2.7764451051977987 * np.sqrt(2.5) / np.sqrt(5)
    assert result["lowercl"].iloc[0] == pytest.approx(3 - half_width, rel=1e-12)
    assert result["uppercl"].iloc[0] == pytest.approx(3 + half_width, rel=1e-12)


def test_missing_value_makes_its_group_missing_only() -> None:
    data = pd.DataFrame({"g": ["a", "a", "b", "b"], "v": [1.0, np.nan, 2.0, 4.0]})
    result = mean_with_ci(data, "v", group_by="g")
    assert result["g"].tolist() == ["a", "b"]
    assert np.isnan(result["value"].iloc[0]) and np.isnan(result["lowercl"].iloc[0])
    assert result["value"].iloc[1] == 3


def test_errors() -> None:
    with pytest.raises(StatisticsError, match="must be numeric"):
        mean_with_ci(pd.DataFrame({"v": ["a", "b"]}), "v")
    with pytest.raises(StatisticsError, match="not found"):
        mean_with_ci(pd.DataFrame({"v": [1.0]}), "w")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=50))
def test_mean_lies_inside_nested_intervals(values) -> None:
    result = mean_with_ci(pd.DataFrame({"v": values}), "v", confidence=[0.95, 0.998]).iloc[0]
    slack = 1e-9 * (abs(result["value"]) + 1)
    assert result["lower99_8cl"] <= result["lower95_0cl"] + slack
    assert result["lower95_0cl"] <= result["value"] + slack
    assert result["value"] <= result["upper95_0cl"] + slack
    assert result["upper95_0cl"] <= result["upper99_8cl"] + slack
