"""``crude_rate`` against phe_rate's test vectors, errors and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats.intervals import byars_lower, exact_poisson_upper
from ina.stats.rates import crude_rate

TWO_LEVEL = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
INPUTS = ["Area", "Numerator", "Denominator"]


@pytest.fixture
def reference(read_reference) -> pd.DataFrame:
    return read_reference("rate.csv")


@pytest.mark.reference
@pytest.mark.parametrize("multiplier", [100, 100_000])
def test_two_levels_match_reference(reference, columns_match, multiplier: int) -> None:
    # Rows 17-20 (NA cases, numerator > denominator) were produced with multiplier 100000.
    rows = reference[reference["multiplier"] == multiplier]
    assert len(rows) == (8 if multiplier == 100 else 12)
    result = crude_rate(rows[INPUTS], "Numerator", "Denominator",
                        confidence=[0.95, 0.998], multiplier=multiplier)
    columns_match(result, rows, ["value", *TWO_LEVEL, "statistic", "method"])


@pytest.mark.reference
@pytest.mark.parametrize(
    ("confidence", "suffix"), [(0.95, "95_0"), (0.998, "99_8"), (99.8, "99_8")]
)
def test_single_level_matches_reference(reference, columns_match, confidence, suffix) -> None:
    rows = reference[reference["multiplier"] == 100]
    result = crude_rate(rows[INPUTS], "Numerator", "Denominator",
                        confidence=confidence, multiplier=100)
    expected = rows.rename(columns={f"lower{suffix}cl": "lowercl", f"upper{suffix}cl": "uppercl"})
    columns_match(result, expected, ["value", "lowercl", "uppercl", "method"])


@pytest.mark.reference
def test_missing_inputs_and_count_above_population(reference) -> None:
    rows = reference[reference["source_row"] >= 17]
    result = crude_rate(rows[INPUTS], "Numerator", "Denominator", confidence=[0.95, 0.998])
    assert rows["source_row"].tolist() == [17, 18, 19, 20]
    assert result[["value", *TWO_LEVEL]].iloc[:3].isna().all().all()
    # Method follows the count alone: NA count -> NA method; count 10 with NA population -> Byars.
    assert [None if pd.isna(m) else m for m in result["method"]] == [None, "Byars", None, "Byars"]
    # Row 20: 250 events in 220 people is allowed for a rate.
    assert result["value"].iloc[3] == pytest.approx(113636.36363636365, rel=1e-12)


@pytest.mark.reference
def test_grouped_matches_reference(read_reference, reference, columns_match) -> None:
    expected = read_reference("rate_grouped_expected.csv")
    result = crude_rate(reference[INPUTS], "Numerator", "Denominator", group_by="Area")
    result = result.set_index("Area").loc[expected["Area"]].reset_index()
    columns_match(
        result,
        expected,
        ["Area", "Numerator", "Denominator", "value", "lowercl", "uppercl", "confidence",
         "statistic", "method"],
    )


def test_method_switches_at_ten_events() -> None:
    data = pd.DataFrame({"x": [9, 10], "n": [1000, 1000]})
    result = crude_rate(data, "x", "n", multiplier=1000)
    assert result["method"].tolist() == ["Exact", "Byars"]
    assert result["uppercl"].iloc[0] == pytest.approx(exact_poisson_upper(9), rel=1e-14)
    assert result["lowercl"].iloc[1] == pytest.approx(byars_lower(10), rel=1e-14)
    assert result["statistic"].iloc[0] == "rate per 1000"


def test_errors() -> None:
    with pytest.raises(StatisticsError, match="'x' must not be negative"):
        crude_rate(pd.DataFrame({"x": [-1], "n": [10]}), "x", "n")
    with pytest.raises(StatisticsError, match="population 'n' is 0"):
        crude_rate(pd.DataFrame({"x": [0], "n": [0]}), "x", "n")
    with pytest.raises(StatisticsError, match="multiplier"):
        crude_rate(pd.DataFrame({"x": [0], "n": [1]}), "x", "n", multiplier=0)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=50_000), st.integers(1, 10_000_000)),
        min_size=1,
        max_size=20,
    )
)
def test_value_lies_inside_nested_intervals(pairs) -> None:
    data = pd.DataFrame(pairs, columns=["x", "n"])
    result = crude_rate(data, "x", "n", confidence=[0.95, 0.998])
    slack = 1e-9 * result["value"].abs().max() + 1e-12
    assert np.all(result["lower99_8cl"] >= 0)
    assert np.all(result["lower99_8cl"] <= result["lower95_0cl"] + slack)
    assert np.all(result["lower95_0cl"] <= result["value"] + slack)
    assert np.all(result["value"] <= result["upper95_0cl"] + slack)
    assert np.all(result["upper95_0cl"] <= result["upper99_8cl"] + slack)
