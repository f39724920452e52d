"""``proportion`` against phe_proportion's test vectors, errors and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats.proportions import proportion

TWO_LEVEL = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]


@pytest.fixture
def reference(read_reference) -> pd.DataFrame:
    return read_reference("proportion.csv")


@pytest.mark.reference
@pytest.mark.parametrize("multiplier", [1, 100])
def test_two_levels_match_reference(reference, columns_match, multiplier: int) -> None:
    # Rows 17-19 (NA inputs) were produced with multiplier 1.
    rows = reference[reference["multiplier"] == multiplier]
    assert len(rows) == (11 if multiplier == 1 else 8)
    inputs = rows[["Area", "Numerator", "Denominator"]]
    result = proportion(
        inputs, "Numerator", "Denominator", confidence=[0.95, 0.998], multiplier=multiplier
    )
    columns_match(result, rows, ["value", *TWO_LEVEL, "statistic", "method"])
    assert result["confidence"].eq("95%, 99.8%").all()
    assert result.index.equals(rows.index)  # ungrouped: one output row per input row


@pytest.mark.reference
@pytest.mark.parametrize(("confidence", "suffix"), [(0.95, "95_0"), (95, "95_0"), (99.8, "99_8")])
def test_single_level_matches_reference(reference, columns_match, confidence, suffix) -> None:
    rows = reference[reference["multiplier"] == 100]
    inputs = rows[["Area", "Numerator", "Denominator"]]
    result = proportion(inputs, "Numerator", "Denominator", confidence=confidence, multiplier=100)
    expected = rows.rename(columns={f"lower{suffix}cl": "lowercl", f"upper{suffix}cl": "uppercl"})
    columns_match(result, expected, ["value", "lowercl", "uppercl"])
    assert not any(column.startswith("lower9") for column in result.columns)


@pytest.mark.reference
def test_missing_inputs_give_missing_outputs(reference) -> None:
    rows = reference[reference["source_row"] >= 17]
    result = proportion(rows, "Numerator", "Denominator", confidence=[0.95, 0.998])
    assert result[["value", *TWO_LEVEL]].isna().all().all()
    assert result["statistic"].eq("proportion of 1").all()


@pytest.mark.reference
def test_grouped_matches_reference(read_reference, reference, columns_match) -> None:
    expected = read_reference("proportion_grouped_expected.csv")
    result = proportion(reference, "Numerator", "Denominator", group_by="Area")
    assert list(result.columns[:3]) == ["Area", "Numerator", "Denominator"]
    result = result.set_index("Area").loc[expected["Area"]].reset_index()
    columns_match(
        result,
        expected,
        ["Area", "Numerator", "Denominator", "value", "lowercl", "uppercl", "confidence",
         "statistic", "method"],
    )


@pytest.mark.reference
def test_no_confidence_gives_value_and_statistic_only(reference) -> None:
    result = proportion(reference, "Numerator", "Denominator", group_by="Area", confidence=None)
    assert list(result.columns) == ["Area", "Numerator", "Denominator", "value", "statistic"]


def test_grouping_sums_before_dividing() -> None:
    data = pd.DataFrame(
        {"area": ["a", "a", "b"], "sex": ["m", "f", "m"], "x": [1, 3, 5], "n": [10, 30, 50]}
    )
    result = proportion(data, "x", "n", group_by=["area"])
    assert result["area"].tolist() == ["a", "b"]
    assert result["x"].tolist() == [4, 5]
    assert result["value"].tolist() == pytest.approx([0.1, 0.1])
    by_both = proportion(data, "x", "n", group_by=["area", "sex"])
    assert len(by_both) == 3


# --- errors ----------------------------------------------------------------------------


def test_numerator_above_denominator_is_an_error() -> None:
    data = pd.DataFrame({"area": ["a", "b"], "x": [5, 11], "n": [10, 10]})
    with pytest.raises(StatisticsError, match=r"must not exceed.*row 1"):
        proportion(data, "x", "n")
    with pytest.raises(StatisticsError, match=r"group area='b'"):
        proportion(data, "x", "n", group_by="area")


def test_negative_counts_are_errors() -> None:
    data = pd.DataFrame({"x": [5, -1], "n": [10, 10]})
    with pytest.raises(StatisticsError, match="'x' must not be negative"):
        proportion(data, "x", "n")
    with pytest.raises(StatisticsError, match="'n' must not be negative"):
        proportion(data.assign(x=[1, 1], n=[10, -3]), "x", "n")


def test_zero_denominator_missing_column_and_text_are_errors() -> None:
    with pytest.raises(StatisticsError, match="denominator 'n' is 0"):
        proportion(pd.DataFrame({"x": [0], "n": [0]}), "x", "n")
    with pytest.raises(StatisticsError, match=r"\['pop'\] not found"):
        proportion(pd.DataFrame({"x": [1], "n": [2]}), "x", "pop")
    with pytest.raises(StatisticsError, match="must be numeric"):
        proportion(pd.DataFrame({"x": ["1"], "n": [2]}), "x", "n")
    with pytest.raises(StatisticsError, match="confidence"):
        proportion(pd.DataFrame({"x": [1], "n": [2]}), "x", "n", confidence=0.5)


# --- properties ------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.integers(min_value=1, max_value=100_000).flatmap(
            lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
        ),
        min_size=1,
        max_size=20,
    )
)
def test_value_lies_inside_nested_intervals(pairs) -> None:
    data = pd.DataFrame(pairs, columns=["x", "n"])
    result = proportion(data, "x", "n", confidence=[0.95, 0.998], multiplier=100)
    tolerance = 1e-9
    assert np.all(result["lower99_8cl"] <= result["lower95_0cl"] + tolerance)
    assert np.all(result["lower95_0cl"] <= result["value"] + tolerance)
    assert np.all(result["value"] <= result["upper95_0cl"] + tolerance)
    assert np.all(result["upper95_0cl"] <= result["upper99_8cl"] + tolerance)
    assert np.all((result["lower99_8cl"] >= 0) & (result["upper99_8cl"] <= 100))
