"""Interval primitives against the PHEindicatormethods vectors, plus their properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ina.errors import StatisticsError
from ina.stats._confidence import (
    confidence_label,
    interval_columns,
    normalise_confidence,
)
from ina.stats.intervals import (
    byars_lower,
    byars_upper,
    confidence_suffix,
    exact_poisson_lower,
    exact_poisson_upper,
    poisson_count_interval,
    poisson_interval_method,
    wilson_lower,
    wilson_upper,
    z_value,
)

RTOL = 1e-9  # README: full double precision vectors, 1e-9 relative is achievable


# --- reference vectors -----------------------------------------------------------------


@pytest.mark.reference
@pytest.mark.parametrize("confidence_form", ["fraction", "percent"])
def test_byars_and_wilson_match_reference(read_reference, confidence_form: str) -> None:
    table = read_reference("byars_wilson.csv")
    # Row 13 (Byars lower for x = 1 at 99.8%, NA upstream) is not used by the R tests;
    # we clamp that limit at 0 instead, tested separately below.
    table = table[table["source_row"] <= 12]
    assert len(table) == 12
    for _, row in table.iterrows():
        percent = float(row["confidence"].rstrip("%"))
        confidence = percent if confidence_form == "percent" else percent / 100
        if row["method"] == "Byars":
            lower = byars_lower(row["x"], confidence)
            upper = byars_upper(row["x"], confidence)
        else:
            lower = wilson_lower(row["x"], row["n"], confidence)
            upper = wilson_upper(row["x"], row["n"], confidence)
        np.testing.assert_allclose([lower, upper], [row["lowercl"], row["uppercl"]], rtol=RTOL)


@pytest.mark.reference
def test_vectorised_calls_match_scalar_reference(read_reference) -> None:
    table = read_reference("byars_wilson.csv")
    wilson = table[(table["method"] == "Wilson") & (table["confidence"] == "95%")]
    lower = wilson_lower(wilson["x"], wilson["n"], 0.95)
    assert isinstance(lower, pd.Series)
    assert lower.index.equals(wilson.index)
    np.testing.assert_allclose(lower, wilson["lowercl"], rtol=RTOL)
    byars = table[(table["method"] == "Byars") & (table["confidence"] == "95%")]
    np.testing.assert_allclose(
        byars_upper(byars["x"].to_numpy(), 95), byars["uppercl"], rtol=RTOL
    )


# --- special values ------------------------------------------------------------------


def test_wilson_at_full_confidence_is_the_unit_interval() -> None:
    assert wilson_lower(65, 100, 1) == 0
    assert wilson_upper(65, 100, 1) == 1
    assert wilson_lower(65, 100, 100) == 0


def test_wilson_known_value_and_limits_at_extremes() -> None:
    # 0/10 and 10/10: the limit at the observed edge is exactly the edge.
    assert wilson_lower(0, 10) == 0
    assert wilson_upper(10, 10) == pytest.approx(1, abs=1e-15)
    # Newcombe (1998) table I example: 81/263 -> 0.2553 to 0.3662.
    assert wilson_lower(81, 263) == pytest.approx(0.2553, abs=5e-5)
    assert wilson_upper(81, 263) == pytest.approx(0.3662, abs=5e-5)


def test_missing_inputs_give_missing_limits_elementwise() -> None:
    lower = wilson_lower(np.array([1.0, np.nan, 3.0]), np.array([10.0, 10.0, np.nan]))
    assert np.isnan(lower[1]) and np.isnan(lower[2]) and not np.isnan(lower[0])
    count_lower, count_upper = poisson_count_interval(pd.Series([5.0, np.nan]))
    assert count_lower.isna().tolist() == [False, True]
    assert count_upper.isna().tolist() == [False, True]


def test_exact_poisson_at_zero_and_known_values() -> None:
    assert exact_poisson_lower(0) == 0
    # Garwood interval for 0 events: upper = -ln(0.025) = 3.6889.
    assert exact_poisson_upper(0) == pytest.approx(-np.log(0.025), rel=1e-12)
    # Textbook values for x = 5 at 95%: 1.6235 to 11.6683.
    assert exact_poisson_lower(5) == pytest.approx(1.623486, rel=1e-6)
    assert exact_poisson_upper(5) == pytest.approx(11.668332, rel=1e-6)


def test_byars_lower_is_clamped_at_zero_where_the_approximation_fails() -> None:
    assert byars_lower(0) == 0
    assert byars_lower(1, 0.998) == 0  # upstream NA (byars_wilson.csv row 13)
    assert byars_upper(1, 0.998) == pytest.approx(9.362180, rel=1e-6)


def test_poisson_count_interval_switches_method_at_ten() -> None:
    counts = np.array([0.0, 9.0, 10.0, 250.0])
    lower, upper = poisson_count_interval(counts, 0.95)
    np.testing.assert_allclose(lower[:2], exact_poisson_lower(counts[:2]), rtol=1e-14)
    np.testing.assert_allclose(upper[:2], exact_poisson_upper(counts[:2]), rtol=1e-14)
    np.testing.assert_allclose(lower[2:], byars_lower(counts[2:]), rtol=1e-14)
    np.testing.assert_allclose(upper[2:], byars_upper(counts[2:]), rtol=1e-14)
    assert list(poisson_interval_method(counts)) == ["Exact", "Exact", "Byars", "Byars"]


def test_z_value() -> None:
    assert z_value(0.95) == pytest.approx(1.959963984540054, rel=1e-15)
    assert z_value(99.8) == pytest.approx(3.090232306167813, rel=1e-14)
    assert z_value(1) == np.inf


# --- errors ----------------------------------------------------------------------------


def test_numerator_above_denominator_is_an_error() -> None:
    with pytest.raises(StatisticsError, match="must not exceed denominator"):
        wilson_lower([1, 11], [10, 10])


@pytest.mark.parametrize(
    "call",
    [
        lambda: wilson_upper(-1, 10),
        lambda: wilson_upper(1, -10),
        lambda: byars_lower([3, -2]),
        lambda: exact_poisson_upper(-0.5),
        lambda: poisson_count_interval(pd.Series([1, -1])),
    ],
)
def test_negative_inputs_are_errors(call) -> None:
    with pytest.raises(StatisticsError, match="must not be negative"):
        call()


@pytest.mark.parametrize("bad", [0.5, 0.89, 150, 0, -95, "95", [], [0.95, 95], float("nan"), True])
def test_invalid_confidence_is_an_error(bad) -> None:
    with pytest.raises(StatisticsError):
        normalise_confidence(bad)


def test_primitives_take_exactly_one_level() -> None:
    with pytest.raises(StatisticsError, match="one confidence level"):
        byars_lower(20, [0.95, 0.998])


# --- confidence naming -----------------------------------------------------------------


def test_normalise_confidence_forms() -> None:
    assert normalise_confidence(0.95) == (0.95,)
    assert normalise_confidence(95) == (0.95,)
    assert normalise_confidence(99.8) == (0.998,)
    assert normalise_confidence(0.998) == (0.998,)
    assert normalise_confidence([0.95, 99.8]) == (0.95, 0.998)
    assert normalise_confidence(None) == ()


def test_confidence_column_names_follow_the_r_package() -> None:
    assert confidence_suffix(0.95) == "95_0"
    assert confidence_suffix(99.8) == "99_8"
    assert confidence_suffix(0.9995) == "99_95"
    assert interval_columns((0.95,)) == [("lowercl", "uppercl")]
    assert interval_columns((0.95, 0.998)) == [
        ("lower95_0cl", "upper95_0cl"),
        ("lower99_8cl", "upper99_8cl"),
    ]
    assert confidence_label((0.95, 0.998)) == "95%, 99.8%"


# --- properties ------------------------------------------------------------------------

proportions = st.integers(min_value=0, max_value=10_000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@settings(max_examples=200, deadline=None)
@given(proportions)
def test_wilson_bounds_lie_in_unit_interval_and_contain_the_proportion(pair) -> None:
    x, n = pair
    for confidence in (0.95, 0.998):
        lower, upper = wilson_lower(x, n, confidence), wilson_upper(x, n, confidence)
        assert 0 <= lower <= upper <= 1
        if n > 0:
            assert lower <= x / n + 1e-12
            assert upper >= x / n - 1e-12


@settings(max_examples=200, deadline=None)
@given(proportions)
def test_wilson_99_8_contains_95(pair) -> None:
    x, n = pair
    assert wilson_lower(x, n, 0.998) <= wilson_lower(x, n, 0.95) + 1e-15
    assert wilson_upper(x, n, 0.998) >= wilson_upper(x, n, 0.95) - 1e-15


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=1_000_000))
def test_poisson_interval_contains_count_and_widens_with_confidence(count) -> None:
    lower95, upper95 = poisson_count_interval(count, 0.95)
    lower998, upper998 = poisson_count_interval(count, 0.998)
    assert 0 <= lower998 <= lower95 <= count <= upper95 <= upper998
