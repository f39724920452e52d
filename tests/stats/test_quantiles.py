"""Quantile assignment against the PHEindicatormethods ``phe_quantile`` test vectors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats.quantiles import quantiles


@pytest.fixture(scope="module")
def quantile_sheet(read_reference) -> pd.DataFrame:
    # read_reference keeps the literal GroupSet "None" as text, not NA.
    sheet = read_reference("quantiles.csv")
    assert (sheet["GroupSet"] == "None").sum() > 0
    return sheet


def _good(sheet: pd.DataFrame) -> pd.DataFrame:
    return sheet[sheet["Test"].str.startswith("Good")]


def _assert_matches(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    actual = result["quantile"].astype("float64").to_numpy()
    wanted = expected["QuantileInGrp"].to_numpy(dtype=float)
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(wanted))
    np.testing.assert_array_equal(actual[~np.isnan(actual)], wanted[~np.isnan(wanted)])


def test_subset1_grouped_by_indicator_and_region(quantile_sheet) -> None:
    subset = _good(quantile_sheet).query("GroupSet == 'IndSexReg'")
    with pytest.warns(UserWarning, match="fewer than 10 values"):
        result = quantiles(subset, "Value", invert="invert", group_by=["IndSexRef", "ParentCode"])
    _assert_matches(result, subset)


def test_subset2_invert_false_warns_for_small_regions(quantile_sheet) -> None:
    subset = _good(quantile_sheet).query("GroupSet == 'IndSexReg' and IndSexRef == '90366Female'")
    with pytest.warns(UserWarning, match="90366Female, E12000004"):
        result = quantiles(subset, "Value", invert=False, group_by=["IndSexRef", "ParentCode"])
    _assert_matches(result, subset)
    assert result["quantile"].isna().sum() > 0


def test_subset3_seven_quantiles(quantile_sheet) -> None:
    subset = _good(quantile_sheet).query("GroupSet == 'IndSex'")
    result = quantiles(subset, "Value", invert="invert", group_by="IndSexRef", n_quantiles=7)
    _assert_matches(result, subset)


def test_subset4_ungrouped_literal_none(quantile_sheet) -> None:
    subset = _good(quantile_sheet).query("GroupSet == 'None'")
    assert len(subset) > 400
    result = quantiles(subset, "Value", invert=True, n_quantiles=4)
    _assert_matches(result, subset)


def test_mixed_polarity_raises(quantile_sheet) -> None:
    subset = quantile_sheet[quantile_sheet["Test"] == "BadPolarity"]
    with pytest.raises(StatisticsError, match="11111Female"):
        quantiles(subset, "Value", invert="invert", group_by="IndSexRef", n_quantiles=7)


def test_direction_and_ties() -> None:
    data = pd.DataFrame({"v": [1.0, 2.0, 3.0, 4.0, 4.0, np.nan]})
    low_first = quantiles(data, "v", n_quantiles=2, invert=False)["quantile"]
    high_first = quantiles(data, "v", n_quantiles=2, invert=True)["quantile"]
    assert list(low_first.iloc[:5]) == [1, 1, 1, 2, 2]
    assert list(high_first.iloc[:5]) == [2, 2, 1, 1, 1]
    assert pd.isna(low_first.iloc[5])


def test_bad_arguments() -> None:
    data = pd.DataFrame({"v": [1.0, 2.0], "flag": ["yes", "no"]})
    with pytest.raises(StatisticsError, match="TRUE/FALSE"):
        quantiles(data, "v", invert="flag", n_quantiles=2)
    with pytest.raises(StatisticsError, match="not found"):
        quantiles(data, "value")
    with pytest.raises(StatisticsError, match="at least 1"):
        quantiles(data, "v", n_quantiles=0)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=60),
    n_quantiles=st.integers(1, 12),
    invert=st.booleans(),
)
def test_properties(values: list[float], n_quantiles: int, invert: bool) -> None:
    data = pd.DataFrame({"v": values})
    if len(values) < n_quantiles:
        with pytest.warns(UserWarning):
            result = quantiles(data, "v", n_quantiles=n_quantiles, invert=invert)
        assert result["quantile"].isna().all()
        return
    result = quantiles(data, "v", n_quantiles=n_quantiles, invert=invert)["quantile"]
    assert result.between(1, n_quantiles).all()
    # Quantiles are monotone in the value (in the chosen direction).
    ordered = result.to_numpy()[np.argsort(data["v"].to_numpy(), kind="stable")]
    steps = np.diff(ordered.astype(float))
    assert (steps <= 0).all() if invert else (steps >= 0).all()
