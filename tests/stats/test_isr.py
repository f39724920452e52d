"""Indirect standardisation against calculate_ISRate / ISRatio vectors, errors, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats.isr import indirectly_standardised_rate, indirectly_standardised_ratio

TWO_LEVEL = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
RATIO_OUTPUTS = ["area", "observed", "expected", "value", *TWO_LEVEL, "statistic", "method"]
RATE_OUTPUTS = [*RATIO_OUTPUTS[:3], "ref_rate", *RATIO_OUTPUTS[3:]]


@pytest.fixture
def expected(read_reference) -> pd.DataFrame:
    return read_reference("isr_expected.csv").set_index("source_row")


@pytest.fixture
def multiarea(read_reference) -> pd.DataFrame:
    return read_reference("isr_input_multiarea.csv")


@pytest.fixture
def refdata(read_reference) -> pd.DataFrame:
    return read_reference("isr_refdata.csv")


@pytest.mark.reference
@pytest.mark.parametrize(("multiplier", "rows"), [(100_000, [1, 2, 3]), (1_000, [4, 5, 6])])
def test_rate_with_reference_vectors(multiarea, refdata, expected, columns_match,
                                     multiplier, rows) -> None:
    result = indirectly_standardised_rate(
        multiarea, "count", "pop", refdata["refcount"], refdata["refpop"].to_numpy(),
        group_by="area", confidence=[0.95, 0.998], multiplier=multiplier,
    )
    columns_match(result, expected.loc[rows], RATE_OUTPUTS)


@pytest.mark.reference
@pytest.mark.parametrize(("refvalue", "rows"), [(1, [7, 8, 9]), (100, [10, 11, 12])])
def test_ratio_with_reference_vectors(multiarea, refdata, expected, columns_match,
                                      refvalue, rows) -> None:
    result = indirectly_standardised_ratio(
        multiarea, "count", "pop", refdata["refcount"], refdata["refpop"],
        group_by="area", confidence=[0.95, 0.998], refvalue=refvalue,
    )
    columns_match(result, expected.loc[rows], RATIO_OUTPUTS)
    assert "ref_rate" not in result.columns


@pytest.mark.reference
def test_reference_as_columns_and_observed_totals_agree(multiarea, read_reference, expected,
                                                        columns_match) -> None:
    as_columns = indirectly_standardised_rate(
        multiarea, "count", "pop", "refcount", "refpop", group_by="area",
        confidence=[0.95, 0.998],
    )
    columns_match(as_columns, expected.loc[[1, 2, 3]], RATE_OUTPUTS)

    # Observed totals supplied separately (column renamed to the x argument's name).
    totals = read_reference("isr_observed_totals.csv").rename(columns={"total_count": "count"})
    supplied = indirectly_standardised_ratio(
        multiarea.drop(columns="count"), "count", "pop", "refcount", "refpop",
        group_by="area", confidence=[0.95, 0.998], observed_totals=totals,
    )
    columns_match(supplied, expected.loc[[7, 8, 9]], RATIO_OUTPUTS)


@pytest.mark.reference
def test_zero_population_band(read_reference, refdata, expected, columns_match) -> None:
    data = read_reference("isr_input_zero_pop.csv")
    rate = indirectly_standardised_rate(
        data, "count", "pop", refdata["refcount"], refdata["refpop"], group_by="area"
    )
    renamed = expected.rename(columns={"lower95_0cl": "lowercl", "upper95_0cl": "uppercl"})
    columns = ["area", "observed", "expected", "value", "lowercl", "uppercl", "statistic",
               "method"]
    columns_match(rate, renamed.loc[[13, 14]], [*columns, "ref_rate"])
    ratio = indirectly_standardised_ratio(
        data, "count", "pop", refdata["refcount"], refdata["refpop"], group_by="area",
        refvalue=100,
    )
    columns_match(ratio, renamed.loc[[15, 16]], columns)


def test_ungrouped_known_values() -> None:
    # Reference rates 1% and 10%; local pops 100 and 50 -> E = 1 + 5 = 6; O = 12 -> ratio 2.
    data = pd.DataFrame({"x": [4, 8], "n": [100, 50]})
    result = indirectly_standardised_ratio(data, "x", "n", [10, 100], [1000, 1000])
    assert result["expected"].iloc[0] == pytest.approx(6)
    assert result["value"].iloc[0] == pytest.approx(2)
    rate = indirectly_standardised_rate(data, "x", "n", [10, 100], [1000, 1000], multiplier=100)
    assert rate["ref_rate"].iloc[0] == pytest.approx(5.5)
    assert rate["value"].iloc[0] == pytest.approx(11)


# --- errors ----------------------------------------------------------------------------


def test_reference_vector_length_must_match_bands(multiarea, refdata) -> None:
    with pytest.raises(StatisticsError, match="x_ref has 18 age bands"):
        indirectly_standardised_ratio(
            multiarea, "count", "pop", refdata["refcount"].iloc[:18], refdata["refpop"],
            group_by="area",
        )
    with pytest.raises(StatisticsError, match="area='testdata_small'"):
        indirectly_standardised_ratio(
            multiarea.drop(index=20), "count", "pop", refdata["refcount"], refdata["refpop"],
            group_by="area",
        )


def test_negative_and_zero_inputs_are_errors() -> None:
    data = pd.DataFrame({"x": [4, -8], "n": [100, 50]})
    with pytest.raises(StatisticsError, match="'x' must not be negative"):
        indirectly_standardised_ratio(data, "x", "n", [10, 100], [1000, 1000])
    good = data.assign(x=[4, 8])
    with pytest.raises(StatisticsError, match="negative"):
        indirectly_standardised_ratio(good, "x", "n", [10, -100], [1000, 1000])
    with pytest.raises(StatisticsError, match="n_ref is missing or 0"):
        indirectly_standardised_ratio(good, "x", "n", [10, 100], [1000, 0])
    with pytest.raises(StatisticsError, match="expected count is 0"):
        indirectly_standardised_ratio(good.assign(n=[0, 0]), "x", "n", [10, 100], [1000, 1000])


def test_observed_totals_must_cover_every_group(multiarea) -> None:
    totals = pd.DataFrame({"area": ["testdata_big", "testdata_small"], "count": [895, 91]})
    with pytest.raises(StatisticsError, match=r"no 'count' for this group.*testdata_tiny"):
        indirectly_standardised_ratio(
            multiarea, "count", "pop", "refcount", "refpop", group_by="area",
            observed_totals=totals,
        )
    extra = pd.concat(
        [totals, pd.DataFrame({"area": ["testdata_tiny", "elsewhere"], "count": [9, 1]})]
    )
    with pytest.raises(StatisticsError, match="1 group"):
        indirectly_standardised_ratio(
            multiarea, "count", "pop", "refcount", "refpop", group_by="area",
            observed_totals=extra,
        )


# --- properties ------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(1, 5000), st.integers(1, 500)),
        min_size=1,
        max_size=19,
    )
)
def test_ratio_is_one_when_local_rates_equal_reference(bands) -> None:
    # Local counts in proportion to the reference rates: O = E exactly, so the ratio is 1
    # and the rate equals the reference crude rate; and 1 lies inside both intervals.
    reference_count = np.array([count for count, _, _ in bands], dtype=float)
    reference_population = np.array([pop for _, pop, _ in bands], dtype=float) * 10
    local_population = reference_population / 10
    data = pd.DataFrame({"x": reference_count / 10, "n": local_population})
    if data["x"].sum() == 0:
        return
    result = indirectly_standardised_ratio(
        data, "x", "n", reference_count, reference_population, confidence=[0.95, 0.998]
    ).iloc[0]
    assert result["value"] == pytest.approx(1, rel=1e-12)
    assert result["lower99_8cl"] <= result["lower95_0cl"] <= 1 <= result["upper95_0cl"]
    assert result["upper95_0cl"] <= result["upper99_8cl"]
